//! A page's URL name, from its `slug` or its file's name.

use std::path::Path;

use crate::content::frontmatter::FrontMatter;
use crate::content::paths::{ContentPath, check_name_length, strip_date_prefix};
use crate::diagnostics::Diagnostic;
use crate::translit::slugify;

/// The page's URL name: `slug`, else the file (or bundle folder) name
/// without its date; a slug that cannot be a folder name is an error at its field.
pub(super) fn page_slug(
    rel: &Path,
    meta: &FrontMatter,
    place: &ContentPath,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let (slug, field) = match &meta.slug {
        Some(written) => {
            // Docusaurus' `slug: /name` is an address from the site's root.
            let slug = written.trim_start_matches('/');
            let clean = as_written(slug).unwrap_or_else(|| slugify(slug));
            if slug != written && !clean.is_empty() {
                problems.push(
                    Diagnostic::warning(
                        rel,
                        format!("\"{written}\" starts with `/`: the page stays in its section, as \"{clean}\""),
                    )
                    .at_field("slug")
                    .at_line(meta.line_of("slug"))
                    .with_help(format!("to keep the old address too, add `aliases: [\"{written}\"]`")),
                );
            }
            if slug.contains("..") || slug.contains('\\') || clean.is_empty() {
                problems.push(
                    Diagnostic::error(rel, format!("\"{written}\" is not a usable slug"))
                        .at_field("slug")
                        .at_line(meta.line_of("slug"))
                        .with_help("use letters, digits and dashes; it may not leave its folder"),
                );
                return slugify(strip_date_prefix(&place.stem));
            }
            (clean, Some("slug"))
        }
        None => match docusaurus_id(rel, meta) {
            Some(id) => (id, Some("id")),
            None => (slugify(strip_date_prefix(&place.stem)), None),
        },
    };
    if slug.is_empty() {
        // Only a name of emoji, Arabic, punctuation…: the page would be its section's URL.
        problems.push(
            Diagnostic::error(
                rel,
                "the file name has no letters or digits to make a URL of",
            )
            .with_help("give the page a `slug` (letters, digits and dashes), or rename the file"),
        );
        return "page".to_string();
    }
    if let Err(why) = check_name_length(&slug) {
        let mut d = Diagnostic::error(rel, why).with_help(match field {
            Some(_) => "set a shorter `slug`",
            None => "give the file a shorter name, or set a shorter `slug`",
        });
        if let Some(field) = field {
            d = d.at_field(field).at_line(meta.line_of(field));
        }
        problems.push(d);
        // A short name keeps the rest of the build going; the error fails it.
        return slug.chars().take(64).collect();
    }
    slug
}

/// Docusaurus' `id: organizing-state`, which names the page in its address
/// in place of the file's name when no `slug` does: on a Docusaurus page
/// (an `.mdx` file, or one with a field of Docusaurus' docs), and a name fit
/// for a URL with a letter in it. Dendron's, a CMS's or a number `id` is a
/// record's, no address.
fn docusaurus_id(rel: &Path, meta: &FrontMatter) -> Option<String> {
    const DOC_FIELDS: [&str; 8] = [
        "sidebar_label",
        "sidebar_position",
        "sidebar_class_name",
        "displayed_sidebar",
        "hide_title",
        "hide_table_of_contents",
        "pagination_label",
        "custom_edit_url",
    ];
    let is_mdx = rel
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("mdx"));
    if !is_mdx && !DOC_FIELDS.iter().any(|f| meta.extra.contains_key(*f)) {
        return None;
    }
    let id = meta.extra.get("id")?.as_str()?;
    as_written(id).filter(|id| id.chars().any(|c| c.is_ascii_alphabetic()))
}

/// A slug already fit for a URL keeps its `_`, and a `.` between digits
/// (`v1.2`), in lower case, as Hugo keeps a written slug: `slug: hugo_build`
/// stays at `/hugo_build/`, where making it `hugo-build` moved every
/// published address. Anything else (Cyrillic, spaces, a file name such as
/// `atom.xml`, which would stand where the build writes that file) is made
/// a slug.
fn as_written(slug: &str) -> Option<String> {
    let bytes = slug.as_bytes();
    let dot_between_digits = |at: usize| {
        at > 0
            && bytes[at - 1].is_ascii_digit()
            && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
    };
    let fit = slug.chars().any(|c| c.is_ascii_alphanumeric())
        && bytes.iter().enumerate().all(|(at, byte)| match byte {
            b'.' => dot_between_digits(at),
            _ => byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_'),
        });
    fit.then(|| slug.to_ascii_lowercase())
}

/// Another tool's address for the page (Hugo's `url`, Jekyll's
/// `permalink`, Zola's `path`), read from the site's root: where it is not
/// the page's URL, it redirects there, as an alias would, and a warning
/// says where the page is; where it is (in any case), nothing is said. A
/// pattern (`/:year/:title/`, Eleventy's `{{ title | slugify }}`) or an
/// address that is no plain path is left to the warning the field has.
pub(super) fn keep_former_url(
    rel: &Path,
    meta: &mut FrontMatter,
    url: &str,
    problems: &mut Vec<Diagnostic>,
) {
    for field in ["url", "permalink", "path"] {
        let Some(written) = meta.extra.get(field).and_then(|v| v.as_str()) else {
            continue;
        };
        let Some(former) = plain_address(written) else {
            continue;
        };
        problems.retain(|p| p.field.as_deref() != Some(field));
        if former.eq_ignore_ascii_case(url) {
            continue;
        }
        problems.push(
            Diagnostic::warning(
                rel,
                format!("the page is at {url}; its address here, {former}, redirects there"),
            )
            .at_field(field)
            .at_line(meta.line_of(field))
            .with_help("to keep the address itself, set `slug` or move the file"),
        );
        if !meta.aliases.contains(&former) {
            meta.aliases.push(former.clone());
            meta.former_urls.push((field.to_string(), former));
        }
    }
}

/// `written` as an alias's address, if it is a plain path: no pattern or
/// template, no query, no empty, `.` or `..` folder (`/news//` and
/// `/news/./` are `/news/`, which the build writes).
fn plain_address(written: &str) -> Option<String> {
    let written = written.trim();
    let plain = |c: char| {
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(
                c,
                ':' | '?' | '#' | '\\' | '{' | '}' | '|' | '%' | '<' | '>' | '"' | '*'
            )
    };
    let folders = written.trim_start_matches('/').trim_end_matches('/');
    let fit = !folders.is_empty()
        && written.chars().all(plain)
        && folders
            .split('/')
            .all(|f| !f.is_empty() && f != "." && f != "..")
        && crate::content::paths::check_site_path(written).is_ok();
    fit.then(|| crate::content::library::alias_url(written))
}
