//! Errors of a call, typed by the action's documented error codes.
//!
//! [`SdkError<C>`] tells apart what went wrong (the service answered with an error,
//! the request could not be built, no credentials, the network, an undecodable
//! answer); `C` is the action's error-code enum. Every action's error converts into
//! its service's `Error` (`tencent_cloud_sts::Error`, the same in every
//! generated service crate), whose codes
//! are all codes of the service.

use crate::enums::WireEnum;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// How many bytes of an undecodable body are kept for diagnosis, measured as the
/// kept text prints in `Debug` (escapes included), so no rendering exceeds it.
pub(crate) const BODY_PREFIX_LIMIT: usize = 1024;

/// The error of one call; `C` is the action's error-code enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<C> {
    /// The service answered with an error envelope (boxed: it is the largest
    /// variant, and keeps `Result`s small on the success path).
    Service(Box<ServiceError<C>>),
    /// The request could not be built (a required member is missing).
    Build(BuildError),
    /// No usable credentials.
    Credentials(CredentialsError),
    /// The request did not complete: connection, timeout, the body was cut
    /// off or could not be decompressed, or the call could not be made in
    /// its time.
    Transport(TransportError),
    /// An answer came back but is not a valid response of the action.
    Decode(DecodeError),
}

impl<C> SdkError<C> {
    /// The service's error, if the service answered with one.
    pub fn as_service(&self) -> Option<&ServiceError<C>> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The typed error code, if the service answered with an error: `C` is
    /// the action's error-code enum (the service's `ErrorCode` through its
    /// `Error`), to `match` on. The code as text, sub-code included,
    /// is [`SdkError::raw_code`].
    pub fn code(&self) -> Option<&C> {
        self.as_service().map(|e| &e.code)
    }

    /// The error code exactly as the service sent it
    /// (`ResourceNotFound.SdkAppId`), if the service answered with an error;
    /// the text to log or compare with a code the enum does not know.
    pub fn raw_code(&self) -> Option<&str> {
        self.as_service().map(|e| e.raw_code.as_str())
    }

    /// The service's message, if the service answered with an error.
    pub fn message(&self) -> Option<&str> {
        self.as_service().map(|e| e.message.as_str())
    }

    /// The request id the service gave, if it answered with an error.
    pub fn request_id(&self) -> Option<&str> {
        self.as_service().map(|e| e.request_id.as_str())
    }

    /// Whether the service refused the call for its rate:
    /// `RequestLimitExceeded` or one of its sub-codes
    /// (`RequestLimitExceeded.UinLimitExceeded`, ...). The service did not run
    /// the request; the client retries these for every action, so one that
    /// reaches you ran out of attempts or of time.
    pub fn is_throttling(&self) -> bool {
        // The retry classifier's one rule: the only service answers it
        // retries, whatever the action, are the rate-limit family.
        matches!(self, SdkError::Service(_))
            && crate::retry::retry_reason(self, self.raw_code(), false).is_some()
    }

    /// Whether the service refused the caller's identity or signature:
    /// `AuthFailure` or one of its sub-codes (`AuthFailure.SignatureExpire`,
    /// `AuthFailure.SecretIdNotFound`, `AuthFailure.UnauthorizedOperation`,
    /// ...). No credentials found at all is [`SdkError::Credentials`], not
    /// this.
    pub fn is_auth_failure(&self) -> bool {
        self.code_in_family("AuthFailure")
    }

    /// Whether the service said the resource does not exist:
    /// `ResourceNotFound` or one of its sub-codes
    /// (`ResourceNotFound.SdkAppId`, ...). Other families that can mean "not
    /// found" in one action's documentation (an `InvalidParameterValue.*`
    /// sub-code, say) are not included: match those with
    /// [`SdkError::raw_code`] or the typed [`SdkError::code`].
    pub fn is_not_found(&self) -> bool {
        self.code_in_family("ResourceNotFound")
    }

