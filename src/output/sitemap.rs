//! `sitemap.xml` with `hreflang` alternates, and `robots.txt`.

use crate::config::SiteConfig;
use crate::output::{encode_path, xml_escape};

/// One URL in the sitemap, with its other-language versions.
pub struct SitemapEntry {
    pub url: String,
    pub lastmod: Option<jiff::Timestamp>,
    /// (language, URL) of every version, this one included.
    pub alternates: Vec<(String, String)>,
}

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

pub fn robots(config: &SiteConfig) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.absolute_url("/sitemap.xml")
    )
}
