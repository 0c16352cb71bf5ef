//! Each page's Markdown rendered with its links resolved, kept between
//! builds of the dev server when neither the page nor the link targets changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::links::{LinkTargets, PageLinks, content_key};
use crate::content::page::Page;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Heading, RenderOptions};

/// Rendered Markdown kept between builds of the dev server, by file.
#[derive(Default)]
pub struct MarkdownCache {
    keep: bool,
    entries: HashMap<PathBuf, RenderedBody>,
}

impl MarkdownCache {
    /// A cache that keeps every page's rendered Markdown for the next build.
    pub fn keeping() -> MarkdownCache {
        MarkdownCache {
            keep: true,
            entries: HashMap::new(),
        }
    }
}

/// What a page's body renders to, with the problems found on the way.
#[derive(Clone)]
pub struct RenderedBody {
    /// The page's source hash and the link targets' fingerprint it was rendered with.
    key: (u64, u64),
    content_html: Arc<str>,
    summary_html: Arc<str>,
    description: String,
    toc: Vec<Heading>,
    word_count: usize,
    pub problems: Vec<Diagnostic>,
}

/// Renders every page's Markdown in parallel, reusing what `cache` holds
/// for pages whose text and link targets (`links`, their fingerprint) are unchanged.
pub fn render_pages(
    pages: &mut [Page],
    config: &SiteConfig,
    (targets, links): (&LinkTargets, u64),
    cache: &mut MarkdownCache,
    problems: &mut Vec<Diagnostic>,
) {
    let rendered: Vec<RenderedBody> = pages
        .par_iter_mut()
        .map(|page| {
            let key = (page.source_hash, links);
            let cached = cache
                .entries
                .get(&page.file)
                .filter(|c| c.key == key)
                .cloned();
            let entry = cached.unwrap_or_else(|| render_page(page, key, config, targets));
            apply(page, &entry);
            entry
        })
        .collect();
    cache.entries.clear();
    for (page, entry) in pages.iter().zip(rendered) {
        problems.extend(entry.problems.iter().cloned());
        if cache.keep {
            cache.entries.insert(page.file.clone(), entry);
        }
    }
}

/// Renders one page's Markdown into what the cache keeps.
pub fn render_page(
    page: &Page,
    key: (u64, u64),
    config: &SiteConfig,
    targets: &LinkTargets,
) -> RenderedBody {
    let (r, found) = render_body(
        &page.file,
        &page.body,
        page.body_line,
        &page.lang,
        config,
        targets,
    );
    RenderedBody {
        key,
        content_html: r.html.into(),
        summary_html: match &page.meta.summary {
            Some(summary) => format!("<p>{}</p>", markdown::escape_html(summary)).into(),
            None => r.summary_html.into(),
        },
        description: page.meta.summary.clone().unwrap_or(r.summary_text),
        toc: r.toc,
        word_count: r.word_count,
        problems: found,
    }
}

/// Puts a rendered body into its page.
pub fn apply(page: &mut Page, entry: &RenderedBody) {
    page.content_html = entry.content_html.clone();
    page.summary_html = entry.summary_html.clone();
    page.description = entry.description.clone();
    page.toc = entry.toc.clone();
    page.word_count = entry.word_count;
    // The Markdown is not needed after rendering; dropping it keeps memory lower.
    page.body = Arc::from("");
}

/// Renders one Markdown body and turns its broken links into diagnostics.
pub fn render_body(
    file: &Path,
    body: &str,
    body_line: usize,
    lang: &str,
    config: &SiteConfig,
    targets: &LinkTargets,
) -> (markdown::Rendered, Vec<Diagnostic>) {
    let key = content_key(file);
    let dir = Path::new(key.rsplit_once('/').map(|(d, _)| d).unwrap_or(""));
    let links = PageLinks {
        targets,
        dir,
        lang,
        default_lang: &config.default_language,
    };
    let mut rendered = markdown::render(
        body,
        &RenderOptions {
            lang,
            links: &links,
        },
    );
    let mut problems: Vec<Diagnostic> = std::mem::take(&mut rendered.broken_links)
        .into_iter()
        .map(|b| {
            Diagnostic::error(
                file,
                format!("broken link `{}`: {}", b.destination, b.reason),
            )
            .at_line(body_line + b.body_line - 1)
        })
        .collect();
    // Not fatal: the page still builds, but readers of screen readers lose the image.
    problems.extend(
        std::mem::take(&mut rendered.images_without_alt)
            .into_iter()
            .map(|line| {
                Diagnostic::warning(
                    file,
                    "an image has no alt text: write ![what it shows](file)",
                )
                .at_line(body_line + line - 1)
            }),
    );
    (rendered, problems)
}
