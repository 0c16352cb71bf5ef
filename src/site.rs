//! A whole build: load the content, render every output, and write it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::config::SiteConfig;
use crate::content::library::{MarkdownCache, Selection, TAXONOMIES, alias_url};
use crate::content::loader::Loaded;
use crate::content::{Library, Page, PageKind, loader};
use crate::diagnostics::{BuildFailed, Diagnostic, Diagnostics};
use crate::fingerprint::Fingerprint;
use crate::output::{self, Sink, feeds, sitemap::SitemapEntry};
use crate::render::context::{self as ctx, Paginator};
use crate::render::{self, SiteIndex};

/// What a build includes and where it looks.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub drafts: bool,
    pub future: bool,
    pub base_url: Option<String>,
    /// The time "upcoming" and "future" are measured against.
    pub now: Timestamp,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            drafts: false,
            future: false,
            base_url: None,
            now: Timestamp::now(),
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
    /// Each section's template value, made once.
    pub section_values: HashMap<(String, String), Value>,
    pub root: PathBuf,
    pub config: SiteConfig,
    pub library: Library,
    pub tera: Tera,
    pub now: Timestamp,
    /// Per page, its listing value; shared by listings, feeds and functions.
    pub summaries: Vec<Value>,
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
}

/// What the dev server keeps between builds so that a rebuild redoes only
/// what changed: the file list, parsed files, rendered Markdown and summaries.
#[derive(Default)]
pub struct BuildCache {
    /// False for a one-off build: nothing is kept, nothing is copied to keep.
    keep: bool,
    files: Option<loader::ContentFiles>,
    loaded: HashMap<PathBuf, Result<Loaded, Vec<Diagnostic>>>,
    markdown: MarkdownCache,
    summaries: HashMap<PathBuf, (u64, Value)>,
}

impl BuildCache {
    /// A cache that keeps what each build made, for the dev server.
    pub fn keeping() -> BuildCache {
        BuildCache {
            keep: true,
            markdown: MarkdownCache::keeping(),
            ..BuildCache::default()
        }
    }

    /// A file changed: read it again next time.
    pub fn forget(&mut self, rel: &Path) {
        self.loaded.remove(rel);
    }

    /// Files appeared or went: list the content folder again next time.
    pub fn forget_file_list(&mut self) {
        self.files = None;
    }

    /// Everything may have changed (site.toml): start over.
    pub fn clear(&mut self) {
        *self = if self.keep {
            BuildCache::keeping()
        } else {
            BuildCache::default()
        };
    }
}

/// Reads site.toml, every content file and the theme; all problems together.
pub fn load(options: &BuildOptions) -> Result<Site, BuildFailed> {
    load_with(options, &mut BuildCache::default())
}

