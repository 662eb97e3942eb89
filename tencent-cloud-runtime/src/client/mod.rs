//! The client of one service: [`Client`], what its clones share, and the
//! entry points every action goes through.
//!
//! Per-action code is thin: a generated request type implements
//! [`Action`](crate::Action) and [`Client::execute_with`] serialises it, hands
//! the bytes to the non-generic `Client::send` (rate limit, signing, headers,
//! HTTP, retries, envelope) and decodes the typed response. Only the first and
//! last steps are compiled per action.
//!
//! The rest of the client lives in one file per concern:
//!
//! - `builder`: [`ClientBuilder`], its settings and defaults, and building;
//! - `env`: the settings [`ClientBuilder::from_env`] reads from the
//!   environment;
//! - `call`: one call, from the rate limit's wait through its attempts,
//!   retries and deadline;
//! - `sign`: the headers of an attempt and its TC3 signature;
//! - `transport`: HTTP: the `reqwest` client, sending an attempt, reading
//!   the answer within its size limit;
//! - `trace`: the call's span and logs, and what they may show.

mod builder;
mod call;
mod env;
mod sign;
#[cfg(test)]
mod testing;
mod trace;
mod transport;

#[cfg(feature = "http2")]
pub use builder::Http2;
pub use builder::{
    ClientBuilder, Language, ServiceClient, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_TIMEOUT,
    REQUEST_CLIENT,
};
pub(crate) use trace::request_id_of;

use crate::action::Action;
use crate::credentials::{Credentials, ProvideCredentials};
use crate::error::{BuildError, SdkError};
use crate::hooks::Hooks;
use crate::options::RequestOptions;
use crate::rate_limit::RateLimiter;
use crate::retry::RetryConfig;
use crate::service::Service;
use crate::signing::{PostSigner, SigningKey};
use reqwest::header::HeaderValue;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use transport::Transport;

/// A client of one service: the one a service's own client type wraps
/// (`tencent_cloud_sts::Client`, any generated service's), or the one named
/// with [`ClientBuilder::service`]. Cheap to clone (one `Arc`), `Send + Sync`; clones
/// share connections, configuration, cached credentials and rate-limit buckets.
#[derive(Clone)]
pub struct Client {
    /// Behind a trait object, so that proving a future that holds a client
    /// `Send` stops here rather than walking every field down through the
    /// HTTP stack and the hashes. The compiler walks that anew for each
    /// action's `send()` of a service crate: 4 % of the largest service crate's build.
    shared: Arc<dyn Shared>,
}

/// What every clone of a [`Client`] shares.
trait Shared: Send + Sync {
    fn inner(&self) -> &Inner;
}

impl Shared for Inner {
    #[inline]
    fn inner(&self) -> &Inner {
        self
    }
}

struct Inner {
    /// Name, version and signing scope of the service the client talks to.
    service: &'static Service,
    /// `X-TC-Version`, the service's API version.
    version: HeaderValue,
    /// `X-TC-RequestClient`: the service crate's name and version
    /// ([`Service::request_client`]).
    request_client: HeaderValue,
    /// Whether requests go out unsigned (`Authorization: SKIP`).
    skip_signing: bool,
    transport: Transport,
    url: reqwest::Url,
    /// The signature's fixed part for the endpoint's `Host` (the host, plus the
    /// port when the URL names one), as the transport sends it.
    signer: PostSigner,
    region: Option<String>,
    language: Option<Language>,
    timeout: Duration,
    attempt_timeout: Option<Duration>,
    retry: RetryConfig,
    /// Whether calls of non-idempotent actions are repeated after a failure
    /// that may have reached the service.
    retry_non_idempotent: bool,
    max_response_size: usize,
    strict_responses: bool,
    limiter: RateLimiter,
    credentials: Arc<dyn ProvideCredentials>,
    hooks: Hooks,
    /// The day's signing key of the last credentials used.
    signing_key: Mutex<Option<(Credentials, Arc<SigningKey>)>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.inner();
        f.debug_struct("Client")
            .field("service", &i.service.name)
            .field("version", &i.service.version)
            .field("url", &i.url.as_str())
            .field("region", &i.region)
            .field("language", &i.language)
            .field("timeout", &i.timeout)
            .field("attempt_timeout", &i.attempt_timeout)
            .field("retry", &i.retry)
            .field("retry_non_idempotent", &i.retry_non_idempotent)
            .field("max_response_size", &i.max_response_size)
            .field("strict_responses", &i.strict_responses)
            .field("rate_limit", &i.limiter)
            .field("credentials", &i.credentials)
            .field("hooks", &i.hooks)
            .field("mocked", &i.transport.is_mock())
            .finish()
    }
}