    /// Whether the client's own retry rule would send this call again, had
    /// it attempts and time left, for an action that is safe to repeat: a
    /// connection never made, `RequestLimitExceeded` (and sub-codes), a
    /// timeout, an answer cut off, an HTTP 5xx without a service answer. Not
    /// an answer too large, one that cannot be decompressed, an event
    /// stream, a service error of another code
    /// (`InternalError` included: the service answered), a build or
    /// credentials error. For an action that is not idempotent only the
    /// first two are retried by the client; this answers for the idempotent
    /// case, as the caller deciding to try again later does.
    pub fn is_retryable(&self) -> bool {
        crate::retry::retry_reason(self, self.raw_code(), true).is_some()
    }

    /// Whether the call ran out of time: an attempt's time limit or the
    /// whole call's deadline ([`TransportErrorKind::Timeout`] for both; the
    /// deadline's error says "the overall deadline passed"), or a call the
    /// client-side rate limit would hold past its deadline (given up before
    /// waiting; its error says so). A credentials
    /// source that did not answer in time is [`SdkError::Credentials`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, SdkError::Transport(e) if e.kind == TransportErrorKind::Timeout)
    }

    /// Whether the service answered with `family` or one of its sub-codes
    /// (`family.Something`).
    fn code_in_family(&self, family: &str) -> bool {
        self.raw_code().is_some_and(|code| {
            code.strip_prefix(family)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    }

    /// How many attempts were made before this error (1 when not retried; 0 when
    /// nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            SdkError::Service(e) => e.attempts,
            SdkError::Transport(e) => e.attempts,
            SdkError::Decode(e) => e.attempts,
            SdkError::Build(_) | SdkError::Credentials(_) => 0,
        }
    }

    /// Records the number of attempts made.
    pub(crate) fn set_attempts(&mut self, n: u32) {
        match self {
            SdkError::Service(e) => e.attempts = n,
            SdkError::Transport(e) => e.attempts = n,
            SdkError::Decode(e) => e.attempts = n,
            SdkError::Build(_) | SdkError::Credentials(_) => {}
        }
    }

    /// The same error with its code re-typed as `D` (for example the service-wide
    /// `ErrorCode` of its module); nothing is lost, the raw code is parsed again.
    pub fn map_code<D: WireEnum<Raw = String>>(self) -> SdkError<D> {
        match self {
            SdkError::Service(e) => SdkError::Service(Box::new(ServiceError {
                code: D::from_raw(e.raw_code.clone()),
                action: e.action,
                raw_code: e.raw_code,
                message: e.message,
                request_id: e.request_id,
                attempts: e.attempts,
            })),
            SdkError::Build(e) => SdkError::Build(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
            SdkError::Transport(e) => SdkError::Transport(e),
            SdkError::Decode(e) => SdkError::Decode(e),
        }
    }
}

/// Shows the variant's own text. Its cause, if any, comes from `source()`,
/// which skips the variant (already shown here) so that reporters walking the
/// chain (anyhow, eyre, a command line) print each cause once.
impl<C> fmt::Display for SdkError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Service(e) => e.fmt(f),
            SdkError::Build(e) => e.fmt(f),
            SdkError::Credentials(e) => e.fmt(f),
            SdkError::Transport(e) => e.fmt(f),
            SdkError::Decode(e) => e.fmt(f),
        }
    }
}

impl<C: fmt::Debug> StdError for SdkError<C> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Transport(e) => e.source(),
            SdkError::Decode(e) => e.source(),
            SdkError::Service(_) | SdkError::Build(_) | SdkError::Credentials(_) => None,
        }
    }
}

impl<C> From<BuildError> for SdkError<C> {
    fn from(e: BuildError) -> Self {
        SdkError::Build(e)
    }
}

impl<C> From<ServiceError<C>> for SdkError<C> {
    fn from(e: ServiceError<C>) -> Self {
        SdkError::Service(Box::new(e))
    }
}

impl<C> From<TransportError> for SdkError<C> {
    fn from(e: TransportError) -> Self {
        SdkError::Transport(e)
    }
}

impl<C> From<DecodeError> for SdkError<C> {
    fn from(e: DecodeError) -> Self {
        SdkError::Decode(e)
    }
}