/// [`load`], reusing what `cache` holds from an earlier build.
pub fn load_with(options: &BuildOptions, cache: &mut BuildCache) -> Result<Site, BuildFailed> {
    let root = &options.root;
    let timer = PhaseTimer::start();
    let mut config = SiteConfig::load(root).map_err(|d| BuildFailed(Diagnostics(d)))?;
    if let Some(base) = &options.base_url {
        config.base_url = base.clone();
    }
    let mut problems = Vec::new();
    let files = match cache.files.take() {
        Some(files) => files,
        None => loader::discover(root, &mut problems),
    };
    timer.lap("discover");
    let missing: Vec<PathBuf> = files
        .markdown
        .iter()
        .filter(|f| !cache.loaded.contains_key(*f))
        .cloned()
        .collect();
    let tz = config.time_zone();
    let fresh: Vec<(PathBuf, Result<Loaded, Vec<Diagnostic>>)> = missing
        .into_par_iter()
        .map(|rel| {
            let result = loader::load_one(root, &rel, &config, &tz);
            (rel, result)
        })
        .collect();
    cache.loaded.extend(fresh);
    let known: HashSet<&PathBuf> = files.markdown.iter().collect();
    cache.loaded.retain(|k, _| known.contains(k));
    let mut loaded = Vec::with_capacity(files.markdown.len());
    if !cache.keep {
        // A one-off build owns what it read: move it rather than copy it.
        let mut taken = std::mem::take(&mut cache.loaded);
        for rel in &files.markdown {
            match taken.remove(rel) {
                Some(Ok(item)) => loaded.push(item),
                Some(Err(errors)) => problems.extend(errors),
                None => {}
            }
        }
    }
    for rel in files.markdown.iter().filter(|_| cache.keep) {
        match cache.loaded.get(rel) {
            Some(Ok(item)) => loaded.push(item.clone()),
            Some(Err(errors)) => problems.extend(errors.iter().cloned()),
            None => {}
        }
    }
    timer.lap("read and parse front matter");
    let theme = render::theme_dir(root, &config);
    let static_files: HashSet<String> = output::static_files::list(&root.join("static"))
        .into_iter()
        .chain(output::static_files::list(&theme.join("static")))
        .map(|(p, _)| p)
        .collect();
    let selection = Selection {
        drafts: options.drafts,
        future: options.future,
        now: options.now,
    };
    let library = Library::build(
        &mut cache.markdown,
        &config,
        loaded,
        &files.assets,
        static_files,
        &selection,
        &mut problems,
    );
    timer.lap("library (Markdown, sections, taxonomies)");
    let strings = match render::interface_strings(root, &config) {
        Ok(s) => s,
        Err(d) => {
            problems.push(d);
            HashMap::new()
        }
    };
    let page_prints: Vec<u64> = library
        .pages
        .iter()
        .map(|p| page_print(p, options.now, library.links_fingerprint, &options.base_url))
        .collect();
    let summaries: Vec<Value> = library
        .pages
        .par_iter()
        .zip(page_prints.par_iter())
        .map(|(p, print)| match cache.summaries.get(&p.file) {
            Some((key, value)) if key == print => value.clone(),
            _ => ctx::page_summary(p, &config, options.now),
        })
        .collect();
    cache.summaries = if cache.keep {
        library
            .pages
            .iter()
            .zip(&page_prints)
            .zip(&summaries)
            .map(|((p, print), v)| (p.file.clone(), (*print, v.clone())))
            .collect()
    } else {
        HashMap::new()
    };
    let index = Arc::new(site_index(&config, &library, &summaries));
    let tera = match render::load_templates(root, &config, index.clone()) {
        Ok(t) => Some(t),
        Err(d) => {
            problems.extend(d);
            None
        }
    };
    timer.lap("template data and templates");
    let mut diagnostics = Diagnostics(problems);
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(BuildFailed(diagnostics));
    }
    let configs = config
        .language_codes()
        .into_iter()
        .map(|lang| {
            let v = ctx::config_value(&config, &lang, &library);
            (lang, v)
        })
        .collect();
    cache.files = Some(files);
    // Template data holds hash maps, whose order is not stable: fingerprint the inputs instead.
    let menus: Vec<Vec<ctx::Link>> = config
        .language_codes()
        .iter()
        .map(|l| ctx::menu_links(&config, l, &library))
        .collect();
    let global_print = Fingerprint::new()
        .with(&std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)).unwrap_or_default())
        .with(&menus)
        .with(&render::templates_fingerprint(root, &config))
        .with(&config.base_url)
        .finish();
    let section_values = library
        .sections
        .iter()
        .map(|s| {
            (
                (s.path.clone(), s.lang.clone()),
                ctx::section_value(s, &config),
            )
        })
        .collect();
    Ok(Site {
        record_prints: cache.keep,
        index,
        base_url_override: options.base_url.clone(),
        page_prints,
        global_print,
        section_values,
        root: root.clone(),
        config,
        library,
        tera: tera.unwrap_or_default(),
        now: options.now,
        summaries,
        strings,
        configs,
        warnings: diagnostics,
    })
}

fn site_index(config: &SiteConfig, library: &Library, summaries: &[Value]) -> SiteIndex {
    let index = SiteIndex {
        default_lang: config.default_language.clone(),
        base_url: config.base().to_string(),
        prefixes: config
            .language_codes()
            .into_iter()
            .map(|l| (config.language_prefix(&l), l))
            .map(|(p, l)| (l, p))
            .collect(),
        ..SiteIndex::default()
    };
    if let Ok(mut pages) = index.pages.write() {
        for (page, summary) in library.pages.iter().zip(summaries) {
            pages.insert(
                crate::content::links::content_key(&page.file),
                summary.clone(),
            );
        }
    }
    if let Ok(mut sections) = index.sections.write() {
        for section in &library.sections {
            sections.insert(
                (section.path.clone(), section.lang.clone()),
                section_with_pages(section, config, summaries),
            );
        }
    }
    index
}

/// A section's template value with its pages, for `get_section`.
fn section_with_pages(
    section: &crate::content::Section,
    config: &SiteConfig,
    summaries: &[Value],
) -> Value {
    let value = ctx::section_value(section, config);
    let Some(map) = value.as_map() else {
        return value;
    };
    let mut map = map.clone();
    let pages: Vec<Value> = section
        .pages
        .iter()
        .map(|&i| summaries[i].clone())
        .collect();
    map.insert("pages".into(), Value::from(pages));
    Value::from(map)
}

/// A fingerprint of everything a page's summary shows.
fn page_print(
    page: &Page,
    now: Timestamp,
    links_fingerprint: u64,
    base_url: &Option<String>,
) -> u64 {
    Fingerprint::new()
        .with(&page.source_hash)
        .with(&page.is_future)
        .with(&ctx::is_upcoming(page, now))
        .with(&links_fingerprint)
        .with(base_url)
        .finish()
}

/// Builds the site into `output`: rendered in a private folder, swapped in on success.
pub fn build(options: &BuildOptions, output_dir: &Path) -> Result<BuildReport, BuildFailed> {
    let started = Instant::now();
    let site = load(options)?;
    let staging = output::StagingDir::create(output_dir)
        .map_err(|e| BuildFailed(io_problem(output_dir, "cannot create the build folder", e)))?;
    let sink = output::DirSink::new(staging.path.clone());
    let problems = site.render_all(&sink);
    if problems.has_errors() {
        return Err(BuildFailed(problems));
    }
    let timer = PhaseTimer::start();
    let committed = staging.commit();
    timer.lap("swap in the new output");
    committed.map_err(|e| {
        BuildFailed(io_problem(
            output_dir,
            "cannot replace the output folder",
            e,
        ))
    })?;
    Ok(site.report(sink.count(), started.elapsed()))
}

