//! `dunav check` writes nothing, but remembers what it would write and every
//! link on every HTML page, so that a link a template makes to a page that
//! does not exist (a footer's privacy page, a menu) is found too.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::Path;
use std::sync::Mutex;

use crate::content::links::percent_decode;
use crate::output::Sink;

/// Records outputs and the site links in them.
#[derive(Default)]
pub struct LinkCheckSink {
    written: Mutex<HashSet<String>>,
    /// Link (a site path) → the pages it is on.
    links: Mutex<BTreeMap<String, Vec<String>>>,
}

impl LinkCheckSink {
    /// Every site link that points at no output: (link, the pages it is on).
    pub fn missing(&self) -> Vec<(String, Vec<String>)> {
        let written = self.written.lock().map(|w| w.clone()).unwrap_or_default();
        let links = self.links.lock().map(|l| l.clone()).unwrap_or_default();
        links
            .into_iter()
            .filter(|(link, _)| !resolves(link, &written))
            .map(|(link, mut pages)| {
                // Pages render in parallel: sorted, the report is the same each run.
                pages.sort();
                (link, pages)
            })
            .collect()
    }

    fn record(&self, path: &str, bytes: &[u8]) {
        let key = path.trim_start_matches('/').to_string();
        if key.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            let found = site_links(&html);
            if let Ok(mut links) = self.links.lock() {
                for link in found {
                    links.entry(link).or_default().push(key.clone());
                }
            }
        }
        if let Ok(mut written) = self.written.lock() {
            written.insert(key);
        }
    }
}

impl Sink for LinkCheckSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.record(path, bytes);
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        std::fs::metadata(from)?;
        self.record(path, &[]);
        Ok(())
    }

    fn link(&self, path: &str, _: &Path) -> io::Result<()> {
        // Renditions are only planned while checking: the file may not exist yet.
        self.record(path, &[]);
        Ok(())
    }

    fn discards(&self) -> bool {
        true
    }

    fn count(&self) -> usize {
        self.written.lock().map(|w| w.len()).unwrap_or(0)
    }
}

/// Whether a site path is an output: `/x/` is `x/index.html`, `/x` is a file or a folder.
fn resolves(link: &str, written: &HashSet<String>) -> bool {
    let path = link.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        return written.contains(&format!("{path}index.html"));
    }
    written.contains(path) || written.contains(&format!("{path}/index.html"))
}

/// The site paths an HTML page links to (`href`, `src` and `srcset` in its
/// tags, starting with `/`), without query or fragment. Text that shows
/// HTML (`{{</* figure src="/x.jpg" */>}}`), comments and scripts link
/// nowhere. Absolute URLs are left alone, even on the site's own domain:
/// other services (the signup service, a registration form) may answer there.
fn site_links(html: &str) -> HashSet<String> {
    let mut links = HashSet::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        rest = &rest[end..];
        for (name, value) in attributes(tag) {
            let values: Vec<&str> = if name.eq_ignore_ascii_case("srcset") {
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect()
            } else if name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src") {
                vec![value]
            } else {
                continue;
            };
            for value in values {
                let value = value.replace("&amp;", "&");
                if !value.starts_with('/') || value.starts_with("//") {
                    continue;
                }
                let path = value.split(['?', '#']).next().unwrap_or("");
                links.insert(percent_decode(path));
            }
        }
        // A script's or a style's text is no HTML.
        let name: String = tag[1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
            let lower = rest.to_ascii_lowercase();
            rest = lower
                .find(&format!("</{}", name.to_ascii_lowercase()))
                .map_or("", |close| &rest[close..]);
        }
    }
    links
}

/// Where the tag `html` starts with ends: after its `>` (quoted values
/// may hold one), or at the end of the text.
fn tag_end(html: &str) -> usize {
    let mut quote = None;
    for (i, c) in html.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if q == c => quote = None,
            (None, '>') => return i + 1,
            (None, '<') => return i,
            _ => {}
        }
    }
    html.len()
}

/// A tag's attributes with values: (name, value), quoted or not.
fn attributes(tag: &str) -> impl Iterator<Item = (&str, &str)> {
    let name_end = tag
        .find(|c: char| c.is_whitespace() || c == '>')
        .unwrap_or(tag.len());
    let mut rest = &tag[name_end..];
    std::iter::from_fn(move || {
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            let name_len =
                rest.find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))?;
            if name_len == 0 {
                return None;
            }
            let name = &rest[..name_len];
            rest = rest[name_len..].trim_start();
            let Some(after) = rest.strip_prefix('=') else {
                continue;
            };
            let after = after.trim_start();
            let (value, left) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(close) => (&after[1..=close], &after[close + 2..]),
                    None => (&after[1..], ""),
                },
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = left;
            return Some((name, value));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::site_links;

    #[test]
    fn only_links_in_tags_count() {
        let html = concat!(
            "<p>{{&lt; figure src=\"/shown.jpg\" &gt;}} and src=\"/text.jpg\"</p>",
            "<!-- <a href=\"/commented/\"> -->",
            "<script>let s = '<img src=\"/scripted.png\">';</script>",
            "<A HREF=/upper/>x</A><img alt='a > b' src='/quoted.png' ",
            "srcset=\"/s-1.webp 1x, /s-2.webp 2x\"><a href=\"/a?x=1&amp;y#f\">"
        );
        let mut links: Vec<String> = site_links(html).into_iter().collect();
        links.sort();
        assert_eq!(
            links,
            ["/a", "/quoted.png", "/s-1.webp", "/s-2.webp", "/upper/"]
        );
    }
}
