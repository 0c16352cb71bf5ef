//! The checks of a page's fields that depend on its section and on
//! site.toml, and its date when its file's name gives it.

use std::path::Path;

use crate::config::SiteConfig;
use crate::content::frontmatter::{self, FrontMatter};
use crate::content::page::PageKind;
use crate::content::paths::{check_site_path, date_prefix};
use crate::diagnostics::Diagnostic;
use crate::translit::slugify;

/// As in Jekyll and Zola, `2024-01-05-name.md` is dated by its name when
/// it has no `date`; one Jekyll published though it could not read it
/// (`2023-01-29 18:30:22 2023 -0800`) is the name's too, with a warning.
pub(super) fn date_by_name(
    meta: &mut FrontMatter,
    stem: &str,
    tz: &jiff::tz::TimeZone,
    problems: &mut [Diagnostic],
) {
    if meta.date.is_some() {
        return;
    }
    let named = date_prefix(stem).and_then(|day| frontmatter::DateValue::parse(day, tz));
    if !meta.lines.contains_key("date") {
        meta.date = named;
    } else if let Some(named) = named {
        meta.date = Some(named);
        date_error_as_warning(problems, stem);
    }
}

/// The unreadable `date`'s error made a warning that says the file's name
/// dates the page.
fn date_error_as_warning(problems: &mut [Diagnostic], stem: &str) {
    let day = date_prefix(stem).unwrap_or_default();
    for problem in problems.iter_mut() {
        if problem.field.as_deref() == Some("date") && problem.is_error() {
            problem.severity = crate::diagnostics::Severity::Warning;
            problem.message = format!(
                "{}; the page is dated {day}, by its file's name",
                problem.message
            );
        }
    }
}

/// The checks that depend on the section and on site.toml.
pub(super) fn check_fields(
    rel: &Path,
    meta: &FrontMatter,
    kind: PageKind,
    config: &SiteConfig,
    problems: &mut Vec<Diagnostic>,
) {
    let err = |field: &str, message: String| {
        Diagnostic::error(rel, message)
            .at_field(field)
            .at_line(meta.line_of(field))
    };
    let missing = |field: &str| {
        Diagnostic::error(
            rel,
            format!("required field is missing for {}", kind_name(kind)),
        )
        .at_field(field)
        .at_line(1)
    };
    match kind {
        PageKind::News | PageKind::Newsletter
            if meta.date.is_none() && !meta.lines.contains_key("date") =>
        {
            problems.push(match crate::content::paths::impossible_name_date(rel) {
                Some(day) => err(
                    "date",
                    format!(
                        "required field is missing for {}, and the file name's date {day} is no day of the calendar",
                        kind_name(kind)
                    ),
                ),
                None => missing("date"),
            })
        }
        PageKind::Event if meta.start.is_none() && !meta.lines.contains_key("start") => {
            problems.push(missing("start"))
        }
        _ => {}
    }
    if let (Some(start), Some(end)) = (&meta.start, &meta.end)
        && end.ends_before(start)
    {
        problems.push(err(
            "end",
            format!(
                "ends ({}) before it starts ({})",
                end.rfc3339(),
                start.rfc3339()
            ),
        ));
    }
    check_tags_and_aliases(meta, &err, problems);
    for sector in &meta.sectors {
        if !config.sectors.contains_key(sector) {
            let known: Vec<&str> = config.sectors.keys().map(String::as_str).collect();
            problems.push(
                err("sectors", format!("unknown sector \"{sector}\"")).with_help(format!(
                    "known sectors: {} (site.toml [sectors])",
                    known.join(", ")
                )),
            );
        }
    }
    // An empty `image_alt` is allowed: it marks a decorative image.
    if meta.image.is_some() && meta.image_alt.is_none() {
        problems.push(
            Diagnostic::error(
                rel,
                "required when `image` is set: describe the image for readers who cannot see it",
            )
            .at_field("image_alt")
            .at_line(meta.line_of("image"))
            .with_help("write `image_alt: \"\"` only for a purely decorative image"),
        );
    }
    if let Some(days) = meta.events_days
        && days < 0
    {
        problems.push(err("events_days", "must not be negative".into()));
    }
}

/// Tags and aliases become URLs: each must make one.
fn check_tags_and_aliases(
    meta: &FrontMatter,
    err: &dyn Fn(&str, String) -> Diagnostic,
    problems: &mut Vec<Diagnostic>,
) {
    for tag in &meta.tags {
        let slug = slugify(tag);
        if slug.is_empty() {
            problems.push(
                err(
                    "tags",
                    format!("the tag \"{tag}\" has no letters or digits to make a URL of"),
                )
                .with_help("use a tag with letters or digits, not only symbols"),
            );
        }
        if let Err(why) = crate::content::paths::check_name_length(&slug) {
            problems.push(err(
                "tags",
                format!(
                    "the tag \"{}…\" {why}",
                    tag.chars().take(20).collect::<String>()
                ),
            ));
        }
    }
    check_aliases(meta, err, problems);
}

/// Each alias is a path the site can hold and a static server can find.
pub(super) fn check_aliases(
    meta: &FrontMatter,
    err: &dyn Fn(&str, String) -> Diagnostic,
    problems: &mut Vec<Diagnostic>,
) {
    for alias in &meta.aliases {
        if let Err(why) = check_site_path(alias) {
            problems.push(err("aliases", format!("\"{alias}\" {why}")));
        } else if alias.contains(['?', '#']) {
            // A static server finds a file by its path alone.
            problems.push(err(
                "aliases",
                format!("\"{alias}\" has a query or fragment, which a static site cannot redirect"),
            ));
        }
    }
}

fn kind_name(kind: PageKind) -> &'static str {
    match kind {
        PageKind::News => "news",
        PageKind::Event => "events",
        PageKind::Project => "projects",
        PageKind::Newsletter => "newsletter issues",
        PageKind::Page => "pages",
    }
}
