//! The client: configuration, and the one call path every action uses.
//!
//! Per-action code is thin: a generated request type implements
//! [`Action`](crate::Action) and [`Client::execute_with`] serialises it, hands the
//! bytes to the non-generic [`Client::send`] (rate limit, signing, headers, HTTP,
//! retries, envelope) and decodes the typed response. Only the first and last
//! steps are compiled per action.

use crate::action::Action;
use crate::credentials::{Credentials, DefaultChain, ProvideCredentials};
use crate::error::{
    BuildError, ConfigError, CredentialsError, SdkError, TransportError, TransportErrorKind,
};
use crate::hooks::{AfterAttempt, BeforeAttempt, Hook, Hooks};
#[cfg(feature = "test-util")]
use crate::mock::Mock;
use crate::options::RequestOptions;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::response::{read_envelope, RawResponse};
use crate::retry::{retry_reason, RetryConfig};
use crate::service::{PublicSite, Service};
use crate::signing::{PostSigner, SigningKey};
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tracing::Instrument;

/// The content type the official SDKs send and sign, without a charset.
const JSON: &str = "application/json";
/// What a client sends as `X-TC-RequestClient`, and as the `User-Agent` of
/// the HTTP client the builder makes (neither signed), when its service's
/// description names no crate ([`Service::client_name`]): this runtime and
/// its version, `tencent-cloud-runtime/<version>`. Generated service crates
/// name themselves (`ccc-api/0.1.0`); [`Service::request_client`] gives the
/// value a client of a service sends.
pub const REQUEST_CLIENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// Deadline of a whole call, retries included, when none is set (as the official
/// SDKs' request timeout).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest answer read when no limit is set, in bytes after decompression: a
/// thousand call records (`DescribeTelCdr`) take about 2 MB.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 16 * 1024 * 1024;

/// The region, as tccli (`options_define.py`: `ENV_REGION`) and the Terraform
/// provider read it.
const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// An endpoint URL for every service; no official tool reads one (the
/// Terraform provider's `TENCENTCLOUD_DOMAIN` is a domain suffix, not a URL),
/// so the name is ours, after `AWS_ENDPOINT_URL`.
const ENV_ENDPOINT_URL: &str = "TENCENTCLOUD_ENDPOINT_URL";
/// The language of messages; ours too, no official tool reads one.
const ENV_LANGUAGE: &str = "TENCENTCLOUD_LANGUAGE";

/// Where a builder made by [`ClientBuilder::from_env`] looks variables up.
type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

static X_TC_ACTION: HeaderName = HeaderName::from_static("x-tc-action");
static X_TC_VERSION: HeaderName = HeaderName::from_static("x-tc-version");
static X_TC_TIMESTAMP: HeaderName = HeaderName::from_static("x-tc-timestamp");
static X_TC_REGION: HeaderName = HeaderName::from_static("x-tc-region");
static X_TC_TOKEN: HeaderName = HeaderName::from_static("x-tc-token");
static X_TC_LANGUAGE: HeaderName = HeaderName::from_static("x-tc-language");
static X_TC_REQUEST_CLIENT: HeaderName = HeaderName::from_static("x-tc-requestclient");

/// Language of the service's messages (`X-TC-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    /// English, `en-US`.
    EnUs,
    /// Simplified Chinese, `zh-CN`.
    ZhCn,
}

impl Language {
    /// The header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::EnUs => "en-US",
            Language::ZhCn => "zh-CN",
        }
    }

    /// The language whose header value is `tag`, in any case.
    fn from_tag(tag: &str) -> Option<Language> {
        [Language::EnUs, Language::ZhCn]
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(tag))
    }
}

