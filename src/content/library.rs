//! The Library: every published page with its section, translations and
//! taxonomy terms, built once per build and read by every output stage,
//! with the queries the outputs share.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::config::SiteConfig;
use crate::content::body::{self, MarkdownCache};
use crate::content::links::{LinkTargets, content_key};
use crate::content::loader::{self, Loaded, SectionIndex};
use crate::content::page::{Page, PageKind, newest_first};
use crate::content::sections::{Section, render_indexes};
use crate::content::taxonomies::Term;
use crate::diagnostics::Diagnostic;
use crate::timing::PhaseTimer;

/// Everything the outputs need, read-only once built.
#[derive(Debug, Default)]
pub struct Library {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    /// (section path, lang) → index into `sections`.
    pub section_index: HashMap<(String, String), usize>,
    /// Translation key → page indexes, default language first.
    pub translations: HashMap<String, Vec<usize>>,
    /// (taxonomy, lang) → terms by slug.
    pub taxonomies: HashMap<(String, String), BTreeMap<String, Term>>,
    /// Content files to copy beside the pages: (source relative to root, site path).
    pub assets: Vec<(PathBuf, String)>,
    /// The earliest publication time of a page left out because it is in the future.
    pub next_future: Option<Timestamp>,
    /// Changes when any link target appears, goes or moves: every page's links may then change.
    pub links_fingerprint: u64,
    /// Every link target, kept so that one page can be rendered again alone.
    pub targets: LinkTargets,
    /// (kind, lang) → pages, newest first.
    by_kind: HashMap<(PageKind, String), Vec<usize>>,
}

/// What to include in a build.
#[derive(Debug, Clone)]
pub struct Selection {
    pub drafts: bool,
    pub future: bool,
    pub now: Timestamp,
}

impl Library {
    /// Builds the library from loaded files; problems go to `problems`.
    pub fn build(
        markdown_cache: &mut MarkdownCache,
        config: &SiteConfig,
        loaded: Vec<Loaded>,
        assets: &[PathBuf],
        static_files: HashSet<String>,
        selection: &Selection,
        problems: &mut Vec<Diagnostic>,
    ) -> Library {
        let timer = PhaseTimer::start();
        let mut lib = Library::default();
        let mut targets = LinkTargets {
            static_files,
            ..LinkTargets::default()
        };
        let indexes = lib.select_pages(loaded, selection, &mut targets);
        lib.add_assets(config, assets, &mut targets);
        targets
            .static_files
            .extend(generated_files(config, &lib.pages));
        timer.lap("  pages and link targets");
        lib.check_unique_urls(problems);
        lib.links_fingerprint = targets.fingerprint();
        let links = (&targets, lib.links_fingerprint);
        body::render_pages(&mut lib.pages, config, links, markdown_cache, problems);
        timer.lap("  Markdown");
        let rendered_indexes = render_indexes(indexes, config, &targets, problems);
        lib.build_sections(config, rendered_indexes);
        lib.build_translations(config);
        lib.build_taxonomies(config);
        lib.build_kind_index();
        lib.targets = targets;
        timer.lap("  sections, translations, taxonomies");
        lib
    }

    /// Keeps the pages this build publishes and records every page as a link
    /// target (or as unpublished); returns the section indexes.
    fn select_pages(
        &mut self,
        loaded: Vec<Loaded>,
        selection: &Selection,
        targets: &mut LinkTargets,
    ) -> Vec<SectionIndex> {
        let mut indexes = Vec::new();
        for item in loaded {
            let mut page = match item {
                Loaded::Index(index) => {
                    indexes.push(*index);
                    continue;
                }
                Loaded::Page(page) => page,
            };
            let key = content_key(&page.file);
            // Events and projects are published when written; only `date` schedules a page.
            let publish = page.meta.date.as_ref().map(|d| d.timestamp());
            page.is_future = publish.is_some_and(|d| d > selection.now);
            let hidden_draft = page.meta.draft && !selection.drafts;
            let hidden_future = page.is_future && !selection.future;
            // A future draft never becomes due by itself: no rebuild time for it.
            if hidden_future && !hidden_draft {
                self.next_future = match (self.next_future, publish) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            if hidden_draft || hidden_future {
                targets.unpublished.insert(key);
                continue;
            }
            targets
                .pages
                .entry(key)
                .or_default()
                .insert(page.lang.clone(), page.url.clone());
            self.pages.push(*page);
        }
        // Translations link to each other: a page's `.md` link resolves per language.
        for page in &self.pages {
            targets
                .pages
                .entry(format!("{}.md", page.translation_key))
                .or_default()
                .entry(page.lang.clone())
                .or_insert_with(|| page.url.clone());
        }
        indexes
    }

    /// Files beside pages: copied once, into the default language's section folder.
    fn add_assets(&mut self, config: &SiteConfig, assets: &[PathBuf], targets: &mut LinkTargets) {
        for asset in assets {
            let key = content_key(asset);
            let (dir, name) = key.rsplit_once('/').unwrap_or(("", &key));
            let url = format!(
                "{}{name}",
                loader::section_url(config, dir, &config.default_language)
            );
            targets.assets.insert(key.clone(), url.clone());
            self.assets.push((asset.clone(), url));
        }
    }

    fn check_unique_urls(&self, problems: &mut Vec<Diagnostic>) {
        let mut seen: HashMap<String, &Path> = HashMap::new();
        for page in &self.pages {
            if let Some(first) = seen.insert(page.url.clone(), &page.file) {
                problems.push(
                    Diagnostic::error(
                        &page.file,
                        format!("has the same URL {} as {}", page.url, first.display()),
                    )
                    .at_field("slug")
                    .at_line(page.meta.line_of("slug"))
                    .with_help("give one of them another `slug`"),
                );
            }
        }
        for page in &self.pages {
            for alias in &page.meta.aliases {
                let url = alias_url(alias);
                match seen.get(&url) {
                    Some(other) if *other != page.file.as_path() => problems.push(
                        Diagnostic::error(
                            &page.file,
                            format!("alias {alias} is the URL of {}", other.display()),
                        )
                        .at_field("aliases")
                        .at_line(page.meta.line_of("aliases")),
                    ),
                    Some(_) => {}
                    None => {
                        seen.insert(url, &page.file);
                    }
                }
            }
        }
    }

    fn build_translations(&mut self, config: &SiteConfig) {
        let mut map: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, page) in self.pages.iter().enumerate() {
            map.entry(page.translation_key.clone()).or_default().push(i);
        }
        let order = config.language_codes();
        for group in map.values_mut() {
            group.sort_by_key(|&i| order.iter().position(|l| *l == self.pages[i].lang));
        }
        self.translations = map;
    }

