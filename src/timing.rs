//! Phase timings of a build, printed when `DUNAV_TIMINGS` is set: the wall
//! time of each phase and, on Linux, the CPU time the process spent in it,
//! so that a phase that leaves a core idle shows as such, and the memory
//! the process holds at its end.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// Prints how long each phase took since the last lap.
pub struct PhaseTimer {
    last: Cell<(Instant, Option<Duration>)>,
    enabled: bool,
}

impl PhaseTimer {
    pub fn start() -> PhaseTimer {
        let enabled = crate::env::timings();
        PhaseTimer {
            last: Cell::new((Instant::now(), enabled.then(cpu_time).flatten())),
            enabled,
        }
    }

    pub fn lap(&self, phase: &str) {
        if !self.enabled {
            return;
        }
        let (then, cpu_then) = self.last.get();
        let now = (Instant::now(), cpu_time());
        let wall = now.0 - then;
        let memory = memory().unwrap_or_default();
        // The kernel counts CPU time in 10 ms ticks: a shorter phase's share
        // of the cores would be noise.
        match cpu_then
            .zip(now.1)
            .filter(|_| wall >= Duration::from_millis(50))
        {
            Some((before, after)) => eprintln!(
                "timing: {phase}: {:.0} ms ({:.1} cores){memory}",
                wall.as_secs_f64() * 1000.0,
                (after.saturating_sub(before)).as_secs_f64() / wall.as_secs_f64().max(1e-6)
            ),
            None => eprintln!(
                "timing: {phase}: {:.0} ms{memory}",
                wall.as_secs_f64() * 1000.0
            ),
        }
        self.last.set(now);
    }
}

/// ", 350 MB held, 420 MB peak", or nothing where /proc has no answer.
fn memory() -> Option<String> {
    let (held, peak) = memory_mb()?;
    Some(format!(", {held} MB held, {peak} MB peak"))
}

/// The process's resident memory now and the most so far, in MB, from /proc
/// (Linux only).
pub fn memory_mb() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kilobytes = |field: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(field))?;
        line[field.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some((kilobytes("VmRSS:")? / 1024, kilobytes("VmHWM:")? / 1024))
}

/// The process's user and system time so far, from /proc (Linux only).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may
    // hold spaces: utime and stime are the 12th and 13th of them, in ticks.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Linux reports these in USER_HZ, which is 100 on every architecture it supports.
    Some(Duration::from_millis(ticks * 10))
}
