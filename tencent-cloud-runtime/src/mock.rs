//! Canned answers for unit tests: a [`Client`](crate::Client) that never opens a
//! connection.
//!
//! A [`Mock`] holds rules, one per scripted action; a client built with a
//! service client's `mocked` (`tencent_cloud_sts::Client::mocked`, the same
//! in every generated service crate) or with
//! [`ClientBuilder::mock`](crate::ClientBuilder::mock) asks them instead of the
//! network, and never reaches the network or the environment on its own: no
//! HTTP client is made (the endpoint and any proxy are never connected to),
//! and when given no credentials it signs with the fixed
//! [`test_credentials`] instead of asking the default chain (environment
//! variables, profile files, the CVM metadata host). Credentials or a source
//! you give it explicitly are used as given.
//!
//! Everything else is the real client: the request is serialised and
//! signed, the mock answers with the bytes the service would send
//! (`{"Response": {...}}`, or an error envelope), and the real envelope check,
//! typed decoding, error mapping, retries and paginators run on them. So a
//! scripted `RequestLimitExceeded` is retried as in production, and a canned
//! page stops a paginator as a real one would.
//!
//! ```
//! use tencent_cloud_runtime::mock::{Fault, Mock};
//! use tencent_cloud_sts::operation::assume_role::{AssumeRoleRequest, AssumeRoleResponse};
//! use tencent_cloud_sts::{Client, Error};
//!
//! // The code under test: takes the client, as production code does.
//! async fn session_key_id(client: &Client, session: &str) -> Result<String, Error> {
//!     let answer = client
//!         .assume_role()
//!         .role_arn("qcs::cam::uin/100000000001:roleName/ci")
//!         .role_session_name(session)
//!         .send()
//!         .await?;
//!     Ok(answer.credentials.tmp_secret_id.into())
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let answer: AssumeRoleResponse = serde_json::from_value(serde_json::json!({
//!     "Credentials": {"Token": "t", "TmpSecretId": "AKIDtmp", "TmpSecretKey": "k"},
//!     "ExpiredTime": 1700000000,
//!     "Expiration": "2023-11-14T22:13:20Z"
//! }))
//! .unwrap();
//! let mock = Mock::new();
//! let rule = mock
//!     .on::<AssumeRoleRequest>()
//!     .matching(|req| req.role_session_name == "nightly")
//!     .then_ok(answer)                                      // first call
//!     .then_error("ResourceNotFound.RoleNotExist", "no such role") // every later call
//!     ;
//! let client = Client::mocked(&mock);
//! assert_eq!(session_key_id(&client, "nightly").await.unwrap(), "AKIDtmp");
//! let e = session_key_id(&client, "nightly").await.unwrap_err();
//! assert_eq!(e.raw_code(), Some("ResourceNotFound.RoleNotExist"));
//! assert_eq!(rule.calls(), 2);
//! assert_eq!(rule.requests()[0].role_session_name, "nightly");
//! // No rule matches another session: a transport error naming the action.
//! let e = session_key_id(&client, "other").await.unwrap_err();
//! assert!(e.to_string().contains("could not connect"), "{e}");
//! # let _ = Fault::Timeout;
//! # }
//! ```

use crate::action::RoundTripAction;
use crate::credentials::Credentials;
use crate::error::{TransportError, TransportErrorKind};
use crate::headers::Headers;
use reqwest::header::HeaderMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// A failure of the connection, scripted with [`Rule::then_fault`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// No connection could be made (retried for every action).
    Connect,
    /// No answer in time (retried for idempotent actions only).
    Timeout,
    /// The connection closed in the middle of the answer.
    BodyCutOff,
}

/// What a rule answers one call with, from [`Rule::then`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Reply<R> {
    /// A successful answer; serialised into `{"Response": {...}}`.
    Ok(R),
    /// A service error envelope with this code (`ResourceNotFound`,
    /// `RequestLimitExceeded`, ...) and message.
    Error {
        /// The error code as the service sends it.
        code: String,
        /// The message.
        message: String,
    },
    /// A transport failure.
    Fault(Fault),
    /// Any HTTP status and body, for answers that are not valid responses.
    Raw {
        /// The HTTP status.
        status: u16,
        /// The body as sent.
        body: Vec<u8>,
    },
}

impl<R> Reply<R> {
    /// A service error with `code` and `message`.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Reply::Error {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// Scripted answers for a client; clones share the rules and the record of
/// calls. See the [module documentation](self).
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<MockState>>,
}

#[derive(Default)]
struct MockState {
    rules: Vec<Arc<RuleState>>,
    /// Action names of every call, in order, matched or not.
    calls: Vec<String>,
    /// The headers of every call, as `calls`.
    headers: Vec<Headers>,
}

/// The SecretId of the fixed test credentials, [`test_credentials`]; the
/// `Credential=` of every request a mocked client signs with them.
pub const TEST_SECRET_ID: &str = "AKIDMOCK";

/// The fixed test credentials a mocked client signs with when given none:
/// SecretId [`TEST_SECRET_ID`], a fixed key, no token. A client with a mock
/// never asks the default chain (the environment, profile files, the CVM
/// metadata host) for keys.
pub fn test_credentials() -> Credentials {
    Credentials::new(TEST_SECRET_ID, "mock-secret-key")
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Mock")
            .field("rules", &state.rules.len())
            .field("calls", &state.calls.len())
            .finish()
    }
}