impl<C> From<CredentialsError> for SdkError<C> {
    fn from(e: CredentialsError) -> Self {
        SdkError::Credentials(e)
    }
}

/// An error the service returned in `Response.Error`.
///
/// `#[non_exhaustive]` (as are the other error structs here): fields are read
/// freely, and built with [`ServiceError::new`], so that adding a field later
/// breaks no one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError<C> {
    /// The action that was called.
    pub action: String,
    /// The typed error code.
    pub code: C,
    /// The error code exactly as sent.
    pub raw_code: String,
    /// The service's message.
    pub message: String,
    /// The request id, needed when asking Tencent Cloud support about a failure.
    pub request_id: String,
    /// Attempts made, retries included.
    pub attempts: u32,
}

impl<C: WireEnum<Raw = String>> ServiceError<C> {
    /// The error `action` failed with, as the service would answer it: the typed
    /// code is parsed from `raw_code` (`"InvalidParameterValue"`), so the two
    /// always agree; one attempt. For scripted failures in tests.
    pub fn new(
        action: impl Into<String>,
        raw_code: impl Into<String>,
        message: impl Into<String>,
        request_id: impl Into<String>,
    ) -> Self {
        let raw_code = raw_code.into();
        ServiceError {
            action: action.into(),
            code: C::from_raw(raw_code.clone()),
            raw_code,
            message: message.into(),
            request_id: request_id.into(),
            attempts: 1,
        }
    }
}

impl<C> ServiceError<C> {
    /// The same error after `attempts` attempts (retries included).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }
}

impl<C> fmt::Display for ServiceError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: {}: {} (request id {})",
            self.action, self.raw_code, self.message, self.request_id
        )?;
        after_attempts(f, self.attempts)
    }
}

impl<C: fmt::Debug> StdError for ServiceError<C> {}

fn after_attempts(f: &mut fmt::Formatter<'_>, attempts: u32) -> fmt::Result {
    if attempts > 1 {
        write!(f, " after {attempts} attempts")?;
    }
    Ok(())
}

/// A request that could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// A required member was not set.
    MissingMember {
        /// The action whose request is incomplete.
        action: &'static str,
        /// The member's wire name.
        member: &'static str,
    },
    /// The request could not be encoded as JSON.
    Encode(String),
    /// A required member of a shared type (`types::...`) was not set on its
    /// builder.
    MissingTypeMember {
        /// The type being built.
        type_name: &'static str,
        /// The member's wire name.
        member: &'static str,
    },
    /// A hook refused to send the request ([`crate::hooks::Refused`]); the
    /// reason is the hook's.
    Refused(String),
    /// A value the request sends in an HTTP header holds a character no
    /// header may carry (a line break, another control character): the
    /// action name of an untyped call, or a region given per request.
    /// Credentials that cannot be sent are [`SdkError::Credentials`].
    InvalidHeader {
        /// What the value is (`the action name`).
        what: &'static str,
        /// The header that would carry it (`X-TC-Action`).
        header: &'static str,
    },
}

impl BuildError {
    /// A required member of `action` was not set.
    pub fn missing(action: &'static str, member: &'static str) -> Self {
        BuildError::MissingMember { action, member }
    }

    /// A required member of the shared type `type_name` was not set.
    pub fn missing_in_type(type_name: &'static str, member: &'static str) -> Self {
        BuildError::MissingTypeMember { type_name, member }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::MissingMember { action, member } => {
                write!(f, "{action} request is missing required member `{member}`")
            }
            BuildError::Encode(e) => write!(f, "request could not be encoded as JSON: {e}"),
            BuildError::MissingTypeMember { type_name, member } => {
                write!(f, "{type_name} is missing required member `{member}`")
            }
            BuildError::Refused(reason) => {
                write!(f, "a hook refused to send the request: {reason}")
            }
            BuildError::InvalidHeader { what, header } => write!(
                f,
                "{what} cannot be sent as the `{header}` header: it holds a line break \
                 or another character an HTTP header may not carry"
            ),
        }
    }
}

impl StdError for BuildError {}

