//! Turning the [`Model`] into Rust source files.
//!
//! Layout of the output directory (relative paths):
//! - `mod.rs`: service constants, `Site`, and the module tree;
//! - `error_code.rs`: the service-wide `ErrorCode`;
//! - `types/mod.rs`: the scalar shapes and a re-export of every type, and
//!   `types/<name>.rs` per object or enum type;
//! - `waiters.rs` (when the spec declares waiters): a builder per waiter and
//!   the client's `wait_until_*` methods;
//! - `operation/mod.rs` and `operation/<action>.rs`: per action its request,
//!   builders, response, error codes and (inside `ccc-api`) its `Client` method.

mod action;
mod docs;
mod serde;
mod table;
mod types;
mod waiter;

use crate::model::Model;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Where generated code finds the runtime and its sibling modules.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path of the runtime crate: `::tencent_cloud_runtime` in a service
    /// crate, `::ccc_api::runtime` for code beside a crate that depends on
    /// `ccc-api` only.
    pub runtime: String,
    /// Path of the generated `types` module.
    pub types_path: String,
    /// Path of the generated module root (its `Client`, `Error`, `ErrorCode`).
    pub root_path: String,
    /// Whether the crate the code lands in has the `serde-roundtrip` and
    /// `test-util` features: then the impls a client does not need, and
    /// `Client::mocked`, sit behind them. Otherwise every impl is emitted
    /// and `mocked` is too (the crate must enable the runtime's `test-util`).
    pub feature_gates: bool,
    /// Path of `tencent-cloud-config`, whose default credentials chain (with
    /// the sources that assume roles) the client takes when given none;
    /// `None`: the runtime's own chain.
    pub config: Option<String>,
    /// The code is the whole crate: its root module is `src/lib.rs`, with the
    /// crate's docs, attributes and re-exports of the runtime, and every
    /// other file sits under `src/`.
    pub crate_root: Option<CrateRoot>,
}

/// What the root file of a wholly generated crate says about the crate.
#[derive(Debug, Clone)]
pub struct CrateRoot {
    /// Package name (`tencent-cloud-sts`).
    pub package: String,
}

impl Options {
    /// For the generated module of a crate whose `lib.rs` is written by hand
    /// and re-exports it at the crate root (`ccc-api/src/generated`).
    pub fn module_of_crate(config: bool) -> Self {
        Options {
            runtime: "::tencent_cloud_runtime".into(),
            types_path: "crate::types".into(),
            root_path: "crate".into(),
            feature_gates: true,
            config: config.then(|| "::tencent_cloud_config".into()),
            crate_root: None,
        }
    }

    /// For a wholly generated crate named `package`.
    pub fn whole_crate(package: &str, config: bool) -> Self {
        Options {
            crate_root: Some(CrateRoot {
                package: package.into(),
            }),
            ..Options::module_of_crate(config)
        }
    }

    /// For a crate depending on `ccc_api` (with its `test-util` feature), with
    /// the output at `module` (`crate::fixture`).
    pub fn external(module: &str) -> Self {
        Options {
            runtime: "::ccc_api::runtime".into(),
            types_path: format!("{module}::types"),
            root_path: module.into(),
            feature_gates: false,
            config: None,
            crate_root: None,
        }
    }
}