/// Everything `build` checks, writing nothing.
pub fn check(options: &BuildOptions) -> Result<BuildReport, BuildFailed> {
    let started = Instant::now();
    let site = load(options)?;
    let sink = output::NullSink::default();
    let problems = site.render_all(&sink);
    if problems.has_errors() {
        return Err(BuildFailed(problems));
    }
    Ok(site.report(sink.count(), started.elapsed()))
}

fn io_problem(path: &Path, what: &str, e: std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(path, format!("{what}: {e}"))])
}

/// One page of HTML to render: which template, where, with what.
struct Job {
    template: String,
    path: String,
    context: Context,
    /// The file the output comes from, for error messages.
    source: String,
}

impl Site {
    /// Puts an edited page in place when it keeps its place in every listing
    /// (see [`Library::replace_page`]); `None` when a full build is needed.
    pub fn patch_page(&mut self, index: usize, page: Page) -> Option<Vec<Diagnostic>> {
        let problems = self.library.replace_page(index, page, &self.config)?;
        let page = &self.library.pages[index];
        let summary = ctx::page_summary(page, &self.config, self.now);
        self.summaries[index] = summary.clone();
        self.page_prints[index] = page_print(
            page,
            self.now,
            self.library.links_fingerprint,
            &self.base_url_override,
        );
        if let Ok(mut pages) = self.index.pages.write() {
            pages.insert(crate::content::links::content_key(&page.file), summary);
        }
        if let Some(section) = self.library.section(&page.section, &page.lang) {
            let value = section_with_pages(section, &self.config, &self.summaries);
            if let Ok(mut sections) = self.index.sections.write() {
                sections.insert((section.path.clone(), section.lang.clone()), value);
            }
        }
        Some(problems)
    }

    fn report(&self, files: usize, elapsed: Duration) -> BuildReport {
        BuildReport {
            pages: self.library.pages.len(),
            files,
            elapsed,
            warnings: self.warnings.clone(),
            next_future: self.library.next_future,
        }
    }

    /// The context every template gets for a language.
    pub fn base_context(&self, lang: &str, current_url: &str) -> Context {
        let mut c = Context::new();
        c.insert("lang", lang);
        c.insert_value(
            "config",
            self.configs.get(lang).cloned().unwrap_or(Value::none()),
        );
        c.insert_value(
            "t",
            self.strings.get(lang).cloned().unwrap_or(Value::none()),
        );
        c.insert("current_url", current_url);
        c.insert("current_permalink", &self.config.absolute_url(current_url));
        c.insert("now", &self.now.to_string());
        c
    }

    /// Renders and writes every output; returns the problems met.
    pub fn render_all(&self, sink: &dyn Sink) -> Diagnostics {
        self.render_changed(sink, None).problems
    }

