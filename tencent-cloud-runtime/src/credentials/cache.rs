//! Reuses temporary credentials and refreshes them ahead of expiry, so that a
//! slow, failing or hung source costs as few requests as possible.

use super::{Credentials, CredentialsFuture, ProvideCredentials};
use crate::error::CredentialsError;
use futures_util::future::{BoxFuture, FutureExt, Shared};
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, SystemTime};

/// How long before expiry credentials are refreshed by default.
const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(300);

/// How long a refresh may take by default before it counts as failed.
const DEFAULT_REFRESH_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest time keys are used after they arrived. STS grants at most 12
/// hours; an expiry further out is not believed past that.
const MAX_TRUSTED_LIFETIME: Duration = Duration::from_secs(12 * 3600);

/// How long a request that holds still-valid keys waits for a refresh before
/// it goes ahead with those keys.
const WAIT_WHILE_VALID: Duration = Duration::from_millis(500);

const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

const SOURCE: &str = "credentials cache";

type Outcome = Result<Credentials, CredentialsError>;
type Round = Shared<BoxFuture<'static, Outcome>>;
type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Caches what `inner` provides; permanent keys (no expiry) are kept for good.
///
/// The rules, all judged by the system clock (expiries come from servers as
/// wall-clock times):
///
/// - **When to refresh.** Keys received with lifetime `L` are refreshed once less
///   than `min(margin, L / 2)` of it remains: long-lived keys five minutes
///   (the margin) before they expire, keys that live less than twice the margin
///   half-way through their life instead of on every request. No keys are
///   trusted for longer than 12 hours (STS grants no more) after they arrived,
///   whatever expiry the source claimed.
/// - **One refresh at a time.** A refresh is a *round*: one call to the source
///   whose result, success or error, every request waiting for it receives. The
///   round belongs to the cache, not to the request that started it: a request
///   dropped mid-wait (its deadline passed) leaves the round in place and the
///   next request carries it on. A round ends with an error after
///   `refresh_timeout` (30 s by default) however the source behaves, so nothing
///   waits on it for ever.
/// - **Failures while the keys still work.** Requests whose cached keys are
///   merely inside the margin wait at most half a second for a round and
///   then keep using those keys. A failed round is logged (`warn`, without
///   secrets) and the next one starts no sooner than a back-off of 1 s, doubling
///   up to 60 s, and never later than the keys' expiry.
/// - **Failures without working keys.** Every waiting request gets the round's
///   error; the next request starts a new round (no back-off: the caller is
///   failing anyway, and rounds never overlap).
/// - **Keys expired on arrival** (per this machine's clock, which may be the one
///   that is wrong) are handed to the requests of that round but not cached,
///   and count as a failed round otherwise.
///
/// The cache needs a Tokio runtime with timers, as the client does.
pub struct CachingProvider<P> {
    provider: Arc<P>,
    state: Arc<Mutex<State>>,
    settings: Settings,
}

#[derive(Clone)]
struct Settings {
    margin: Duration,
    refresh_timeout: Duration,
    clock: Clock,
}

#[derive(Default)]
struct State {
    keys: Option<Cached>,
    /// The refresh in flight, shared by everyone waiting for it.
    round: Option<Round>,
    /// Failed rounds since the last good one.
    failures: u32,
    /// No new round before this while the cached keys are still valid.
    next_try: Option<SystemTime>,
}

struct Cached {
    creds: Credentials,
    /// `None` for permanent keys.
    refresh_at: Option<SystemTime>,
}

impl Cached {
    fn fresh_at(&self, now: SystemTime) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }

    fn valid_at(&self, now: SystemTime) -> bool {
        unexpired(&self.creds, now)
    }
}

fn unexpired(creds: &Credentials, now: SystemTime) -> bool {
    creds.expires_at().is_none_or(|at| now < at)
}

/// When keys received at `now` and expiring at `expires` are refreshed.
fn refresh_point(now: SystemTime, expires: SystemTime, margin: Duration) -> SystemTime {
    let lifetime = expires.duration_since(now).unwrap_or_default();
    let ahead = margin.min(lifetime / 2);
    // `ahead` ≤ `lifetime`: never before `now` (nor before 1970).
    let at = expires.checked_sub(ahead).unwrap_or(now).max(now);
    match now.checked_add(MAX_TRUSTED_LIFETIME) {
        Some(cap) => at.min(cap),
        None => at,
    }
}

