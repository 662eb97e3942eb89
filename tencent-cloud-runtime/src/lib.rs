//! The runtime under generated Tencent Cloud API clients: one for every
//! service, so that a program using several builds it once.
//!
//! A service crate (such as `tencent-cloud-sts`) holds the code generated from its spec:
//! request and response types, their builders, error codes, and a `Client`
//! with one method per action over this crate's [`Client`]. This crate holds
//! what every service shares:
//!
//! - [`Client`]: sends any action of any service ([`Client::execute`] for a
//!   typed request, [`Client::call`] for an untyped one) with TC3-HMAC-SHA256
//!   signing, retries, deadlines, rate limits, size limits, redaction of
//!   secrets and tracing; [`ClientBuilder`] configures it, and builds a
//!   service's own client type through [`ServiceClient`].
//! - [`SdkError`]: what a call can fail with, typed by the action's error codes.
//! - [`credentials`]: where keys come from (environment, profile files, CVM
//!   roles) and how they are cached; the sources that assume roles through
//!   STS are in `tencent-cloud-config`, over the generated STS crate.
//! - [`signing`]: TC3-HMAC-SHA256 as a pure function.
//! - [`Service`]: what the runtime knows about a service (name, version,
//!   endpoints), generated from each spec's `service.json`.
//! - [`hooks`]: code of yours around every attempt (trace ids, metrics).
//! - [`waiter`]: polling an action until a resource reaches a state (what
//!   generated `wait_until_*` methods run); [`Paginator`] and
//!   [`JsonPaginator`]: paging through list actions, typed and untyped, with
//!   one set of stop rules.
//! - `mock` (feature `test-util`): scripted answers for unit tests.
//!
//! # Cargo features
//!
//! Additive; the defaults are `rustls-webpki-roots` and `gzip`. Service
//! crates have features of the same names that turn these on.
//!
//! - `rustls-webpki-roots`: HTTPS through rustls with Mozilla's roots built in.
//! - `rustls-native-roots`: HTTPS through rustls with the platform's roots.
//! - `gzip`: accept gzip-compressed answers.
//! - `http2`: allow HTTP/2 through `ClientBuilder::http2`; the client speaks
//!   HTTP/1.1 unless told, as the official SDKs do.
//! - `serde-roundtrip`: requests also deserialize and responses also
//!   serialize, for servers, replays and tests; see [`RoundTrip`].
//! - `test-util`: `mock` and `mocked` clients, for unit tests; implies
//!   `serde-roundtrip`.

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
mod headers;
pub mod hooks;
mod json;
pub mod json_paginator;
#[cfg(feature = "test-util")]
pub mod mock;
mod options;
mod paginator;
mod rate_limit;
mod redact;
mod response;
mod retry;
mod service;
mod setters;
pub mod signing;
pub mod waiter;

pub use action::{Action, ActionVisitor, RoundTrip, RoundTripAction};
#[cfg(feature = "http2")]
pub use client::Http2;
pub use client::{
    Client, ClientBuilder, Language, ServiceClient, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT,
    REQUEST_CLIENT,
};
pub use credentials::{Credentials, ProvideCredentials};
pub use deviation::{ActionResponse, Deviation, DeviationKind};
pub use error::{
    BuildError, ConfigError, CredentialsError, DecodeError, DecodeErrorKind, SdkError,
    ServiceError, TransportError, TransportErrorKind,
};
pub use json_paginator::{JsonPaginator, PagingFacts};
pub use options::RequestOptions;
pub use paginator::{Collected, Items, PageStyle, Pages, Paginated, Paginator};
pub use rate_limit::RateLimit;
pub use response::{decode_response, decode_response_strict};
pub use retry::RetryConfig;
pub use service::{ActionInfo, Endpoint, PublicSite, Service};
pub use waiter::{WaitOutcome, WaitSettings, WaitState};