    /// Renders the outputs whose fingerprint differs from `previous` (all of them
    /// when there is none), and says which of the previous outputs are gone.
    pub fn render_changed(&self, sink: &dyn Sink, previous: Option<&OutputPrints>) -> Rendered {
        let timer = crate::site::PhaseTimer::start();
        // A one-off build (no previous prints) need not record any.
        let scope = Scope {
            previous,
            record: previous.is_some() || self.record_prints,
            prints: Mutex::new(HashMap::new()),
        };
        let theme = render::theme_dir(&self.root, &self.config);
        let run = |job: Job| self.run_job(job, sink, &theme);
        // Pages are rendered as their contexts are made, so memory stays flat.
        let positions = self.section_positions();
        let mut problems: Vec<Diagnostic> = self
            .library
            .pages
            .par_iter()
            .enumerate()
            .filter_map(|(i, page)| {
                let (path, print) = self.page_print(i, page, &positions);
                scope
                    .needed(&path, print)
                    .then(|| self.page_job(i, page, &positions))
                    .and_then(run)
            })
            .collect();
        timer.lap("pages");
        let mut jobs = Vec::new();
        self.section_jobs(&mut jobs, &scope);
        self.taxonomy_jobs(&mut jobs, &scope);
        self.special_jobs(&mut jobs, &scope);
        problems.extend(jobs.into_par_iter().filter_map(run).collect::<Vec<_>>());
        timer.lap("listings");
        problems.extend(self.write_data_files(sink, &scope));
        timer.lap("feeds, calendars, sitemap");
        problems.extend(self.copy_files(sink, &scope));
        timer.lap("static files");
        let prints = scope.prints.into_inner().unwrap_or_default();
        let removed = previous
            .map(|old| {
                old.keys()
                    .filter(|k| !prints.contains_key(*k))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let mut d = Diagnostics(problems);
        d.sort();
        Rendered {
            problems: d,
            prints,
            removed,
        }
    }

    /// A page's output path and the fingerprint of everything it shows.
    fn page_print(&self, i: usize, page: &Page, positions: &[usize]) -> (String, u64) {
        let lib = &self.library;
        let mut print = Fingerprint::new()
            .with(&self.global_print)
            .with(&self.page_prints[i])
            .with(&page.meta.template);
        if let Some(s) = lib.section(&page.section, &page.lang) {
            let pos = positions[i];
            let neighbour =
                |p: Option<usize>| p.and_then(|p| s.pages.get(p)).map(|&n| self.page_prints[n]);
            print = print
                .with(&self.section_print(s))
                .with(&neighbour(pos.checked_sub(1)))
                .with(&neighbour(Some(pos + 1)));
        }
        for &t in lib
            .translations
            .get(&page.translation_key)
            .into_iter()
            .flatten()
        {
            print = print.with(&self.page_prints[t]);
        }
        if page.kind == PageKind::Newsletter {
            // An issue's page lists its digest: any page may be in it.
            print = print.with(&self.page_prints);
        }
        (output::file_for_url(&page.url), print.finish())
    }

    fn section_print(&self, s: &crate::content::Section) -> u64 {
        Fingerprint::new()
            .with(&s.title)
            .with(&*s.content_html)
            .with(&s.description)
            .with(&s.file)
            .with(&s.pages.len())
            .finish()
    }

    /// The pagers of a listing whose output changed: (index, count, their pages).
    fn changed_pagers<'a>(
        &self,
        base: &str,
        pages: &'a [usize],
        head: u64,
        scope: &Scope<'_>,
    ) -> Vec<(usize, usize, &'a [usize])> {
        let per_page = self.config.paginate.max(1);
        let count = pages.len().div_ceil(per_page).max(1);
        (1..=count)
            .filter_map(|index| {
                let start = ((index - 1) * per_page).min(pages.len());
                let items = &pages[start..(start + per_page).min(pages.len())];
                let print = self.listing_print(head, index, count, items);
                scope
                    .needed(&output::file_for_url(&ctx::pager_url(base, index)), print)
                    .then_some((index, count, items))
            })
            .collect()
    }

    /// The fingerprint of a listing page: the listing and every page it shows.
    fn listing_print(&self, head: u64, pager: usize, pagers: usize, items: &[usize]) -> u64 {
        let mut print = Fingerprint::new()
            .with(&self.global_print)
            .with(&head)
            .with(&pager)
            .with(&pagers);
        for &i in items {
            print = print.with(&self.page_prints[i]);
        }
        print.finish()
    }

    fn run_job(&self, job: Job, sink: &dyn Sink, theme: &Path) -> Option<Diagnostic> {
        match self.tera.render(&job.template, &job.context) {
            Ok(html) => sink
                .write(&job.path, html.as_bytes())
                .err()
                .map(|e| write_problem(&job.path, e)),
            Err(e) => {
                let mut d = render::template_error(&self.root, theme, &e);
                d.message = format!(
                    "while rendering {} ({}):\n{}",
                    job.path, job.source, d.message
                );
                Some(d)
            }
        }
    }

    /// A newsletter issue's archive page lists what its email carried.
    fn with_digest(&self, page_value: Value, issue: usize) -> Value {
        let Ok(digest) =
            crate::newsletter::digest::collect(&self.library, &self.config, issue, &[])
        else {
            return page_value;
        };
        let Some(map) = page_value.as_map() else {
            return page_value;
        };
        let mut map = map.clone();
        let list = |pages: &[usize]| {
            Value::from(
                pages
                    .iter()
                    .map(|&i| self.summaries[i].clone())
                    .collect::<Vec<_>>(),
            )
        };
        let mut digest_map = tera::Map::new();
        digest_map.insert("news".into(), list(&digest.news));
        digest_map.insert("events".into(), list(&digest.events));
        map.insert("digest".into(), Value::from(digest_map));
        Value::from(map)
    }

    /// Each page's position in its section's listing, for previous/next links.
    fn section_positions(&self) -> Vec<usize> {
        let mut positions = vec![0; self.library.pages.len()];
        for section in &self.library.sections {
            for (pos, &page) in section.pages.iter().enumerate() {
                positions[page] = pos;
            }
        }
        positions
    }

    fn template_exists(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    fn page_job(&self, i: usize, page: &Page, positions: &[usize]) -> Job {
        let lib = &self.library;
        let section = lib.section(&page.section, &page.lang);
        let (lower, higher) = match section {
            Some(s) => {
                let pos = positions[i];
                // Listings run newest first: "higher" is the newer neighbour.
                let higher = pos.checked_sub(1).map(|p| &self.summaries[s.pages[p]]);
                let lower = s.pages.get(pos + 1).map(|&p| &self.summaries[p]);
                (lower, higher)
            }
            None => (None, None),
        };
        let mut context = self.base_context(&page.lang, &page.url);
        let mut page_value = ctx::page_full(page, &self.summaries[i], lib, lower, higher);
        if page.kind == PageKind::Newsletter {
            page_value = self.with_digest(page_value, i);
        }
        context.insert_value("page", page_value);
        if let Some(s) = section {
            context.insert_value(
                "section",
                self.section_values[&(s.path.clone(), s.lang.clone())].clone(),
            );
        }
        context.insert("translations", &self.page_translations(page));
        let template = page
            .meta
            .template
            .clone()
            .unwrap_or_else(|| page.kind.template().to_string());
        Job {
            template,
            path: output::file_for_url(&page.url),
            context,
            source: page.file.display().to_string(),
        }
    }

    fn page_translations(&self, page: &Page) -> Vec<ctx::TranslationLink> {
        self.library
            .translations
            .get(&page.translation_key)
            .into_iter()
            .flatten()
            .map(|&i| &self.library.pages[i])
            .map(|p| ctx::TranslationLink {
                lang: p.lang.clone(),
                url: p.url.clone(),
                title: p.meta.title.clone(),
            })
            .collect()
    }

    /// Each language's version of a listing: the same path under each prefix.
    fn listing_translations(
        &self,
        path_without_prefix: &str,
        exists: impl Fn(&str) -> bool,
    ) -> Vec<ctx::TranslationLink> {
        self.config
            .language_codes()
            .into_iter()
            .filter(|l| exists(l))
            .map(|lang| ctx::TranslationLink {
                url: format!(
                    "{}{}",
                    self.config.language_prefix(&lang),
                    path_without_prefix
                ),
                title: String::new(),
                lang,
            })
            .collect()
    }

    fn section_jobs(&self, jobs: &mut Vec<Job>, scope: &Scope<'_>) {
        let lib = &self.library;
        for section in &lib.sections {
            let prefix = self.config.language_prefix(&section.lang);
            let bare = section
                .url
                .strip_prefix(&prefix)
                .unwrap_or(&section.url)
                .to_string();
            let translations =
                self.listing_translations(&bare, |l| lib.section(&section.path, l).is_some());
            let section_value =
                self.section_values[&(section.path.clone(), section.lang.clone())].clone();
            let source = section
                .file
                .as_ref()
                .map(|f| f.display().to_string())
                .unwrap_or_else(|| format!("content/{}", section.path));
            if section.path.is_empty() {
                let lists = self.home_lists(&section.lang);
                let head = Fingerprint::new()
                    .with(&self.section_print(section))
                    .with(&lists.news)
                    .with(&lists.events)
                    .with(&lists.projects)
                    .finish();
                let all: Vec<usize> = lists
                    .news
                    .iter()
                    .chain(&lists.events)
                    .chain(&lists.projects)
                    .copied()
                    .collect();
                if !scope.needed(
                    &output::file_for_url(&section.url),
                    self.listing_print(head, 1, 1, &all),
                ) {
                    continue;
                }
                let mut context = self.base_context(&section.lang, &section.url);
                context.insert_value("section", section_value);
                context.insert("translations", &translations);
                self.insert_home_lists(&mut context, &section.lang, &lists);
                jobs.push(Job {
                    template: "index.html".into(),
                    path: output::file_for_url(&section.url),
                    context,
                    source,
                });
                continue;
            }
            let kind = PageKind::of_section(&section.path);
            let (listed_pages, upcoming_pages): (Vec<usize>, Vec<usize>) =
                if kind == PageKind::Event {
                    let (mut up, past): (Vec<usize>, Vec<usize>) = section
                        .pages
                        .iter()
                        .partition(|&&i| ctx::is_upcoming(&lib.pages[i], self.now));
                    // Upcoming: soonest first.
                    up.sort_by_key(|&i| lib.pages[i].meta.start.as_ref().map(|d| d.timestamp()));
                    (past, up)
                } else {
                    (section.pages.clone(), Vec::new())
                };
            let upcoming: Vec<Value> = upcoming_pages
                .iter()
                .map(|&i| self.summaries[i].clone())
                .collect();
            let mut head = Fingerprint::new().with(&self.section_print(section));
            for &i in &upcoming_pages {
                head = head.with(&self.page_prints[i]);
            }
            let head = head.finish();
            let template = {
                let own = format!("section/{}.html", section.path);
                if self.template_exists(&own) {
                    own
                } else {
                    "section.html".to_string()
                }
            };
            let upcoming = Value::from(upcoming);
            for (index, count, items) in
                self.changed_pagers(&section.url, &listed_pages, head, scope)
            {
                let url = ctx::pager_url(&section.url, index);
                let values = items.iter().map(|&i| self.summaries[i].clone()).collect();
                let paginator =
                    ctx::paginator(&section.url, values, index, count, listed_pages.len());
                let mut context = self.base_context(&section.lang, &url);
                context.insert_value("section", section_value.clone());
                context.insert_value("upcoming", upcoming.clone());
                context.insert("translations", &translations);
                context.insert("feed_url", &format!("{}atom.xml", section.url));
                insert_paginator(&mut context, paginator);
                jobs.push(Job {
                    template: template.clone(),
                    path: output::file_for_url(&url),
                    context,
                    source: source.clone(),
                });
            }
        }
    }

    /// What the home page lists, as page indexes.
    fn home_lists(&self, lang: &str) -> HomeLists {
        let lib = &self.library;
        let news = self
            .sorted_of_kind(PageKind::News, lang)
            .into_iter()
            .take(self.config.paginate)
            .collect();
        let mut events: Vec<usize> = lib
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.kind == PageKind::Event && p.lang == lang && ctx::is_upcoming(p, self.now)
            })
            .map(|(i, _)| i)
            .collect();
        events.sort_by_key(|&i| lib.pages[i].meta.start.as_ref().map(|d| d.timestamp()));
        events.truncate(5);
        let projects = self
            .sorted_of_kind(PageKind::Project, lang)
            .into_iter()
            .filter(|&i| {
                lib.pages[i].meta.status
                    != Some(crate::content::frontmatter::ProjectStatus::Completed)
            })
            .take(6)
            .collect();
        HomeLists {
            news,
            events,
            projects,
        }
    }

