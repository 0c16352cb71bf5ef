//! Where content files sit and where their pages go: a file's section,
//! language and translation key from its path, page bundles, date prefixes,
//! section URLs, and the limits every path written by an editor must keep.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::loader::CONTENT_DIR;
use crate::translit::slugify;

pub use crate::markdown::markdown_base;

/// The folder of the site that holds the search bundle (`/pagefind/pagefind.js`).
pub const SEARCH_BUNDLE_DIR: &str = "pagefind";

/// The longest name a file system takes for one file or folder, in bytes.
pub const MAX_NAME_BYTES: usize = 255;

/// Where a content file sits: its section, language and translation key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentPath {
    pub section: String,
    pub lang: String,
    pub stem: String,
    pub is_index: bool,
    /// `news/partner/index.md`: the page `partner`, with the files of its folder.
    pub is_bundle: bool,
}

/// Whether a path names a Markdown file (`.md`, `.markdown`, `.MD`…).
/// A name that is not valid UTF-8 is judged by what can be read of it: a
/// `.md` file saved under an old code page is still a page (refused with its
/// name's problem), never a file copied as it is, draft or not.
pub fn is_markdown(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| markdown_base(&n.to_string_lossy()).is_some())
}

impl ContentPath {
    /// The same file read as its folder's listing text, as `_index.md` is.
    pub fn as_listing_text(self) -> ContentPath {
        let section = match (self.is_bundle, self.section.is_empty()) {
            (false, _) => self.section,
            (true, true) => self.stem,
            (true, false) => format!("{}/{}", self.section, self.stem),
        };
        ContentPath {
            section,
            stem: "_index".into(),
            is_index: true,
            is_bundle: false,
            ..self
        }
    }
}

/// The `index.md` files that are their folder's listing text rather than a
/// page: `content/index.md` (the home page's, as in Jekyll and Eleventy),
/// and one whose folder holds other pages, beside it or below (`docs/index.md`
/// beside `docs/setup.md`, as MkDocs and Docusaurus read it). Hugo would
/// make such a file a page bundle, and the pages beside it its resources; a
/// folder with pages is a listing here, and its `index.md` says what it is.
/// A folder that has an `_index.md` in that language keeps it, and its
/// `index.md` stays a page, whose clash with the listing is reported.
/// `places`: each Markdown file with where it sits.
pub fn listing_texts(places: &[(&PathBuf, ContentPath)]) -> HashSet<PathBuf> {
    let mut with_pages = HashSet::new();
    let mut with_text = HashSet::new();
    for (_, place) in places {
        if place.is_index {
            with_text.insert((place.section.as_str(), place.lang.as_str()));
            continue;
        }
        if !place.is_bundle && is_index_name(&place.stem) && place.section.is_empty() {
            continue;
        }
        let mut folder = place.section.as_str();
        while with_pages.insert(folder) && !folder.is_empty() {
            folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }
    places
        .iter()
        .filter_map(|(file, place)| {
            let top_index =
                !place.is_bundle && is_index_name(&place.stem) && place.section.is_empty();
            if !place.is_bundle && !top_index {
                return None;
            }
            let text = place.clone().as_listing_text();
            let listing = top_index || with_pages.contains(text.section.as_str());
            let taken = with_text.contains(&(text.section.as_str(), text.lang.as_str()));
            (listing && !taken).then(|| (*file).clone())
        })
        .collect()
}

/// `index`, or `README` (in any case), which mdBook, GitBook and VuePress
/// publish as their folder's page, as GitHub shows it with the folder.
fn is_index_name(stem: &str) -> bool {
    stem == "index" || stem.eq_ignore_ascii_case("readme")
}

/// Reads `content/news/foo.en.md` as section `news`, language `en`, stem `foo`.
pub fn parse_content_path(rel: &Path, config: &SiteConfig) -> Result<ContentPath, String> {
    let inner = rel.strip_prefix(CONTENT_DIR).unwrap_or(rel);
    let file_name = inner
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("the file name is not valid UTF-8")?;
    let base = markdown_base(file_name).unwrap_or(file_name);
    let (stem, lang) = match base.rsplit_once('.') {
        Some((stem, lang)) if config.languages.contains_key(lang) => (stem, lang.to_string()),
        // `a.EN.md` (a name typed with caps lock, or made on Windows) is English.
        Some((stem, lang)) if config.languages.contains_key(&lang.to_ascii_lowercase()) => {
            (stem, lang.to_ascii_lowercase())
        }
        Some((_, lang)) if looks_like_language(lang) => {
            return Err(format!(
                "language `{lang}` is not in site.toml [languages]; add it there or rename the file"
            ));
        }
        _ => (base, config.default_language.clone()),
    };
    let mut folders = Vec::new();
    if let Some(parent) = inner.parent() {
        for component in parent.components() {
            let Component::Normal(name) = component else {
                return Err("the path leaves the content folder".into());
            };
            folders.push(name.to_str().ok_or("a folder name is not valid UTF-8")?);
        }
    }
    // A page bundle's page is named by its folder and sits in the folder above.
    let is_bundle = is_index_name(stem) && !folders.is_empty();
    let stem = if is_bundle {
        folders.pop().unwrap_or(stem)
    } else {
        stem
    };
    Ok(ContentPath {
        section: folders.join("/"),
        lang,
        stem: stem.to_string(),
        is_index: stem == "_index",
        is_bundle,
    })
}

/// A language tag as Hugo's and Zola's file names carry it: `fr`, `zh-hant`,
/// `zh-hant-tw`, `pt-BR` (language, then a script and a region, each optional).
/// One the site does not have is an error, not part of a Bulgarian page's name.
fn looks_like_language(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    // Two letters: a three-letter suffix is more often a word (`notes.old.md`).
    if language.len() != 2 || !language.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let mut rest: Vec<&str> = parts.collect();
    if rest
        .first()
        .is_some_and(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()))
    {
        rest.remove(0);
    }
    match rest.as_slice() {
        [] => true,
        [region] => {
            (region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()))
                || (region.len() == 3 && region.chars().all(|c| c.is_ascii_digit()))
        }
        _ => false,
    }
}

