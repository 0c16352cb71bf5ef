//! `sitemap.xml` with `hreflang` alternates, and `robots.txt`.

use crate::config::SiteConfig;
use crate::content::Library;
use crate::fingerprint::Fingerprint;
use crate::output::{encode_path, xml_escape};

/// One URL in the sitemap, with its other-language versions.
pub struct SitemapEntry {
    pub url: String,
    pub lastmod: Option<jiff::Timestamp>,
    /// (language, URL) of every version, this one included.
    pub alternates: Vec<(String, String)>,
}

/// Every URL of the site: sections, pages and taxonomy pages, by URL.
pub fn entries(lib: &Library, config: &SiteConfig) -> Vec<SitemapEntry> {
    let mut entries = Vec::with_capacity(lib.pages.len() + lib.sections.len());
    for section in &lib.sections {
        let alternates = config
            .language_codes()
            .into_iter()
            .filter_map(|l| lib.section(&section.path, &l).map(|s| (l, s.url.clone())))
            .collect();
        let lastmod = section
            .pages
            .iter()
            .filter_map(|&i| lib.pages[i].sort_date())
            .max();
        entries.push(SitemapEntry {
            url: section.url.clone(),
            lastmod,
            alternates,
        });
    }
    for page in &lib.pages {
        let alternates = lib
            .translations
            .get(&page.translation_key)
            .into_iter()
            .flatten()
            .map(|&i| (lib.pages[i].lang.clone(), lib.pages[i].url.clone()))
            .collect();
        let lastmod = page
            .meta
            .updated
            .as_ref()
            .or(page.meta.date.as_ref())
            .map(|d| d.timestamp());
        entries.push(SitemapEntry {
            url: page.url.clone(),
            lastmod,
            alternates,
        });
    }
    for ((taxonomy, lang), terms) in &lib.taxonomies {
        let prefix = config.language_prefix(lang);
        let list = format!("{prefix}/{taxonomy}/");
        let term_urls = terms.values().map(|t| t.url.clone());
        for url in std::iter::once(list).chain(term_urls) {
            entries.push(SitemapEntry {
                url,
                lastmod: None,
                alternates: Vec::new(),
            });
        }
    }
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    entries
}

/// Changes with what the sitemap shows (URLs, dates, translations, terms),
/// not with what pages say, and costs less than building it.
pub fn fingerprint(lib: &Library) -> u64 {
    let mut print = Fingerprint::new();
    for page in &lib.pages {
        print = print
            .with(&page.url)
            .with(&page.sort_date())
            .with(&page.meta.updated.as_ref().map(|d| d.timestamp()))
            .with(&page.translation_key);
    }
    for section in &lib.sections {
        print = print.with(&section.url).with(&section.pages.len());
    }
    let mut terms: Vec<(&(String, String), Vec<&String>)> = lib
        .taxonomies
        .iter()
        .map(|(k, terms)| (k, terms.keys().collect()))
        .collect();
    terms.sort();
    print.with(&terms).finish()
}

/// The sitemap document.
pub fn sitemap(config: &SiteConfig, entries: &[SitemapEntry]) -> String {
    let abs = |p: &str| xml_escape(&encode_path(&config.absolute_url(p)));
    let mut xml = String::with_capacity(200 + entries.len() * 300);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for entry in entries {
        xml.push_str("  <url>\n");
        xml.push_str(&format!("    <loc>{}</loc>\n", abs(&entry.url)));
        if let Some(ts) = entry.lastmod {
            xml.push_str(&format!(
                "    <lastmod>{}</lastmod>\n",
                ts.strftime("%Y-%m-%dT%H:%M:%SZ")
            ));
        }
        if entry.alternates.len() > 1 {
            for (lang, url) in &entry.alternates {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    xml_escape(lang),
                    abs(url)
                ));
            }
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// robots.txt: everything allowed, with the sitemap's address.
pub fn robots(config: &SiteConfig) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.absolute_url("/sitemap.xml")
    )
}
