//! `#fragment` links checked against the ids of the pages they lead to.

use std::collections::{HashMap, HashSet};

use crate::config::SiteConfig;
use crate::content::links::{ids_in, percent_decode};
use crate::content::page::Page;
use crate::diagnostics::Diagnostic;

use super::link_problem;

/// Checks the `#fragment` links of every page (or of page `only`) against
/// the ids of the page they point to.
/// The theme's own ids (`#main`) are on every page too.
pub fn check_fragments(
    pages: &[Page],
    only: Option<usize>,
    config: &SiteConfig,
    theme_ids: &HashSet<String>,
) -> Vec<Diagnostic> {
    let checked: Vec<&Page> = match only {
        Some(i) => pages.get(i).into_iter().collect(),
        None => pages.iter().collect(),
    };
    if checked.iter().all(|p| p.fragment_links.is_empty()) {
        return Vec::new();
    }
    let by_url: HashMap<&str, &Page> = pages.iter().map(|p| (p.url.as_str(), p)).collect();
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut problems = Vec::new();
    for page in checked.into_iter().filter(|p| !p.fragment_links.is_empty()) {
        for link in &page.fragment_links {
            let url = if link.url.is_empty() {
                page.url.as_str()
            } else {
                link.url.as_str()
            };
            let Some(target) = by_url.get(url) else {
                // A section, a listing or a file: its ids are the theme's, not checked.
                continue;
            };
            let known = ids.entry(url).or_insert_with(|| {
                ids_in(&target.content_html.text())
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            });
            // `#%5Eid` is `#^id`, as a browser reads it.
            let fragment = percent_decode(&link.fragment);
            let found = |id: &str| known.contains(id) || theme_ids.contains(id);
            if !found(&link.fragment) && !found(&fragment) {
                let reason = format!(
                    "{url} has no heading or element with id \"{}\"",
                    link.fragment
                );
                problems.push(
                    link_problem(&page.file, config, &link.destination, &reason)
                        .at_line(page.body_line + link.body_line - 1),
                );
            }
        }
    }
    problems
}