/// No usable credentials; says which source failed and why. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CredentialsError {
    /// The source that was asked (`environment`, `static`, ...).
    pub source: String,
    /// What went wrong.
    pub reason: String,
}

impl CredentialsError {
    /// A failure of `source`.
    pub fn new(source: impl Into<String>, reason: impl Into<String>) -> Self {
        CredentialsError {
            source: source.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials from {}: {}", self.source, self.reason)
    }
}

impl StdError for CredentialsError {}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: the request never left.
    Connect,
    /// The time limit ran out; the request may have reached the service.
    Timeout,
    /// The answer's body could not be read in full (connection cut mid-body).
    Body,
    /// The answer's body came in full but could not be decompressed as its
    /// `Content-Encoding` says (a plain body labelled gzip, a corrupt or
    /// unfinished compressed stream). Never retried: the same answer would
    /// fail the same way.
    Decompression,
    /// Any other failure while sending.
    Request,
    /// The answer was larger than the client's response size limit
    /// ([`crate::ClientBuilder::max_response_size`]); reading stopped there.
    ResponseTooLarge {
        /// The limit in bytes, after decompression.
        limit: usize,
    },
}

/// The request did not complete.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// Attempts made, retries included.
    pub attempts: u32,
    /// The underlying failure (reqwest's error, or a scripted fault of
    /// [`crate::mock`]); shown by `source()`, not by `Display`.
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
    /// Why there is no `source`, when the client itself gave up.
    note: Option<&'static str>,
    /// The whole text, when the client gave up before the kind's own words
    /// would be true (a wait that would pass the deadline, before it has).
    said: Option<String>,
}

impl TransportError {
    pub(crate) fn new(kind: TransportErrorKind, source: reqwest::Error) -> Self {
        let kind = if source.is_timeout() {
            TransportErrorKind::Timeout
        } else if source.is_connect() {
            TransportErrorKind::Connect
        } else {
            kind
        };
        TransportError {
            kind,
            attempts: 1,
            source: Some(Box::new(source)),
            note: None,
            said: None,
        }
    }

    /// A failure of `kind` caused by `cause` (used by [`crate::mock`]).
    #[cfg(feature = "test-util")]
    pub(crate) fn with_cause(
        kind: TransportErrorKind,
        cause: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        TransportError {
            kind,
            attempts: 1,
            source: Some(cause.into()),
            note: None,
            said: None,
        }
    }

    /// A failure of `kind` without an underlying network error, after one
    /// attempt; for scripted failures in tests.
    pub fn from_kind(kind: TransportErrorKind) -> Self {
        TransportError {
            kind,
            attempts: 1,
            source: None,
            note: None,
            said: None,
        }
    }

    /// The same error after `attempts` attempts (retries included).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// The overall deadline passed before an attempt could start.
    pub(crate) fn deadline() -> Self {
        TransportError {
            kind: TransportErrorKind::Timeout,
            attempts: 0,
            source: None,
            note: Some("the overall deadline passed"),
            said: None,
        }
    }

    /// The client-side rate limit of `action` asks for a `wait` longer than
    /// the `left` of the call's deadline: the call gives up at once rather
    /// than sleep into a certain timeout. Nothing more is sent.
    pub(crate) fn rate_limit_past_deadline(action: &str, wait: Duration, left: Duration) -> Self {
        TransportError {
            kind: TransportErrorKind::Timeout,
            attempts: 0,
            source: None,
            note: None,
            said: Some(format!(
                "not sent: the client-side rate limit of {action} would have the call wait \
                 {} ms, past its deadline ({} ms left)",
                wait.as_millis(),
                left.as_millis()
            )),
        }
    }

    /// The attempt's time limit passed before the whole answer came; the
    /// timer's error is the cause.
    pub(crate) fn elapsed(elapsed: tokio::time::error::Elapsed) -> Self {
        TransportError {
            kind: TransportErrorKind::Timeout,
            attempts: 1,
            source: Some(Box::new(elapsed)),
            note: None,
            said: None,
        }
    }

