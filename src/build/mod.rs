//! A whole build: load the site, render every output, write it.
//!
//! - [`load`] reads site.toml, the content and the theme into a [`Site`]
//!   (reusing a [`BuildCache`] in the dev server);
//! - `pages`, `listings`, `data_files` and `static_files` each produce one
//!   family of outputs;
//! - `prints` gives every output a fingerprint of what it shows, so that the
//!   dev server renders only what changed ([`Site::render_changed`]);
//! - [`build`] renders into a private folder and swaps it in on success.

mod cache;
mod data_files;
mod images;
mod listings;
mod load;
mod pages;
mod previous;
mod prints;
mod render;
mod search;
mod site_toml_links;
mod static_files;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;
use tera::{Tera, Value};

use crate::config::SiteConfig;
use crate::content::Library;
use crate::content::body::MarkdownCache;
use crate::diagnostics::{BuildFailed, Diagnostic, Diagnostics, Severity};
use crate::output::{self, Sink};
use crate::render::SiteIndex;
use crate::timing::PhaseTimer;

pub use cache::BuildCache;
pub use load::{load, load_with};
use previous::PreviousOutput;
pub use prints::{OutputPrints, Rendered};

/// What a build includes and where it looks.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub drafts: bool,
    pub future: bool,
    pub base_url: Option<String>,
    /// The time "upcoming" and "future" are measured against.
    pub now: Timestamp,
    /// `dunav check`: drafts and scheduled pages are looked at, and a
    /// published page's link to one is an error, as `build` would find it.
    pub checking: bool,
    /// Render every output, reusing none of the previous build's files nor
    /// the text it kept (rendered Markdown, front matter, highlighted code).
    pub full: bool,
}

impl BuildOptions {
    /// The published site: no drafts, nothing dated in the future; "now" is
    /// `DUNAV_NOW` when set (the command line refuses an unreadable one before
    /// it starts), else the clock.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            drafts: false,
            future: false,
            base_url: None,
            now: crate::env::now().unwrap_or_else(|_| Timestamp::now()),
            checking: false,
            full: false,
        }
    }

    /// For mailing: issues are written ahead and previewed as drafts, so
    /// future pages and drafts are loaded (a digest never takes a draft, and
    /// sending a draft or a future issue takes `--force`).
    pub fn for_mail(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            future: true,
            drafts: true,
            ..BuildOptions::new(root)
        }
    }
}

/// A loaded site: configuration, content and templates, ready to render.
pub struct Site {
    /// Record output fingerprints even on a first build (the dev server's).
    pub record_prints: bool,
    /// What `get_page`, `get_section` and `get_url` look things up in.
    pub index: Arc<SiteIndex>,
    pub base_url_override: Option<String>,
    /// Per page, a fingerprint of everything its summary shows.
    pub page_prints: Vec<u64>,
    /// Changes with site.toml, the interface strings or any template: then every output changes.
    pub global_print: u64,
    /// A template looks pages up by itself (see [`crate::render::ThemePrint`]):
    /// any page may show on any other, and no edit is only its page's.
    pub theme_looks_up: bool,
    /// Each section's template value, made once.
    pub section_values: HashMap<(String, String), Value>,
    pub root: PathBuf,
    pub config: SiteConfig,
    pub library: Library,
    pub tera: Arc<Tera>,
    pub now: Timestamp,
    /// Per page, its listing value; shared by listings, feeds and functions.
    pub summaries: Vec<Value>,
    /// `[sharing] image` with its size: the preview of outputs without their own.
    pub default_image: Option<crate::render::structured::SharedImage>,
    /// Per language, the preview values of outputs that set none of their own.
    pub sharing_defaults: HashMap<String, Value>,
    /// Per page, the pages shown as related to it.
    pub related: Vec<Vec<usize>>,
    pub strings: HashMap<String, Value>,
    pub configs: HashMap<String, Value>,
    pub warnings: Diagnostics,
}

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub warnings: Diagnostics,
    /// When the next future page becomes due, for a timer to rebuild then.
    pub next_future: Option<Timestamp>,
    /// When the next published page expires, for a timer to rebuild then.
    pub next_expiry: Option<Timestamp>,
    /// Drafts and scheduled pages the build left out.
    pub left_out: crate::content::library::LeftOut,
    /// The previous output, renamed aside by the swap: the caller removes it
    /// (see [`output::staging`]); the next build does if it is still there.
    pub set_aside: Option<PathBuf>,
}

