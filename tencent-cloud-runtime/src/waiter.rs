//! Waiting for a resource to reach a state by polling a `Describe*` action.
//!
//! A waiter calls an action again and again, reading one member of each answer
//! (the state), until that state is one it waits for, one from which the awaited
//! state can no longer come, or the time allowed has passed. Service crates
//! generate one waiter per entry of their spec's `waiters` list (a
//! `wait_until_<name>()` method on their client, typed); programs that work
//! with untyped answers ([`Client::call`](crate::Client::call)) use the same
//! loop, [`poll_until`], with a [`JsonStateRule`].
//!
//! # Timing
//!
//! The first call is made at once. After an answer in a state that is neither
//! awaited nor final, the waiter sleeps and calls again: first for
//! [`WaitSettings::initial_delay`], then each delay half as long again as the
//! one before, never longer than [`WaitSettings::max_delay`]. It never sleeps
//! past [`WaitSettings::max_wait`] (counted from the first call): the last
//! sleep is shortened so that a last call is made when the time is up, and if
//! that answer is still undecided the wait ends as [`WaitOutcome::TimedOut`].
//! A max wait of zero makes exactly one call. Sleeping uses tokio's clock, so
//! tests can run waiters on paused time.
//!
//! # Errors
//!
//! A call that fails (after the client's own retries) ends the wait with
//! [`WaitOutcome::Error`]; a request that cannot be built fails before the
//! first call.

use crate::action::Action;
use crate::client::Client;
use crate::error::{BuildError, SdkError};
use crate::options::RequestOptions;
use serde_json::Value;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// How long a waiter sleeps between calls and how long it waits in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitSettings {
    /// The sleep after the first answer.
    pub initial_delay: Duration,
    /// The longest sleep between two calls; the delays grow to it.
    pub max_delay: Duration,
    /// How long after the first call the waiter gives up.
    pub max_wait: Duration,
}

impl WaitSettings {
    /// The first sleep unless told otherwise: 2 s.
    pub const DEFAULT_INITIAL_DELAY: Duration = Duration::from_secs(2);
    /// The longest sleep unless told otherwise: 30 s.
    pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(30);
    /// The time allowed unless told otherwise: 10 minutes.
    pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(600);

    /// The defaults: 2 s growing to 30 s, for at most 10 minutes.
    pub const fn new() -> Self {
        WaitSettings {
            initial_delay: Self::DEFAULT_INITIAL_DELAY,
            max_delay: Self::DEFAULT_MAX_DELAY,
            max_wait: Self::DEFAULT_MAX_WAIT,
        }
    }

    /// Sets the sleep after the first answer.
    pub const fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Sets the longest sleep between two calls.
    pub const fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets how long after the first call the waiter gives up; zero: one call.
    pub const fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// The sleeps between calls, before the max wait shortens any: the initial
    /// delay, then each half as long again as the one before, capped at the
    /// max delay (an initial delay above the cap starts at the cap).
    pub fn delays(&self) -> impl Iterator<Item = Duration> {
        let cap = self.max_delay;
        std::iter::successors(Some(self.initial_delay.min(cap)), move |d| {
            Some(d.saturating_add(*d / 2).min(cap))
        })
    }
}

impl Default for WaitSettings {
    fn default() -> Self {
        WaitSettings::new()
    }
}

/// What one answer says about the wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaitState {
    /// The awaited state: the wait is over.
    Reached,
    /// A state from which the awaited one can no longer come (a task stopped
    /// by hand will never complete): the wait is over.
    Unreachable,
    /// Anything else: call again.
    Pending,
}

/// How a wait ended.
#[derive(Debug)]
#[must_use]
#[non_exhaustive]
pub enum WaitOutcome<R, C> {
    /// The awaited state, with the answer that showed it.
    Reached(R),
    /// A state from which the awaited one can no longer come, with the answer
    /// that showed it.
    Unreachable(R),
    /// The max wait passed first.
    TimedOut {
        /// The last answer, in a state neither awaited nor final.
        last: R,
        /// How long the waiter waited, from its first call to its last answer.
        waited: Duration,
    },
    /// A call failed; the wait stops there.
    Error(SdkError<C>),
}

