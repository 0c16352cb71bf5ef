//! Finding content files on disk and reading them, in parallel, into pages
//! and section indexes; every problem is collected, none stops the others.

use std::path::{Component, Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::frontmatter::{self, FrontMatter};
use crate::content::page::{Page, PageKind};
use crate::diagnostics::Diagnostic;
use crate::translit::slugify;

/// The folder under the site root that holds Markdown content.
pub const CONTENT_DIR: &str = "content";

/// What was found under `content/`.
#[derive(Debug, Default)]
pub struct ContentFiles {
    /// Page and section-index Markdown files, relative to the site root.
    pub markdown: Vec<PathBuf>,
    /// Other files (images, PDFs) to copy beside the pages.
    pub assets: Vec<PathBuf>,
}

/// Lists the files under `content/`, reporting unreadable folders and link loops.
pub fn discover(root: &Path, problems: &mut Vec<Diagnostic>) -> ContentFiles {
    let mut files = ContentFiles::default();
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        problems.push(Diagnostic::error(
            CONTENT_DIR,
            "the content folder is missing",
        ));
        return files;
    }
    for entry in walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| CONTENT_DIR.into());
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop; remove the link".to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error().map(|e| e.to_string()).unwrap_or_default()
                    )
                };
                problems.push(Diagnostic::error(path, message));
                continue;
            }
        };
        if !entry.file_type().is_file() || is_ignored(entry.file_name()) {
            continue;
        }
        let rel = relative(root, entry.path());
        if entry.path().extension().is_some_and(|e| e == "md") {
            files.markdown.push(rel);
        } else {
            files.assets.push(rel);
        }
    }
    files
}

/// Editor swap files, backups and hidden files are never content.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A section's own file, `_index.md`, read but not yet rendered.
#[derive(Debug, Clone)]
pub struct SectionIndex {
    pub file: PathBuf,
    pub section: String,
    pub lang: String,
    pub meta: FrontMatter,
    pub body: String,
    pub body_line: usize,
}

/// One Markdown file, read.
#[derive(Debug, Clone)]
pub enum Loaded {
    Page(Box<Page>),
    Index(Box<SectionIndex>),
}

/// Where a content file sits: its section, language and translation key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentPath {
    pub section: String,
    pub lang: String,
    pub stem: String,
    pub is_index: bool,
}

/// Reads `content/news/foo.en.md` as section `news`, language `en`, stem `foo`.
pub fn parse_content_path(rel: &Path, config: &SiteConfig) -> Result<ContentPath, String> {
    let inner = rel.strip_prefix(CONTENT_DIR).unwrap_or(rel);
    let file_name = inner
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("the file name is not valid UTF-8")?;
    let base = file_name.strip_suffix(".md").unwrap_or(file_name);
    let (stem, lang) = match base.rsplit_once('.') {
        Some((stem, lang)) if config.languages.contains_key(lang) => (stem, lang.to_string()),
        Some((_, lang)) if lang.len() == 2 && lang.chars().all(|c| c.is_ascii_lowercase()) => {
            return Err(format!(
                "language `{lang}` is not in site.toml [languages]; add it there or rename the file"
            ));
        }
        _ => (base, config.default_language.clone()),
    };
    let mut section = String::new();
    if let Some(parent) = inner.parent() {
        for component in parent.components() {
            let Component::Normal(name) = component else {
                return Err("the path leaves the content folder".into());
            };
            let name = name.to_str().ok_or("a folder name is not valid UTF-8")?;
            if !section.is_empty() {
                section.push('/');
            }
            section.push_str(name);
        }
    }
    Ok(ContentPath {
        section,
        lang,
        stem: stem.to_string(),
        is_index: stem == "_index",
    })
}

/// The file stem without a leading `YYYY-MM-DD-` date.
pub fn strip_date_prefix(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    let is_date = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
        && (bytes[10] == b'-' || bytes[10] == b'_');
    if is_date { &stem[11..] } else { stem }
}

/// The URL path of a section: `/news/` or `/en/news/`; the root section is `/` or `/en/`.
pub fn section_url(config: &SiteConfig, section: &str, lang: &str) -> String {
    let mut url = config.language_prefix(lang);
    for part in section.split('/').filter(|p| !p.is_empty()) {
        url.push('/');
        url.push_str(&slugify_keep(part));
    }
    url.push('/');
    url
}

/// Slugifies a path part but keeps plain ASCII names as they are written.
fn slugify_keep(part: &str) -> String {
    if part
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        part.to_string()
    } else {
        slugify(part)
    }
}