/// Builds the site into `output`: rendered in a private folder, swapped in on success.
pub fn build(options: &BuildOptions, output_dir: &Path) -> Result<BuildReport, BuildFailed> {
    let started = Instant::now();
    if let Err(why) = output::place::check_replaceable(&options.root, output_dir) {
        return Err(BuildFailed(Diagnostics(vec![Diagnostic::error(
            output_dir, why,
        )])));
    }
    let highlighted = highlight_memo_path(&options.root);
    // `--full` reads none of what earlier builds kept of the text (only
    // resized images are reused), and keeps what it makes for the next.
    let reuse = !options.full;
    let mut site = load_keeping(options, reuse)?;
    let (mut previous, staging, sink) = start_output(options, output_dir, &site)?;
    let rendered = render_reusing(&mut site, &sink, previous.as_ref());
    // The search bundle's files are known later, with the site's own there.
    let made = sink.take_stamps_outside(SEARCH_BUNDLE_PRINT);
    // What the last output has and this one does not.
    let gone = previous
        .as_ref()
        .map(|p| p.not_made(&made, Some(SEARCH_BUNDLE_PRINT)))
        .unwrap_or_default();
    let made_inodes: HashSet<u64> = made.values().map(|stamp| stamp.inode).collect();
    if let Some(previous) = &mut previous {
        // Only the search bundle is looked at again: the rest is memory.
        previous.keep_only(SEARCH_BUNDLE_PRINT);
    }
    // Written down now, to free the maps before the search index.
    let mut record = previous::Record::default();
    record.prints(&rendered.prints);
    drop(rendered.prints);
    record.files(&made);
    drop(made);
    let mut problems = rendered.problems;
    // The search index, the largest step after rendering, gets the memory
    // of everything else the site held (at 10,000 pages about 200 MB: the
    // pages' listing values, front matter, templates); it keeps the pages' text.
    let timer = PhaseTimer::start();
    let search = site
        .search_input(output::search::Reuse::when(reuse))
        .map(|input| {
            let print = input.print();
            let unchanged = previous
                .as_ref()
                .and_then(|p| p.prints.get(SEARCH_BUNDLE_PRINT));
            (input, print, unchanged == Some(&print))
        });
    let mut report = site.report(0, Duration::ZERO);
    site.let_go();
    // What the site let go would otherwise stay resident under the index
    // (the build's peak: 320 to 340 MB at 10,000 pages, 285 with it handed back).
    if search.as_ref().is_some_and(|(_, _, unchanged)| !unchanged) {
        crate::memory::give_back();
    }
    timer.lap("the pages to index taken, the rest let go");
    if let Some(search) = search {
        let written = write_search(search, previous.as_ref(), &sink, &mut record);
        problems.0.extend(written);
    }
    timer.lap("search index");
    if problems.has_errors() {
        // With the site's warnings: a template error must not hide them.
        problems.0.extend(std::mem::take(&mut report.warnings.0));
        return Err(BuildFailed(problems));
    }
    let set_aside = swap_in(
        (&options.root, output_dir),
        (staging, &sink),
        previous.as_ref(),
        (gone, made_inodes),
        record,
    )?;
    // Only a cache: a build that cannot save it has still succeeded.
    crate::markdown::highlight::memo::save(&highlighted).ok();
    report.files = sink.count();
    report.elapsed = started.elapsed();
    report.set_aside = set_aside;
    // Warnings met while writing (an image published as it is) are reported too.
    report.warnings.0.extend(problems.0);
    Ok(report)
}

/// The last output this build may take files over from, the folder it
/// builds in (the spare when it can start from it) and the sink into it.
fn start_output(
    options: &BuildOptions,
    output_dir: &Path,
    site: &Site,
) -> Result<(Option<PreviousOutput>, output::StagingDir, output::DirSink), BuildFailed> {
    // A theme that looks things up may need what only rendering asks for
    // (the images `resize_image` makes): it is rendered whole.
    let mut previous = (!options.full && !site.theme_looks_up)
        .then(|| PreviousOutput::find(&options.root, output_dir))
        .flatten();
    let spare_at = previous::spare_path(&options.root);
    // Only a build that knows the last output's files starts from the
    // spare, and only if no other build has kept another since: the check
    // and the taking under the lock the swaps are made under.
    let lock = previous::lock(&options.root);
    let spare = output::staging::Spare {
        at: &spare_at,
        identity: previous
            .as_ref()
            .filter(|p| lock.is_some() && p.record_unchanged(&options.root))
            .and_then(|p| p.spare.as_deref()),
    };
    let staging = output::StagingDir::create(output_dir, Some(spare))
        .map_err(|e| BuildFailed(io_problem(output_dir, "cannot create the build folder", e)))?;
    drop(lock);
    // Without the recorded output, only the spare has files to take over;
    // and nothing else of it stays (a file added by hand to the output it
    // was): removing public/ gives an output a full build would.
    if let Some(last) = previous.as_ref().filter(|p| !p.output_as_recorded) {
        if !staging.from_spare {
            previous = None;
        } else {
            output::remove_unlisted(&staging.path, &|path| last.wrote(path)).map_err(|e| {
                BuildFailed(io_problem(output_dir, "cannot clear the build folder", e))
            })?;
        }
    }
    let sink = if staging.from_spare {
        output::DirSink::on_earlier_output(staging.path.clone())
    } else {
        output::DirSink::new(staging.path.clone())
    };
    Ok((previous, staging, sink))
}

