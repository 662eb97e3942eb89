//! Timing shared by the bench binaries.

use std::time::Instant;

/// Nanoseconds per run of `f`: the best of 5 batches of `runs` runs, so that
/// a batch slowed by the machine does not count.
pub fn per_call(runs: u32, mut f: impl FnMut()) -> f64 {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..runs {
                f();
            }
            t.elapsed().as_nanos() as f64 / f64::from(runs)
        })
        .fold(f64::INFINITY, f64::min)
}
