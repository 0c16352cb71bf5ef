//! Renders that do not end. Tera has no step budget and a running render
//! cannot be stopped, so a template loop with no end (`range` in `range`)
//! wedged `dunav build` without a word. Each render is noted while it runs;
//! a watchdog thread names the one that has run too long, and the command
//! that started it (`build`, `check`) stops with that error, as Hugo's
//! `timeout` does.

use std::collections::HashMap;
use std::sync::Mutex;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// What each thread is rendering, and since when.
static RUNNING: Mutex<Option<HashMap<ThreadId, (Instant, String)>>> = Mutex::new(None);

/// Notes a render until dropped.
pub struct Watched(());

/// Notes that this thread renders `what` (a page's path and template) until
/// the guard is dropped.
pub fn watch(what: impl FnOnce() -> String) -> Watched {
    if let Ok(mut running) = RUNNING.lock() {
        running
            .get_or_insert_with(HashMap::new)
            .insert(std::thread::current().id(), (Instant::now(), what()));
    }
    Watched(())
}

impl Drop for Watched {
    fn drop(&mut self) {
        if let Ok(mut running) = RUNNING.lock()
            && let Some(running) = running.as_mut()
        {
            running.remove(&std::thread::current().id());
        }
    }
}

/// The render that has run longer than `limit`, if one has.
pub fn overdue(limit: Duration) -> Option<String> {
    let running = RUNNING.lock().ok()?;
    running
        .as_ref()?
        .values()
        .find(|(since, _)| since.elapsed() > limit)
        .map(|(_, what)| what.clone())
}

/// Checks every second, from a thread of its own, for a render that has
/// run longer than `limit`, and calls `stuck` with what it renders.
pub fn start(limit: Duration, stuck: impl Fn(&str) + Send + 'static) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(1).min(limit));
            if let Some(what) = overdue(limit) {
                stuck(&what);
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_is_overdue_only_while_it_runs() {
        let guard = watch(|| "news/a/index.html with page.html".to_string());
        assert_eq!(overdue(Duration::from_secs(3600)), None);
        assert_eq!(
            overdue(Duration::ZERO).as_deref(),
            Some("news/a/index.html with page.html")
        );
        drop(guard);
        assert_eq!(overdue(Duration::ZERO), None);
    }
}