/// Swaps the staged output in and records it. The output it replaces is
/// kept as the next build's spare when it is the one this build started
/// from (whose files the record names), else returned, set aside.
fn swap_in(
    (root, output_dir): (&Path, &Path),
    (staging, sink): (output::StagingDir, &output::DirSink),
    previous: Option<&PreviousOutput>,
    (mut gone, mut made_inodes): (Vec<String>, HashSet<u64>),
    mut record: previous::Record,
) -> Result<Option<PathBuf>, BuildFailed> {
    let made = sink.take_stamps();
    if let Some(previous) = previous {
        gone.extend(previous.not_made(&made, None));
    }
    made_inodes.extend(made.values().map(|stamp| stamp.inode));
    record.files(&made);
    drop(made);
    let timer = PhaseTimer::start();
    if staging.from_spare {
        output::remove_outputs(&staging.path, &gone, &made_inodes).map_err(|e| {
            BuildFailed(io_problem(
                output_dir,
                "cannot remove what the site no longer has",
                e,
            ))
        })?;
    }
    let identity = previous::identity(&staging.path, output_dir);
    let lock = previous::lock(root);
    let keep_spare = lock.is_some() && previous.is_some_and(PreviousOutput::can_be_spare);
    let spare_at = previous::spare_path(root);
    let committed = staging.commit(keep_spare.then_some(spare_at.as_path()));
    timer.lap("swap in the new output");
    let committed = committed.map_err(|e| {
        BuildFailed(io_problem(
            output_dir,
            "cannot replace the output folder",
            e,
        ))
    })?;
    // Left with only the files of the output that replaced it, as the next build expects.
    let spare = committed
        .spare_kept
        .then(|| output::remove_outputs(&spare_at, &gone, &made_inodes).ok())
        .flatten()
        .and_then(|()| output::staging::folder_identity(&spare_at));
    // Only a cache: without it the next build renders everything.
    record.save(root, identity, spare).ok();
    drop(lock);
    Ok(committed.set_aside)
}

/// The site, loaded with what earlier builds kept of its text when `reuse`
/// (the highlight memo stays loaded for rendering).
fn load_keeping(options: &BuildOptions, reuse: bool) -> Result<Site, BuildFailed> {
    let front_matter = options.root.join(CACHE_DIR).join("front-matter");
    if reuse {
        crate::markdown::highlight::memo::load(&highlight_memo_path(&options.root));
    }
    crate::content::frontmatter::memo::start(reuse.then_some(front_matter.as_path()));
    let mut cache = BuildCache {
        markdown: MarkdownCache::kept_in(&options.root.join(CACHE_DIR).join("markdown"), reuse),
        ..BuildCache::default()
    };
    let loaded = load_with(options, &mut cache);
    drop(cache);
    // Kept for the next build now (what it holds only depends on the files
    // read), and let go: the memo is 10 MB at 10,000 pages.
    crate::content::frontmatter::memo::save(&front_matter).ok();
    crate::content::frontmatter::memo::clear();
    loaded
}

/// Writes the search bundle into `sink` and records its prints. The very
/// same pages to index: the last output's bundle is taken over whole;
/// otherwise each file the last output has with the same bytes is (most
/// fragments, when a few pages changed).
fn write_search(
    (input, print, unchanged): (search::SearchInput, u64, bool),
    previous: Option<&PreviousOutput>,
    sink: &output::DirSink,
    record: &mut previous::Record,
) -> Vec<Diagnostic> {
    record.prints([(&SEARCH_BUNDLE_PRINT.to_string(), &print)]);
    if unchanged
        && let Some(previous) = previous
        && previous
            .carry_folder(sink, output::search::BUNDLE_DIR)
            .is_ok()
    {
        let files = previous.prints.iter();
        record.prints(files.filter(|(path, _)| path.as_str() != SEARCH_BUNDLE_PRINT));
        return Vec::new();
    }
    let (problems, prints) = input.write(sink, previous);
    record.prints(prints.iter().map(|(path, print)| (path, print)));
    problems
}

