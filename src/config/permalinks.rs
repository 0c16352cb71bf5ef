//! `[permalinks]`: a section's pages at addresses made of their date and
//! name, as Hugo, Jekyll and WordPress sites publish them:
//!
//! ```toml
//! [permalinks]
//! news = "/:year/:month/:slug/"
//! ```
//!
//! `:year`, `:month` and `:day` are the page's `date` in the site's time
//! zone; `:slug` its URL name (`slug`, else its file name without the date);
//! `:title` its title as a URL name;
//! `:filename` the file name as written (date and all); `:section` its section.
//! A translation's address starts with its language (`/en/2026/11/name/`).

use std::fmt::Write as _;

const TOKENS: [&str; 7] = [
    "year", "month", "day", "slug", "title", "filename", "section",
];

/// What a pattern is filled with, for one page.
pub struct PermalinkParts<'a> {
    pub section: &'a str,
    pub slug: &'a str,
    /// The title as a URL name (Hugo's `:title`).
    pub title: &'a str,
    pub filename: &'a str,
    pub date: Option<&'a jiff::Zoned>,
}

/// The folder form of a pattern that names a file (Jekyll's
/// `/:year/:month/:day/:title.html`, Hugo's with `uglyURLs`): pages are
/// published at `…/name/` and `…/name.html` redirects there.
pub fn as_folder(pattern: &str) -> Option<String> {
    // Jekyll's `:output_ext` is `.html` for a page.
    let stem = (pattern.strip_suffix(".html")).or_else(|| pattern.strip_suffix(":output_ext"))?;
    // `…/:slug/index.html` is the folder itself.
    if let Some(folder) = stem.strip_suffix("/index") {
        return Some(format!("{folder}/"));
    }
    (!stem.ends_with('/')).then(|| format!("{stem}/"))
}

/// Whether a pattern's pages keep a `….html` address that redirects to
/// them (not one ending `/index.html`, their folder's own).
pub fn keeps_file_address(pattern: &str) -> bool {
    as_folder(pattern).is_some()
        && !pattern.ends_with("/index.html")
        && !pattern.ends_with("/index:output_ext")
}

/// What site.toml is told of a pattern that names a file.
pub fn file_pattern_note(pattern: &str) -> Option<String> {
    let folder = as_folder(pattern).filter(|_| keeps_file_address(pattern))?;
    Some(format!(
        "pages are published at \"{folder}\" (a folder, as every page is), and the address \"{pattern}\" redirects there"
    ))
}

/// Why a pattern cannot be used, in words for its line in site.toml.
pub fn pattern_problem(pattern: &str) -> Option<String> {
    let folder = as_folder(pattern);
    let pattern = folder.as_deref().unwrap_or(pattern);
    if !pattern.starts_with('/') || !pattern.ends_with('/') {
        return Some(format!(
            "\"{pattern}\" must start and end with / (e.g. \"/:year/:month/:slug/\")"
        ));
    }
    if pattern.contains("..") || pattern.contains(['?', '#', '\\']) {
        return Some(format!(
            "\"{pattern}\" may hold only folder names and :tokens"
        ));
    }
    for token in tokens(pattern) {
        if !TOKENS.contains(&token) {
            return Some(format!(
                "\":{token}\" is not a token dunav fills: use :year, :month, :day, :slug, :title, :filename or :section"
            ));
        }
    }
    if !tokens(pattern).any(|t| matches!(t, "slug" | "title" | "filename")) {
        return Some(format!(
            "\"{pattern}\" has no :slug, :title or :filename: pages of one day would share an address"
        ));
    }
    None
}

fn tokens(pattern: &str) -> impl Iterator<Item = &str> {
    pattern.split(':').skip(1).map(|rest| {
        let end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        &rest[..end]
    })
}

/// The pattern filled in for a page: an address from `/`, without the
/// language. `Err` when it needs a date the page does not have.
pub fn expand(pattern: &str, parts: &PermalinkParts<'_>) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() + parts.slug.len());
    let mut pieces = pattern.split(':');
    out.push_str(pieces.next().unwrap_or_default());
    for piece in pieces {
        let end = piece
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(piece.len());
        let (token, rest) = piece.split_at(end);
        let date = || {
            parts
                .date
                .ok_or_else(|| format!("the address pattern `{pattern}` needs the page's `date`"))
        };
        match token {
            "year" => write!(out, "{:04}", date()?.year()),
            "month" => write!(out, "{:02}", date()?.month()),
            "day" => write!(out, "{:02}", date()?.day()),
            "slug" => write!(out, "{}", parts.slug),
            "title" => write!(out, "{}", parts.title),
            "filename" => write!(out, "{}", parts.filename),
            "section" => write!(out, "{}", parts.section),
            _ => write!(out, ":{token}"),
        }
        .ok();
        out.push_str(rest);
    }
    // An empty section (`:section` of a page at the root) leaves no `//`.
    while out.contains("//") {
        out = out.replace("//", "/");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_fill_in_from_the_page() {
        let date: jiff::Zoned = "2026-11-03T23:30:00+02:00[Europe/Sofia]".parse().unwrap();
        let parts = PermalinkParts {
            section: "news",
            slug: "nov-partnyor",
            title: "nov-partnyor-ot-ruse",
            filename: "2026-11-03-nov-partnyor",
            date: Some(&date),
        };
        assert_eq!(
            expand("/:year/:month/:day/:slug/", &parts).unwrap(),
            "/2026/11/03/nov-partnyor/"
        );
        assert_eq!(
            expand("/:year/:title/", &parts).unwrap(),
            "/2026/nov-partnyor-ot-ruse/"
        );
        assert_eq!(
            expand("/:section/:year/:filename/", &parts).unwrap(),
            "/news/2026/2026-11-03-nov-partnyor/"
        );
        let undated = PermalinkParts {
            date: None,
            ..parts
        };
        assert!(
            expand("/:year/:slug/", &undated)
                .unwrap_err()
                .contains("needs the page's `date`")
        );
        assert_eq!(
            expand("/archive/:slug/", &undated).unwrap(),
            "/archive/nov-partnyor/"
        );
    }

    #[test]
    fn a_pattern_that_cannot_work_is_refused() {
        assert!(pattern_problem("/:year/:month/:slug/").is_none());
        assert!(
            pattern_problem(":year/:slug")
                .unwrap()
                .contains("start and end with /")
        );
        assert!(pattern_problem("/:year/:title/").is_none());
        assert!(
            pattern_problem("/:year/:name/")
                .unwrap()
                .contains("\":name\" is not a token")
        );
        assert!(
            pattern_problem("/:year/:month/")
                .unwrap()
                .contains("no :slug")
        );
        assert!(pattern_problem("/../:slug/").is_some());
        assert!(pattern_problem("/:year/:month/:day/:title.html").is_none());
        assert!(pattern_problem("/news/:year/:slug:output_ext").is_none());
        assert!(pattern_problem("/:year/.html").is_some());
        assert!(pattern_problem("/:year/:month.html").is_some());
        assert_eq!(
            as_folder("/:year/:slug/index.html").as_deref(),
            Some("/:year/:slug/")
        );
        assert!(!keeps_file_address("/:year/:slug/index.html"));
        assert!(keeps_file_address("/:year/:slug.html"));
    }
}
