//! `ccc wait NAME`: the spec's waiters (`ccc_spec::WAITERS`, generated from the
//! `waiters` of `service.json`) run by the runtime's waiter, and tccli's
//! `--waiter` on any action; the exit code says how the wait ended.

use crate::client::{call, init_logging, settings, Settings};
use crate::output::Query;
use crate::{actions, call_failed, fail, query_and_client, seconds, show};
use ccc_api::runtime::waiter::{poll_until, JsonStateRule};
use ccc_api::{Client, WaitOutcome, WaitSettings, WaitState};
use ccc_spec::{action, ActionInfo, WaiterInfo};
use clap::{Arg, ArgMatches, Command};
use serde_json::Value;
use std::process::ExitCode;
use std::time::Duration;

/// Exit code when the resource reached a state from which the awaited one
/// cannot come (a task stopped by hand will never complete).
pub const FAILED: u8 = 6;
/// Exit code when `--max-wait` passed first.
pub const TIMED_OUT: u8 = 7;
/// The longest delay between two polls.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// Every waiter of the spec.
pub fn waiters() -> &'static [WaiterInfo] {
    ccc_spec::WAITERS
}

/// The waiter named `name`.
pub fn waiter(name: &str) -> Option<&'static WaiterInfo> {
    ccc_spec::waiter(name)
}

/// The polled action's spec entry (the spec validation guarantees it exists).
pub fn action_of(w: &WaiterInfo) -> Option<&'static ActionInfo> {
    action(w.action)
}

/// The state's path as the spec writes it (`State`, `Task.State`).
pub fn state_name(w: &WaiterInfo) -> String {
    w.state.join(".")
}

/// The waiter as a rule on untyped answers.
pub fn rule(w: &WaiterInfo) -> JsonStateRule {
    let values = |texts: &'static [&'static str]| {
        texts
            .iter()
            .filter_map(|t| serde_json::from_str::<Value>(t).ok())
    };
    JsonStateRule::new(w.state.iter().copied())
        .success(values(w.success))
        .failure(values(w.failure))
}

/// `ccc wait`: a subcommand per waiter, with the polled action's flags.
pub fn wait_command(global: &[Arg]) -> Command {
    let mut cmd = Command::new("wait")
        .about("Wait until a task or campaign reaches a state")
        .long_about(
            "Polls the resource's Describe action, the delay growing by half each time up to 30 s, \
             until it reaches the awaited state (exit 0, the last answer printed), a state from \
             which it cannot come (exit 6), or --max-wait passes (exit 7).",
        )
        .subcommand_required(true);
    for w in waiters() {
        let Some(a) = action_of(w) else {
            continue;
        };
        let mut sub = Command::new(w.name)
            .about(format!("Poll {} {}", a.name, w.doc))
            .allow_negative_numbers(true)
            .override_usage(actions::usage(&format!("wait {}", w.name), a))
            .next_help_heading(actions::PARAMETERS);
        for m in a.input {
            sub = sub.arg(actions::member_arg(m, None));
        }
        sub = sub
            .next_help_heading("Waiting")
            .arg(
                Arg::new("delay")
                    .long("delay")
                    .value_name("SECONDS")
                    .value_parser(seconds)
                    .default_value("2")
                    .help("First delay between polls; it grows by half each time, up to 30 s"),
            )
            .arg(
                Arg::new("max-wait")
                    .long("max-wait")
                    .value_name("SECONDS")
                    .value_parser(seconds)
                    .default_value("600")
                    .help("Give up (exit 7) after this long"),
            )
            .arg(actions::query_arg())
            .args(global.iter().cloned());
        cmd = cmd.subcommand(sub);
    }
    cmd
}

/// Runs `ccc wait NAME`: polls until the state is reached (the last answer
/// printed), cannot come any more, or `--max-wait` passes.
pub async fn run_wait(
    w: &'static ccc_spec::WaiterInfo,
    root: &ArgMatches,
    args: &ArgMatches,
) -> ExitCode {
    let Some(a) = action_of(w) else {
        return fail(2, format!("{}: no action {}", w.name, w.action));
    };
    let s = match settings(root, args) {
        Ok(s) => s,
        Err(e) => return fail(3, e),
    };
    init_logging(s.debug);
    let mut params = serde_json::Map::new();
    if let Err(e) = actions::flags_into(a.input, args, &mut params) {
        return fail(2, e);
    }
    if let Err(e) = actions::missing(a, &params) {
        return fail(2, e);
    }
    let body = Value::Object(params);
    let delay = *args.get_one::<Duration>("delay").expect("has a default");
    let max_wait = *args.get_one::<Duration>("max-wait").expect("has a default");
    let (query, client) = match query_and_client(&s, root, args).await {
        Ok(both) => both,
        Err(code) => return code,
    };
    let settings = WaitSettings::new()
        .initial_delay(delay)
        .max_delay(MAX_DELAY)
        .max_wait(max_wait);
    let rule = rule(w);
    let state = |r: &Value| rule.value(r).cloned().unwrap_or(Value::Null);
    let outcome = poll_until(
        &settings,
        || call(&client, a, &body, s.debug),
        |r| rule.state(r),
    )
    .await;
    match outcome {
        WaitOutcome::Reached(response) => show(&response, s.format, query.as_ref())
            .err()
            .unwrap_or(ExitCode::SUCCESS),
        WaitOutcome::Unreachable(response) => fail(
            FAILED,
            format!(
                "{} is {}: {} cannot happen any more",
                state_name(w),
                state(&response),
                w.name
            ),
        ),
        WaitOutcome::TimedOut { last, waited } => fail(
            TIMED_OUT,
            format!(
                "gave up after {:.1} s: {} is still {}",
                waited.as_secs_f64(),
                state_name(w),
                state(&last)
            ),
        ),
        WaitOutcome::Error(e) => call_failed(&e),
        _ => fail(1, "the wait ended in a way this ccc does not know"),
    }
}

