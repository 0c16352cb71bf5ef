//! Taxonomies: free tags and the configured sectors, each term with its pages.

use std::collections::{BTreeMap, HashMap};

use crate::config::SiteConfig;
use crate::content::library::Library;
use crate::content::page::newest_first;
use crate::translit::slugify;

/// Which taxonomies a site has: free tags and the configured sectors.
pub const TAXONOMIES: [&str; 2] = ["tags", "sectors"];

/// One tag or sector in one language and the pages that carry it.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Newest first.
    pub pages: Vec<usize>,
}

/// (taxonomy, lang) → terms by slug.
pub type Taxonomies = HashMap<(String, String), BTreeMap<String, Term>>;

impl Library {
    /// Files every page under its tags and sectors; every configured sector
    /// has a term (and a page) even before anything is filed under it.
    pub(crate) fn build_taxonomies(&mut self, config: &SiteConfig) {
        let mut taxonomies: Taxonomies = HashMap::new();
        for (i, page) in self.pages.iter().enumerate() {
            let prefix = config.language_prefix(&page.lang);
            for tag in &page.meta.tags {
                let slug = slugify(tag);
                if slug.is_empty() {
                    continue;
                }
                let url = format!("{prefix}/tags/{slug}/");
                file_under(&mut taxonomies, "tags", &page.lang, slug, tag, url, i);
            }
            for sector in &page.meta.sectors {
                let name = config.sector_label(sector, &page.lang);
                let url = format!("{prefix}/sectors/{sector}/");
                file_under(
                    &mut taxonomies,
                    "sectors",
                    &page.lang,
                    sector.clone(),
                    name,
                    url,
                    i,
                );
            }
        }
        for lang in config.language_codes() {
            let prefix = config.language_prefix(&lang);
            for key in config.sectors.keys() {
                let terms = taxonomies
                    .entry(("sectors".into(), lang.clone()))
                    .or_default();
                terms.entry(key.clone()).or_insert_with(|| Term {
                    name: config.sector_label(key, &lang).to_string(),
                    url: format!("{prefix}/sectors/{key}/"),
                    slug: key.clone(),
                    pages: Vec::new(),
                });
            }
            taxonomies.entry(("tags".into(), lang)).or_default();
        }
        for terms in taxonomies.values_mut() {
            for term in terms.values_mut() {
                term.pages
                    .sort_by(|&a, &b| newest_first(&self.pages[a], &self.pages[b]));
                term.pages.dedup();
            }
        }
        self.taxonomies = taxonomies;
    }

    /// The terms of a taxonomy in a language, by slug.
    pub fn terms(&self, taxonomy: &str, lang: &str) -> Option<&BTreeMap<String, Term>> {
        self.taxonomies
            .get(&(taxonomy.to_string(), lang.to_string()))
    }
}

/// Adds page `page` to a term, making the term on first use.
fn file_under(
    taxonomies: &mut Taxonomies,
    taxonomy: &str,
    lang: &str,
    slug: String,
    name: &str,
    url: String,
    page: usize,
) {
    taxonomies
        .entry((taxonomy.to_string(), lang.to_string()))
        .or_default()
        .entry(slug.clone())
        .or_insert_with(|| Term {
            name: name.to_string(),
            url,
            slug,
            pages: Vec::new(),
        })
        .pages
        .push(page);
}