/// A client of one service: the one a service's own client type wraps
/// (`ccc_api::Client`, `tencent_cloud_sts::Client`), or the one named
/// with [`ClientBuilder::service`]. Cheap to clone (one `Arc`), `Send + Sync`; clones
/// share connections, configuration, cached credentials and rate-limit buckets.
#[derive(Clone)]
pub struct Client {
    /// Behind a trait object, so that proving a future that holds a client
    /// `Send` stops here rather than walking every field down through the
    /// HTTP stack and the hashes. The compiler walks that anew for each
    /// action's `send()` of a service crate: 4 % of `ccc-api`'s build.
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

/// Where attempts go.
enum Transport {
    Http(reqwest::Client),
    /// Answered in memory by scripted rules; see [`crate::mock`].
    #[cfg(feature = "test-util")]
    Mock(Mock),
}

impl Transport {
    fn is_mock(&self) -> bool {
        match self {
            Transport::Http(_) => false,
            #[cfg(feature = "test-util")]
            Transport::Mock(_) => true,
        }
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
    /// (`ccc_api::Client::builder()`) has its own.
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
        let header =
            HeaderValue::from_str(action).map_err(|_| invalid_header("the action name"))?;
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

    /// Rate limit, sign, post, read the envelope; retry what may be retried. Not
    /// generic, so it is compiled once for all actions. The body is shared by
    /// the attempts, never copied.
    async fn send(
        &self,
        action: &str,
        meta: Meta,
        body: Bytes,
        options: &RequestOptions,
    ) -> Result<RawResponse, SdkError<String>> {
        let inner = self.inner();
        // One name for every service; the fields tell them apart.
        let span = tracing::debug_span!(
            "tencent_cloud.call",
            service = inner.service.name,
            version = inner.service.version,
            action,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
            outcome = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        async move {
            let started = Instant::now();
            let deadline = Deadline::after(started, options.timeout.unwrap_or(inner.timeout));
            let retry = options.retry.unwrap_or(inner.retry);
            let attempt_limit = options.attempt_timeout.or(inner.attempt_timeout);
            let idempotent = options
                .idempotent
                .unwrap_or(meta.idempotent || inner.retry_non_idempotent);
            let mut attempt = 0u32;
            let result = loop {
                attempt = attempt.saturating_add(1);
                let wait = inner.limiter.reserve(action, meta.rate_limit);
                if !wait.is_zero() {
                    if !deadline.leaves(wait) {
                        break Err(SdkError::Transport(TransportError::deadline()));
                    }
                    tokio::time::sleep(wait).await;
                }
                let remaining = deadline.remaining();
                if remaining.is_zero() {
                    break Err(SdkError::Transport(TransportError::deadline()));
                }
                let limit = attempt_limit.map_or(remaining, |t| t.min(remaining));
                let attempt_started = (!inner.hooks.is_empty()).then(Instant::now);
                let (outcome, status) = self
                    .attempt(action, &meta.header, &body, limit, options, attempt)
                    .await;
                let after = |error: Option<&SdkError<String>>, body, will_retry| {
                    if let Some(started) = attempt_started {
                        inner.hooks.after(&AfterAttempt {
                            action,
                            attempt,
                            latency: started.elapsed(),
                            status,
                            body,
                            error,
                            will_retry,
                        });
                    }
                };
                let error = match outcome {
                    Ok(raw) => {
                        after(None, Some(raw.body().as_bytes()), false);
                        break Ok(raw);
                    }
                    Err(e) => e,
                };
                let reason = retry_reason(&error, error.raw_code(), idempotent);
                let backoff = retry.backoff(attempt.saturating_add(1));
                let reason =
                    reason.filter(|_| attempt < retry.max_attempts && deadline.leaves(backoff));
                after(Some(&error), None, reason.is_some());
                let Some(reason) = reason else {
                    break Err(error);
                };
                log_retry(attempt, reason, backoff, &error);
                tokio::time::sleep(backoff).await;
            };
            let span = tracing::Span::current();
            if !span.is_disabled() {
                span.record("attempts", attempt);
                span.record("latency_ms", saturating_millis(started.elapsed()));
            }
            match result {
                Ok(mut raw) => {
                    raw.attempts = attempt;
                    span.record("outcome", "ok");
                    Ok(raw)
                }
                Err(e) => Err(call_failed(&span, e, attempt)),
            }
        }
        .instrument(span)
        .await
    }

    /// One signed attempt, and the HTTP status when an answer came.
    async fn attempt(
        &self,
        action: &str,
        action_header: &HeaderValue,
        body: &Bytes,
        limit: Duration,
        options: &RequestOptions,
        number: u32,
    ) -> (Result<RawResponse, SdkError<String>>, Option<u16>) {
        let mut status = None;
        let result = self
            .inner()
            .try_attempt(
                action,
                action_header,
                body,
                limit,
                options,
                number,
                &mut status,
            )
            .await;
        (result, status)
    }
}

impl Inner {
    /// The body of [`Client::attempt`], recording the status when an answer came.
    #[allow(clippy::too_many_arguments)]
    async fn try_attempt(
        &self,
        action: &str,
        action_header: &HeaderValue,
        body: &Bytes,
        limit: Duration,
        options: &RequestOptions,
        number: u32,
        status: &mut Option<u16>,
    ) -> Result<RawResponse, SdkError<String>> {
        let inner = self;
        // A source that hangs must not hold the call past its time limit. Most
        // answer at once (fixed or cached keys): those cost no timer.
        let credentials = if inner.skip_signing {
            // Unsigned requests carry no key and no token.
            Credentials::new("", "")
        } else if let Some(ready) = inner.credentials.ready_credentials() {
            ready
        } else {
            // Boxed: the rare path (a source that must fetch) stays out of
            // the code every call runs.
            Box::pin(inner.pending_credentials(limit)).await?
        };
        // Signed afresh for every attempt, so a long backoff never sends a stale
        // timestamp.
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let mut headers = inner.headers(action_header, timestamp, options)?;
        if !inner.hooks.is_empty() {
            inner.before_hooks(action, number, &mut headers, action_header, timestamp)?;
        }
        inner.sign(&mut headers, timestamp, &credentials, body)?;
        // Without `test-util` the match has one arm.
        #[cfg_attr(
            not(feature = "test-util"),
            allow(clippy::infallible_destructuring_match)
        )]
        let http = match &inner.transport {
            Transport::Http(http) => http,
            #[cfg(feature = "test-util")]
            Transport::Mock(mock) => {
                let (code, body) = mock
                    .answer(action, &headers, body)
                    .map_err(SdkError::Transport)?;
                *status = Some(code);
                return read_envelope(inner.service.sensitive_members, action, code, body);
            }
        };
        // Built directly rather than through `RequestBuilder`, which would
        // copy every header into a map of its own.
        let mut request = reqwest::Request::new(reqwest::Method::POST, inner.url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = Some(body.clone().into());
        let exchange = async {
            let response = http.execute(request).await.map_err(|e| {
                SdkError::Transport(TransportError::new(TransportErrorKind::Request, e))
            })?;
            let code = response.status().as_u16();
            *status = Some(code);
            if response.status().is_redirection() || !same_origin(response.url(), &inner.url) {
                return Err(SdkError::Decode(redirect_error(&response)));
            }
            if is_event_stream(response.headers()) {
                // Not read at all: an event stream may never end. Dropping
                // the answer closes its connection.
                return Err(SdkError::Decode(streaming_error(action, code)));
            }
            let max = options.max_response_size.unwrap_or(inner.max_response_size);
            Ok((code, read_body(response, max).await?))
        };
        // The attempt's time limit covers connecting, sending and reading the
        // whole answer. A timer in this future keeps it, not reqwest's
        // per-request timeout, which would allocate a map of request
        // extensions and a boxed timer for every request.
        let (code, body) = tokio::time::timeout(limit, exchange)
            .await
            .map_err(|elapsed| SdkError::Transport(TransportError::elapsed(elapsed)))??;
        // An error quotes neither the key that signed the request nor its
        // session token, whatever the server echoes.
        let secrets = [credentials.secret_key(), credentials.token().unwrap_or("")];
        let raw = read_envelope(inner.service.sensitive_members, action, code, body)
            .map_err(|e| crate::redact::hide_in_error(e, &secrets))?;
        let span = tracing::Span::current();
        if !span.is_disabled() {
            record_request_id(&span, raw.body());
        }
        Ok(raw)
    }

    /// Credentials from a source that did not have them ready, within the
    /// time left: a source that hangs must not hold the call past its limit.
    async fn pending_credentials(&self, limit: Duration) -> Result<Credentials, SdkError<String>> {
        let mut pending = self.credentials.provide_credentials();
        match futures_util::FutureExt::now_or_never(&mut pending) {
            Some(ready) => Ok(ready?),
            None => tokio::time::timeout(limit, pending)
                .await
                .map_err(|_| {
                    SdkError::Credentials(CredentialsError::new(
                        "the credentials provider",
                        format!(
                            "no answer within the {} ms left of the call's time limit",
                            saturating_millis(limit)
                        ),
                    ))
                })?
                .map_err(Into::into),
        }
    }

    /// Runs the hooks that see an attempt before it is signed, then restores
    /// what the protocol depends on. Out of line: most clients have none.
    #[inline(never)]
    fn before_hooks(
        &self,
        action: &str,
        number: u32,
        headers: &mut HeaderMap,
        action_header: &HeaderValue,
        timestamp: u64,
    ) -> Result<(), SdkError<String>> {
        let mut shown = crate::headers::Headers(std::mem::take(headers));
        let mut before = BeforeAttempt {
            action,
            attempt: number,
            headers: &mut shown,
        };
        let verdict = self.hooks.before(&mut before);
        *headers = shown.0;
        verdict.map_err(|refused| SdkError::Build(BuildError::Refused(refused.to_string())))?;
        // What the protocol depends on is not a hook's to change.
        headers.remove(HOST);
        self.protocol_headers(headers, action_header, timestamp);
        Ok(())
    }
}

/// Logs a retry. Out of line, with [`call_failed`]: the code of failures
/// stays apart from the code every successful call runs.
#[cold]
#[inline(never)]
fn log_retry(attempt: u32, reason: &str, backoff: Duration, error: &SdkError<String>) {
    tracing::debug!(attempt, reason, backoff_ms = saturating_millis(backoff), error = %Logged(error), "retrying");
}

/// A failed call's error with its attempt count, recorded on the call's span
/// and logged.
#[cold]
#[inline(never)]
fn call_failed(span: &tracing::Span, mut e: SdkError<String>, attempt: u32) -> SdkError<String> {
    if let Some(id) = e.request_id() {
        span.record("request_id", id);
    }
    span.record(
        "outcome",
        tracing::field::display(e.raw_code().unwrap_or("error")),
    );
    e.set_attempts(attempt);
    tracing::debug!(error = %Logged(&e), "call failed");
    e
}

/// Records the answer's `RequestId` on the call's span; out of line, as
/// only a subscriber that listens needs it.
#[inline(never)]
fn record_request_id(span: &tracing::Span, body: &str) {
    if let Some(id) = request_id_of(body) {
        span.record("request_id", id);
    }
}

/// Reads a body of at most `limit` bytes (after decompression), stopping as soon
/// as it grows past: an endless or inflating answer costs no more memory than
/// the limit. A body that arrives in one piece is kept without a copy.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, SdkError<String>> {
    let too_large = || SdkError::Transport(TransportError::too_large(limit));
    let cut_off = |e| SdkError::Transport(TransportError::new(TransportErrorKind::Body, e));
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let expected = response.content_length().unwrap_or(0) as usize;
    let Some(first) = response.chunk().await.map_err(cut_off)? else {
        return Ok(Vec::new());
    };
    if first.len() > limit {
        return Err(too_large());
    }
    let Some(second) = response.chunk().await.map_err(cut_off)? else {
        return Ok(first.into());
    };
    let mut body = Vec::with_capacity(expected.clamp(first.len() + second.len(), limit));
    let mut next = Some(second);
    body.extend_from_slice(&first);
    while let Some(chunk) = next {
        if chunk.len() > limit - body.len() {
            return Err(too_large());
        }
        let needed = body.len() + chunk.len();
        if needed > body.capacity() {
            // Grow by doubling as `Vec` does, but never past the limit.
            let target = needed.max(body.capacity().saturating_mul(2)).min(limit);
            body.reserve_exact(target - body.len());
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(cut_off)?;
    }
    Ok(body)
}

/// Whether `a` and `b` share scheme, host and port.
fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// The error for a redirect, naming where it pointed. Nothing is followed: the
/// API never redirects, and following would send the signed request (and any
/// session token) to another origin.
fn redirect_error(response: &reqwest::Response) -> crate::error::DecodeError {
    let location = match response.headers().get(reqwest::header::LOCATION) {
        Some(l) => format!(
            "to `{}`",
            redact_url(&String::from_utf8_lossy(l.as_bytes()))
        ),
        None if response.status().is_redirection() => "without a `Location`".to_owned(),
        // A caller-supplied HTTP client followed it already.
        None => format!("to `{}`", redact_url(response.url().as_str())),
    };
    crate::error::DecodeError::new(
        crate::error::DecodeErrorKind::Redirect,
        response.status().as_u16(),
        format!("the endpoint redirected {location}; redirects are not followed"),
        b"",
    )
}

/// Whether an answer's `Content-Type` is `text/event-stream` (server-sent
/// events, what actions that stream their answer send), parameters aside.
fn is_event_stream(headers: &HeaderMap) -> bool {
    headers.get(CONTENT_TYPE).is_some_and(|value| {
        let media = value.as_bytes().split(|&b| b == b';').next().unwrap_or(b"");
        media
            .trim_ascii()
            .eq_ignore_ascii_case(b"text/event-stream")
    })
}

/// The error for an answer that is an event stream, which this client does
/// not read (its body is left unread).
#[cold]
#[inline(never)]
fn streaming_error(action: &str, status: u16) -> crate::error::DecodeError {
    crate::error::DecodeError::new(
        crate::error::DecodeErrorKind::Streaming,
        status,
        format!(
            "{action} answered with an event stream (`Content-Type: text/event-stream`), \
             which this client does not read; ask for a single JSON answer where the \
             action offers one (a `Stream`-like member set to false)"
        ),
        b"",
    )
}

/// `url` with any user name and password replaced, for messages; works on text
/// that does not parse as a URL too.
pub(crate) fn redact_url(url: &str) -> String {
    let text: String = url.chars().take(512).collect();
    let after_scheme = text.find("://").map_or(0, |i| i + 3);
    let authority_end = text[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |i| after_scheme + i);
    match text[after_scheme..authority_end].rfind('@') {
        Some(at) => format!(
            "{}***@{}",
            &text[..after_scheme],
            &text[after_scheme + at + 1..]
        ),
        None => text,
    }
}

/// An error as logged: as displayed, but never with the body of an answer
/// that could not be decoded (it may hold secrets where no member name says
/// so; the error itself keeps a redacted prefix for whoever handles it).
struct Logged<'a>(&'a SdkError<String>);

impl fmt::Display for Logged<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            SdkError::Decode(d) => write!(f, "HTTP {}, {:?}: {}", d.status, d.kind, d.detail),
            e => e.fmt(f),
        }
    }
}

