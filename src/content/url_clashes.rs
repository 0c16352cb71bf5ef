//! Every URL of a site names one thing: a page, a listing, a feed, an
//! alias or a published file. Two that claim one are an error at the
//! field that made the claim.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::content::library::{Library, alias_url};
use crate::content::loader::SectionIndex;
use crate::content::page::Page;
use crate::content::paths;
use crate::diagnostics::Diagnostic;

impl Library {
    /// Leaves out, with a warning, each page's or listing's former address
    /// (another tool's `url`: `former_urls` in its front matter) that a
    /// page, a listing, a published file or an earlier alias has: it was
    /// kept to redirect readers, and must not fail a build an alias would.
    pub(super) fn drop_clashing_former_urls(
        &mut self,
        made_by_build: &HashSet<String>,
        indexes: &mut [SectionIndex],
        problems: &mut Vec<Diagnostic>,
    ) {
        let metas = || {
            let pages = self.pages.iter().map(|p| &p.meta);
            pages.chain(indexes.iter().map(|i| &i.meta))
        };
        // Most sites have none: no sets of every URL for them on each build.
        if metas().all(|meta| meta.former_urls.is_empty()) {
            return;
        }
        // Case aside: a file system that ignores it finds the same folder.
        let lower = |url: &str| url.to_lowercase();
        let page_urls: HashSet<String> = self.pages.iter().map(|p| lower(&p.url)).collect();
        let made: HashSet<String> = made_by_build.iter().map(|u| lower(u)).collect();
        // Aliases written as such come first: a former address yields to them.
        let mut taken: HashSet<String> = metas()
            .flat_map(|meta| {
                (meta.aliases.iter()).filter(|a| !meta.former_urls.iter().any(|(_, f)| f == *a))
            })
            .map(|a| lower(&alias_url(a)))
            .collect();
        // By place in `metas()`: pages first, then listings.
        let mut clashing: Vec<(usize, String, String)> = Vec::new();
        for (index, meta) in metas().enumerate() {
            for (field, former) in &meta.former_urls {
                let url = lower(&alias_url(former));
                if page_urls.contains(&url)
                    || made.contains(&url)
                    || self.is_published_file(&alias_url(former))
                    || !taken.insert(url)
                {
                    clashing.push((index, field.clone(), former.clone()));
                }
            }
        }
        let pages = self.pages.len();
        for (index, field, alias) in clashing {
            let (file, meta, at) = match index.checked_sub(pages) {
                None => {
                    let page = &mut self.pages[index];
                    let at = format!("the page is at {}; ", page.url);
                    (&page.file, &mut page.meta, at)
                }
                Some(i) => (&indexes[i].file, &mut indexes[i].meta, String::new()),
            };
            meta.aliases.retain(|a| *a != alias);
            meta.former_urls.retain(|(_, a)| *a != alias);
            // It replaces the warning that said the address redirects.
            problems.retain(|p| {
                !(p.path == *file
                    && p.field.as_deref() == Some(field.as_str())
                    && p.message.contains(alias.as_str()))
            });
            problems.push(
                Diagnostic::warning(
                    file,
                    format!("{at}its address here, {alias}, is another page's or file's, and does not redirect"),
                )
                .at_field(field.as_str())
                .at_line(meta.line_of(&field)),
            );
        }
    }

    /// Leaves out, with a warning, an alias that names the listing dunav
    /// makes up for a folder without `_index.md` (Jekyll's `redirect_from:
    /// /docs/step-by-step/` on that folder's first page): no one wrote that
    /// listing, so the clash is no one's mistake to fail the build on. The
    /// listing keeps its address, as breadcrumbs link to it.
    pub(super) fn drop_aliases_on_made_up_listings(
        &mut self,
        config: &crate::config::SiteConfig,
        indexes: &mut [SectionIndex],
        problems: &mut Vec<Diagnostic>,
    ) {
        if self.pages.iter().all(|p| p.meta.aliases.is_empty())
            && indexes.iter().all(|i| i.meta.aliases.is_empty())
        {
            return;
        }
        let written: HashSet<String> = indexes
            .iter()
            .map(|i| paths::section_url(config, &i.section, &i.lang))
            .collect();
        let mut made_up = HashSet::new();
        for page in &self.pages {
            let mut folder = page.section.as_str();
            while !folder.is_empty() {
                let url = paths::section_url(config, folder, &page.lang);
                if !written.contains(&url) {
                    made_up.insert(url);
                }
                folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
            }
        }
        let pages = self.pages.iter_mut().map(|p| (&p.file, &mut p.meta));
        let listings = indexes.iter_mut().map(|i| (&i.file, &mut i.meta));
        for (file, meta) in pages.chain(listings) {
            let (dropped, kept) = std::mem::take(&mut meta.aliases)
                .into_iter()
                .partition(|alias| made_up.contains(&alias_url(alias)));
            meta.aliases = kept;
            for alias in dropped {
                problems.push(
                    Diagnostic::warning(
                        file,
                        format!(
                            "alias {alias} is left out: it is the listing of a folder, which keeps it"
                        ),
                    )
                    .at_field("aliases")
                    .at_line(meta.line_of("aliases"))
                    .with_help("remove the alias, or write the folder's `_index.md` to say what its listing shows"),
                );
            }
        }
    }

