//! Turning the [`Model`] into Rust source files.
//!
//! Layout of the output directory (relative paths):
//! - `mod.rs`: service constants, `Site`, and the module tree;
//! - `error_code.rs`: the service-wide `ErrorCode`;
//! - `types.rs`: every object and enum type;
//! - `operation/mod.rs` and `operation/<action>.rs`: per action its request,
//!   builders, response, error codes and (inside `ccc-api`) its `Client` method.

mod action;
mod docs;
mod serde;
mod table;
mod types;

use crate::model::Model;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Where generated code finds the runtime and its sibling modules.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path of the runtime crate: `crate` inside `ccc-api`, `::ccc_api` elsewhere.
    pub runtime: String,
    /// Path of the generated `types` module.
    pub types_path: String,
    /// Path of the generated module root (for `ErrorCode`).
    pub root_path: String,
    /// Whether the code lands inside the runtime crate: only then can it add
    /// methods to `Client` and `From` conversions between runtime types.
    pub in_runtime_crate: bool,
    /// Whether the service gets a client type of its own (`Client` in its module
    /// root, wrapping the runtime's) to carry its action methods; otherwise they
    /// go on the runtime's `Client`, which is the crate's primary service's.
    pub service_client: bool,
}

impl Options {
    /// For `ccc-api/src/generated`, re-exported at the crate root.
    pub fn ccc_api() -> Self {
        Options {
            runtime: "crate".into(),
            types_path: "crate::types".into(),
            root_path: "crate".into(),
            in_runtime_crate: true,
            service_client: false,
        }
    }

    /// For another service inside `ccc-api`, generated as the module `module`
    /// (`crate::sts`) with its own `Client`.
    pub fn runtime_module(module: &str) -> Self {
        Options {
            runtime: "crate".into(),
            types_path: format!("{module}::types"),
            root_path: module.into(),
            in_runtime_crate: true,
            service_client: true,
        }
    }

    /// For a crate depending on `ccc_api`, with the output at `module` (`crate::fixture`).
    pub fn external(module: &str) -> Self {
        Options {
            runtime: "::ccc_api".into(),
            types_path: format!("{module}::types"),
            root_path: module.into(),
            in_runtime_crate: false,
            service_client: false,
        }
    }
}

/// Resolved paths, as tokens.
pub(crate) struct Paths {
    pub rt: TokenStream,
    pub types: TokenStream,
    pub root: TokenStream,
    pub in_runtime_crate: bool,
    pub service_client: bool,
    /// Which types requests and responses reach.
    pub usage: serde::Usage,
}

