//! Simulated calls: how a task or campaign dials its callees over simulated
//! time, retries the ones that do not answer, and how each call goes.
//!
//! Nothing is stored per call. A [`Dialer`] knows when it started dialing and
//! when it was paused, resumed or stopped; callee `i` is first dialed
//! [`DIAL_GAP`] seconds after callee `i - 1` of the same run. An unanswered
//! attempt is tried again [`Retry::interval`] seconds after it ended, up to
//! [`Retry::tries`] attempts (`CreateAutoCalloutTask`: "`Tries`: maximum number
//! of attempts per number, 1-3", "`RetryInterval`: interval between retries of
//! failed calls"); a retry falling into a pause waits for the resume, and none
//! is made after a stop or at or after the dialer's end time. Whether an attempt
//! is answered, how long it rings and how long it lasts follow from a hash of
//! the emulator's seed, the owner, `i` and the attempt. So any answer (task
//! state, callee states, call records, statistics) is computed from the same
//! facts at the time asked, a given seed gives the same calls every run, and
//! state stays as small as the request that created it.

/// Seconds between two successive dials of one task or campaign.
pub const DIAL_GAP: i64 = 20;
/// Seconds an unanswered call rings when the task sets no `MaxRingTimeoutSecond`.
pub const RING_TIMEOUT: i64 = 30;

/// Who placed a call: the kind of owner and its id, part of each call's dice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// An automatic outbound task.
    Task(u64),
    /// A predictive dialing campaign.
    Campaign(u64),
}

/// Why a dialer does not dial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// Dialing as scheduled.
    None,
    /// Paused by the user; resumable.
    Paused,
    /// Stopped for good by the user.
    Stopped,
}

/// How unanswered callees are tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts per callee, the first included (at least 1).
    pub tries: u32,
    /// Seconds from the end of an unanswered attempt to the next one.
    pub interval: i64,
}

#[cfg(test)]
impl Retry {
    /// One attempt per callee.
    pub const ONCE: Retry = Retry {
        tries: 1,
        interval: 0,
    };
}

/// Where calling one callee stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Not dialed yet.
    Waiting,
    /// An attempt is ringing or talking.
    Calling,
    /// An attempt was answered and has ended.
    Answered,
    /// The last attempt went unanswered and another one will follow.
    PendingRetry,
    /// Every attempt there will be went unanswered.
    Unanswered,
}

/// What a user asks of a task or a campaign (`Pause…`, `Resume…`,
/// `StopAutoCalloutTask` / `AbortPredictiveDialingCampaign`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Hold dialing, resumable.
    Pause,
    /// Dial the rest.
    Resume,
    /// Hold dialing for good.
    Stop,
}

impl Change {
    /// The change done, for messages ("paused").
    pub fn done(self) -> &'static str {
        match self {
            Change::Pause => "paused",
            Change::Resume => "resumed",
            Change::Stop => "stopped",
        }
    }
}

/// Why a change was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The dialer is settled (every callee done, or its end time passed), or
    /// stopped and asked for anything but a stop.
    Settled,
    /// Resumed too often ([`MAX_RUNS`]).
    TooManyResumes,
}

/// The dialing schedule of a task or a campaign.
#[derive(Debug, Clone)]
pub struct Dialer {
    /// Runs: from callee `.0` on, dialing started at `.1`; ascending in both.
    runs: Vec<(usize, i64)>,
    /// Holds: paused or stopped from `.0` until `.1` (open while held);
    /// ascending, not overlapping.
    holds: Vec<(i64, Option<i64>)>,
    /// Retries of unanswered callees.
    pub retry: Retry,
    /// Callees that may be dialed (all of them until paused or stopped).
    limit: usize,
    /// Callees in all.
    pub count: usize,
    /// No dial at or after this time (`NotAfter`, `EndTime`).
    pub until: Option<i64>,
    /// Paused or stopped.
    pub hold: Hold,
}

/// One simulated call: one attempt to reach a callee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// Index of the callee.
    pub index: usize,
    /// Which attempt to reach the callee, from 0.
    pub attempt: u32,
    /// When it was dialed.
    pub dialed: i64,
    /// When it was answered, if it was.
    pub answered: Option<i64>,
    /// When it ended.
    pub ended: i64,
}

impl Call {
    /// Talk time in seconds.
    pub fn duration(&self) -> i64 {
        self.answered.map_or(0, |a| self.ended - a)
    }
}