/// The wait after the `failures`-th failed round in a row (counting from 1).
fn backoff(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    FIRST_BACKOFF
        .saturating_mul(1 << doublings)
        .min(MAX_BACKOFF)
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // The state is consistent between statements; a panic elsewhere while the
    // lock was held does not make it unusable.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<P: ProvideCredentials + 'static> CachingProvider<P> {
    /// Caches `inner`, refreshing five minutes before expiry.
    pub fn new(inner: P) -> Self {
        CachingProvider {
            provider: Arc::new(inner),
            state: Arc::default(),
            settings: Settings {
                margin: DEFAULT_REFRESH_BEFORE,
                refresh_timeout: DEFAULT_REFRESH_TIMEOUT,
                clock: Arc::new(SystemTime::now),
            },
        }
    }

    /// Refresh this long before expiry instead (at most half-way through the
    /// keys' life).
    pub fn refresh_before(mut self, margin: Duration) -> Self {
        self.settings.margin = margin;
        self
    }

    /// Give up on a refresh after this long instead of 30 s.
    pub fn refresh_timeout(mut self, limit: Duration) -> Self {
        self.settings.refresh_timeout = limit;
        self
    }

    /// Judge expiry by `clock` instead of the system clock (tests).
    #[cfg(test)]
    fn clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.settings.clock = Arc::new(clock);
        self
    }

    /// The expiry of the cached credentials, if any are cached.
    pub fn cached_expiry(&self) -> Option<SystemTime> {
        lock(&self.state).keys.as_ref()?.creds.expires_at()
    }

    /// A new round: asks the source once, bounded by the refresh timeout, and
    /// records the outcome in the cache whoever happens to be polling it.
    fn start_round(&self) -> Round {
        let provider = Arc::clone(&self.provider);
        // Weak: the round is stored in the state and must not keep it alive.
        let state = Arc::downgrade(&self.state);
        let settings = self.settings.clone();
        async move {
            let limit = settings.refresh_timeout;
            let ask = async { tokio::time::timeout(limit, provider.provide_credentials()).await };
            // A panicking source must not leave a poisoned round in the cache,
            // which would fail every later request.
            let outcome = match AssertUnwindSafe(ask).catch_unwind().await {
                Ok(Ok(outcome)) => outcome,
                Ok(Err(_)) => Err(CredentialsError::new(
                    SOURCE,
                    format!("refresh did not finish within {limit:?}"),
                )),
                Err(_) => Err(CredentialsError::new(
                    SOURCE,
                    "the credentials source panicked",
                )),
            };
            record(&state, &outcome, &settings);
            outcome
        }
        .boxed()
        .shared()
    }
}

/// Stores a finished round's outcome and sets when the next one may start.
fn record(state: &Weak<Mutex<State>>, outcome: &Outcome, settings: &Settings) {
    let Some(state) = state.upgrade() else {
        return;
    };
    let now = (settings.clock)();
    let mut state = lock(&state);
    state.round = None;
    let failure = match outcome {
        Ok(creds) => match creds.expires_at() {
            None => {
                state.keys = Some(Cached {
                    creds: creds.clone(),
                    refresh_at: None,
                });
                state.failures = 0;
                state.next_try = None;
                return;
            }
            Some(expires) if now < expires => {
                state.keys = Some(Cached {
                    creds: creds.clone(),
                    refresh_at: Some(refresh_point(now, expires, settings.margin)),
                });
                state.failures = 0;
                state.next_try = None;
                return;
            }
            Some(_) => {
                tracing::warn!(
                    "credentials source gave keys that had already expired (is the system clock right?); used for the requests waiting, not cached"
                );
                "keys already expired".to_owned()
            }
        },
        Err(e) => e.to_string(),
    };
    state.failures = state.failures.saturating_add(1);
    let still_valid = state
        .keys
        .as_ref()
        .filter(|k| k.valid_at(now))
        .and_then(|k| k.creds.expires_at());
    match still_valid {
        Some(expires) => {
            let next = now
                .checked_add(backoff(state.failures))
                .map_or(expires, |t| t.min(expires));
            state.next_try = Some(next);
            let retry_in = next.duration_since(now).unwrap_or_default();
            let valid_for = expires.duration_since(now).unwrap_or_default();
            tracing::warn!(
                error = %failure,
                failures = state.failures,
                retry_in = ?retry_in,
                valid_for_s = valid_for.as_secs(),
                "refreshing credentials failed; still using the cached keys"
            );
        }
        None => {
            state.next_try = None;
            tracing::debug!(error = %failure, failures = state.failures, "refreshing credentials failed");
        }
    }
}

