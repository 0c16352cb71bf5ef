//! Finding content files on disk and reading them, in parallel, into pages
//! and section indexes; every problem is collected, none stops the others.

use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::checks;
use crate::content::frontmatter::{self, FrontMatter};
use crate::content::headless;
use crate::content::other_tools::{
    is_mintlify_snippet, is_other_tools_file, is_text_with_front_matter, templated_file_left_out,
    unrendered_page_format, unrendered_pages_left_out,
};
use crate::content::page::{Page, PageKind};
use crate::content::page_slug::page_slug;
use crate::content::paths::{
    ContentPath, is_markdown, markdown_base, page_url, parse_content_path, section_url,
};
use crate::content::text_file::{normalise_text, read_text};
use crate::diagnostics::Diagnostic;

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
    let inside = SiteBoundary::of(root);
    let mut outside = Vec::new();
    let mut left_out = Vec::new();
    let mut snippets = Vec::new();
    let mut unrendered = Vec::new();
    let walk = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // A hidden folder (`.obsidian/`, a vault's `.trash/`) is not content either.
        .filter_entry(|e| {
            let other_tools = e.depth() > 0 && is_other_tools_file(e.file_name());
            if other_tools {
                left_out.push(relative(root, e.path()));
            }
            (e.depth() == 0 || !is_ignored(e.file_name()))
                && !other_tools
                && inside.keeps(e, &mut outside)
        });
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            // Emacs' lock file `.#name.md` is a link to nowhere while a file is edited.
            Err(e) if e.path().and_then(Path::file_name).is_some_and(is_ignored) => continue,
            Err(e) => {
                let path = e.path().map(|p| relative(root, p));
                problems.push(super::walk_errors::unreadable(
                    path.unwrap_or_else(|| CONTENT_DIR.into()),
                    &e,
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() || is_ignored(entry.file_name()) {
            continue;
        }
        let rel = relative(root, entry.path());
        if is_mintlify_snippet(&rel) {
            snippets.push(rel);
        } else if is_markdown(entry.path()) {
            files.markdown.push(rel);
        } else if is_text_with_front_matter(entry.path()) {
            problems.push(templated_file_left_out(&rel));
        } else if let Some(format) = unrendered_page_format(&rel) {
            unrendered.push((rel, format));
        } else {
            files.assets.push(rel);
        }
    }
    problems.extend(unrendered_pages_left_out(&unrendered));
    problems.extend(outside.iter().map(|link| SiteBoundary::left(root, link)));
    if let Some(first) = snippets.first() {
        problems.push(
            Diagnostic::warning(
                first,
                format!(
                    "content/snippets/ holds {} MDX file(s): Mintlify's snippets, which pages import, not pages: not published",
                    snippets.len()
                ),
            )
            .with_help("paste what a page imports into it; a page of its own goes in another folder"),
        );
    }
    if let Some(first) = left_out.first() {
        let names: Vec<String> = left_out.iter().map(|p| p.display().to_string()).collect();
        problems.push(
            Diagnostic::warning(
                first,
                format!(
                    "{}: another generator's settings, data or templates (Jekyll's, Hugo's, Eleventy's), not content: not published",
                    names.join(", ")
                ),
            )
            .with_help("move them out of content/ (a layout's HTML goes in the theme)"),
        );
    }
    files
}

/// The site's folder as the file system resolves it: a symbolic link in
/// `content/` or `static/` may point within it, never out of it, so a
/// repository built by CI cannot publish the machine's files.
pub struct SiteBoundary(Option<PathBuf>);

impl SiteBoundary {
    pub fn of(root: &Path) -> SiteBoundary {
        SiteBoundary(std::fs::canonicalize(root).ok())
    }

    /// The error for a link that leads out of the site.
    pub fn left(root: &Path, link: &Path) -> Diagnostic {
        Diagnostic::error(
            relative(root, link),
            "a symbolic link to a file or folder outside the site: it is not published",
        )
        .with_help("copy the file into the site, or remove the link")
    }

    /// Whether a walked entry stays: not a link that leads out (noted in `outside`).
    pub fn keeps(&self, entry: &walkdir::DirEntry, outside: &mut Vec<PathBuf>) -> bool {
        if !entry.path_is_symlink() {
            return true;
        }
        let Some(root) = &self.0 else {
            return true;
        };
        let within =
            std::fs::canonicalize(entry.path()).is_ok_and(|target| target.starts_with(root));
        if !within {
            outside.push(entry.path().to_path_buf());
        }
        within
    }
}

/// Editor swap files, backups, merge leftovers and hidden files are never
/// content: `secret.md.orig` beside a draft would publish its text.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    let extension = name
        .rsplit_once('.')
        .map(|(stem, ext)| (stem, ext.to_ascii_lowercase()));
    name.starts_with('.')
        // Emacs' `#name#` while a file is edited; `#1.md` is a name.
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || extension.is_some_and(|(stem, ext)| {
            matches!(ext.as_str(), "swp" | "swx" | "tmp" | "orig" | "rej" | "bak")
                // A copy of a Markdown file under another name (`a.md.save`).
                || markdown_base(stem).is_some()
        })
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

/// One Markdown file as read: what it holds, when it could be read at all,
/// and every problem found in it.
#[derive(Debug, Clone, Default)]
pub struct LoadedFile {
    pub item: Option<Loaded>,
    pub problems: Vec<Diagnostic>,
    /// What it was read as: a kept result read in another role is read again.
    pub role: FileRole,
}

/// What a file is read as besides its own text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileRole {
    /// Its folder's listing text (see [`super::paths::listing_texts`]).
    pub as_listing_text: bool,
    /// The fields its sections hand down (see [`super::cascade`]).
    pub inherited: std::sync::Arc<super::cascade::Fields>,
}

