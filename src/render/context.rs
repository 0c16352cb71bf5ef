//! The data templates see. Each page's data is turned into a Tera value once
//! and shared (Tera values are reference-counted) by every listing that shows it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use serde::Serialize;
use tera::Value;

use crate::config::SiteConfig;
use crate::content::frontmatter::{DateValue, EventLocation};
use crate::content::{Library, Page, PageKind, Section};

/// A link with a label, as templates use it for tags, sectors and menus.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct Link {
    pub name: String,
    pub url: String,
    pub slug: String,
}

/// The fields every listing shows of a page.
#[derive(Serialize)]
struct PageSummary<'a> {
    title: &'a str,
    url: &'a str,
    permalink: String,
    kind: PageKind,
    lang: &'a str,
    section: &'a str,
    date: Option<&'a DateValue>,
    updated: Option<&'a DateValue>,
    /// HTML: the text up to `<!-- more -->` or the first paragraph.
    summary: &'a str,
    /// Plain text for meta descriptions.
    description: &'a str,
    image: Option<String>,
    image_alt: Option<&'a str>,
    image_width: Option<u32>,
    image_height: Option<u32>,
    /// The lead image's published widths (`srcset`, `webp_srcset`, mail sizes).
    picture: Option<&'a crate::images::Picture>,
    author: Option<&'a str>,
    // `tags` and `sectors` are added from [`TermLinks`].
    draft: bool,
    future: bool,
    /// Past its `expiry_date`: shown only by `serve` and `--future`.
    expired: bool,
    weight: Option<i64>,
    reading_time: usize,
    word_count: usize,
    // Events.
    start: Option<&'a DateValue>,
    end: Option<&'a DateValue>,
    has_time: bool,
    end_has_time: bool,
    /// The end says more than the start: not the start's own day, as a date.
    end_shown: bool,
    /// An event with times that ends on its first day: show "10:00–12:00".
    same_day: bool,
    location: Option<&'a EventLocation>,
    registration: Option<&'a str>,
    ics_url: Option<String>,
    upcoming: bool,
    // Projects.
    status: Option<crate::content::frontmatter::ProjectStatus>,
    partners: &'a [String],
    programme: Option<&'a str>,
    website: Option<&'a str>,
    extra: &'a BTreeMap<String, serde_json::Value>,
}

/// Tag and sector links as template values, one per language and term,
/// shared by every summary that shows it: made for each page, the links
/// of 10,000 pages took 17 MB, a fifth of their summaries. A term seen
/// before is found by its name, without making its link (a slug) again.
#[derive(Default)]
pub struct TermLinks(Mutex<HashMap<TermKey, (String, Value)>>);

