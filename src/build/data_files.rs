//! Data files: Atom feeds, calendars, redirect pages, the sitemap,
//! robots.txt and the code stylesheet. Each kind is listed by a function of
//! its own with its fingerprint; only the changed ones are made and written.

use rayon::prelude::*;

use crate::build::Site;
use crate::build::prints::Scope;
use crate::build::render::write_problem;
use crate::content::library::alias_url;
use crate::content::{Page, PageKind};
use crate::diagnostics::Diagnostic;
use crate::output::{self, Sink, calendar, feeds, sitemap};

type Make<'a> = Box<dyn Fn() -> Vec<u8> + Send + Sync + 'a>;

/// One data file: its output path (`atom.xml`, as pages' are kept: not a
/// URL), its fingerprint, and how to make it.
struct DataFile<'a> {
    path: String,
    print: u64,
    make: Make<'a>,
}

impl Site {
    /// Feeds, calendars, sitemap, robots.txt, redirects and the code stylesheet.
    pub(super) fn write_data_files(&self, sink: &dyn Sink, scope: &Scope<'_>) -> Vec<Diagnostic> {
        let mut files = Vec::new();
        for lang in self.config.language_codes() {
            self.feed_files(&lang, &mut files);
            self.calendar_files(&lang, &mut files);
        }
        self.redirect_files(&mut files);
        files.push(self.sitemap_file());
        files.push(DataFile {
            path: "robots.txt".into(),
            print: self.global_print,
            make: Box::new(|| sitemap::robots(&self.config).into_bytes()),
        });
        files.push(DataFile {
            path: "syntax.css".into(),
            print: self.global_print,
            make: Box::new(|| crate::markdown::highlight::stylesheet().into_bytes()),
        });
        // The site's own (in `static/`) is published instead.
        files.retain(|f| !self.library.published.contains_key(&f.path));
        files
            .par_iter()
            .filter(|f| scope.needed(&f.path, f.print))
            .filter_map(|f| {
                sink.write(&f.path, &(f.make)())
                    .err()
                    .map(|e| write_problem(&f.path, e))
            })
            .collect()
    }

    /// The language's feed of all news, and one feed per section.
    fn feed_files<'a>(&'a self, lang: &str, files: &mut Vec<DataFile<'a>>) {
        let limit = self.config.feed_limit;
        let prefix = self.config.language_prefix(lang);
        let title = self.config.title(lang).to_string();
        let news: Vec<usize> = self
            .library
            .pages_of(PageKind::News, lang)
            .iter()
            .take(limit)
            .copied()
            .collect();
        files.push(self.feed_file(
            feeds::Feed {
                title: title.clone(),
                feed_url: format!("{prefix}/atom.xml"),
                page_url: format!("{prefix}/"),
                lang: lang.to_string(),
            },
            news,
            "feed",
        ));
        for section in self.library.sections.iter() {
            if section.lang != lang || section.path.is_empty() {
                continue;
            }
            let pages: Vec<usize> = section.pages.iter().take(limit).copied().collect();
            let feed_title = format!("{} · {title}", section.title);
            let feed = feeds::Feed {
                title: feed_title.clone(),
                feed_url: format!("{}atom.xml", section.url),
                page_url: section.url.clone(),
                lang: lang.to_string(),
            };
            files.push(self.feed_file(feed, pages, &feed_title));
        }
    }

    fn feed_file<'a>(&'a self, feed: feeds::Feed, pages: Vec<usize>, label: &str) -> DataFile<'a> {
        DataFile {
            path: output::file_for_url(&feed.feed_url),
            print: self.data_print(label, &pages),
            make: Box::new(move || {
                let pages: Vec<&Page> = pages.iter().map(|&i| &self.library.pages[i]).collect();
                feeds::atom(&self.config, &feed, &pages).into_bytes()
            }),
        }
    }

    /// One calendar per event, and one of all the language's events.
    fn calendar_files<'a>(&'a self, lang: &str, files: &mut Vec<DataFile<'a>>) {
        let lib = &self.library;
        let events = lib.events_by_start(lang);
        for &i in &events {
            let event = &lib.pages[i];
            files.push(DataFile {
                path: output::file_for_url(&event.ics_url()),
                print: self.data_print("ics", &[i]),
                make: Box::new(move || {
                    let one = std::slice::from_ref(&event);
                    calendar::calendar(&self.config, &event.meta.title, one).into_bytes()
                }),
            });
        }
        let events_section = lib
            .section("events", lang)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| "events".into());
        let name = format!("{} · {events_section}", self.config.title(lang));
        files.push(DataFile {
            path: output::file_for_url(&format!(
                "{}/events/calendar.ics",
                self.config.language_prefix(lang)
            )),
            print: self.data_print(&name, &events),
            make: Box::new(move || {
                let pages: Vec<&Page> = events.iter().map(|&i| &lib.pages[i]).collect();
                calendar::calendar(&self.config, &name, &pages).into_bytes()
            }),
        });
    }

    /// A redirect page at every alias of a page or a listing.
    fn redirect_files<'a>(&'a self, files: &mut Vec<DataFile<'a>>) {
        let pages = self
            .library
            .pages
            .iter()
            .map(|p| (&p.meta, &p.url, &p.lang));
        let listings = (self.library.sections.iter())
            .filter(|s| s.file.is_some())
            .map(|s| (&s.meta, &s.url, &s.lang));
        for (meta, url, lang) in pages.chain(listings) {
            for alias in &meta.aliases {
                files.push(DataFile {
                    path: output::file_for_url(&alias_url(alias)),
                    print: crate::fingerprint::of(&(self.global_print, url, lang)),
                    make: Box::new(move || {
                        let target = self.config.absolute_url(url);
                        output::aliases::redirect_page(&target, lang).into_bytes()
                    }),
                });
            }
        }
    }

    fn sitemap_file(&self) -> DataFile<'_> {
        DataFile {
            path: "sitemap.xml".into(),
            print: crate::fingerprint::of(&(
                self.global_print,
                sitemap::fingerprint(&self.library),
            )),
            make: Box::new(|| {
                let mut entries = sitemap::entries(&self.library, &self.config);
                // The search page is not for search engines (`noindex`), the site's own too.
                let own: Vec<&str> = (self.library.pages.iter())
                    .filter(|p| self.is_own_search_page(p))
                    .map(|p| p.url.as_str())
                    .collect();
                entries.retain(|e| !own.contains(&e.url.as_str()));
                sitemap::sitemap(&self.config, &entries).into_bytes()
            }),
        }
    }
}
