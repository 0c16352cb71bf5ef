//! The Library: every published page with its section, translations and
//! taxonomy terms, built once per build and read by every output stage,
//! with the queries the outputs share.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;

use crate::config::SiteConfig;
use crate::content::body::{self, MarkdownCache, Rendering};
use crate::content::links::{LinkTargets, add_section_targets, content_key};
use crate::content::loader::{Loaded, SectionIndex};
use crate::content::page::{Page, PageKind, newest_first};
use crate::content::paths;
use crate::content::sections::{Section, render_indexes, sections_pages_stand_for};
use crate::content::taxonomies::Term;
use crate::diagnostics::Diagnostic;
use crate::images::Pictures;
use crate::timing::PhaseTimer;

/// Everything the outputs need, read-only once built.
#[derive(Debug, Default)]
pub struct Library {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    /// Folders that are no section: a page has their listing's URL (see
    /// [`sections_pages_stand_for`]).
    pub sections_pages_stand_for: HashSet<(String, String)>,
    /// lang → section path → index into `sections`: nested so that a lookup
    /// by borrowed strings allocates nothing (it runs for every output).
    pub section_index: HashMap<String, HashMap<String, usize>>,
    /// Translation key → page indexes, default language first.
    pub translations: HashMap<String, Vec<usize>>,
    /// (taxonomy, lang) → terms by slug.
    pub taxonomies: HashMap<(String, String), BTreeMap<String, Term>>,
    /// Content files to copy beside the pages: (source relative to root, site path).
    pub assets: Vec<(PathBuf, String)>,
    /// The earliest publication time of a page left out because it is in the future.
    pub next_future: Option<Timestamp>,
    /// When the next published page reaches its `expiry_date`.
    pub next_expiry: Option<Timestamp>,
    /// The next moment a page changes what it shows by itself (a scheduled
    /// page becomes due, one expires, an event ends): `serve` renders again then.
    pub next_change: Option<Timestamp>,
    /// How many drafts and scheduled pages this build left out.
    pub left_out: LeftOut,
    /// Changes when any link target appears, goes or moves: every page's links may then change.
    pub links_fingerprint: u64,
    /// Every link target, kept so that one page can be rendered again alone.
    pub targets: LinkTargets,
    /// Every file published as is (static files, files beside pages), by site path.
    pub published: HashMap<String, PathBuf>,
    /// The build's images: pages' pictures and the renditions they need.
    pub pictures: Option<Arc<Pictures>>,
    /// (kind, lang) → pages, newest first.
    by_kind: HashMap<(PageKind, String), Vec<usize>>,
    /// Ids the theme uses on every page, kept to render one page again alone.
    reserved_ids: HashSet<String>,
}

/// Pages a build did not publish.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LeftOut {
    pub drafts: usize,
    pub scheduled: usize,
    /// Past their `expiry_date`.
    pub expired: usize,
}

/// What a library is built from.
pub struct LibraryInput {
    pub loaded: Vec<Loaded>,
    /// Content files that could not be read (their errors are reported), by content key.
    pub unreadable: HashSet<String>,
    /// The site's folder.
    pub root: PathBuf,
    /// Files beside the pages, relative to the site root.
    pub assets: Vec<PathBuf>,
    /// Files under `static/` and the theme's, by site path (the site's win).
    pub static_files: HashMap<String, PathBuf>,
    /// Where images get their published widths (none: shown as written).
    pub pictures: Option<Arc<Pictures>>,
    /// Ids the theme uses on every page: no heading takes one.
    pub reserved_ids: HashSet<String>,
    pub selection: Selection,
}

/// What to include in a build.
#[derive(Debug, Clone)]
pub struct Selection {
    pub drafts: bool,
    pub future: bool,
    pub now: Timestamp,
    /// A published page's link to an included draft or scheduled page is an
    /// error (checking what `build` will do) rather than a warning.
    pub unpublished_links_fail: bool,
}

