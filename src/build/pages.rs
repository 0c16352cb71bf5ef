//! One output per page (rendered as its context is made, so memory stays
//! flat), the 404 page, and patching one edited page into a loaded site.

use std::path::Path;

use rayon::prelude::*;
use tera::Value;

use crate::build::Site;
use crate::build::load::section_with_pages;
use crate::build::prints::{Scope, page_print};
use crate::build::render::{Job, Jobs};
use crate::content::digest;
use crate::content::links::content_key;
use crate::content::{Page, PageKind};
use crate::diagnostics::Diagnostic;
use crate::output::{self, Sink};
use crate::render::context as ctx;
use crate::render::structured::Crumb;

impl Site {
    /// Renders every page whose output changed.
    /// `patched`: only pages were edited in place, and only the pages that
    /// show them can have changed.
    pub(super) fn render_pages(
        &self,
        sink: &dyn Sink,
        scope: &Scope<'_>,
        theme: &Path,
        patched: Option<&[usize]>,
    ) -> Vec<Diagnostic> {
        let positions = self.section_positions();
        let pages: Vec<usize> = match patched {
            Some(changed) => self.pages_showing(changed, &positions),
            None => (0..self.library.pages.len()).collect(),
        };
        pages
            .into_par_iter()
            .filter_map(|i| {
                let page = &self.library.pages[i];
                let (path, print) = self.page_output_print(i, page, &positions);
                scope
                    .needed(&path, print)
                    .then(|| self.page_job(i, page, &positions))
                    .and_then(|job| self.run_job(job, sink, theme))
            })
            .collect()
    }

    /// Puts an edited page in place when it keeps its place in every listing
    /// (see [`crate::content::Library::replace_page`]); `None` when a full build is needed.
    pub fn patch_page(&mut self, index: usize, page: Page) -> Option<Vec<Diagnostic>> {
        let problems = self.library.replace_page(index, page, &self.config)?;
        let page = &self.library.pages[index];
        // Its links are its own: the other summaries keep theirs.
        let summary = ctx::page_summary(page, &self.config, self.now, &Default::default());
        self.summaries[index] = summary.clone();
        self.page_prints[index] = page_print(
            page,
            self.now,
            self.library.links_fingerprint,
            &self.base_url_override,
        );
        if let Ok(mut pages) = self.index.pages.write() {
            pages.insert(content_key(&page.file), summary);
        }
        if let Some(section) = self.library.section(&page.section, &page.lang) {
            let value = section_with_pages(section, &self.config, &self.summaries);
            if let Ok(mut sections) = self.index.sections.write() {
                sections.insert((section.path.clone(), section.lang.clone()), value);
            }
        }
        Some(problems)
    }

    /// Each page's position in its section's listing, for previous/next links.
    fn section_positions(&self) -> Vec<usize> {
        let mut positions = vec![0; self.library.pages.len()];
        for section in &self.library.sections {
            for (pos, &page) in section.pages.iter().enumerate() {
                // A section lists its sub-folders' pages too; a page's
                // neighbours are those of its own folder's listing.
                if self.library.pages[page].section == section.path {
                    positions[page] = pos;
                }
            }
        }
        positions
    }

    fn page_job(&self, i: usize, page: &Page, positions: &[usize]) -> Job {
        let lib = &self.library;
        let section = lib.nearest_section(&page.section, &page.lang);
        // Neighbours in its own folder's listing only.
        let (lower, higher) = match section.filter(|s| s.path == page.section) {
            Some(s) => {
                let pos = positions[i];
                // Listings run newest first: "higher" is the newer neighbour.
                let higher = pos.checked_sub(1).map(|p| &self.summaries[s.pages[p]]);
                let lower = s.pages.get(pos + 1).map(|&p| &self.summaries[p]);
                (lower, higher)
            }
            None => (None, None),
        };
        let mut context = self.base_context(&page.lang, &page.url);
        let mut page_value = ctx::page_full(
            page,
            &self.summaries[i],
            lib,
            (lower, higher),
            self.summary_list(&self.related[i]),
        );
        if page.kind == PageKind::Newsletter {
            page_value = self.with_digest(page_value, i);
        }

        context.insert_value("page", page_value);
        self.describe_page(&mut context, page, section);
        if let Some(s) = section {
            context.insert_value(
                "section",
                self.section_values[&(s.path.clone(), s.lang.clone())].clone(),
            );
        }
        self.insert_languages(
            &mut context,
            &self.page_translations(page),
            Some(&page.section),
        );
        // A `template` the theme lacks was warned of: the default shows it.
        let template = match &page.meta.template {
            Some(template) if self.template_exists(template) => template.clone(),
            None if self.is_own_search_page(page) => {
                context.insert("language_switch", &self.search_switch());
                "search.html".into()
            }
            _ => page.kind.template().to_string(),
        };
        Job {
            template,
            path: output::file_for_url(&page.url),
            context,
            source: page.file.display().to_string(),
        }
    }