    /// Two pages at one URL, or a page where the site makes a listing or a
    /// file publishes: errors. Returns the aliases that clash, to leave out.
    pub(super) fn check_unique_urls(
        &self,
        root: &Path,
        made_by_build: &HashSet<String>,
        indexes: &[SectionIndex],
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<AliasOf> {
        let mut seen: HashMap<String, &Page> = HashMap::new();
        for page in &self.pages {
            if made_by_build.contains(&page.url) {
                problems.push(
                    Diagnostic::error(
                        &page.file,
                        format!(
                            "has the URL {} of a page the site makes (a listing, a feed…)",
                            page.url
                        ),
                    )
                    .at_field("slug")
                    .at_line(page.meta.line_of("slug"))
                    .with_help(clash_help(root, page)),
                );
            }
            if let Some(pager) = pager_of_listing(&page.url, made_by_build) {
                problems.push(
                    Diagnostic::error(
                        &page.file,
                        format!("has the URL {} of page {pager} of a listing the site makes", page.url),
                    )
                    .at_field("slug")
                    .at_line(page.meta.line_of("slug"))
                    .with_help("rename the file or give it a `slug`: a listing's pages are `page/2/`, `page/3/`…"),
                );
            }
            if let Some(first) = seen.insert(page.url.clone(), page) {
                // Told at the page whose `slug` made the clash, if one has it.
                let (at, other) = if first.meta.lines.contains_key("slug")
                    && !page.meta.lines.contains_key("slug")
                {
                    (first, page)
                } else {
                    (page, first)
                };
                problems.push(
                    Diagnostic::error(
                        &at.file,
                        format!("has the same URL {} as {}", page.url, other.file.display()),
                    )
                    .at_field("slug")
                    .at_line(at.meta.line_of("slug"))
                    .with_help("give one of them another `slug`"),
                );
            }
        }
        self.check_published_files(root, made_by_build, &seen, problems);
        self.clashing_aliases(made_by_build, &seen, indexes, problems)
    }

    /// Leaves out the aliases [`Self::check_unique_urls`] found clashing.
    pub(super) fn drop_aliases(&mut self, drops: Vec<AliasOf>, indexes: &mut [SectionIndex]) {
        for drop in drops {
            let aliases = match drop.owner {
                Owner::Page(i) => self.pages.get_mut(i).map(|p| &mut p.meta.aliases),
                Owner::Listing(i) => indexes.get_mut(i).map(|l| &mut l.meta.aliases),
            };
            if let Some(aliases) = aliases {
                aliases.retain(|alias| *alias != drop.alias);
            }
        }
    }

    /// The aliases, of pages or of listings, at an address something else
    /// has: a page, a listing, a file, or an alias of an earlier page. Each
    /// yields, with a warning, as Hugo lets its redirect go.
    fn clashing_aliases(
        &self,
        made_by_build: &HashSet<String>,
        page_urls: &HashMap<String, &Page>,
        indexes: &[SectionIndex],
        problems: &mut Vec<Diagnostic>,
    ) -> Vec<AliasOf> {
        let mut drops = Vec::new();
        let mut aliases: HashMap<String, &Path> = HashMap::new();
        let pages = (self.pages.iter().enumerate())
            .map(|(i, p)| (Owner::Page(i), p.file.as_path(), &p.meta));
        let listings = (indexes.iter().enumerate())
            .map(|(i, l)| (Owner::Listing(i), l.file.as_path(), &l.meta));
        for (owner, file, meta) in pages.chain(listings) {
            for alias in &meta.aliases {
                let url = alias_url(alias);
                let clash = if made_by_build.contains(&url) {
                    Some("is the URL of a page the site makes (a listing, a feed…)".to_string())
                } else if let Some(other) = page_urls.get(&url) {
                    Some(format!("is the URL of {}", other.file.display()))
                } else if self.is_published_file(&url) {
                    Some("is the path of a file the site publishes (static/, a page's files, the search bundle)".to_string())
                } else {
                    match aliases.insert(url, file) {
                        Some(other) if other != file => {
                            Some(format!("is also an alias of {}", other.display()))
                        }
                        _ => None,
                    }
                };
                if let Some(clash) = clash {
                    problems.push(
                        Diagnostic::warning(file, format!("alias {alias} {clash}; left out"))
                            .at_field("aliases")
                            .at_line(meta.line_of("aliases"))
                            .with_help(
                                "remove the alias, or point it at an address nothing else uses",
                            ),
                    );
                    drops.push(AliasOf {
                        owner,
                        alias: alias.clone(),
                    });
                }
            }
        }
        drops
    }

    /// A file of `static/` (the site's or the theme's) or beside a page
    /// may not be published where the build writes a page, a listing or a
    /// feed: one would silently replace the other. The site's own
    /// `robots.txt`, `syntax.css` and `404.html` replace dunav's, as their
    /// files' owner meant (as Hugo and Zola publish a static 404.html).
    fn check_published_files(
        &self,
        root: &Path,
        made_by_build: &HashSet<String>,
        page_urls: &HashMap<String, &Page>,
        problems: &mut Vec<Diagnostic>,
    ) {
        let mut clashes: Vec<(&String, &std::path::PathBuf, String)> = Vec::new();
        for (path, file) in &self.published {
            if REPLACEABLE_FILES.contains(&path.as_str()) {
                continue;
            }
            let url = match path.strip_suffix("index.html") {
                Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
                _ => format!("/{path}"),
            };
            let clash = if let Some(page) = page_urls.get(&url) {
                format!("is published at {url}, the URL of {}", page.file.display())
            } else if made_by_build.contains(&url) || made_by_build.contains(&format!("/{path}")) {
                format!(
                    "is published at {url}, where the site makes a listing, a feed or a file of its own"
                )
            } else if let Some(pager) = pager_of_listing(&url, made_by_build) {
                format!("is published at {url}, page {pager} of a listing the site makes")
            } else {
                continue;
            };
            clashes.push((path, file, clash));
        }
        clashes.sort();
        for (_, file, clash) in clashes {
            problems.push(
                Diagnostic::error(file.strip_prefix(root).unwrap_or(file), clash).with_help(
                    "move or rename the file: it would replace what the site makes there",
                ),
            );
        }
    }

    /// Whether a site path (`/old.html`, `/files/`) is a file published as
    /// it is, or in the search bundle's folder.
    fn is_published_file(&self, url: &str) -> bool {
        let path = url.trim_start_matches('/');
        let file = if path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        self.published.contains_key(&file)
            || file
                .strip_prefix(crate::content::paths::SEARCH_BUNDLE_DIR)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// Files dunav makes that a site may bring its own of, in `static/`.
const REPLACEABLE_FILES: [&str; 3] = ["robots.txt", "syntax.css", "404.html"];

/// The page number when `url` is a listing's later page (`/news/page/2/`).
fn pager_of_listing(url: &str, made_by_build: &HashSet<String>) -> Option<u32> {
    let rest = url.strip_suffix('/')?;
    let (listing, number) = rest.rsplit_once("/page/")?;
    let number: u32 = number.parse().ok()?;
    (number > 1 && made_by_build.contains(&format!("{listing}/"))).then_some(number)
}

/// What to do about a page at a URL the build makes, as its file shows it.
fn clash_help(root: &Path, page: &Page) -> String {
    let index = page.file.with_file_name("_index.md");
    if page.is_bundle && root.join(&index).exists() {
        return format!(
            "{} is already the text of this folder's listing: keep one of the two (a folder is a listing with _index.md, or one page with index.md)",
            index.display()
        );
    }
    match page.is_bundle {
        true => "its folder's sub-folders hold pages, which makes it a listing: name the file _index.md to be that listing's text, or give it a `slug`",
        false => "rename the file or give it a `slug`",
    }
    .to_string()
}

/// Folders whose names give one URL (`Plugins/` and `plugins/`, `Новини/`
/// and `novini/`): their listings would overwrite each other, the last
/// written winning. An error at each folder after the first.
pub(crate) fn folders_sharing_a_url<'a>(
    config: &crate::config::SiteConfig,
    folders: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<Diagnostic> {
    let mut first_at: HashMap<String, &str> = HashMap::new();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for (section, lang) in folders {
        let mut path = section;
        loop {
            if seen.insert((path, lang)) {
                let url = crate::content::paths::section_url(config, path, lang);
                match first_at.get(&url) {
                    Some(first) if *first != path => problems.push(
                        Diagnostic::error(
                            Path::new(crate::content::loader::CONTENT_DIR).join(path),
                            format!("has the URL {url} of the folder content/{first} too: one listing would overwrite the other"),
                        )
                        .with_help("rename one of the two folders"),
                    ),
                    Some(_) => {}
                    None => {
                        first_at.insert(url, path);
                    }
                }
            }
            if path.is_empty() {
                break;
            }
            path = path.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }
    problems
}

/// Whose alias: a page's or a listing's, by its place in the library's
/// pages or the section indexes.
#[derive(Clone, Copy)]
pub(super) enum Owner {
    Page(usize),
    Listing(usize),
}

/// An alias to leave out.
pub(super) struct AliasOf {
    owner: Owner,
    alias: String,
}