/// Milliseconds of `d` for logs, saturating.
fn saturating_millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The end of a call's time. A limit too far away to be represented
/// (`Duration::MAX`) means no deadline, rather than an overflow.
#[derive(Clone, Copy)]
struct Deadline(Option<Instant>);

impl Deadline {
    fn after(start: Instant, limit: Duration) -> Self {
        Deadline(start.checked_add(limit))
    }

    /// Time left; a year for no deadline (far past any real call, and a value
    /// timers take).
    fn remaining(self) -> Duration {
        match self.0 {
            Some(at) => at.saturating_duration_since(Instant::now()),
            None => Duration::from_secs(365 * 24 * 3600),
        }
    }

    /// Whether waiting `wait` from now still ends before the deadline.
    fn leaves(self, wait: Duration) -> bool {
        match self.0 {
            Some(at) => Instant::now().checked_add(wait).is_some_and(|end| end < at),
            None => wait < self.remaining(),
        }
    }
}

/// The `RequestId` of a successful `Response` object, found without parsing it
/// again (it is a flat string member).
pub(crate) fn request_id_of(response: &str) -> Option<&str> {
    let at = response.rfind("\"RequestId\"")?;
    let rest = response[at + 11..]
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    rest.split('"').next()
}

impl Inner {
    /// The signing key for `credentials` on the day of `timestamp`, derived once
    /// a day per key.
    fn signing_key(&self, credentials: &Credentials, timestamp: u64) -> Arc<SigningKey> {
        if let Ok(cache) = self.signing_key.lock() {
            if let Some((c, key)) = cache.as_ref() {
                if c.same_key(credentials) && key.fits(timestamp, self.service.signing_name) {
                    return key.clone();
                }
            }
        }
        let key = Arc::new(SigningKey::derive(
            credentials.secret_key(),
            timestamp,
            self.service.signing_name,
        ));
        if let Ok(mut cache) = self.signing_key.lock() {
            *cache = Some((credentials.clone(), key.clone()));
        }
        key
    }

    /// The headers of an attempt but the secrets, in the order the official
    /// SDKs send them. `Host` is left to the transport, which derives it from
    /// the endpoint URL as [`Inner::host`] is (over HTTP/2 it becomes
    /// `:authority`, and a separate `host` header would be a second one).
    fn headers(
        &self,
        action: &HeaderValue,
        timestamp: u64,
        options: &RequestOptions,
    ) -> Result<HeaderMap, SdkError<String>> {
        // Room for these and the three reqwest adds, without regrowth.
        let mut headers = HeaderMap::with_capacity(16);
        self.protocol_headers(&mut headers, action, timestamp);
        if let Some(region) = options.region.as_ref().or(self.region.as_ref()) {
            headers.insert(
                X_TC_REGION.clone(),
                HeaderValue::from_str(region.trim()).map_err(|_| invalid_header("the region"))?,
            );
        }
        if let Some(language) = options.language.or(self.language) {
            headers.insert(
                X_TC_LANGUAGE.clone(),
                HeaderValue::from_static(language.as_str()),
            );
        }
        headers.insert(X_TC_REQUEST_CLIENT.clone(), self.request_client.clone());
        Ok(headers)
    }

    /// The headers the signature and the service's routing depend on; set
    /// before the hooks run and again after.
    fn protocol_headers(&self, headers: &mut HeaderMap, action: &HeaderValue, timestamp: u64) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        headers.insert(X_TC_ACTION.clone(), action.clone());
        headers.insert(X_TC_TIMESTAMP.clone(), HeaderValue::from(timestamp));
        headers.insert(X_TC_VERSION.clone(), self.version.clone());
    }

    /// Adds `Authorization` (TC3 over `content-type;host`) and the session
    /// token, both marked sensitive so that `Debug` hides them.
    fn sign(
        &self,
        headers: &mut HeaderMap,
        timestamp: u64,
        credentials: &Credentials,
        body: &[u8],
    ) -> Result<(), SdkError<String>> {
        // An unsigned request (STS's OIDC exchange) says so as the service
        // expects: `Authorization: SKIP`, and no token.
        let mut authorization = if self.skip_signing {
            HeaderValue::from_static("SKIP")
        } else {
            let key = self.signing_key(credentials, timestamp);
            let text = self
                .signer
                .authorization(credentials.secret_id(), &key, timestamp, body);
            // Handed over without a copy; checked as any header value.
            HeaderValue::from_maybe_shared(Bytes::from(text))
                .map_err(|_| invalid_header("the SecretId"))?
        };
        authorization.set_sensitive(true);
        headers.insert(AUTHORIZATION, authorization);
        match credentials.token() {
            Some(token) => {
                let mut token = HeaderValue::from_str(token)
                    .map_err(|_| invalid_header("the session token"))?;
                token.set_sensitive(true);
                headers.insert(X_TC_TOKEN.clone(), token);
            }
            // A hook may not send a token of its own.
            None => {
                headers.remove(&X_TC_TOKEN);
            }
        }
        Ok(())
    }
}

/// `value` as a header value without a copy, if it can be one:
/// `HeaderValue::from_static` takes visible ASCII and tabs only (and panics
/// on anything else, where `from_str` would take bytes above 127 too).
fn static_header(value: &'static str) -> Option<HeaderValue> {
    value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
        .then(|| HeaderValue::from_static(value))
}

/// The error for a value that cannot be sent as a header.
fn invalid_header(what: &str) -> SdkError<String> {
    SdkError::Build(BuildError::Encode(format!(
        "{what} is not a valid HTTP header value"
    )))
}

/// A client type of one service: the runtime's [`Client`] set to that
/// service, carrying its typed methods. Each generated service module
/// implements it for its `Client`, which [`ClientBuilder<C>`] then builds.
pub trait ServiceClient: From<Client> {
    /// The service a client of this type talks to, always; `None` for the
    /// runtime's own [`Client`], which is told with [`ClientBuilder::service`].
    fn default_service() -> Option<&'static Service>;

