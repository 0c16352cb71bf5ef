//! Phase timings of a build, printed when `DUNAV_TIMINGS` is set.

use std::cell::Cell;
use std::time::Instant;

/// Prints how long each phase took since the last lap.
pub struct PhaseTimer {
    last: Cell<Instant>,
    enabled: bool,
}

impl PhaseTimer {
    pub fn start() -> PhaseTimer {
        PhaseTimer {
            last: Cell::new(Instant::now()),
            enabled: crate::env::timings(),
        }
    }

    pub fn lap(&self, phase: &str) {
        if self.enabled {
            let now = Instant::now();
            eprintln!(
                "timing: {phase}: {:.0} ms",
                (now - self.last.get()).as_secs_f64() * 1000.0
            );
            self.last.set(now);
        }
    }
}
