//! One action's module: request, request builder, fluent builder, response,
//! error codes, the `Action` impl and the service `Client`'s method.

use super::docs;
use super::serde::{self, Directions};
use super::types::{
    allow_deprecated, builder_type, deprecated, error_code_enum, field_ident, has_sensitive,
    redacting_debug, rust_type, struct_field, BuilderSpec, Decoding,
};
use super::Paths;
use crate::model::{Action, Field, Model, Presence};
use crate::spec::TypeRef;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(crate) fn action_module(model: &Model, a: &Action, paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    let types = &paths.types;
    let root = &paths.root;
    let name = &a.name;
    let request = format_ident!("{}Request", a.name);
    let builder = format_ident!("{}RequestBuilder", a.name);
    let fluent = format_ident!("{}FluentBuilder", a.name);
    let response = format_ident!("{}Response", a.name);
    let error_code = format_ident!("{}ErrorCode", a.name);
    let method = format_ident!("{}", a.snake);

    let mut about = format!("`{}`: {}\n\n{}", a.name, a.summary, a.doc);
    if let Some(limit) = a.rate_limit {
        about.push_str(&format!("\n\nRate limit: {limit} requests per second."));
    }
    if a.china_only {
        about.push_str("\n\nDocumented only for the China site.");
    }
    if let Some(p) = &a.pagination {
        let total = match &p.total {
            Some(t) => format!(", the total in `{t}`"),
            None => String::new(),
        };
        let scheme = match p.style {
            crate::spec::PageStyle::PageNumber => format!(
                "page number `{}` (from {}) and page size `{}`",
                p.page, p.first_page, p.size
            ),
            crate::spec::PageStyle::Offset => format!("offset `{}` and limit `{}`", p.page, p.size),
            crate::spec::PageStyle::Cursor => format!(
                "cursor `{}` (the `{}` of the last item received) and page size `{}`",
                p.page,
                p.item_cursor.as_deref().unwrap_or_default(),
                p.size
            ),
        };
        about.push_str(&format!(
            "\n\nPaged by {scheme}; items in `{}`{total}.",
            p.items
        ));
    }
    about.push_str(&format!("\n\nReference: <{}>", a.reference));
    for ex in &a.examples {
        let input = serde_json::to_string_pretty(&ex.input).unwrap_or_default();
        let output = serde_json::to_string_pretty(&ex.output).unwrap_or_default();
        about.push_str(&format!(
            "\n\n# Example: {}\n\nRequest parameters:\n\n```json\n{input}\n```\n\nResponse:\n\n```json\n{output}\n```",
            ex.title.trim()
        ));
        if let Some(r) = &ex.repaired {
            about.push_str(&format!(
                "\n\nRepaired from the official text: {}",
                r.trim()
            ));
        }
    }
    let module_doc = docs::inner(&about);
    let any_deprecated = a.deprecated.is_some()
        || a.input
            .iter()
            .chain(&a.output)
            .any(|f| f.deprecated.is_some());
    let allow = allow_deprecated(any_deprecated);
    let action_deprecated = deprecated(a.deprecated.as_deref());
    // The link names the service's own module (`crate::sts::operation::..`
    // for a service generated beside the primary one).
    let root_path = root.to_string().replace(' ', "");
    let method_doc = docs::outer(&format!(
        "{}\n\nSet the members on the returned builder, then `send()` it. See [`{}`](mod@{root_path}::operation::{}).",
        a.summary, a.name, a.snake
    ));

    let request_doc = docs::outer(&format!(
        "Request of `{name}`. Build it with [`{request}::builder`], which checks that every required member is set."
    ));
    let request_fields = a.input.iter().map(|f| struct_field(f, Some(types)));
    let response_doc = docs::outer(&format!("Successful response of `{name}`."));
    let response_fields = a.output.iter().map(|f| struct_field(f, Some(types)));

    let build_fields = a.input.iter().map(|f| {
        let ident = field_ident(&f.rust);
        let wire = &f.wire;
        match f.presence {
            Presence::Required => quote! {
                #ident: self.#ident.ok_or_else(|| missing(#wire))?,
            },
            Presence::Optional | Presence::Nullable => quote! { #ident: self.#ident, },
        }
    });
    // `build` returns a `Result` only when a required member can be missing.
    let fallible = a.input.iter().any(|f| f.presence == Presence::Required);
    let (built, request_value) = if fallible {
        (quote!(self.inner.build()), quote!(self.inner.build()?))
    } else {
        (quote!(Ok(self.inner.build())), quote!(self.inner.build()))
    };
    // The request's setters are listed once, in a local macro both its
    // builder and its fluent builder (and a waiter polling the action)
    // invoke; each stores through its own `members()` (the builder itself, or
    // the builder it wraps).
    let setters_macro = format_ident!("{}_setters", a.snake);
    let has_members = !a.input.is_empty();
    let setter_list = super::types::setters(&a.input, Some(types), true, rt);
    let polled = model.waiters.iter().any(|w| w.action == a.name);
    let export = polled.then(|| quote!(pub(crate) use #setters_macro;));
    let setters_macro_def = has_members.then(|| {
        quote! {
            macro_rules! #setters_macro {
                () => {
                    #setter_list
                };
            }
            #export
        }
    });
    let fluent_setters = has_members.then(|| {
        quote! {
            #setters_macro!();

            #[inline]
            fn members(&mut self) -> &mut #builder {
                &mut self.inner
            }
        }
    });

    let codes_doc = format!(
        "Error codes of `{name}`: those its docs list, then those every Tencent Cloud API may return. Any other code arrives as `Unknown`, kept as sent; `SdkError::map_code` re-types an error with the service-wide `ErrorCode`."
    );
    let request_builder = builder_type(
        BuilderSpec {
            doc: format!("Builds a [`{request}`] member by member."),
            name: &builder,
            fields: &a.input,
            checks_required: true,
            setters: Some(if has_members {
                quote! {
                    #setters_macro!();

                    #[inline]
                    fn members(&mut self) -> &mut Self {
                        self
                    }
                }
            } else {
                quote!()
            }),
            rt,
            build: if fallible {
                quote! {
                    /// The request, or the first required member that is missing.
                    #[inline]
                    pub fn build(self) -> Result<#request, #rt::BuildError> {
                        let missing = |member| #rt::BuildError::missing(#name, member);
                        Ok(#request {
                            #(#build_fields)*
                        })
                    }
                }
            } else {
                quote! {
                    /// The request: no member is required, so nothing can be missing.
                    #[inline]
                    pub fn build(self) -> #request {
                        #request {
                            #(#build_fields)*
                        }
                    }
                }
            },
            gate: quote!(),
        },
        Some(types),
    );
    let response_builder = response_builder(a, &response, paths);
    let answer_builders = serde::answer_builder_gate(paths);
    let response_builder_name = format_ident!("{}Builder", response);
    let fluent_doc = docs::outer(&format!(
        "Sets the members of a `{name}` call and sends it with a client."
    ));
    let codes = error_code_enum(model, &error_code, &codes_doc, &a.errors);
    let rate_limit = match a.rate_limit {
        Some(n) => {
            let n = proc_macro2::Literal::u32_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    };
    let idempotent = a.idempotent;

    let client_method = quote! {
        impl #root::Client {
            #method_doc
            #action_deprecated
            #[inline]
            pub fn #method(&self) -> #fluent {
                #fluent::new(self.core().clone())
            }
        }

        impl #root::ActionErrorCode for #error_code {}
    };

    let data_derive = quote!(#[derive(Debug, Clone, PartialEq)]);
    let secret_derive = quote!(#[derive(Clone, PartialEq)]);
    let (request_derive, request_debug) = if has_sensitive(&a.input) {
        (
            secret_derive.clone(),
            redacting_debug(&request, &a.input, false, &[]),
        )
    } else {
        (data_derive.clone(), quote!())
    };
    let (response_derive, response_debug) = if has_sensitive(&a.output) {
        (
            secret_derive,
            redacting_debug(
                &response,
                &a.output,
                false,
                &[format_ident!("request_id"), format_ident!("_deviations")],
            ),
        )
    } else {
        (data_derive, quote!())
    };
    let request_serde = serde::impls(
        &request,
        &a.input,
        Some(types),
        Decoding::Strict,
        Directions::REQUEST,
        None,
        paths,
    );
    let response_serde = serde::impls(
        &response,
        &with_request_id(&a.output),
        Some(types),
        Decoding::Tolerant,
        Directions::RESPONSE,
        Some(&format_ident!("_deviations")),
        paths,
    );
    let (into_paginator, paginated) = match &a.pagination {
        Some(p) => (
            into_paginator(a, p, paths, &request, &built),
            paginated_impl(model, a, p, paths, &request),
        ),
        None => (quote!(), quote!()),
    };

    quote! {
        #module_doc
        #allow

        #request_doc
        #action_deprecated
        #request_derive
        #[non_exhaustive]
        pub struct #request {
            #(#request_fields)*
        }

        #request_debug

        #request_serde

        impl #request {
            /// A builder with no member set.
            #[inline]
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        impl #rt::Action for #request {
            const ACTION: &'static str = #name;
            const RATE_LIMIT: Option<u32> = #rate_limit;
            const IDEMPOTENT: bool = #idempotent;
            type Response = #response;
            type ErrorCode = #error_code;
            #[inline]
            fn service() -> &'static #rt::Service {
                &#root::SERVICE_DESCRIPTION
            }
        }

        #setters_macro_def

        #request_builder

        #fluent_doc
        #[derive(Debug, Clone)]
        pub struct #fluent {
            client: #rt::Client,
            inner: #builder,
            options: #rt::RequestOptions,
        }

        impl #fluent {
            /// A call through `client` with no member set.
            #[inline]
            pub fn new(client: #rt::Client) -> Self {
                Self { client, inner: #builder::default(), options: #rt::RequestOptions::default() }
            }

            #fluent_setters

            /// The request as built so far.
            #[inline]
            pub fn as_builder(&self) -> &#builder {
                &self.inner
            }

            /// Overrides client settings (timeouts, retries, region, language) for
            /// this call.
            #[inline]
            pub fn options(mut self, options: #rt::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Checks the required members and sends the request.
            #[inline]
            pub async fn send(self) -> Result<#response, #rt::SdkError<#error_code>> {
                let request = #request_value;
                self.client.execute_with(&request, &self.options).await
            }

            #into_paginator
        }

        #response_doc
        #response_derive
        #[non_exhaustive]
        pub struct #response {
            #(#response_fields)*
            /// Id the service gave this request; quote it when asking support.
            pub request_id: String,
            _deviations: Vec<#rt::Deviation>,
        }

        #response_debug

        #response_serde

        impl #response {
            /// A builder with no member set, for canned answers in tests and
            /// replays.
            #answer_builders
            #[inline]
            pub fn builder() -> #response_builder_name {
                #response_builder_name::default()
            }

            /// Members the answer left out or sent as null although the spec
            /// promises them (read as their defaults); empty when the answer
            /// matches the spec.
            #[inline]
            pub fn deviations(&self) -> &[#rt::Deviation] {
                &self._deviations
            }
        }

        #response_builder

        impl #rt::ActionResponse for #response {
            #[inline]
            fn deviations(&self) -> &[#rt::Deviation] {
                &self._deviations
            }

            #[inline]
            fn set_deviations(&mut self, deviations: Vec<#rt::Deviation>) {
                self._deviations = deviations;
            }
        }

        #codes

        #paginated

        #client_method
    }
}