    fn insert_home_lists(&self, context: &mut Context, lang: &str, lists: &HomeLists) {
        let values = |pages: &[usize]| {
            Value::from(
                pages
                    .iter()
                    .map(|&i| self.summaries[i].clone())
                    .collect::<Vec<_>>(),
            )
        };
        context.insert_value("recent_news", values(&lists.news));
        context.insert_value("upcoming_events", values(&lists.events));
        context.insert_value("projects", values(&lists.projects));
        context.insert(
            "feed_url",
            &format!("{}/atom.xml", self.config.language_prefix(lang)),
        );
    }

    /// Pages of a kind in a language, in listing order.
    fn sorted_of_kind(&self, kind: PageKind, lang: &str) -> Vec<usize> {
        let lib = &self.library;
        let mut pages: Vec<usize> = lib
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == kind && p.lang == lang)
            .map(|(i, _)| i)
            .collect();
        pages.sort_by(|&a, &b| crate::content::library::newest_first(&lib.pages[a], &lib.pages[b]));
        pages
    }

    fn taxonomy_jobs(&self, jobs: &mut Vec<Job>, scope: &Scope<'_>) {
        let lib = &self.library;
        for lang in self.config.language_codes() {
            let prefix = self.config.language_prefix(&lang);
            for taxonomy in TAXONOMIES {
                let Some(terms) = lib.terms(taxonomy, &lang) else {
                    continue;
                };
                let title = self.string(&lang, taxonomy);
                let list_url = format!("{prefix}/{taxonomy}/");
                let taxonomy_value = Value::from_serializable(&serde_json::json!({
                    "name": taxonomy, "title": title, "url": list_url,
                }));
                let mut term_list: Vec<(&String, &crate::content::Term)> = terms.iter().collect();
                term_list.sort_by_key(|a| a.1.name.to_lowercase());
                let term_values: Vec<Value> = term_list
                    .iter()
                    .map(|(_, t)| {
                        Value::from_serializable(&serde_json::json!({
                            "name": t.name, "slug": t.slug, "url": t.url, "count": t.pages.len(),
                        }))
                    })
                    .collect();
                let list_print = Fingerprint::new()
                    .with(&self.global_print)
                    .with(
                        &term_list
                            .iter()
                            .map(|(_, t)| (&t.name, t.pages.len()))
                            .collect::<Vec<_>>(),
                    )
                    .finish();
                if scope.needed(&output::file_for_url(&list_url), list_print) {
                    let mut context = self.base_context(&lang, &list_url);
                    context.insert_value("taxonomy", taxonomy_value.clone());
                    context.insert_value("terms", Value::from(term_values.clone()));
                    context.insert(
                        "translations",
                        &self.listing_translations(&format!("/{taxonomy}/"), |_| true),
                    );
                    jobs.push(Job {
                        template: "taxonomy_list.html".into(),
                        path: output::file_for_url(&list_url),
                        context,
                        source: format!("{taxonomy} in {lang}"),
                    });
                }
                for ((slug, term), term_value) in term_list.iter().zip(&term_values) {
                    let bare = format!("/{taxonomy}/{slug}/");
                    let translations = self.listing_translations(&bare, |l| {
                        lib.terms(taxonomy, l)
                            .is_some_and(|t| t.contains_key(*slug))
                    });
                    let head = crate::fingerprint::of(&(&term.name, &term.url));
                    for (index, count, items) in
                        self.changed_pagers(&term.url, &term.pages, head, scope)
                    {
                        let url = ctx::pager_url(&term.url, index);
                        let values = items.iter().map(|&i| self.summaries[i].clone()).collect();
                        let paginator =
                            ctx::paginator(&term.url, values, index, count, term.pages.len());
                        let mut context = self.base_context(&lang, &url);
                        context.insert_value("taxonomy", taxonomy_value.clone());
                        context.insert_value("term", term_value.clone());
                        context.insert("translations", &translations);
                        insert_paginator(&mut context, paginator);
                        jobs.push(Job {
                            template: "taxonomy_term.html".into(),
                            path: output::file_for_url(&url),
                            context,
                            source: format!("{taxonomy} \"{}\" in {lang}", term.name),
                        });
                    }
                }
            }
        }
    }

    /// An interface string in a language, or its key when the theme has none.
    pub fn string(&self, lang: &str, key: &str) -> String {
        self.strings
            .get(lang)
            .and_then(|m| m.as_map())
            .and_then(|m| m.get(&tera::value::Key::from(key.to_string())))
            .and_then(|v| v.as_str())
            .unwrap_or(key)
            .to_string()
    }

    fn special_jobs(&self, jobs: &mut Vec<Job>, scope: &Scope<'_>) {
        let lang = &self.config.default_language;
        if self.template_exists("404.html") && scope.needed("404.html", self.global_print) {
            let mut context = self.base_context(lang, "/404.html");
            context.insert("translations", &Vec::<ctx::TranslationLink>::new());
            jobs.push(Job {
                template: "404.html".into(),
                path: "404.html".into(),
                context,
                source: "404".into(),
            });
        }
    }

    /// Feeds, calendars, sitemap, robots.txt, redirects and the code stylesheet.
    fn write_data_files(&self, sink: &dyn Sink, scope: &Scope<'_>) -> Vec<Diagnostic> {
        type Make<'a> = Box<dyn Fn() -> Vec<u8> + Send + Sync + 'a>;
        let mut files: Vec<(String, u64, Make<'_>)> = Vec::new();
        let lib = &self.library;
        let limit = self.config.feed_limit;
        let print_of = |kind: &str, pages: &[usize]| {
            let mut print = Fingerprint::new().with(&self.global_print).with(kind);
            for &i in pages {
                print = print.with(&self.page_prints[i]);
            }
            print.finish()
        };
        for lang in self.config.language_codes() {
            let prefix = self.config.language_prefix(&lang);
            let title = self
                .config
                .languages
                .get(&lang)
                .map(|l| l.title.clone())
                .unwrap_or_default();
            let news: Vec<usize> = self
                .sorted_of_kind(PageKind::News, &lang)
                .into_iter()
                .take(limit)
                .collect();
            let feed_url = format!("{prefix}/atom.xml");
            let home = format!("{prefix}/");
            let (l, t) = (lang.clone(), title.clone());
            files.push((
                feed_url.clone(),
                print_of("feed", &news),
                Box::new(move || {
                    let info = feeds::FeedInfo {
                        title: &t,
                        feed_url: &feed_url,
                        page_url: &home,
                        lang: &l,
                    };
                    let pages: Vec<&Page> = news.iter().map(|&i| &lib.pages[i]).collect();
                    feeds::atom(&self.config, &info, &pages).into_bytes()
                }),
            ));
            for section in lib
                .sections
                .iter()
                .filter(|s| s.lang == lang && !s.path.is_empty())
            {
                let pages: Vec<usize> = section.pages.iter().take(limit).copied().collect();
                let feed_url = format!("{}atom.xml", section.url);
                let feed_title = format!("{} · {title}", section.title);
                let l = lang.clone();
                files.push((
                    feed_url.clone(),
                    print_of(&feed_title, &pages),
                    Box::new(move || {
                        let info = feeds::FeedInfo {
                            title: &feed_title,
                            feed_url: &feed_url,
                            page_url: &section.url,
                            lang: &l,
                        };
                        let pages: Vec<&Page> = pages.iter().map(|&i| &lib.pages[i]).collect();
                        feeds::atom(&self.config, &info, &pages).into_bytes()
                    }),
                ));
            }
            // Calendars: one of all events per language, one per event.
            let mut events: Vec<usize> = (0..lib.pages.len())
                .filter(|&i| lib.pages[i].kind == PageKind::Event && lib.pages[i].lang == lang)
                .collect();
            events.sort_by_key(|&i| lib.pages[i].meta.start.as_ref().map(|d| d.timestamp()));
            let events_section = lib
                .section("events", &lang)
                .map(|s| s.title.clone())
                .unwrap_or_else(|| "events".into());
            let name = format!("{title} · {events_section}");
            for &i in &events {
                let event = &lib.pages[i];
                files.push((
                    ctx::ics_url(event),
                    print_of("ics", &[i]),
                    Box::new(move || {
                        output::calendar::calendar(
                            &self.config,
                            &event.meta.title,
                            std::slice::from_ref(&event),
                        )
                        .into_bytes()
                    }),
                ));
            }
            files.push((
                format!("{prefix}/events/calendar.ics"),
                print_of(&name, &events),
                Box::new(move || {
                    let pages: Vec<&Page> = events.iter().map(|&i| &lib.pages[i]).collect();
                    output::calendar::calendar(&self.config, &name, &pages).into_bytes()
                }),
            ));
        }
        for page in &lib.pages {
            for alias in &page.meta.aliases {
                let url = alias_url(&self.config, alias);
                files.push((
                    output::file_for_url(&url),
                    crate::fingerprint::of(&(&page.url, &page.lang)),
                    Box::new(move || {
                        output::aliases::redirect_page(
                            &self.config.absolute_url(&page.url),
                            &page.lang,
                        )
                        .into_bytes()
                    }),
                ));
            }
        }
        // The sitemap changes with URLs and dates, not with what pages say.
        // The sitemap shows URLs, dates and translations: hash those, without building it.
        let mut sitemap_print = Fingerprint::new().with(&self.global_print);
        for page in &lib.pages {
            sitemap_print = sitemap_print
                .with(&page.url)
                .with(&page.meta.date.as_ref().map(|d| d.timestamp()))
                .with(&page.meta.updated.as_ref().map(|d| d.timestamp()))
                .with(&page.translation_key);
        }
        for section in &lib.sections {
            sitemap_print = sitemap_print.with(&section.url).with(&section.pages.len());
        }
        for terms in lib.taxonomies.values() {
            sitemap_print = sitemap_print.with(&terms.keys().collect::<Vec<_>>());
        }
        files.push((
            "sitemap.xml".into(),
            sitemap_print.finish(),
            Box::new(|| {
                output::sitemap::sitemap(&self.config, &self.sitemap_entries()).into_bytes()
            }),
        ));
        files.push((
            "robots.txt".into(),
            self.global_print,
            Box::new(|| output::sitemap::robots(&self.config).into_bytes()),
        ));
        files.push((
            "syntax.css".into(),
            1,
            Box::new(|| crate::markdown::highlight::stylesheet().into_bytes()),
        ));
        files
            .par_iter()
            .filter(|(path, print, _)| scope.needed(path, *print))
            .filter_map(|(path, _, make)| {
                sink.write(path, &make())
                    .err()
                    .map(|e| write_problem(path, e))
            })
            .collect()
    }

    fn sitemap_entries(&self) -> Vec<SitemapEntry> {
        let lib = &self.library;
        let mut entries = Vec::with_capacity(lib.pages.len() + lib.sections.len());
        for section in &lib.sections {
            let alternates = self
                .config
                .language_codes()
                .into_iter()
                .filter_map(|l| lib.section(&section.path, &l).map(|s| (l, s.url.clone())))
                .collect();
            let lastmod = section
                .pages
                .iter()
                .filter_map(|&i| lib.pages[i].sort_date())
                .max();
            entries.push(SitemapEntry {
                url: section.url.clone(),
                lastmod,
                alternates,
            });
        }
        for page in &lib.pages {
            let alternates = lib
                .translations
                .get(&page.translation_key)
                .into_iter()
                .flatten()
                .map(|&i| (lib.pages[i].lang.clone(), lib.pages[i].url.clone()))
                .collect();
            let lastmod = page
                .meta
                .updated
                .as_ref()
                .or(page.meta.date.as_ref())
                .map(|d| d.timestamp());
            entries.push(SitemapEntry {
                url: page.url.clone(),
                lastmod,
                alternates,
            });
        }
        for ((taxonomy, lang), terms) in &lib.taxonomies {
            let prefix = self.config.language_prefix(lang);
            entries.push(SitemapEntry {
                url: format!("{prefix}/{taxonomy}/"),
                lastmod: None,
                alternates: Vec::new(),
            });
            for term in terms.values() {
                entries.push(SitemapEntry {
                    url: term.url.clone(),
                    lastmod: None,
                    alternates: Vec::new(),
                });
            }
        }
        entries.sort_by(|a, b| a.url.cmp(&b.url));
        entries
    }

    /// The theme's static files, then the site's (which win), then files beside pages.
    fn copy_files(&self, sink: &dyn Sink, scope: &Scope<'_>) -> Vec<Diagnostic> {
        let theme = render::theme_dir(&self.root, &self.config);
        let mut files: HashMap<String, PathBuf> = HashMap::new();
        for (path, file) in output::static_files::list(&theme.join("static")) {
            files.insert(path, file);
        }
        for (path, file) in output::static_files::list(&self.root.join("static")) {
            files.insert(path, file);
        }
        for (source, url) in &self.library.assets {
            files.insert(
                url.trim_start_matches('/').to_string(),
                self.root.join(source),
            );
        }
        files
            .par_iter()
            .filter(|(path, file)| {
                // A copied file changes with its size and modification time.
                let stamp = std::fs::metadata(file)
                    .ok()
                    .map(|m| (m.len(), m.modified().ok()));
                scope.needed(path, crate::fingerprint::of(&(file, stamp)))
            })
            .filter_map(|(path, file)| sink.copy(path, file).err().map(|e| write_problem(path, e)))
            .collect()
    }
}