impl<P: ProvideCredentials + 'static> ProvideCredentials for CachingProvider<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            let clock = &self.settings.clock;
            let now = clock();
            let (round, still_valid) = {
                let mut state = lock(&self.state);
                let still_valid = match &state.keys {
                    Some(k) if k.fresh_at(now) => return Ok(k.creds.clone()),
                    Some(k) if k.valid_at(now) => {
                        if state.next_try.is_some_and(|t| now < t) {
                            return Ok(k.creds.clone());
                        }
                        Some(k.creds.clone())
                    }
                    _ => None,
                };
                let round = match &state.round {
                    Some(round) => round.clone(),
                    None => {
                        let round = self.start_round();
                        state.round = Some(round.clone());
                        round
                    }
                };
                (round, still_valid)
            };
            let Some(cached) = still_valid else {
                return round.await;
            };
            // Dropping our handle on time-out leaves the round running for the
            // next request.
            let outcome = tokio::time::timeout(WAIT_WHILE_VALID, round).await;
            let now = clock();
            match outcome {
                Ok(Ok(new)) if unexpired(&new, now) => Ok(new),
                _ if unexpired(&cached, now) => Ok(cached),
                Ok(outcome) => outcome,
                Err(_) => Err(CredentialsError::new(
                    SOURCE,
                    "cached keys expired while waiting for a refresh",
                )),
            }
        })
    }

    /// The cached keys while they are fresh (not yet due for a refresh).
    fn ready_credentials(&self) -> Option<Credentials> {
        let now = (self.settings.clock)();
        let state = lock(&self.state);
        state
            .keys
            .as_ref()
            .filter(|k| k.fresh_at(now))
            .map(|k| k.creds.clone())
    }
}