/// A file in one of Jekyll's folders (`_posts/`, `_drafts/`, a collection
/// such as `_docs/`), whose fields Jekyll reads its own way (a title from
/// the file's name, `tags: a b` split at spaces). `path` is the file's.
pub fn in_jekyll_folder(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
    parts.pop();
    parts.iter().any(|folder| folder.starts_with('_'))
}

/// The `YYYY-MM-DD` a file stem starts with, as `strip_date_prefix` finds it.
pub fn date_prefix(stem: &str) -> Option<&str> {
    (strip_date_prefix(stem).len() < stem.len()).then(|| &stem[..10])
}

/// The `YYYY-MM-DD` a file's name (or its bundle folder's) starts with,
/// when it is no day (`2024-02-30`): the page's date could not come from it.
pub fn impossible_name_date(rel: &Path) -> Option<String> {
    let named = [rel.file_stem(), rel.parent().and_then(Path::file_name)];
    let day = named
        .into_iter()
        .flatten()
        .find_map(|name| date_prefix(&name.to_string_lossy()).map(str::to_string))?;
    day.parse::<jiff::civil::Date>().is_err().then_some(day)
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
/// A Jekyll folder (`_posts/`, a collection such as `_docs/`) is published
/// without its underscore, as Jekyll publishes a collection: `/docs/`
/// (unless the site has a `docs` folder or page: see `underscore_kept`).
pub fn section_url(config: &SiteConfig, section: &str, lang: &str) -> String {
    let mut url = config.language_prefix(lang);
    for part in published_folders(config, section) {
        url.push('/');
        url.push_str(&slugify_keep(part));
    }
    url.push('/');
    url
}

/// A section's folders as its address names them: a Jekyll folder without
/// its `_`, unless the site keeps it (see [`section_url`]).
fn published_folders<'a>(
    config: &'a SiteConfig,
    section: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    section.split('/').filter(|p| !p.is_empty()).map(|part| {
        let unprefixed = part.trim_start_matches('_');
        let keep = unprefixed.is_empty() || config.underscore_kept.contains(part);
        if keep { part } else { unprefixed }
    })
}

/// A page's address: its section's and its slug, or its section's
/// `[permalinks]` pattern filled in from its title and date; `Err` says
/// what the pattern needs that the page lacks.
pub fn page_url(
    config: &SiteConfig,
    place: &ContentPath,
    slug: &str,
    (title, date): (&str, Option<&jiff::Zoned>),
) -> Result<String, String> {
    let Some(pattern) = config.permalinks.get(&place.section) else {
        return Ok(format!(
            "{}{slug}/",
            section_url(config, &place.section, &place.lang)
        ));
    };
    let title = slugify(title);
    // As the section's own address writes it: `My Notes` is `my-notes`.
    let section: Vec<String> = published_folders(config, &place.section)
        .map(slugify_keep)
        .collect();
    let parts = crate::config::permalinks::PermalinkParts {
        section: &section.join("/"),
        slug,
        title: &title,
        filename: &place.stem,
        date,
    };
    let folder = crate::config::permalinks::as_folder(pattern);
    let path = crate::config::permalinks::expand(folder.as_deref().unwrap_or(pattern), &parts)?;
    Ok(format!("{}{path}", config.language_prefix(&place.lang)))
}