impl Mock {
    /// A mock without rules: every call fails with a `Connect` transport error
    /// naming the action, until a rule answers it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a rule for action `A` and returns it to script answers on. A call
    /// is answered by the first rule, in the order added, whose action and
    /// matcher accept it.
    pub fn on<A: RoundTripAction>(&self) -> Rule<A> {
        let rule = Arc::new(RuleState {
            action: A::ACTION,
            script: Mutex::new(Script::default()),
        });
        lock(&self.state).rules.push(rule.clone());
        Rule {
            state: rule,
            action: PhantomData,
        }
    }

    /// Names of the actions called, in order, including calls no rule answered
    /// and retries.
    pub fn calls(&self) -> Vec<String> {
        lock(&self.state).calls.clone()
    }

    /// The headers of every call, in the order of [`Mock::calls`], as signed
    /// and sent: `X-TC-Action`, `X-TC-Region`, `X-TC-Language`, what hooks
    /// added, and `Authorization` (whose `Credential=` names the SecretId
    /// that signed; the key itself is never sent). `Authorization` and
    /// `X-TC-Token` are marked sensitive, so `Debug` hides them. `Host` is
    /// not among them: the transport adds it from the endpoint.
    pub fn headers(&self) -> Vec<Headers> {
        lock(&self.state).headers.clone()
    }

    /// The answer to one attempt: the HTTP status and body, or a transport error.
    pub(crate) fn answer(
        &self,
        action: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), TransportError> {
        let rules = {
            let mut state = lock(&self.state);
            state.calls.push(action.to_owned());
            state.headers.push(Headers(headers.clone()));
            state.rules.clone()
        };
        for rule in rules.iter().filter(|r| r.action == action) {
            let mut script = lock(&rule.script);
            if script.matcher.as_ref().is_some_and(|m| !m(body)) {
                continue;
            }
            script.requests.push(body.to_vec());
            let index = script.next.min(script.steps.len().saturating_sub(1));
            script.next = script.next.saturating_add(1);
            let Some(step) = script.steps.get(index).cloned() else {
                return Err(unanswered(format!(
                    "the mock rule for `{action}` has no answer scripted"
                )));
            };
            // Run outside the lock: the step may be a user's closure.
            drop(script);
            return step(body);
        }
        Err(unanswered(format!("no mock rule answers `{action}`")))
    }
}

/// Whether a rule answers a request body.
type Matcher = Box<dyn Fn(&[u8]) -> bool + Send + Sync>;

/// A scripted answer to one call, from the request body.
type Step = Arc<dyn Fn(&[u8]) -> Result<(u16, Vec<u8>), TransportError> + Send + Sync>;

struct RuleState {
    action: &'static str,
    script: Mutex<Script>,
}

#[derive(Default)]
struct Script {
    matcher: Option<Matcher>,
    steps: Vec<Step>,
    /// Index of the step answering the next call.
    next: usize,
    /// Bodies of the calls this rule answered.
    requests: Vec<Vec<u8>>,
}

/// The answers of a [`Mock`] for one action; a handle to the rule inside the
/// mock, kept to script it and to look at the calls it answered.
///
/// Each `then_*` answers one more call, in order; the last one keeps
/// answering every later call.
pub struct Rule<A> {
    state: Arc<RuleState>,
    action: PhantomData<fn() -> A>,
}

impl<A> Clone for Rule<A> {
    fn clone(&self) -> Self {
        Rule {
            state: self.state.clone(),
            action: PhantomData,
        }
    }
}

impl<A> fmt::Debug for Rule<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let script = lock(&self.state.script);
        f.debug_struct("Rule")
            .field("action", &self.state.action)
            .field("steps", &script.steps.len())
            .field("calls", &script.requests.len())
            .finish()
    }
}

