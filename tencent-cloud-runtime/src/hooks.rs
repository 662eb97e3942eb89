//! Hooks on every attempt: headers before sending, and what came back after.
//!
//! A [`Hook`] set with [`ClientBuilder::hook`](crate::ClientBuilder::hook) is
//! called for each attempt of each call, retries included, so it can count
//! attempts, measure latency, log request ids or add a trace id:
//!
//! ```
//! use tencent_cloud_runtime::hooks::{AfterAttempt, BeforeAttempt, Hook, Refused};
//!
//! struct TraceIds;
//!
//! impl Hook for TraceIds {
//!     fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) -> Result<(), Refused> {
//!         let id = format!("trace-{}-{}", attempt.action(), attempt.attempt());
//!         // Refused only for a name or value that is not valid in a header.
//!         let _ = attempt.headers_mut().insert("X-TC-TraceId", &id);
//!         Ok(())
//!     }
//!
//!     fn after_attempt(&self, attempt: &AfterAttempt<'_>) {
//!         println!(
//!             "{} #{}: {:?} in {:?}, request id {:?}, code {:?}",
//!             attempt.action(),
//!             attempt.attempt(),
//!             attempt.status(),
//!             attempt.latency(),
//!             attempt.request_id(),
//!             attempt.code(),
//!         );
//!     }
//! }
//!
//! // Any generated service's client alike.
//! let client = tencent_cloud_sts::Client::builder().hook(TraceIds).build();
//! ```
//!
//! What a hook sees and may do:
//!
//! - Before an attempt: the action, the attempt number (1 for the first) and the
//!   headers about to be sent, which it may read, add to or replace. It never
//!   sees the secrets: `Authorization` and `X-TC-Token` are added after the
//!   hooks ran. The headers the protocol depends on (`Authorization`,
//!   `X-TC-Token`, `Content-Type`, `Host`, `X-TC-Action`, `X-TC-Version`,
//!   `X-TC-Timestamp`) are set again after the hooks, so a hook cannot break
//!   the signature or send a call to another action; `User-Agent`,
//!   `X-TC-Region`, `X-TC-Language` and any header of its own are its to
//!   change.
//! - Headers a hook adds are not signed. The signature covers `Content-Type`
//!   and `Host`, as the official SDKs sign it, and the service accepts that; a
//!   header added on the way (a trace id) carries no authority, so signing it
//!   would protect nothing and would make every hook part of the signature.
//! - A hook may refuse an attempt ([`Refused`]): the call then ends at once,
//!   without retrying, with [`BuildError::Refused`](crate::BuildError::Refused)
//!   — for policies such as a circuit breaker or a budget of calls.
//! - After an attempt: its outcome ([`AfterAttempt`]): HTTP status when an
//!   answer came, latency of the attempt, request id, error code, the error
//!   itself, and whether the client will retry.
//!
//! Hooks run in the order they were added, on the task making the call; they
//! should return quickly (hand slow work to another task). A client without
//! hooks pays nothing for the feature: no allocation, no clock read.
//!
//! `Arc<H>` and `&'static H` are hooks when `H` is, forwarding both methods:
//! give the client `Arc::clone(&metrics)` and keep `metrics` to read its
//! counters, or share one hook between several clients.

use crate::error::SdkError;
pub use crate::headers::{Headers, InvalidHeader};
use std::fmt;
use std::time::Duration;

/// Called around every attempt of every call; see the [module docs](self).
/// Both methods do nothing by default.
pub trait Hook: Send + Sync + 'static {
    /// Before an attempt is sent: read or change its headers, or refuse it.
    fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) -> Result<(), Refused> {
        let _ = attempt;
        Ok(())
    }

    /// After an attempt ended, with an answer or an error.
    fn after_attempt(&self, attempt: &AfterAttempt<'_>) {
        let _ = attempt;
    }
}

