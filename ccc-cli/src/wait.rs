//! `ccc wait NAME`: poll a `Describe*` action until a resource reaches a state,
//! with growing delays and an overall limit; the exit code says how it ended.

use ccc_spec::{action, ActionInfo};
use serde_json::Value;
use std::time::Duration;

/// Exit code when the resource reached a state from which the awaited one
/// cannot come (a task stopped by hand will never complete).
pub const FAILED: u8 = 6;
/// Exit code when `--max-wait` passed first.
pub const TIMED_OUT: u8 = 7;

/// One state machine to wait on.
pub struct Waiter {
    /// Subcommand of `ccc wait`.
    pub name: &'static str,
    /// The `Describe*` action polled.
    pub action: &'static str,
    /// Member of its answer holding the state.
    pub field: &'static str,
    /// States that end the wait successfully.
    pub success: &'static [i64],
    /// States that end it as failed.
    pub failure: &'static [i64],
    /// What is awaited, for help.
    pub about: &'static str,
}

/// The state machines of the API, with the values their enums document
/// (`AutoCalloutTaskState`, `DescribePredictiveDialingCampaignStatus`,
/// `DescribeAgentCruiseDialingCampaignState`).
pub static WAITERS: &[Waiter] = &[
    Waiter { name: "auto-callout-task-completed", action: "DescribeAutoCalloutTask", field: "State", success: &[2], failure: &[4], about: "until the automatic outbound task has completed (State 2); fails when it was terminated (4)" },
    Waiter { name: "auto-callout-task-running", action: "DescribeAutoCalloutTask", field: "State", success: &[1], failure: &[2, 3, 4], about: "until the automatic outbound task runs (State 1); fails when it has ended (2, 3, 4)" },
    Waiter { name: "auto-callout-task-stopped", action: "DescribeAutoCalloutTask", field: "State", success: &[2, 4], failure: &[], about: "until the automatic outbound task has ended, completed or terminated (State 2 or 4)" },
    Waiter { name: "predictive-dialing-campaign-completed", action: "DescribePredictiveDialingCampaign", field: "Status", success: &[4], failure: &[3], about: "until the predictive dialing campaign has completed (Status 4); fails when it was stopped (3)" },
    Waiter { name: "predictive-dialing-campaign-running", action: "DescribePredictiveDialingCampaign", field: "Status", success: &[1], failure: &[3, 4], about: "until the predictive dialing campaign runs (Status 1); fails when it has ended (3, 4)" },
    Waiter { name: "predictive-dialing-campaign-stopped", action: "DescribePredictiveDialingCampaign", field: "Status", success: &[3, 4], failure: &[], about: "until the predictive dialing campaign has ended, stopped or completed (Status 3 or 4)" },
    Waiter { name: "agent-cruise-dialing-campaign-completed", action: "DescribeAgentCruiseDialingCampaign", field: "State", success: &[2], failure: &[3], about: "until the agent cruise dialing campaign has completed (State 2); fails when it was terminated (3)" },
    Waiter { name: "agent-cruise-dialing-campaign-running", action: "DescribeAgentCruiseDialingCampaign", field: "State", success: &[1], failure: &[2, 3], about: "until the agent cruise dialing campaign runs (State 1); fails when it has ended (2, 3)" },
];

impl Waiter {
    /// The polled action's spec entry.
    pub fn action(&self) -> &'static ActionInfo {
        action(self.action).expect("waiters name actions of the spec (checked by a test)")
    }

    /// What an answer says: `Some(true)` done, `Some(false)` failed, `None` go on.
    pub fn verdict(&self, response: &Value) -> Option<bool> {
        let state = response.get(self.field)?.as_i64()?;
        if self.success.contains(&state) {
            Some(true)
        } else if self.failure.contains(&state) {
            Some(false)
        } else {
            None
        }
    }
}

/// The waiter named `name`.
pub fn waiter(name: &str) -> Option<&'static Waiter> {
    WAITERS.iter().find(|w| w.name == name)
}

/// Delays between polls: `first`, growing by half each time up to `cap`.
pub fn delays(first: Duration, cap: Duration) -> impl Iterator<Item = Duration> {
    std::iter::successors(Some(first.min(cap)), move |d| {
        Some(d.saturating_add(*d / 2).min(cap))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_waiter_names_a_describe_action_with_its_state_member() {
        for w in WAITERS {
            let a = w.action();
            assert!(
                a.output.iter().any(|m| m.name == w.field),
                "{}: {} has no {}",
                w.name,
                a.name,
                w.field
            );
            assert!(
                w.success.iter().all(|s| !w.failure.contains(s)),
                "{}",
                w.name
            );
        }
    }

    #[test]
    fn delays_grow_to_the_cap_and_stay() {
        let d: Vec<_> = delays(Duration::from_secs(2), Duration::from_secs(5))
            .take(5)
            .collect();
        assert_eq!(d, [2000, 3000, 4500, 5000, 5000].map(Duration::from_millis));
    }
}
