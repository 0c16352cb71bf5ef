//! Listing pages: the home page of each language, each section's paginated
//! listing (events split into upcoming and past), and the taxonomy pages.

use tera::{Context, Value};

use crate::build::Site;
use crate::build::prints::{Scope, section_print};
use crate::build::render::{Job, Jobs};
use crate::content::frontmatter::ProjectStatus;
use crate::content::{PageKind, Section, TAXONOMIES, Term};
use crate::fingerprint::Fingerprint;
use crate::output;
use crate::render::context as ctx;

/// The page indexes the home page lists.
struct HomeLists {
    news: Vec<usize>,
    events: Vec<usize>,
    projects: Vec<usize>,
}

/// How many upcoming events and current projects the home page shows.
const HOME_EVENTS: usize = 5;
const HOME_PROJECTS: usize = 6;

impl Site {
    pub(super) fn section_jobs<'a>(&'a self, jobs: &mut Jobs<'a>, scope: &Scope<'_>) {
        for section in &self.library.sections {
            if section.path.is_empty() {
                self.home_job(section, jobs, scope);
            } else {
                self.section_listing_jobs(section, jobs, scope);
            }
        }
    }

    fn section_translations(&self, section: &Section) -> Vec<ctx::TranslationLink> {
        let prefix = self.config.language_prefix(&section.lang);
        let bare = section.url.strip_prefix(&prefix).unwrap_or(&section.url);
        self.listing_translations(bare, |l| self.library.section(&section.path, l).is_some())
    }

    fn section_source(section: &Section) -> String {
        section
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_else(|| format!("content/{}", section.path))
    }

    fn home_job(&self, section: &Section, jobs: &mut Jobs<'_>, scope: &Scope<'_>) {
        let lists = self.home_lists(&section.lang);
        // The home page links to a kind's listing only where the site has one.
        let listing_urls: std::collections::BTreeMap<&str, &str> = ["news", "events", "projects"]
            .into_iter()
            .filter_map(|kind| {
                Some((
                    kind,
                    self.library.section(kind, &section.lang)?.url.as_str(),
                ))
            })
            .collect();
        let head = Fingerprint::new()
            .with(&section_print(section))
            .with(&listing_urls)
            .with(&lists.news)
            .with(&lists.events)
            .with(&lists.projects)
            .finish();
        let all: Vec<usize> = [&lists.news, &lists.events, &lists.projects]
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let path = output::file_for_url(&section.url);
        if !scope.needed(&path, self.listing_print(head, 1, 1, &all)) {
            return;
        }
        let mut context = self.base_context(&section.lang, &section.url);
        context.insert_value("section", self.section_value(section));
        self.insert_languages(&mut context, &self.section_translations(section), Some(""));
        context.insert_value("recent_news", self.summary_list(&lists.news));
        context.insert_value("upcoming_events", self.summary_list(&lists.events));
        context.insert_value("projects", self.summary_list(&lists.projects));
        context.insert("structured_data", &self.facts(&section.lang).home_json_ld());
        context.insert("listing_urls", &listing_urls);
        let prefix = self.config.language_prefix(&section.lang);
        context.insert("feed_url", &format!("{prefix}/atom.xml"));
        jobs.push(Job {
            template: "index.html".into(),
            path,
            context,
            source: Self::section_source(section),
        });
    }

    fn section_value(&self, section: &Section) -> Value {
        self.section_values[&(section.path.clone(), section.lang.clone())].clone()
    }

    fn section_listing_jobs<'a>(
        &'a self,
        section: &'a Section,
        jobs: &mut Jobs<'a>,
        scope: &Scope<'_>,
    ) {
        let lib = &self.library;
        // The events listing shows upcoming events (soonest first) above the past ones.
        let (listed, upcoming): (Vec<usize>, Vec<usize>) =
            if PageKind::of_section(&section.path) == PageKind::Event {
                let (mut up, past): (Vec<usize>, Vec<usize>) = section
                    .pages
                    .iter()
                    .partition(|&&i| lib.pages[i].is_upcoming(self.now));
                lib.sort_by_start(&mut up);
                (past, up)
            } else {
                (section.pages.clone(), Vec::new())
            };
        let mut head = Fingerprint::new().with(&section_print(section));
        for &i in &upcoming {
            head = head.with(&self.page_prints[i]);
        }
        let head = head.finish();
        let own = format!("section/{}.html", section.path);
        // A `template` the theme lacks was warned of: the default shows it.
        let template = match &section.meta.template {
            Some(chosen) if self.template_exists(chosen) => chosen.clone(),
            _ if self.template_exists(&own) => own,
            _ => "section.html".to_string(),
        };
        // Most rebuilds change no pager of a listing: what they share is made only for one that changed.
        let changed = self.changed_pagers(&section.url, &listed, head, scope);
        if changed.is_empty() {
            return;
        }
        let upcoming = self.summary_list(&upcoming);
        let translations = self.section_translations(section);
        let total = listed.len();
        for (index, count, items) in changed {
            let items = items.to_vec();
            let (upcoming, translations, template) =
                (upcoming.clone(), translations.clone(), template.clone());
            jobs.push_lazy(move || {
                let url = ctx::pager_url(&section.url, index);
                let values = items.iter().map(|&i| self.summaries[i].clone()).collect();
                let paginator = ctx::paginator(&section.url, values, index, count, total);
                let mut context = self.base_context(&section.lang, &url);
                context.insert_value("section", self.section_value(section));
                context.insert_value("upcoming", upcoming);
                let crumbs = self.section_crumbs(&section.path, &section.lang);
                self.describe_listing(&mut context, &section.lang, &crumbs);
                self.insert_languages(&mut context, &translations, Some(&section.path));
                context.insert("feed_url", &format!("{}atom.xml", section.url));
                context.insert("paginator", &paginator);
                Job {
                    template,
                    path: output::file_for_url(&url),
                    context,
                    source: Self::section_source(section),
                }
            });
        }
    }

    /// What the home page lists, as page indexes.
    fn home_lists(&self, lang: &str) -> HomeLists {
        let lib = &self.library;
        let news = lib
            .pages_of(PageKind::News, lang)
            .iter()
            .take(self.config.paginate)
            .copied()
            .collect();
        let mut events = lib.upcoming_events(lang, self.now);
        events.truncate(HOME_EVENTS);
        let projects = lib
            .pages_of(PageKind::Project, lang)
            .iter()
            .copied()
            .filter(|&i| lib.pages[i].meta.status != Some(ProjectStatus::Completed))
            .take(HOME_PROJECTS)
            .collect();
        HomeLists {
            news,
            events,
            projects,
        }
    }

    /// Each language's version of a listing: the same path under each prefix.
    fn listing_translations(
        &self,
        path_without_prefix: &str,
        exists: impl Fn(&str) -> bool,
    ) -> Vec<ctx::TranslationLink> {
        self.config
            .language_codes()
            .into_iter()
            .filter(|l| exists(l))
            .map(|lang| ctx::TranslationLink {
                url: format!(
                    "{}{}",
                    self.config.language_prefix(&lang),
                    path_without_prefix
                ),
                title: String::new(),
                lang,
            })
            .collect()
    }

    pub(super) fn taxonomy_jobs<'a>(&'a self, jobs: &mut Jobs<'a>, scope: &Scope<'_>) {
        for lang in self.config.language_codes() {
            for taxonomy in TAXONOMIES {
                let Some(terms) = self.library.terms(taxonomy, &lang) else {
                    continue;
                };
                let mut terms: Vec<&Term> = terms.values().collect();
                terms.sort_by_cached_key(|t| t.name.to_lowercase());
                let prefix = self.config.language_prefix(&lang);
                let list_url = format!("{prefix}/{taxonomy}/");
                let taxonomy_value = Value::from_serializable(&serde_json::json!({
                    "name": taxonomy,
                    "title": self.string(&lang, taxonomy),
                    "url": list_url,
                }));
                let listing = TaxonomyListing {
                    lang: &lang,
                    taxonomy,
                    value: &taxonomy_value,
                    terms: &terms,
                };
                self.taxonomy_list_job(&listing, jobs, scope);
                self.term_jobs(&listing, jobs, scope);
            }
        }
    }

    fn taxonomy_list_job(
        &self,
        listing: &TaxonomyListing<'_, '_>,
        jobs: &mut Jobs<'_>,
        scope: &Scope<'_>,
    ) {
        let TaxonomyListing {
            lang,
            taxonomy,
            terms,
            ..
        } = *listing;
        let list_url = format!("{}/{taxonomy}/", self.config.language_prefix(lang));
        let names: Vec<(&String, usize)> = terms.iter().map(|t| (&t.name, t.pages.len())).collect();
        let print = Fingerprint::new()
            .with(&self.global_print)
            .with(&names)
            .finish();
        if !scope.needed(&output::file_for_url(&list_url), print) {
            return;
        }
        let term_values: Vec<Value> = terms.iter().map(|t| term_value(t)).collect();
        let mut context = self.base_context(lang, &list_url);
        context.insert_value("taxonomy", listing.value.clone());
        context.insert_value("terms", Value::from(term_values));
        let crumbs = [(self.string(lang, taxonomy), list_url.clone())];
        self.describe_listing(&mut context, lang, &crumbs);
        let translations = self.listing_translations(&format!("/{taxonomy}/"), |_| true);
        self.insert_languages(&mut context, &translations, None);
        jobs.push(Job {
            template: "taxonomy_list.html".into(),
            path: output::file_for_url(&list_url),
            context,
            source: format!("{taxonomy} in {lang}"),
        });
    }

    fn term_jobs<'a>(
        &'a self,
        listing: &TaxonomyListing<'_, 'a>,
        jobs: &mut Jobs<'a>,
        scope: &Scope<'_>,
    ) {
        let TaxonomyListing {
            lang,
            taxonomy,
            terms,
            ..
        } = *listing;
        let list_url = format!("{}/{taxonomy}/", self.config.language_prefix(lang));
        for term in terms {
            let bare = format!("/{taxonomy}/{}/", term.slug);
            let translations = self.listing_translations(&bare, |l| {
                self.library
                    .terms(taxonomy, l)
                    .is_some_and(|t| t.contains_key(&term.slug))
            });
            let languages: Vec<&str> = translations.iter().map(|t| t.lang.as_str()).collect();
            let head = crate::fingerprint::of(&(&term.name, &term.url, languages));
            let changed = self.changed_pagers(&term.url, &term.pages, head, scope);
            if changed.is_empty() {
                continue;
            }
            let value = term_value(term);
            for (index, count, items) in changed {
                let (taxonomy_value, value) = (listing.value.clone(), value.clone());
                let (translations, list_url) = (translations.clone(), list_url.clone());
                let (lang, term): (String, &'a Term) = (lang.to_string(), term);
                jobs.push_lazy(move || {
                    let url = ctx::pager_url(&term.url, index);
                    let values = items.iter().map(|&i| self.summaries[i].clone()).collect();
                    let paginator =
                        ctx::paginator(&term.url, values, index, count, term.pages.len());
                    let lang = lang.as_str();
                    let mut context: Context = self.base_context(lang, &url);
                    context.insert_value("taxonomy", taxonomy_value);
                    context.insert_value("term", value);
                    let crumbs = [
                        (self.string(lang, taxonomy), list_url),
                        (term.name.clone(), term.url.clone()),
                    ];
                    self.describe_listing(&mut context, lang, &crumbs);
                    self.insert_languages(&mut context, &translations, None);
                    context.insert("paginator", &paginator);
                    Job {
                        template: "taxonomy_term.html".into(),
                        path: output::file_for_url(&url),
                        context,
                        source: format!("{taxonomy} \"{}\" in {lang}", term.name),
                    }
                });
            }
        }
    }
}

/// One taxonomy in one language, as its listing pages need it; `'a` is the
/// site's, which the term pages' jobs keep.
struct TaxonomyListing<'l, 'a> {
    lang: &'l str,
    taxonomy: &'static str,
    value: &'l Value,
    /// By name.
    terms: &'l [&'a Term],
}

fn term_value(term: &Term) -> Value {
    Value::from_serializable(&serde_json::json!({
        "name": term.name, "slug": term.slug, "url": term.url, "count": term.pages.len(),
    }))
}
