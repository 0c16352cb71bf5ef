//! Internal links: a link to a `.md` file becomes that page's URL; a link to
//! a file beside a page or in `static/`, or to a page's URL, is checked; a
//! `#fragment` is checked against the target's ids once every page is
//! rendered. `mailto:`, `tel:`, email autolinks and URLs with a scheme are
//! never files.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::config::SiteConfig;
use crate::content::loader::SectionIndex;
use crate::content::page::Page;
use crate::content::paths::{self, is_markdown};
use crate::markdown::{LinkError, LinkResolver};

/// Every link target the site has, by content path and by URL.
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// `news/foo.md` → URL per language (`bg` → `/news/foo/`).
    pub pages: HashMap<String, HashMap<String, String>>,
    /// Pages left out of this build (drafts, future): linking to them is an error.
    pub unpublished: HashSet<String>,
    /// Their URLs: a link by URL to one is told as a link to a draft.
    pub unpublished_urls: HashMap<String, String>,
    /// Content files that could not be read: a link to one is not "no page".
    pub unreadable: HashSet<String>,
    /// `news/photo.jpg` → `/news/photo.jpg`.
    pub assets: HashMap<String, String>,
    /// The URLs of those (a dated bundle's `/news/name/photo.jpg`).
    pub asset_urls: HashSet<String>,
    /// Files under `static/` and the theme's static folder, as `images/x.png`.
    pub static_files: HashSet<String>,
    /// Every page, section, taxonomy and redirect URL of the site (`/news/foo/`).
    pub urls: HashSet<String>,
    /// Pages in this run that are not published yet, by URL.
    pub not_yet: HashMap<String, crate::diagnostics::Unpublished>,
    /// Pages, files beside pages and static files by their last name, for
    /// wiki links (see [`ByName`]): made when the first one is looked up.
    pub names: [std::sync::OnceLock<super::wikilinks::ByName>; 3],
}

impl LinkTargets {
    /// Changes when any target appears, goes or moves; the same for the same set in any order.
    pub fn fingerprint(&self) -> u64 {
        let mut combined = 0u64;
        for (key, urls) in &self.pages {
            for (lang, url) in urls {
                combined ^= crate::fingerprint::of(&(key, lang, url));
            }
        }
        for key in &self.unpublished {
            combined ^= crate::fingerprint::of(&("unpublished", key));
        }
        for (url, key) in &self.unpublished_urls {
            combined ^= crate::fingerprint::of(&("unpublished url", url, key));
        }
        for key in &self.unreadable {
            combined ^= crate::fingerprint::of(&("unreadable", key));
        }
        for (key, url) in &self.assets {
            combined ^= crate::fingerprint::of(&(key, url));
        }
        for key in &self.static_files {
            combined ^= crate::fingerprint::of(&("static", key));
        }
        for url in &self.urls {
            combined ^= crate::fingerprint::of(&("url", url));
        }
        for (url, note) in &self.not_yet {
            combined ^= crate::fingerprint::of(&("not yet", url, note.word()));
        }
        combined
    }

    /// Whether a site path (`/news/foo/`, `/news/page/2/`) is a page of the site.
    pub fn has_url(&self, url: &str) -> bool {
        if self.urls.contains(url) {
            return true;
        }
        // A listing's later pages: `…/page/N/` under a known listing.
        let trimmed = url.trim_end_matches('/');
        match trimmed.rsplit_once("/page/") {
            Some((base, n)) => {
                n.parse::<u32>().is_ok_and(|n| n > 1) && self.urls.contains(&format!("{base}/"))
            }
            None => false,
        }
    }
}

/// Resolves links for one page: relative file links start from its folder,
/// relative page links from its URL.
pub struct PageLinks<'a> {
    pub targets: &'a LinkTargets,
    /// The page's folder under `content/`, e.g. `news`.
    pub dir: PathBuf,
    /// The page's own URL, e.g. `/news/foo/`.
    pub url: &'a str,
    pub lang: &'a str,
    pub default_lang: &'a str,
    /// The page itself is a draft or scheduled: it may link to others that are.
    pub unpublished: bool,
    /// How headings' ids are spelled (`[links] heading_ids`).
    pub heading_ids: crate::config::HeadingIds,
}