impl<P: fmt::Debug> fmt::Debug for CachingProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("CachingProvider")
            .field("inner", &self.provider)
            .field("refresh_before", &self.settings.margin)
            .field("refresh_timeout", &self.settings.refresh_timeout)
            .field("cached", &state.keys.as_ref().map(|k| &k.creds))
            .field("failures", &state.failures)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::time::UNIX_EPOCH;

    const T0: u64 = 1_700_000_000;

    /// A clock the test moves by hand, in milliseconds after `T0`.
    #[derive(Clone, Default)]
    struct Manual(Arc<AtomicU64>);

    impl Manual {
        fn now(&self) -> SystemTime {
            UNIX_EPOCH
                + Duration::from_secs(T0)
                + Duration::from_millis(self.0.load(Ordering::SeqCst))
        }
        fn set_secs(&self, secs: f64) {
            self.0.store((secs * 1000.0) as u64, Ordering::SeqCst);
        }
        fn set(&self, at: SystemTime) {
            let base = UNIX_EPOCH + Duration::from_secs(T0);
            let ms = at.duration_since(base).unwrap().as_millis();
            self.0.store(ms as u64, Ordering::SeqCst);
        }
    }

    /// Answers from a script: keys valid for `Ok(secs)` after the manual clock's
    /// now, or an error; counts calls.
    #[derive(Debug)]
    struct Scripted {
        script: Mutex<VecDeque<Result<i64, &'static str>>>,
        calls: Arc<AtomicUsize>,
        clock: Arc<AtomicU64>,
    }

    impl ProvideCredentials for Scripted {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst);
                let next = self
                    .script
                    .lock()
                    .unwrap()
                    .pop_front()
                    .unwrap_or(Err("script ended"));
                let now = Manual(self.clock.clone()).now();
                match next {
                    Ok(secs) if secs >= 0 => Ok(Credentials::new(format!("AKID{n}"), "k")
                        .with_expiry(now + Duration::from_secs(secs as u64))),
                    Ok(secs) => Ok(Credentials::new(format!("AKID{n}"), "k")
                        .with_expiry(now - Duration::from_secs(secs.unsigned_abs()))),
                    Err(why) => Err(CredentialsError::new("script", why)),
                }
            })
        }
    }

    fn scripted(
        script: &[Result<i64, &'static str>],
    ) -> (CachingProvider<Scripted>, Manual, Arc<AtomicUsize>) {
        let clock = Manual::default();
        let calls = Arc::new(AtomicUsize::new(0));
        let provider = Scripted {
            script: Mutex::new(script.iter().copied().collect()),
            calls: calls.clone(),
            clock: clock.0.clone(),
        };
        let c = clock.clone();
        (
            CachingProvider::new(provider).clock(move || c.now()),
            clock,
            calls,
        )
    }

    #[test]
    fn refresh_points() {
        let now = UNIX_EPOCH + Duration::from_secs(T0);
        let s = Duration::from_secs;
        let cases = [
            // (lifetime, margin, refreshed after)
            (s(3600), s(300), s(3300)),
            (s(7200), s(300), s(6900)),
            (s(600), s(300), s(300)),
            (s(60), s(300), s(30)),
            (s(1), s(300), Duration::from_millis(500)),
            (s(60), s(0), s(60)),
            (s(60), Duration::MAX, s(30)),
            (s(86_400 * 365), s(300), MAX_TRUSTED_LIFETIME),
            (s(i64::MAX as u64 / 2), s(300), MAX_TRUSTED_LIFETIME),
        ];
        for (lifetime, margin, after) in cases {
            let Some(expires) = now.checked_add(lifetime) else {
                continue;
            };
            assert_eq!(
                refresh_point(now, expires, margin),
                now + after,
                "lifetime {lifetime:?}, margin {margin:?}"
            );
        }
        // Expired or expiring now: refresh at once.
        assert_eq!(refresh_point(now, now, s(300)), now);
        assert_eq!(refresh_point(now, now - s(10), s(300)), now);
        assert_eq!(refresh_point(now, UNIX_EPOCH, Duration::MAX), now);
    }

    #[test]
    fn backoff_grows_and_stops_at_a_minute() {
        let got: Vec<u64> = [0, 1, 2, 3, 4, 5, 6, 7, 100, u32::MAX]
            .iter()
            .map(|&n| backoff(n).as_secs())
            .collect();
        assert_eq!(got, [1, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }

    /// The synchronous path gives exactly what the asynchronous one would
    /// give without asking the source, and nothing once a refresh is due.
    #[tokio::test]
    async fn ready_credentials_only_while_fresh() {
        let (cache, clock, calls) = scripted(&[Ok(60), Ok(60)]);
        assert!(cache.ready_credentials().is_none(), "nothing cached yet");
        cache.provide_credentials().await.unwrap();
        for t in [0.0, 10.0, 29.9] {
            clock.set_secs(t);
            let ready = cache.ready_credentials().map(|c| c.secret_id().to_owned());
            assert_eq!(ready.as_deref(), Some("AKID0"), "at {t} s");
        }
        // Due for a refresh (half the life gone): the caller must go the
        // asynchronous way, which asks the source.
        clock.set_secs(30.0);
        assert!(cache.ready_credentials().is_none());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKID1"
        );
        let fixed = Credentials::new("AKIDfixed", "k");
        assert_eq!(
            fixed.ready_credentials().map(|c| c.secret_id().to_owned()),
            Some("AKIDfixed".to_owned())
        );
        let shared: Arc<dyn ProvideCredentials> = Arc::new(fixed);
        assert!(shared.ready_credentials().is_some());
    }

    #[tokio::test]
    async fn short_lived_keys_are_kept_half_their_life() {
        let (cache, clock, calls) = scripted(&[Ok(60), Ok(60)]);
        for t in [0.0, 10.0, 29.9] {
            clock.set_secs(t);
            assert_eq!(
                cache.provide_credentials().await.unwrap().secret_id(),
                "AKID0"
            );
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        clock.set_secs(30.0);
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKID1"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_valid_keys_and_backs_off_until_expiry() {
        // Keys for 600 s, refreshed from 300 s on; every refresh fails.
        let (cache, clock, calls) = scripted(&[Ok(600)]);
        cache.provide_credentials().await.unwrap();
        clock.set_secs(299.9);
        cache.provide_credentials().await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        clock.set_secs(300.0);
        let mut gaps = Vec::new();
        loop {
            let before = calls.load(Ordering::SeqCst);
            let c = cache.provide_credentials().await.unwrap();
            assert_eq!(c.secret_id(), "AKID0");
            assert_eq!(
                calls.load(Ordering::SeqCst),
                before + 1,
                "one call per round"
            );
            let Some(next) = lock(&cache.state).next_try else {
                panic!("no back-off after a failure")
            };
            let gap = next.duration_since(clock.now()).unwrap();
            gaps.push(gap.as_secs());
            // Within the back-off: the cached keys, no call.
            clock.set(next - Duration::from_millis(1));
            assert_eq!(
                cache.provide_credentials().await.unwrap().secret_id(),
                "AKID0"
            );
            assert_eq!(calls.load(Ordering::SeqCst), before + 1, "backing off");
            clock.set(next);
            if next >= cache.cached_expiry().unwrap() {
                break;
            }
        }
        // 1 s doubling to 60 s, the last wait cut at expiry (600 s).
        assert_eq!(gaps, [1, 2, 4, 8, 16, 32, 60, 60, 60, 57]);
        // Expired: the error comes through, and each request tries again.
        let n = calls.load(Ordering::SeqCst);
        let e = cache.provide_credentials().await.unwrap_err();
        assert_eq!(e.reason, "script ended");
        cache.provide_credentials().await.unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), n + 2);
    }

    #[tokio::test]
    async fn a_good_refresh_after_failures_resets_the_backoff() {
        let (cache, clock, calls) = scripted(&[Ok(600), Err("down"), Ok(600)]);
        cache.provide_credentials().await.unwrap();
        clock.set_secs(300.0);
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKID0"
        );
        clock.set_secs(301.0);
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKID2"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert_eq!(lock(&cache.state).failures, 0);
        assert!(lock(&cache.state).next_try.is_none());
    }

    #[tokio::test]
    async fn keys_expired_on_arrival_are_used_once_not_cached() {
        let (cache, _clock, calls) = scripted(&[Ok(-10), Ok(0), Ok(600)]);
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKID0"
        );
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKID1"
        );
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKID2"
        );
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKID2"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 3);

        // With valid keys cached, expired ones from a refresh are not used.
        let (cache, clock, _) = scripted(&[Ok(600), Ok(-1)]);
        cache.provide_credentials().await.unwrap();
        clock.set_secs(400.0);
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKID0"
        );
        assert_eq!(lock(&cache.state).failures, 1);
    }

    #[tokio::test]
    async fn permanent_keys_are_kept_for_good() {
        #[derive(Debug)]
        struct Counting(AtomicUsize);
        impl ProvideCredentials for Counting {
            fn provide_credentials(&self) -> CredentialsFuture<'_> {
                self.0.fetch_add(1, Ordering::SeqCst);
                Box::pin(async { Ok(Credentials::new("AKID", "k")) })
            }
        }
        let cache = CachingProvider::new(Counting(AtomicUsize::new(0)));
        for _ in 0..5 {
            cache.provide_credentials().await.unwrap();
        }
        assert_eq!(cache.provider.0.load(Ordering::SeqCst), 1);
        assert_eq!(cache.cached_expiry(), None);
    }

    #[tokio::test]
    async fn a_panicking_source_fails_its_round_only() {
        #[derive(Debug)]
        struct PanicsOnce(AtomicUsize);
        impl ProvideCredentials for PanicsOnce {
            fn provide_credentials(&self) -> CredentialsFuture<'_> {
                let n = self.0.fetch_add(1, Ordering::SeqCst);
                Box::pin(async move {
                    assert!(n > 0, "source bug");
                    Ok(Credentials::new("AKID", "k"))
                })
            }
        }
        let cache = CachingProvider::new(PanicsOnce(AtomicUsize::new(0)));
        let e = cache.provide_credentials().await.unwrap_err();
        assert_eq!(e.reason, "the credentials source panicked");
        assert_eq!(
            cache.provide_credentials().await.unwrap().secret_id(),
            "AKID"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_source_that_never_answers_ends_its_round_at_the_timeout() {
        #[derive(Debug)]
        struct Never(AtomicUsize);
        impl ProvideCredentials for Never {
            fn provide_credentials(&self) -> CredentialsFuture<'_> {
                self.0.fetch_add(1, Ordering::SeqCst);
                Box::pin(std::future::pending())
            }
        }
        let cache = Arc::new(
            CachingProvider::new(Never(AtomicUsize::new(0)))
                .refresh_timeout(Duration::from_secs(5)),
        );
        let started = tokio::time::Instant::now();
        // A caller gives up after 1 s; the round stays for the others.
        let dropped =
            tokio::time::timeout(Duration::from_secs(1), cache.provide_credentials()).await;
        assert!(dropped.is_err());
        let waiters: Vec<_> = (0..5)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.provide_credentials().await })
            })
            .collect();
        for w in waiters {
            let e = w.await.unwrap().unwrap_err();
            assert!(e.reason.contains("did not finish within 5s"), "{e}");
        }
        assert_eq!(started.elapsed(), Duration::from_secs(5));
        assert_eq!(cache.provider.0.load(Ordering::SeqCst), 1);
        // The next request starts a new round.
        let _ = tokio::time::timeout(Duration::from_secs(1), cache.provide_credentials()).await;
        assert_eq!(cache.provider.0.load(Ordering::SeqCst), 2);
    }
}
