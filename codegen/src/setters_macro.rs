//! The entries of the runtime's `setters!` as the generator writes them, read
//! back: printed one member to a few lines (prettyplease and rustfmt leave a
//! macro's braces as one run of text), and expanded into the methods they
//! declare for the public-API listing.
//!
//! An entry: doc attributes, then how the value is stored (`value`, `text`,
//! `boxed`, `list`, `text_list`), `name(Param), set_name(Stored) = "doc of
//! set_name"`, then `, deprecated "note"` when the member is.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::parse::{Parse, ParseStream};

/// One member's entry.
pub(crate) struct Entry {
    pub docs: Vec<syn::Attribute>,
    pub kind: Ident,
    pub name: Ident,
    pub param: syn::Type,
    pub set: Ident,
    pub stored: syn::Type,
    pub set_doc: syn::LitStr,
    pub deprecated: Option<syn::LitStr>,
}

impl Parse for Entry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let docs = input.call(syn::Attribute::parse_outer)?;
        let kind: Ident = input.parse()?;
        let name: Ident = input.parse()?;
        let param;
        syn::parenthesized!(param in input);
        let param: syn::Type = param.parse()?;
        input.parse::<syn::Token![,]>()?;
        let set: Ident = input.parse()?;
        let stored;
        syn::parenthesized!(stored in input);
        let stored: syn::Type = stored.parse()?;
        input.parse::<syn::Token![=]>()?;
        let set_doc: syn::LitStr = input.parse()?;
        let deprecated = if input.peek(syn::Token![,]) {
            input.parse::<syn::Token![,]>()?;
            let word: Ident = input.parse()?;
            if word != "deprecated" {
                return Err(syn::Error::new(word.span(), "expected `deprecated`"));
            }
            Some(input.parse()?)
        } else {
            None
        };
        input.parse::<syn::Token![;]>()?;
        Ok(Entry {
            docs,
            kind,
            name,
            param,
            set,
            stored,
            set_doc,
            deprecated,
        })
    }
}

/// The entries of a `setters!` body, or `None` when it is not in that form.
pub(crate) fn entries(body: TokenStream) -> Option<Vec<Entry>> {
    struct All(Vec<Entry>);
    impl Parse for All {
        fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
            let mut all = Vec::new();
            while !input.is_empty() {
                all.push(input.parse()?);
            }
            Ok(All(all))
        }
    }
    syn::parse2::<All>(body).ok().map(|all| all.0)
}

/// Whether `tokens` is the path of the runtime's `setters!` (`…::setters`).
pub(crate) fn is_setters(path: &syn::Path) -> bool {
    path.segments.last().is_some_and(|s| s.ident == "setters")
}

/// The two methods an entry declares, as the runtime's macro writes them
/// (bodies left out: the listing shows signatures).
pub(crate) fn methods(e: &Entry) -> Vec<syn::ImplItem> {
    let Entry {
        docs,
        name,
        param,
        set,
        stored,
        deprecated,
        set_doc,
        ..
    } = e;
    let deprecated = deprecated
        .as_ref()
        .map(|n| quote!(#[deprecated(note = #n)]));
    let file: syn::ItemImpl = syn::parse_quote! {
        impl Builder {
            #(#docs)*
            #deprecated
            pub fn #name(self, value: #param) -> Self { unimplemented!() }
            #[doc = #set_doc]
            #deprecated
            pub fn #set(self, value: Option<#stored>) -> Self { unimplemented!() }
        }
    };
    file.items
}

/// `tokens` with the body of every `setters! { … }` replaced by a marker
/// ident; the bodies' printed lines are pushed to `printed`, by marker.
pub(crate) fn take_bodies(
    tokens: TokenStream,
    printed: &mut Vec<(String, Vec<String>)>,
) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    for (i, tree) in trees.iter().enumerate() {
        let TokenTree::Group(g) = tree else {
            out.push(tree.clone());
            continue;
        };
        let invoked = i >= 2
            && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '!')
            && matches!(&trees[i - 2], TokenTree::Ident(id) if id == "setters");
        let lines = (invoked && g.delimiter() == Delimiter::Brace)
            .then(|| entries(g.stream()))
            .flatten()
            .map(|entries| entries.iter().flat_map(entry_lines).collect::<Vec<_>>());
        let stream = match lines {
            Some(lines) => {
                let marker = format!("__codegen_setters_{}", printed.len());
                printed.push((marker.clone(), lines));
                Ident::new(&marker, Span::call_site()).into_token_stream()
            }
            None => take_bodies(g.stream(), printed),
        };
        let mut group = Group::new(g.delimiter(), stream);
        group.set_span(g.span());
        out.push(TokenTree::Group(group));
    }
    out.into_iter().collect()
}

/// `text` with each marker's `{ marker }` replaced by its lines, indented one
/// level past the line that holds the invocation.
pub(crate) fn put_bodies(mut text: String, printed: &[(String, Vec<String>)]) -> String {
    for (marker, lines) in printed {
        let Some(at) = text.find(marker.as_str()) else {
            continue;
        };
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = text[line_start..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let alone = text[line_start..at].trim().is_empty();
        // The invocation's own indent: the marker's line when it shares it,
        // one level out when prettyplease put the marker on a line of its own.
        let outer = if alone {
            indent.get(4..).unwrap_or("").to_owned()
        } else {
            indent.clone()
        };
        let inner = format!("{outer}    ");
        let body: String = lines
            .iter()
            .map(|l| {
                if l.is_empty() {
                    "\n".to_owned()
                } else {
                    format!("{inner}{l}\n")
                }
            })
            .collect();
        // From the `{` before the marker to the `}` after it.
        let Some(open) = text[..at].rfind('{') else {
            continue;
        };
        let Some(close) = text[at..].find('}').map(|i| at + i) else {
            continue;
        };
        text.replace_range(open..=close, &format!("{{\n{body}{outer}}}"));
    }
    text
}

/// An entry's lines: its docs as `///` comments, then the entry, broken
/// after the first method when it would pass 100 columns (with the indent
/// the invocation adds).
fn entry_lines(e: &Entry) -> Vec<String> {
    let mut lines: Vec<String> = e
        .docs
        .iter()
        .map(|a| match doc_text(a) {
            Some(t) if t.is_empty() => "///".to_owned(),
            Some(t) => format!("///{t}"),
            None => a.to_token_stream().to_string(),
        })
        .collect();
    let first = format!("{} {}({}),", e.kind, e.name, type_text(&e.param));
    let mut second = format!(
        "{}({}) = {}",
        e.set,
        type_text(&e.stored),
        e.set_doc.to_token_stream()
    );
    if let Some(note) = &e.deprecated {
        second.push_str(&format!(", deprecated {}", note.to_token_stream()));
    }
    second.push(';');
    if first.len() + 1 + second.len() <= 88 {
        lines.push(format!("{first} {second}"));
    } else {
        lines.push(first);
        lines.push(format!("    {second}"));
    }
    lines
}

/// The text of a `#[doc = "…"]` attribute.
fn doc_text(a: &syn::Attribute) -> Option<String> {
    let syn::Meta::NameValue(nv) = &a.meta else {
        return None;
    };
    if !nv.path.is_ident("doc") {
        return None;
    }
    match &nv.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// A type as prettyplease prints it.
fn type_text(ty: &syn::Type) -> String {
    let file: syn::File = syn::parse_quote!(type T = #ty;);
    let printed = prettyplease::unparse(&file);
    let printed = printed.trim();
    printed
        .strip_prefix("type T = ")
        .and_then(|t| t.strip_suffix(';'))
        .unwrap_or(printed)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
