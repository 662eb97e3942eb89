//! What a call tells a `tracing` subscriber: one `tencent_cloud.call` span
//! per call, with its service, action, attempts, request id, outcome and
//! latency; a debug event for each retry and for a failure. What is logged
//! never includes a secret or the body of an answer that could not be
//! decoded.

use super::Inner;
use crate::error::SdkError;
use std::fmt;
use std::time::{Duration, Instant};

/// The span of one call of `action`. One name for every service; the
/// fields tell them apart, and those left empty are recorded as the call
/// goes ([`finish`]).
pub(super) fn call_span(inner: &Inner, action: &str) -> tracing::Span {
    tracing::debug_span!(
        "tencent_cloud.call",
        service = inner.service.name,
        version = inner.service.version,
        action,
        attempts = tracing::field::Empty,
        request_id = tracing::field::Empty,
        outcome = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    )
}

/// Records the end of a call started at `started` on the current span: its
/// attempts and latency, and its outcome; a failure's error gets its
/// attempt count.
pub(super) fn finish<T>(
    result: Result<T, SdkError<String>>,
    started: Instant,
    attempts: u32,
) -> Result<T, SdkError<String>> {
    let span = tracing::Span::current();
    if !span.is_disabled() {
        span.record("attempts", attempts);
        span.record("latency_ms", saturating_millis(started.elapsed()));
    }
    match result {
        Ok(ok) => {
            span.record("outcome", "ok");
            Ok(ok)
        }
        Err(e) => Err(call_failed(&span, e, attempts)),
    }
}

/// Logs a retry. Out of line, with [`call_failed`]: the code of failures
/// stays apart from the code every successful call runs.
#[cold]
#[inline(never)]
pub(super) fn log_retry(attempt: u32, reason: &str, backoff: Duration, error: &SdkError<String>) {
    tracing::debug!(attempt, reason, backoff_ms = saturating_millis(backoff), error = %Logged(error), "retrying");
}

/// A failed call's error with its attempt count, recorded on the call's span
/// and logged.
#[cold]
#[inline(never)]
pub(super) fn call_failed(
    span: &tracing::Span,
    mut e: SdkError<String>,
    attempt: u32,
) -> SdkError<String> {
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
pub(super) fn record_request_id(span: &tracing::Span, body: &str) {
    if let Some(id) = request_id_of(body) {
        span.record("request_id", id);
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
pub(super) fn saturating_millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
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

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_request_id() {
        assert_eq!(
            super::request_id_of(r#"{"A":1,"RequestId" : "abc-1"}"#),
            Some("abc-1")
        );
        assert_eq!(super::request_id_of(r#"{"A":1}"#), None);
    }
}