impl Loaded {
    /// The file it was read from, relative to the site root.
    pub fn file(&self) -> &Path {
        match self {
            Loaded::Page(page) => &page.file,
            Loaded::Index(index) => &index.file,
        }
    }
}

impl LoadedFile {
    fn failed(problem: Diagnostic) -> LoadedFile {
        LoadedFile {
            item: None,
            problems: vec![problem],
            role: FileRole::default(),
        }
    }
}

/// A section's `_index.md`; without a `title`, titled by its folder, as
/// Hugo titles a section (`case-studies` → "Case studies").
fn section_index(
    rel: &Path,
    place: ContentPath,
    (mut meta, mut problems): (FrontMatter, Vec<Diagnostic>),
    split: &frontmatter::SplitFile<'_>,
    config: &SiteConfig,
) -> LoadedFile {
    let mut body = std::borrow::Cow::Borrowed(split.body);
    if !meta.lines.contains_key("title") {
        problems.retain(|p| p.field.as_deref() != Some("title"));
        // A folder's `index.md` or `README.md` titled by its first heading,
        // as MkDocs and mdBook read it; the site's home keeps the site's title.
        let heading = match place.section.is_empty() {
            true => None,
            false => {
                let (title, rest) =
                    headless::without_title_heading(split, config.links.heading_ids);
                body = rest;
                title
            }
        };
        meta.title = heading
            .or_else(|| folder_title(&place.section))
            .unwrap_or_else(|| config.title(&place.lang).to_string());
    }
    // A listing redirects from its aliases as a page does (Hugo's and
    // Zola's sections, Jekyll's `redirect_from` on a collection's index.md).
    let url = super::paths::section_url(config, &place.section, &place.lang);
    let err = |field: &str, message: String| {
        Diagnostic::error(rel, message)
            .at_field(field)
            .at_line(meta.line_of(field))
    };
    checks::check_aliases(&meta, &err, &mut problems);
    super::aliases::page_aliases(rel, &mut meta, (&url, config), &mut problems);
    problems.extend(super::page::drop_own_url_aliases(rel, &mut meta, &url));
    let index = SectionIndex {
        file: rel.to_path_buf(),
        section: place.section,
        lang: place.lang,
        meta,
        body: body.into_owned(),
        body_line: split.body_line,
    };
    LoadedFile {
        item: Some(Loaded::Index(Box::new(index))),
        problems,
        role: FileRole::default(),
    }
}

/// Reads one Markdown file into a page or a section index. A file whose
/// front matter has wrong fields is still read, so that its other checks
/// (sectors, links) run in the same build and all its problems are reported.
pub fn load_one(
    root: &Path,
    rel: &Path,
    config: &SiteConfig,
    tz: &jiff::tz::TimeZone,
    role: &FileRole,
) -> LoadedFile {
    let place = match parse_content_path(rel, config) {
        Ok(place) if role.as_listing_text => place.as_listing_text(),
        Ok(place) => place,
        Err(m) => return LoadedFile::failed(Diagnostic::error(rel, m)),
    };
    let mut file = read_one(root, rel, place, config, (tz, &role.inherited));
    file.role = role.clone();
    file
}