impl Library {
    /// Builds the library from loaded files; problems go to `problems`.
    pub fn build(
        input: LibraryInput,
        config: &SiteConfig,
        markdown_cache: &mut MarkdownCache,
        problems: &mut Vec<Diagnostic>,
    ) -> Library {
        let timer = PhaseTimer::start();
        let mut lib = Library {
            reserved_ids: input.reserved_ids,
            pictures: input.pictures,
            ..Library::default()
        };
        let mut targets = LinkTargets {
            static_files: input.static_files.keys().cloned().collect(),
            unreadable: input.unreadable,
            ..LinkTargets::default()
        };
        let mut indexes = lib.select_pages(input.loaded, &input.selection, &mut targets);
        add_section_targets(config, &indexes, &lib.pages, &mut targets);
        lib.add_assets(config, &input.assets, &mut targets);
        lib.published = input.static_files;
        for (source, url) in &lib.assets {
            let file = input.root.join(source);
            lib.published
                .insert(url.trim_start_matches('/').to_string(), file);
        }
        let generated = generated_files(config, &lib.pages);
        let folders = (lib
            .pages
            .iter()
            .map(|p| (p.section.as_str(), p.lang.as_str())))
        .chain(
            indexes
                .iter()
                .map(|i| (i.section.as_str(), i.lang.as_str())),
        );
        problems.extend(crate::content::url_clashes::folders_sharing_a_url(
            config, folders,
        ));
        let mut made_by_build = listing_urls(config, &lib.pages, &indexes);
        lib.sections_pages_stand_for = sections_pages_stand_for(config, &lib.pages, &indexes);
        for (path, lang) in &lib.sections_pages_stand_for {
            made_by_build.remove(&paths::section_url(config, path, lang));
        }
        made_by_build.extend(generated.iter().map(|f| format!("/{f}")));
        targets.static_files.extend(generated);
        targets.urls = site_urls(&made_by_build, &lib.pages, &indexes);
        timer.lap("  pages and link targets");
        problems.extend(lib.pages.iter_mut().filter_map(Page::drop_own_url_aliases));
        lib.drop_clashing_former_urls(&made_by_build, &mut indexes, problems);
        lib.drop_aliases_on_made_up_listings(config, &mut indexes, problems);
        let clashing = lib.check_unique_urls(&input.root, &made_by_build, &indexes, problems);
        lib.drop_aliases(clashing, &mut indexes);
        // A replaced photo may change its pages' pictures: it counts as a target change.
        let files_print = markdown_cache.file_prints.of_files(&lib.published);
        lib.links_fingerprint = targets.fingerprint() ^ files_print;
        let rendering = Rendering {
            config,
            targets: &targets,
            links_print: lib.links_fingerprint,
            reserved_ids: &lib.reserved_ids,
            unpublished_links_fail: input.selection.unpublished_links_fail,
            published: &lib.published,
            pictures: lib.pictures.as_deref(),
            keep_html_packed: markdown_cache.keeps(),
        };
        body::render_pages(
            &input.root,
            &mut lib.pages,
            &rendering,
            markdown_cache,
            problems,
        );
        let rendered_indexes = render_indexes(indexes, &rendering, problems);
        problems.extend(body::check_fragments(
            &lib.pages,
            None,
            config,
            &lib.reserved_ids,
        ));
        timer.lap("  Markdown");
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
            // Events and projects are published when written; only `date`
            // (or `publish_date`) schedules a page, and `expiry_date` ends it.
            let meta = &page.meta;
            let publish = meta
                .publish_date
                .as_ref()
                .or(meta.date.as_ref())
                .map(|d| d.timestamp());
            page.is_future = publish.is_some_and(|d| d > selection.now);
            let expired = meta
                .expiry_date
                .as_ref()
                .is_some_and(|d| d.timestamp() <= selection.now);
            page.is_expired = expired;
            let hidden_draft = page.meta.draft && !selection.drafts;
            let hidden_future = (page.is_future || expired) && !selection.future;
            // A future draft never becomes due by itself: no rebuild time for it.
            if hidden_future && !hidden_draft && !expired {
                self.next_future = match (self.next_future, publish) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            // A published page that will expire: the next build after then takes it down.
            let ahead = [
                publish,
                meta.expiry_date.as_ref().map(|d| d.timestamp()),
                page.upcoming_until(),
            ];
            for at in ahead.into_iter().flatten().filter(|at| *at > selection.now) {
                self.next_change = Some(self.next_change.map_or(at, |next| next.min(at)));
            }
            // (With `--future` an expired page is shown: it has no time ahead.)
            let expiry = meta.expiry_date.as_ref().map(|d| d.timestamp());
            if let Some(at) = expiry.filter(|_| !hidden_draft && !hidden_future && !expired) {
                self.next_expiry = Some(self.next_expiry.map_or(at, |e| e.min(at)));
            }
            if hidden_draft || hidden_future {
                targets
                    .unpublished_urls
                    .insert(page.url.clone(), key.clone());
                targets.unpublished.insert(key);
                if hidden_draft {
                    self.left_out.drafts += 1;
                } else if expired {
                    self.left_out.expired += 1;
                } else {
                    self.left_out.scheduled += 1;
                }
                continue;
            }
            targets
                .pages
                .entry(key)
                .or_default()
                .insert(page.lang.clone(), page.url.clone());
            if let Some(note) = page.unpublished_note() {
                targets.not_yet.insert(page.url.clone(), note);
            }
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

    /// Files beside pages: copied once, into the default language's section
    /// folder; the files of a page bundle go beside that page.
    fn add_assets(&mut self, config: &SiteConfig, assets: &[PathBuf], targets: &mut LinkTargets) {
        let mut bundles: HashMap<String, &str> = HashMap::new();
        for page in self.pages.iter().filter(|p| p.is_bundle) {
            let key = content_key(&page.file);
            let dir = key
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_default();
            let default = page.lang == config.default_language;
            if default || !bundles.contains_key(&dir) {
                bundles.insert(dir, &page.url);
            }
        }
        let mut placed = Vec::with_capacity(assets.len());
        for asset in assets {
            let key = content_key(asset);
            let bundle = bundles.iter().find(|(dir, _)| {
                key.strip_prefix(dir.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
            });
            let url = match bundle {
                Some((dir, page_url)) => format!("{page_url}{}", &key[dir.len() + 1..]),
                None => {
                    let (dir, name) = key.rsplit_once('/').unwrap_or(("", &key));
                    format!(
                        "{}{name}",
                        paths::section_url(config, dir, &config.default_language)
                    )
                }
            };
            targets.asset_urls.insert(url.clone());
            targets.assets.insert(key.clone(), url.clone());
            placed.push((asset.clone(), url));
        }
        self.assets = placed;
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
        // A title orders pages only among those of the same date.
        if page.meta.title != old.meta.title && self.shares_its_date(index) {
            return None;
        }
        page.is_future = old.is_future;
        page.is_expired = old.is_expired;
        let key = (page.source_hash, self.links_fingerprint);
        let rendering = Rendering {
            config,
            targets: &self.targets,
            links_print: self.links_fingerprint,
            reserved_ids: &self.reserved_ids,
            unpublished_links_fail: false,
            published: &self.published,
            pictures: self.pictures.as_deref(),
            // Only the dev server patches pages, and it keeps them.
            keep_html_packed: true,
        };
        let entry = body::render_page(&page, key, &rendering);
        // Other pages may link to its headings: new ids take a full build.
        if entry.toc() != old.toc.as_slice() {
            return None;
        }
        body::apply(&mut page, &entry);
        self.pages[index] = page;
        let mut problems = entry.problems;
        problems.extend(body::check_fragments(
            &self.pages,
            Some(index),
            config,
            &self.reserved_ids,
        ));
        Some(problems)
    }

    /// Another page in its language has the same date (or none, like this
    /// one): listings, which are all of one language, then order the two by
    /// title.
    fn shares_its_date(&self, index: usize) -> bool {
        let page = &self.pages[index];
        let date = page.sort_date();
        self.pages
            .iter()
            .enumerate()
            .any(|(i, p)| i != index && p.lang == page.lang && p.sort_date() == date)
    }

    pub fn section(&self, path: &str, lang: &str) -> Option<&Section> {
        self.section_index
            .get(lang)
            .and_then(|paths| paths.get(path))
            .map(|&i| &self.sections[i])
    }

    /// The section at `path`, else the nearest one above it: a page in a
    /// folder that is no section (beside a bundle's `index.md`, as Jekyll's
    /// `_docs` are) belongs to the section that holds the folder.
    pub fn nearest_section(&self, path: &str, lang: &str) -> Option<&Section> {
        let mut path = path;
        loop {
            if let Some(section) = self.section(path, lang) {
                return Some(section);
            }
            path = &path[..path.rfind('/')?];
        }
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

    /// Events in a language, soonest first; events that start together in file order.
    pub fn events_by_start(&self, lang: &str) -> Vec<usize> {
        let mut events = self.pages_of(PageKind::Event, lang).to_vec();
        events.sort_by_key(|&i| (self.pages[i].start_time(), i));
        events
    }

    /// Events in a language that have not ended by `now`, soonest first.
    pub fn upcoming_events(&self, lang: &str, now: Timestamp) -> Vec<usize> {
        let mut events = self.events_by_start(lang);
        events.retain(|&i| self.pages[i].is_upcoming(now));
        events
    }

    /// Orders events soonest first; those that start together keep the order given.
    pub fn sort_by_start(&self, events: &mut [usize]) {
        events.sort_by_key(|&i| self.pages[i].start_time());
    }
}

/// Whether an edit leaves the page where it was in every listing, feed and
/// term page (its title may change: see [`Library::shares_its_date`]).
fn keeps_its_place(page: &Page, old: &Page) -> bool {
    page.url == old.url
        && page.lang == old.lang
        && page.kind == old.kind
        && page.translation_key == old.translation_key
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
        let section = paths::section_url(config, &page.section, &page.lang);
        push(format!("{section}atom.xml"));
        if page.kind == PageKind::Event {
            push(page.ics_url());
        }
    }
    files
}

/// Every URL a page of this build will have: pages, sections (and the
/// folders above them), taxonomy listings and terms, and redirects; a link
/// to a site path is checked against them.
fn site_urls(
    made_by_build: &HashSet<String>,
    pages: &[Page],
    indexes: &[SectionIndex],
) -> HashSet<String> {
    let mut urls = made_by_build.clone();
    for page in pages {
        urls.insert(page.url.clone());
        urls.extend(page.meta.aliases.iter().map(|a| alias_url(a)));
    }
    for index in indexes {
        urls.extend(index.meta.aliases.iter().map(|a| alias_url(a)));
    }
    urls
}

/// The URLs of the pages the build makes itself: sections (and the folders
/// above them), taxonomy listings and terms, the search pages.
fn listing_urls(config: &SiteConfig, pages: &[Page], indexes: &[SectionIndex]) -> HashSet<String> {
    let mut urls: HashSet<String> = HashSet::new();
    let add_section = |urls: &mut HashSet<String>, section: &str, lang: &str| {
        let mut path = section.to_string();
        loop {
            urls.insert(paths::section_url(config, &path, lang));
            match path.rsplit_once('/') {
                Some((parent, _)) => path = parent.to_string(),
                None if !path.is_empty() => path.clear(),
                None => break,
            }
        }
    };
    for page in pages {
        add_section(&mut urls, &page.section, &page.lang);
    }
    for index in indexes {
        add_section(&mut urls, &index.section, &index.lang);
    }
    for lang in config.language_codes() {
        add_section(&mut urls, "", &lang);
        let prefix = config.language_prefix(&lang);
        urls.insert(format!("{prefix}/tags/"));
        urls.insert(format!("{prefix}/sectors/"));
        for key in config.sectors.keys() {
            urls.insert(format!("{prefix}/sectors/{key}/"));
        }
        // A page of the site's own there (a Hugo theme's `content/search.md`) is the search page.
        let search = format!("{prefix}/search/");
        if config.search.enabled && !pages.iter().any(|page| page.url == search) {
            urls.insert(search);
        }
    }
    for page in pages {
        let prefix = config.language_prefix(&page.lang);
        for tag in &page.meta.tags {
            urls.insert(format!("{prefix}/tags/{}/", crate::translit::slugify(tag)));
        }
    }
    urls
}

/// The site path an alias redirects from, with a trailing slash for
/// folders: `/old/index.html` is the folder `/old/`.
pub fn alias_url(alias: &str) -> String {
    let path = alias.trim_start_matches('/');
    let path = match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder,
        _ => path,
    };
    let mut url = format!("/{path}");
    let last = url.rsplit('/').next().unwrap_or("");
    if !url.ends_with('/') && !last.contains('.') {
        url.push('/');
    }
    url
}
