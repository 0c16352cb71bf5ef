//! Each page's Markdown rendered with its links and lead image resolved,
//! kept between builds when neither the page nor the link targets changed
//! (in memory by the dev server, in `.dunav-cache` by `dunav build`), and
//! the `#fragment` links checked once every page's ids are known.

mod fragments;
mod kept;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::{LinkSeverity, SiteConfig};
use crate::content::file_prints::FilePrints;
use crate::content::html_text::HtmlText;
use crate::content::links::{LinkTargets, PageLinks, content_key};
use crate::content::page::Page;
use crate::diagnostics::Diagnostic;
use crate::images::{Picture, Pictures};
use crate::markdown::highlight;
use crate::markdown::{
    self, FragmentLink, Heading, LinkError, LinkResolver, PictureLookup, RenderOptions,
};
pub use fragments::check_fragments;
use kept::KeptBodies;

/// Rendered Markdown kept between builds: by the dev server in memory, by
/// file; by `dunav build` in a file, for the next build's first use.
#[derive(Default)]
pub struct MarkdownCache {
    keep: bool,
    entries: HashMap<PathBuf, RenderedBody>,
    kept: Option<KeptBodies>,
    /// The published files' prints, which the bodies' keys include.
    pub file_prints: FilePrints,
}

impl MarkdownCache {
    /// A cache that keeps every page's rendered Markdown for the next build.
    pub fn keeping() -> MarkdownCache {
        MarkdownCache {
            keep: true,
            ..MarkdownCache::default()
        }
    }

    /// A cache that keeps this build's bodies at `path` for the next, and
    /// (with `reuse`) reuses those the last build kept there.
    pub fn kept_in(path: &Path, reuse: bool) -> MarkdownCache {
        MarkdownCache {
            kept: Some(KeptBodies::load(path, reuse)),
            file_prints: FilePrints::kept_in(path.with_file_name("file-prints"), reuse),
            ..MarkdownCache::default()
        }
    }

    /// Whether pages are kept for another build (the dev server's).
    pub fn keeps(&self) -> bool {
        self.keep
    }
}

/// What every body is rendered against.
pub struct Rendering<'a> {
    pub config: &'a SiteConfig,
    pub targets: &'a LinkTargets,
    /// The targets' fingerprint: a cached body is reused only for the same one.
    pub links_print: u64,
    /// Ids the theme uses on every page.
    pub reserved_ids: &'a HashSet<String>,
    /// Whether a link from a published page to a draft or scheduled one is an
    /// error (`dunav check`: the real build would break it) or a warning (`serve`).
    pub unpublished_links_fail: bool,
    /// Every file published as is, by site path: where images are read from.
    pub published: &'a HashMap<String, PathBuf>,
    pub pictures: Option<&'a Pictures>,
    /// Bodies are kept compressed (the dev server keeps every page between rebuilds).
    pub keep_html_packed: bool,
}

/// The published widths of the site's own images, by URL.
struct PictureFinder<'a> {
    published: &'a HashMap<String, PathBuf>,
    pictures: &'a Pictures,
}

impl PictureLookup for PictureFinder<'_> {
    fn picture(&self, url: &str) -> Option<Picture> {
        if let Some(file) = self.published.get(url.strip_prefix('/')?) {
            return self.pictures.picture(url, file);
        }
        // `50%25.jpg` names the file `50%.jpg`: its sizes are named after the file.
        let decoded = crate::content::links::percent_decode(url);
        let file = self.published.get(decoded.strip_prefix('/')?)?;
        self.pictures.picture(&decoded, file)
    }
}