/// tccli's `--waiter '{"expr": JMESPATH, "to": VALUE, "timeout": S, "interval": S}'`:
/// the call is repeated until what `expr` selects equals `to` (compared as
/// text, so `"to": "2"` matches the number 2).
pub async fn run_waiter(
    client: &Client,
    a: &ActionInfo,
    body: &Value,
    s: &Settings,
    spec: &str,
    query: Option<&Query>,
) -> Result<(), ExitCode> {
    let parsed: Value = serde_json::from_str(spec)
        .or_else(|_| serde_json::from_str(&spec.replace('\'', "\"")))
        .map_err(|_| {
            fail(
                2,
                "--waiter: not a JSON object such as {\"expr\": \"State\", \"to\": 2}",
            )
        })?;
    let expr = parsed
        .get("expr")
        .and_then(Value::as_str)
        .ok_or_else(|| fail(2, "--waiter: `expr` (a JMESPath expression) is missing"))?;
    let expr = Query::new(expr).map_err(|e| fail(2, format!("--waiter: {e}")))?;
    let to = parsed
        .get("to")
        .map(text_of)
        .ok_or_else(|| fail(2, "--waiter: `to` (the value to wait for) is missing"))?;
    let secs = |key: &str, default: f64| match parsed.get(key) {
        None => seconds(&default.to_string()),
        Some(v) => seconds(&text_of(v)),
    };
    let max_wait =
        secs("timeout", 180.0).map_err(|e| fail(2, format!("--waiter: timeout: {e}")))?;
    let interval =
        secs("interval", 5.0).map_err(|e| fail(2, format!("--waiter: interval: {e}")))?;
    let state = |r: &Value| match expr.apply(r) {
        Ok(v) if text_of(&v) == to => WaitState::Reached,
        _ => WaitState::Pending,
    };
    let settings = WaitSettings::new()
        .initial_delay(interval)
        .max_delay(MAX_DELAY)
        .max_wait(max_wait);
    let outcome = poll_until(&settings, || call(client, a, body, s.debug), state).await;
    match outcome {
        WaitOutcome::Reached(response) => show(&response, s.format, query),
        WaitOutcome::Error(e) => Err(call_failed(&e)),
        // The state above is never unreachable: only the timeout ends it otherwise.
        other => {
            let (last, waited) = match &other {
                WaitOutcome::TimedOut { last, waited } => (Some(last), *waited),
                _ => (other.last_answer(), Duration::ZERO),
            };
            Err(fail(
                TIMED_OUT,
                format!(
                    "gave up after {:.1} s: the expression gives {}, not {to}",
                    waited.as_secs_f64(),
                    last.and_then(|r| expr.apply(r).ok())
                        .map(|v| text_of(&v))
                        .unwrap_or_default()
                ),
            ))
        }
    }
}

/// A scalar as its text (strings unquoted), anything else as JSON.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_waiter_names_an_action_with_its_state_member() {
        assert_eq!(waiters().len(), 8);
        for w in waiters() {
            let a = action_of(w).expect(w.action);
            assert!(
                a.output.iter().any(|m| m.name == w.state[0]),
                "{}: {} has no {}",
                w.name,
                a.name,
                state_name(w)
            );
        }
    }

    #[test]
    fn rules_follow_the_spec_values() {
        let w = waiter("auto-callout-task-completed").unwrap();
        let r = rule(w);
        assert_eq!(r.state(&json!({"State": 2})), WaitState::Reached);
        assert_eq!(r.state(&json!({"State": 4})), WaitState::Unreachable);
        assert_eq!(r.state(&json!({"State": 1})), WaitState::Pending);
        assert_eq!(r.state(&json!({})), WaitState::Pending);
    }
}