    /// A page's preview values and structured data.
    fn describe_page(
        &self,
        context: &mut tera::Context,
        page: &Page,
        section: Option<&crate::content::sections::Section>,
    ) {
        let facts = self.facts(&page.lang);
        let langs: Vec<String> = self
            .library
            .translations_of(page)
            .map(|p| p.lang.clone())
            .collect();
        let section = section.filter(|s| !s.path.is_empty());
        let sharing = facts.page(page, section.map(|s| s.title.as_str()), &langs);
        context.insert("sharing", &sharing);
        let mut crumbs: Vec<Crumb> = self.section_crumbs(&page.section, &page.lang);
        crumbs.push((page.meta.title.clone(), page.url.clone()));
        context.insert("structured_data", &facts.page_json_ld(page, &crumbs));
    }

    /// The page in every language it has, for the language switch.
    pub(super) fn page_translations(&self, page: &Page) -> Vec<ctx::TranslationLink> {
        self.library
            .translations
            .get(&page.translation_key)
            .into_iter()
            .flatten()
            .map(|&i| &self.library.pages[i])
            .map(|p| ctx::TranslationLink {
                lang: p.lang.clone(),
                url: p.url.clone(),
                title: p.meta.title.clone(),
            })
            .collect()
    }

    /// A newsletter issue's archive page lists what its email carried.
    fn with_digest(&self, page_value: Value, issue: usize) -> Value {
        let Ok(digest) = digest::collect(&self.library, &self.config, issue, &[]) else {
            return page_value;
        };
        let Some(map) = page_value.as_map() else {
            return page_value;
        };
        let mut map = map.clone();
        let mut digest_map = tera::Map::new();
        digest_map.insert("news".into(), self.summary_list(&digest.news));
        digest_map.insert("events".into(), self.summary_list(&digest.events));
        digest_map.insert("projects".into(), self.summary_list(&digest.projects));
        map.insert("digest".into(), Value::from(digest_map));
        Value::from(map)
    }

    /// The listing values of some pages, as one template list.
    pub(super) fn summary_list(&self, pages: &[usize]) -> Value {
        Value::from(
            pages
                .iter()
                .map(|&i| self.summaries[i].clone())
                .collect::<Vec<_>>(),
        )
    }

    /// A not-found page per language: `/404.html`, `/en/404.html`.
    pub(super) fn not_found_jobs(&self, jobs: &mut Jobs<'_>, scope: &Scope<'_>) {
        if !self.template_exists("404.html") {
            return;
        }
        for lang in self.config.language_codes() {
            let url = format!("{}/404.html", self.config.language_prefix(&lang));
            let path = url.trim_start_matches('/').to_string();
            // The site's own (in `static/`) is published instead.
            if self.library.published.contains_key(&path) || !scope.needed(&path, self.global_print)
            {
                continue;
            }
            let mut context = self.base_context(&lang, &url);
            // Each language has its own: the switch leads to the other homes,
            // which are not a missing translation.
            let homes: Vec<_> = self
                .language_switch(&[], None)
                .into_iter()
                .map(|link| ctx::SwitchLink {
                    translated: true,
                    ..link
                })
                .collect();
            context.insert("translations", &Vec::<ctx::TranslationLink>::new());
            context.insert("language_switch", &homes);
            jobs.push(Job {
                template: "404.html".into(),
                path,
                context,
                source: format!("404 in {lang}"),
            });
        }
    }
}
