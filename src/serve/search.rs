//! The search index while serving: rebuilt only when what it holds changed,
//! on a worker thread of its own, so that a save reloads the page at once
//! and search catches up a moment later. A save only marks the index stale;
//! what to index is gathered when the editor pauses (the watcher's idle
//! tick), so no save pays for looking at every page. One rebuild runs at a
//! time, on one core: an editor saving again and again keeps the other core
//! for the pages. Saves made meanwhile are merged into one more rebuild with
//! the newest pages.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use bytes::Bytes;

use crate::build::Site;
use crate::output::search::{self, BUNDLE_DIR, SearchSource};
use crate::output::{DirSink, Sink, Stored, output_path};
use crate::serve::ServeState;

#[derive(Default)]
pub struct SearchIndexer {
    /// What the served (or coming) index holds; `None` before the first.
    print: Option<u64>,
    /// The site changed since the last refresh.
    stale: bool,
    /// Where the bundle is served, known from the first change.
    served: Option<Arc<ServeState>>,
    queue: Arc<Queue>,
    worker: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Queue {
    state: Mutex<QueueState>,
    changed: Condvar,
}

#[derive(Default)]
struct QueueState {
    /// The newest pages to index and the cache of prepared pages (an older
    /// request not yet started is dropped).
    next: Option<(Vec<SearchSource>, PathBuf)>,
    /// Search was turned off: the bundle is to be removed.
    off: bool,
    /// A rebuild is running.
    busy: bool,
    stop: bool,
    /// The last rebuild failed: the next refresh tries again.
    failed: bool,
    /// Rebuilds done.
    finished: u64,
}

impl SearchIndexer {
    /// The served site changed: the next [`refresh`](Self::refresh) looks at it.
    pub fn mark_stale(&mut self, state: &Arc<ServeState>) {
        self.stale = true;
        self.served.get_or_insert_with(|| state.clone());
    }

    /// Brings the served index up to date with `site`, in the background,
    /// when the site changed since the last call.
    pub fn refresh(&mut self, site: &Site) {
        let Some(state) = self.served.clone() else {
            return;
        };
        if !std::mem::take(&mut self.stale) {
            return;
        }
        if std::mem::take(&mut self.queue.lock().failed) {
            self.print = None;
        }
        let request = if site.config.search.enabled {
            let sources = site.search_sources();
            let print = search::search_print(&sources);
            if self.print == Some(print) {
                return;
            }
            self.print = Some(print);
            Some((sources, site.search_cache_path()))
        } else {
            if self.print.take().is_none() {
                return;
            }
            None
        };
        if self.worker.is_none() {
            let queue = self.queue.clone();
            self.worker = Some(std::thread::spawn(move || work(&queue, &state)));
        }
        let mut queued = self.queue.lock();
        queued.off = request.is_none();
        queued.next = request;
        self.queue.changed.notify_all();
    }

    /// How many times the index was rebuilt (or failed to be).
    pub fn finished(&self) -> u64 {
        self.queue.lock().finished
    }