/// Resumes may add runs; a dialer paused and resumed more often than this
/// refuses to resume, so that it stays small.
pub const MAX_RUNS: usize = 256;

impl Dialer {
    /// Dials `count` callees from `start` on, retrying as `retry` says.
    pub fn new(count: usize, start: i64, until: Option<i64>, retry: Retry) -> Dialer {
        Dialer {
            runs: vec![(0, start)],
            holds: Vec::new(),
            retry,
            limit: count,
            count,
            until,
            hold: Hold::None,
        }
    }

    /// When dialing (first) starts.
    pub fn start(&self) -> i64 {
        self.runs.first().map_or(0, |r| r.1)
    }

    /// When callee `i` is (or would be) dialed.
    fn dial_time(&self, i: usize) -> i64 {
        let run = self.runs.partition_point(|r| r.0 <= i).saturating_sub(1);
        let (first, at) = self.runs.get(run).copied().unwrap_or((0, 0));
        let steps = i64::try_from(i - first.min(i)).unwrap_or(i64::MAX);
        at.saturating_add(steps.saturating_mul(DIAL_GAP))
    }

    fn may_dial(&self, i: usize, now: i64) -> bool {
        let t = self.dial_time(i);
        i < self.limit.min(self.count) && t <= now && self.until.is_none_or(|u| t < u)
    }

    /// Callees dialed by `now` (dial times only grow with the index).
    pub fn dialed(&self, now: i64) -> usize {
        let (mut lo, mut hi) = (0, self.limit.min(self.count));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.may_dial(mid, now) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Stops dialing after the callees dialed by `now`; retries due while
    /// held wait for a resume (none after a stop).
    pub fn hold(&mut self, now: i64, hold: Hold) {
        self.limit = self.dialed(now);
        self.hold = hold;
        if !matches!(self.holds.last(), Some((_, None))) {
            self.holds.push((now, None));
        }
    }

    /// Dials the rest from `now` on (or from the start, if that is later);
    /// false when it has been resumed too often.
    pub fn resume(&mut self, now: i64) -> bool {
        if self.runs.len() >= MAX_RUNS || self.holds.len() >= MAX_RUNS {
            return false;
        }
        let at = now.max(self.start());
        if let Some((_, end @ None)) = self.holds.last_mut() {
            *end = Some(at);
        }
        if self.limit < self.count {
            self.runs.push((self.limit, at));
        }
        self.limit = self.count;
        self.hold = Hold::None;
        true
    }

    /// Makes `change` at `now`. Asking for the state it is already in changes
    /// nothing; a settled dialer changes no more; a stopped one can only be
    /// stopped again.
    pub fn apply(
        &mut self,
        change: Change,
        now: i64,
        dice: &Dice,
        owner: Owner,
    ) -> Result<(), Refused> {
        let settled = self.hold == Hold::None && self.done(now, dice, owner);
        let stopped = self.hold == Hold::Stopped;
        if settled || (stopped && change != Change::Stop) {
            return Err(Refused::Settled);
        }
        match change {
            Change::Pause if self.hold == Hold::None => self.hold(now, Hold::Paused),
            Change::Resume if self.hold == Hold::Paused && !self.resume(now) => {
                return Err(Refused::TooManyResumes)
            }
            Change::Stop if !stopped => self.hold(now, Hold::Stopped),
            _ => {}
        }
        Ok(())
    }

    /// Whether every callee that will ever be dialed has been, and is
    /// settled (answered, or out of attempts) with its calls ended, by `now`.
    pub fn done(&self, now: i64, dice: &Dice, owner: Owner) -> bool {
        let dialed = self.dialed(now);
        let no_more = dialed >= self.count
            || self.until.is_some_and(|u| now >= u)
            || self.hold == Hold::Stopped;
        no_more
            && (0..dialed).all(|i| {
                matches!(
                    self.progress(i, now, dice, owner),
                    Progress::Answered | Progress::Unanswered
                )
            })
    }

    /// The first attempt to reach callee `i` (whether or not it has happened).
    pub fn call(&self, i: usize, dice: &Dice, owner: Owner) -> Call {
        self.attempt(i, 0, self.dial_time(i), dice, owner)
    }

    /// Attempt `attempt` to reach callee `i`, dialed at `dialed`.
    fn attempt(&self, i: usize, attempt: u32, dialed: i64, dice: &Dice, owner: Owner) -> Call {
        let h = dice.roll(owner, i, attempt);
        let answered = (h % 10_000) < dice.answer_per_10k;
        let ring = if answered {
            3 + (h >> 16) as i64 % 13
        } else {
            dice.ring_timeout.unwrap_or(RING_TIMEOUT)
        };
        let talk = 15 + (h >> 32) as i64 % 106;
        let answered_at = dialed.saturating_add(ring);
        Call {
            index: i,
            attempt,
            dialed,
            answered: answered.then_some(answered_at),
            ended: if answered {
                answered_at.saturating_add(talk)
            } else {
                answered_at
            },
        }
    }

    /// When the retry after `previous` is dialed: `interval` after it ended,
    /// moved past any pause; `None` if there is none (answered, out of
    /// attempts, stopped, held with no resume yet, or at or after the end).
    fn retry_after(&self, previous: &Call) -> Option<i64> {
        if previous.answered.is_some() || previous.attempt + 1 >= self.retry.tries {
            return None;
        }
        let mut at = previous.ended.saturating_add(self.retry.interval);
        for (from, to) in &self.holds {
            if *from <= at {
                match to {
                    None => return None,
                    Some(to) => at = at.max(*to),
                }
            }
        }
        self.until.is_none_or(|u| at < u).then_some(at)
    }

    /// The attempts to reach callee `i` dialed by `now`, oldest first (none
    /// if the callee is not dialed by then).
    pub fn attempts(
        &self,
        i: usize,
        now: i64,
        dice: &Dice,
        owner: Owner,
    ) -> impl Iterator<Item = Call> + '_ {
        let dice = *dice;
        let first = (i < self.dialed(now)).then(|| self.call(i, &dice, owner));
        std::iter::successors(first, move |previous| {
            let at = self.retry_after(previous).filter(|at| *at <= now)?;
            Some(self.attempt(i, previous.attempt + 1, at, &dice, owner))
        })
    }

