//! Client-side rate limiting per action: a token bucket per action name, shared by
//! every clone of a client, so that a burst is spread out to the action's
//! documented rate instead of being refused by the service.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
// tokio's clock, as the waits the buckets ask for are slept on (a test with
// paused time sees one clock); the standard one outside tests.
use tokio::time::Instant;

/// How a client limits its own request rate. `#[non_exhaustive]`: a later
/// version may add modes, so a `match` on it needs a wildcard arm.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub enum RateLimit {
    /// Each action at the rate the spec documents for it (the default).
    #[default]
    Spec,
    /// No client-side limit.
    Off,
    /// The spec's rates, with these per-action overrides (requests per second).
    Overrides(HashMap<String, f64>),
}

impl RateLimit {
    /// Refuses rates that are not a positive number of requests per second
    /// (NaN, infinite, zero or negative); a very small rate is allowed and
    /// makes calls wait up to their deadline.
    pub(crate) fn check(&self) -> Result<(), crate::ConfigError> {
        let RateLimit::Overrides(map) = self else {
            return Ok(());
        };
        let mut bad: Vec<_> = map
            .iter()
            .filter(|(_, r)| !(r.is_finite() && **r > 0.0))
            .collect();
        bad.sort_by(|a, b| a.0.cmp(b.0));
        match bad.first() {
            None => Ok(()),
            Some((action, rate)) => Err(crate::ConfigError::new(format!(
                "rate limit of {rate} requests per second for `{action}`: must be a positive number (use `RateLimit::Off` for no limit)"
            ))),
        }
    }
}

#[derive(Debug)]
struct Bucket {
    rate: f64,
    tokens: f64,
    last: Instant,
}

/// The buckets of one client.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    mode: RateLimit,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub(crate) fn new(mode: RateLimit) -> Self {
        RateLimiter {
            mode,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The rate for `action`, if limited.
    fn rate(&self, action: &str, documented: Option<u32>) -> Option<f64> {
        match &self.mode {
            RateLimit::Off => None,
            RateLimit::Spec => documented.map(f64::from),
            RateLimit::Overrides(map) => map.get(action).copied().or(documented.map(f64::from)),
        }
        .filter(|r| r.is_finite() && *r > 0.0)
    }

    /// Takes a token for `action`; how long to wait before sending. The bucket
    /// holds a single token: requests are paced evenly at the rate, so that no
    /// one-second window sees more than the service allows.
    pub(crate) fn reserve(&self, action: &str, documented: Option<u32>) -> Duration {
        let Some(rate) = self.rate(action, documented) else {
            return Duration::ZERO;
        };
        let Ok(mut buckets) = self.buckets.lock() else {
            return Duration::ZERO;
        };
        let now = Instant::now();
        if !buckets.contains_key(action) {
            let fresh = Bucket {
                rate,
                tokens: 1.0,
                last: now,
            };
            buckets.insert(action.to_owned(), fresh);
        }
        let Some(b) = buckets.get_mut(action) else {
            return Duration::ZERO;
        };
        b.rate = rate;
        let capacity = 1.0;
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * rate).min(capacity);
        b.last = now;
        b.tokens -= 1.0;
        if b.tokens >= 0.0 {
            Duration::ZERO
        } else {
            // A tiny rate means a wait longer than any deadline; saturate
            // instead of overflowing.
            Duration::try_from_secs_f64(-b.tokens / rate).unwrap_or(Duration::MAX)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_spread_to_the_rate() {
        let l = RateLimiter::new(RateLimit::Spec);
        let waits: Vec<Duration> = (0..41).map(|_| l.reserve("A", Some(20))).collect();
        // The first goes at once, then one every 50 ms.
        assert!(waits[0].is_zero());
        for (i, w) in waits.iter().enumerate().skip(1) {
            let expected = i as f64 * 0.05;
            assert!((w.as_secs_f64() - expected).abs() < 0.01, "{i}: {w:?}");
        }
        // Another action has its own bucket.
        assert!(l.reserve("B", Some(20)).is_zero());
    }

    #[test]
    fn off_and_overrides() {
        let off = RateLimiter::new(RateLimit::Off);
        assert!((0..100).all(|_| off.reserve("A", Some(1)).is_zero()));
        let o = RateLimiter::new(RateLimit::Overrides(HashMap::from([("A".to_owned(), 2.0)])));
        assert!(o.reserve("A", Some(100)).is_zero());
        assert!(o.reserve("A", Some(100)) > Duration::from_millis(450));
        // No documented limit and no override: not limited.
        assert!((0..100).all(|_| o.reserve("B", None).is_zero()));
    }
}