    /// The answer grew past `limit` bytes.
    pub(crate) fn too_large(limit: usize) -> Self {
        TransportError {
            kind: TransportErrorKind::ResponseTooLarge { limit },
            attempts: 1,
            source: None,
            note: None,
            said: None,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(said) = &self.said {
            f.write_str(said)?;
            return after_attempts(f, self.attempts);
        }
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Body => "response body cut off",
            TransportErrorKind::Decompression => {
                "response body could not be decompressed as its `Content-Encoding` says"
            }
            TransportErrorKind::Request => "request failed",
            TransportErrorKind::ResponseTooLarge { limit } => {
                write!(
                    f,
                    "response larger than the limit of {limit} bytes; reading stopped there"
                )?;
                return after_attempts(f, self.attempts);
            }
        };
        // Only this level: the cause (reqwest's error, which names the URL and
        // never a header, and its own causes) is `source()`.
        f.write_str(what)?;
        if let Some(note) = self.note {
            write!(f, ": {note}")?;
        }
        after_attempts(f, self.attempts)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// Why an answer could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The body is not JSON at all (an HTML error page from a gateway, say).
    NotJson,
    /// The JSON ends early.
    Truncated,
    /// The JSON is syntactically invalid.
    Malformed,
    /// Valid JSON without a `Response` object.
    MissingEnvelope,
    /// `Response` does not match the action's response type.
    Shape,
    /// A non-2xx HTTP status without a service error in the body.
    UnexpectedStatus,
    /// `Response` holds an `Error` member that is not a well-formed error (its
    /// `Code` is missing or not a string, a member appears twice, ...). The call
    /// failed; what the service meant cannot be told.
    MalformedError,
    /// A redirect (3xx). The API never redirects, so it is not followed: the
    /// request and its credentials go to the configured endpoint only.
    Redirect,
    /// The service answered with an event stream (`Content-Type:
    /// text/event-stream`), as actions that stream their answer do when asked
    /// to, which this client does not read. The body is left unread (an
    /// event stream may never end): `body_prefix` is empty and `body_len` 0.
    /// Never retried: the same request would stream again.
    Streaming,
}

/// An answer that is not a valid response; keeps the HTTP status and the start of
/// the body, which is what a failure is debugged with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// What was wrong.
    pub kind: DecodeErrorKind,
    /// The HTTP status of the answer.
    pub status: u16,
    /// The decoder's explanation.
    pub detail: String,
    /// The start of the body, lossily UTF-8, with the values of sensitive members
    /// (tokens, keys, passwords, signatures) replaced by `"***"`; at most 1 KiB
    /// even as printed with `{:?}`.
    pub body_prefix: String,
    /// The body's full length in bytes.
    pub body_len: usize,
    /// Attempts made, retries included.
    pub attempts: u32,
}

impl DecodeError {
    /// An answer with HTTP `status` and `body` that could not be decoded, after
    /// one attempt. Sensitive values in `detail` and `body` are redacted and the
    /// kept body is bounded, as for the client's own errors: the values of
    /// members named as credentials (`Token`, `SecretKey`, `UserSig`) are. The
    /// client's own errors also redact what the service's spec marks
    /// sensitive.
    pub fn new(kind: DecodeErrorKind, status: u16, detail: impl Into<String>, body: &[u8]) -> Self {
        Self::redacted(kind, status, detail, body, &[])
    }

    /// As [`DecodeError::new`], also redacting the values of the members
    /// named in `sensitive`.
    pub(crate) fn redacted(
        kind: DecodeErrorKind,
        status: u16,
        detail: impl Into<String>,
        body: &[u8],
        sensitive: &[&str],
    ) -> Self {
        DecodeError {
            kind,
            status,
            detail: crate::redact::message(&detail.into()),
            body_prefix: crate::redact::kept_body(body, BODY_PREFIX_LIMIT, sensitive),
            body_len: body.len(),
            attempts: 1,
        }
    }