    /// Where a client of this type takes its credentials when the builder is
    /// given none: the runtime's [`DefaultChain`] (environment, profile file,
    /// CVM role). Service crates generated with `tencent-cloud-config` hand
    /// out its chain, which adds the sources that assume roles through STS;
    /// the runtime cannot, since STS is itself a service crate over it.
    fn default_credentials() -> Arc<dyn ProvideCredentials> {
        Arc::new(DefaultChain::new())
    }
}

impl ServiceClient for Client {
    fn default_service() -> Option<&'static Service> {
        None
    }
}

/// Configures a client: the runtime's [`Client`], or with `C` a service's own
/// (`ccc_api::Client::builder()` gives a `ClientBuilder<ccc_api::Client>`).
pub struct ClientBuilder<C = Client> {
    /// What `build` returns; `fn() -> C` keeps the builder `Send + Sync`
    /// whatever `C` is.
    client: PhantomData<fn() -> C>,
    config: Config,
}

/// The settings of a [`ClientBuilder`], whatever client type it builds.
#[derive(Default)]
struct Config {
    service: Option<&'static Service>,
    skip_signing: bool,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    site: Option<&'static str>,
    regional_endpoint: bool,
    endpoint_url: Option<String>,
    region: Option<String>,
    language: Option<Language>,
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    retry_non_idempotent: bool,
    max_response_size: Option<usize>,
    strict_responses: bool,
    rate_limit: RateLimit,
    proxy: Option<String>,
    http: Option<reqwest::Client>,
    hooks: Vec<Arc<dyn Hook>>,
    #[cfg(feature = "http2")]
    http2: Option<Http2>,
    #[cfg(feature = "test-util")]
    mock: Option<Mock>,
    /// Where to read the settings left unset in code, for
    /// [`ClientBuilder::from_env`].
    env: Option<EnvLookup>,
}

impl Config {
    /// Takes from `lookup` each setting the code left unset (see
    /// [`ClientBuilder::from_env`]); returns the variable the endpoint URL came
    /// from, if it came from one.
    fn apply_env(
        &mut self,
        service: &Service,
        lookup: &(dyn Fn(&str) -> Option<String> + Send + Sync),
    ) -> Result<Option<String>, ConfigError> {
        // Empty values count as unset, as for the credentials' variables.
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        if self.region.is_none() {
            if let Some(region) = get(ENV_REGION) {
                // The rule regional hosts are built with.
                crate::service::check_region_name(&region)
                    .map_err(|reason| ConfigError::in_variable(ENV_REGION, reason))?;
                self.region = Some(region);
            }
        }
        if self.language.is_none() {
            if let Some(tag) = get(ENV_LANGUAGE) {
                let Some(language) = Language::from_tag(&tag) else {
                    let shown: String = tag.chars().take(64).collect();
                    return Err(ConfigError::in_variable(
                        ENV_LANGUAGE,
                        format!("`{shown}` is not a language: use en-US or zh-CN"),
                    ));
                };
                self.language = Some(language);
            }
        }
        let endpoint_in_code =
            self.endpoint_url.is_some() || self.site.is_some() || self.regional_endpoint;
        if endpoint_in_code {
            return Ok(None);
        }
        let own = format!("{ENV_ENDPOINT_URL}_{}", env_suffix(service.name));
        for variable in [own.as_str(), ENV_ENDPOINT_URL] {
            if let Some(url) = get(variable) {
                self.endpoint_url = Some(url);
                return Ok(Some(variable.to_owned()));
            }
        }
        Ok(None)
    }
}

/// A service's name as the end of an environment variable's name: ASCII
/// letters in capitals, digits, and `_` for anything else (`ccc` → `CCC`).
fn env_suffix(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// How the client may use HTTP/2 (feature `http2`); see
/// [`ClientBuilder::http2`]. Without it the client speaks HTTP/1.1 only, as
/// the official SDKs do.
#[cfg(feature = "http2")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Http2 {
    /// Offer `h2` besides `http/1.1` in the TLS handshake (ALPN) and use what
    /// the server picks; plain `http://` stays HTTP/1.1.
    Negotiate,
    /// Speak HTTP/2 from the first byte, without asking (also over plain
    /// `http://`, "h2c"): only for endpoints known to take it.
    PriorKnowledge,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            client: PhantomData,
            config: Config::default(),
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("service", &self.config.service.map(|s| s.name))
            .field("skip_signing", &self.config.skip_signing)
            .field("credentials", &self.config.credentials)
            .field("site", &self.config.site)
            .field(
                "endpoint_url",
                &self.config.endpoint_url.as_deref().map(redact_url),
            )
            .field("region", &self.config.region)
            .field("regional_endpoint", &self.config.regional_endpoint)
            .field("language", &self.config.language)
            .field("timeout", &self.config.timeout)
            .field("attempt_timeout", &self.config.attempt_timeout)
            .field("connect_timeout", &self.config.connect_timeout)
            .field("retry", &self.config.retry)
            .field("retry_non_idempotent", &self.config.retry_non_idempotent)
            .field("max_response_size", &self.config.max_response_size)
            .field("strict_responses", &self.config.strict_responses)
            .field("rate_limit", &self.config.rate_limit)
            .field("proxy", &self.config.proxy.as_ref().map(|_| "** set **"))
            .field("hooks", &self.config.hooks.len())
            .field("from_env", &self.config.env.is_some())
            .finish_non_exhaustive()
    }
}