/// Reads one Markdown file into a page or a section index.
pub fn load_one(
    root: &Path,
    rel: &Path,
    config: &SiteConfig,
    tz: &jiff::tz::TimeZone,
) -> Result<Loaded, Vec<Diagnostic>> {
    let shown = rel.to_string_lossy().replace('\\', "/");
    let bytes = std::fs::read(root.join(rel))
        .map_err(|e| vec![Diagnostic::error(rel, format!("cannot read the file: {e}"))])?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        vec![Diagnostic::error(rel, "the file is not valid UTF-8; save it as UTF-8").at_line(line)]
    })?;
    let text = normalise_text(text);
    let source_hash = crate::fingerprint::of(&text);
    let place = parse_content_path(rel, config).map_err(|m| vec![Diagnostic::error(rel, m)])?;
    let split =
        frontmatter::split(&text).map_err(|m| vec![Diagnostic::error(rel, m).at_line(1)])?;
    let meta = frontmatter::parse(split.front_matter, split.front_matter_line, &shown, tz)?;
    let body: std::sync::Arc<str> = split.body.into();
    let body_line = split.body_line;
    if place.is_index {
        return Ok(Loaded::Index(Box::new(SectionIndex {
            file: rel.to_path_buf(),
            section: place.section,
            lang: place.lang,
            meta,
            body: body.to_string(),
            body_line,
        })));
    }
    let mut problems = Vec::new();
    let kind = PageKind::of_section(&place.section);
    check_fields(rel, &meta, kind, config, &mut problems);
    let slug = match &meta.slug {
        Some(slug) => {
            let clean = slugify(slug);
            if slug.contains("..")
                || slug.starts_with('/')
                || slug.contains('\\')
                || clean.is_empty()
            {
                problems.push(
                    Diagnostic::error(rel, format!("\"{slug}\" is not a usable slug"))
                        .at_field("slug")
                        .at_line(meta.line_of("slug"))
                        .with_help("use letters, digits and dashes; it may not leave its folder"),
                );
            }
            clean
        }
        None => slugify(strip_date_prefix(&place.stem)),
    };
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    let url = format!(
        "{}{}/",
        section_url(config, &place.section, &place.lang),
        slug
    );
    let translation_key = if place.section.is_empty() {
        place.stem.clone()
    } else {
        format!("{}/{}", place.section, place.stem)
    };
    Ok(Loaded::Page(Box::new(Page {
        file: rel.to_path_buf(),
        section: place.section,
        kind,
        lang: place.lang,
        translation_key,
        slug,
        url,
        meta,
        body,
        body_line,
        content_html: "".into(),
        summary_html: "".into(),
        description: String::new(),
        toc: Vec::new(),
        word_count: 0,
        is_future: false,
        source_hash,
    })))
}

/// Strips a BOM and turns CRLF into LF, which keeps line numbers the same.
pub fn normalise_text(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

/// The checks that depend on the section and on site.toml.
fn check_fields(
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
            problems.push(missing("date"))
        }
        PageKind::Event if meta.start.is_none() && !meta.lines.contains_key("start") => {
            problems.push(missing("start"))
        }
        _ => {}
    }
    if let (Some(start), Some(end)) = (&meta.start, &meta.end)
        && end.timestamp() < start.timestamp()
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
    for alias in &meta.aliases {
        if let Err(why) = check_site_path(alias) {
            problems.push(err("aliases", format!("\"{alias}\" {why}")));
        }
    }
    if let Some(days) = meta.events_days
        && days < 0
    {
        problems.push(err("events_days", "must not be negative".into()));
    }
}

/// A path written by an editor must stay inside the output folder.
pub fn check_site_path(path: &str) -> Result<(), &'static str> {
    if path.contains("://") {
        return Err("must be a path on this site, not a URL");
    }
    if path.split(['/', '\\']).any(|part| part == "..") {
        return Err("may not contain `..`");
    }
    if path.contains('\\') || path.contains('\0') {
        return Err("may not contain backslashes");
    }
    if path.trim_matches('/').is_empty() {
        return Err("may not be the site root");
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefixes_are_dropped_from_slugs() {
        assert_eq!(strip_date_prefix("2026-12-01-nov-partnyor"), "nov-partnyor");
        assert_eq!(strip_date_prefix("2026-12"), "2026-12");
        assert_eq!(strip_date_prefix("about"), "about");
    }

    #[test]
    fn site_paths_stay_inside() {
        assert!(check_site_path("/old/path/").is_ok());
        assert!(check_site_path("../../etc").is_err());
        assert!(check_site_path("/").is_err());
    }
}
