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
//!   serialize (a client needs only the other directions), and responses
//!   and the types only responses reach have builders, for servers, replays
//!   and tests; see [`RoundTrip`].
//! - `test-util`: `mock` and `Client::mocked`, for unit tests (enable it
//!   under `[dev-dependencies]`); implies `serde-roundtrip`, so canned
//!   answers can be built member by member.
//!
//! Without a root feature the client speaks plain HTTP only.
//!
//! # Members and builders
//!
//! Members are std types: text is `String`, lists are `Vec`, numbers `u64`,
//! `i64` or `f64`; ids the spec names (`SdkAppId`, `TaskId`) are aliases of
//! those, and documented value sets are enums that keep an unknown value
//! instead of failing. Every builder's setters follow one convention:
//!
//! - text takes `impl Into<String>`, so `&str` and `String` both work;
//! - a list takes any `IntoIterator` (an array, a `Vec`, an iterator) of its
//!   elements, text elements as anything `Into<String>` (`["008613800000000"]`,
//!   `names.iter().map(String::as_str)`), and replaces what was set before; an
//!   empty list of text is `set_<member>(Some(Vec::new()))`;
//! - `set_<member>(Option<..>)` sets or clears the stored value itself.
//!
//! `build()` returns a `Result` only where the type has a required member
//! (the error names the first one missing); elsewhere it returns the value.
//!
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
    ActionResponse, ActionVisitor, BuildError, Collected, ConfigError, Credentials,
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
