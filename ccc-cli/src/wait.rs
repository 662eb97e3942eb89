//! `ccc wait NAME`: the spec's waiters (`ccc_spec::WAITERS`, generated from the
//! `waiters` of `service.json`) run by the runtime's waiter; the exit code says
//! how the wait ended.

use ccc_api::runtime::waiter::JsonStateRule;
use ccc_spec::{action, ActionInfo, WaiterInfo};
use serde_json::Value;
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

#[cfg(test)]
mod tests {
    use super::*;
    use ccc_api::WaitState;
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