    /// Waits until the index matches the last refresh (tests compare the
    /// served site with a full build).
    pub fn wait(&mut self) {
        let mut queued = self.queue.lock();
        while queued.busy || queued.next.is_some() || queued.off {
            queued = self
                .queue
                .changed
                .wait(queued)
                .unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Drop for SearchIndexer {
    fn drop(&mut self) {
        self.queue.lock().stop = true;
        self.queue.changed.notify_all();
    }
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The worker: takes the newest request, indexes it, serves the result.
fn work(queue: &Queue, state: &ServeState) {
    // One thread: the dev server's rebuilds keep the rest of the machine.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().ok();
    let mut kept = KeptBundles::default();
    loop {
        let sources = {
            let mut queued = queue.lock();
            while !(queued.stop || queued.next.is_some() || queued.off) {
                queued = queue
                    .changed
                    .wait(queued)
                    .unwrap_or_else(|e| e.into_inner());
            }
            if queued.stop {
                return;
            }
            queued.busy = true;
            queued.off = false;
            queued.next.take()
        };
        // No pages to index means search was turned off: no bundle.
        let started = Instant::now();
        let indexed = sources.as_ref().map(|(sources, _)| sources.len());
        if let Some((_, cache)) = &sources {
            kept.folder = Some(cache.with_file_name(KEPT_DIR));
        }
        let files = match sources {
            Some((sources, cache)) => build(sources, &cache, pool.as_ref()),
            None => Some(Vec::new()),
        };
        // Written out before the queue is locked: the rebuild thread waits on it.
        let files = files.map(|files| kept.keep(files));
        let mut queued = queue.lock();
        queued.finished += 1;
        match files {
            // A newer request came while this one ran: it replaces these files.
            Some(files) if queued.next.is_none() => {
                replace_bundle(state, files);
                if let Some(pages) = indexed {
                    let millis = started.elapsed().as_secs_f64() * 1000.0;
                    println!("search index: {pages} pages in {millis:.0} ms");
                }
            }
            Some(_) => {}
            // The index served stays; the next save tries again.
            None => queued.failed = true,
        }
        drop(queued);
        // What indexing freed on this worker's threads goes back to the system,
        // the bundle it replaced included; the pages' text, made on the
        // rebuild thread, goes back there (the rebuilder's `idle` counts this build).
        if let Some(pool) = &pool {
            pool.broadcast(|_| crate::memory::collect());
        }
        crate::memory::collect();
        queue.lock().busy = false;
        queue.changed.notify_all();
    }
}

/// The bundle's files, or `None` (said on the terminal) when indexing failed.
fn build(
    sources: Vec<SearchSource>,
    cache: &Path,
    pool: Option<&rayon::ThreadPool>,
) -> Option<Vec<(String, Bytes)>> {
    let run =
        || std::panic::catch_unwind(|| search::bundle(sources, Some(cache), search::Reuse::Kept));
    let built = match pool {
        Some(pool) => pool.install(run),
        None => run(),
    };
    match built {
        Ok(Ok(files)) => Some(files),
        Ok(Err(why)) => {
            eprintln!("search index: {why}");
            None
        }
        Err(_) => {
            eprintln!("search index: the indexer stopped unexpectedly");
            None
        }
    }
}

fn replace_bundle(state: &ServeState, files: Vec<(String, Stored)>) {
    let mut served = state.served.write().unwrap_or_else(|e| e.into_inner());
    let prefix = format!("{BUNDLE_DIR}/");
    served.files.retain(|path, _| !path.starts_with(&prefix));
    served.files.extend(files);
}

/// Where served bundles are kept, beside the search cache.
const KEPT_DIR: &str = "serve-search";

/// The bundles served, kept on disk rather than in memory (21 MB in 13,000
/// files at 10,000 pages; the server reads a file when it is asked for).
/// Each bundle has a folder of its own: a request may still be reading the
/// previous one, which goes when the next is in place.
#[derive(Default)]
struct KeptBundles {
    /// `.dunav-cache/serve-search`, known once the first index is asked for.
    folder: Option<PathBuf>,
    /// Bundles written so far; the first clears what an earlier server left.
    written: u64,
}

impl KeptBundles {
    /// The files as served: on disk, or in memory when they cannot be written.
    fn keep(&mut self, files: Vec<(String, Bytes)>) -> Vec<(String, Stored)> {
        let Some(folder) = self.folder.clone() else {
            return in_memory(files);
        };
        if self.written == 0 {
            let _ = std::fs::remove_dir_all(&folder);
        }
        self.written += 1;
        let here = folder.join(self.written.to_string());
        match write_bundle(&here, &files) {
            Ok(()) => {
                if let Some(before_last) = self.written.checked_sub(2) {
                    let _ = std::fs::remove_dir_all(folder.join(before_last.to_string()));
                }
                files
                    .into_iter()
                    .filter_map(|(path, _)| {
                        let file = output_path(&here, &path).ok()?;
                        Some((path, Stored::OnDisk(file)))
                    })
                    .collect()
            }
            Err(why) => {
                eprintln!("search index: kept in memory ({}: {why})", here.display());
                let _ = std::fs::remove_dir_all(&here);
                in_memory(files)
            }
        }
    }
}

fn write_bundle(folder: &Path, files: &[(String, Bytes)]) -> std::io::Result<()> {
    let sink = DirSink::new(folder.to_path_buf());
    files
        .iter()
        .try_for_each(|(path, bytes)| sink.write(path, bytes))
}

fn in_memory(files: Vec<(String, Bytes)>) -> Vec<(String, Stored)> {
    // Copied: a fragment or chunk read back from the search cache is a
    // slice of the whole cache file, which it would keep alive while served.
    files
        .into_iter()
        .map(|(path, bytes)| (path, Stored::Plain(Bytes::copy_from_slice(&bytes))))
        .collect()
}
