//! A page: one Markdown file in one language, with what the build derives from it.

use std::path::PathBuf;
use std::sync::Arc;

use crate::content::frontmatter::FrontMatter;
use crate::markdown::Heading;

/// What a page is, decided by the top-level folder it lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    News,
    Event,
    Project,
    Newsletter,
    /// A standalone page or a page in any other section.
    Page,
}

impl PageKind {
    /// The kind of the pages in a top-level content folder.
    pub fn of_section(section: &str) -> PageKind {
        match section.split('/').next().unwrap_or("") {
            "news" => PageKind::News,
            "events" => PageKind::Event,
            "projects" => PageKind::Project,
            "newsletter" => PageKind::Newsletter,
            _ => PageKind::Page,
        }
    }

    /// The template a page of this kind is rendered with unless it names its own.
    pub fn template(self) -> &'static str {
        match self {
            PageKind::News => "news.html",
            PageKind::Event => "event.html",
            PageKind::Project => "project.html",
            PageKind::Newsletter => "newsletter.html",
            PageKind::Page => "page.html",
        }
    }
}

/// One content file, loaded and rendered.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the site root, e.g. `content/news/foo.md`.
    pub file: PathBuf,
    /// Section path relative to `content/` ("" for pages at the root).
    pub section: String,
    pub kind: PageKind,
    pub lang: String,
    /// Shared by a page and its translations: the path under `content/` without language and `.md`.
    pub translation_key: String,
    pub slug: String,
    /// Site path, e.g. `/news/foo/` or `/en/news/foo/`.
    pub url: String,
    pub meta: FrontMatter,
    /// Markdown after the front matter; `None` once rendered (the dev server
    /// keeps every page's HTML, not its Markdown too: the file is read again
    /// in the rare case its Markdown must be rendered again).
    pub body: Option<Arc<str>>,
    /// Line in the file where the body starts, for messages.
    pub body_line: usize,
    pub content_html: crate::content::html_text::HtmlText,
    pub summary_html: Arc<str>,
    /// The summary as plain text, for meta descriptions, feeds and the digest.
    pub description: String,
    pub toc: Vec<Heading>,
    pub word_count: usize,
    /// Published after the build time.
    pub is_future: bool,
    /// Past its `expiry_date` (shown only when expired pages are included).
    pub is_expired: bool,
    /// A hash of the file's text and of the fields its sections hand down
    /// (`cascade_print`): the dev server re-renders only what changed, and
    /// a kept body is reused only for the same.
    pub source_hash: u64,
    /// A hash of the fields its sections' `cascade` hands down (0 for none).
    pub cascade_print: u64,
    /// `news/partner/index.md`: the files of its folder are published beside it.
    pub is_bundle: bool,
    /// The lead image's site path (or URL), once resolved like a link.
    pub image_url: Option<String>,
    /// Links to `#fragments`, checked once every page's ids are known.
    pub fragment_links: Vec<crate::markdown::FragmentLink>,
    /// The lead image's width and height as shown: its default rendition's, else its file's.
    pub image_size: Option<(u32, u32)>,
    /// The lead image's published widths, for a JPEG, PNG or WebP of the site.
    pub picture: Option<crate::images::Picture>,
    /// When the file was last changed: a calendar's DTSTAMP when `updated` is not given.
    pub modified: Option<jiff::Timestamp>,
}

impl Page {
    /// The URL of the lead image as pages show it: its default rendition
    /// for a resized image, else the image as written.
    pub fn shown_image(&self) -> Option<&str> {
        match &self.picture {
            Some(picture) => Some(&picture.src),
            None => self.image_url.as_deref(),
        }
    }

    /// The date listings sort by: `date`, else `start`.
    pub fn sort_date(&self) -> Option<jiff::Timestamp> {
        self.meta
            .date
            .as_ref()
            .or(self.meta.start.as_ref())
            .map(|d| d.timestamp())
    }

    pub fn reading_minutes(&self) -> usize {
        self.word_count.div_ceil(200).max(1)
    }
}

impl Page {
    /// Whether an event has not ended by `now` (a bare date runs to the end of its day).
    pub fn is_upcoming(&self, now: jiff::Timestamp) -> bool {
        self.upcoming_until().is_some_and(|end| end >= now)
    }

    /// When an event ends: its `end`, else its `start`, a bare date at the
    /// end of its day.
    pub fn upcoming_until(&self) -> Option<jiff::Timestamp> {
        let end = self.meta.end.as_ref().or(self.meta.start.as_ref())?;
        if end.has_time {
            Some(end.timestamp())
        } else {
            end.zoned.end_of_day().ok().map(|z| z.timestamp())
        }
    }

    /// Drops the aliases that are the page's own URL (a migrated page often
    /// lists its old address, which is its new one too): harmless, but a
    /// redirect there would replace the page. One warning names them.
    pub fn drop_own_url_aliases(&mut self) -> Option<crate::diagnostics::Diagnostic> {
        drop_own_url_aliases(&self.file, &mut self.meta, &self.url)
    }

    /// The site path of an event's own calendar file.
    pub fn ics_url(&self) -> String {
        format!("{}{}.ics", self.url, self.slug)
    }

    /// Whether the page is shown in this run but not published yet.
    pub fn unpublished_note(&self) -> Option<crate::diagnostics::Unpublished> {
        use crate::diagnostics::Unpublished;
        if self.meta.draft {
            Some(Unpublished::Draft)
        } else if self.is_expired {
            Some(Unpublished::Expired)
        } else if self.is_future {
            Some(Unpublished::Scheduled)
        } else {
            None
        }
    }

    /// Whether an event with times ends on the day it starts (in its own time zone).
    pub fn ends_same_day(&self) -> bool {
        match (&self.meta.start, &self.meta.end) {
            (Some(start), Some(end)) => {
                start.has_time && end.has_time && start.zoned.date() == end.zoned.date()
            }
            _ => false,
        }
    }

    /// Whether an event's end is worth showing after its start: not a bare
    /// date naming the day a timed start is already on.
    pub fn end_adds_a_day(&self) -> bool {
        match (&self.meta.start, &self.meta.end) {
            (Some(start), Some(end)) => end.has_time || start.zoned.date() != end.zoned.date(),
            (None, Some(_)) => true,
            _ => false,
        }
    }

    /// When an event starts, for ordering events soonest first.
    pub fn start_time(&self) -> Option<jiff::Timestamp> {
        self.meta.start.as_ref().map(|d| d.timestamp())
    }
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

/// Leaves out the aliases of a page or listing at `url` that name `url`
/// itself (nothing to redirect), with a warning.
pub fn drop_own_url_aliases(
    file: &std::path::Path,
    meta: &mut FrontMatter,
    url: &str,
) -> Option<crate::diagnostics::Diagnostic> {
    let own: Vec<String> = meta
        .aliases
        .iter()
        .filter(|alias| crate::content::library::alias_url(alias) == url)
        .cloned()
        .collect();
    if own.is_empty() {
        return None;
    }
    meta.aliases.retain(|alias| !own.contains(alias));
    let mut d = crate::diagnostics::Diagnostic::error(
        file,
        format!("alias {} is this page's own URL; left out", own.join(", ")),
    )
    .at_field("aliases")
    .at_line(meta.line_of("aliases"))
    .with_help(format!("the page is at {url} already: remove the alias"));
    d.severity = crate::diagnostics::Severity::Warning;
    Some(d)
}