    /// The same error after `attempts` attempts (retries included).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            DecodeErrorKind::NotJson => "not a JSON response",
            DecodeErrorKind::Truncated => "truncated JSON response",
            DecodeErrorKind::Malformed => "malformed JSON response",
            DecodeErrorKind::MissingEnvelope => "JSON without a `Response` object",
            DecodeErrorKind::Shape => "response does not match the action's type",
            DecodeErrorKind::UnexpectedStatus => "error status without a service error",
            DecodeErrorKind::MalformedError => "malformed error object in the response",
            DecodeErrorKind::Redirect => "redirect not followed",
            DecodeErrorKind::Streaming => "event stream not read",
        };
        write!(f, "HTTP {}, {what}: {}", self.status, self.detail)?;
        if self.kind == DecodeErrorKind::Streaming {
            // No body was read, so there is none to show.
            return after_attempts(f, self.attempts);
        }
        let shown: String = self.body_prefix.chars().take(200).collect();
        write!(f, "; body ({} bytes) starts with {shown:?}", self.body_len)?;
        after_attempts(f, self.attempts)
    }
}

impl StdError for DecodeError {}

/// A client that could not be configured.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigError {
    /// What is wrong with the configuration.
    pub reason: String,
    /// The environment variable the wrong value came from
    /// (`TENCENTCLOUD_REGION`), when it came from one
    /// ([`ClientBuilder::from_env`](crate::ClientBuilder::from_env)).
    pub variable: Option<String>,
}

impl ConfigError {
    /// A configuration refused for `reason`.
    pub fn new(reason: impl Into<String>) -> Self {
        ConfigError {
            reason: reason.into(),
            variable: None,
        }
    }

