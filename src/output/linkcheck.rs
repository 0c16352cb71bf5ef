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

/// The site paths an HTML page links to (`href` and `src` starting with `/`),
/// without query or fragment. Absolute URLs are left alone, even on the
/// site's own domain: other services (the signup service, a registration
/// form) may answer there.
fn site_links(html: &str) -> HashSet<String> {
    let mut links = HashSet::new();
    for attribute in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attribute) {
            rest = &rest[i + attribute.len()..];
            let Some(end) = rest.find('"') else { break };
            let value = rest[..end].replace("&amp;", "&");
            rest = &rest[end..];
            if !value.starts_with('/') || value.starts_with("//") {
                continue;
            }
            let path = value.split(['?', '#']).next().unwrap_or("");
            links.insert(percent_decode(path));
        }
    }
    links
}