impl Rendering<'_> {
    fn picture_finder(&self) -> Option<PictureFinder<'_>> {
        Some(PictureFinder {
            published: self.published,
            pictures: self.pictures?,
        })
    }

    /// What every body depends on besides its page and the link targets:
    /// site.toml (link and image settings), the base URL given on the
    /// command line, the theme's ids, how unpublished links count.
    fn settings_print(&self) -> u64 {
        let mut reserved: Vec<&String> = self.reserved_ids.iter().collect();
        reserved.sort_unstable();
        crate::fingerprint::of(&(
            self.config.source_print,
            &self.config.base_url,
            reserved,
            self.unpublished_links_fail,
            self.pictures.is_some(),
        ))
    }

    /// Notes again what a reused body needs: its images' renditions (and
    /// warnings), its highlighted code blocks.
    fn ask_again(&self, body: &RenderedBody) {
        if let Some(finder) = self.picture_finder() {
            for url in &body.picture_urls {
                finder.picture(url);
            }
        }
        for &key in &body.code_blocks {
            highlight::memo::keep(key);
        }
    }

    /// The lead image's picture and the size it shows at (read from the
    /// file's header for a format that is not resized).
    fn lead_picture(&self, url: &str) -> (Option<Picture>, Option<(u32, u32)>) {
        let picture = self.picture_finder().and_then(|f| f.picture(url));
        let size = match &picture {
            Some(p) => Some((p.width, p.height)),
            None => crate::images::published_size(url, self.published),
        };
        (picture, size)
    }
}

/// What a page's body renders to, with the problems found on the way.
#[derive(Clone, Serialize, Deserialize)]
pub struct RenderedBody {
    /// The page's source hash and the link targets' fingerprint it was rendered with.
    #[serde(skip)]
    key: (u64, u64),
    /// Kept beside the other fields, as it is.
    #[serde(skip)]
    content_html: HtmlText,
    summary_html: Arc<str>,
    description: String,
    toc: Vec<Heading>,
    word_count: usize,
    image_url: Option<String>,
    image_size: Option<(u32, u32)>,
    picture: Option<Picture>,
    /// The images looked up as pictures: asked for again when the body is
    /// reused, so that their renditions are published and their warnings shown.
    picture_urls: Vec<String>,
    /// Its code blocks in the highlight memo: kept there while the body is.
    code_blocks: Vec<highlight::memo::Key>,
    fragment_links: Vec<FragmentLink>,
    pub problems: Vec<Diagnostic>,
}

impl RenderedBody {
    /// The headings, to tell whether a page's ids changed.
    pub fn toc(&self) -> &[Heading] {
        &self.toc
    }
}

/// Renders every page's Markdown in parallel, reusing what `cache` holds
/// for pages whose text and link targets are unchanged.
pub fn render_pages(
    root: &Path,
    pages: &mut [Page],
    rendering: &Rendering<'_>,
    cache: &mut MarkdownCache,
    problems: &mut Vec<Diagnostic>,
) {
    let kept = cache.kept.take();
    let settings = kept.as_ref().map(|_| rendering.settings_print());
    let rendered: Vec<(RenderedBody, Option<u128>, Option<Bytes>)> = pages
        .par_iter_mut()
        .map(|page| {
            let key = (page.source_hash, rendering.links_print);
            let kept_key = settings.map(|s| kept::key(page, rendering.links_print, s));
            let cached = cache
                .entries
                .get(&page.file)
                .filter(|c| c.key == key)
                .map(|c| (c.clone(), None))
                .or_else(|| {
                    let (entry, record) = kept.as_ref()?.get(kept_key?, key)?;
                    Some((entry, Some(record)))
                })
                .map(|(entry, record)| {
                    rendering.ask_again(&entry);
                    (entry, record)
                });
            let (entry, record) =
                cached.unwrap_or_else(|| (render_anew(root, page, key, rendering), None));
            apply(page, &entry);
            // A body read again, changed, is not what the key stands for.
            let kept_key = kept_key.filter(|_| entry.key == key);
            (entry, kept_key, record)
        })
        .collect();
    if let Some(kept) = kept {
        let bodies = rendered
            .iter()
            .filter_map(|(entry, key, record)| Some(((*key)?, entry, record.as_ref())));
        // Only a cache: a build that cannot keep it has still succeeded.
        kept.save(bodies).ok();
    }
    cache.entries.clear();
    for (page, (entry, _, _)) in pages.iter().zip(rendered) {
        problems.extend(entry.problems.iter().cloned());
        if cache.keep {
            cache.entries.insert(page.file.clone(), entry);
        }
    }
}