    /// The value of the environment variable `variable` refused for `reason`.
    pub fn in_variable(variable: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError {
            reason: reason.into(),
            variable: Some(variable.into()),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid client configuration: ")?;
        if let Some(variable) = &self.variable {
            write!(f, "environment variable {variable}: ")?;
        }
        f.write_str(&self.reason)
    }
}

impl StdError for ConfigError {}

impl From<CredentialsError> for ConfigError {
    fn from(e: CredentialsError) -> Self {
        ConfigError::new(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(code: &str) -> SdkError<String> {
        SdkError::Service(Box::new(ServiceError::new("DescribeX", code, "m", "rid")))
    }

    fn transport(kind: TransportErrorKind) -> SdkError<String> {
        SdkError::Transport(TransportError::from_kind(kind))
    }

    fn decode(kind: DecodeErrorKind, status: u16) -> SdkError<String> {
        SdkError::Decode(DecodeError::new(kind, status, "x", b"<html>"))
    }

    /// What each predicate answers, one error a row:
    /// (throttling, auth failure, not found, retryable, timeout).
    #[test]
    fn predicates_over_the_families() {
        let cases: Vec<(&str, SdkError<String>, [bool; 5])> = vec![
            (
                "RequestLimitExceeded",
                service("RequestLimitExceeded"),
                [true, false, false, true, false],
            ),
            (
                "…UinLimitExceeded",
                service("RequestLimitExceeded.UinLimitExceeded"),
                [true, false, false, true, false],
            ),
            (
                "…GlobalRegionUinLimitExceeded",
                service("RequestLimitExceeded.GlobalRegionUinLimitExceeded"),
                [true, false, false, true, false],
            ),
            ("a lookalike", service("RequestLimitExceededX"), [false; 5]),
            (
                "AuthFailure",
                service("AuthFailure"),
                [false, true, false, false, false],
            ),
            (
                "AuthFailure.SignatureExpire",
                service("AuthFailure.SignatureExpire"),
                [false, true, false, false, false],
            ),
            (
                "AuthFailure.UnauthorizedOperation",
                service("AuthFailure.UnauthorizedOperation"),
                [false, true, false, false, false],
            ),
            ("AuthFailures", service("AuthFailures"), [false; 5]),
            (
                "ResourceNotFound",
                service("ResourceNotFound"),
                [false, false, true, false, false],
            ),
            (
                "ResourceNotFound.SdkAppId",
                service("ResourceNotFound.SdkAppId"),
                [false, false, true, false, false],
            ),
            (
                "InvalidParameterValue.InstanceNotExist",
                service("InvalidParameterValue.InstanceNotExist"),
                [false; 5],
            ),
            ("InternalError", service("InternalError"), [false; 5]),
            (
                "a lower-case family",
                service("resourcenotfound"),
                [false; 5],
            ),
            (
                "connect",
                transport(TransportErrorKind::Connect),
                [false, false, false, true, false],
            ),
            (
                "timeout",
                transport(TransportErrorKind::Timeout),
                [false, false, false, true, true],
            ),
            (
                "deadline",
                SdkError::Transport(TransportError::deadline()),
                [false, false, false, true, true],
            ),
            (
                "body cut off",
                transport(TransportErrorKind::Body),
                [false, false, false, true, false],
            ),
            (
                "too large",
                transport(TransportErrorKind::ResponseTooLarge { limit: 1 }),
                [false; 5],
            ),
            (
                "not decompressible",
                transport(TransportErrorKind::Decompression),
                [false; 5],
            ),
            (
                "rate-limit wait past the deadline",
                SdkError::Transport(TransportError::rate_limit_past_deadline(
                    "DescribeX",
                    Duration::from_secs(10),
                    Duration::from_secs(5),
                )),
                [false, false, false, true, true],
            ),
            (
                "502 page",
                decode(DecodeErrorKind::NotJson, 502),
                [false, false, false, true, false],
            ),
            (
                "200 not JSON",
                decode(DecodeErrorKind::NotJson, 200),
                [false; 5],
            ),
            (
                "event stream",
                decode(DecodeErrorKind::Streaming, 503),
                [false; 5],
            ),
            (
                "build",
                SdkError::Build(BuildError::missing("DescribeX", "Id")),
                [false; 5],
            ),
            (
                "refused",
                SdkError::Build(BuildError::Refused("budget".into())),
                [false; 5],
            ),
            (
                "credentials",
                SdkError::Credentials(CredentialsError::new("environment", "unset")),
                [false; 5],
            ),
        ];
        for (name, e, want) in cases {
            let got = [
                e.is_throttling(),
                e.is_auth_failure(),
                e.is_not_found(),
                e.is_retryable(),
                e.is_timeout(),
            ];
            assert_eq!(got, want, "{name}: {e}");
            // The same through a re-typed code, as a service's `Error` holds.
            let retyped: SdkError<String> = e.map_code();
            assert_eq!(retyped.is_retryable(), want[3], "{name}");
        }
    }

    #[test]
    fn throttling_is_what_the_retry_rule_retries_for_any_action() {
        for code in [
            "RequestLimitExceeded",
            "RequestLimitExceeded.IPLimitExceeded",
            "LimitExceeded",
            "InternalError",
            "",
        ] {
            let e = service(code);
            assert_eq!(
                e.is_throttling(),
                crate::retry::retry_reason(&e, e.raw_code(), false).is_some(),
                "{code}"
            );
        }
    }

    #[test]
    fn accessors_of_a_service_answer_and_of_others() {
        let e = service("ResourceNotFound.SdkAppId");
        assert_eq!(e.raw_code(), Some("ResourceNotFound.SdkAppId"));
        assert_eq!(
            e.code().map(String::as_str),
            Some("ResourceNotFound.SdkAppId")
        );
        assert_eq!(e.message(), Some("m"));
        assert_eq!(e.request_id(), Some("rid"));
        let e = transport(TransportErrorKind::Timeout);
        assert_eq!(
            (e.raw_code(), e.message(), e.request_id()),
            (None, None, None)
        );
    }

    #[test]
    fn a_config_error_names_its_variable() {
        let e = ConfigError::in_variable("TENCENTCLOUD_REGION", "`X` is not a region name");
        assert_eq!(e.variable.as_deref(), Some("TENCENTCLOUD_REGION"));
        assert_eq!(
            e.to_string(),
            "invalid client configuration: environment variable TENCENTCLOUD_REGION: `X` is not a region name"
        );
        assert_eq!(ConfigError::new("r").variable, None);
        assert_eq!(
            ConfigError::new("r").to_string(),
            "invalid client configuration: r"
        );
    }
}