/// Resolved paths, as tokens.
pub(crate) struct Paths {
    pub rt: TokenStream,
    pub types: TokenStream,
    pub root: TokenStream,
    pub feature_gates: bool,
    /// Whether the root is a module of its own (with its own docs), not the
    /// crate root.
    pub root_is_module: bool,
    /// Path of `tencent-cloud-config`, if the client takes its chain.
    pub config: Option<TokenStream>,
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
        feature_gates: options.feature_gates,
        root_is_module: options.crate_root.is_none(),
        config: options.config.as_deref().map(path_tokens).transpose()?,
        usage: serde::Usage::of(model),
    };
    let mut files = vec![
        Unformatted {
            path: "mod.rs".into(),
            source: model.root.clone(),
            tokens: match &options.crate_root {
                Some(krate) => crate_root(model, &paths, krate),
                None => root_module(model, &paths),
            },
        },
        Unformatted {
            path: "error_code.rs".into(),
            source: format!("{}/{}", model.root, model.service_file),
            tokens: types::service_error_code(model, &paths),
        },
        Unformatted {
            path: "operation/mod.rs".into(),
            source: format!("{}/actions", model.root),
            tokens: operation_module(model, &paths),
        },
    ];
    files.extend(
        types::types_files(model, &paths)
            .into_iter()
            .map(|f| Unformatted {
                path: f.path,
                source: f.source,
                tokens: f.tokens,
            }),
    );
    if !model.waiters.is_empty() {
        files.push(Unformatted {
            path: "waiters.rs".into(),
            source: format!("{}/{}", model.root, model.service_file),
            tokens: waiter::waiters_module(model, &paths),
        });
    }
    for a in &model.actions {
        files.push(Unformatted {
            path: format!("operation/{}.rs", a.snake),
            source: a.file.clone(),
            tokens: action::action_module(model, a, &paths),
        });
    }
    if options.crate_root.is_some() {
        for f in &mut files {
            f.path = match f.path.as_str() {
                "mod.rs" => "src/lib.rs".into(),
                other => format!("src/{other}"),
            };
        }
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

/// The root file of a wholly generated crate: the crate's docs and
/// attributes, the runtime items users meet re-exported (so a user needs no
/// dependency on the runtime of their own), then the root module.
fn crate_root(model: &Model, paths: &Paths, krate: &CrateRoot) -> TokenStream {
    let rt = &paths.rt;
    let doc = docs::inner(&format!(
        "Typed async client for {} (service `{}`, API version `{}`), generated \
         from its spec by `cargo xtask codegen` into the crate `{}`.\n\n{}\n\n\
         - [`Client`]: one method per action; [`Client::from_env`] takes the \
         default credentials chain.\n\
         - [`operation`]: one module per action (request, builder, response, \
         error codes); [`types`]: the data types the actions share.\n\
         - [`Error`]: the error of any action, with the service-wide \
         [`ErrorCode`].\n\
         - [`runtime`]: what every Tencent Cloud service crate shares \
         (signing, credentials, retries, hooks, the mock with the `test-util` \
         feature).",
        model.title,
        model.service,
        model.version,
        krate.package,
        model.doc.trim()
    ));
    // Upstream's text is used as it is: rustdoc's and clippy's lints about
    // its links, markup and list layout are not ours to fix (`unknown_lints`:
    // an older clippy may not know every name).
    let lints = match model.docs {
        crate::spec::DocSource::Ours => quote!(#![deny(missing_docs)]),
        crate::spec::DocSource::Upstream => quote! {
            #![deny(missing_docs)]
            #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags, rustdoc::invalid_rust_codeblocks)]
            #![allow(unknown_lints, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::doc_nested_refdefs, clippy::empty_docs, clippy::tabs_in_doc_comments, clippy::too_long_first_doc_paragraph, clippy::doc_markdown)]
        },
    };
    let root = root_module(model, paths);
    quote! {
        #doc
        #lints
        #![allow(clippy::should_implement_trait)]
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #![forbid(unsafe_code)]

        /// The runtime every generated Tencent Cloud client stands on.
        pub use #rt as runtime;
        #[cfg(feature = "test-util")]
        pub use #rt::mock;
        pub use #rt::{
            credentials, Credentials, ProvideCredentials, RequestOptions, RetryConfig, RateLimit,
            SdkError, ServiceError, BuildError, ConfigError, CredentialsError, DecodeError,
            TransportError, Paginator, Pages, Items, ActionResponse, Deviation, Language,
            WaitOutcome, WaitSettings, WaitState,
        };

        #root
    }
}

fn root_module(model: &Model, paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    // Setters are named after wire members, which may be `Add`, `Next` or
    // `Default`: a builder's `add(value)` is no `std::ops::Add::add`.
    let module_doc = paths.root_is_module.then(|| {
        let doc = docs::inner(&format!(
            "Generated from the spec of {} (`{}` {}).",
            model.title, model.service, model.version
        ));
        quote! {
            #doc
            #![allow(clippy::should_implement_trait)]
        }
    });
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
    let client = service_client(model, paths);
    let error = service_error(paths);
    let waiters = (!model.waiters.is_empty()).then(|| {
        quote!(
            pub mod waiters;
        )
    });
    quote! {
        #module_doc
        pub mod operation;
        pub mod types;
        #waiters
        mod error_code;
        pub use error_code::ErrorCode;

        /// Service name, as used in the credential scope of signatures.
        pub const SERVICE: &str = #service;
        /// API version, sent as `X-TC-Version`.
        pub const VERSION: &str = #version;

        /// Wire names of the members the spec marks sensitive, sorted: their
        /// values are redacted wherever an answer's body is kept.
        pub const SENSITIVE_MEMBERS: &[&str] = &[#(#sensitive),*];

        /// The service as the runtime sees it: name, version, endpoints, the
        /// facts about each action that untyped calls look up, and the crate
        /// that sends it (`User-Agent`).
        pub static SERVICE_DESCRIPTION: #rt::Service = #rt::Service::new(
            SERVICE,
            VERSION,
            SERVICE,
            &[#(#endpoints),*],
            &[#(#actions),*],
            SENSITIVE_MEMBERS,
        )
        // The crate the code is compiled in names itself in `User-Agent`.
        .with_client_name(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));

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

        #client

        #error
    }
}

/// The service's own client type: the runtime's client set to this service,
/// carrying one method per action (added by each action's module).
fn service_client(model: &Model, paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    let doc = docs::outer(&format!(
        "A client of {} (`{}` {}): one method per action, over the runtime's \
         client (signing, retries, deadlines, size limits, redaction, tracing), \
         which it derefs to for `execute` and untyped `call`s. Cheap to clone.",
        model.title, model.service, model.version
    ));
    let mocked_gate = paths
        .feature_gates
        .then(|| quote!(#[cfg(feature = "test-util")]));
    let default_credentials = paths.config.as_ref().map(|config| {
        quote! {
            /// The full default chain, with the sources that assume roles.
            fn default_credentials() -> ::std::sync::Arc<dyn #rt::ProvideCredentials> {
                ::std::sync::Arc::new(#config::default_chain())
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct Client(#rt::Client);

        /// Configures a [`Client`] of this service: credentials, site or
        /// endpoint URL, timeouts, retries, hooks.
        pub type ClientBuilder = #rt::ClientBuilder<Client>;

        impl Client {
            /// A builder with the defaults: the service's default site, the
            /// default credentials chain, no region, 60 s deadline, 3 attempts,
            /// the spec's rate limits.
            #[inline]
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// A client configured from the environment: the default
            /// credentials chain, and the region, endpoint URL and language
            /// from `TENCENTCLOUD_REGION`, `TENCENTCLOUD_ENDPOINT_URL_<SERVICE>`
            /// (or `TENCENTCLOUD_ENDPOINT_URL`) and `TENCENTCLOUD_LANGUAGE`
            /// when set; every other setting is the default. A wrong value is
            /// a `ConfigError` naming its variable. `ClientBuilder::from_env()`
            /// gives the builder, for settings in code to win over the
            /// environment's; `Client::builder().build()` reads no region,
            /// endpoint or language from it.
            pub fn from_env() -> Result<Client, #rt::ConfigError> {
                ClientBuilder::from_env().build()
            }

            /// A client answered by `mock`'s scripted rules, for unit tests:
            /// no network, fixed test credentials, no client-side rate limit,
            /// and retries without waits. For other settings, see
            /// [`Client::mocked_with`].
            #mocked_gate
            pub fn mocked(mock: &#rt::mock::Mock) -> Client {
                ClientBuilder::mocked(mock).expect(
                    "a service client's mock configuration is fixed, and its service description was validated when generated",
                )
            }

            /// A client answered by `mock`, with the settings of
            /// [`Client::mocked`] changed by `configure`
            /// (`|b| b.region("ap-guangzhou")`); fails only if those settings
            /// are wrong. Without credentials of `configure`'s it signs with
            /// the fixed test credentials, never the default chain.
            #mocked_gate
            pub fn mocked_with(
                mock: &#rt::mock::Mock,
                configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
            ) -> Result<Client, #rt::ConfigError> {
                ClientBuilder::mocked_with(mock, configure)
            }

            /// The runtime client underneath.
            #[inline]
            pub fn core(&self) -> &#rt::Client {
                &self.0
            }

            /// The runtime client underneath, by value.
            #[inline]
            pub fn into_core(self) -> #rt::Client {
                self.0
            }
        }

        impl ::std::ops::Deref for Client {
            type Target = #rt::Client;
            #[inline]
            fn deref(&self) -> &#rt::Client {
                &self.0
            }
        }

        impl From<#rt::Client> for Client {
            /// Wraps a runtime client as it is, whatever service it was built for.
            #[inline]
            fn from(client: #rt::Client) -> Self {
                Client(client)
            }
        }

        impl #rt::ServiceClient for Client {
            fn default_service() -> Option<&'static #rt::Service> {
                Some(&SERVICE_DESCRIPTION)
            }

            #default_credentials
        }
    }
}