/// The fluent builder's `into_paginator`: the paginator owns the position and
/// size members, so those left unset start at the first page and the largest
/// documented page size before the request is built.
fn into_paginator(
    a: &Action,
    p: &crate::spec::Pagination,
    paths: &Paths,
    request: &proc_macro2::Ident,
    built: &TokenStream,
) -> TokenStream {
    use crate::spec::PageStyle;
    let rt = &paths.rt;
    let member = |name: &str| {
        a.input
            .iter()
            .find(|f| f.wire == name)
            .map(|f| field_ident(&f.rust))
    };
    let max = proc_macro2::Literal::u64_unsuffixed(p.max_size);
    let size = member(&p.size).map(|id| {
        quote! {
            if self.inner.#id.is_none() {
                self.inner.#id = Some(#max);
            }
        }
    });
    let position = match p.style {
        PageStyle::Cursor => None,
        PageStyle::PageNumber | PageStyle::Offset => member(&p.page).map(|id| {
            let first = proc_macro2::Literal::u64_unsuffixed(match p.style {
                PageStyle::PageNumber => p.first_page,
                _ => 0,
            });
            quote! {
                if self.inner.#id.is_none() {
                    self.inner.#id = Some(#first);
                }
            }
        }),
    };
    let why = match &p.max_size_source {
        Some(source) => source.clone(),
        None => "The documented maximum.".to_owned(),
    };
    let doc = docs::outer(&format!(
        "Pages through the results lazily (`.pages()`, `.items()` or `.collect_items(max)`). \
         Starts at the first page with pages of {} items unless `{}`/`{}` are set here or \
         on the paginator.\n\nPage size {}: {why}",
        p.max_size, p.page, p.size, p.max_size
    ));
    quote! {
        #doc
        #[inline]
        pub fn into_paginator(mut self) -> #rt::Paginator<#request> {
            #size
            #position
            #rt::Paginator::new(self.client, #built).options(self.options)
        }
    }
}