fn read_one(
    root: &Path,
    rel: &Path,
    place: ContentPath,
    config: &SiteConfig,
    (tz, inherited): (&jiff::tz::TimeZone, &super::cascade::Fields),
) -> LoadedFile {
    let shown = rel.to_string_lossy().replace('\\', "/");
    let (text, modified) = match read_text(root, rel) {
        Ok(read) => read,
        Err(d) => return LoadedFile::failed(d),
    };
    let cascade_print = super::cascade::print(inherited);
    let source_hash = crate::fingerprint::of(&text) ^ cascade_print;
    let (text, mdx_warning) = super::mdx::text(rel, &text);
    let split = match headless::split(&text) {
        Ok(split) if split.has_front_matter() || !is_partial(&place) => split,
        found => return without_front_matter(rel, &place, found.err()),
    };
    // A section's listing has no event's or project's fields.
    let kind = match place.is_index {
        true => PageKind::Page,
        false => PageKind::of_section(&place.section),
    };
    let (mut meta, mut problems) =
        match frontmatter::parse_split(&split, &shown, tz, kind, inherited) {
            Ok(parsed) => parsed,
            Err(syntax) => return LoadedFile::failed(syntax),
        };
    if place.is_index {
        return section_index(rel, place, (meta, problems), &split, config);
    }
    problems.extend(mdx_warning);
    let body =
        headless::title_from_heading(&mut meta, &mut problems, &split, config.links.heading_ids);
    headless::title_from_file_name(rel, (&place.stem, kind), &mut meta, &mut problems);
    headless::untitled_without_front_matter(rel, (&text, &split), &meta, &mut problems);
    let body: std::sync::Arc<str> = body.into();
    checks::date_by_name(&mut meta, &place.stem, tz, &mut problems);
    checks::check_fields(rel, &meta, kind, config, &mut problems);
    let slug = page_slug(rel, &meta, &place, &mut problems);
    let date = meta.date.as_ref().map(|d| &d.zoned);
    let url = page_url(config, &place, &slug, (&meta.title, date)).unwrap_or_else(|message| {
        // A news page without a date has its error already: one per field.
        if !problems.iter().any(|p| p.field.as_deref() == Some("date")) {
            let d = Diagnostic::error(rel, message).at_field("date");
            problems.push(match meta.lines.get("date") {
                Some(&line) => d.at_line(line),
                None => d,
            });
        }
        format!(
            "{}{slug}/",
            section_url(config, &place.section, &place.lang)
        )
    });
    let mut meta = meta;
    super::paths::keep_permalink_file_address(config, &place.section, &url, &mut meta);
    super::aliases::page_aliases(rel, &mut meta, (&url, config), &mut problems);
    let translation_key = if place.section.is_empty() {
        place.stem.clone()
    } else {
        format!("{}/{}", place.section, place.stem)
    };
    let page = Page {
        file: rel.to_path_buf(),
        section: place.section,
        kind,
        lang: place.lang,
        translation_key,
        slug,
        url,
        meta,
        body: Some(body),
        body_line: split.body_line,
        content_html: "".into(),
        summary_html: "".into(),
        description: String::new(),
        toc: Vec::new(),
        word_count: 0,
        is_future: false,
        is_expired: false,
        source_hash,
        cascade_print,
        is_bundle: place.is_bundle,
        image_url: None,
        fragment_links: Vec::new(),
        image_size: None,
        picture: None,
        modified,
    };
    LoadedFile {
        item: Some(Loaded::Page(Box::new(page))),
        problems,
        role: FileRole::default(),
    }
}

/// The Markdown body of a page file read before, read again (a cached page
/// keeps only its HTML), with the hash of the whole file as it is now.
/// Should the file have changed meanwhile, the watcher has seen it too, and
/// the page is read whole on the next change.
pub fn reread_body(
    root: &Path,
    rel: &Path,
    cascade_print: u64,
    ids: crate::config::HeadingIds,
) -> Result<(std::sync::Arc<str>, u64), Diagnostic> {
    let text = std::fs::read(root.join(rel))
        .map_err(|e| e.to_string())
        .and_then(|bytes| String::from_utf8(bytes).map_err(|e| e.to_string()))
        .map_err(|e| Diagnostic::error(rel, format!("cannot read the file again: {e}")))?;
    let text = normalise_text(text);
    let hash = crate::fingerprint::of(&text) ^ cascade_print;
    // As `load_one` reads it: the same text for the same file.
    let (text, _) = super::mdx::text(rel, &text);
    let split = headless::split(&text).map_err(|m| Diagnostic::error(rel, m).at_line(1))?;
    let body = match frontmatter::names_field(&split, "title") {
        true => split.body.into(),
        false => headless::without_title_heading(&split, ids).1,
    };
    Ok((body.into(), hash))
}

/// A file without front matter or a heading to title it (`error` says
/// so): an error, but for a partial, `_name.mdx` without front matter,
/// heading or not, which Docusaurus and Jekyll never publish and other
/// pages import: left out, with a warning.
fn without_front_matter(rel: &Path, place: &ContentPath, error: Option<String>) -> LoadedFile {
    if !is_partial(place) {
        return LoadedFile::failed(Diagnostic::error(rel, error.unwrap_or_default()).at_line(1));
    }
    LoadedFile::failed(
        Diagnostic::warning(
            rel,
            "a partial (a `_` file without front matter, which other pages import): not published",
        )
        .with_help("paste what a page imports into it; a page of its own starts with front matter"),
    )
}

/// `_name.md`: a partial, if it has no front matter (not `_index.md`).
fn is_partial(place: &ContentPath) -> bool {
    place.stem.starts_with('_') && !place.is_index
}

/// A first line that opens front matter (`---`, `+++`, `{`), however broken.
/// A section's title made of its folder's name: `case-studies` → "Case studies".
fn folder_title(section: &str) -> Option<String> {
    let name = section.rsplit('/').next().filter(|n| !n.is_empty())?;
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}