/// What an action's metadata says about sending it, and its name as the
/// `X-TC-Action` value, made once per call.
struct Meta {
    rate_limit: Option<u32>,
    idempotent: bool,
    header: HeaderValue,
}

impl Client {
    #[inline]
    fn inner(&self) -> &Inner {
        self.shared.inner()
    }

    /// A builder with the defaults: the service's default site, the default
    /// credentials chain, no region, 60 s deadline, 3 attempts, the spec's
    /// rate limits. The runtime's own client has no service until
    /// [`ClientBuilder::service`] names one; a service's client
    /// (`tencent_cloud_sts::Client::builder()`) has its own.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL requests are posted to.
    pub fn endpoint(&self) -> &str {
        self.inner().url.as_str()
    }

    /// The service the client talks to.
    pub fn service(&self) -> &'static Service {
        self.inner().service
    }

    /// Sends one typed request and decodes its typed response.
    pub async fn execute<A: Action>(
        &self,
        request: &A,
    ) -> Result<A::Response, SdkError<A::ErrorCode>> {
        self.execute_with(request, &RequestOptions::default()).await
    }

    /// As [`Client::execute`], with per-request overrides.
    pub async fn execute_with<A: Action>(
        &self,
        request: &A,
        options: &RequestOptions,
    ) -> Result<A::Response, SdkError<A::ErrorCode>> {
        let body = serde_json::to_vec(request).map_err(|e| BuildError::Encode(e.to_string()))?;
        let meta = Meta {
            rate_limit: A::RATE_LIMIT,
            idempotent: A::IDEMPOTENT,
            // Checked when the crate is compiled: no work per call.
            header: const { HeaderValue::from_static(A::ACTION) },
        };
        let raw = self
            .send(A::ACTION, meta, body.into(), options)
            .await
            .map_err(SdkError::map_code)?;
        raw.decode_typed(A::ACTION, self.inner().strict_responses)
            .map_err(SdkError::map_code)
    }

    /// Calls any action of the client's service by name with JSON parameters,
    /// and returns the JSON of `Response` — for actions newer than this crate.
    /// Signing, retries, rate limits and errors work as for typed calls; the
    /// limit and idempotency come from the spec when it knows the action
    /// (otherwise: no limit, and only actions whose name begins with a verb
    /// that reads, [`ActionInfo::READ_VERBS`](crate::ActionInfo::READ_VERBS),
    /// count as idempotent).
    ///
    /// As the official SDKs do, members whose value is `null` are left out, at
    /// any depth (`null` items of a list stay: their position counts). Members
    /// go out in `serde_json::Value`'s map order: sorted by name, unless the
    /// build enables serde_json's `preserve_order`.
    pub async fn call<P: serde::Serialize + ?Sized>(
        &self,
        action: &str,
        params: &P,
    ) -> Result<serde_json::Value, SdkError<String>> {
        self.call_with(action, params, &RequestOptions::default())
            .await
    }

    /// As [`Client::call`], with per-request overrides.
    pub async fn call_with<P: serde::Serialize + ?Sized>(
        &self,
        action: &str,
        params: &P,
        options: &RequestOptions,
    ) -> Result<serde_json::Value, SdkError<String>> {
        let header = HeaderValue::from_str(action)
            .map_err(|_| sign::invalid_header("the action name", "X-TC-Action"))?;
        let service = self.inner().service;
        let meta = Meta {
            rate_limit: service.action(action).and_then(|known| known.rate_limit),
            idempotent: service.is_idempotent(action),
            header,
        };
        let body = crate::json::without_nulls(params).map_err(BuildError::Encode)?;
        let raw = self.send(action, meta, body.into(), options).await?;
        let response: serde_json::Value = raw.decode(action)?;
        if !response.is_object() {
            let detail = "`Response` is not an object".to_owned();
            let kind = crate::error::DecodeErrorKind::MissingEnvelope;
            return Err(SdkError::Decode(raw.decode_error(kind, detail)));
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_cheap_clone_send_sync() {
        fn assert_traits<T: Clone + Send + Sync + 'static>() {}
        assert_traits::<Client>();
    }
}
