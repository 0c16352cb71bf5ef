//! The Library: every published page with its section, translations and
//! taxonomy terms, built once per build and read by every output stage.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::frontmatter::FrontMatter;
use crate::content::links::{LinkTargets, PageLinks, content_key};
use crate::content::loader::{self, Loaded, SectionIndex};
use crate::content::page::{Page, PageKind};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Heading, RenderOptions};
use crate::translit::slugify;

/// A folder of content in one language: its own text and its pages.
#[derive(Debug, Clone)]
pub struct Section {
    /// Path under `content/` ("" for the home page).
    pub path: String,
    pub lang: String,
    pub file: Option<PathBuf>,
    pub title: String,
    pub meta: FrontMatter,
    pub content_html: String,
    pub description: String,
    pub toc: Vec<Heading>,
    pub url: String,
    /// Indexes into [`Library::pages`], in listing order.
    pub pages: Vec<usize>,
    /// Sub-sections' paths.
    pub subsections: Vec<String>,
}

/// One tag or sector in one language and the pages that carry it.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Newest first.
    pub pages: Vec<usize>,
}

/// Which taxonomies a site has: free tags and the configured sectors.
pub const TAXONOMIES: [&str; 2] = ["tags", "sectors"];

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
}

/// Rendered Markdown kept between builds of the dev server, by file.
#[derive(Default)]
pub struct MarkdownCache {
    keep: bool,
    entries: HashMap<PathBuf, CachedMarkdown>,
}

impl MarkdownCache {
    /// A cache that keeps every page's rendered Markdown for the next build.
    pub fn keeping() -> MarkdownCache {
        MarkdownCache {
            keep: true,
            entries: HashMap::new(),
        }
    }
}

