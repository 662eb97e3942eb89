//! Structs, enums and error-code enums.

use super::docs;
use super::Paths;
use crate::model::{Enum, Field, Model, Object, Presence, VariantValue};
use crate::names::{is_keyword, pascal_case};
use crate::spec::{Repr, TypeRef};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

/// The Rust type of `ty`; named types are qualified with `types` unless the code
/// sits in the types module itself. Text is `String` and lists are `Vec`: std
/// types at the edge, so no crate of ours or theirs is part of a user's types.
pub(crate) fn rust_type(ty: &TypeRef, types: Option<&TokenStream>) -> TokenStream {
    match ty {
        TypeRef::String | TypeRef::Text(_) => quote!(String),
        TypeRef::Int64 => quote!(i64),
        TypeRef::Uint64 => quote!(u64),
        TypeRef::Float => quote!(f64),
        TypeRef::Bool => quote!(bool),
        TypeRef::Named(n) => {
            let n = format_ident!("{}", n);
            match types {
                Some(path) => quote!(#path::#n),
                None => quote!(#n),
            }
        }
        TypeRef::List(inner) => {
            let inner = rust_type(inner, types);
            quote!(Vec<#inner>)
        }
    }
}

/// A field identifier; keywords become raw identifiers (`r#type`).
pub(crate) fn field_ident(name: &str) -> Ident {
    if is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// `#[deprecated(note = ..)]` for what the docs deprecate, else nothing.
/// Generated modules that use such items allow the lint for themselves
/// ([`allow_deprecated`]); users get the warning.
pub(crate) fn deprecated(note: Option<&str>) -> TokenStream {
    match note {
        Some(note) => quote!(#[deprecated(note = #note)]),
        None => quote!(),
    }
}

/// `#![allow(deprecated)]` for a generated module that uses what the docs
/// deprecate, when `any` is true.
pub(crate) fn allow_deprecated(any: bool) -> TokenStream {
    if any {
        quote!(#![allow(deprecated)])
    } else {
        quote!()
    }
}

/// The field's Rust type with its `Option` when it may be absent or null.
pub(crate) fn field_type(f: &Field, types: Option<&TokenStream>) -> TokenStream {
    let ty = stored_type(f, types);
    match f.presence {
        Presence::Required => ty,
        Presence::Optional | Presence::Nullable => quote!(Option<#ty>),
    }
}

/// The field's Rust type without its `Option`: the declared type, in a `Box`
/// when the field is boxed.
pub(crate) fn stored_type(f: &Field, types: Option<&TokenStream>) -> TokenStream {
    let ty = rust_type(&f.declared(), types);
    if f.boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

/// How a struct's members are read from JSON.
#[derive(Clone, Copy)]
pub(crate) enum Decoding {
    /// A request: what the caller sends; a promised member that is missing is
    /// an error.
    Strict,
    /// An answer, or a type that may sit in one: a promised member that is
    /// missing or null reads as its default and is counted (see the runtime's
    /// `deviation` module).
    Tolerant,
}

/// `pub name: Type` with its doc.
pub(crate) fn struct_field(f: &Field, types: Option<&TokenStream>) -> TokenStream {
    let doc = docs::outer(&docs::with_example(&docs::field_doc(f), f.example.as_ref()));
    let ident = field_ident(&f.rust);
    let ty = field_type(f, types);
    let deprecated = deprecated(f.deprecated.as_deref());
    quote! {
        #doc
        #deprecated
        pub #ident: #ty,
    }
}

/// The `types` module: every object and enum.
/// One file of the `types` module: its path below the module, the spec file
/// it comes from, and its tokens.
pub(crate) struct TypeFile {
    pub path: String,
    pub source: String,
    pub tokens: TokenStream,
}

/// The `types` module as files a reader can navigate: `types/mod.rs` with the
/// scalar shapes and a re-export of every type, and one file per object or
/// enum, named after it (`types/tel_cdr_info.rs`). Paths stay
/// `types::TelCdrInfo`.
pub(crate) fn types_files(model: &Model, paths: &Paths) -> Vec<TypeFile> {
    let mut taken = std::collections::BTreeSet::new();
    let mut files = Vec::new();
    let mut modules = Vec::new();
    let items = model
        .objects
        .iter()
        .map(|o| {
            (
                &o.name,
                &o.file,
                object(o, paths),
                o.fields.iter().any(|f| f.deprecated.is_some()),
            )
        })
        .chain(
            model
                .enums
                .iter()
                .map(|e| (&e.name, &e.file, enum_type(e, paths), false)),
        );
    for (name, file, tokens, any_deprecated) in items {
        // Two names may make the same snake case (`AICall`, `AiCall`).
        let base = crate::names::snake_case(name);
        let mut module = base.clone();
        let mut n = 2;
        while !taken.insert(module.clone()) {
            module = format!("{base}_{n}");
            n += 1;
        }
        if matches!(module.as_str(), "self" | "super" | "crate") {
            module.push('_');
        }
        let ident = field_ident(&module);
        let allow = allow_deprecated(any_deprecated);
        let doc = docs::inner(&format!("`{name}`, with its builder and serde impls."));
        files.push(TypeFile {
            path: format!("types/{module}.rs"),
            source: file.clone(),
            tokens: quote! {
                #doc
                #allow
                #[allow(unused_imports)]
                use super::*;
                #tokens
            },
        });
        modules.push(quote! {
            mod #ident;
            pub use #ident::*;
        });
    }
    files.insert(
        0,
        TypeFile {
            path: "types/mod.rs".into(),
            source: format!("{}/types", model.root),
            tokens: types_module(model, &modules),
        },
    );
    files
}

fn types_module(model: &Model, modules: &[TokenStream]) -> TokenStream {
    let scalars = model.scalars.iter().map(|s| {
        let doc = docs::outer(&s.doc);
        let name = format_ident!("{}", s.name);
        let ty = rust_type(&s.ty, None);
        quote! {
            #doc
            pub type #name = #ty;
        }
    });
    quote! {
        //! Data types shared by the actions' requests and responses, one file
        //! per type.
        #(#scalars)*
        #(#modules)*
    }
}

fn object(o: &Object, paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    let doc = docs::outer(&o.doc);
    let name = format_ident!("{}", o.name);
    let builder_name = format_ident!("{}Builder", o.name);
    // Shared types may sit in answers, so they read tolerantly; in requests
    // the emulator checks them strictly by counting what was filled in.
    let decoding = Decoding::Tolerant;
    let fields = o.fields.iter().map(|f| struct_field(f, None));
    let (derive, debug) = if has_sensitive(&o.fields) {
        (
            quote!(#[derive(Clone, Default, PartialEq)]),
            redacting_debug(&name, &o.fields, false, &[]),
        )
    } else {
        (
            quote!(#[derive(Debug, Clone, Default, PartialEq)]),
            quote!(),
        )
    };
    let serde = super::serde::impls(
        &name,
        &o.fields,
        None,
        decoding,
        paths.usage.directions(&o.name),
        None,
        paths,
    );
    let type_name = &o.name;
    let build_fields = o.fields.iter().map(|f| {
        let ident = field_ident(&f.rust);
        let wire = &f.wire;
        match f.presence {
            Presence::Required => quote! {
                #ident: self.#ident.ok_or_else(|| missing(#wire))?,
            },
            Presence::Optional | Presence::Nullable => quote! { #ident: self.#ident, },
        }
    });
    let builder_doc = format!(
        "Builds a [`{type_name}`] member by member; `build` names the first required member left unset."
    );
    let gate = if paths.usage.in_requests(&o.name) {
        quote!()
    } else {
        super::serde::answer_builder_gate(paths)
    };
    let build = if o.fields.iter().any(|f| f.presence == Presence::Required) {
        quote! {
            /// The value, or the first required member that is missing.
            #[inline]
            pub fn build(self) -> Result<#name, #rt::BuildError> {
                let missing = |member| #rt::BuildError::missing_in_type(#type_name, member);
                Ok(#name {
                    #(#build_fields)*
                })
            }
        }
    } else {
        quote! {
            /// The value: no member is required, so nothing can be missing.
            #[inline]
            pub fn build(self) -> #name {
                #name {
                    #(#build_fields)*
                }
            }
        }
    };
    let builder = builder_type(
        BuilderSpec {
            doc: builder_doc,
            name: &builder_name,
            fields: &o.fields,
            checks_required: true,
            build,
            gate: gate.clone(),
            setters: None,
            rt,
        },
        None,
    );
    // `#[non_exhaustive]`: a member the spec gains later must not break code
    // that builds this type, so it is built with its builder (or `Default`).
    quote! {
        #doc
        #derive
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #debug

        #serde

        impl #name {
            /// A builder with no member set.
            #gate
            #[inline]
            pub fn builder() -> #builder_name {
                #builder_name::default()
            }
        }

        #builder
    }
}

/// What differs between the builders of requests, shared types and responses.
pub(crate) struct BuilderSpec<'a> {
    /// The builder type's doc comment.
    pub doc: String,
    /// The builder type's name.
    pub name: &'a Ident,
    /// The members it sets.
    pub fields: &'a [Field],
    /// Whether `build` refuses a required member left unset (the setters' docs
    /// then say "Required").
    pub checks_required: bool,
    /// The finishing method.
    pub build: TokenStream,
    /// A `cfg` on every item of the builder, or nothing.
    pub gate: TokenStream,
    /// The setters: written out here (`None`), or the invocation of a macro
    /// that writes them (a request's, shared with its fluent builder).
    pub setters: Option<TokenStream>,
    /// The runtime's path.
    pub rt: &'a TokenStream,
}

/// A builder over `fields`: each member an `Option`, set by `name(value)`
/// (see [`setter`] for what it takes) or `set_name(Option<value>)`, with secrets
/// redacted from `Debug` as in the built type; `build` is the finishing method,
/// which differs between requests, shared types and responses.
pub(crate) fn builder_type(spec: BuilderSpec<'_>, types: Option<&TokenStream>) -> TokenStream {
    let BuilderSpec {
        doc,
        name: builder,
        fields,
        checks_required,
        build,
        gate,
        setters,
        rt,
    } = spec;
    let doc = docs::outer(&doc);
    let members = fields.iter().map(|f| {
        let ident = field_ident(&f.rust);
        let ty = stored_type(f, types);
        // Crate-visible: a waiter stores through the request builder it wraps.
        quote! { pub(crate) #ident: Option<#ty>, }
    });
    let setters = setters.unwrap_or_else(|| {
        let setters = self::setters(fields, types, checks_required, rt);
        let members = (!fields.is_empty()).then(|| {
            quote! {
                #[inline]
                fn members(&mut self) -> &mut Self {
                    self
                }
            }
        });
        quote!(#setters #members)
    });
    let (derive, debug) = if has_sensitive(fields) {
        (
            quote!(#[derive(Clone, Default)]),
            redacting_debug(builder, fields, true, &[]),
        )
    } else {
        (quote!(#[derive(Debug, Clone, Default)]), quote!())
    };
    let debug = (!debug.is_empty()).then(|| quote!(#gate #debug));
    quote! {
        #doc
        #derive
        #gate
        pub struct #builder {
            #(#members)*
        }

        #debug

        #gate
        impl #builder {
            #setters

            #build
        }
    }
}

/// What `name(value)` takes, and how the runtime's `setters!` stores it
/// (`value`, `text`, `boxed`, `list`, `text_list`): the one setter convention
/// (see [`setter`]), shared by every builder that sets a member.
pub(crate) fn setter_param(f: &Field, types: Option<&TokenStream>) -> (TokenStream, Ident) {
    let ty = rust_type(&f.declared(), types);
    let (param, kind) = match &f.ty {
        TypeRef::String | TypeRef::Text(_) => (quote!(impl Into<#ty>), "text"),
        TypeRef::List(inner) => {
            let item = match f.declared() {
                TypeRef::List(item) => rust_type(&item, types),
                other => rust_type(&other, types),
            };
            // Text items convert (`&str`, `String`); other items are the
            // element type itself, so `[1, 2]` infers its integer type from
            // the member instead of falling back to `i32`, and `vec![]` of
            // objects needs no annotation.
            match **inner {
                TypeRef::String | TypeRef::Text(_) => (
                    quote!(impl IntoIterator<Item = impl Into<#item>>),
                    "text_list",
                ),
                _ => (quote!(impl IntoIterator<Item = #item>), "list"),
            }
        }
        _ if f.boxed => (quote!(#ty), "boxed"),
        _ => (quote!(#ty), "value"),
    };
    (param, format_ident!("{kind}"))
}

/// The entry of the runtime's `setters!` for `name(value)` and
/// `set_name(Option<value>)`: the docs, the parameter and stored types.
///
/// One convention for every builder: text takes `impl Into<String>` (`&str`
/// and `String` alike); a list takes any `IntoIterator` (an array, a `Vec`, an
/// iterator) of its elements, text elements as anything `Into<String>`, and
/// replaces what was set before; `set_name` takes the stored value itself, or
/// `None` to clear it. The runtime macro writes the two methods.
pub(crate) fn setter(f: &Field, types: Option<&TokenStream>, checks_required: bool) -> TokenStream {
    let ident = field_ident(&f.rust);
    let set = format_ident!("set_{}", f.rust);
    let ty = rust_type(&f.declared(), types);
    let doc = docs::outer(&docs::with_example(&docs::field_doc(f), f.example.as_ref()));
    let required = if checks_required && f.presence == Presence::Required {
        " Required."
    } else {
        ""
    };
    let set_doc = format!("Sets or clears `{}`.{required}", f.wire);
    let (param, kind) = setter_param(f, types);
    let deprecated = f
        .deprecated
        .as_deref()
        .map(|note| quote!(, deprecated #note));
    quote! {
        #doc
        #kind #ident(#param), #set(#ty) = #set_doc #deprecated;
    }
}

/// The setters of a builder over `fields`: one `setters!` invocation, and
/// the `members()` it stores through (the builder itself).
pub(crate) fn setters(
    fields: &[Field],
    types: Option<&TokenStream>,
    checks_required: bool,
    rt: &TokenStream,
) -> TokenStream {
    if fields.is_empty() {
        return quote!();
    }
    let each = fields.iter().map(|f| setter(f, types, checks_required));
    quote! {
        #rt::setters! {
            #(#each)*
        }
    }
}

fn enum_type(e: &Enum, paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    let doc = docs::outer(&e.doc);
    let name = format_ident!("{}", e.name);
    // Text values are matched on the borrowed `str` (`Key`) and only an
    // unknown one is copied into a `String`.
    let (raw, key, read) = match e.repr {
        Repr::Uint64 => (quote!(u64), quote!(u64), quote!(deserialize)),
        Repr::Int64 => (quote!(i64), quote!(i64), quote!(deserialize)),
        Repr::String => (quote!(String), quote!(str), quote!(deserialize_text)),
    };
    let variants = e.variants.iter().map(|v| {
        let doc = docs::outer(&format!("{} (`{}`)", v.doc, value_text(&v.value)));
        let ident = format_ident!("{}", v.name);
        quote! { #doc #ident, }
    });
    let to_raw = e.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let lit = value_literal(&v.value);
        quote! { Self::#ident => #lit, }
    });
    let from_raw = e.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let lit = value_literal(&v.value);
        quote! { #lit => Some(Self::#ident), }
    });
    let (accessor, unknown_arm, match_on, serialize) = match e.repr {
        Repr::String => (
            quote! {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str
            },
            quote! { Self::Unknown(v) => v.value().as_str(), },
            quote! { raw },
            quote! { serializer.serialize_str(self.as_str()) },
        ),
        Repr::Uint64 => (
            quote! {
                /// The value as sent on the wire.
                pub fn value(&self) -> u64
            },
            quote! { Self::Unknown(v) => *v.value(), },
            quote! { *raw },
            quote! { serializer.serialize_u64(self.value()) },
        ),
        Repr::Int64 => (
            quote! {
                /// The value as sent on the wire.
                pub fn value(&self) -> i64
            },
            quote! { Self::Unknown(v) => *v.value(), },
            quote! { *raw },
            quote! { serializer.serialize_i64(self.value()) },
        ),
    };
    let directions = paths.usage.directions(&e.name);
    let serialize = super::serde::gated(
        directions.serialize,
        paths,
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    #serialize
                }
            }
        },
    );
    let deserialize = super::serde::gated(
        directions.deserialize,
        paths,
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #rt::enums::#read(deserializer)
                }
            }
        },
    );
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the spec does not document, kept as sent.
            Unknown(#rt::enums::UnknownValue<#raw>),
        }

        impl #name {
            #accessor {
                match self {
                    #(#to_raw)*
                    #unknown_arm
                }
            }
        }

        impl #rt::enums::WireEnum for #name {
            type Raw = #raw;
            type Key = #key;

            fn from_known(raw: &#key) -> Option<Self> {
                match #match_on {
                    #(#from_raw)*
                    _ => None,
                }
            }

            fn from_unknown(raw: #rt::enums::UnknownValue<#raw>) -> Self {
                Self::Unknown(raw)
            }
        }

        #serialize

        #deserialize

        /// `Unknown` holding the wire type's zero value: what a member the
        /// answer left out reads as (the response's `deviations()` names it).
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self::Unknown(#rt::enums::UnknownValue::absent())
            }
        }
    }
}

fn value_literal(v: &VariantValue) -> Literal {
    match v {
        VariantValue::Unsigned(n) => Literal::u64_unsuffixed(*n),
        VariantValue::Signed(n) => Literal::i64_unsuffixed(*n),
        VariantValue::Text(s) => Literal::string(s),
    }
}

fn value_text(v: &VariantValue) -> String {
    match v {
        VariantValue::Unsigned(n) => n.to_string(),
        VariantValue::Signed(n) => n.to_string(),
        VariantValue::Text(s) => format!("{s:?}"),
    }
}

/// The variants of an error-code enum over `codes`, as the runtime's
/// `error_code_enum!` takes them: `/// doc` then `Variant = "Code",`.
fn error_code_variants<'a>(
    model: &'a Model,
    codes: impl Iterator<Item = &'a str> + 'a,
) -> impl Iterator<Item = TokenStream> + 'a {
    codes.map(move |code| {
        let text = model.error(code).map(|e| e.doc.trim()).unwrap_or_default();
        let doc = docs::outer(&format!("`{code}`: {text}"));
        let ident = format_ident!("{}", pascal_case(code));
        quote! { #doc #ident = #code, }
    })
}

/// An action's error-code enum: the codes its docs list, then the common ones
/// (added by the crate's `action_error_code!`, so they are written once).
pub(crate) fn error_code_enum(
    model: &Model,
    name: &Ident,
    doc: &str,
    codes: &[String],
) -> TokenStream {
    let doc = docs::outer(doc);
    let own = codes
        .iter()
        .filter(|c| !model.error(c).is_some_and(|e| e.common))
        .map(String::as_str);
    let variants = error_code_variants(model, own);
    quote! {
        super::super::error_code::action_error_code! {
            #doc
            pub enum #name {
                #(#variants)*
            }
        }
    }
}

/// `error_code.rs`: every code of the service.
pub(crate) fn service_error_code(model: &Model, paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    let variants = error_code_variants(model, model.errors.iter().map(|e| e.code.as_str()));
    let common_variants: Vec<TokenStream> = error_code_variants(
        model,
        model
            .errors
            .iter()
            .filter(|e| e.common)
            .map(|e| e.code.as_str()),
    )
    .collect();
    let body = quote! {
        #rt::error_code_enum! {
            /// Every error code of the service, whatever the action; each action's
            /// error converts to an error with this code type.
            pub enum ErrorCode {
                #(#variants)*
            }
        }

        /// Declares an action's error-code enum: the codes listed, then the
        /// codes every Tencent Cloud API may return, so `RequestLimitExceeded`
        /// or `AuthFailure.SignatureExpire` match by name on any action.
        macro_rules! action_error_code {
            ($(#[$meta:meta])* $vis:vis enum $name:ident { $($own:tt)* }) => {
                #rt::error_code_enum! {
                    $(#[$meta])*
                    $vis enum $name {
                        $($own)*
                        #(#common_variants)*
                    }
                }
            };
        }
        pub(crate) use action_error_code;
    };
    let common: Vec<TokenStream> = model
        .errors
        .iter()
        .filter(|e| e.common)
        .map(|e| {
            let ident = format_ident!("{}", pascal_case(&e.code));
            quote!(Self::#ident)
        })
        .collect();
    let is_common = if common.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(#common)|*))
    };
    quote! {
        //! The service-wide error code.
        #body

        impl ErrorCode {
            /// Whether every Tencent Cloud API may return this code (authentication,
            /// rate limits, parameters), as opposed to one specific to this service.
            pub fn is_common(&self) -> bool {
                #is_common
            }
        }
    }
}

/// Whether any field is a secret, so the type needs a hand-written `Debug`.
pub(crate) fn has_sensitive(fields: &[Field]) -> bool {
    fields.iter().any(|f| f.sensitive)
}

/// A `Debug` impl showing `fields` (all `Option`s when `all_optional`, as in
/// builders) with secrets redacted, then the `plain` fields as they are.
pub(crate) fn redacting_debug(
    name: &Ident,
    fields: &[Field],
    all_optional: bool,
    plain: &[Ident],
) -> TokenStream {
    let title = name.to_string();
    let shown = fields.iter().map(|f| {
        let id = field_ident(&f.rust);
        let label = f.rust.clone();
        let optional = all_optional || f.presence != Presence::Required;
        match (f.sensitive, optional) {
            (false, _) => quote!(.field(#label, &self.#id)),
            (true, false) => quote!(.field(#label, &"** redacted **")),
            (true, true) => quote!(.field(#label, &self.#id.as_ref().map(|_| "** redacted **"))),
        }
    });
    let rest = plain.iter().map(|id| {
        let label = id.to_string();
        quote!(.field(#label, &self.#id))
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#title)
                    #(#shown)*
                    #(#rest)*
                    .finish()
            }
        }
    }
}
