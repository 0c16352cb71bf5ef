//! Atom feeds (RFC 4287): one per language for all news, one per section.

use crate::config::SiteConfig;
use crate::content::Page;
use crate::output::{encode_path, xml_escape};

/// What a feed is about.
pub struct Feed {
    pub title: String,
    /// Site path of the feed itself, e.g. `/atom.xml`.
    pub feed_url: String,
    /// Site path of the HTML page the feed mirrors.
    pub page_url: String,
    pub lang: String,
}

/// An Atom document with the given pages (already ordered and limited).
pub fn atom(config: &SiteConfig, info: &Feed, pages: &[&Page]) -> String {
    let abs = |p: &str| xml_escape(&encode_path(&config.absolute_url(p)));
    let updated = pages
        .iter()
        .filter_map(|p| {
            p.meta
                .updated
                .as_ref()
                .or(p.meta.date.as_ref())
                .or(p.meta.start.as_ref())
        })
        .map(|d| d.timestamp())
        .max()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let mut xml = String::with_capacity(1024 + pages.len() * 1024);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(&info.lang)
    ));
    xml.push_str(&format!("  <title>{}</title>\n", xml_escape(&info.title)));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        abs(&info.feed_url)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        abs(&info.page_url)
    ));
    xml.push_str(&format!("  <id>{}</id>\n", abs(&info.feed_url)));
    xml.push_str(&format!("  <updated>{}</updated>\n", rfc3339(updated)));
    xml.push_str("  <generator uri=\"https://crates.io/crates/dunav\">dunav</generator>\n");
    let site_title = match config.title(&info.lang) {
        "" => info.title.as_str(),
        title => title,
    };
    for page in pages {
        let published = page
            .meta
            .date
            .as_ref()
            .or(page.meta.start.as_ref())
            .map(|d| d.timestamp());
        let updated = page
            .meta
            .updated
            .as_ref()
            .map(|d| d.timestamp())
            .or(published)
            .unwrap_or(updated);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <title>{}</title>\n",
            xml_escape(&page.meta.title)
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            abs(&page.url)
        ));
        xml.push_str(&format!("    <id>{}</id>\n", abs(&page.url)));
        if let Some(published) = published {
            xml.push_str(&format!(
                "    <published>{}</published>\n",
                rfc3339(published)
            ));
        }
        xml.push_str(&format!("    <updated>{}</updated>\n", rfc3339(updated)));
        let site_as_author = [site_title.to_string()];
        let authors = match page.meta.authors.is_empty() {
            true => &site_as_author[..],
            false => &page.meta.authors[..],
        };
        for name in authors {
            xml.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                xml_escape(name)
            ));
        }
        for tag in &page.meta.tags {
            xml.push_str(&format!("    <category term=\"{}\"/>\n", xml_escape(tag)));
        }
        if !page.description.is_empty() {
            xml.push_str(&format!(
                "    <summary>{}</summary>\n",
                xml_escape(&page.description)
            ));
        }
        let content = absolutise_links(&page.content_html.text(), config, &page.url);
        xml.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            xml_escape(&content)
        ));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

fn rfc3339(ts: jiff::Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Feed readers and mail clients resolve relative links badly: site paths
/// become absolute, and a link within the page (a footnote's `#fn-1`)
/// points at the page, `page_url`.
pub fn absolutise_links(html: &str, config: &SiteConfig, page_url: &str) -> String {
    let base = config.base();
    let page = encode_path(&config.absolute_url(page_url));
    flatten_pictures(&without_heading_anchors(html))
        .replace("href=\"/", &format!("href=\"{base}/"))
        .replace("src=\"/", &format!("src=\"{base}/"))
        .replace("href=\"#", &format!("href=\"{page}#"))
}

/// Feed readers and mail clients get each `<picture>` as its plain `<img>`:
/// the JPEG or PNG rendition of 1200 px (sharp on dense screens), shown at
/// most [`MAIL_IMAGE_WIDTH`] wide (Outlook ignores `max-width`); no WebP,
/// no `srcset` of relative URLs.
fn flatten_pictures(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<picture>") {
        let Some(len) = rest[start..].find("</picture>") else {
            break;
        };
        out.push_str(&rest[..start]);
        let picture = &rest[start..start + len];
        match picture.find("<img ") {
            Some(img) => out.push_str(&plain_img(&picture[img..])),
            None => out.push_str(picture),
        }
        rest = &rest[start + len + "</picture>".len()..];
    }
    out.push_str(rest);
    out
}

/// Body images in mail and feeds are shown this wide at most.
pub const MAIL_IMAGE_WIDTH: u32 = 600;

fn plain_img(img: &str) -> String {
    let attribute = |name: &str| {
        let key = format!(" {name}=\"");
        let from = img.find(&key)? + key.len();
        let len = img[from..].find('"')?;
        Some(img[from..from + len].to_string())
    };
    let size = |name: &str| attribute(name).and_then(|v| v.parse::<u32>().ok());
    let src = attribute("srcset")
        .and_then(|set| mail_rendition(&set))
        .or_else(|| attribute("src"))
        .unwrap_or_default();
    let dimensions = match (size("width"), size("height")) {
        (Some(w), Some(h)) if w > MAIL_IMAGE_WIDTH => format!(
            " width=\"{MAIL_IMAGE_WIDTH}\" height=\"{}\"",
            h * MAIL_IMAGE_WIDTH / w.max(1)
        ),
        (Some(w), Some(h)) => format!(" width=\"{w}\" height=\"{h}\""),
        _ => String::new(),
    };
    let title = attribute("title").map_or(String::new(), |t| format!(" title=\"{t}\""));
    format!(
        "<img src=\"{src}\"{dimensions} alt=\"{}\"{title} style=\"max-width:100%;height:auto\">",
        attribute("alt").unwrap_or_default(),
    )
}

/// From a `srcset` (`a-480w.jpg 480w, a-1200w.jpg 1200w, …`), the widest
/// file of at most twice the mail width, else the narrowest.
fn mail_rendition(srcset: &str) -> Option<String> {
    let entries: Vec<(u32, &str)> = srcset
        .split(", ")
        .filter_map(|entry| {
            let (url, width) = entry.trim().rsplit_once(' ')?;
            Some((width.strip_suffix('w')?.parse().ok()?, url))
        })
        .collect();
    let fitting = entries
        .iter()
        .filter(|(w, _)| *w <= 2 * MAIL_IMAGE_WIDTH)
        .max();
    fitting
        .or_else(|| entries.iter().min())
        .map(|(_, url)| url.to_string())
}

/// Heading anchor links (`#id`) mean nothing outside the page: readers
/// resolve them against the feed or the mail.
fn without_heading_anchors(html: &str) -> String {
    const START: &str = " <a class=\"anchor\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(START) {
        out.push_str(&rest[..i]);
        match rest[i..].find("</a>") {
            Some(end) => rest = &rest[i + end + 4..],
            None => {
                rest = &rest[i..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}