#[derive(Clone)]
struct CachedMarkdown {
    /// The page's source hash and the link targets' fingerprint it was rendered with.
    key: (u64, u64),
    content_html: Arc<str>,
    summary_html: Arc<str>,
    description: String,
    toc: Vec<Heading>,
    word_count: usize,
    problems: Vec<Diagnostic>,
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
        let timer = crate::site::PhaseTimer::start();
        let mut lib = Library::default();
        let mut indexes = Vec::new();
        let mut targets = LinkTargets {
            static_files,
            ..LinkTargets::default()
        };
        for item in loaded {
            match item {
                Loaded::Index(index) => indexes.push(*index),
                Loaded::Page(mut page) => {
                    let key = content_key(&page.file);
                    // Events and projects are published when written; only `date` schedules a page.
                    let publish = page.meta.date.as_ref();
                    page.is_future = publish.is_some_and(|d| d.timestamp() > selection.now);
                    let hidden_draft = page.meta.draft && !selection.drafts;
                    let hidden_future = page.is_future && !selection.future;
                    // A future draft never becomes due by itself: no rebuild time for it.
                    if hidden_future && !hidden_draft {
                        let ts = publish.map(|d| d.timestamp());
                        lib.next_future = match (lib.next_future, ts) {
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
                    lib.pages.push(*page);
                }
            }
        }
        // Translations link to each other: a page's `.md` link resolves per language.
        let translation_urls: Vec<(String, String, String)> = lib
            .pages
            .iter()
            .map(|p| (p.translation_key.clone(), p.lang.clone(), p.url.clone()))
            .collect();
        for (key, lang, url) in translation_urls {
            let bare = format!("{key}.md");
            targets
                .pages
                .entry(bare)
                .or_default()
                .entry(lang)
                .or_insert(url);
        }
        for asset in assets {
            let key = content_key(asset);
            let (dir, name) = match key.rsplit_once('/') {
                Some((dir, name)) => (dir.to_string(), name.to_string()),
                None => (String::new(), key.clone()),
            };
            let url = format!(
                "{}{}",
                loader::section_url(config, &dir, &config.default_language),
                name
            );
            targets.assets.insert(key, url.clone());
            lib.assets.push((asset.clone(), url));
        }

        targets
            .static_files
            .extend(generated_files(config, &lib.pages));
        timer.lap("  pages and link targets");
        lib.check_unique_urls(config, problems);
        timer.lap("  unique URLs");
        lib.links_fingerprint = targets.fingerprint();
        timer.lap("  link fingerprint");
        lib.render_markdown(config, &targets, markdown_cache, problems);
        timer.lap("  Markdown");
        let rendered_indexes = render_indexes(indexes, config, &targets, problems);
        lib.build_sections(config, rendered_indexes);
        lib.build_translations(config);
        lib.build_taxonomies(config);
        lib.targets = targets;
        timer.lap("  sections, translations, taxonomies");
        lib
    }

    fn check_unique_urls(&self, config: &SiteConfig, problems: &mut Vec<Diagnostic>) {
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
                let url = alias_url(config, alias);
                if let Some(other) = seen.get(&url) {
                    if *other != page.file.as_path() {
                        problems.push(
                            Diagnostic::error(
                                &page.file,
                                format!("alias {alias} is the URL of {}", other.display()),
                            )
                            .at_field("aliases")
                            .at_line(page.meta.line_of("aliases")),
                        );
                    }
                } else {
                    seen.insert(url, &page.file);
                }
            }
        }
    }

    fn render_markdown(
        &mut self,
        config: &SiteConfig,
        targets: &LinkTargets,
        cache: &mut MarkdownCache,
        problems: &mut Vec<Diagnostic>,
    ) {
        let links = self.links_fingerprint;
        let rendered: Vec<CachedMarkdown> = self
            .pages
            .par_iter_mut()
            .map(|page| {
                let key = (page.source_hash, links);
                let cached = cache
                    .entries
                    .get(&page.file)
                    .filter(|c| c.key == key)
                    .cloned();
                let entry = cached.unwrap_or_else(|| render_page(page, key, config, targets));
                apply(page, &entry);
                entry
            })
            .collect();
        cache.entries.clear();
        for (page, entry) in self.pages.iter().zip(rendered) {
            problems.extend(entry.problems.iter().cloned());
            if cache.keep {
                cache.entries.insert(page.file.clone(), entry);
            }
        }
    }

    fn build_sections(&mut self, config: &SiteConfig, indexes: Vec<RenderedIndex>) {
        let mut sections: BTreeMap<(String, String), Section> = BTreeMap::new();
        let mut ensure = |path: &str, lang: &str| {
            // Every ancestor folder is a section too, up to the home page.
            let mut p = path.to_string();
            loop {
                sections
                    .entry((p.clone(), lang.to_string()))
                    .or_insert_with(|| empty_section(config, &p, lang));
                match p.rsplit_once('/') {
                    Some((parent, _)) => p = parent.to_string(),
                    None if !p.is_empty() => p = String::new(),
                    None => break,
                }
            }
        };
        for lang in config.language_codes() {
            ensure("", &lang);
        }
        for page in &self.pages {
            ensure(&page.section, &page.lang);
        }
        for index in &indexes {
            ensure(&index.source.section, &index.source.lang);
        }
        for index in indexes {
            if let Some(section) =
                sections.get_mut(&(index.source.section.clone(), index.source.lang.clone()))
            {
                section.title = index.source.meta.title.clone();
                section.file = Some(index.source.file.clone());
                section.description = index
                    .source
                    .meta
                    .summary
                    .clone()
                    .unwrap_or_else(|| index.rendered.summary_text.clone());
                section.content_html = index.rendered.html;
                section.toc = index.rendered.toc;
                section.meta = index.source.meta;
            }
        }
        for (i, page) in self.pages.iter().enumerate() {
            if let Some(section) = sections.get_mut(&(page.section.clone(), page.lang.clone())) {
                section.pages.push(i);
            }
        }
        let keys: Vec<(String, String)> = sections.keys().cloned().collect();
        for (path, lang) in &keys {
            if let Some((parent, _)) = path.rsplit_once('/').or(if path.is_empty() {
                None
            } else {
                Some(("", path))
            }) && let Some(s) = sections.get_mut(&(parent.to_string(), lang.clone()))
            {
                s.subsections.push(path.clone());
            }
        }
        for section in sections.values_mut() {
            let pages = &self.pages;
            section
                .pages
                .sort_by(|&a, &b| listing_order(&pages[a], &pages[b]));
        }
        self.sections = sections.into_values().collect();
        self.section_index = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.path.clone(), s.lang.clone()), i))
            .collect();
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

    fn build_taxonomies(&mut self, config: &SiteConfig) {
        let mut taxonomies: HashMap<(String, String), BTreeMap<String, Term>> = HashMap::new();
        for (i, page) in self.pages.iter().enumerate() {
            let prefix = config.language_prefix(&page.lang);
            for tag in &page.meta.tags {
                let slug = slugify(tag);
                if slug.is_empty() {
                    continue;
                }
                let terms = taxonomies
                    .entry(("tags".into(), page.lang.clone()))
                    .or_default();
                terms
                    .entry(slug.clone())
                    .or_insert_with(|| Term {
                        name: tag.clone(),
                        url: format!("{prefix}/tags/{slug}/"),
                        slug,
                        pages: Vec::new(),
                    })
                    .pages
                    .push(i);
            }
            for sector in &page.meta.sectors {
                let terms = taxonomies
                    .entry(("sectors".into(), page.lang.clone()))
                    .or_default();
                terms
                    .entry(sector.clone())
                    .or_insert_with(|| Term {
                        name: config.sector_label(sector, &page.lang).to_string(),
                        url: format!("{prefix}/sectors/{sector}/"),
                        slug: sector.clone(),
                        pages: Vec::new(),
                    })
                    .pages
                    .push(i);
            }
        }
        // Every configured sector has a page, even before anything is filed under it.
        for lang in config.language_codes() {
            let prefix = config.language_prefix(&lang);
            let terms = taxonomies
                .entry(("sectors".into(), lang.clone()))
                .or_default();
            for key in config.sectors.keys() {
                terms.entry(key.clone()).or_insert_with(|| Term {
                    name: config.sector_label(key, &lang).to_string(),
                    url: format!("{prefix}/sectors/{key}/"),
                    slug: key.clone(),
                    pages: Vec::new(),
                });
            }
            taxonomies.entry(("tags".into(), lang)).or_default();
        }
        for terms in taxonomies.values_mut() {
            for term in terms.values_mut() {
                term.pages
                    .sort_by(|&a, &b| newest_first(&self.pages[a], &self.pages[b]));
                term.pages.dedup();
            }
        }
        self.taxonomies = taxonomies;
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
        let same_place = page.url == old.url
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
            && page.meta.aliases == old.meta.aliases;
        if !same_place {
            return None;
        }
        page.is_future = old.is_future;
        let entry = render_page(
            &page,
            (page.source_hash, self.links_fingerprint),
            config,
            &self.targets,
        );
        apply(&mut page, &entry);
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

    pub fn terms(&self, taxonomy: &str, lang: &str) -> Option<&BTreeMap<String, Term>> {
        self.taxonomies
            .get(&(taxonomy.to_string(), lang.to_string()))
    }
}