/// Renders every output into `sink`, but takes from the previous output
/// each one whose print is unchanged.
fn render_reusing(
    site: &mut Site,
    sink: &output::DirSink,
    previous: Option<&PreviousOutput>,
) -> Rendered {
    match previous {
        Some(previous) => {
            let carry = |path: &str| previous.carry(sink, path).is_ok();
            site.render_carrying(sink, &previous.prints, &carry)
        }
        None => {
            // Recorded for the next build to reuse.
            site.record_prints = true;
            site.render_changed(sink, None, None)
        }
    }
}

/// The search bundle's print among the outputs': a folder, not a file.
const SEARCH_BUNDLE_PRINT: &str = "pagefind/";

/// What builds keep for the next one (resized images, highlighted code),
/// inside the site and git-ignored; deleting it only makes a build slower.
pub const CACHE_DIR: &str = ".dunav-cache";

/// Where highlighted code blocks are kept between builds, beside the images.
fn highlight_memo_path(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join("highlight")
}

/// Everything `build` checks, and every link in the pages it would write
/// (templates' links included), writing nothing.
pub fn check(options: &BuildOptions) -> Result<BuildReport, BuildFailed> {
    let started = Instant::now();
    let site = load(options)?;
    let sink = output::linkcheck::LinkCheckSink::default();
    let mut problems = site.render_all(&sink);
    // A broken link is what site.toml's `[links] missing` makes it, here as in a build.
    let severity = match site.config.links.missing {
        crate::config::LinkSeverity::Error => Severity::Error,
        crate::config::LinkSeverity::Warning => Severity::Warning,
    };
    for (link, pages) in sink.missing() {
        let found = site.missing_link_problems(&options.root, &link, &pages);
        problems.extend(found.into_iter().map(|d| Diagnostic { severity, ..d }));
    }
    // Failing or not, the site's warnings are reported with the errors.
    let mut report = site.report(sink.count(), started.elapsed());
    report.warnings.0.extend(problems.0);
    if report.warnings.has_errors() {
        return Err(BuildFailed(report.warnings));
    }
    Ok(report)
}

fn io_problem(path: &Path, what: &str, e: std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(path, format!("{what}: {e}"))])
}

impl Site {
    /// A link to nothing, found in the written pages: at the line of each
    /// content file that has it written (raw HTML), else at the first page
    /// it is on, as a template's.
    fn missing_link_problems(&self, root: &Path, link: &str, pages: &[String]) -> Vec<Diagnostic> {
        let message = format!("links to {link}, which the site does not have");
        let mut problems: Vec<Diagnostic> = pages
            .iter()
            .filter_map(|output| {
                let url = format!("/{}", output.strip_suffix("index.html")?);
                let page = self.library.pages.iter().find(|p| p.url == url)?;
                let text = std::fs::read_to_string(root.join(&page.file)).ok()?;
                let line = text.lines().position(|l| l.contains(link))? + 1;
                Some(Diagnostic::error(&page.file, message.clone()).at_line(line))
            })
            .collect();
        if problems.is_empty() {
            let more = match pages.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            problems.push(
                Diagnostic::error(
                    format!("public/{}", pages[0]),
                    format!("{message} (on {}{more})", pages[0]),
                )
                .with_help("a link in the theme's templates: fix the template, or add the page"),
            );
        }
        problems
    }

    fn report(&self, files: usize, elapsed: Duration) -> BuildReport {
        BuildReport {
            pages: self.library.pages.len(),
            files,
            elapsed,
            warnings: self.warnings.clone(),
            next_future: self.library.next_future,
            next_expiry: self.library.next_expiry,
            left_out: self.library.left_out,
            set_aside: None,
        }
    }

    /// Frees the site on every core: one thread took 0.1 s at 10,000 pages.
    /// What holds the pages' listing values (templates, the site index) goes
    /// first, so that the values themselves are freed in parallel.
    fn let_go(mut self) {
        drop(std::mem::take(&mut self.tera));
        drop(std::mem::take(&mut self.index));
        drop(std::mem::take(&mut self.section_values));
        let pages = std::mem::take(&mut self.library.pages);
        let summaries = std::mem::take(&mut self.summaries);
        rayon::join(
            || pages.into_par_iter().for_each(drop),
            || summaries.into_par_iter().for_each(drop),
        );
    }

    /// An interface string in a language, or its key when the theme has none.
    pub fn string(&self, lang: &str, key: &str) -> String {
        crate::render::lookup_string(&self.strings, lang, key)
    }
}