impl<R, C> WaitOutcome<R, C> {
    /// Whether the awaited state was reached.
    pub fn is_reached(&self) -> bool {
        matches!(self, WaitOutcome::Reached(_))
    }

    /// The answer in the awaited state, if it was reached.
    pub fn reached(self) -> Option<R> {
        match self {
            WaitOutcome::Reached(r) => Some(r),
            _ => None,
        }
    }

    /// The last answer received, unless the wait ended with an error.
    pub fn last_answer(&self) -> Option<&R> {
        match self {
            WaitOutcome::Reached(r)
            | WaitOutcome::Unreachable(r)
            | WaitOutcome::TimedOut { last: r, .. } => Some(r),
            WaitOutcome::Error(_) => None,
        }
    }
}

/// The polling loop every waiter runs: `call` until `state` says
/// [`WaitState::Reached`] or [`WaitState::Unreachable`], a call fails, or the
/// max wait passes (see the [module docs](self) for the timing). `call` makes
/// one call each time it is invoked; with untyped answers it wraps
/// [`Client::call`], and `state` may be [`JsonStateRule::state`].
pub async fn poll_until<R, C, F, Fut, S>(
    settings: &WaitSettings,
    mut call: F,
    mut state: S,
) -> WaitOutcome<R, C>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<R, SdkError<C>>>,
    S: FnMut(&R) -> WaitState,
{
    let start = Instant::now();
    let mut delays = settings.delays();
    loop {
        let answer = match call().await {
            Ok(answer) => answer,
            Err(e) => return WaitOutcome::Error(e),
        };
        match state(&answer) {
            WaitState::Reached => return WaitOutcome::Reached(answer),
            WaitState::Unreachable => return WaitOutcome::Unreachable(answer),
            WaitState::Pending => {}
        }
        let waited = start.elapsed();
        let left = settings.max_wait.saturating_sub(waited);
        if left.is_zero() {
            return WaitOutcome::TimedOut {
                last: answer,
                waited,
            };
        }
        let pause = delays.next().unwrap_or(settings.max_delay).min(left);
        tokio::time::sleep(pause).await;
    }
}

/// Waits on a typed action: builds nothing, calls `request` through `client`
/// with `options` as [`poll_until`] says. What generated `wait()` methods run.
pub async fn wait_for_action<A, S>(
    client: &Client,
    request: Result<A, BuildError>,
    options: &RequestOptions,
    settings: &WaitSettings,
    state: S,
) -> WaitOutcome<A::Response, A::ErrorCode>
where
    A: Action,
    S: FnMut(&A::Response) -> WaitState,
{
    let request = match request {
        Ok(r) => r,
        Err(e) => return WaitOutcome::Error(SdkError::Build(e)),
    };
    poll_until(settings, || client.execute_with(&request, options), state).await
}

/// Where the state sits in an untyped answer and which values end a wait: the
/// untyped form of a spec's waiter entry.
///
/// [`JsonStateRule::state`] finds the member at the path (objects only; a
/// missing member or `null` counts as no value), then: a success value is
/// [`WaitState::Reached`], a failure value [`WaitState::Unreachable`], and
/// anything else, values the rule lists as retry values, unlisted values and
/// no value at all, [`WaitState::Pending`]: a state the service added after the
/// rule was written does not end a wait early. Numbers compare by value
/// (`2` matches `2.0`), strings exactly, and a number never matches a string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonStateRule {
    path: Vec<String>,
    success: Vec<Value>,
    failure: Vec<Value>,
}

impl JsonStateRule {
    /// A rule on the member at `path` (member names from the answer's top
    /// level down: `["State"]`, `["Task", "State"]`), with no value listed yet.
    pub fn new<I: IntoIterator<Item = P>, P: Into<String>>(path: I) -> Self {
        JsonStateRule {
            path: path.into_iter().map(Into::into).collect(),
            success: Vec::new(),
            failure: Vec::new(),
        }
    }

