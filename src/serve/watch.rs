//! Watching the site's files: debounced, with build output, editor swap
//! files and version control ignored, and bursts coalesced into one change.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::content::loader::is_ignored;
use crate::serve::rebuild::Changes;

/// Quiet time before a burst of events counts as one change.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// Starts watching `root`; events arrive on the returned channel.
pub fn start(
    root: &Path,
) -> notify_debouncer_full::notify::Result<(
    Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
    Receiver<DebounceEventResult>,
)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = new_debouncer(DEBOUNCE, Some(Duration::from_millis(2)), tx)?;
    debouncer.watch(root, RecursiveMode::Recursive)?;
    Ok((debouncer, rx))
}

/// Whether a path is one the site is built from.
pub fn is_source(rel: &Path) -> bool {
    if rel.components().any(|c| is_ignored(c.as_os_str())) {
        return false;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    matches!(
        first.as_str(),
        "content" | "themes" | "static" | "site.toml"
    )
}

/// How often an idle watcher calls its `idle` callback.
pub const IDLE_TICK: Duration = Duration::from_secs(1);

/// Waits for the next change and folds every event already queued into it;
/// while nothing happens, calls `idle` every [`IDLE_TICK`].
pub fn next_change(
    root: &Path,
    events: &Receiver<DebounceEventResult>,
    idle: &mut dyn FnMut(),
) -> Option<Changes> {
    // Events that turn out to be no change (files opened, ignored folders)
    // do not put the idle tick off.
    let mut idle_at = Instant::now() + IDLE_TICK;
    loop {
        let first = loop {
            match events.recv_timeout(idle_at.saturating_duration_since(Instant::now())) {
                Ok(first) => break first,
                Err(RecvTimeoutError::Timeout) => {
                    idle();
                    idle_at = Instant::now() + IDLE_TICK;
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        };
        let mut changes = Changes::default();
        add(root, first, &mut changes);
        // A long burst (a `git checkout`) is released in batches a tick apart:
        // keep taking them until the watcher has been quiet for a few ticks.
        loop {
            match events.recv_timeout(Duration::from_millis(6)) {
                Ok(batch) => add(root, batch, &mut changes),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        if !changes.paths.is_empty() || changes.config || changes.structural {
            changes.paths.sort();
            changes.paths.dedup();
            return Some(changes);
        }
    }
}

fn add(root: &Path, batch: DebounceEventResult, changes: &mut Changes) {
    let Ok(events) = batch else {
        // The watcher lost track (e.g. too many events): rebuild everything.
        changes.config = true;
        return;
    };
    for event in events {
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        let sources: Vec<PathBuf> = event
            .paths
            .iter()
            .filter_map(|p| p.strip_prefix(root).ok())
            .filter(|rel| is_source(rel))
            .map(Path::to_path_buf)
            .collect();
        if sources.is_empty() {
            continue;
        }
        if matches!(
            event.kind,
            EventKind::Create(_)
                | EventKind::Remove(_)
                | EventKind::Modify(notify_debouncer_full::notify::event::ModifyKind::Name(_))
        ) {
            changes.structural = true;
        }
        for rel in sources {
            if rel == Path::new(crate::config::CONFIG_FILE) {
                changes.config = true;
            }
            changes.paths.push(rel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_sources_count() {
        assert!(is_source(Path::new("content/news/a.md")));
        assert!(is_source(Path::new("site.toml")));
        assert!(is_source(Path::new("themes/dunav/templates/base.html")));
        assert!(!is_source(Path::new("public/index.html")));
        assert!(!is_source(Path::new("content/news/.a.md.swp")));
        assert!(!is_source(Path::new("content/news/a.md~")));
        assert!(!is_source(Path::new(".git/index")));
        assert!(!is_source(Path::new("target/debug/dunav")));
    }
}