/// A shared hook is a hook: keep an `Arc` of yours to read what it gathered
/// (counters, latencies) while the client calls it.
///
/// ```
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use std::sync::Arc;
/// use tencent_cloud_runtime::hooks::{AfterAttempt, Hook};
///
/// #[derive(Default)]
/// struct Attempts(AtomicU32);
///
/// impl Hook for Attempts {
///     fn after_attempt(&self, _: &AfterAttempt<'_>) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///     }
/// }
///
/// let attempts = Arc::new(Attempts::default());
/// let client = tencent_cloud_sts::Client::builder().hook(attempts.clone()).build();
/// // ... calls ...
/// assert_eq!(attempts.0.load(Ordering::Relaxed), 0);
/// ```
impl<H: Hook + ?Sized> Hook for std::sync::Arc<H> {
    fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) -> Result<(), Refused> {
        (**self).before_attempt(attempt)
    }

    fn after_attempt(&self, attempt: &AfterAttempt<'_>) {
        (**self).after_attempt(attempt)
    }
}

/// A hook in a `static` (or leaked) is a hook, for process-wide metrics.
impl<H: Hook + ?Sized> Hook for &'static H {
    fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) -> Result<(), Refused> {
        (**self).before_attempt(attempt)
    }

    fn after_attempt(&self, attempt: &AfterAttempt<'_>) {
        (**self).after_attempt(attempt)
    }
}

/// An attempt about to be sent.
#[derive(Debug)]
pub struct BeforeAttempt<'a> {
    pub(crate) action: &'a str,
    pub(crate) attempt: u32,
    pub(crate) headers: &'a mut Headers,
}

impl BeforeAttempt<'_> {
    /// The action called (`DescribeAutoCalloutTask`).
    pub fn action(&self) -> &str {
        self.action
    }

    /// The attempt's number: 1 for the first, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The headers to be sent, without the secrets (see the
    /// [module docs](self) for the ones set again after the hooks).
    pub fn headers(&self) -> &Headers {
        self.headers
    }

    /// The headers, to add or replace some.
    pub fn headers_mut(&mut self) -> &mut Headers {
        self.headers
    }
}

/// An attempt that ended.
pub struct AfterAttempt<'a> {
    pub(crate) action: &'a str,
    pub(crate) attempt: u32,
    pub(crate) latency: Duration,
    pub(crate) status: Option<u16>,
    pub(crate) body: Option<&'a [u8]>,
    pub(crate) error: Option<&'a SdkError<String>>,
    pub(crate) will_retry: bool,
}

impl AfterAttempt<'_> {
    /// The action called.
    pub fn action(&self) -> &str {
        self.action
    }

    /// The attempt's number, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// From just before the credentials were asked for to the end of reading
    /// the answer (or the failure).
    pub fn latency(&self) -> Duration {
        self.latency
    }

    /// The HTTP status, when an answer came (a service error is usually 200).
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The service's `RequestId`, when the answer had one.
    pub fn request_id(&self) -> Option<&str> {
        match self.error {
            Some(e) => e.request_id(),
            None => self
                .body
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(crate::client::request_id_of),
        }
    }

    /// Whether the attempt succeeded.
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }

    /// The service's error code (`RequestLimitExceeded`), when it answered
    /// with one.
    pub fn code(&self) -> Option<&str> {
        self.error.and_then(|e| e.raw_code())
    }

    /// The error the attempt ended with, if any (its `Display` and `Debug`
    /// hold no secret).
    pub fn error(&self) -> Option<&SdkError<String>> {
        self.error
    }

    /// Whether the client will make another attempt after this one.
    pub fn will_retry(&self) -> bool {
        self.will_retry
    }
}

impl fmt::Debug for AfterAttempt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AfterAttempt")
            .field("action", &self.action)
            .field("attempt", &self.attempt)
            .field("latency", &self.latency)
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("error", &self.error)
            .field("will_retry", &self.will_retry)
            .finish()
    }
}

/// A hook's refusal to send an attempt, with the reason shown in the error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(String);

impl Refused {
    /// A refusal for `reason`.
    pub fn new(reason: impl Into<String>) -> Self {
        Refused(reason.into())
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The hooks of a client, as a cheap shared list.
#[derive(Clone, Default)]
pub(crate) struct Hooks(pub(crate) std::sync::Arc<[std::sync::Arc<dyn Hook>]>);

impl Hooks {
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn before(&self, attempt: &mut BeforeAttempt<'_>) -> Result<(), Refused> {
        self.0.iter().try_for_each(|h| h.before_attempt(attempt))
    }

    pub(crate) fn after(&self, attempt: &AfterAttempt<'_>) {
        self.0.iter().for_each(|h| h.after_attempt(attempt));
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}