impl LinkResolver for PageLinks<'_> {
    fn resolve_wiki(&self, name: &str) -> Option<String> {
        self.wiki_target(name)
    }

    fn resolve(&self, destination: &str) -> Result<Option<String>, LinkError> {
        if let Some(resolved) = self.resolve_written_ref(destination) {
            return resolved;
        }
        if destination.is_empty()
            || destination.starts_with('#')
            || destination.starts_with("//")
            || has_scheme(destination)
        {
            return Ok(None);
        }
        let (path, suffix) = match destination.find(['#', '?']) {
            Some(i) => destination.split_at(i),
            None => (destination, ""),
        };
        let decoded = crate::translit::nfc(&percent_decode(path)).into_owned();
        let from_root = decoded.starts_with('/');
        let last = decoded.rsplit('/').next().unwrap_or("");
        if !last.contains('.') {
            return match self.page_url(&decoded) {
                // Without its last slash the address works only on servers
                // that redirect to it.
                Ok(url) if !decoded.ends_with('/') => self
                    .published(&url)
                    .map(|()| Some(format!("{url}{suffix}"))),
                Ok(url) => self.published(&url).map(|()| None),
                // Hugo's `ref "about"` names a file without its extension.
                Err(no_url) => match self.file_without_extension(&decoded, from_root) {
                    Some(url) => self
                        .published(&url)
                        .map(|()| Some(format!("{url}{suffix}"))),
                    None => Err(no_url),
                },
            };
        }
        // `/about/index.html` is the file a server sends for `/about/`; a
        // static `index.html` of that name is checked below.
        if let Some(folder) = decoded.strip_suffix("index.html")
            && (folder.is_empty() || folder.ends_with('/'))
            && let Ok(url) = self.page_url(folder)
        {
            self.published(&url)?;
            return Ok(None);
        }
        let Some(target) = normalise(
            if from_root { Path::new("") } else { &self.dir },
            decoded.trim_start_matches('/'),
        ) else {
            return match self.read_from_page_address(&decoded, from_root) {
                Some(url) => Ok(Some(format!("{url}{suffix}"))),
                None => Err(LinkError::Broken("leaves the content folder".into())),
            };
        };
        if is_markdown(Path::new(&target)) {
            return self.markdown_link(&target, &decoded, from_root, suffix);
        }
        if let Some(url) = self.targets.assets.get(&target) {
            return Ok(Some(format!("{url}{suffix}")));
        }
        // A file of `static/`, or one beside a page by the URL it is published at.
        let published = self.targets.static_files.contains(&target)
            || self.targets.asset_urls.contains(&format!("/{target}"));
        // Or an alias that names a file (`/2024/01/05/name.html`): it redirects.
        if from_root && (published || self.targets.urls.contains(&format!("/{target}"))) {
            return Ok(None);
        }
        if let Some(url) = self.read_from_page_address(&decoded, from_root) {
            return Ok(Some(format!("{url}{suffix}")));
        }
        // mdBook, Hexo and Jekyll publish `x.md` as `x.html`, and their
        // pages link to that name; no such file here, so the page it was.
        if let Some(url) = self.page_by_html_name(&decoded, from_root) {
            self.published(&url)?;
            return Ok(Some(format!("{url}{suffix}")));
        }
        // Obsidian's `![](Pasted%20image%201.png)`: a file by its name alone.
        if !decoded.contains('/')
            && let Some(url) = self.wiki_target(&decoded)
        {
            return Ok(Some(format!("{url}{suffix}")));
        }
        Err(LinkError::Broken(if from_root {
            format!("no file static/{target} or content/{target}")
        } else {
            format!("no file content/{target}")
        }))
    }
}

