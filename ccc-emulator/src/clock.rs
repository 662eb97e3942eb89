//! The emulator's simulated clock: what "now" is for tasks, campaigns, calls and
//! call records.
//!
//! By default it follows real time. A speed factor makes simulated time run
//! faster (a task of a hundred callees done in seconds) or stand still (`0`, so
//! that tests move it only with [`Clock::advance`] and see the same calls every
//! run). Request signatures are checked against real time, never this clock:
//! clients sign with the time of the machine they run on.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The largest speed factor accepted: a simulated year in about 5 real minutes.
pub const MAX_SPEED: f64 = 100_000.0;

/// A simulated clock, shared by the emulator's state and its owner.
#[derive(Debug)]
pub struct Clock {
    inner: Mutex<Anchor>,
}

/// Simulated time is `at + speed × (real time since since)`.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    at: f64,
    since: Instant,
    speed: f64,
}

impl Anchor {
    fn now(&self, real: Instant) -> f64 {
        self.at + self.speed * real.saturating_duration_since(self.since).as_secs_f64()
    }
}

/// A speed that is no number, negative or above [`MAX_SPEED`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BadSpeed(pub f64);

impl std::fmt::Display for BadSpeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "clock speed {} is not a number between 0 and {MAX_SPEED}",
            self.0
        )
    }
}

impl std::error::Error for BadSpeed {}

fn check(speed: f64) -> Result<f64, BadSpeed> {
    if (0.0..=MAX_SPEED).contains(&speed) {
        Ok(speed)
    } else {
        Err(BadSpeed(speed))
    }
}

fn real_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl Clock {
    /// A clock starting at the real time and running at `speed` (`1` real time,
    /// `0` stopped).
    pub fn new(speed: f64) -> Result<Clock, BadSpeed> {
        Ok(Clock {
            inner: Mutex::new(Anchor {
                at: real_now(),
                since: Instant::now(),
                speed: check(speed)?,
            }),
        })
    }

    /// A clock at the real time that moves only when advanced.
    pub fn stopped() -> Clock {
        Clock {
            inner: Mutex::new(Anchor {
                at: real_now(),
                since: Instant::now(),
                speed: 0.0,
            }),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Anchor) -> T) -> T {
        let mut guard = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }

    /// Simulated Unix time in whole seconds.
    pub fn now(&self) -> i64 {
        // `as` saturates; simulated time stays far inside i64 anyway.
        self.with(|a| a.now(Instant::now()).floor() as i64)
    }

    /// Moves simulated time forward by `by`, whatever the speed.
    pub fn advance(&self, by: Duration) {
        self.with(|a| a.at += by.as_secs_f64().min(1e12));
    }

    /// Jumps to the Unix time `secs` if it lies ahead; simulated time never
    /// runs backwards, so that no recorded call changes.
    pub fn advance_to(&self, secs: i64) {
        self.with(|a| {
            let real = Instant::now();
            a.at = a.now(real).max(secs as f64);
            a.since = real;
        });
    }

    /// Changes the speed factor from now on.
    pub fn set_speed(&self, speed: f64) -> Result<(), BadSpeed> {
        let speed = check(speed)?;
        self.with(|a| {
            let real = Instant::now();
            a.at = a.now(real);
            a.since = real;
            a.speed = speed;
        });
        Ok(())
    }

    /// The speed factor.
    pub fn speed(&self) -> f64 {
        self.with(|a| a.speed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopped_clock_moves_only_when_advanced() {
        let c = Clock::new(0.0).unwrap();
        let t = c.now();
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(c.now(), t);
        c.advance(Duration::from_secs(90));
        assert_eq!(c.now(), t + 90);
        c.advance_to(t); // never backwards
        assert_eq!(c.now(), t + 90);
        c.advance_to(t + 1000);
        assert_eq!(c.now(), t + 1000);
    }

    #[test]
    fn speeds_are_checked() {
        for bad in [f64::NAN, -1.0, f64::INFINITY, MAX_SPEED * 2.0] {
            assert!(Clock::new(bad).is_err(), "{bad}");
            assert!(Clock::new(1.0).unwrap().set_speed(bad).is_err(), "{bad}");
        }
        assert_eq!(Clock::new(3.5).unwrap().speed(), 3.5);
    }
}
