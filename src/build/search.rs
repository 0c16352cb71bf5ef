//! The search index's sources, made from what the build already knows of
//! each page: its text, title, section, date, sectors and image; and the
//! search pages. Listings,
//! tag pages and the 404 are not pages, so they are not indexed; drafts and
//! future pages are not published, so they never are.

use rayon::prelude::*;

use crate::build::Site;
use crate::build::previous::PreviousOutput;
use crate::build::prints::Scope;
use crate::build::render::{Job, Jobs};
use crate::content::Page;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::output::search::{self, SearchSource};
use crate::output::{self, DirSink, Sink};
use crate::render::context as ctx;

impl Site {
    /// Every published page as the index takes it, in page order.
    pub fn search_sources(&self) -> Vec<SearchSource> {
        self.library
            .pages
            .par_iter()
            .enumerate()
            // The search page itself is no result.
            .filter(|(_, page)| page.unpublished_note().is_none() && !self.is_own_search_page(page))
            .map(|(i, page)| self.search_source(i, page))
            .collect()
    }

    fn search_source(&self, i: usize, page: &Page) -> SearchSource {
        let section = self
            .library
            .nearest_section(&page.section, &page.lang)
            .filter(|s| !s.path.is_empty())
            .map(|s| s.title.clone())
            .unwrap_or_default();
        let sectors = page
            .meta
            .sectors
            .iter()
            .map(|key| self.config.sector_label(key, &page.lang).to_string())
            .collect();
        SearchSource {
            url: page.url.clone(),
            lang: page.lang.clone(),
            html: page.content_html.clone(),
            title: page.meta.title.clone(),
            date: page.sort_date().map(|d| d.as_second()),
            image: page.shown_image().map(str::to_string),
            image_alt: page.meta.image_alt.clone().unwrap_or_default(),
            print: Fingerprint::new()
                .with(&self.page_prints[i])
                .with(&page.source_hash)
                .with(&section)
                .with(&sectors)
                .finish(),
            section,
            sectors,
        }
    }

    /// Where pages prepared for the search index are kept between builds.
    pub fn search_cache_path(&self) -> std::path::PathBuf {
        self.root.join(super::CACHE_DIR).join("search")
    }

    /// What the search bundle is made from, when site.toml has search on:
    /// taken before the site is let go, so that the index has its memory.
    pub(super) fn search_input(&self, reuse: search::Reuse) -> Option<SearchInput> {
        self.config.search.enabled.then(|| SearchInput {
            sources: self.search_sources(),
            cache: self.search_cache_path(),
            reuse,
            // What else an entry shows: its image's size, its date's zone.
            settings: Fingerprint::new()
                .with(&self.config.source_print)
                .with(&self.config.base_url)
                .finish(),
        })
    }

    /// Whether `page` is the site's own search page (`content/search.md`,
    /// which Hugo themes ask for): at a search page's address, without a
    /// `template` of its own, shown with `search.html` in place of dunav's.
    pub(super) fn is_own_search_page(&self, page: &crate::content::Page) -> bool {
        self.config.search.enabled
            && page.url.ends_with("/search/")
            && page.meta.template.is_none()
            && page.url == format!("{}/search/", self.config.language_prefix(&page.lang))
            && self.template_exists("search.html")
    }

    /// The language switch of a search page: every language has one, the
    /// site's own or dunav's, at the same address.
    pub(super) fn search_switch(&self) -> Vec<ctx::SwitchLink> {
        self.config
            .language_codes()
            .into_iter()
            .map(|lang| ctx::SwitchLink {
                url: format!("{}/search/", self.config.language_prefix(&lang)),
                lang,
                translated: true,
            })
            .collect()
    }

    /// A search page per language, `/search/` and `/en/search/`, when search
    /// is on and the theme has `search.html`; a language whose site has a
    /// page of its own there has that one instead.
    pub(super) fn search_page_jobs(&self, jobs: &mut Jobs<'_>, scope: &Scope<'_>) {
        if !self.config.search.enabled || !self.template_exists("search.html") {
            return;
        }
        let urls: Vec<(String, String)> = self
            .config
            .language_codes()
            .into_iter()
            .map(|lang| {
                let url = format!("{}/search/", self.config.language_prefix(&lang));
                (lang, url)
            })
            .collect();
        let switch = self.search_switch();
        for (lang, url) in &urls {
            let path = output::file_for_url(url);
            let own_page = self.library.pages.iter().any(|page| page.url == *url);
            if own_page || !scope.needed(&path, self.global_print) {
                continue;
            }
            let mut context = self.base_context(lang, url);
            context.insert("translations", &Vec::<ctx::TranslationLink>::new());
            context.insert("language_switch", &switch);
            let title = self.string(lang, "search");
            self.describe_listing(&mut context, lang, &[(title, url.clone())]);
            jobs.push(Job {
                template: "search.html".into(),
                path,
                context,
                source: format!("search page in {lang}"),
            });
        }
    }
}

/// The pages to index and where prepared pages are kept between builds.
pub(super) struct SearchInput {
    sources: Vec<SearchSource>,
    cache: std::path::PathBuf,
    reuse: search::Reuse,
    /// A fingerprint of site.toml.
    settings: u64,
}

impl SearchInput {
    /// A fingerprint of everything the bundle holds.
    pub(super) fn print(&self) -> u64 {
        crate::fingerprint::of(&(search::search_print(&self.sources), self.settings))
    }

    /// Writes the search bundle, with each file's print (of its bytes). A
    /// file `previous` has with the same print is taken from it. A site's
    /// own static file of the same name stays, as it does when the bundle
    /// is taken over whole.
    pub(super) fn write(
        self,
        sink: &DirSink,
        previous: Option<&PreviousOutput>,
    ) -> (Vec<Diagnostic>, Vec<(String, u64)>) {
        let files = match search::bundle(self.sources, Some(&self.cache), self.reuse) {
            Ok(files) => files,
            Err(why) => {
                let why = format!("cannot build the search index: {why}");
                return (vec![Diagnostic::error(search::BUNDLE_DIR, why)], Vec::new());
            }
        };
        let written: Vec<(String, u64, Option<Diagnostic>)> = files
            .into_par_iter()
            .filter(|(path, _)| !sink.has_written(path).unwrap_or(false))
            .map(|(path, bytes)| {
                let print = crate::fingerprint::of(&bytes[..]);
                let carried = previous.is_some_and(|previous| {
                    previous.prints.get(&path) == Some(&print)
                        && previous.carry(sink, &path).is_ok()
                });
                let problem = (!carried)
                    .then(|| sink.write(&path, &bytes).err())
                    .flatten()
                    .map(|e| super::render::write_problem(&path, e));
                (path, print, problem)
            })
            .collect();
        let (mut problems, mut prints) = (Vec::new(), Vec::with_capacity(written.len()));
        for (path, print, problem) in written {
            problems.extend(problem);
            prints.push((path, print));
        }
        (problems, prints)
    }
}