fn path_tokens(text: &str) -> Result<TokenStream, String> {
    syn::parse_str::<syn::Path>(text)
        .map(|p| quote!(#p))
        .map_err(|e| format!("`{text}` is not a Rust path: {e}"))
}

/// A generated file before formatting.
pub(crate) struct Unformatted {
    pub path: String,
    pub source: String,
    pub tokens: TokenStream,
}

/// Emits every file of `model`.
pub(crate) fn emit(model: &Model, options: &Options) -> Result<Vec<Unformatted>, String> {
    let paths = Paths {
        rt: path_tokens(&options.runtime)?,
        types: path_tokens(&options.types_path)?,
        root: path_tokens(&options.root_path)?,
        in_runtime_crate: options.in_runtime_crate,
        service_client: options.service_client && options.in_runtime_crate,
        usage: serde::Usage::of(model),
    };
    let mut files = vec![
        Unformatted {
            path: "mod.rs".into(),
            source: model.root.clone(),
            tokens: root_module(model, &paths),
        },
        Unformatted {
            path: "error_code.rs".into(),
            source: format!("{}/{}", model.root, model.service_file),
            tokens: types::service_error_code(model, &paths),
        },
        Unformatted {
            path: "types.rs".into(),
            source: format!("{}/types", model.root),
            tokens: types::types_module(model, &paths),
        },
        Unformatted {
            path: "operation/mod.rs".into(),
            source: format!("{}/actions", model.root),
            tokens: operation_module(model, &paths),
        },
    ];
    for a in &model.actions {
        files.push(Unformatted {
            path: format!("operation/{}.rs", a.snake),
            source: a.file.clone(),
            tokens: action::action_module(model, a, &paths),
        });
    }
    Ok(files)
}

/// The spec-table file (see `table.rs`).
pub(crate) fn emit_table(model: &Model) -> Vec<Unformatted> {
    vec![Unformatted {
        path: "spec_table.rs".into(),
        source: model.root.clone(),
        tokens: table::table_module(model),
    }]
}

fn root_module(model: &Model, paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    let module_doc = docs::inner(&format!(
        "Generated from the spec of {} (`{}` {}).",
        model.title, model.service, model.version
    ));
    let service = &model.service;
    let version = &model.version;
    let variants = model.endpoints.iter().map(|e| {
        let doc = docs::outer(&format!("{}\n\nHost: `{}`.", e.doc.trim(), e.host));
        let name = format_ident!("{}", e.name);
        let default = e.default.then(|| quote!(#[default]));
        quote! { #doc #default #name, }
    });
    let hosts = model.endpoints.iter().map(|e| {
        let name = format_ident!("{}", e.name);
        let host = &e.host;
        quote! { Site::#name => #host, }
    });
    let site_names = model.endpoints.iter().map(|e| {
        let name = format_ident!("{}", e.name);
        let text = &e.name;
        quote! { Site::#name => #text, }
    });
    let endpoints = model.endpoints.iter().map(|e| {
        let (name, host, default) = (&e.name, &e.host, e.default);
        match &e.regional_host {
            Some(pattern) => {
                quote! { #rt::Endpoint::new(#name, #host, #default).with_regional_host(#pattern) }
            }
            None => quote! { #rt::Endpoint::new(#name, #host, #default) },
        }
    });
    let actions = model.actions.iter().map(|a| {
        let name = &a.name;
        let rate_limit = match a.rate_limit {
            Some(n) => {
                let n = proc_macro2::Literal::u32_unsuffixed(n);
                quote!(Some(#n))
            }
            None => quote!(None),
        };
        let idempotent = a.idempotent;
        quote! { #rt::ActionInfo::new(#name, #rate_limit, #idempotent) }
    });
    let mut sensitive: Vec<&str> = model
        .actions
        .iter()
        .flat_map(|a| a.input.iter().chain(&a.output))
        .chain(model.objects.iter().flat_map(|o| &o.fields))
        .filter(|f| f.sensitive)
        .map(|f| f.wire.as_str())
        .collect();
    sensitive.sort_unstable();
    sensitive.dedup();
    let client = paths.service_client.then(|| service_client(model, paths));
    // One blanket conversion rather than one impl per action: coherence
    // compares every pair of impls with the same self type.
    let conversion = paths.in_runtime_crate.then(|| {
        quote! {
            /// The error codes of this service's actions: an error with any of
            /// them converts into one with the service-wide [`ErrorCode`], so
            /// `?` works across actions.
            pub trait ActionErrorCode: #rt::enums::WireEnum<Raw = String> {}

            impl<C: ActionErrorCode> From<#rt::SdkError<C>> for #rt::SdkError<ErrorCode> {
                #[inline]
                fn from(error: #rt::SdkError<C>) -> Self {
                    error.map_code()
                }
            }
        }
    });
    quote! {
        #module_doc
        pub mod operation;
        pub mod types;
        mod error_code;
        pub use error_code::ErrorCode;

        /// Service name, as used in the credential scope of signatures.
        pub const SERVICE: &str = #service;
        /// API version, sent as `X-TC-Version`.
        pub const VERSION: &str = #version;

        /// Wire names of the members the spec marks sensitive, sorted: their
        /// values are redacted wherever an answer's body is kept.
        pub const SENSITIVE_MEMBERS: &[&str] = &[#(#sensitive),*];

        /// The service as the runtime sees it: name, version, endpoints, and
        /// the facts about each action that untyped calls look up.
        pub static SERVICE_DESCRIPTION: #rt::Service = #rt::Service::new(
            SERVICE,
            VERSION,
            SERVICE,
            &[#(#endpoints),*],
            &[#(#actions),*],
            SENSITIVE_MEMBERS,
        );

        /// A public site of the service, each with its own endpoint.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[non_exhaustive]
        pub enum Site {
            #(#variants)*
        }

        impl Site {
            /// The endpoint's host name.
            pub fn host(self) -> &'static str {
                match self {
                    #(#hosts)*
                }
            }
        }

        impl #rt::PublicSite for Site {
            fn site_name(self) -> &'static str {
                match self {
                    #(#site_names)*
                }
            }
        }

        #conversion

        #client
    }
}

/// The service's own client type: the runtime's client set to this service,
/// carrying one method per action (added by each action's module).
fn service_client(model: &Model, paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    let doc = docs::outer(&format!(
        "A client of {} (`{}` {}): one method per action, over the runtime every \
         client of this crate shares (signing, retries, deadlines, size limits, \
         redaction, tracing). Cheap to clone.",
        model.title, model.service, model.version
    ));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct Client(#rt::Client);

        impl Client {
            /// A client configured by `builder` (credentials, site or endpoint
            /// URL, timeouts, retries, ...), sending to this service.
            pub fn from_builder(builder: #rt::ClientBuilder) -> Result<Client, #rt::ConfigError> {
                builder.service(&SERVICE_DESCRIPTION).build().map(Client)
            }

            /// The runtime client underneath, for `execute` and untyped `call`s.
            pub fn core(&self) -> &#rt::Client {
                &self.0
            }
        }
    }
}

fn operation_module(model: &Model, paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    let mods = model.actions.iter().map(|a| {
        let doc = docs::outer(&format!("`{}`: {}", a.name, a.summary));
        let name = format_ident!("{}", a.snake);
        quote! { #doc pub mod #name; }
    });
    let names = model.actions.iter().map(|a| &a.name);
    let arms = model.actions.iter().map(|a| {
        let name = &a.name;
        let module = format_ident!("{}", a.snake);
        let request = format_ident!("{}Request", a.name);
        quote! { #name => Some(visitor.visit::<#module::#request>()), }
    });
    quote! {
        //! One module per action: request, builders, response and error codes.
        #(#mods)*

        /// The wire name of every action, sorted.
        pub const ACTIONS: &[&str] = &[#(#names),*];

        /// Runs `visitor` with the request type of the action named `action`;
        /// `None` for a name that is not an action of the spec.
        pub fn visit<V: #rt::ActionVisitor>(action: &str, visitor: V) -> Option<V::Output> {
            match action {
                #(#arms)*
                _ => None,
            }
        }
    }
}