/// Files the build writes besides pages (feeds, calendars…), so Markdown may link to them.
fn generated_files(config: &SiteConfig, pages: &[Page]) -> Vec<String> {
    let mut files: Vec<String> = ["sitemap.xml", "robots.txt", "syntax.css", "404.html"]
        .map(String::from)
        .to_vec();
    for lang in config.language_codes() {
        let prefix = config.language_prefix(&lang);
        files.push(
            format!("{prefix}/atom.xml")
                .trim_start_matches('/')
                .to_string(),
        );
        files.push(
            format!("{prefix}/events/calendar.ics")
                .trim_start_matches('/')
                .to_string(),
        );
    }
    for page in pages {
        let section = loader::section_url(config, &page.section, &page.lang);
        files.push(
            format!("{section}atom.xml")
                .trim_start_matches('/')
                .to_string(),
        );
        if page.kind == PageKind::Event {
            files.push(
                format!("{}{}.ics", page.url, page.slug)
                    .trim_start_matches('/')
                    .to_string(),
            );
        }
    }
    files
}

/// The site path an alias redirects from, with a trailing slash for folders.
pub fn alias_url(_config: &SiteConfig, alias: &str) -> String {
    let mut url = format!("/{}", alias.trim_start_matches('/'));
    let last = url.rsplit('/').next().unwrap_or("");
    if !url.ends_with('/') && !last.contains('.') {
        url.push('/');
    }
    url
}

/// Weight first (lighter first), then newest first, then by title.
pub fn listing_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    match (a.meta.weight, b.meta.weight) {
        (Some(x), Some(y)) if x != y => return x.cmp(&y),
        (Some(_), None) => return std::cmp::Ordering::Less,
        (None, Some(_)) => return std::cmp::Ordering::Greater,
        _ => {}
    }
    newest_first(a, b)
}