/// The taxonomy's folder (`tags`, `sectors`), the language, the term as written.
type TermKey = (&'static str, String, String);

impl TermLinks {
    /// The links of `terms` in `lang`, one per term page: spellings that
    /// share a page (`AI`, `ai`) are one chip. `link` makes a link the
    /// first time.
    fn values(
        &self,
        taxonomy: &'static str,
        lang: &str,
        terms: &[String],
        link: impl Fn(&str) -> Link,
    ) -> Value {
        let mut urls: Vec<String> = Vec::with_capacity(terms.len());
        let mut first_of_its_page = |url: &str| {
            let new = !urls.iter().any(|u| u == url);
            if new {
                urls.push(url.to_string());
            }
            new
        };
        let Ok(mut made) = self.0.lock() else {
            let links: Vec<Link> = terms
                .iter()
                .map(|t| link(t))
                .filter(|l| first_of_its_page(&l.url))
                .collect();
            return Value::from_serializable(&links);
        };
        let values: Vec<Value> = terms
            .iter()
            .filter_map(|term| {
                let (url, value) = made
                    .entry((taxonomy, lang.to_string(), term.clone()))
                    .or_insert_with(|| {
                        let link = link(term);
                        (link.url.clone(), Value::from_serializable(&link))
                    });
                first_of_its_page(url).then(|| value.clone())
            })
            .collect();
        Value::from(values)
    }
}

/// A page as listings see it; its tag and sector links are taken from `links`.
pub fn page_summary(
    page: &Page,
    config: &SiteConfig,
    now: jiff::Timestamp,
    links: &TermLinks,
) -> Value {
    let prefix = config.language_prefix(&page.lang);
    let summary = PageSummary {
        title: &page.meta.title,
        url: &page.url,
        permalink: config.absolute_url(&page.url),
        kind: page.kind,
        lang: &page.lang,
        section: &page.section,
        date: page.meta.date.as_ref(),
        updated: page.meta.updated.as_ref(),
        summary: &page.summary_html,
        description: &page.description,
        image: page.shown_image().map(str::to_string),
        picture: page.picture.as_ref(),
        image_width: page.image_size.map(|(w, _)| w),
        image_height: page.image_size.map(|(_, h)| h),
        image_alt: page.meta.image_alt.as_deref(),
        author: page.meta.author.as_deref(),
        draft: page.meta.draft,
        future: page.is_future,
        expired: page.is_expired,
        weight: page.meta.weight,
        reading_time: page.reading_minutes(),
        word_count: page.word_count,
        start: page.meta.start.as_ref(),
        end: page.meta.end.as_ref(),
        has_time: page.meta.start.as_ref().is_some_and(|s| s.has_time),
        end_has_time: page.meta.end.as_ref().is_some_and(|e| e.has_time),
        end_shown: page.end_adds_a_day(),
        same_day: page.ends_same_day(),
        location: page.meta.location.as_ref(),
        registration: page.meta.registration.as_deref(),
        ics_url: (page.kind == PageKind::Event).then(|| page.ics_url()),
        upcoming: page.kind == PageKind::Event && page.is_upcoming(now),
        status: page.meta.status,
        partners: &page.meta.partners,
        programme: page.meta.programme.as_deref(),
        website: page.meta.website.as_deref(),
        extra: &page.meta.extra,
    };
    let tags = links.values("tags", &page.lang, &page.meta.tags, |t| {
        let slug = crate::translit::slugify(t);
        Link {
            name: t.to_string(),
            url: format!("{prefix}/tags/{slug}/"),
            slug,
        }
    });
    let sectors = links.values("sectors", &page.lang, &page.meta.sectors, |s| Link {
        name: config.sector_label(s, &page.lang).to_string(),
        url: format!("{prefix}/sectors/{s}/"),
        slug: s.to_string(),
    });
    let mut map = Value::from_serializable(&summary)
        .into_map()
        .unwrap_or_default();
    map.insert("tags".into(), tags);
    map.insert("sectors".into(), sectors);
    Value::from(map)
}

/// A whole page for its own template: the summary fields plus content,
/// neighbours (lower, higher) and related pages.
pub fn page_full(
    page: &Page,
    summary: &Value,
    library: &Library,
    (lower, higher): (Option<&Value>, Option<&Value>),
    related: Value,
) -> Value {
    let mut map: tera::Map = summary.as_map().cloned().unwrap_or_default();
    map.insert(
        "content".into(),
        Value::safe_string(&page.content_html.text()),
    );
    map.insert("toc".into(), Value::from_serializable(&page.toc));
    map.insert(
        "file".into(),
        Value::from(page.file.to_string_lossy().replace('\\', "/")),
    );
    let translations: Vec<TranslationLink> = library
        .translations_of(page)
        .map(|p| TranslationLink {
            lang: p.lang.clone(),
            url: p.url.clone(),
            title: p.meta.title.clone(),
        })
        .collect();
    map.insert(
        "translations".into(),
        Value::from_serializable(&translations),
    );
    map.insert("lower".into(), lower.cloned().unwrap_or(Value::none()));
    map.insert("higher".into(), higher.cloned().unwrap_or(Value::none()));
    map.insert("related".into(), related);
    Value::from(map)
}

/// One entry of the language switch: the page in that language, or (not
/// `translated`) the nearest page that language has: the section or the home page.
#[derive(Debug, Clone, Serialize)]
pub struct SwitchLink {
    pub lang: String,
    pub url: String,
    pub translated: bool,
}

/// Another language's version of the current page.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationLink {
    pub lang: String,
    pub url: String,
    pub title: String,
}

/// A section for templates, without its pages (those come in the paginator).
pub fn section_value(section: &Section, config: &SiteConfig) -> Value {
    #[derive(Serialize)]
    struct SectionValue<'a> {
        title: &'a str,
        path: &'a str,
        url: &'a str,
        permalink: String,
        lang: &'a str,
        content: &'a str,
        description: &'a str,
        page_count: usize,
        subsections: &'a [String],
        extra: &'a BTreeMap<String, serde_json::Value>,
    }
    let mut value = Value::from_serializable(&SectionValue {
        title: &section.title,
        path: &section.path,
        url: &section.url,
        permalink: config.absolute_url(&section.url),
        lang: &section.lang,
        content: "",
        description: &section.description,
        page_count: section.pages.len(),
        subsections: &section.subsections,
        extra: &section.meta.extra,
    });
    if let Some(map) = value.as_map() {
        let mut map = map.clone();
        map.insert("content".into(), Value::safe_string(&section.content_html));
        value = Value::from(map);
    }
    value
}

/// One page of a paginated listing.
#[derive(Serialize)]
pub struct Paginator {
    pub pages: Vec<Value>,
    /// 1-based.
    pub current_index: usize,
    pub number_pagers: usize,
    pub total_pages: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Every pager's URL, for numbered pagination.
    pub pagers: Vec<Pager>,
}

/// A link to one page of a listing.
#[derive(Serialize, Clone)]
pub struct Pager {
    pub index: usize,
    pub url: String,
    /// Pages were skipped before this one: show an ellipsis.
    pub gap_before: bool,
}

/// The pagers to show: the first, the last and two either side of the current one.
fn pager_window(base: &str, current: usize, count: usize) -> Vec<Pager> {
    let mut pagers = Vec::new();
    let mut last_shown = 0;
    for index in 1..=count {
        if index == 1 || index == count || index.abs_diff(current) <= 2 {
            pagers.push(Pager {
                index,
                url: pager_url(base, index),
                gap_before: index > last_shown + 1,
            });
            last_shown = index;
        }
    }
    pagers
}