    /// Where calling callee `i` stands at `now`.
    pub fn progress(&self, i: usize, now: i64, dice: &Dice, owner: Owner) -> Progress {
        let Some(last) = self.attempts(i, now, dice, owner).last() else {
            return Progress::Waiting;
        };
        if last.ended > now {
            Progress::Calling
        } else if last.answered.is_some() {
            Progress::Answered
        } else if self.retry_after(&last).is_some() || self.retry_held(&last) {
            Progress::PendingRetry
        } else {
            Progress::Unanswered
        }
    }

    /// Whether a retry after `previous` waits for a paused dialer to resume.
    fn retry_held(&self, previous: &Call) -> bool {
        self.hold == Hold::Paused
            && previous.answered.is_none()
            && previous.attempt + 1 < self.retry.tries
            && self
                .until
                .is_none_or(|u| previous.ended.saturating_add(self.retry.interval) < u)
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.runs.capacity() * std::mem::size_of::<(usize, i64)>()
            + self.holds.capacity() * std::mem::size_of::<(i64, Option<i64>)>()
    }
}

/// What decides calls: the emulator's seed, the share answered, the ring time.
#[derive(Debug, Clone, Copy)]
pub struct Dice {
    /// The emulator's seed.
    pub seed: u64,
    /// Calls answered per 10,000.
    pub answer_per_10k: u64,
    /// How long unanswered calls ring.
    pub ring_timeout: Option<i64>,
}