/// By date, newest first; undated pages last, by title.
pub fn newest_first(a: &Page, b: &Page) -> std::cmp::Ordering {
    b.sort_date()
        .cmp(&a.sort_date())
        .then_with(|| a.meta.title.cmp(&b.meta.title))
        .then_with(|| a.file.cmp(&b.file))
}

/// Renders one page's Markdown into what the cache keeps.
fn render_page(
    page: &Page,
    key: (u64, u64),
    config: &SiteConfig,
    targets: &LinkTargets,
) -> CachedMarkdown {
    let (r, found) = render_body(
        &page.file,
        &page.body,
        page.body_line,
        &page.lang,
        config,
        targets,
    );
    CachedMarkdown {
        key,
        content_html: r.html.into(),
        summary_html: match &page.meta.summary {
            Some(summary) => format!("<p>{}</p>", markdown::escape_html(summary)).into(),
            None => r.summary_html.into(),
        },
        description: page.meta.summary.clone().unwrap_or(r.summary_text),
        toc: r.toc,
        word_count: r.word_count,
        problems: found,
    }
}

fn apply(page: &mut Page, entry: &CachedMarkdown) {
    page.content_html = entry.content_html.clone();
    page.summary_html = entry.summary_html.clone();
    page.description = entry.description.clone();
    page.toc = entry.toc.clone();
    page.word_count = entry.word_count;
    // The Markdown is not needed after rendering; dropping it keeps memory lower.
    page.body = Arc::from("");
}

fn empty_section(config: &SiteConfig, path: &str, lang: &str) -> Section {
    let title = if path.is_empty() {
        config
            .languages
            .get(lang)
            .map(|l| l.title.clone())
            .unwrap_or_default()
    } else {
        let last = path.rsplit('/').next().unwrap_or(path);
        let mut chars = last.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default()
    };
    Section {
        path: path.to_string(),
        lang: lang.to_string(),
        file: None,
        title,
        meta: FrontMatter::default(),
        content_html: String::new(),
        description: String::new(),
        toc: Vec::new(),
        url: loader::section_url(config, path, lang),
        pages: Vec::new(),
        subsections: Vec::new(),
    }
}

struct RenderedIndex {
    source: SectionIndex,
    rendered: markdown::Rendered,
}

fn render_indexes(
    indexes: Vec<SectionIndex>,
    config: &SiteConfig,
    targets: &LinkTargets,
    problems: &mut Vec<Diagnostic>,
) -> Vec<RenderedIndex> {
    let mut out = Vec::with_capacity(indexes.len());
    for index in indexes {
        let (rendered, found) = render_body(
            &index.file,
            &index.body,
            index.body_line,
            &index.lang,
            config,
            targets,
        );
        problems.extend(found);
        out.push(RenderedIndex {
            source: index,
            rendered,
        });
    }
    out
}

/// Renders one Markdown body and turns its broken links into diagnostics.
fn render_body(
    file: &Path,
    body: &str,
    body_line: usize,
    lang: &str,
    config: &SiteConfig,
    targets: &LinkTargets,
) -> (markdown::Rendered, Vec<Diagnostic>) {
    let key = content_key(file);
    let dir = Path::new(key.rsplit_once('/').map(|(d, _)| d).unwrap_or(""));
    let links = PageLinks {
        targets,
        dir,
        lang,
        default_lang: &config.default_language,
    };
    let mut rendered = markdown::render(
        body,
        &RenderOptions {
            lang,
            links: &links,
        },
    );
    let mut problems: Vec<Diagnostic> = std::mem::take(&mut rendered.broken_links)
        .into_iter()
        .map(|b| {
            Diagnostic::error(
                file,
                format!("broken link `{}`: {}", b.destination, b.reason),
            )
            .at_line(body_line + b.body_line - 1)
        })
        .collect();
    // Not fatal: the page still builds, but readers of screen readers lose the image.
    problems.extend(
        std::mem::take(&mut rendered.images_without_alt)
            .into_iter()
            .map(|line| {
                Diagnostic::warning(
                    file,
                    "an image has no alt text: write ![what it shows](file)",
                )
                .at_line(body_line + line - 1)
            }),
    );
    (rendered, problems)
}