/// Renders a page's Markdown that no cache holds, reading its body again if
/// it was let go.
fn render_anew(
    root: &Path,
    page: &mut Page,
    key: (u64, u64),
    rendering: &Rendering<'_>,
) -> RenderedBody {
    if page.body.is_some() {
        return render_page(page, key, rendering);
    }
    match crate::content::loader::reread_body(
        root,
        &page.file,
        page.cascade_print,
        rendering.config.links.heading_ids,
    ) {
        Ok((body, hash)) => {
            page.body = Some(body);
            // A file changed since it was read is rendered as it is now, and
            // must not be reused as the old one.
            render_page(page, (hash, rendering.links_print), rendering)
        }
        Err(problem) => {
            let mut entry = render_page(page, key, rendering);
            entry.problems.push(problem);
            entry
        }
    }
}

/// Renders one page's Markdown into what the cache keeps.
pub fn render_page(page: &Page, key: (u64, u64), rendering: &Rendering<'_>) -> RenderedBody {
    let (r, mut found) = render_body(&page_source(page), rendering);
    let image_url = page
        .meta
        .image
        .as_ref()
        .and_then(|image| lead_image(page, image, rendering, &mut found));
    let (picture, image_size) = match &image_url {
        Some(url) => rendering.lead_picture(url),
        None => (None, None),
    };
    let note = page.unpublished_note();
    for problem in &mut found {
        problem.note = problem.note.or(note);
    }
    RenderedBody {
        key,
        content_html: HtmlText::new(r.html, rendering.keep_html_packed),
        summary_html: match &page.meta.summary {
            Some(summary) => format!("<p>{}</p>", markdown::escape_html(summary)).into(),
            None => r.summary_html.into(),
        },
        description: page.meta.summary.clone().unwrap_or(r.summary_text),
        toc: r.toc,
        word_count: r.word_count,
        picture_urls: r.pictures.into_iter().chain(image_url.clone()).collect(),
        code_blocks: r.code_blocks,
        image_url,
        image_size,
        picture,
        fragment_links: r.fragment_links,
        problems: found,
    }
}

/// A page's lead image, resolved like a link; a missing file is an error at `image`.
fn lead_image(
    page: &Page,
    image: &str,
    rendering: &Rendering<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let links = page_links(&page_source(page), rendering);
    let (url, problem) = match links.resolve(image) {
        Ok(Some(url)) => return Some(url),
        Ok(None) => match image_source(image) {
            // A file of the site the resolver leaves as written (`/img/a.png` in static/).
            ImageSource::Site => return Some(image.to_string()),
            ImageSource::Web(url) => return Some(url),
            ImageSource::Refused => (
                None,
                Diagnostic::error(
                    &page.file,
                    format!("\"{image}\" is not an image the site can show"),
                )
                .with_help("give a file beside the page, a path in static/, or an https:// URL"),
            ),
        },
        Err(LinkError::Broken(reason)) => (
            None,
            link_problem(&page.file, rendering.config, image, &reason),
        ),
        Err(LinkError::Unpublished { url, reason }) => (
            Some(url),
            unpublished_link(&page.file, rendering, image, &reason),
        ),
    };
    problems.push(
        problem
            .at_field("image")
            .at_line(page.meta.line_of("image")),
    );
    url
}

/// Where an image named in front matter or site.toml comes from.
pub enum ImageSource {
    /// A path on the site (`photo.jpg`, `/img/a.png`).
    Site,
    /// Another site's, as an absolute URL (`//host/x.png` made `https:`).
    Web(String),
    /// `javascript:`, `data:`, `file:`: nothing a reader's browser should load.
    Refused,
}

pub fn image_source(image: &str) -> ImageSource {
    if let Some(rest) = image.strip_prefix("//") {
        return ImageSource::Web(format!("https://{rest}"));
    }
    match image.split_once(':').map(|(s, _)| s.to_ascii_lowercase()) {
        None => ImageSource::Site,
        Some(scheme) if scheme == "http" || scheme == "https" => ImageSource::Web(image.into()),
        Some(_) => ImageSource::Refused,
    }
}

