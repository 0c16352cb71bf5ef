//! The search index while serving: rebuilt only when what it holds changed,
//! and (after the first) on its own thread, so a save reloads the page at
//! once and search catches up a moment later. A newer rebuild wins over an
//! older one that finishes late.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::build::Site;
use crate::output::search::{self, BUNDLE_DIR};
use crate::serve::ServeState;

#[derive(Default)]
pub struct SearchIndexer {
    /// What the served (or coming) index holds; `None` before the first.
    print: Option<u64>,
    /// The newest rebuild asked for; an older one's files are dropped.
    generation: Arc<AtomicU64>,
    /// The newest rebuild's thread, for [`SearchIndexer::wait`].
    running: Option<std::thread::JoinHandle<()>>,
}

impl SearchIndexer {
    /// Brings the served index up to date with `site`.
    pub fn refresh(&mut self, site: &Site, state: &Arc<ServeState>) {
        if !site.config.search.enabled {
            if self.print.take().is_some() {
                let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
                replace_bundle(state, Vec::new(), &self.generation, generation);
            }
            return;
        }
        let sources = site.search_sources();
        let print = search::search_print(&sources);
        if self.print == Some(print) {
            return;
        }
        let first = self.print.is_none();
        self.print = Some(print);
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let newest = self.generation.clone();
        let state = state.clone();
        let job = move || match search::bundle(&sources) {
            Ok(files) => replace_bundle(&state, files, &newest, generation),
            Err(why) => eprintln!("search index: {why}"),
        };
        if first {
            // The first site served has search from the start.
            job();
        } else {
            self.running = Some(std::thread::spawn(job));
        }
    }

    /// Waits until the newest rebuild is served (tests compare the served
    /// site with a full build).
    pub fn wait(&mut self) {
        if let Some(thread) = self.running.take() {
            let _ = thread.join();
        }
    }
}

/// Serves `files` as the bundle, unless a newer rebuild was asked for; the
/// check is made under the lock so that a late, older one cannot win.
fn replace_bundle(
    state: &ServeState,
    files: Vec<(String, Vec<u8>)>,
    newest: &AtomicU64,
    generation: u64,
) {
    let mut served = state.served.write().unwrap_or_else(|e| e.into_inner());
    if newest.load(Ordering::SeqCst) != generation {
        return;
    }
    let prefix = format!("{BUNDLE_DIR}/");
    served.files.retain(|path, _| !path.starts_with(&prefix));
    for (path, bytes) in files {
        served.files.insert(path, bytes.into());
    }
}
