//! What a change touches, in one place.
//!
//! 1. A change is sorted by what changed (see [`Changes`]): `site.toml` drops
//!    every cache; an added, removed or renamed file makes the content folder
//!    be listed again; an edited content file is read again, alone.
//! 2. [`crate::build::load_with`] rebuilds the site from the cache: only the
//!    files read again are parsed and only their Markdown is rendered, unless
//!    a link target appeared, went or moved (then every page's links are
//!    resolved again).
//! 3. Every output has a fingerprint of what it shows: a page, its section,
//!    its neighbours and translations; a listing, the pages on it; a feed, its
//!    entries; and the templates, strings and site.toml behind all of them.
//!    [`crate::build::Site::render_changed`] renders only the outputs whose
//!    fingerprint changed, and lists those that no longer exist.
//!
//! 4. A change to every output renders the pages open in tabs first and the
//!    rest in a second pass; a page asked for meanwhile is rendered ahead of
//!    that pass ([`crate::serve::requests`]).
//!
//! The result equals a full build; a test edits content in many ways and
//! compares the two.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::build::{BuildCache, BuildOptions, OutputPrints, Rendered, Site};
use crate::diagnostics::Diagnostics;
use crate::output::{Dictionary, MemorySink};
use crate::serve::requests;
use crate::serve::search::SearchIndexer;
use crate::serve::{ServeState, Signal};

/// What a batch of file events changed.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Changed files, relative to the site root.
    pub paths: Vec<PathBuf>,
    /// Files or folders were added, removed or renamed.
    pub structural: bool,
    pub config: bool,
    /// No file changed, but a scheduled time came: a page became due or
    /// expired, an event ended.
    pub scheduled: bool,
}

impl Changes {
    /// Only stylesheets changed: the page need not reload.
    pub fn css_only(&self) -> bool {
        // Editors that save by writing a new file and renaming it make "structural"
        // events too; a stylesheet is still only a stylesheet.
        !self.paths.is_empty()
            && !self.config
            && self
                .paths
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }
}

/// Keeps what one build can hand to the next.
pub struct Rebuilder {
    root: PathBuf,
    cache: BuildCache,
    prints: Option<OutputPrints>,
    /// The last good site, patched in place for the most common change: an
    /// edit that keeps a page where it was in every listing.
    site: Option<Site>,
    search: SearchIndexer,
    rebuilds: u64,
    /// Rebuilds of the site and of its search index when memory was last
    /// handed back (see `idle`).
    given_back_after: u64,
    /// What served pages are compressed against: kept, so that a patch's
    /// few pages do not each bring a dictionary of their own.
    dictionary: Option<Dictionary>,
    /// Pages that are symbolic links: the watcher reports an edit of the
    /// file a link points to, never of the link, so they are read again on
    /// every edit (listed again when files come or go).
    linked_pages: Option<Vec<PathBuf>>,
    /// When the served site next changes by itself (see `scheduled_change`).
    next_change: Option<jiff::Timestamp>,
}

/// Which way a rebuild went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RebuildPath {
    /// The edited pages were put into the last site in place.
    Patched,
    /// The site was loaded again from the cache.
    Reloaded,
}

/// How a rebuild went.
pub struct Outcome {
    /// Outputs written or removed.
    pub changed: usize,
    pub millis: f64,
    pub path: RebuildPath,
}

impl Rebuilder {
    pub fn new(root: &Path) -> Rebuilder {
        Rebuilder {
            root: root.to_path_buf(),
            cache: BuildCache::keeping(),
            prints: None,
            site: None,
            search: SearchIndexer::default(),
            rebuilds: 0,
            given_back_after: 0,
            dictionary: None,
            linked_pages: None,
            next_change: None,
        }
    }

    fn options(&self, base_url: &str) -> BuildOptions {
        // Editors see drafts and scheduled pages while they work; templates mark them.
        BuildOptions {
            drafts: true,
            future: true,
            base_url: Some(base_url.to_string()),
            ..BuildOptions::new(&self.root)
        }
    }