/// The summary as other pages show it (a listing's card, the home page):
/// its links to a part of its page (`#options`) lead there, not to a part
/// of the listing.
fn summary_from_elsewhere(summary: &std::sync::Arc<str>, url: &str) -> std::sync::Arc<str> {
    match summary.contains("href=\"#") || summary.contains("href='#") {
        true => summary
            .replace("href=\"#", &format!("href=\"{url}#"))
            .replace("href='#", &format!("href='{url}#"))
            .into(),
        false => summary.clone(),
    }
}

/// Puts a rendered body into its page.
pub fn apply(page: &mut Page, entry: &RenderedBody) {
    page.content_html = entry.content_html.clone();
    page.summary_html = summary_from_elsewhere(&entry.summary_html, &page.url);
    page.description = entry.description.clone();
    page.toc = entry.toc.clone();
    page.word_count = entry.word_count;
    page.image_url = entry.image_url.clone();
    page.image_size = entry.image_size;
    page.picture = entry.picture.clone();
    page.fragment_links = entry.fragment_links.clone();
    // The Markdown is not needed after rendering; dropping it keeps memory lower.
    page.body = None;
}

/// A Markdown body and where it comes from.
pub struct Body<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    /// The file line the body starts on.
    pub line: usize,
    pub lang: &'a str,
    /// The URL of the page it becomes.
    pub url: &'a str,
    /// The page is a draft or scheduled: it may link to others that are.
    pub unpublished: bool,
}

fn page_source(page: &Page) -> Body<'_> {
    Body {
        file: &page.file,
        text: page.body.as_deref().unwrap_or_default(),
        line: page.body_line,
        lang: &page.lang,
        url: &page.url,
        unpublished: page.unpublished_note().is_some(),
    }
}

fn page_links<'a>(body: &Body<'a>, rendering: &'a Rendering<'a>) -> PageLinks<'a> {
    let key = content_key(body.file);
    PageLinks {
        targets: rendering.targets,
        dir: PathBuf::from(key.rsplit_once('/').map(|(d, _)| d).unwrap_or("")),
        url: body.url,
        lang: body.lang,
        default_lang: &rendering.config.default_language,
        unpublished: body.unpublished,
        heading_ids: rendering.config.links.heading_ids,
    }
}

/// Renders one Markdown body and turns its broken links into diagnostics.
pub fn render_body(
    body: &Body<'_>,
    rendering: &Rendering<'_>,
) -> (markdown::Rendered, Vec<Diagnostic>) {
    let links = page_links(body, rendering);
    let pictures = rendering.picture_finder();
    let mut rendered = markdown::render(
        body.text,
        &RenderOptions {
            lang: body.lang,
            links: &links,
            reserved_ids: rendering.reserved_ids,
            heading_ids: rendering.config.links.heading_ids,
            pictures: pictures.as_ref().map(|p| p as &dyn PictureLookup),
        },
    );
    let mut problems: Vec<Diagnostic> = std::mem::take(&mut rendered.broken_links)
        .into_iter()
        .map(|b| {
            let problem = if b.unpublished {
                unpublished_link(body.file, rendering, &b.destination, &b.reason)
            } else {
                link_problem(body.file, rendering.config, &b.destination, &b.reason)
            };
            problem.at_line(body.line + b.body_line - 1)
        })
        .collect();
    problems.extend(markup_warnings(body, &mut rendered));
    (rendered, problems)
}