impl PageLinks<'_> {
    /// A relative path read from the page's address, as a browser reads it,
    /// when it names a file in `static/` (or one the build makes), or one of
    /// `content/` where it is published: `images/x.png` on the home page,
    /// `../../atom.xml`, MkDocs' raw `<img src="../../assets/x.png">`.
    fn read_from_page_address(&self, decoded: &str, from_root: bool) -> Option<String> {
        let from_url = normalise(Path::new(self.url.trim_start_matches('/')), decoded)?;
        let url = format!("/{from_url}");
        let published =
            self.targets.static_files.contains(&from_url) || self.targets.asset_urls.contains(&url);
        (!from_root && published).then_some(url)
    }

    /// A published page may not link to one that is not published yet: the
    /// link would break in `dunav build`.
    /// The links other tools' reference syntax makes (see
    /// `builtin_shortcodes` and `shortcodes::liquid_links`); `None` for any other.
    fn resolve_written_ref(&self, destination: &str) -> Option<Result<Option<String>, LinkError>> {
        // Zola's internal links, `@/news/a.md`, start from the content
        // folder; a relative `ref` (`@./x.md`) from the page's folder.
        let from_content = destination.strip_prefix('@').filter(|d| d.starts_with('/'));
        if let Some(path) = from_content.or_else(|| destination.strip_prefix("@./")) {
            let resolved = self
                .resolve(path)
                .map(|url| Some(url.unwrap_or_else(|| path.to_string())));
            // Hugo also finds a page by its file's name alone, wherever it is.
            if let (Err(LinkError::Broken(_)), None) = (&resolved, from_content)
                && let Some((url, fragment)) = self.page_by_name_alone(path)
            {
                return Some(
                    self.published(&url)
                        .map(|()| Some(format!("{url}{fragment}"))),
                );
            }
            return Some(resolved);
        }
        // Jekyll's `post_url`: a post by its file's name, wherever it is.
        let written = destination.strip_prefix("@name/")?;
        // Its fragment is an id as written, not a heading's text.
        let (name, fragment) = written.split_at(written.find('#').unwrap_or(written.len()));
        Some(match self.wiki_target(name) {
            Some(url) => self
                .published(&url)
                .map(|()| Some(format!("{url}{fragment}"))),
            None => Err(LinkError::Broken(self.no_page_named(name))),
        })
    }

    /// Why no page has the file name `name`: one is left out of this build,
    /// or there is none.
    fn no_page_named(&self, name: &str) -> String {
        let left_out = self.targets.unpublished.iter().find(|key| {
            let file = key.rsplit('/').next().unwrap_or(key);
            crate::content::paths::markdown_base(file).is_some_and(|stem| stem == name)
        });
        match left_out {
            Some(key) => format!("links to content/{key}, which is a draft, scheduled or expired"),
            None => format!("no page named `{name}` in the content"),
        }
    }

    pub(super) fn published(&self, url: &str) -> Result<(), LinkError> {
        match self.targets.not_yet.get(url) {
            Some(note) if !self.unpublished => Err(LinkError::Unpublished {
                url: url.to_string(),
                reason: format!(
                    "{url} is {}: `dunav build` leaves it out, so this link breaks until it is published",
                    match note {
                        crate::diagnostics::Unpublished::Draft => "a draft",
                        crate::diagnostics::Unpublished::Scheduled => "scheduled",
                        crate::diagnostics::Unpublished::Expired => "past its `expiry_date`",
                    }
                ),
            }),
            _ => Ok(()),
        }
    }

    /// The URL of a `.md` link's page, in the reader's language when there is one.
    pub(super) fn markdown_page(&self, target: &str) -> Result<String, LinkError> {
        // `x.bg.md` in a site whose default language is `bg` is `x.md`, in
        // that language whatever the reader's.
        let default_stem = target
            .strip_suffix(".md")
            .and_then(|t| t.strip_suffix(self.default_lang))
            .and_then(|t| t.strip_suffix('.'))
            .filter(|_| !self.targets.pages.contains_key(target));
        let (target, lang): (Cow<'_, str>, &str) = match default_stem {
            Some(stem) => (format!("{stem}.md").into(), self.default_lang),
            None => (target.into(), self.lang),
        };
        let target: &str = &target;
        if let Some(urls) = self.targets.pages.get(target) {
            let pick = |usable: &dyn Fn(&String) -> bool| {
                urls.get(lang)
                    .filter(|url| usable(url))
                    .or_else(|| urls.get(self.default_lang).filter(|url| usable(url)))
                    // Else the first language by code: the same one in every build.
                    .or_else(|| {
                        urls.iter()
                            .filter(|(_, url)| usable(url))
                            .min_by_key(|(lang, _)| *lang)
                            .map(|(_, url)| url)
                    })
            };
            // A published page links the translation `build` publishes,
            // though `check` and `serve` see drafts (a translation just
            // started is no broken link).
            let published =
                |url: &String| self.unpublished || !self.targets.not_yet.contains_key(url);
            if let Some(url) = pick(&published).or_else(|| pick(&|_| true)) {
                return Ok(url.clone());
            }
        }
        Err(LinkError::Broken(
            if self.targets.unpublished.contains(target) {
                format!("links to content/{target}, which is a draft, scheduled or expired")
            } else if self.targets.unreadable.contains(target) {
                format!("links to content/{target}, which has errors of its own (reported with it)")
            } else {
                format!("no page content/{target}")
            },
        ))
    }

    /// A link to a Markdown file (`x.md`, `../a/x.md#part`) as its page's URL.
    fn markdown_link(
        &self,
        target: &str,
        decoded: &str,
        from_root: bool,
        suffix: &str,
    ) -> Result<Option<String>, LinkError> {
        // Hugo looks a relative `ref` up from the content folder too.
        let from_content = decoded.trim_start_matches('/');
        let url = match self.markdown_page(target) {
            Err(_) if !from_root && self.targets.pages.contains_key(from_content) => {
                self.markdown_page(from_content)?
            }
            // Obsidian writes a note's name alone ("shortest path"),
            // wherever the note is, and a heading's words in its fragment.
            Err(broken) if !decoded.contains('/') => {
                let (url, _) = self.page_by_name_alone(decoded).ok_or(broken)?;
                self.published(&url)?;
                return Ok(Some(format!("{url}{suffix}")));
            }
            found => found?,
        };
        let full = format!("{url}{suffix}");
        match self.published(&url) {
            Ok(()) => Ok(Some(full)),
            Err(LinkError::Unpublished { reason, .. }) => {
                Err(LinkError::Unpublished { url: full, reason })
            }
            Err(e) => Err(e),
        }
    }

    /// Checks a link to a page's URL (`/news/foo/`, or `../foo/` from this page's URL).
    fn page_url(&self, path: &str) -> Result<String, LinkError> {
        let absolute = if path.starts_with('/') {
            path.to_string()
        } else {
            let base = Path::new(self.url.trim_start_matches('/'));
            match normalise(base, path) {
                Some(p) => format!("/{p}"),
                None => return Err(LinkError::Broken("leaves the site".into())),
            }
        };
        let with_slash = if absolute.ends_with('/') {
            absolute
        } else {
            format!("{absolute}/")
        };
        if self.targets.has_url(&with_slash) {
            Ok(with_slash)
        } else if let Some(key) = self.targets.unpublished_urls.get(&with_slash) {
            Err(LinkError::Broken(format!(
                "{with_slash} is content/{key}, which is a draft, scheduled or expired"
            )))
        } else {
            Err(LinkError::Broken(format!("no page at {with_slash}")))
        }
    }
}