    /// Applies a change to the served site, or records why it could not.
    pub fn rebuild(
        &mut self,
        changes: &Changes,
        state: &Arc<ServeState>,
        base_url: &str,
    ) -> Result<Outcome, Diagnostics> {
        let started = Instant::now();
        self.rebuilds += 1;
        let changes = &self.with_linked_pages(self.without_false_structure(changes));
        if changes.config {
            // The prints stay: site.toml is in every output's print, and they
            // say which outputs the new settings no longer have.
            self.cache.clear();
            // New settings may change every page's head and menus.
            self.dictionary = None;
        }
        if changes.structural {
            self.cache.forget_file_list();
        }
        for path in &changes.paths {
            self.cache.forget(path);
        }
        {
            let mut served = state.served.write().unwrap_or_else(|e| e.into_inner());
            served.root = self.root.clone();
            served.base_url = base_url.to_string();
        }
        let (site, patched) = match self.patched(changes) {
            Some(Ok((site, pages))) => (site, Some(pages)),
            Some(Err(problems)) => return Err(self.fail(state, problems)),
            None => match crate::build::load_with(&self.options(base_url), &mut self.cache) {
                Ok(site) => (site, None),
                Err(failed) => {
                    self.site = None;
                    return Err(self.fail(state, failed.0));
                }
            },
        };
        let path = if patched.is_some() {
            RebuildPath::Patched
        } else {
            RebuildPath::Reloaded
        };
        let mut changed = 0;
        let mut previous = self.prints.take();
        let mut signalled = false;
        if patched.is_none()
            && !changes.css_only()
            && let Some(prints) = previous.as_ref()
        {
            // A template or settings change can touch every output: the pages
            // open in tabs go first, and the tabs reload while the rest renders.
            let viewed = state.viewed();
            let first = self.render_pass(state, |sink| {
                site.render_viewed_first(sink, prints, &viewed)
            })?;
            changed += first.0;
            signalled = true;
            self.signal(state, changes, first.1);
            // A first pass records every print: nothing to merge.
            previous = Some(first.2.prints);
        }
        let second_pass = |rebuilder: &mut Rebuilder| {
            rebuilder.render_pass(state, |sink| {
                site.render_changed(sink, previous.as_ref(), patched.as_deref())
            })
        };
        let (written, version, prints) = if signalled {
            // Pages asked for meanwhile are rendered beside the pass.
            let dictionary = self.dictionary.clone();
            requests::answering_requests(state, &site, dictionary, || second_pass(self))?
        } else {
            second_pass(self)?
        };
        changed += written;
        self.prints = Some(prints.update(previous));
        if !signalled {
            self.signal(state, changes, version);
        }
        // Search follows when the editor pauses (see `idle`).
        self.search.mark_stale(state);
        // Every page asked for its code blocks in a full load: the others
        // are versions edited away.
        if patched.is_none() {
            crate::markdown::highlight::memo::sweep();
        }
        // Times pass only on the clock: a fixed `DUNAV_NOW` never moves.
        self.next_change = site
            .library
            .next_change
            .filter(|_| crate::env::now_is_the_clock());
        self.site = Some(site);
        Ok(Outcome {
            changed,
            millis: started.elapsed().as_secs_f64() * 1000.0,
            path,
        })
    }

    /// Renders with `render` into memory and serves the result: how many
    /// outputs were written or removed, the served version, and what rendering reported.
    /// On errors nothing is served and the next rebuild renders everything.
    fn render_pass(
        &mut self,
        state: &Arc<ServeState>,
        render: impl FnOnce(&MemorySink) -> Rendered,
    ) -> Result<(usize, u64, Rendered), Diagnostics> {
        let sink = MemorySink::with_dictionary(self.dictionary.clone());
        let mut rendered = render(&sink);
        if rendered.problems.has_errors() {
            self.prints = None;
            self.site = None;
            return Err(self.fail(state, rendered.problems));
        }
        // Pages were compressed as they were written: the lock is held only for the swap.
        self.dictionary = sink.dictionary();
        let files = sink.into_files();
        let changed = files.len() + rendered.removed.len();
        let version = {
            let mut served = state.served.write().unwrap_or_else(|e| e.into_inner());
            served.files.extend(files);
            for path in &rendered.removed {
                served.files.remove(path);
            }
            served.put_off = std::mem::take(&mut rendered.put_off).into_iter().collect();
            served.error = None;
            served.version += 1;
            served.version
        };
        state.settled.notify_waiters();
        Ok((changed, version, rendered))
    }

    fn signal(&self, state: &ServeState, changes: &Changes, version: u64) {
        let signal = if changes.css_only() {
            Signal::Css(version)
        } else {
            Signal::Reload(version)
        };
        let _ = state.signals.send(signal);
    }

    /// An editor that saves by writing a new file and renaming it over the
    /// old one makes a "structural" event, yet the content files are the
    /// same: every path is either a listed file that is still there or an
    /// unlisted one that is gone (the temporary file). Such a save is an
    /// edit, and can take the patch path.
    fn without_false_structure(&self, changes: &Changes) -> Changes {
        let mut changes = changes.clone();
        if changes.structural && !changes.config {
            let same_files = changes.paths.iter().all(|rel| {
                rel.starts_with(crate::content::loader::CONTENT_DIR)
                    && self
                        .cache
                        .lists(rel)
                        .is_some_and(|listed| listed == self.root.join(rel).exists())
            });
            if same_files {
                changes.structural = false;
                // The temporary file is gone and was never content.
                changes.paths.retain(|rel| self.root.join(rel).exists());
            }
        }
        changes
    }