/// What a body's markup gets wrong that the page survives: each a warning
/// at its line.
fn markup_warnings(body: &Body<'_>, rendered: &mut markdown::Rendered) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // Not fatal: the page still builds, but readers of screen readers lose the image.
    problems.extend(
        std::mem::take(&mut rendered.images_without_alt)
            .into_iter()
            .map(|line| {
                Diagnostic::warning(
                    body.file,
                    "an image has no alt text: write ![what it shows](file)",
                )
                .at_line(body.line + line - 1)
            }),
    );
    problems.extend(
        std::mem::take(&mut rendered.shortcodes)
            .into_iter()
            .map(|(line, code)| {
                let what = match code.starts_with("<!--") {
                    true => "an include of another generator; dunav does not read the file, and the comment shows nothing",
                    false => "a shortcode or template tag of another generator; dunav publishes it as text",
                };
                Diagnostic::warning(body.file, format!("`{code}` is {what}"))
                .at_line(body.line + line - 1)
                .with_help(
                    "write the Markdown or HTML it stood for: ![alt](photo.jpg), a link, <iframe>…",
                )
            }),
    );
    problems.extend(
        std::mem::take(&mut rendered.renamed_ids)
            .into_iter()
            .map(|(line, written, given)| {
                Diagnostic::warning(
                    body.file,
                    format!("the heading id `{written}` is taken (by another heading or the theme); it is `{given}`"),
                )
                .at_line(body.line + line - 1)
                .with_help("give the heading an id of its own: ## Title {#another-id}")
            }),
    );
    problems.extend(
        std::mem::take(&mut rendered.unresolved_wiki_links)
            .into_iter()
            .map(|(line, name)| {
                Diagnostic::warning(
                    body.file,
                    format!("the wiki link `[[{name}]]` names no page or file; it is shown as its text"),
                )
                .at_line(body.line + line - 1)
                .with_help("name a page's file without .md ([[Page name]]) or a file beside a page ([[photo.jpg]])")
            }),
    );
    if let Some(line) = rendered.unclosed_comment.take() {
        problems.push(
            Diagnostic::warning(
                body.file,
                "an HTML comment `<!--` is never closed: the rest of the page is shown as written, not as Markdown",
            )
            .at_line(body.line + line - 1)
            .with_help("end the comment with -->"),
        );
    }
    let mended = std::mem::take(&mut rendered.unbalanced);
    if !mended.is_empty() {
        // A page of thousands names its first few: a message, not a dump.
        const SHOWN: usize = 5;
        let mut named = mended
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if mended.len() > SHOWN {
            named.push_str(&format!(" and {} more", mended.len() - SHOWN));
        }
        let warning = Diagnostic::warning(
            body.file,
            format!(
                "the page's HTML has {named} without its pair; dunav closed or dropped it where its block ends"
            ),
        )
        .with_help("close each HTML tag you open in the text (<b>…</b>)");
        problems.push(match crate::markdown::line_of_tag(body.text, &mended[0]) {
            Some(line) => warning.at_line(body.line + line - 1),
            None => warning,
        });
    }
    problems
}

/// A broken link, as an error or (with `[links] missing = "warning"`) a warning.
fn link_problem(file: &Path, config: &SiteConfig, destination: &str, reason: &str) -> Diagnostic {
    // `@./x.md` is what a Hugo `ref` or `relref` call became: named as written.
    // `@name/x` a Jekyll `post_url` (or a `link` to a post).
    let message = match (
        destination.strip_prefix("@./"),
        destination.strip_prefix("@name/"),
    ) {
        (Some(path), _) => format!("broken link `{{{{< relref \"{path}\" >}}}}`: {reason}"),
        (_, Some(name)) => format!("broken link `{{% post_url {name} %}}`: {reason}"),
        _ => format!("broken link `{destination}`: {reason}"),
    };
    match config.links.missing {
        LinkSeverity::Error => Diagnostic::error(file, message),
        LinkSeverity::Warning => Diagnostic::warning(file, message),
    }
}

/// A link to a page shown in this run that `dunav build` leaves out.
fn unpublished_link(
    file: &Path,
    rendering: &Rendering<'_>,
    destination: &str,
    reason: &str,
) -> Diagnostic {
    let message = format!("link `{destination}`: {reason}");
    if rendering.unpublished_links_fail {
        Diagnostic::error(file, message)
    } else {
        Diagnostic::warning(file, message)
    }
}
