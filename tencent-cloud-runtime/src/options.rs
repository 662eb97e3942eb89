//! Settings of one request that override the client's.

use crate::client::Language;
use crate::retry::RetryConfig;
use std::time::Duration;

/// Per-request overrides; anything left `None` uses the client's setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestOptions {
    /// Deadline for the whole call, retries and waits included.
    pub timeout: Option<Duration>,
    /// Time limit of each attempt.
    pub attempt_timeout: Option<Duration>,
    /// Retry settings.
    pub retry: Option<RetryConfig>,
    /// `X-TC-Region` for this request.
    pub region: Option<String>,
    /// `X-TC-Language` for this request.
    pub language: Option<Language>,
    /// Whether this call may be repeated after a failure that may have reached
    /// the service; by default the action's idempotency from the spec, or for
    /// an action the spec does not list, whether its name reads
    /// ([`crate::ActionInfo::is_read_action`]); see
    /// [`crate::ClientBuilder::retry_non_idempotent`].
    pub idempotent: Option<bool>,
    /// Largest answer accepted for this call, in bytes after decompression.
    pub max_response_size: Option<usize>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Deadline for the whole call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time limit of each attempt.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Retry settings.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Attempts in all (1 turns retries off), keeping the other retry settings.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        let mut retry = self.retry.unwrap_or_default();
        retry.max_attempts = attempts.max(1);
        self.retry = Some(retry);
        self
    }

    /// `X-TC-Region` for this request.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// `X-TC-Language` for this request.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Declares this call safe (or not) to send again after a failure that may
    /// have reached the service: for example a create call that carries its
    /// own deduplication key.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Accepts answers of up to `bytes` (after decompression) for this call.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = Some(bytes);
        self
    }
}
