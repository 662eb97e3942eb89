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
//! - [`Error`]: the error of any action, into which each action's
//!   [`SdkError`] (typed by the action's error codes) converts with `?`.
//! - [`runtime`]: what every Tencent Cloud service shares, re-exported here
//!   where users meet it (signing, credentials, retries, hooks, the mock).
//!   It is its own crate, `tencent-cloud-runtime`, built once however many
//!   service crates a program uses.
//! - [`sts`]: the Security Token Service, generated into its own crate
//!   (`tencent-cloud-sts`); [`credentials`] adds the sources that assume
//!   roles through it (`tencent-cloud-config`).
//!
//! # Cargo features
//!
//! Additive; the defaults are `rustls-webpki-roots` and `gzip`. Each turns on
//! the runtime's feature of the same name.
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
//!   under `[dev-dependencies]`), and the builders of responses and of the
//!   types only responses reach, to make canned answers with; implies
//!   `serde-roundtrip`.
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

#[cfg(test)]
mod codec_equivalence;
mod generated;
#[cfg(test)]
mod redaction;

pub use generated::{
    operation, types, waiters, ActionErrorCode, Client, ClientBuilder, Error, ErrorCode, Site,
    SERVICE, SERVICE_DESCRIPTION, VERSION,
};
/// The runtime every generated Tencent Cloud client stands on.
pub use tencent_cloud_runtime as runtime;
#[doc(hidden)]
pub use tencent_cloud_runtime::codec;
#[cfg(feature = "test-util")]
pub use tencent_cloud_runtime::mock;
#[cfg(feature = "http2")]
pub use tencent_cloud_runtime::Http2;
pub use tencent_cloud_runtime::{
    decode_response, decode_response_strict, deviation, enums, hooks, signing, Action, ActionInfo,
    ActionResponse, ActionVisitor, BuildError, Collected, CompactString, ConfigError, Credentials,
    CredentialsError, DecodeError, DecodeErrorKind, Deviation, DeviationKind, Endpoint, Items,
    Language, PageStyle, Pages, Paginated, Paginator, ProvideCredentials, PublicSite, RateLimit,
    RequestOptions, RetryConfig, RoundTrip, RoundTripAction, SdkError, Service, ServiceClient,
    ServiceError, TransportError, TransportErrorKind, WaitOutcome, WaitSettings, WaitState,
    DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT, REQUEST_CLIENT,
};
/// The Security Token Service, its own generated crate (`tencent-cloud-sts`).
pub use tencent_cloud_sts as sts;

/// Credentials and where they come from: the runtime's sources and chain
/// (`tencent_cloud_runtime::credentials`), and the sources that assume roles
/// through STS with the full default chain (`tencent-cloud-config`).
pub mod credentials {
    pub use tencent_cloud_config::{default_chain, AssumeRoleProvider, OidcRoleProvider, TKE_ENV};
    pub use tencent_cloud_runtime::credentials::*;
}

/// The README's examples, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[cfg(feature = "test-util")]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// This crate's README (its page on crates.io), compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
