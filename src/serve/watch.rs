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

/// The folders a site is built from, besides site.toml at its root.
const SOURCE_FOLDERS: [&str; 3] = ["content", "themes", "static"];

/// Watches a site's sources: the root alone (site.toml, a source folder
/// made later) and each source folder whole. The output and `.dunav-cache`
/// (which keeps the output before as well) hold tens of thousands of
/// folders nobody edits: watching them cost a watch each, and time at start.
pub struct SiteWatcher {
    debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    /// Each source folder watched, by identity: one removed and made again is another.
    watched: [Option<FolderId>; SOURCE_FOLDERS.len()],
}

/// Starts watching `root`; events arrive on the returned channel.
pub fn start(
    root: &Path,
) -> notify_debouncer_full::notify::Result<(SiteWatcher, Receiver<DebounceEventResult>)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer = new_debouncer(DEBOUNCE, Some(Duration::from_millis(2)), tx)?;
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    let mut watcher = SiteWatcher {
        debouncer,
        root: root.to_path_buf(),
        watched: [None; SOURCE_FOLDERS.len()],
    };
    watcher.follow_source_folders()?;
    Ok((watcher, rx))
}

impl SiteWatcher {
    /// Watches each source folder made (or made again) since the last call.
    /// Called after a change that added or removed files, before the
    /// rebuild, which finds the files made in a new folder meanwhile.
    pub fn follow_source_folders(&mut self) -> notify_debouncer_full::notify::Result<()> {
        for (name, watched) in SOURCE_FOLDERS.iter().zip(&mut self.watched) {
            let path = self.root.join(name);
            let now = folder_id(&path);
            if now.is_some() && now == *watched {
                continue;
            }
            if watched.is_some() {
                // Gone, or another folder now: its watch went with it.
                let _ = self.debouncer.unwatch(&path);
            }
            *watched = None;
            if now.is_some() {
                self.debouncer.watch(&path, RecursiveMode::Recursive)?;
                *watched = now;
            }
        }
        Ok(())
    }
}

/// Which folder is at `path`, if one is: its device and inode on Unix.
type FolderId = (u64, u64);

fn folder_id(path: &Path) -> Option<FolderId> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
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
    first == crate::config::CONFIG_FILE || SOURCE_FOLDERS.contains(&first.as_str())
}

/// How long a burst of changes must be quiet before it is built.
const BURST_QUIET: Duration = Duration::from_millis(6);

/// How often an idle watcher calls its `idle` callback.
pub const IDLE_TICK: Duration = Duration::from_secs(1);

/// Waits for the next change and folds every event already queued into it;
/// while nothing happens, calls `idle` every [`IDLE_TICK`], and returns
/// the change it finds (a scheduled time has come).
pub fn next_change(
    root: &Path,
    events: &Receiver<DebounceEventResult>,
    idle: &mut dyn FnMut() -> Option<Changes>,
) -> Option<Changes> {
    // Events that turn out to be no change (files opened, ignored folders)
    // do not put the idle tick off.
    let mut idle_at = Instant::now() + IDLE_TICK;
    loop {
        let first = loop {
            match events.recv_timeout(idle_at.saturating_duration_since(Instant::now())) {
                Ok(first) => break first,
                Err(RecvTimeoutError::Timeout) => {
                    if let Some(change) = idle() {
                        return Some(change);
                    }
                    idle_at = Instant::now() + IDLE_TICK;
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        };
        let mut changes = Changes::default();
        add(root, first, &mut changes);
        // A long burst (a `git checkout`, which writes new files) is released
        // in batches a tick apart: keep taking them until the watcher has been
        // quiet for a few ticks. An edit of one file in place (most editors'
        // save) is no burst: it waits for nothing more.
        let quiet = if changes.paths.len() <= 1 && !changes.structural && !changes.config {
            Duration::ZERO
        } else {
            BURST_QUIET
        };
        loop {
            match events.recv_timeout(quiet) {
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

    fn batch(root: &Path, kind: EventKind, file: &str) -> DebounceEventResult {
        let event = notify_debouncer_full::notify::Event::new(kind).add_path(root.join(file));
        Ok(vec![notify_debouncer_full::DebouncedEvent::new(
            event,
            Instant::now(),
        )])
    }

    #[test]
    fn batches_already_queued_make_one_change_an_edit_or_a_burst() {
        use notify_debouncer_full::notify::event::{CreateKind, DataChange, ModifyKind};
        let root = Path::new("/site");
        let edit = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        let (tx, rx) = std::sync::mpsc::channel();
        // An edit of one file, then another file's edit already waiting.
        tx.send(batch(root, edit, "content/news/a.md")).unwrap();
        tx.send(batch(root, edit, "content/news/b.md")).unwrap();
        let change = next_change(root, &rx, &mut || None).unwrap();
        assert_eq!(
            change.paths,
            [
                Path::new("content/news/a.md"),
                Path::new("content/news/b.md")
            ]
        );
        assert!(!change.structural);
        // New files (a checkout) make a structural change, gathered whole.
        let create = EventKind::Create(CreateKind::File);
        tx.send(batch(root, create, "content/news/c.md")).unwrap();
        tx.send(batch(root, create, "content/news/d.md")).unwrap();
        tx.send(batch(root, edit, "public/index.html")).unwrap();
        let change = next_change(root, &rx, &mut || None).unwrap();
        assert_eq!(change.paths.len(), 2);
        assert!(change.structural);
        drop(tx);
        assert!(next_change(root, &rx, &mut || None).is_none());
    }

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
