//! Outputs a browser asks for while a second pass is still to render them.
//!
//! A template change renders the pages open in tabs first and puts the rest
//! off to a second pass (see [`crate::serve::rebuild`]), which takes seconds
//! at 10,000 pages. A request for an output put off is not made to wait for
//! the whole pass: it is rendered at once, beside the pass, on a thread of
//! its own, and served as soon as it is ready. The pass renders it again;
//! both come from the same site, so the bytes are the same.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::build::Site;
use crate::output::{Dictionary, MemorySink};
use crate::serve::ServeState;

/// The outputs requests wait for, told to the thread that renders them.
#[derive(Default)]
pub struct Requests {
    asked: Mutex<Vec<String>>,
    changed: Condvar,
}

impl Requests {
    /// A request waits for `outputs` (put off): render them ahead of the rest.
    pub fn ask(&self, outputs: impl IntoIterator<Item = String>) {
        self.lock().extend(outputs);
        self.changed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, Vec<String>> {
        self.asked.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The outputs asked for since the last call, once there are any;
    /// `None` when `finished` is set.
    fn next(&self, finished: &AtomicBool) -> Option<Vec<String>> {
        let mut asked = self.lock();
        loop {
            if finished.load(Ordering::SeqCst) {
                return None;
            }
            if !asked.is_empty() {
                return Some(std::mem::take(&mut *asked));
            }
            asked = self.changed.wait(asked).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Ends [`Requests::next`]'s wait after `finished` was set: taking the
    /// lock first means a thread between its check and its wait is not missed.
    fn wake(&self) {
        drop(self.lock());
        self.changed.notify_all();
    }
}

/// Runs `pass` (a second pass) while the outputs requests ask for are
/// rendered beside it, from `site`, and served as each is ready.
pub fn answering_requests<R>(
    state: &ServeState,
    site: &Site,
    dictionary: Option<Dictionary>,
    pass: impl FnOnce() -> R,
) -> R {
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| answer(state, site, dictionary, &finished));
        // Set however the pass ends: a panic in it must not leave the scope
        // waiting for the answering thread forever.
        let _finish = Finish {
            requests: &state.requests,
            finished: &finished,
        };
        pass()
    })
}

/// Ends the answering thread when dropped.
struct Finish<'a> {
    requests: &'a Requests,
    finished: &'a AtomicBool,
}

impl Drop for Finish<'_> {
    fn drop(&mut self) {
        self.finished.store(true, Ordering::SeqCst);
        self.requests.wake();
        // What was asked is served by the pass now.
        self.requests.lock().clear();
    }
}

/// Renders what is asked for until `finished`. One thread of its own: the
/// global pool is busy with the pass, and work given to it would wait
/// behind every page of the pass.
fn answer(state: &ServeState, site: &Site, dictionary: Option<Dictionary>, finished: &AtomicBool) {
    let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(1).build() else {
        return;
    };
    while let Some(asked) = state.requests.next(finished) {
        let requested: HashSet<String> = {
            let served = state.served.read().unwrap_or_else(|e| e.into_inner());
            asked
                .into_iter()
                .filter(|path| served.put_off.contains(path))
                .collect()
        };
        if requested.is_empty() {
            continue;
        }
        let sink = MemorySink::with_dictionary(dictionary.clone());
        let rendered = pool.install(|| site.render_requested(&sink, &requested));
        // Errors are the pass's to report; the request waits for it.
        if rendered.problems.has_errors() {
            continue;
        }
        {
            let mut served = state.served.write().unwrap_or_else(|e| e.into_inner());
            for (path, stored) in sink.into_files() {
                served.put_off.remove(&path);
                served.files.insert(path, stored);
            }
        }
        state.settled.notify_waiters();
    }
}