    /// The change, with every page that is a symbolic link when a file was
    /// edited: one of them may point to it.
    fn with_linked_pages(&mut self, mut changes: Changes) -> Changes {
        if changes.structural || changes.config {
            self.linked_pages = None;
        }
        let content = self.root.join(crate::content::loader::CONTENT_DIR);
        let linked = self.linked_pages.get_or_insert_with(|| {
            walkdir::WalkDir::new(&content)
                .into_iter()
                .filter_map(Result::ok)
                // A link to nothing is no page to read again.
                .filter(|entry| entry.path_is_symlink() && entry.path().exists())
                .filter(|entry| crate::content::paths::is_markdown(entry.path()))
                .filter_map(|entry| {
                    entry
                        .path()
                        .strip_prefix(&self.root)
                        .ok()
                        .map(Path::to_path_buf)
                })
                .collect()
        });
        // A stylesheet is never a page: its save stays a swap in place.
        if !changes.paths.is_empty() && !linked.is_empty() && !changes.css_only() {
            changes.paths.extend(linked.iter().cloned());
            changes.paths.sort();
            changes.paths.dedup();
        }
        changes
    }

    /// Work left for a pause in editing: the search index is brought up to
    /// date with the served site, and memory freed by rebuilds of the site or
    /// of the index since the last pause goes back to the system.
    pub fn idle(&mut self) {
        if let Some(site) = &self.site {
            self.search.refresh(site);
        }
        let done = self.rebuilds + self.search.finished();
        if done != self.given_back_after {
            self.given_back_after = done;
            crate::memory::give_back();
        }
    }

    /// A rebuild of every page when a scheduled time has come: pages read
    /// their state (scheduled, expired, upcoming) against the time they are
    /// loaded, and nothing else tells serve that time passed.
    pub fn scheduled_change(&mut self) -> Option<Changes> {
        if self
            .next_change
            .is_none_or(|at| at > jiff::Timestamp::now())
        {
            return None;
        }
        self.next_change = None;
        Some(Changes {
            scheduled: true,
            ..Changes::default()
        })
    }

    /// Waits until the search index matches the served site.
    pub fn wait_for_search(&mut self) {
        self.idle();
        self.search.wait();
    }

    /// The last site with the edited pages put in place, when every change is
    /// an edit of an existing page that keeps its place; `None` otherwise.
    fn patched(&mut self, changes: &Changes) -> Option<Result<(Site, Vec<usize>), Diagnostics>> {
        if changes.config || changes.structural || changes.paths.is_empty() || self.prints.is_none()
        {
            return None;
        }
        let all_pages = changes.paths.iter().all(|p| {
            p.starts_with(crate::content::loader::CONTENT_DIR)
                && crate::content::paths::is_markdown(p)
        });
        if !all_pages {
            return None;
        }
        if self.site.as_ref().is_none_or(|site| site.theme_looks_up) {
            return None;
        }
        let timer = crate::timing::PhaseTimer::start();
        let mut site = self.site.take()?;
        let tz = site.config.time_zone();
        let mut problems = Vec::new();
        let mut patched = Vec::new();
        for rel in &changes.paths {
            let index = site.library.pages.iter().position(|p| p.file == *rel)?;
            patched.push(index);
            let role = site.library.role_of_page(&site.library.pages[index]);
            let file = crate::content::loader::load_one(&self.root, rel, &site.config, &tz, &role);
            // A file with errors goes through a full load, which reports all of
            // them (its broken links too) in one go.
            if file.problems.iter().any(|d| d.is_error()) {
                self.site = Some(site);
                return None;
            }
            problems.extend(file.problems);
            let Some(crate::content::loader::Loaded::Page(page)) = file.item else {
                self.site = Some(site);
                return None;
            };
            let page = *page;
            // A new `template` is checked against the theme by the full load.
            if page.meta.template != site.library.pages[index].meta.template {
                self.site = Some(site);
                return None;
            }
            problems.extend(site.patch_page(index, page)?);
        }
        let mut problems = Diagnostics(problems);
        problems.sort();
        if problems.has_errors() {
            // Keep the last good site for the next try; the error goes to the overlay.
            self.site = Some(site);
            return Some(Err(problems));
        }
        site.warnings = problems;
        timer.lap("patched the edited page(s) in place");
        Some(Ok((site, patched)))
    }

    fn fail(&self, state: &ServeState, problems: Diagnostics) -> Diagnostics {
        let text = overlay_text(&problems);
        {
            let mut served = state.served.write().unwrap_or_else(|e| e.into_inner());
            served.error = Some(text.clone());
            // Nothing more is coming: requests waiting for outputs get what there is.
            served.put_off.clear();
        }
        state.settled.notify_waiters();
        let _ = state.signals.send(Signal::Error(text));
        problems
    }
}

/// What the browser's overlay shows of a failed build: the errors, by file
/// and line, and only a count of the warnings (the terminal lists them), so
/// that the error is not lost among the placeholders `dunav init` left.
fn overlay_text(problems: &Diagnostics) -> String {
    let mut sorted = problems.clone();
    sorted.sort();
    let mut text = String::new();
    for error in sorted.errors() {
        text.push_str(&format!("{error}\n"));
    }
    let warnings = sorted.warnings().count();
    if warnings > 0 {
        text.push_str(&format!(
            "({warnings} warning(s) besides these errors: the terminal lists them)\n"
        ));
    }
    text
}