    fn build_kind_index(&mut self) {
        let mut by_kind: HashMap<(PageKind, String), Vec<usize>> = HashMap::new();
        for (i, page) in self.pages.iter().enumerate() {
            by_kind
                .entry((page.kind, page.lang.clone()))
                .or_default()
                .push(i);
        }
        for pages in by_kind.values_mut() {
            pages.sort_by(|&a, &b| newest_first(&self.pages[a], &self.pages[b]));
        }
        self.by_kind = by_kind;
    }

    /// Puts an edited page in place of page `index` when nothing that orders or
    /// files it changed (URL, dates, title, weight, tags, sectors, status, draft,
    /// aliases): then sections and taxonomies stay as they are. Returns the
    /// page's problems, or `None` when the page must go through a full build.
    pub fn replace_page(
        &mut self,
        index: usize,
        mut page: Page,
        config: &SiteConfig,
    ) -> Option<Vec<Diagnostic>> {
        let old = self.pages.get(index)?;
        if !keeps_its_place(&page, old) {
            return None;
        }
        page.is_future = old.is_future;
        let key = (page.source_hash, self.links_fingerprint);
        let entry = body::render_page(&page, key, config, &self.targets);
        body::apply(&mut page, &entry);
        self.pages[index] = page;
        Some(entry.problems)
    }

    pub fn section(&self, path: &str, lang: &str) -> Option<&Section> {
        self.section_index
            .get(&(path.to_string(), lang.to_string()))
            .map(|&i| &self.sections[i])
    }

    /// The page's translations in other languages.
    pub fn translations_of(&self, page: &Page) -> impl Iterator<Item = &Page> {
        self.translations
            .get(&page.translation_key)
            .into_iter()
            .flatten()
            .map(|&i| &self.pages[i])
            .filter(move |p| p.lang != page.lang)
    }

    /// Pages of a kind in a language, newest first.
    pub fn pages_of(&self, kind: PageKind, lang: &str) -> &[usize] {
        self.by_kind
            .get(&(kind, lang.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Events in a language, soonest first.
    pub fn events_by_start(&self, lang: &str) -> Vec<usize> {
        let mut events = self.pages_of(PageKind::Event, lang).to_vec();
        self.sort_by_start(&mut events);
        events
    }

    /// Events in a language that have not ended by `now`, soonest first.
    pub fn upcoming_events(&self, lang: &str, now: Timestamp) -> Vec<usize> {
        let mut events: Vec<usize> = self
            .pages_of(PageKind::Event, lang)
            .iter()
            .copied()
            .filter(|&i| self.pages[i].is_upcoming(now))
            .collect();
        self.sort_by_start(&mut events);
        events
    }

    /// Orders events soonest first (ties in listing order, as given).
    pub fn sort_by_start(&self, events: &mut [usize]) {
        events.sort_by_key(|&i| self.pages[i].start_time());
    }
}

/// Whether an edited page keeps its place in every listing, feed and term.
fn keeps_its_place(page: &Page, old: &Page) -> bool {
    page.url == old.url
        && page.lang == old.lang
        && page.kind == old.kind
        && page.translation_key == old.translation_key
        && page.meta.title == old.meta.title
        && page.meta.date == old.meta.date
        && page.meta.start == old.meta.start
        && page.meta.end == old.meta.end
        && page.meta.weight == old.meta.weight
        && page.meta.tags == old.meta.tags
        && page.meta.sectors == old.meta.sectors
        && page.meta.status == old.meta.status
        && page.meta.draft == old.meta.draft
        && page.meta.aliases == old.meta.aliases
}

/// Files the build writes besides pages (feeds, calendars…), so Markdown may link to them.
fn generated_files(config: &SiteConfig, pages: &[Page]) -> Vec<String> {
    let mut files: Vec<String> = ["sitemap.xml", "robots.txt", "syntax.css", "404.html"]
        .map(String::from)
        .to_vec();
    let mut push = |url: String| files.push(url.trim_start_matches('/').to_string());
    for lang in config.language_codes() {
        let prefix = config.language_prefix(&lang);
        push(format!("{prefix}/atom.xml"));
        push(format!("{prefix}/events/calendar.ics"));
    }
    for page in pages {
        let section = loader::section_url(config, &page.section, &page.lang);
        push(format!("{section}atom.xml"));
        if page.kind == PageKind::Event {
            push(page.ics_url());
        }
    }
    files
}

/// The site path an alias redirects from, with a trailing slash for folders.
pub fn alias_url(alias: &str) -> String {
    let mut url = format!("/{}", alias.trim_start_matches('/'));
    let last = url.rsplit('/').next().unwrap_or("");
    if !url.ends_with('/') && !last.contains('.') {
        url.push('/');
    }
    url
}
