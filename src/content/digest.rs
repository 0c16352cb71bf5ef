//! What goes into an issue: the news published since the last issue, the
//! projects published or updated since then, and the events starting soon,
//! in one language, optionally for chosen sectors; never a draft.

use jiff::{Span, Timestamp};

use crate::config::SiteConfig;
use crate::content::{Library, Page, PageKind};

/// The content of one issue in one language.
#[derive(Debug, Clone)]
pub struct Digest {
    /// Index of the issue page in the library (in the digest's language).
    pub issue: usize,
    pub lang: String,
    /// News, newest first.
    pub news: Vec<usize>,
    /// Events, soonest first.
    pub events: Vec<usize>,
    /// Projects published or updated in the window, newest first.
    pub projects: Vec<usize>,
    pub since: Timestamp,
    pub until: Timestamp,
    pub events_until: Timestamp,
}

/// Why an issue cannot be found.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error("no newsletter issue content/newsletter/{name}.md\nissues: {known}")]
    NoIssue { name: String, known: String },
    #[error("the issue content/newsletter/{0}.md has no date")]
    NoDate(String),
}

/// The issue page in `lang`, falling back to the default language.
pub fn find_issue(
    library: &Library,
    config: &SiteConfig,
    name: &str,
    lang: &str,
) -> Result<usize, DigestError> {
    let name = name
        .trim_end_matches(".md")
        .trim_start_matches("newsletter/");
    let key = format!("newsletter/{name}");
    let no_issue = || DigestError::NoIssue {
        name: name.to_string(),
        known: issue_names(library),
    };
    let group = library.translations.get(&key).ok_or_else(no_issue)?;
    group
        .iter()
        .copied()
        .find(|&i| library.pages[i].lang == lang)
        .or_else(|| {
            group
                .iter()
                .copied()
                .find(|&i| library.pages[i].lang == config.default_language)
        })
        .or_else(|| group.first().copied())
        .ok_or_else(no_issue)
}

/// The site's issues by the name commands take, newest first.
fn issue_names(library: &Library) -> String {
    let mut issues: Vec<(Option<Timestamp>, &str)> = library
        .translations
        .keys()
        .filter_map(|key| key.strip_prefix("newsletter/"))
        .map(|name| {
            let date = library.translations[&format!("newsletter/{name}")]
                .iter()
                .find_map(|&i| library.pages[i].meta.date.as_ref().map(|d| d.timestamp()));
            (date, name)
        })
        .collect();
    issues.sort_by(|a, b| b.cmp(a));
    match issues.is_empty() {
        true => "none yet: `dunav new newsletter \"…\"` starts one".to_string(),
        false => issues
            .iter()
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Collects an issue's news and events in the issue page's language.
/// `sectors`, when not empty, keeps only items filed under one of them.
pub fn collect(
    library: &Library,
    config: &SiteConfig,
    issue: usize,
    sectors: &[String],
) -> Result<Digest, DigestError> {
    let page = &library.pages[issue];
    let name = page
        .translation_key
        .trim_start_matches("newsletter/")
        .to_string();
    let until = page
        .meta
        .date
        .as_ref()
        .ok_or(DigestError::NoDate(name))?
        .timestamp();
    let since = match &page.meta.since {
        Some(since) => since.timestamp(),
        None => previous_issue_date(library, page, until).unwrap_or_else(|| {
            until
                .checked_sub(Span::new().hours(30 * 24))
                .unwrap_or(until)
        }),
    };
    let days = page
        .meta
        .events_days
        .unwrap_or(config.newsletter.events_days)
        .max(0);
    let events_until = until
        .checked_add(Span::new().hours(days * 24))
        .unwrap_or(until);
    let lang = page.lang.clone();
    // A mail run loads drafts too (an issue may be previewed as a draft): they are never mailed.
    let wanted = |p: &Page| {
        !p.meta.draft && (sectors.is_empty() || p.meta.sectors.iter().any(|s| sectors.contains(s)))
    };
    let in_window = |d: Option<&super::frontmatter::DateValue>| {
        d.is_some_and(|d| d.timestamp() > since && d.timestamp() <= until)
    };
    let news: Vec<usize> = library
        .pages_of(PageKind::News, &lang)
        .iter()
        .copied()
        .filter(|&i| wanted(&library.pages[i]) && in_window(library.pages[i].meta.date.as_ref()))
        .collect();
    let projects: Vec<usize> = library
        .pages_of(PageKind::Project, &lang)
        .iter()
        .copied()
        .filter(|&i| {
            let meta = &library.pages[i].meta;
            wanted(&library.pages[i])
                && (in_window(meta.date.as_ref()) || in_window(meta.updated.as_ref()))
        })
        .collect();
    let events: Vec<usize> = library
        .events_by_start(&lang)
        .into_iter()
        .filter(|&i| wanted(&library.pages[i]))
        .filter(|&i| {
            let start = library.pages[i].start_time();
            start.is_some_and(|d| d >= until && d <= events_until)
        })
        .collect();
    Ok(Digest {
        issue,
        lang,
        news,
        events,
        projects,
        since,
        until,
        events_until,
    })
}

/// The date of the latest issue before this one, in the same language; a
/// draft was never sent, so it does not shorten the next issue's window.
fn previous_issue_date(library: &Library, page: &Page, until: Timestamp) -> Option<Timestamp> {
    library
        .pages_of(PageKind::Newsletter, &page.lang)
        .iter()
        .map(|&i| &library.pages[i])
        .filter(|p| p.translation_key != page.translation_key && !p.meta.draft)
        .filter_map(|p| p.meta.date.as_ref().map(|d| d.timestamp()))
        .filter(|d| *d < until)
        .max()
}