impl<C> ClientBuilder<C> {
    /// A builder with the defaults (see [`Client::builder`]). It reads
    /// nothing from the environment but credentials (through the default
    /// chain, when given none) and the proxy variables; for the region,
    /// endpoint and language too, start from [`ClientBuilder::from_env`].
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder that also takes from the environment, when it is built,
    /// the settings the code leaves unset — the code's settings win over
    /// the environment's, which win over the defaults:
    ///
    /// - `TENCENTCLOUD_REGION` (as tccli reads it): the region, which must be
    ///   a region name (`ap-guangzhou`: lower-case letters, digits, `-`);
    /// - `TENCENTCLOUD_ENDPOINT_URL_<SERVICE>` (`TENCENTCLOUD_ENDPOINT_URL_CCC`,
    ///   the service's name in capitals), else `TENCENTCLOUD_ENDPOINT_URL`
    ///   (for every service): the endpoint URL, used only when the code sets
    ///   none of [`endpoint_url`](ClientBuilder::endpoint_url),
    ///   [`site`](ClientBuilder::site) and
    ///   [`regional_endpoint`](ClientBuilder::regional_endpoint);
    /// - `TENCENTCLOUD_LANGUAGE`: `en-US` or `zh-CN`, in any case.
    ///
    /// No official SDK or tool reads an endpoint or a language from the
    /// environment, so those two names are this crate's own. Empty values
    /// count as unset. A value that is wrong fails [`build`](ClientBuilder::build)
    /// with a [`ConfigError`] whose `variable` names it. Credentials come
    /// from the default chain as with [`ClientBuilder::new`] (its first
    /// source is the environment); the library reads no region or endpoint
    /// from profile files (the `ccc` command line reads tccli's). A
    /// service's `Client::from_env()` is this builder, built.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`ClientBuilder::from_env`], with `lookup` in place of the process
    /// environment (tests, configuration layers); credentials still come
    /// from the default chain unless set.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        let mut builder = Self::default();
        builder.config.env = Some(Arc::new(lookup));
        builder
    }

    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = Some(Arc::new(credentials));
        self
    }

    /// A source asked for credentials before every request (see
    /// [`crate::credentials`]); the default is [`DefaultChain`].
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.config.credentials = Some(Arc::new(provider));
        self
    }

    /// The site whose public endpoint is used (the service's default site
    /// otherwise: international for CCC). Any service's `Site` names a site;
    /// the endpoint is the client's service's for that site, and a service
    /// without one is a configuration error.
    pub fn site(mut self, site: impl PublicSite) -> Self {
        self.config.site = Some(site.site_name());
        self
    }

    /// Send requests unsigned (`Authorization: SKIP`, no credentials asked
    /// for), as the few actions that carry their own proof of identity expect
    /// (STS `AssumeRoleWithWebIdentity`, `AssumeRoleWithSAML`). Off by default.
    /// Hidden: only `tencent-cloud-config`'s role providers need it.
    #[doc(hidden)]
    pub fn skip_signing(mut self, skip: bool) -> Self {
        self.config.skip_signing = skip;
        self
    }

    /// Any endpoint URL, for proxies, emulators and tests
    /// (`http://127.0.0.1:8080`); takes precedence over [`ClientBuilder::site`]. The
    /// `Host` header and the signature carry the port when the URL names one.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(url.into());
        self
    }

    /// Region sent as `X-TC-Region` (`ap-singapore`); CCC does not require one.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Call the site's endpoint in the client's [region](ClientBuilder::region)
    /// (`ccc.ap-guangzhou.tencentcloudapi.com`) instead of its nearest entry
    /// point, where the service's description lists regional hosts for the
    /// site. Building fails when there is no region, the region is not a
    /// region name, or the site has no regional hosts: a request never goes to
    /// a host the caller did not mean. Ignored with
    /// [`endpoint_url`](ClientBuilder::endpoint_url).
    pub fn regional_endpoint(mut self, regional: bool) -> Self {
        self.config.regional_endpoint = regional;
        self
    }

    /// Language of the service's messages.
    pub fn language(mut self, language: Language) -> Self {
        self.config.language = Some(language);
        self
    }

    /// Deadline of a whole call, retries and waits included (60 s by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = Some(timeout);
        self
    }

    /// Time limit of each attempt (by default, what is left of the deadline).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.config.attempt_timeout = Some(timeout);
        self
    }

    /// Time limit for establishing a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = Some(timeout);
        self
    }

    /// Retry settings (3 attempts, 200 ms initial backoff, 20 s cap by default).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.config.retry = Some(retry);
        self
    }

    /// Repeat calls of actions the spec does not mark idempotent after failures
    /// that may have reached the service (a timeout, a cut-off answer, an HTTP
    /// 5xx), as is done for idempotent ones. Off by default: such a call (say
    /// `CreateAutoCalloutTask`) could run twice. Rate-limit refusals and
    /// connections that were never made are retried for every action anyway.
    /// Per call: [`RequestOptions::idempotent`].
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.config.retry_non_idempotent = retry;
        self
    }

    /// Largest answer accepted, in bytes after decompression
    /// ([`DEFAULT_MAX_RESPONSE_SIZE`] by default). Reading stops once an answer
    /// grows past it, with [`TransportErrorKind::ResponseTooLarge`].
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.config.max_response_size = Some(bytes);
        self
    }

    /// Refuse answers that lack a member the spec promises (a decode error
    /// naming each), instead of reading it as its default and listing it in
    /// the response's `deviations()`. Off by default: the real service
    /// sometimes leaves members out. Tests against the emulator or recorded
    /// answers turn it on, so that a wrong spec fails them.
    pub fn strict_responses(mut self, strict: bool) -> Self {
        self.config.strict_responses = strict;
        self
    }

    /// Client-side rate limiting ([`RateLimit::Spec`] by default).
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.config.rate_limit = rate_limit;
        self
    }

    /// Send every request through this proxy (`http://proxy:3128`). Without it,
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` from the environment apply.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.config.proxy = Some(url.into());
        self
    }

    /// Use this HTTP client (its proxy, TLS, pool and `User-Agent` settings)
    /// instead of a new one; [`ClientBuilder::connect_timeout`],
    /// [`ClientBuilder::proxy`] and the HTTP version settings then have no
    /// effect. Keep it on HTTP/1.1 (`http1_only()`) to speak as the official
    /// SDKs do.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.config.http = Some(http);
        self
    }

    /// Calls `hook` around every attempt of every call (see [`crate::hooks`]);
    /// hooks run in the order added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.config.hooks.push(Arc::new(hook));
        self
    }

    /// Allow HTTP/2 (feature `http2`); by default the client speaks HTTP/1.1
    /// only. Has no effect with [`ClientBuilder::http_client`].
    #[cfg(feature = "http2")]
    pub fn http2(mut self, mode: Http2) -> Self {
        self.config.http2 = Some(mode);
        self
    }

    /// Answer every call from `mock`'s scripted rules instead of the network
    /// (see [`crate::mock`]); takes precedence over [`ClientBuilder::http_client`].
    /// Signing, decoding, retries (with their waits) and rate limits work as
    /// configured; [`ClientBuilder::mocked`] sets test-friendly defaults.
    /// Without [`credentials`](ClientBuilder::credentials) or a
    /// [`credentials_provider`](ClientBuilder::credentials_provider), the
    /// client signs with [`mock::test_credentials`](crate::mock::test_credentials)
    /// and never asks the default chain; no HTTP client is made, so no
    /// endpoint or proxy is connected to.
    #[cfg(feature = "test-util")]
    pub fn mock(mut self, mock: Mock) -> Self {
        self.config.mock = Some(mock);
        self
    }

    /// The same settings, building another client type. A service's client
    /// always talks to its own service, whatever a builder of the runtime's
    /// [`Client`] was told. Hidden: the generated clients' plumbing.
    #[doc(hidden)]
    pub fn for_client<D>(self) -> ClientBuilder<D> {
        ClientBuilder {
            client: PhantomData,
            config: self.config,
        }
    }
}

impl ClientBuilder<Client> {
    /// The service the runtime's untyped [`Client`] talks to (its name and
    /// version on the wire, its signing scope and endpoints), to reach any
    /// service's actions with [`Client::call`]. Not offered on a service's
    /// own builder: its client always talks to its own service.
    ///
    /// ```
    /// let sts = tencent_cloud_runtime::Client::builder()
    ///     .service(&tencent_cloud_sts::SERVICE_DESCRIPTION)
    ///     .build();
    /// # let _ = sts;
    /// ```
    ///
    /// ```compile_fail
    /// // No `service` on a service client's builder.
    /// let _ = tencent_cloud_sts::Client::builder().service(&tencent_cloud_sts::SERVICE_DESCRIPTION);
    /// ```
    pub fn service(mut self, service: &'static Service) -> Self {
        self.config.service = Some(service);
        self
    }
}

impl<C: ServiceClient> ClientBuilder<C> {
    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<C, ConfigError> {
        self.build_core().map(C::from)
    }

    /// A client answered by `mock`'s scripted rules, for unit tests: no
    /// network, fixed test credentials, no client-side rate limit, and retries
    /// as by default but without waiting between attempts. For other settings
    /// use [`ClientBuilder::mock`]. Fails only for a client type without a
    /// service of its own (the runtime's [`Client`]: give it one with
    /// [`ClientBuilder::service`] and [`ClientBuilder::mock`]).
    #[cfg(feature = "test-util")]
    pub fn mocked(mock: &Mock) -> Result<C, ConfigError> {
        Self::mocked_with(mock, |builder| builder)
    }

    /// A client answered by `mock`, starting from the settings of
    /// [`ClientBuilder::mocked`] (fixed test credentials, no client-side rate
    /// limit, retries without waits) and then `configure`'s: a region, a
    /// language, hooks, strict responses, other retries...
    ///
    /// ```
    /// use tencent_cloud_runtime::mock::Mock;
    /// use tencent_cloud_runtime::Language;
    ///
    /// let client = tencent_cloud_sts::ClientBuilder::mocked_with(&Mock::new(), |b| {
    ///     b.region("ap-guangzhou").language(Language::EnUs)
    /// })
    /// .unwrap();
    /// # let _ = client;
    /// ```
    #[cfg(feature = "test-util")]
    pub fn mocked_with(
        mock: &Mock,
        configure: impl FnOnce(Self) -> Self,
    ) -> Result<C, ConfigError> {
        let instant = RetryConfig {
            initial_backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
            ..RetryConfig::default()
        };
        let builder = Self::new()
            .mock(mock.clone())
            .credentials(crate::mock::test_credentials())
            .rate_limit(RateLimit::Off)
            .retry(instant);
        configure(builder).build()
    }

    /// Where the client's credentials come from: those set in code; with a
    /// mock and none set, the fixed test credentials (a mocked client never
    /// reads the environment, files or the metadata host); else the client
    /// type's default chain.
    fn credentials_source(config: &Config) -> Arc<dyn ProvideCredentials> {
        if let Some(c) = &config.credentials {
            return c.clone();
        }
        #[cfg(feature = "test-util")]
        if config.mock.is_some() {
            return Arc::new(crate::mock::test_credentials());
        }
        C::default_credentials()
    }

