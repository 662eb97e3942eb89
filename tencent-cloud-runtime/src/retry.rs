//! When to send a request again, and how long to wait first.
//!
//! Retried for every action: a connection that was never made, and
//! `RequestLimitExceeded` and its sub-codes (the service did not run the
//! request). A request that may have run (a timeout, a cut-off answer, an HTTP
//! 5xx without a service error) is retried only for idempotent actions, or when
//! the caller says it is safe. An answer that is an event stream
//! ([`DecodeErrorKind::Streaming`]) is never retried. Waits grow
//! exponentially with full jitter, and never pass the overall deadline.

use crate::error::{DecodeErrorKind, SdkError, TransportErrorKind};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How a client retries.
///
/// Built with [`RetryConfig::new`] (the defaults) and its setters, or
/// [`RetryConfig::disabled`]; fields stay readable. `#[non_exhaustive]`, so a
/// setting added later (a jitter mode, say) breaks no one's code:
///
/// ```
/// use std::time::Duration;
/// let retry = tencent_cloud_runtime::RetryConfig::new()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(100));
/// assert_eq!(retry.max_attempts, 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// Upper bound of the first wait; each later one doubles it.
    pub initial_backoff: Duration,
    /// Upper bound of any wait.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// The defaults: 3 attempts, waits from 200 ms up to 20 s.
    pub fn new() -> Self {
        Self::default()
    }

    /// Attempts in all, the first included; 1 turns retries off (0 counts as 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Upper bound of the first wait; each later one doubles it.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// Upper bound of any wait.
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// No retries.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before attempt `next` (2 for the first retry): uniformly random
    /// between zero and `min(max_backoff, initial_backoff * 2^(next-2))`.
    pub fn backoff(&self, next: u32) -> Duration {
        let exp = next.saturating_sub(2).min(31);
        let cap = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % nanos.saturating_add(1))
    }
}

/// Why a failed attempt may be sent again, or `None` if it must not.
pub(crate) fn retry_reason<C>(
    error: &SdkError<C>,
    raw_code: Option<&str>,
    idempotent: bool,
) -> Option<&'static str> {
    match error {
        SdkError::Service(_) => {
            let code = raw_code.unwrap_or_default();
            (code == "RequestLimitExceeded" || code.starts_with("RequestLimitExceeded."))
                .then_some("rate limited by the service")
        }
        SdkError::Transport(e) => match e.kind {
            TransportErrorKind::Connect => Some("connection failed before sending"),
            // The same answer would be as large again.
            TransportErrorKind::ResponseTooLarge { .. } => None,
            // The same answer would not decompress either.
            TransportErrorKind::Decompression => None,
            _ if idempotent => Some("no answer to an idempotent request"),
            _ => None,
        },
        // The same request would stream again, whatever the status.
        SdkError::Decode(e) if e.kind == DecodeErrorKind::Streaming => None,
        // A gateway's 5xx page may come after the service ran the request.
        SdkError::Decode(e) if e.status >= 500 && idempotent => {
            Some("HTTP 5xx without a service answer to an idempotent request")
        }
        _ => None,
    }
}

/// A number for jitter: the clock's nanoseconds hashed with keys std makes
/// fresh for every call (`RandomState::new`), so two calls in one clock tick
/// still differ. Jitter needs spread, not cryptographic strength; the runtime
/// keeps no state between calls.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(t);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_streams_are_never_retried() {
        use crate::error::DecodeError;
        for status in [200, 500, 503] {
            let e: SdkError<String> = SdkError::Decode(DecodeError::new(
                DecodeErrorKind::Streaming,
                status,
                "stream",
                b"",
            ));
            assert_eq!(retry_reason(&e, None, true), None, "{status}");
            assert_eq!(retry_reason(&e, None, false), None, "{status}");
        }
        // Whereas a 5xx page without a service answer is, when idempotent.
        let e: SdkError<String> = SdkError::Decode(DecodeError::new(
            DecodeErrorKind::NotJson,
            503,
            "x",
            b"<html>",
        ));
        assert!(retry_reason(&e, None, true).is_some());
    }

    #[test]
    fn backoff_is_jittered_under_an_exponential_cap() {
        let c = RetryConfig::new()
            .max_attempts(10)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(1));
        for next in 2..10 {
            let cap = Duration::from_millis(100 * (1 << (next - 2))).min(Duration::from_secs(1));
            let waits: Vec<Duration> = (0..200).map(|_| c.backoff(next)).collect();
            assert!(waits.iter().all(|w| *w <= cap), "attempt {next}");
            // Full jitter: the waits spread over the whole range.
            assert!(
                waits.iter().any(|w| *w < cap / 4) && waits.iter().any(|w| *w > cap * 3 / 4),
                "attempt {next}"
            );
        }
    }
}
