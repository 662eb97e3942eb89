//! Typed async client for the Tencent Cloud Contact Center API (service `ccc`,
//! version `2020-02-10`), generated from the spec in this repository.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = ccc_api::Client::from_env()?;
//! let task = client
//!     .describe_auto_callout_task()
//!     .sdk_app_id(1400000000)
//!     .task_id(3)
//!     .send()
//!     .await?;
//! println!("{} is {:?}", task.name, task.state);
//! # Ok(()) }
//! ```
//!
//! - [`operation`]: one module per action with its request, builder, response and
//!   error codes; [`Client`] has one method per action.
//! - [`types`]: data types shared by actions.
//! - [`SdkError`]: what a call can fail with, typed by the action's error codes;
//!   every action's error converts into [`Error`] with `?`.
//! - [`signing`]: TC3-HMAC-SHA256 as a pure function.
//! - [`sts`]: the Security Token Service, generated from its own spec onto the
//!   same runtime; the credential sources that assume roles call it.
//! - [`Service`]: what the runtime knows about a service (name, version,
//!   endpoints), generated from each spec's `service.json`.
//! - [`hooks`]: code of yours around every attempt (trace ids, metrics).
//!
//! # Cargo features
//!
//! Additive; the defaults are `rustls-webpki-roots` and `gzip`.
//!
//! - `rustls-webpki-roots`: HTTPS through rustls with Mozilla's roots built in.
//! - `rustls-native-roots`: HTTPS through rustls with the platform's roots.
//! - `gzip`: accept gzip-compressed answers.
//! - `http2`: allow HTTP/2 through `ClientBuilder::http2`; the client speaks
//!   HTTP/1.1 unless told, as the official SDKs do.
//! - `serde-roundtrip`: requests also deserialize and responses also
//!   serialize (a client needs only the other directions), for servers,
//!   replays and tests; see [`RoundTrip`].
//! - `test-util`: `mock` and `Client::mocked`, for unit tests (enable it
//!   under `[dev-dependencies]`); implies `serde-roundtrip`.
//!
//! Without a root feature the client speaks plain HTTP only.
//!
//! # Text members
//!
//! Every text member of requests, responses and shared types is a
//! [`CompactString`] (re-exported here, so no dependency of your own is
//! needed): values up to 24 bytes, which is most of what the service sends
//! (ids, phone numbers, names, codes), live inline, so decoding a page of
//! records does not make one heap allocation per member. It derefs to `str`,
//! compares with `&str` and `String`, and converts with `.into()` /
//! `.to_string()`; builder setters take `impl Into<CompactString>`, so `&str`
//! and `String` both work. The type is re-exported under its own name rather
//! than an alias so its documentation and methods show up as they are.

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod action;
mod client;
#[doc(hidden)]
pub mod codec;
pub mod credentials;
pub mod deviation;
pub mod enums;
mod error;
mod generated;
pub mod hooks;
mod json;
#[cfg(feature = "test-util")]
pub mod mock;
mod options;
mod paginator;
mod rate_limit;
mod redact;
mod response;
mod retry;
mod service;
pub mod signing;
pub mod sts;

pub use action::{Action, ActionVisitor, RoundTrip};
#[cfg(feature = "http2")]
pub use client::Http2;
pub use client::{
    Client, ClientBuilder, Language, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT, REQUEST_CLIENT,
};
/// Every text member of the generated types (see the crate docs, "Text members").
pub use compact_str::CompactString;
pub use credentials::{Credentials, ProvideCredentials};
pub use deviation::{ActionResponse, Deviation, DeviationKind};
pub use error::{
    BuildError, ConfigError, CredentialsError, DecodeError, DecodeErrorKind, SdkError,
    ServiceError, TransportError, TransportErrorKind,
};
pub use generated::{
    operation, types, ActionErrorCode, ErrorCode, Site, SERVICE, SERVICE_DESCRIPTION, VERSION,
};
pub use options::RequestOptions;
pub use paginator::{Collected, Items, PageStyle, Pages, Paginated, Paginator};
pub use rate_limit::RateLimit;
pub use response::{decode_response, decode_response_strict};
pub use retry::RetryConfig;
pub use service::{ActionInfo, Endpoint, PublicSite, Service};

/// The error of any action, with the service-wide [`ErrorCode`]; each action's
/// [`SdkError`] converts into it, so `?` works across actions.
pub type Error = SdkError<ErrorCode>;

/// Every service generated into this crate (the `ccc-api/src/<service>`
/// modules beside the primary one); redaction honours all their specs.
pub(crate) static SERVICES: [&Service; 2] = [&SERVICE_DESCRIPTION, &sts::SERVICE_DESCRIPTION];

/// The README's examples, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[cfg(feature = "test-util")]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// This crate's README (its page on crates.io), compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;

/// Errors of [`Client::call`] (untyped codes) convert into [`Error`] too.
impl From<SdkError<String>> for Error {
    fn from(error: SdkError<String>) -> Self {
        error.map_code()
    }
}
