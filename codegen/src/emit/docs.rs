//! Doc attributes from spec text.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// `///` lines for `text`.
pub(crate) fn outer(text: &str) -> TokenStream {
    let lines = lines(text);
    quote! { #(#[doc = #lines])* }
}

/// `//!` lines for `text`.
pub(crate) fn inner(text: &str) -> TokenStream {
    let lines = lines(text);
    quote! { #(#![doc = #lines])* }
}

fn lines(text: &str) -> Vec<String> {
    text.trim()
        .lines()
        .map(|l| {
            let l = l.trim_end();
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect()
}

/// A member's doc, with the wire form of a text type in a documented format
/// (`date`, `datetime`, `datetime_iso`, `binary`).
pub(crate) fn field_doc(f: &crate::model::Field) -> String {
    match f.ty.bottom() {
        crate::spec::TypeRef::Text(format) => {
            format!("{}\n\nWire form: {}.", f.doc, format.wire_form())
        }
        _ => f.doc.clone(),
    }
}

/// A member's doc with its example, if any.
pub(crate) fn with_example(doc: &str, example: Option<&Value>) -> String {
    match example {
        Some(v) => {
            let shown = serde_json::to_string(v).unwrap_or_default();
            if shown.contains('`') {
                format!("{doc}\n\nExample: {shown}")
            } else {
                format!("{doc}\n\nExample: `{shown}`")
            }
        }
        None => doc.to_owned(),
    }
}