    fn build_core(mut self) -> Result<Client, ConfigError> {
        // A service's client talks to its own service only.
        let Some(service) = C::default_service().or(self.config.service) else {
            return Err(ConfigError::new(
                "no service: name one with `ClientBuilder::service`, or build a \
                 service crate's own client (its `Client::builder()`)",
            ));
        };
        let endpoint_variable = match self.config.env.take() {
            Some(lookup) => self.config.apply_env(service, &*lookup)?,
            None => None,
        };
        let credentials = Self::credentials_source(&self.config);
        // An error in an endpoint URL read from the environment names the
        // variable.
        let url_error = |reason: String| match &endpoint_variable {
            Some(variable) => ConfigError::in_variable(variable, reason),
            None => ConfigError::new(reason),
        };
        let url_text = match (&self.config.endpoint_url, self.config.site) {
            (Some(url), _) => url.clone(),
            (None, site) => {
                let endpoint = match site {
                    Some(site) => service.endpoint(site),
                    None => service.default_endpoint(),
                };
                let Some(endpoint) = endpoint else {
                    return Err(ConfigError::new(format!(
                        "{} has no endpoint for the site {}",
                        service.name,
                        site.unwrap_or("(default)")
                    )));
                };
                if self.config.regional_endpoint {
                    let Some(region) = self.config.region.as_deref() else {
                        return Err(ConfigError::new(
                            "a regional endpoint needs a region (ClientBuilder::region)",
                        ));
                    };
                    let host = endpoint.host_in(region.trim()).map_err(|e| {
                        ConfigError::new(format!("{} regional endpoint: {e}", service.name))
                    })?;
                    format!("https://{host}/")
                } else {
                    format!("https://{}/", endpoint.host)
                }
            }
        };
        let shown = redact_url(&url_text);
        let url = reqwest::Url::parse(&url_text)
            .map_err(|e| url_error(format!("endpoint URL `{shown}`: {e}")))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(url_error(format!(
                "endpoint URL `{shown}`: scheme must be http or https"
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // The request is signed with TC3 in `Authorization`; a user name or
            // password in the URL has no use and would only leak.
            return Err(url_error(format!(
                "endpoint URL `{shown}`: must not carry a user name or password"
            )));
        }
        let Some(host) = url.host_str() else {
            return Err(url_error(format!("endpoint URL `{shown}` has no host")));
        };
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        self.config.rate_limit.check()?;
        if let Some(r) = &self.config.region {
            HeaderValue::from_str(r.trim()).map_err(|_| {
                ConfigError::new(format!("region `{r}` is not a valid header value"))
            })?;
        }
        // Data too: a crate name no header can carry is refused here.
        let request_client = service.request_client();
        let Some(request_client) = static_header(request_client) else {
            return Err(ConfigError::new(format!(
                "{}: client name `{}` is not a valid header value",
                service.name,
                request_client.escape_debug()
            )));
        };
        #[cfg(feature = "test-util")]
        let mocked = self.config.mock.map(Transport::Mock);
        #[cfg(not(feature = "test-util"))]
        let mocked = None;
        let transport = match (mocked, self.config.http) {
            (Some(mocked), _) => mocked,
            (None, Some(http)) => Transport::Http(http),
            (None, None) => {
                let mut b = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .user_agent(request_client.clone());
                #[cfg(feature = "gzip")]
                {
                    b = b.gzip(true);
                }
                #[cfg(feature = "http2")]
                {
                    b = match self.config.http2 {
                        None => b.http1_only(),
                        Some(Http2::Negotiate) => b,
                        Some(Http2::PriorKnowledge) => b.http2_prior_knowledge(),
                    };
                }
                #[cfg(not(feature = "http2"))]
                {
                    // Another crate of the build may turn reqwest's `http2` on.
                    b = b.http1_only();
                }
                if let Some(t) = self.config.connect_timeout {
                    b = b.connect_timeout(t);
                }
                if let Some(p) = &self.config.proxy {
                    let proxy = reqwest::Proxy::all(p).map_err(|e| {
                        ConfigError::new(format!("proxy URL `{}`: {e}", redact_url(p)))
                    })?;
                    b = b.proxy(proxy);
                }
                Transport::Http(
                    b.build()
                        .map_err(|e| ConfigError::new(format!("HTTP client: {e}")))?,
                )
            }
        };
        // A service description is data a user may supply: checked, not trusted.
        let Some(version) = static_header(service.version) else {
            return Err(ConfigError::new(format!(
                "{}: version `{}` is not a valid header value",
                service.name, service.version
            )));
        };
        Ok(Client {
            shared: Arc::new(Inner {
                service,
                version,
                request_client,
                skip_signing: self.config.skip_signing,
                transport,
                url,
                signer: PostSigner::new(JSON, &host),
                region: self.config.region.map(|r| r.trim().to_owned()),
                language: self.config.language,
                timeout: self.config.timeout.unwrap_or(DEFAULT_TIMEOUT),
                attempt_timeout: self.config.attempt_timeout,
                retry: self.config.retry.unwrap_or_default(),
                retry_non_idempotent: self.config.retry_non_idempotent,
                max_response_size: self
                    .config
                    .max_response_size
                    .unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
                strict_responses: self.config.strict_responses,
                limiter: RateLimiter::new(self.config.rate_limit),
                credentials,
                hooks: Hooks(self.config.hooks.into()),
                signing_key: Mutex::new(None),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::Endpoint;

    /// CCC's endpoints as its spec gives them (the service crate depends on
    /// the runtime, not the other way round).
    static CCC: Service = Service::new(
        "ccc",
        "2020-02-10",
        "ccc",
        &[
            Endpoint::new("International", "ccc.intl.tencentcloudapi.com", true),
            Endpoint::new("China", "ccc.tencentcloudapi.com", false)
                .with_regional_host("ccc.{region}.tencentcloudapi.com"),
        ],
        &[],
        &[],
    );

    /// A second service, whose default site has regional hosts.
    static STS: Service = Service::new(
        "sts",
        "2018-08-13",
        "sts",
        &[
            Endpoint::new("China", "sts.tencentcloudapi.com", true)
                .with_regional_host("sts.{region}.tencentcloudapi.com"),
            Endpoint::new("International", "sts.intl.tencentcloudapi.com", false),
        ],
        &[],
        &[],
    );

    /// A service's own client type, as generated code declares one.
    #[derive(Debug)]
    struct StsClient(Client);

    impl From<Client> for StsClient {
        fn from(c: Client) -> Self {
            StsClient(c)
        }
    }

    impl ServiceClient for StsClient {
        fn default_service() -> Option<&'static Service> {
            Some(&STS)
        }
    }

    /// The sites of [`CCC`], as a generated `Site` names them.
    #[derive(Clone, Copy)]
    enum Site {
        China,
    }

    impl PublicSite for Site {
        fn site_name(self) -> &'static str {
            match self {
                Site::China => "China",
            }
        }
    }

    /// A runtime client builder for [`CCC`].
    fn builder() -> ClientBuilder {
        Client::builder().service(&CCC)
    }

    fn creds() -> Credentials {
        Credentials::new("AKIDtest", "secretkey-xyz").with_token("token-abc")
    }

    /// The headers of an attempt as sent, signature included.
    fn signed_headers(
        c: &Client,
        timestamp: u64,
        credentials: &Credentials,
        options: &RequestOptions,
    ) -> HeaderMap {
        let action = HeaderValue::from_static("DescribeAutoCalloutTask");
        let mut h = c.inner().headers(&action, timestamp, options).unwrap();
        c.inner()
            .sign(&mut h, timestamp, credentials, b"{}")
            .unwrap();
        h
    }

    #[cfg(feature = "test-util")]
    #[test]
    fn mocked_client_builds() {
        let c = ClientBuilder::<StsClient>::mocked(&Mock::new()).unwrap().0;
        // Without a service of its own, the runtime's client is refused, not
        // panicked on.
        let e = ClientBuilder::<Client>::mocked(&Mock::new()).unwrap_err();
        assert!(e.reason.contains("no service"), "{e}");
        assert_eq!(c.inner().retry.initial_backoff, Duration::ZERO);
        assert!(matches!(c.inner().transport, Transport::Mock(_)));
    }

    #[test]
    fn the_runtime_client_must_be_told_its_service() {
        let e = Client::builder().credentials(creds()).build().unwrap_err();
        assert!(e.reason.contains("no service"), "{e}");
        let c = Client::builder()
            .credentials(creds())
            .service(&STS)
            .build()
            .unwrap();
        assert_eq!(c.endpoint(), "https://sts.tencentcloudapi.com/");
        // A service's client names its own...
        let c = ClientBuilder::<StsClient>::new()
            .credentials(creds())
            .build()
            .unwrap()
            .0;
        assert_eq!(c.endpoint(), "https://sts.tencentcloudapi.com/");
        // ...even when a builder told another one changes the client type
        // it builds: the other settings stay, the service does not.
        let c = builder()
            .credentials(creds())
            .endpoint_url("http://127.0.0.1:9")
            .for_client::<StsClient>()
            .build()
            .unwrap()
            .0;
        assert_eq!(c.service().name, "sts");
        assert_eq!(c.endpoint(), "http://127.0.0.1:9/");
    }

    #[test]
    fn client_is_cheap_clone_send_sync() {
        fn assert_traits<T: Clone + Send + Sync + 'static>() {}
        assert_traits::<Client>();
    }

    #[test]
    fn host_carries_an_explicit_port_only() {
        let c = builder()
            .credentials(creds())
            .endpoint_url("http://127.0.0.1:8080")
            .build()
            .unwrap();
        assert_eq!(c.inner().signer.host(), "127.0.0.1:8080");
        let c = builder()
            .credentials(creds())
            .endpoint_url("https://example.com:443/")
            .build()
            .unwrap();
        assert_eq!(c.inner().signer.host(), "example.com");
        let c = builder().credentials(creds()).build().unwrap();
        assert_eq!(c.inner().signer.host(), "ccc.intl.tencentcloudapi.com");
        assert_eq!(c.endpoint(), "https://ccc.intl.tencentcloudapi.com/");
        let c = builder()
            .credentials(creds())
            .site(Site::China)
            .build()
            .unwrap();
        assert_eq!(c.inner().signer.host(), "ccc.tencentcloudapi.com");
    }

    #[test]
    fn regional_endpoints_come_from_the_description_or_the_build_fails() {
        let regional = |site: Option<Site>, region: Option<&str>, service: &'static Service| {
            let mut b = builder()
                .credentials(creds())
                .service(service)
                .regional_endpoint(true);
            if let Some(site) = site {
                b = b.site(site);
            }
            if let Some(region) = region {
                b = b.region(region);
            }
            b.build().map(|c| c.endpoint().to_owned())
        };
        let sts = &STS;
        let ccc = &CCC;
        assert_eq!(
            regional(Some(Site::China), Some("ap-guangzhou"), ccc).unwrap(),
            "https://ccc.ap-guangzhou.tencentcloudapi.com/"
        );
        // STS's default site is the China one.
        assert_eq!(
            regional(None, Some("ap-singapore"), sts).unwrap(),
            "https://sts.ap-singapore.tencentcloudapi.com/"
        );
        // No region; a site without regional hosts (CCC's international one,
        // its default); strings that would change what the host means.
        assert!(regional(Some(Site::China), None, ccc).is_err());
        assert!(regional(None, Some("ap-singapore"), ccc).is_err());
        for bad in [
            "",
            "AP-GUANGZHOU",
            "ap-guangzhou.evil.example",
            "ap/x",
            "ap:443",
            "-ap",
            "ap-",
            "ap guangzhou",
            "ap\u{0}",
            &"a".repeat(65),
        ] {
            let e = regional(Some(Site::China), Some(bad), ccc).unwrap_err();
            assert!(e.to_string().contains("not a region name"), "{bad:?}: {e}");
        }
        // Off by default: the region is only a header then.
        let c = builder()
            .credentials(creds())
            .site(Site::China)
            .region("ap-guangzhou")
            .build()
            .unwrap();
        assert_eq!(c.endpoint(), "https://ccc.tencentcloudapi.com/");
    }

    #[test]
    fn bad_configuration_is_a_typed_error() {
        let e = builder()
            .credentials(creds())
            .endpoint_url("not a url")
            .build()
            .unwrap_err();
        assert!(e.reason.contains("not a url"), "{e}");
        let e = builder()
            .credentials(creds())
            .endpoint_url("ftp://x/")
            .build()
            .unwrap_err();
        assert!(e.reason.contains("scheme"), "{e}");
        let e = builder()
            .credentials(creds())
            .region("ap-\nx")
            .build()
            .unwrap_err();
        assert!(e.reason.contains("region"), "{e}");
        // A service description is data: a version no header can carry is
        // refused when the client is built, not panicked on or sent.
        static BROKEN: Service = Service::new("ccc", "2020-02-10\r\nX: y", "ccc", &[], &[], &[]);
        let e = builder()
            .service(&BROKEN)
            .endpoint_url("http://127.0.0.1:1")
            .credentials(Credentials::new("AKID", "k"))
            .build()
            .unwrap_err();
        assert!(e.reason.contains("not a valid header value"), "{e}");
    }

    #[test]
    fn header_set_matches_the_official_sdks() {
        let c = builder()
            .credentials(creds())
            .endpoint_url("http://127.0.0.1:9000")
            .region("ap-singapore")
            .language(Language::EnUs)
            .build()
            .unwrap();
        let h = signed_headers(&c, 1_700_000_000, &creds(), &RequestOptions::default());
        let mut names: Vec<&str> = h.keys().map(|k| k.as_str()).collect();
        names.sort_unstable();
        // `Host` comes from the transport (as `:authority` over HTTP/2).
        assert_eq!(
            names,
            [
                "authorization",
                "content-type",
                "x-tc-action",
                "x-tc-language",
                "x-tc-region",
                "x-tc-requestclient",
                "x-tc-timestamp",
                "x-tc-token",
                "x-tc-version",
            ]
        );
        assert_eq!(h["content-type"], "application/json");
        // A description that names no crate sends the runtime's name.
        assert_eq!(
            REQUEST_CLIENT,
            concat!("tencent-cloud-runtime/", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(h["x-tc-requestclient"], REQUEST_CLIENT);
        assert_eq!(h["x-tc-version"], "2020-02-10");
        assert_eq!(h["x-tc-timestamp"], "1700000000");
        assert_eq!(h["x-tc-language"], "en-US");
        let auth = h["authorization"].to_str().unwrap();
        assert!(auth.starts_with("TC3-HMAC-SHA256 Credential=AKIDtest/2023-11-14/ccc/tc3_request, SignedHeaders=content-type;host, Signature="), "{auth}");
        // The headers' Debug output hides the secrets.
        let shown = format!("{h:?}");
        // Per-request options override the client's region and language.
        let o = RequestOptions::new()
            .region("ap-guangzhou")
            .language(Language::EnUs);
        let h2 = signed_headers(&c, 1, &creds(), &o);
        assert_eq!(h2["x-tc-region"], "ap-guangzhou");
        assert!(
            !shown.contains("token-abc") && !shown.contains("Signature="),
            "{shown}"
        );
    }

    #[test]
    fn the_request_client_names_the_service_crate() {
        static NAMED: Service = Service::new("ccc", "2020-02-10", "ccc", &[], &[], &[])
            .with_client_name("ccc-api/1.2.3");
        let c = builder()
            .service(&NAMED)
            .credentials(creds())
            .endpoint_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let h = signed_headers(&c, 1, &creds(), &RequestOptions::default());
        assert_eq!(h["x-tc-requestclient"], "ccc-api/1.2.3");
        assert_eq!(NAMED.request_client(), "ccc-api/1.2.3");
        assert_eq!(CCC.request_client(), REQUEST_CLIENT);
        // A name no header can carry is refused when the client is built,
        // not panicked on or sent.
        for bad in ["ccc-api/1\r\nX: y", "ccc-äpi/1", "a\u{7f}"] {
            let service: &'static Service = Box::leak(Box::new(
                Service::new("ccc", "2020-02-10", "ccc", &[], &[], &[]).with_client_name(bad),
            ));
            let e = builder()
                .service(service)
                .endpoint_url("http://127.0.0.1:9")
                .credentials(creds())
                .build()
                .unwrap_err();
            assert!(e.reason.contains("client name"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn event_streams_are_told_by_their_content_type() {
        let of = |value: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(CONTENT_TYPE, HeaderValue::from_static(value));
            is_event_stream(&h)
        };
        assert!(of("text/event-stream"));
        assert!(of("Text/Event-Stream; charset=utf-8"));
        assert!(of(" text/event-stream ;x=y"));
        assert!(!of("application/json"));
        assert!(!of("text/event-streams"));
        assert!(!of("text/plain; x=text/event-stream"));
        assert!(!is_event_stream(&HeaderMap::new()));
        let e = streaming_error("ChatCompletions", 200);
        assert_eq!(e.kind, crate::error::DecodeErrorKind::Streaming);
        let shown = e.to_string();
        assert!(
            shown.starts_with(
                "HTTP 200, event stream not read: ChatCompletions answered with an event stream"
            ),
            "{shown}"
        );
        assert!(!shown.contains("body ("), "{shown}");
    }

    #[test]
    fn optional_headers_are_absent_when_unset() {
        let c = builder()
            .credentials(Credentials::new("id", "key"))
            .build()
            .unwrap();
        let h = signed_headers(
            &c,
            1,
            &Credentials::new("id", "key"),
            &RequestOptions::default(),
        );
        for name in ["x-tc-region", "x-tc-token", "x-tc-language"] {
            assert!(!h.contains_key(name), "{name}");
        }
    }

    /// A lookup over fixed pairs, in place of the process environment.
    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
        let map: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    /// A builder for [`CCC`] reading `pairs` as its environment.
    fn from_vars(pairs: &[(&str, &str)]) -> ClientBuilder {
        ClientBuilder::from_lookup(vars(pairs))
            .service(&CCC)
            .credentials(creds())
    }

    #[test]
    fn settings_come_from_the_environment_when_code_leaves_them_unset() {
        let c = from_vars(&[
            ("TENCENTCLOUD_REGION", " ap-guangzhou "),
            ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:8787"),
            ("TENCENTCLOUD_LANGUAGE", "en-us"),
        ])
        .build()
        .unwrap();
        assert_eq!(c.inner().region.as_deref(), Some("ap-guangzhou"));
        assert_eq!(c.endpoint(), "http://127.0.0.1:8787/");
        assert_eq!(c.inner().language, Some(Language::EnUs));

        // The service's own variable before the shared one.
        let c = from_vars(&[
            ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:1"),
            ("TENCENTCLOUD_ENDPOINT_URL_CCC", "http://127.0.0.1:2"),
            ("TENCENTCLOUD_ENDPOINT_URL_STS", "http://127.0.0.1:3"),
        ])
        .build()
        .unwrap();
        assert_eq!(c.endpoint(), "http://127.0.0.1:2/");

        // Code wins over the environment, setting by setting; a wrong value
        // the code overrides is never read.
        let env = [
            ("TENCENTCLOUD_REGION", "NOT A REGION"),
            ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:1"),
            ("TENCENTCLOUD_LANGUAGE", "klingon"),
        ];
        let c = from_vars(&env)
            .region("ap-singapore")
            .language(Language::ZhCn)
            .site(Site::China)
            .build()
            .unwrap();
        assert_eq!(c.inner().region.as_deref(), Some("ap-singapore"));
        assert_eq!(c.inner().language, Some(Language::ZhCn));
        assert_eq!(c.endpoint(), "https://ccc.tencentcloudapi.com/");
        for code in [
            from_vars(&env).endpoint_url("http://127.0.0.1:9"),
            from_vars(&env).site(Site::China),
        ] {
            let c = code.region("ap-guangzhou").language(Language::EnUs).build();
            assert!(!c.unwrap().endpoint().contains(":1/"));
        }
        // A regional endpoint set in code takes the region from the
        // environment, and keeps its endpoint.
        let c = from_vars(&[
            ("TENCENTCLOUD_REGION", "ap-beijing"),
            ("TENCENTCLOUD_ENDPOINT_URL", "http://127.0.0.1:1"),
        ])
        .site(Site::China)
        .regional_endpoint(true)
        .build()
        .unwrap();
        assert_eq!(c.endpoint(), "https://ccc.ap-beijing.tencentcloudapi.com/");

        // Unset or empty: the defaults.
        for env in [
            &[][..],
            &[("TENCENTCLOUD_REGION", " "), ("TENCENTCLOUD_LANGUAGE", "")],
        ] {
            let c = from_vars(env).build().unwrap();
            assert_eq!(c.inner().region, None);
            assert_eq!(c.inner().language, None);
            assert_eq!(c.endpoint(), "https://ccc.intl.tencentcloudapi.com/");
        }
        // `new()` reads none of them.
        let c = builder().credentials(creds()).build().unwrap();
        assert_eq!(c.endpoint(), "https://ccc.intl.tencentcloudapi.com/");
    }

    #[test]
    fn a_wrong_value_in_the_environment_names_its_variable() {
        let cases = [
            ("TENCENTCLOUD_REGION", "AP-GUANGZHOU", "not a region name"),
            (
                "TENCENTCLOUD_REGION",
                "ap-guangzhou.evil.example",
                "not a region name",
            ),
            ("TENCENTCLOUD_REGION", "ap\ngz", "not a region name"),
            ("TENCENTCLOUD_LANGUAGE", "fr-FR", "use en-US or zh-CN"),
            ("TENCENTCLOUD_LANGUAGE", "en", "use en-US or zh-CN"),
            (
                "TENCENTCLOUD_ENDPOINT_URL",
                "127.0.0.1:8787",
                "endpoint URL",
            ),
            (
                "TENCENTCLOUD_ENDPOINT_URL",
                "ftp://x/",
                "scheme must be http or https",
            ),
            (
                "TENCENTCLOUD_ENDPOINT_URL",
                "https://u:p@x/",
                "user name or password",
            ),
            ("TENCENTCLOUD_ENDPOINT_URL_CCC", "not a url", "endpoint URL"),
        ];
        for (variable, value, says) in cases {
            let e = from_vars(&[(variable, value)]).build().unwrap_err();
            assert_eq!(e.variable.as_deref(), Some(variable), "{value}: {e}");
            assert!(e.reason.contains(says), "{value}: {e}");
            let shown = e.to_string();
            assert!(shown.contains(variable), "{shown}");
            // Never the password of a URL.
            assert!(!shown.contains("u:p"), "{shown}");
        }
        // An endpoint URL set in code names no variable when wrong.
        let e = from_vars(&[]).endpoint_url("ftp://x/").build().unwrap_err();
        assert_eq!(e.variable, None);
    }

    #[test]
    fn service_names_end_variable_names_in_capitals() {
        assert_eq!(env_suffix("ccc"), "CCC");
        assert_eq!(env_suffix("tke-2"), "TKE_2");
        assert_eq!(Language::from_tag("ZH-cn"), Some(Language::ZhCn));
        assert_eq!(Language::from_tag("zh"), None);
    }

    #[cfg(feature = "test-util")]
    #[test]
    fn a_mock_without_credentials_signs_with_the_test_keys() {
        let config = |b: ClientBuilder<StsClient>| b.config;
        let mocked = config(ClientBuilder::new().mock(Mock::new()));
        let provider = ClientBuilder::<StsClient>::credentials_source(&mocked);
        let keys = provider.ready_credentials().expect("fixed keys");
        assert_eq!(keys.secret_id(), crate::mock::TEST_SECRET_ID);
        // Keys given in code stay, mock or not.
        let given = config(ClientBuilder::new().mock(Mock::new()).credentials(creds()));
        let provider = ClientBuilder::<StsClient>::credentials_source(&given);
        assert_eq!(
            provider.ready_credentials().unwrap().secret_id(),
            "AKIDtest"
        );
        // Without a mock: the default chain.
        let plain = config(ClientBuilder::new());
        let shown = format!(
            "{:?}",
            ClientBuilder::<StsClient>::credentials_source(&plain)
        );
        assert!(shown.contains("DefaultChain"), "{shown}");
    }

    #[test]
    fn debug_hides_secrets() {
        let c = builder().credentials(creds()).build().unwrap();
        let shown = format!("{c:?} {:?}", builder().credentials(creds()));
        assert!(
            !shown.contains("secretkey-xyz") && !shown.contains("token-abc"),
            "{shown}"
        );
    }
}

#[cfg(test)]
mod request_id_tests {
    #[test]
    fn finds_the_request_id() {
        assert_eq!(
            super::request_id_of(r#"{"A":1,"RequestId" : "abc-1"}"#),
            Some("abc-1")
        );
        assert_eq!(super::request_id_of(r#"{"A":1}"#), None);
    }
}
