//! One call: the wait for the client-side rate limit, the attempts with
//! their time limits, the retries with their backoff, all within the call's
//! deadline; and what one attempt does (credentials, headers, hooks,
//! signature, transport, envelope).

use super::trace::{self, log_retry};
use super::transport::{self, Transport};
use super::{Client, Inner, Meta};
use crate::credentials::Credentials;
use crate::error::{CredentialsError, SdkError, TransportError};
use crate::hooks::AfterAttempt;
use crate::options::RequestOptions;
use crate::response::{read_envelope, RawResponse};
use crate::retry::retry_reason;
use bytes::Bytes;
use reqwest::header::HeaderValue;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tracing::Instrument;

impl Client {
    /// Rate limit, sign, post, read the envelope; retry what may be retried. Not
    /// generic, so it is compiled once for all actions. The body is shared by
    /// the attempts, never copied.
    pub(super) async fn send(
        &self,
        action: &str,
        meta: Meta,
        body: Bytes,
        options: &RequestOptions,
    ) -> Result<RawResponse, SdkError<String>> {
        let inner = self.inner();
        let span = trace::call_span(inner, action);
        async move {
            let started = Instant::now();
            let deadline = Deadline::after(options.timeout.unwrap_or(inner.timeout));
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
                        // Said as it is, and at once: sleeping first would
                        // only end in the deadline's error.
                        let left = deadline.remaining();
                        attempt -= 1;
                        break Err(SdkError::Transport(
                            TransportError::rate_limit_past_deadline(action, wait, left),
                        ));
                    }
                    tokio::time::sleep(wait).await;
                }
                let remaining = deadline.remaining();
                if remaining.is_zero() {
                    // Counted as made: this attempt was not.
                    attempt -= 1;
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
            let result = result.map(|mut raw| {
                raw.attempts = attempt;
                raw
            });
            trace::finish(result, started, attempt)
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
        let max_size = options.max_response_size.unwrap_or(inner.max_response_size);
        let (code, body) = transport::exchange(
            http, &inner.url, action, headers, body, limit, max_size, status,
        )
        .await?;
        // An error quotes neither the key that signed the request nor its
        // session token, whatever the server echoes.
        let secrets = [credentials.secret_key(), credentials.token().unwrap_or("")];
        let raw = read_envelope(inner.service.sensitive_members, action, code, body)
            .map_err(|e| crate::redact::hide_in_error(e, &secrets))?;
        let span = tracing::Span::current();
        if !span.is_disabled() {
            trace::record_request_id(&span, raw.body());
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
                            trace::saturating_millis(limit)
                        ),
                    ))
                })?
                .map_err(Into::into),
        }
    }
}

/// The end of a call's time, on tokio's clock as the waits and the
/// attempts' timers are (so that a test with paused time sees one clock). A
/// limit too far away to be represented (`Duration::MAX`) means no deadline,
/// rather than an overflow.
#[derive(Clone, Copy)]
struct Deadline(Option<tokio::time::Instant>);

impl Deadline {
    /// The deadline `limit` from now.
    fn after(limit: Duration) -> Self {
        Deadline(tokio::time::Instant::now().checked_add(limit))
    }

    /// Time left; a year for no deadline (far past any real call, and a value
    /// timers take).
    fn remaining(self) -> Duration {
        match self.0 {
            Some(at) => at.saturating_duration_since(tokio::time::Instant::now()),
            None => Duration::from_secs(365 * 24 * 3600),
        }
    }

    /// Whether waiting `wait` from now still ends before the deadline.
    fn leaves(self, wait: Duration) -> bool {
        match self.0 {
            Some(at) => tokio::time::Instant::now()
                .checked_add(wait)
                .is_some_and(|end| end < at),
            None => wait < self.remaining(),
        }
    }
}