/// The URL of listing page `index` (1-based) under `base`.
pub fn pager_url(base: &str, index: usize) -> String {
    if index <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{index}/")
    }
}

/// Page `index` of `count` of a listing of `total` items, showing `pages`.
pub fn paginator(
    base: &str,
    pages: Vec<Value>,
    index: usize,
    count: usize,
    total: usize,
) -> Paginator {
    Paginator {
        pages,
        current_index: index,
        number_pagers: count,
        total_pages: total,
        first: pager_url(base, 1),
        last: pager_url(base, count),
        previous: (index > 1).then(|| pager_url(base, index - 1)),
        next: (index < count).then(|| pager_url(base, index + 1)),
        pagers: pager_window(base, index, count),
    }
}

/// `config` as templates see it, for one language.
pub fn config_value(config: &SiteConfig, lang: &str, library: &Library) -> Value {
    #[derive(Serialize)]
    struct Language {
        code: String,
        name: String,
        url: String,
    }
    #[derive(Serialize)]
    struct ConfigValue<'a> {
        base_url: &'a str,
        title: &'a str,
        description: &'a str,
        lang: &'a str,
        default_language: &'a str,
        languages: Vec<Language>,
        sectors: Vec<Link>,
        menu: Vec<Link>,
        short_name: Option<&'a str>,
        /// What mail calls the site: the short name, else the title.
        name: &'a str,
        footer: &'a str,
        /// The privacy page in this language (else the default one's), if the site has one.
        privacy_url: Option<String>,
        newsletter_endpoint: &'a str,
        /// The search page in this language, when search is on.
        search_url: Option<String>,
        timezone: &'a str,
        extra: &'a BTreeMap<String, toml::Value>,
    }
    let language = config.languages.get(lang);
    let prefix = config.language_prefix(lang);
    let menu = menu_links(config, lang, library);
    let title = language.map(|l| l.title.as_str()).unwrap_or("");
    Value::from_serializable(&ConfigValue {
        base_url: config.base(),
        title,
        description: language.map(|l| l.description.as_str()).unwrap_or(""),
        lang,
        default_language: &config.default_language,
        languages: config
            .language_codes()
            .into_iter()
            .map(|code| Language {
                name: config
                    .languages
                    .get(&code)
                    .and_then(|l| l.name.clone())
                    .unwrap_or_else(|| code.clone()),
                url: format!("{}/", config.language_prefix(&code)),
                code,
            })
            .collect(),
        sectors: config
            .sectors
            .keys()
            .map(|key| Link {
                name: config.sector_label(key, lang).to_string(),
                url: format!("{prefix}/sectors/{key}/"),
                slug: key.clone(),
            })
            .collect(),
        menu,
        short_name: language.and_then(|l| l.short_name.as_deref()),
        name: config.short_name(lang),
        footer: language.and_then(|l| l.footer.as_deref()).unwrap_or(title),
        privacy_url: resolve_entry(&config.newsletter.privacy_page, lang, config, library)
            .map(|l| l.url),
        newsletter_endpoint: &config.newsletter.endpoint,
        search_url: config.search.enabled.then(|| format!("{prefix}/search/")),
        timezone: &config.timezone,
        extra: &config.extra,
    })
}

/// The main menu in one language: `[menu]` entries resolved to sections or pages.
pub fn menu_links(config: &SiteConfig, lang: &str, library: &Library) -> Vec<Link> {
    config
        .menu
        .iter()
        .filter_map(|entry| resolve_entry(entry, lang, config, library))
        .collect()
}

/// A menu entry's content path: a file's name as written in content/
/// (`about.md`, `news/_index.md`) names the same page or section as its path.
pub fn menu_path(entry: &str) -> &str {
    let entry = entry.trim_matches('/');
    let entry = entry.strip_prefix("content/").unwrap_or(entry);
    let entry = entry.strip_suffix(".md").unwrap_or(entry);
    ["_index", "index"]
        .iter()
        .find_map(|name| match entry.strip_suffix(name)? {
            "" => Some(""),
            folder => folder.strip_suffix('/'),
        })
        .unwrap_or(entry)
}

/// A content path from site.toml (`news`, `about`) as a link in `lang`: the
/// section, else the page, else the default language's page; `None` if the
/// site has neither.
pub fn resolve_entry(
    entry: &str,
    lang: &str,
    config: &SiteConfig,
    library: &Library,
) -> Option<Link> {
    let entry = menu_path(entry);
    if entry.is_empty() {
        return None;
    }
    if let Some(section) = library.section(entry, lang) {
        return Some(Link {
            name: section.title.clone(),
            url: section.url.clone(),
            slug: entry.into(),
        });
    }
    let group = library.translations.get(entry)?;
    let pages = || group.iter().map(|&i| &library.pages[i]);
    let page = pages()
        .find(|p| p.lang == lang)
        .or_else(|| pages().find(|p| p.lang == config.default_language))?;
    Some(Link {
        name: page.meta.title.clone(),
        url: page.url.clone(),
        slug: entry.into(),
    })
}