fn has_scheme(link: &str) -> bool {
    match link.find(':') {
        Some(i) => {
            link[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && i > 0
        }
        None => false,
    }
}

/// Joins `rel` onto `base` and resolves `.` and `..`; `None` if it climbs out.
pub(super) fn normalise(base: &Path, rel: &str) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in base.join(rel).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%XX` escapes (Cyrillic paths arrive encoded); invalid ones stay as written.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The content path (`news/foo.md`) of a file given relative to the site root.
pub fn content_key(rel: &Path) -> String {
    let inner: PathBuf = rel
        .strip_prefix(crate::content::loader::CONTENT_DIR)
        .unwrap_or(rel)
        .to_path_buf();
    crate::translit::nfc(&inner.to_string_lossy()).replace('\\', "/")
}

/// The `id` attributes in rendered HTML, for checking `#fragment` links.
pub fn ids_in(html: &str) -> HashSet<&str> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            ids.insert(&rest[..end]);
            rest = &rest[end..];
        }
    }
    ids
}

/// A link to a section's `_index.md` (or `_index.en.md`) goes to its listing,
/// in the reader's language when the section has one. Every folder with
/// pages has a listing, so `news/2023/_index.md` works without the file.
pub(crate) fn add_section_targets(
    config: &SiteConfig,
    indexes: &[SectionIndex],
    pages: &[Page],
    targets: &mut LinkTargets,
) {
    let mut add = |key: String, section: &str, lang: &str| {
        targets
            .pages
            .entry(key)
            .or_default()
            .entry(lang.to_string())
            .or_insert_with(|| paths::section_url(config, section, lang));
    };
    let shared = |section: &str| {
        if section.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{section}/_index.md")
        }
    };
    for index in indexes {
        add(content_key(&index.file), &index.section, &index.lang);
        add(shared(&index.section), &index.section, &index.lang);
    }
    let mut seen = HashSet::new();
    for page in pages {
        let mut folder = page.section.as_str();
        while !folder.is_empty() && seen.insert((folder, page.lang.as_str())) {
            add(shared(folder), folder, &page.lang);
            folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        t.pages.insert(
            "events/x.md".into(),
            HashMap::from([
                ("bg".into(), "/events/x/".into()),
                ("en".into(), "/en/events/x/".into()),
            ]),
        );
        t.assets
            .insert("news/photo.jpg".into(), "/news/photo.jpg".into());
        t.static_files.insert("files/plan.pdf".into());
        t.urls
            .extend(["/events/x/", "/news/", "/en/events/x/"].map(String::from));
        t
    }

    #[test]
    fn resolves_relative_and_rooted_links() {
        let t = targets();
        let links = PageLinks {
            targets: &t,
            dir: PathBuf::from("news"),
            url: "/en/news/a/",
            lang: "en",
            default_lang: "bg",
            unpublished: false,
            heading_ids: crate::config::HeadingIds::Transliterated,
        };
        assert_eq!(
            links.resolve("../events/x.md#map").unwrap().as_deref(),
            Some("/en/events/x/#map")
        );
        assert_eq!(
            links.resolve("/events/x.md").unwrap().as_deref(),
            Some("/en/events/x/")
        );
        assert_eq!(
            links.resolve("photo.jpg").unwrap().as_deref(),
            Some("/news/photo.jpg")
        );
        assert_eq!(links.resolve("/files/plan.pdf").unwrap(), None);
        assert!(links.resolve("../events/missing.md").is_err());
        assert!(links.resolve("/files/missing.pdf").is_err());
        assert!(links.resolve("../../../etc/passwd.md").is_err());
        assert_eq!(links.resolve("https://example.org/a.md").unwrap(), None);
        assert_eq!(links.resolve("mailto:a@b.bg").unwrap(), None);
        assert_eq!(links.resolve("tel:+359888").unwrap(), None);
    }

    #[test]
    fn links_to_page_urls_are_checked() {
        let t = targets();
        let links = PageLinks {
            targets: &t,
            dir: PathBuf::from("news"),
            url: "/en/news/a/",
            lang: "en",
            default_lang: "bg",
            unpublished: false,
            heading_ids: crate::config::HeadingIds::Transliterated,
        };
        assert_eq!(links.resolve("/events/x/").unwrap(), None);
        // Given its last slash, so that hosts without redirects serve it.
        assert_eq!(
            links.resolve("/events/x#map").unwrap().as_deref(),
            Some("/events/x/#map")
        );
        assert_eq!(links.resolve("/news/page/3/").unwrap(), None);
        assert_eq!(links.resolve("../../events/x/").unwrap(), None);
        assert!(links.resolve("/events/gone/").is_err());
        assert!(links.resolve("../b/").is_err());
    }
}