/// Prints how long each phase of a build took, when `DUNAV_TIMINGS` is set.
pub struct PhaseTimer {
    last: std::cell::Cell<Instant>,
    enabled: bool,
}

impl PhaseTimer {
    pub fn start() -> PhaseTimer {
        PhaseTimer {
            last: std::cell::Cell::new(Instant::now()),
            enabled: std::env::var_os("DUNAV_TIMINGS").is_some(),
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

/// Each output's fingerprint, by path.
pub type OutputPrints = HashMap<String, u64>;

/// What rendering produced besides the files.
pub struct Rendered {
    pub problems: Diagnostics,
    pub prints: OutputPrints,
    /// Outputs of the previous build that this one no longer has.
    pub removed: Vec<String>,
}

/// Decides, output by output, whether to render: only what changed since `previous`.
pub struct Scope<'a> {
    previous: Option<&'a OutputPrints>,
    record: bool,
    prints: Mutex<HashMap<String, u64>>,
}

impl Scope<'_> {
    /// Records an output's fingerprint; true when it must be rendered.
    fn needed(&self, path: &str, print: u64) -> bool {
        if self.record
            && let Ok(mut prints) = self.prints.lock()
        {
            prints.insert(path.to_string(), print);
        }
        self.previous
            .is_none_or(|old| old.get(path) != Some(&print))
    }
}

/// The page indexes the home page lists.
struct HomeLists {
    news: Vec<usize>,
    events: Vec<usize>,
    projects: Vec<usize>,
}

fn insert_paginator(context: &mut Context, paginator: Paginator) {
    context.insert("paginator", &paginator);
}

fn write_problem(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        format!("public/{}", path.trim_start_matches('/')),
        format!("cannot write: {e}"),
    )
}