    /// Adds values meaning the awaited state was reached.
    pub fn success<I: IntoIterator<Item = Value>>(mut self, values: I) -> Self {
        self.success.extend(values);
        self
    }

    /// Adds values meaning the awaited state can no longer come.
    pub fn failure<I: IntoIterator<Item = Value>>(mut self, values: I) -> Self {
        self.failure.extend(values);
        self
    }

    /// The member names leading to the state.
    pub fn path(&self) -> &[String] {
        &self.path
    }

    /// The state's value in `answer`, if it holds one (not `null`).
    pub fn value<'a>(&self, answer: &'a Value) -> Option<&'a Value> {
        self.path
            .iter()
            .try_fold(answer, |v, name| v.get(name))
            .filter(|v| !v.is_null())
    }

    /// What `answer` says about the wait.
    pub fn state(&self, answer: &Value) -> WaitState {
        let Some(value) = self.value(answer) else {
            return WaitState::Pending;
        };
        if self.success.iter().any(|s| same(s, value)) {
            WaitState::Reached
        } else if self.failure.iter().any(|f| same(f, value)) {
            WaitState::Unreachable
        } else {
            WaitState::Pending
        }
    }
}

/// Equal JSON scalars, numbers by value whatever their representation.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;

    type Answer = Result<Value, SdkError<String>>;

    /// A scripted action: each call takes the next answer (the last one
    /// repeats) and records when it was made.
    struct Script {
        answers: RefCell<VecDeque<Answer>>,
        calls: RefCell<Vec<Duration>>,
        start: Instant,
    }

    impl Script {
        fn new(answers: Vec<Answer>) -> Self {
            Script {
                answers: RefCell::new(answers.into()),
                calls: RefCell::new(Vec::new()),
                start: Instant::now(),
            }
        }

        async fn call(&self) -> Answer {
            self.calls.borrow_mut().push(self.start.elapsed());
            let mut answers = self.answers.borrow_mut();
            if answers.len() > 1 {
                answers.pop_front().expect("not empty")
            } else {
                match answers.front().expect("a last answer") {
                    Ok(v) => Ok(v.clone()),
                    Err(_) => Err(SdkError::Build(BuildError::missing("A", "B"))),
                }
            }
        }

        fn calls(&self) -> Vec<Duration> {
            self.calls.borrow().clone()
        }
    }

    fn state(n: i64) -> Answer {
        Ok(json!({ "State": n }))
    }

    fn rule() -> JsonStateRule {
        JsonStateRule::new(["State"])
            .success([json!(2)])
            .failure([json!(4)])
    }

    fn settings() -> WaitSettings {
        WaitSettings::new()
            .initial_delay(Duration::from_secs(2))
            .max_delay(Duration::from_secs(5))
            .max_wait(Duration::from_secs(60))
    }

    async fn run(script: &Script, settings: WaitSettings) -> WaitOutcome<Value, String> {
        let rule = rule();
        poll_until(&settings, || script.call(), |v| rule.state(v)).await
    }

    fn secs(s: &[f64]) -> Vec<Duration> {
        s.iter().map(|s| Duration::from_secs_f64(*s)).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn reached_after_pending_answers() {
        let script = Script::new(vec![state(0), state(1), state(2)]);
        let outcome = run(&script, settings()).await;
        assert_eq!(outcome.reached(), Some(json!({ "State": 2 })));
        assert_eq!(script.calls(), secs(&[0.0, 2.0, 5.0]));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_state_is_unreachable() {
        let script = Script::new(vec![state(1), state(4)]);
        match run(&script, settings()).await {
            WaitOutcome::Unreachable(v) => assert_eq!(v["State"], 4),
            other => panic!("{other:?}"),
        }
        assert_eq!(script.calls().len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn times_out_with_a_last_call_at_the_deadline() {
        let script = Script::new(vec![state(1)]);
        let s = settings().max_wait(Duration::from_secs(20));
        match run(&script, s).await {
            WaitOutcome::TimedOut { last, waited } => {
                assert_eq!(last["State"], 1);
                assert_eq!(waited, Duration::from_secs(20));
            }
            other => panic!("{other:?}"),
        }
        // 2, 3, 4.5, 5, 5 and the rest shortened to the deadline.
        assert_eq!(
            script.calls(),
            secs(&[0.0, 2.0, 5.0, 9.5, 14.5, 19.5, 20.0])
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_error_ends_the_wait() {
        let script = Script::new(vec![
            state(1),
            Err(SdkError::Build(BuildError::missing("A", "B"))),
        ]);
        let outcome = run(&script, settings()).await;
        assert!(
            matches!(outcome, WaitOutcome::Error(SdkError::Build(_))),
            "{outcome:?}"
        );
        assert!(outcome.last_answer().is_none());
        assert_eq!(script.calls().len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn zero_max_wait_is_one_call() {
        let script = Script::new(vec![state(1)]);
        let outcome = run(&script, settings().max_wait(Duration::ZERO)).await;
        assert!(matches!(outcome, WaitOutcome::TimedOut { waited, .. } if waited.is_zero()));
        assert_eq!(script.calls().len(), 1);
        // Zero delays too: still one call, no busy loop.
        let script = Script::new(vec![state(1)]);
        let s = WaitSettings::new()
            .initial_delay(Duration::ZERO)
            .max_delay(Duration::ZERO)
            .max_wait(Duration::ZERO);
        assert!(!run(&script, s).await.is_reached());
        assert_eq!(script.calls().len(), 1);
    }

    #[test]
    fn delays_grow_by_half_to_the_cap_and_stay() {
        let d: Vec<_> = settings().delays().take(6).collect();
        assert_eq!(d, secs(&[2.0, 3.0, 4.5, 5.0, 5.0, 5.0]));
        let big = settings().initial_delay(Duration::from_secs(60));
        assert_eq!(big.delays().next(), Some(Duration::from_secs(5)));
        let huge = WaitSettings::new()
            .initial_delay(Duration::MAX)
            .max_delay(Duration::MAX);
        assert_eq!(huge.delays().nth(3), Some(Duration::MAX));
    }

    #[test]
    fn rules_read_nested_members_and_keep_polling_on_the_unknown() {
        let rule = JsonStateRule::new(["Task", "State"])
            .success([json!("Done")])
            .failure([json!("Failed")]);
        let at = |v: Value| rule.state(&json!({ "Task": { "State": v } }));
        assert_eq!(at(json!("Done")), WaitState::Reached);
        assert_eq!(at(json!("Failed")), WaitState::Unreachable);
        assert_eq!(at(json!("Brand new")), WaitState::Pending);
        assert_eq!(at(Value::Null), WaitState::Pending);
        assert_eq!(rule.state(&json!({})), WaitState::Pending);
        assert_eq!(rule.state(&json!({ "Task": 3 })), WaitState::Pending);
        let numbers = JsonStateRule::new(["S"]).success([json!(2)]);
        assert_eq!(numbers.state(&json!({ "S": 2.0 })), WaitState::Reached);
        assert_eq!(numbers.state(&json!({ "S": "2" })), WaitState::Pending);
        assert_eq!(numbers.path(), ["S".to_owned()]);
    }

    #[tokio::test(start_paused = true)]
    async fn an_error_on_the_first_call_is_one_call() {
        let calls = Cell::new(0);
        let outcome: WaitOutcome<Value, String> = poll_until(
            &settings(),
            || {
                calls.set(calls.get() + 1);
                std::future::ready(Err(SdkError::Build(BuildError::missing("A", "B"))))
            },
            |_| WaitState::Pending,
        )
        .await;
        assert!(matches!(outcome, WaitOutcome::Error(_)));
        assert_eq!(calls.get(), 1);
    }
}