impl Dice {
    /// A well-mixed 64-bit number for attempt `attempt` on callee `i` of
    /// `owner` (SplitMix64's finaliser over the inputs; a first attempt rolls
    /// as calls did before retries existed).
    fn roll(&self, owner: Owner, i: usize, attempt: u32) -> u64 {
        let (kind, id) = match owner {
            Owner::Task(id) => (1u64, id),
            Owner::Campaign(id) => (2u64, id),
        };
        let mut z = self
            .seed
            .wrapping_add(kind.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .wrapping_add(id.wrapping_mul(0xbf58_476d_1ce4_e5b9))
            .wrapping_add((i as u64).wrapping_mul(0x94d0_49bb_1331_11eb))
            .wrapping_add(u64::from(attempt).wrapping_mul(0xd6e8_feb8_6659_fd93));
        for _ in 0..2 {
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
        }
        z
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dice(rate: u64) -> Dice {
        Dice {
            seed: 7,
            answer_per_10k: rate,
            ring_timeout: None,
        }
    }

    #[test]
    fn dials_in_order_pauses_and_resumes() {
        let mut d = Dialer::new(5, 1000, None, Retry::ONCE);
        assert_eq!(d.dialed(999), 0);
        assert_eq!(d.dialed(1000), 1);
        assert_eq!(d.dialed(1000 + DIAL_GAP), 2);
        d.hold(1000 + DIAL_GAP, Hold::Paused);
        assert_eq!(d.dialed(1_000_000), 2);
        assert!(d.resume(5000));
        assert_eq!(d.dialed(4999), 2);
        assert_eq!(d.dialed(5000), 3);
        assert_eq!(d.call(2, &dice(0), Owner::Task(1)).dialed, 5000);
        assert_eq!(d.dialed(1_000_000), 5);
        let until = Dialer::new(5, 0, Some(DIAL_GAP * 2), Retry::ONCE);
        assert_eq!(until.dialed(1_000_000), 2);
        assert!(until.done(1_000_000, &dice(5000), Owner::Task(2)));
    }

    #[test]
    fn calls_follow_the_seed_and_the_answer_rate() {
        let d = Dialer::new(2000, 0, None, Retry::ONCE);
        for (rate, lo, hi) in [(0, 0, 0), (10_000, 2000, 2000), (5000, 850, 1150)] {
            let answered = (0..2000)
                .filter(|i| d.call(*i, &dice(rate), Owner::Task(3)).answered.is_some())
                .count();
            assert!((lo..=hi).contains(&answered), "rate {rate}: {answered}");
        }
        for i in 0..2000 {
            let c = d.call(i, &dice(5000), Owner::Campaign(3));
            assert_eq!(c, d.call(i, &dice(5000), Owner::Campaign(3)));
            assert!(c.dialed <= c.ended && c.duration() >= 0 && c.duration() <= 120);
        }
    }

    #[test]
    fn unanswered_callees_are_retried_after_the_interval() {
        let retry = Retry {
            tries: 3,
            interval: 600,
        };
        let d = Dialer::new(1, 0, None, retry);
        let never = dice(0);
        let first = d.call(0, &never, Owner::Task(9));
        assert_eq!(first.ended, RING_TIMEOUT);
        assert_eq!(
            d.progress(0, RING_TIMEOUT, &never, Owner::Task(9)),
            Progress::PendingRetry
        );
        let second = RING_TIMEOUT + 600;
        assert_eq!(d.attempts(0, second - 1, &never, Owner::Task(9)).count(), 1);
        let calls: Vec<Call> = d.attempts(0, 10_000, &never, Owner::Task(9)).collect();
        assert_eq!(calls.len(), 3);
        assert_eq!(calls[1].dialed, second);
        assert_eq!(calls[2].dialed, second + RING_TIMEOUT + 600);
        assert_eq!(
            d.progress(0, 10_000, &never, Owner::Task(9)),
            Progress::Unanswered
        );
        assert!(d.done(10_000, &never, Owner::Task(9)));
        assert!(!d.done(second, &never, Owner::Task(9)));
        // Answered at once: no retry.
        let always = dice(10_000);
        assert_eq!(d.attempts(0, 10_000, &always, Owner::Task(9)).count(), 1);
        assert_eq!(
            d.progress(0, 10_000, &always, Owner::Task(9)),
            Progress::Answered
        );
    }

    #[test]
    fn retries_wait_for_a_resume_and_stop_with_the_dialer() {
        let retry = Retry {
            tries: 2,
            interval: 600,
        };
        let never = dice(0);
        let mut d = Dialer::new(1, 0, None, retry);
        d.hold(100, Hold::Paused);
        assert_eq!(
            d.progress(0, 5000, &never, Owner::Task(4)),
            Progress::PendingRetry
        );
        assert_eq!(d.attempts(0, 5000, &never, Owner::Task(4)).count(), 1);
        assert!(d.resume(5000));
        let calls: Vec<Call> = d.attempts(0, 9000, &never, Owner::Task(4)).collect();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[1].dialed, 5000);
        let mut stopped = Dialer::new(1, 0, None, retry);
        stopped.hold(100, Hold::Stopped);
        assert_eq!(stopped.attempts(0, 9000, &never, Owner::Task(4)).count(), 1);
        assert_eq!(
            stopped.progress(0, 9000, &never, Owner::Task(4)),
            Progress::Unanswered
        );
        let until = Dialer::new(1, 0, Some(600), retry);
        assert_eq!(until.attempts(0, 9000, &never, Owner::Task(4)).count(), 1);
    }
}
