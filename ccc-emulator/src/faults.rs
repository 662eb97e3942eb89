//! Fault knobs: added latency and shares of `RequestLimitExceeded`, 5xx answers
//! and dropped connections, for all actions or per action.

use std::collections::HashMap;
use std::time::Duration;

/// Faults of one action (or of all).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FaultSpec {
    /// Added before answering.
    pub latency: Duration,
    /// Share (0..=1) of requests answered `RequestLimitExceeded`.
    pub rate_limited: f64,
    /// Share of requests answered HTTP 502 with an HTML page.
    pub server_errors: f64,
    /// Share of requests whose connection is closed without an answer.
    pub dropped: f64,
}

/// Fault knobs of an emulator.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// For every action without its own entry.
    pub default: FaultSpec,
    /// Per action name.
    pub per_action: HashMap<String, FaultSpec>,
}

impl Faults {
    /// The faults that apply to `action`.
    pub fn for_action(&self, action: &str) -> FaultSpec {
        self.per_action.get(action).copied().unwrap_or(self.default)
    }

    /// Sets the faults of one action.
    pub fn action(mut self, action: impl Into<String>, spec: FaultSpec) -> Self {
        self.per_action.insert(action.into(), spec);
        self
    }
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Injected {
    None,
    RateLimited,
    ServerError,
    Dropped,
}

/// Draws the fault for one request from `roll` in `0..1`.
pub(crate) fn draw(spec: &FaultSpec, roll: f64) -> Injected {
    if roll < spec.dropped {
        Injected::Dropped
    } else if roll < spec.dropped + spec.server_errors {
        Injected::ServerError
    } else if roll < spec.dropped + spec.server_errors + spec.rate_limited {
        Injected::RateLimited
    } else {
        Injected::None
    }
}