/// The service-wide error and the conversions that let `?` cross actions. A
/// type of the service's own, because coherence forbids a `From` between two
/// instances of the runtime's `SdkError` outside the runtime crate.
fn service_error(paths: &Paths) -> TokenStream {
    let rt = &paths.rt;
    quote! {
        /// The error codes of this service's actions: an error with any of
        /// them converts into [`Error`], so `?` works across actions.
        pub trait ActionErrorCode: #rt::enums::WireEnum<Raw = String> {}

        /// The error of any action of this service, with the service-wide
        /// [`ErrorCode`]: every action's error, and an untyped call's, converts
        /// into it with `?`. It derefs to the runtime's error it wraps (its
        /// code, message, request id); [`Error::into_inner`] gives it by value
        /// to `match` on.
        pub struct Error(#rt::SdkError<ErrorCode>);

        impl Error {
            /// The runtime's error, to `match` on its kind.
            #[inline]
            pub fn into_inner(self) -> #rt::SdkError<ErrorCode> {
                self.0
            }
        }

        impl ::std::ops::Deref for Error {
            type Target = #rt::SdkError<ErrorCode>;
            #[inline]
            fn deref(&self) -> &#rt::SdkError<ErrorCode> {
                &self.0
            }
        }

        impl ::std::fmt::Debug for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::error::Error for Error {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                ::std::error::Error::source(&self.0)
            }
        }

        impl From<#rt::SdkError<ErrorCode>> for Error {
            #[inline]
            fn from(error: #rt::SdkError<ErrorCode>) -> Self {
                Error(error)
            }
        }

        // One blanket conversion rather than one impl per action: coherence
        // compares every pair of impls with the same self type.
        impl<C: ActionErrorCode> From<#rt::SdkError<C>> for Error {
            #[inline]
            fn from(error: #rt::SdkError<C>) -> Self {
                Error(error.map_code())
            }
        }

        impl From<#rt::SdkError<String>> for Error {
            /// The error of an untyped call: its code is parsed again.
            #[inline]
            fn from(error: #rt::SdkError<String>) -> Self {
                Error(error.map_code())
            }
        }

        impl From<#rt::ServiceError<ErrorCode>> for Error {
            #[inline]
            fn from(error: #rt::ServiceError<ErrorCode>) -> Self {
                Error(error.into())
            }
        }

        impl From<#rt::BuildError> for Error {
            #[inline]
            fn from(error: #rt::BuildError) -> Self {
                Error(error.into())
            }
        }

        impl From<#rt::CredentialsError> for Error {
            #[inline]
            fn from(error: #rt::CredentialsError) -> Self {
                Error(error.into())
            }
        }

        impl From<#rt::TransportError> for Error {
            #[inline]
            fn from(error: #rt::TransportError) -> Self {
                Error(error.into())
            }
        }

        impl From<#rt::DecodeError> for Error {
            #[inline]
            fn from(error: #rt::DecodeError) -> Self {
                Error(error.into())
            }
        }

        impl From<Error> for #rt::SdkError<ErrorCode> {
            #[inline]
            fn from(error: Error) -> Self {
                error.0
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
    // Visitors round-trip requests and responses: with the crate's feature.
    let gate = paths
        .feature_gates
        .then(|| quote!(#[cfg(feature = "serde-roundtrip")]));
    let allow = types::allow_deprecated(model.actions.iter().any(|a| a.deprecated.is_some()));
    quote! {
        //! One module per action: request, builders, response and error codes.
        #allow
        #(#mods)*

        /// The wire name of every action, sorted.
        pub const ACTIONS: &[&str] = &[#(#names),*];

        /// Runs `visitor` with the request type of the action named `action`;
        /// `None` for a name that is not an action of the spec.
        #gate
        pub fn visit<V: #rt::ActionVisitor>(action: &str, visitor: V) -> Option<V::Output> {
            match action {
                #(#arms)*
                _ => None,
            }
        }
    }
}