/// Keeps the `….html` address a page's `[permalinks]` pattern names, when
/// it names a file, as an alias of the page's folder `url` (one that yields,
/// with a warning, to a page or file there).
pub fn keep_permalink_file_address(
    config: &SiteConfig,
    section: &str,
    url: &str,
    meta: &mut crate::content::frontmatter::FrontMatter,
) {
    let Some(pattern) = config.permalinks.get(section) else {
        return;
    };
    if crate::config::permalinks::keeps_file_address(pattern) {
        let address = format!("{}.html", url.trim_end_matches('/'));
        meta.aliases.push(address.clone());
        meta.former_urls.push(("permalinks".into(), address));
    }
}

/// Slugifies a path part but keeps plain ASCII names as they are written,
/// in lower case, as Hugo and Zola write a folder's URL (`Plugins/` is
/// `/plugins/`).
fn slugify_keep(part: &str) -> String {
    if part
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        part.to_ascii_lowercase()
    } else {
        slugify(part)
    }
}

/// Why a URL name cannot be a folder name, if it cannot.
pub fn check_name_length(name: &str) -> Result<(), String> {
    if name.len() > MAX_NAME_BYTES {
        Err(format!(
            "gives a URL name of {} bytes; at most {MAX_NAME_BYTES} fit in a file name",
            name.len()
        ))
    } else {
        Ok(())
    }
}

/// A path written by an editor must stay inside the output folder.
pub fn check_site_path(path: &str) -> Result<(), &'static str> {
    if path.contains("://") {
        return Err("must be a path on this site, not a URL");
    }
    // Written `%2e%2e` too: a web server reads it as `..`.
    let decoded = crate::content::links::percent_decode(path);
    if decoded.split(['/', '\\']).any(|part| part == "..") {
        return Err("may not contain `..`");
    }
    if path.contains('\\') || path.contains('\0') {
        return Err("may not contain backslashes");
    }
    if decoded.split('/').any(is_version_control_folder) {
        return Err("may not be in a version control folder (`.git`, `.hg`, `.svn`, `.jj`)");
    }
    if path.trim_matches('/').is_empty() {
        return Err("may not be the site root");
    }
    Ok(())
}

/// A folder of a repository's own data: `public/` is often a checkout
/// (GitHub Pages' worktree), and an output in `public/.git/` replaced it.
pub fn is_version_control_folder(name: &str) -> bool {
    [".git", ".hg", ".svn", ".jj"]
        .iter()
        .any(|folder| name.eq_ignore_ascii_case(folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_path_stays_in_the_output() {
        assert!(check_site_path("/a/b/").is_ok());
        assert!(check_site_path("/a/../b/").is_err());
        assert!(check_site_path("/a/%2e%2e/%2E%2E/b/").is_err());
        assert!(check_site_path("/a/..b/").is_ok());
        assert!(check_site_path("/.git/x/").is_err());
        assert!(check_site_path("/a/.Hg/").is_err());
        assert!(check_site_path("/%2egit/").is_err());
        assert!(check_site_path("/.github/").is_ok());
    }

    #[test]
    fn date_prefixes_are_dropped_from_slugs() {
        assert_eq!(strip_date_prefix("2026-12-01-nov-partnyor"), "nov-partnyor");
        assert_eq!(strip_date_prefix("2026-12"), "2026-12");
        assert_eq!(strip_date_prefix("about"), "about");
    }

    #[test]
    fn language_tags_are_told_from_names() {
        for tag in ["fr", "EN", "zh-hant", "zh-hant-tw", "pt-BR", "es-419"] {
            assert!(looks_like_language(tag), "{tag}");
        }
        for name in [
            "post-name",
            "de-facto",
            "v2",
            "final",
            "zh-hant-tw-x",
            "a",
            "old",
            "pdf",
        ] {
            assert!(!looks_like_language(name), "{name}");
        }
    }

    #[test]
    fn site_paths_stay_inside() {
        assert!(check_site_path("/old/path/").is_ok());
        assert!(check_site_path("../../etc").is_err());
        assert!(check_site_path("/").is_err());
    }
}