impl<A: RoundTripAction + 'static> Rule<A> {
    /// Answers only the calls whose request satisfies `matches`; others go to
    /// later rules.
    pub fn matching(self, matches: impl Fn(&A) -> bool + Send + Sync + 'static) -> Self {
        lock(&self.state.script).matcher = Some(Box::new(move |body| {
            serde_json::from_slice::<A>(body).is_ok_and(|request| matches(&request))
        }));
        self
    }

    /// Answers the next call with `response` (its `RequestId`, if empty,
    /// becomes `mock-request-id`).
    pub fn then_ok(self, response: A::Response) -> Self {
        let wire = wire::<A>(Reply::Ok(response));
        self.step(Arc::new(move |_| deliver(wire.clone(), A::ACTION)))
    }

    /// Answers the next call with a service error: `code` as the service
    /// sends it (`ResourceNotFound`, `LimitExceeded.OutOfCountLimit`) and a
    /// message.
    pub fn then_error(self, code: impl Into<String>, message: impl Into<String>) -> Self {
        let wire = wire::<A>(Reply::error(code, message));
        self.step(Arc::new(move |_| deliver(wire.clone(), A::ACTION)))
    }

    /// Fails the next call's connection.
    pub fn then_fault(self, fault: Fault) -> Self {
        self.step(Arc::new(move |_| deliver(Wire::Fault(fault), A::ACTION)))
    }

    /// Answers the next call with what `reply` makes of its request.
    pub fn then(self, reply: impl Fn(&A) -> Reply<A::Response> + Send + Sync + 'static) -> Self {
        self.step(Arc::new(move |body| {
            match serde_json::from_slice::<A>(body) {
                Ok(request) => deliver(wire::<A>(reply(&request)), A::ACTION),
                Err(e) => Err(unanswered(format!(
                    "the mock could not read the `{}` request: {e}",
                    A::ACTION
                ))),
            }
        }))
    }

    /// How many calls this rule answered (retries count).
    pub fn calls(&self) -> usize {
        lock(&self.state.script).requests.len()
    }

    /// The requests this rule answered, in order, as the client sent them.
    pub fn requests(&self) -> Vec<A> {
        lock(&self.state.script)
            .requests
            .iter()
            .filter_map(|body| serde_json::from_slice(body).ok())
            .collect()
    }

    fn step(self, step: Step) -> Self {
        lock(&self.state.script).steps.push(step);
        self
    }
}

/// A reply as it goes on the wire.
#[derive(Clone)]
enum Wire {
    /// HTTP status and body.
    Answer(u16, Vec<u8>),
    Fault(Fault),
    /// The reply could not be encoded.
    Broken(String),
}

/// The bytes the service would send for `reply`.
fn wire<A: RoundTripAction>(reply: Reply<A::Response>) -> Wire {
    let envelope = |response: serde_json::Value| match serde_json::to_vec(
        &serde_json::json!({ "Response": response }),
    ) {
        Ok(body) => Wire::Answer(200, body),
        Err(e) => Wire::Broken(format!("the mock could not encode its answer: {e}")),
    };
    match reply {
        Reply::Ok(response) => {
            let mut value = match serde_json::to_value(&response) {
                Ok(v) => v,
                Err(e) => {
                    return Wire::Broken(format!("the mock could not encode its answer: {e}"))
                }
            };
            if let Some(map) = value.as_object_mut() {
                let id = map.entry("RequestId").or_insert(serde_json::Value::Null);
                if id.as_str().is_none_or(str::is_empty) {
                    *id = "mock-request-id".into();
                }
            }
            envelope(value)
        }
        Reply::Error { code, message } => envelope(serde_json::json!({
            "Error": {"Code": code, "Message": message},
            "RequestId": "mock-request-id",
        })),
        Reply::Fault(fault) => Wire::Fault(fault),
        Reply::Raw { status, body } => Wire::Answer(status, body),
    }
}

/// What the client receives for `wire`.
fn deliver(wire: Wire, action: &str) -> Result<(u16, Vec<u8>), TransportError> {
    match wire {
        Wire::Answer(status, body) => Ok((status, body)),
        Wire::Fault(fault) => {
            let (kind, what) = match fault {
                Fault::Connect => (TransportErrorKind::Connect, "connection refused"),
                Fault::Timeout => (TransportErrorKind::Timeout, "no answer in time"),
                Fault::BodyCutOff => (TransportErrorKind::Body, "connection closed mid-answer"),
            };
            Err(TransportError::with_cause(
                kind,
                format!("scripted fault of `{action}`: {what}"),
            ))
        }
        Wire::Broken(reason) => Err(unanswered(reason)),
    }
}

/// A call the mock has no answer for: a connection that could not be made,
/// so nothing pretends the service ran it.
fn unanswered(reason: String) -> TransportError {
    TransportError::with_cause(TransportErrorKind::Connect, reason)
}

/// The lock's data even if a user's closure panicked while holding it: the
/// data (rules and records) stays consistent between statements.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
