//! A data table of the spec for programs that work from action names at run time
//! (the `ccc` command line and the emulator, through the `ccc-spec` crate): every
//! action with its input and output members, their wire types and docs, how it
//! pages, its official example answer and a minimal valid answer built from the
//! output types; and every object type with its members, so that help texts and
//! request templates can show nested types.

use super::docs;
use crate::model::{Field, Model, Presence, VariantValue};
use crate::spec::TypeRef;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{json, Map, Value};

/// The `spec_table.rs` module.
pub(crate) fn table_module(model: &Model) -> TokenStream {
    let actions = model.actions.iter().map(|a| {
        let name = &a.name;
        let command = a.snake.replace('_', "-");
        let summary = &a.summary;
        let doc = &a.doc;
        let category = &a.category;
        let china_only = a.china_only;
        let idempotent = a.idempotent;
        let members = a.input.iter().map(|f| member(model, f));
        let outputs = a.output.iter().map(|f| member(model, f));
        let pagination = match &a.pagination {
            Some(p) => {
                let style = match p.style {
                    crate::spec::PageStyle::PageNumber => "page_number",
                    crate::spec::PageStyle::Offset => "offset",
                    crate::spec::PageStyle::Cursor => "cursor",
                };
                let (page, size, max_size, items) = (&p.page, &p.size, p.max_size, &p.items);
                let total = option_text(p.total.as_deref());
                let item_cursor = option_text(p.item_cursor.as_deref());
                let first_page = p.first_page;
                quote!(Some(PaginationInfo { style: #style, page: #page, size: #size, max_size: #max_size, items: #items, total: #total, item_cursor: #item_cursor, first_page: #first_page }))
            }
            None => quote!(None),
        };
        let example = match a.examples.first() {
            Some(ex) => {
                let text = serde_json::to_string(&ex.output).unwrap_or_default();
                quote!(Some(#text))
            }
            None => quote!(None),
        };
        let example_request = match a.examples.first() {
            Some(ex) => {
                let text = serde_json::to_string(&ex.input).unwrap_or_default();
                quote!(Some(#text))
            }
            None => quote!(None),
        };
        let mut minimal = Map::new();
        for f in &a.output {
            if let Some(v) = minimal_field(model, f, 0) {
                minimal.insert(f.wire.clone(), v);
            }
        }
        minimal.insert("RequestId".into(), json!("emulated"));
        let mut request = Map::new();
        for f in a.input.iter().filter(|f| f.presence == Presence::Required) {
            request.insert(f.wire.clone(), zero(model, &f.ty, 0));
        }
        let minimal_request = serde_json::to_string(&request).unwrap_or_default();
        let minimal = serde_json::to_string(&json!({ "Response": minimal })).unwrap_or_default();
        quote! {
            ActionInfo {
                name: #name,
                command: #command,
                summary: #summary,
                doc: #doc,
                category: #category,
                china_only: #china_only,
                idempotent: #idempotent,
                input: &[#(#members),*],
                output: &[#(#outputs),*],
                pagination: #pagination,
                example_request: #example_request,
                example_response: #example,
                minimal_response: #minimal,
                minimal_request: #minimal_request,
            },
        }
    });
    let mut objects: Vec<_> = model.objects.iter().collect();
    objects.sort_by(|a, b| a.name.cmp(&b.name));
    let types = objects.iter().map(|o| {
        let name = &o.name;
        let doc = &o.doc;
        let fields = o.fields.iter().map(|f| member(model, f));
        quote!(TypeInfo { name: #name, doc: #doc, fields: &[#(#fields),*] },)
    });
    let waiters = model.waiters.iter().map(|w| {
        let name = &w.name;
        let action = &w.action;
        let state = w.path.iter().map(|f| f.wire.as_str());
        let texts = |values: &[(VariantValue, Option<String>)]| -> Vec<String> {
            values.iter().map(|(v, _)| value_json(v)).collect()
        };
        let (success, failure, retry) = (texts(&w.success), texts(&w.failure), texts(&w.retry));
        let doc = &w.doc;
        quote! {
            WaiterInfo {
                name: #name,
                action: #action,
                state: &[#(#state),*],
                success: &[#(#success),*],
                failure: &[#(#failure),*],
                retry: &[#(#retry),*],
                doc: #doc,
            },
        }
    });
    let header = docs::inner(
        "The spec as data: actions, their members, object types, paging, waiters, and answers to serve.",
    );
    quote! {
        #header

        /// One input member of an action.
        #[derive(Debug, Clone, Copy)]
        pub struct MemberInfo {
            /// Wire name.
            pub name: &'static str,
            /// Command-line flag, without the dashes (`sdk-app-id`).
            pub flag: &'static str,
            /// `string`, `int64`, `uint64`, `float`, `bool`, or `json` (lists and objects).
            pub kind: &'static str,
            /// The kind of the type at the bottom of any lists: as `kind`, or
            /// `object`.
            pub element: &'static str,
            /// The type as the spec writes it (`list<string>`, `AutoCalloutTaskState`).
            pub spec_type: &'static str,
            /// Documented values, for enums (and lists of them).
            pub values: &'static [&'static str],
            /// Input: whether the request must carry it. Output: whether the
            /// answer always carries it, not null.
            pub required: bool,
            /// What it holds.
            pub doc: &'static str,
            /// The object type at the bottom of `spec_type` (`SeatUserInfo` for
            /// `list<SeatUserInfo>`), to look up in [`TYPES`].
            pub object: Option<&'static str>,
            /// Holds a secret: shown redacted.
            pub sensitive: bool,
            /// Documented only on the China site (an international answer
            /// leaves it out).
            pub china_only: bool,
        }

        /// How a list action pages.
        #[derive(Debug, Clone, Copy)]
        pub struct PaginationInfo {
            /// `page_number` (page index from `first_page`), `offset` (items to skip) or
            /// `cursor` (taken from the last item).
            pub style: &'static str,
            /// Input member holding the page index, offset or cursor.
            pub page: &'static str,
            /// Input member holding the page size.
            pub size: &'static str,
            /// Largest page size the service accepts.
            pub max_size: u64,
            /// Output list member holding the items.
            pub items: &'static str,
            /// Output member holding the total number of items, if any.
            pub total: Option<&'static str>,
            /// With `cursor`: the member of each item holding its cursor.
            pub item_cursor: Option<&'static str>,
            /// With `page_number`: the number of the first page (0, or 1 for
            /// services counting pages from 1).
            pub first_page: u64,
        }

        /// One object type.
        #[derive(Debug, Clone, Copy)]
        pub struct TypeInfo {
            /// Type name.
            pub name: &'static str,
            /// What it describes.
            pub doc: &'static str,
            /// Members, in spec order.
            pub fields: &'static [MemberInfo],
        }

        /// One action.
        #[derive(Debug, Clone, Copy)]
        pub struct ActionInfo {
            /// Wire name.
            pub name: &'static str,
            /// Command-line name (`describe-auto-callout-task`).
            pub command: &'static str,
            /// One line.
            pub summary: &'static str,
            /// Explanation.
            pub doc: &'static str,
            /// Category id.
            pub category: &'static str,
            /// Documented only on the China site.
            pub china_only: bool,
            /// Safe to send twice.
            pub idempotent: bool,
            /// Input members, in spec order.
            pub input: &'static [MemberInfo],
            /// Output members (besides `RequestId`), in spec order.
            pub output: &'static [MemberInfo],
            /// How it pages, for list actions.
            pub pagination: Option<PaginationInfo>,
            /// The official example's request parameters (the JSON body).
            pub example_request: Option<&'static str>,
            /// The official example answer, `{"Response": ...}`.
            pub example_response: Option<&'static str>,
            /// A minimal valid answer: every member that must be present, with zero values.
            pub minimal_response: &'static str,
            /// A minimal request: the required members, with zero values.
            pub minimal_request: &'static str,
        }

        /// Every action, sorted by name.
        pub static ACTIONS: &[ActionInfo] = &[#(#actions)*];

        /// The action named `name`.
        pub fn action(name: &str) -> Option<&'static ActionInfo> {
            ACTIONS.binary_search_by(|a| a.name.cmp(name)).ok().map(|i| &ACTIONS[i])
        }

        /// Every object type, sorted by name.
        pub static TYPES: &[TypeInfo] = &[#(#types)*];

        /// The object type named `name`.
        pub fn type_info(name: &str) -> Option<&'static TypeInfo> {
            TYPES.binary_search_by(|t| t.name.cmp(name)).ok().map(|i| &TYPES[i])
        }

        /// A state a resource can be waited for in, by polling an action (the
        /// spec's `waiters`). An answer whose state holds a `success` value
        /// ends the wait as reached, a `failure` value as unreachable; any
        /// other value (the `retry` ones, unlisted ones, none) means call again.
        #[derive(Debug, Clone, Copy)]
        pub struct WaiterInfo {
            /// Kebab-case name (`ccc wait <name>`).
            pub name: &'static str,
            /// Wire name of the action polled.
            pub action: &'static str,
            /// Wire names from the answer down to the state member.
            pub state: &'static [&'static str],
            /// Values meaning reached, as JSON text (`2`, `"Done"`).
            pub success: &'static [&'static str],
            /// Values meaning the awaited state can no longer come, as JSON text.
            pub failure: &'static [&'static str],
            /// Values known to be transient, as JSON text.
            pub retry: &'static [&'static str],
            /// One line: what is awaited.
            pub doc: &'static str,
        }

        /// Every waiter, in spec order.
        pub static WAITERS: &[WaiterInfo] = &[#(#waiters)*];

        /// The waiter named `name`.
        pub fn waiter(name: &str) -> Option<&'static WaiterInfo> {
            WAITERS.iter().find(|w| w.name == name)
        }
    }
}

fn member(model: &Model, f: &Field) -> TokenStream {
    let name = &f.wire;
    // An escaped Rust name (`new_`, see `names::escape`) keeps its plain flag
    // (`--new`): the command line has no builder methods to collide with.
    let flag = f.rust.trim_end_matches('_').replace('_', "-");
    // Lists are given as JSON; their elements have the kind (and values) of
    // the type at the bottom.
    let (element, values) = scalar_kind(model, f.ty.bottom());
    let kind = if matches!(f.ty, TypeRef::List(_)) || element == "object" {
        "json"
    } else {
        element
    };
    let spec_type = type_text(&f.ty);
    let required = f.presence == Presence::Required;
    let doc = &f.doc;
    let object = match f.ty.bottom() {
        TypeRef::Named(n) if model.objects.iter().any(|o| &o.name == n) => option_text(Some(n)),
        _ => quote!(None),
    };
    let sensitive = f.sensitive;
    let china_only = f.china_only;
    quote! {
        MemberInfo { name: #name, flag: #flag, kind: #kind, element: #element, spec_type: #spec_type, values: &[#(#values),*], required: #required, doc: #doc, object: #object, sensitive: #sensitive, china_only: #china_only }
    }
}

/// The kind of a type that is not a list (`object` for object types) and the
/// documented values of an enum.
fn scalar_kind(model: &Model, t: &TypeRef) -> (&'static str, Vec<String>) {
    match t {
        TypeRef::String | TypeRef::Text(_) => ("string", Vec::new()),
        TypeRef::Int64 => ("int64", Vec::new()),
        TypeRef::Uint64 => ("uint64", Vec::new()),
        TypeRef::Float => ("float", Vec::new()),
        TypeRef::Bool => ("bool", Vec::new()),
        TypeRef::List(inner) => scalar_kind(model, inner),
        TypeRef::Named(n) => match model.enums.iter().find(|e| &e.name == n) {
            Some(e) => {
                let kind = match e.repr {
                    crate::spec::Repr::String => "string",
                    crate::spec::Repr::Int64 => "int64",
                    crate::spec::Repr::Uint64 => "uint64",
                };
                (
                    kind,
                    e.variants.iter().map(|v| value_text(&v.value)).collect(),
                )
            }
            None => ("object", Vec::new()),
        },
    }
}

fn option_text(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) => quote!(Some(#t)),
        None => quote!(None),
    }
}

/// A wire value as JSON text.
fn value_json(v: &VariantValue) -> String {
    match v {
        VariantValue::Unsigned(n) => n.to_string(),
        VariantValue::Signed(n) => n.to_string(),
        VariantValue::Text(t) => Value::from(t.as_str()).to_string(),
    }
}

fn value_text(v: &VariantValue) -> String {
    match v {
        VariantValue::Unsigned(n) => n.to_string(),
        VariantValue::Signed(n) => n.to_string(),
        VariantValue::Text(s) => s.clone(),
    }
}

fn type_text(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "string".into(),
        TypeRef::Text(format) => format.name().into(),
        TypeRef::Int64 => "int64".into(),
        TypeRef::Uint64 => "uint64".into(),
        TypeRef::Float => "float".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::List(inner) => format!("list<{}>", type_text(inner)),
    }
}

/// The zero value of a member that must be present; `None` for one that may be
/// left out.
fn minimal_field(model: &Model, f: &Field, depth: usize) -> Option<Value> {
    match f.presence {
        Presence::Optional => None,
        Presence::Nullable => Some(Value::Null),
        Presence::Required => Some(zero(model, &f.ty, depth)),
    }
}

fn zero(model: &Model, t: &TypeRef, depth: usize) -> Value {
    match t {
        TypeRef::String | TypeRef::Text(_) => json!(""),
        TypeRef::Int64 | TypeRef::Uint64 => json!(0),
        TypeRef::Float => json!(0.0),
        TypeRef::Bool => json!(false),
        TypeRef::List(_) => json!([]),
        TypeRef::Named(n) => {
            if let Some(e) = model.enums.iter().find(|e| &e.name == n) {
                return match e.variants.first().map(|v| &v.value) {
                    Some(VariantValue::Unsigned(v)) => json!(v),
                    Some(VariantValue::Signed(v)) => json!(v),
                    Some(VariantValue::Text(v)) => json!(v),
                    None => Value::Null,
                };
            }
            let mut out = Map::new();
            if let Some(o) = model.objects.iter().find(|o| &o.name == n) {
                if depth < 8 {
                    for f in &o.fields {
                        if let Some(v) = minimal_field(model, f, depth + 1) {
                            out.insert(f.wire.clone(), v);
                        }
                    }
                }
            }
            Value::Object(out)
        }
    }
}