/// `impl Paginated` from the spec's pagination data.
fn paginated_impl(
    model: &Model,
    a: &Action,
    p: &crate::spec::Pagination,
    paths: &Paths,
    request: &proc_macro2::Ident,
) -> TokenStream {
    use crate::spec::PageStyle;
    let rt = &paths.rt;
    let types = &paths.types;
    let input = |name: &str| a.input.iter().find(|f| f.wire == name);
    let output = |name: &str| a.output.iter().find(|f| f.wire == name);
    let (Some(page), Some(size), Some(items)) = (input(&p.page), input(&p.size), output(&p.items))
    else {
        return quote!();
    };
    let TypeRef::List(item_ty) = &items.ty else {
        return quote!();
    };
    let item = rust_type(item_ty, Some(types));
    let max = proc_macro2::Literal::u64_unsuffixed(p.max_size);
    let first_page = super::waiter::first_page_const(p);
    let style = match p.style {
        PageStyle::PageNumber => quote!(#rt::PageStyle::PageNumber),
        PageStyle::Offset => quote!(#rt::PageStyle::Offset),
        PageStyle::Cursor => quote!(#rt::PageStyle::Cursor),
    };
    // Reading an integer member as u64 and writing a u64 into it; `u64` members
    // need no conversion, `i64` ones saturate.
    let read = |f: &Field| {
        let id = field_ident(&f.rust);
        match (f.presence, &f.ty) {
            (Presence::Required, TypeRef::Uint64) => quote!(Some(self.#id)),
            (Presence::Required, _) => quote!(u64::try_from(self.#id).ok()),
            (_, TypeRef::Uint64) => quote!(self.#id),
            _ => quote!(self.#id.and_then(|v| u64::try_from(v).ok())),
        }
    };
    let write = |f: &Field| {
        let id = field_ident(&f.rust);
        let value = match &f.ty {
            TypeRef::Uint64 => quote!(value),
            _ => quote!(i64::try_from(value).unwrap_or(i64::MAX)),
        };
        match f.presence {
            Presence::Required => quote!(self.#id = #value;),
            _ => quote!(self.#id = Some(#value);),
        }
    };
    let size_read = read(size);
    let size_write = write(size);
    let (position_read, position_write, cursor_write) = match p.style {
        PageStyle::Cursor => {
            let id = field_ident(&page.rust);
            let set = match page.presence {
                Presence::Required => quote!(self.#id = cursor;),
                _ => quote!(self.#id = Some(cursor);),
            };
            (quote!(None), quote!(let _ = value;), set)
        }
        _ => (read(page), write(page), quote!(let _ = cursor;)),
    };
    let items_id = field_ident(&items.rust);
    let (items_ref, items_owned) = match items.presence {
        Presence::Required => (quote!(&response.#items_id), quote!(response.#items_id)),
        _ => (
            quote!(response.#items_id.as_deref().unwrap_or(&[])),
            quote!(response.#items_id.unwrap_or_default()),
        ),
    };
    let total = match p.total.as_deref().and_then(output) {
        Some(t) => {
            let id = field_ident(&t.rust);
            match (t.presence, &t.ty) {
                (Presence::Required, TypeRef::Uint64) => quote!(Some(response.#id)),
                (Presence::Required, _) => quote!(u64::try_from(response.#id).ok()),
                (_, TypeRef::Uint64) => quote!(response.#id),
                _ => quote!(response.#id.and_then(|v| u64::try_from(v).ok())),
            }
        }
        None => quote! {
            let _ = response;
            None
        },
    };
    let cursor_of = match (&p.item_cursor, item_ty.named()) {
        (Some(name), Some(type_name)) => {
            let member = model
                .objects
                .iter()
                .find(|o| o.name == type_name)
                .and_then(|o| o.fields.iter().find(|f| &f.wire == name));
            match member {
                Some(f) => {
                    let id = field_ident(&f.rust);
                    match f.presence {
                        Presence::Required => quote!(Some(item.#id.to_string())),
                        _ => quote!(item.#id.as_ref().map(|c| c.to_string())),
                    }
                }
                None => quote!(None),
            }
        }
        _ => quote!(None),
    };
    quote! {
        impl #rt::Paginated for #request {
            type Item = #item;
            const STYLE: #rt::PageStyle = #style;
            const MAX_PAGE_SIZE: u64 = #max;
            #first_page

            #[inline]
            fn page_size(&self) -> Option<u64> {
                #size_read
            }

            #[inline]
            fn set_page_size(&mut self, value: u64) {
                #size_write
            }

            #[inline]
            fn position(&self) -> Option<u64> {
                #position_read
            }

            #[inline]
            fn set_position(&mut self, value: u64) {
                #position_write
            }

            #[inline]
            fn set_cursor(&mut self, cursor: String) {
                #cursor_write
            }

            #[inline]
            fn items(response: &Self::Response) -> &[Self::Item] {
                #items_ref
            }

            #[inline]
            fn into_items(response: Self::Response) -> Vec<Self::Item> {
                #items_owned
            }

            #[inline]
            fn total(response: &Self::Response) -> Option<u64> {
                #total
            }

            #[inline]
            fn cursor_of(item: &Self::Item) -> Option<String> {
                let _ = item;
                #cursor_of
            }
        }
    }
}

/// The builder of a response. A response is what a server answered, so any
/// combination of members is a possible value: `build` returns it directly,
/// with the members left unset at their defaults (optional ones `None`) and no
/// deviations recorded. A canned answer in a unit test then sets only what the
/// code under test reads.
fn response_builder(a: &Action, response: &proc_macro2::Ident, paths: &Paths) -> TokenStream {
    let builder = format_ident!("{}Builder", response);
    let fields = with_request_id(&a.output);
    let build_fields = fields.iter().map(|f| {
        let ident = field_ident(&f.rust);
        match f.presence {
            Presence::Required => quote! { #ident: self.#ident.unwrap_or_default(), },
            Presence::Optional | Presence::Nullable => quote! { #ident: self.#ident, },
        }
    });
    builder_type(
        BuilderSpec {
            doc: format!(
                "Builds a [`{response}`] member by member, for tests and replays: members \
                 left unset read as their defaults, as a lenient decoder reads them."
            ),
            name: &builder,
            fields: &fields,
            checks_required: false,
            build: quote! {
                /// The response; unset members hold their defaults.
                #[inline]
                pub fn build(self) -> #response {
                    #response {
                        #(#build_fields)*
                        _deviations: Vec::new(),
                    }
                }
            },
            gate: serde::answer_builder_gate(paths),
            setters: None,
            rt: &paths.rt,
        },
        Some(&paths.types),
    )
}

/// A response's members: the action's output and `RequestId`.
fn with_request_id(output: &[Field]) -> Vec<Field> {
    let mut fields = output.to_vec();
    fields.push(Field {
        wire: "RequestId".into(),
        rust: "request_id".into(),
        ty: TypeRef::String,
        presence: Presence::Required,
        doc: "Id the service gave this request.".into(),
        example: None,
        boxed: false,
        sensitive: false,
        shape: None,
        deprecated: None,
        china_only: false,
    });
    fields
}
