//! Sections: every content folder in every language, with its own text
//! (`_index.md`), its pages in listing order and its sub-sections.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use crate::config::SiteConfig;
use crate::content::body::{Body, Rendering, render_body};
use crate::content::frontmatter::FrontMatter;
use crate::content::library::Library;
use crate::content::loader::SectionIndex;
use crate::content::page::{Page, listing_order};
use crate::content::paths;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Heading};

/// A folder of content in one language: its own text and its pages.
#[derive(Debug, Clone)]
pub struct Section {
    /// Path under `content/` ("" for the home page).
    pub path: String,
    pub lang: String,
    pub file: Option<PathBuf>,
    pub title: String,
    pub meta: FrontMatter,
    pub content_html: String,
    pub description: String,
    pub toc: Vec<Heading>,
    pub url: String,
    /// Indexes into [`Library::pages`], in listing order: the pages of this
    /// folder and of the folders inside it (the home page: its own only).
    pub pages: Vec<usize>,
    /// Sub-sections' paths.
    pub subsections: Vec<String>,
}

/// A section's `_index.md` with its Markdown rendered.
pub struct RenderedIndex {
    source: SectionIndex,
    rendered: markdown::Rendered,
}

/// Renders the `_index.md` files; broken links go to `problems`.
pub fn render_indexes(
    indexes: Vec<SectionIndex>,
    rendering: &Rendering<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<RenderedIndex> {
    let mut out = Vec::with_capacity(indexes.len());
    for index in indexes {
        let url = paths::section_url(rendering.config, &index.section, &index.lang);
        let body = Body {
            file: &index.file,
            text: &index.body,
            line: index.body_line,
            lang: &index.lang,
            url: &url,
            unpublished: false,
        };
        let (rendered, found) = render_body(&body, rendering);
        problems.extend(found);
        out.push(RenderedIndex {
            source: index,
            rendered,
        });
    }
    out
}

impl Library {
    /// Makes a section of every folder that has pages or an `_index.md`, and
    /// of every folder above one, in every language that has content there.
    pub(crate) fn build_sections(&mut self, config: &SiteConfig, indexes: Vec<RenderedIndex>) {
        let mut sections: BTreeMap<(String, String), Section> = BTreeMap::new();
        let page_stands_for = &self.sections_pages_stand_for;
        let mut ensure = |path: &str, lang: &str| {
            // Every ancestor folder is a section too, up to the home page.
            let mut p = path.to_string();
            loop {
                let key = (p.clone(), lang.to_string());
                if !page_stands_for.contains(&key) {
                    sections
                        .entry(key)
                        .or_insert_with(|| empty_section(config, &p, lang));
                }
                match p.rsplit_once('/') {
                    Some((parent, _)) => p = parent.to_string(),
                    None if !p.is_empty() => p = String::new(),
                    None => break,
                }
            }
        };
        for lang in config.language_codes() {
            ensure("", &lang);
        }
        for page in &self.pages {
            ensure(&page.section, &page.lang);
        }
        for index in &indexes {
            ensure(&index.source.section, &index.source.lang);
        }
        for index in indexes {
            let key = (index.source.section.clone(), index.source.lang.clone());
            if let Some(section) = sections.get_mut(&key) {
                fill_from_index(section, index);
            }
        }
        // A section lists the pages of the folders inside it too: news kept
        // in year folders (`news/2024/01/`) are still news. The home page's
        // own pages are the standalone ones only.
        for (i, page) in self.pages.iter().enumerate() {
            let mut path = page.section.as_str();
            loop {
                if let Some(section) = sections.get_mut(&(path.to_string(), page.lang.clone())) {
                    section.pages.push(i);
                }
                match path.rsplit_once('/') {
                    Some((parent, _)) => path = parent,
                    None => break,
                }
            }
        }
        link_subsections(&mut sections);
        for section in sections.values_mut() {
            let pages = &self.pages;
            section
                .pages
                .sort_by(|&a, &b| listing_order(&pages[a], &pages[b]));
        }
        self.sections = sections.into_values().collect();
        let mut index: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for (i, s) in self.sections.iter().enumerate() {
            index
                .entry(s.lang.clone())
                .or_default()
                .insert(s.path.clone(), i);
        }
        self.section_index = index;
    }
}

/// Folders below the top without an `_index.md` whose listing would have a
/// page's own URL (`docs/setup.md` beside `docs/setup/`, as Jekyll and Hugo
/// sites have them): the page stands for the folder, which is no section,
/// as in Hugo. A top-level folder is always a section.
pub(crate) fn sections_pages_stand_for(
    config: &SiteConfig,
    pages: &[Page],
    indexes: &[SectionIndex],
) -> HashSet<(String, String)> {
    let page_urls: HashSet<&str> = pages.iter().map(|p| p.url.as_str()).collect();
    let indexed: HashSet<(&str, &str)> = indexes
        .iter()
        .map(|i| (i.section.as_str(), i.lang.as_str()))
        .collect();
    let mut seen = HashSet::new();
    let mut found = HashSet::new();
    for page in pages {
        let mut path = page.section.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            let key = (path, page.lang.as_str());
            if seen.insert(key)
                && !indexed.contains(&key)
                && page_urls.contains(paths::section_url(config, path, &page.lang).as_str())
            {
                found.insert((path.to_string(), page.lang.clone()));
            }
            path = parent;
        }
    }
    found
}

fn fill_from_index(section: &mut Section, index: RenderedIndex) {
    section.title = index.source.meta.title.clone();
    section.file = Some(index.source.file.clone());
    section.description = index
        .source
        .meta
        .summary
        .clone()
        .unwrap_or_else(|| index.rendered.summary_text.clone());
    section.content_html = index.rendered.html;
    section.toc = index.rendered.toc;
    section.meta = index.source.meta;
}

fn link_subsections(sections: &mut BTreeMap<(String, String), Section>) {
    let keys: Vec<(String, String)> = sections.keys().cloned().collect();
    for (path, lang) in &keys {
        let parent = match path.rsplit_once('/') {
            Some((parent, _)) => parent,
            None if !path.is_empty() => "",
            None => continue,
        };
        if let Some(s) = sections.get_mut(&(parent.to_string(), lang.clone())) {
            s.subsections.push(path.clone());
        }
    }
}

fn empty_section(config: &SiteConfig, path: &str, lang: &str) -> Section {
    let title = if path.is_empty() {
        config.title(lang).to_string()
    } else {
        let last = path.rsplit('/').next().unwrap_or(path);
        let mut chars = last.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default()
    };
    Section {
        path: path.to_string(),
        lang: lang.to_string(),
        file: None,
        title,
        meta: FrontMatter::default(),
        content_html: String::new(),
        description: String::new(),
        toc: Vec::new(),
        url: paths::section_url(config, path, lang),
        pages: Vec::new(),
        subsections: Vec::new(),
    }
}
