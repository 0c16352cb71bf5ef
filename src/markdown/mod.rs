//! Markdown to HTML with pulldown-cmark: heading ids and anchors, a table of
//! contents, `.md` links turned into URLs, highlighted code, and the summary.

mod alerts;
mod attributes;
mod autolink;
mod balance;
mod block_ids;
mod builtin_shortcodes;
mod comments;
mod containers;
mod emoji;
mod escaped_calls;
mod figure;
mod footnotes;
mod gfm;
mod gitlab_quotes;
pub mod highlight;
mod kramdown;
mod marks;
mod wiki_source;
pub use alerts::alert_kind;
pub use attributes::tag_attribute;
pub use balance::line_of_tag;
pub use gfm::{CodeSpans, in_code_span, written_ids};
mod renderer;
mod shortcodes;
mod spaced_addresses;
mod summary;
mod tabs;
mod toc_markers;

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, TagEnd};
use serde::{Deserialize, Serialize};

use renderer::Renderer;

pub use highlight::escape_html;
pub use kramdown::MARKDOWN_TAG;
pub use shortcodes::{Fences, HtmlBlocks};

/// The extensions a Markdown content file may have, in any case: `.md`, and
/// the longer ones Jekyll and Hugo sites bring (`.markdown`, `.mdown`…), and
/// Docusaurus' MDX (see `content::mdx`).
pub const MARKDOWN_EXTENSIONS: [&str; 6] = ["md", "markdown", "mdown", "mkd", "mkdn", "mdx"];

/// A Markdown file's name without its extension; `None` for any other file.
pub fn markdown_base(file_name: &str) -> Option<&str> {
    let (base, extension) = file_name.rsplit_once('.')?;
    let is_markdown = !base.is_empty()
        && MARKDOWN_EXTENSIONS
            .iter()
            .any(|known| extension.eq_ignore_ascii_case(known));
    is_markdown.then_some(base)
}

/// Whether a link's path (before any `#` or `?`) names a Markdown file.
fn names_markdown(link: &str) -> bool {
    let path = link.split(['#', '?']).next().unwrap_or("");
    markdown_base(path.rsplit('/').next().unwrap_or("")).is_some()
}

/// The attribute that marks the `<img>` of a Hugo figure (see
/// `builtin_shortcodes`): the renderer takes it as a Markdown image.
const FIGURE_IMAGE_MARK: &str = "data-dunav-figure";

/// Whether raw HTML is the marker that ends a page's summary: `<!-- more -->`,
/// Hugo's `<!--more-->` or Docusaurus' `<!-- truncate -->`, spaced any way.
fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| {
            let word = inner.trim();
            word.eq_ignore_ascii_case("more") || word.eq_ignore_ascii_case("truncate")
        })
}

/// One heading, for the table of contents.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u32,
    pub id: String,
    pub title: String,
    pub children: Vec<Heading>,
}

/// Turns a link written in Markdown into the URL to write, or says why it is broken.
pub trait LinkResolver {
    /// `Ok(None)` leaves the link as written.
    fn resolve(&self, destination: &str) -> Result<Option<String>, LinkError>;

    /// Where an Obsidian wiki link's name (`Page name#Heading`, `photo.jpg`)
    /// leads, or `None` when it names nothing.
    fn resolve_wiki(&self, _name: &str) -> Option<String> {
        None
    }
}

/// Why a link does not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing is there.
    Broken(String),
    /// The target is a draft or scheduled, shown in this run but not yet
    /// published: the link works once it is (the URL to write, and why).
    Unpublished { url: String, reason: String },
}

impl From<String> for LinkError {
    fn from(reason: String) -> LinkError {
        LinkError::Broken(reason)
    }
}

/// Resolves nothing: every link stays as written.
pub struct KeepLinks;

impl LinkResolver for KeepLinks {
    fn resolve(&self, _: &str) -> Result<Option<String>, LinkError> {
        Ok(None)
    }
}

/// A broken link, at a line of the Markdown body (1-based, relative to the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub body_line: usize,
    pub destination: String,
    pub reason: String,
    /// The target exists but is not published yet.
    pub unpublished: bool,
}

/// A link to `#fragment` (on this page, `url` empty, or on another page of
/// the site), to be checked once every page's ids are known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FragmentLink {
    pub body_line: usize,
    /// The site path the fragment is on; empty for this page.
    pub url: String,
    pub fragment: String,
    /// The link as written, for the message.
    pub destination: String,
}

/// What rendering one Markdown body produces.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub summary_html: String,
    /// The summary as plain text.
    pub summary_text: String,
    pub toc: Vec<Heading>,
    pub word_count: usize,
    pub broken_links: Vec<BrokenLink>,
    /// Body lines of images written without alt text.
    pub images_without_alt: Vec<usize>,
    /// URLs of the images looked up as pictures (their renditions are
    /// needed; looking one up again notes its warnings again).
    pub pictures: Vec<String>,
    /// The highlight memo's keys of its code blocks.
    pub code_blocks: Vec<highlight::memo::Key>,
    pub fragment_links: Vec<FragmentLink>,
    /// Raw HTML tags the page left open or closed without opening, mended.
    pub unbalanced: Vec<String>,
    /// Hugo or Zola shortcodes, which dunav does not run: (body line, as written).
    pub shortcodes: Vec<(usize, String)>,
    /// Heading ids written (`{#id}`) that another heading or the theme had
    /// taken: (body line, as written, as given).
    pub renamed_ids: Vec<(usize, String, String)>,
    /// The body line of an HTML comment (`<!--`) never closed: everything
    /// after it is one block of raw HTML, its Markdown shown as written.
    pub unclosed_comment: Option<usize>,
    /// Obsidian wiki links that name no page or file: (body line, name).
    pub unresolved_wiki_links: Vec<(usize, String)>,
}

/// How to render: the page language (for typography), where links go, and
/// the ids the theme uses on every page (a heading never takes one of them).
pub struct RenderOptions<'a> {
    pub lang: &'a str,
    pub links: &'a dyn LinkResolver,
    pub reserved_ids: &'a HashSet<String>,
    /// How headings' ids are spelled (`[links] heading_ids`).
    pub heading_ids: crate::config::HeadingIds,
    /// Where images get their published widths; without it they show as written.
    pub pictures: Option<&'a dyn PictureLookup>,
}

/// Finds the published widths of an image a body shows, by its resolved URL.
pub trait PictureLookup: Sync {
    fn picture(&self, url: &str) -> Option<crate::images::Picture>;
}

fn parser_options(has_tex: bool) -> Options {
    let math = match has_tex {
        true => Options::ENABLE_MATH,
        false => Options::empty(),
    };
    math | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
        // `Term` then `: definition`, as Hugo's goldmark and kramdown write them.
        | Options::ENABLE_DEFINITION_LIST
        // Obsidian's `[[Page name]]`.
        | Options::ENABLE_WIKILINKS
}

/// Renders a Markdown body to HTML, with its summary, headings and broken links.
pub fn render(markdown: &str, options: &RenderOptions<'_>) -> Rendered {
    let (markdown, liquid_raw) = shortcodes::liquid_raw(markdown);
    let markdown: &str = &shortcodes::liquid_highlight_as_fences(&markdown);
    let markdown: &str = &shortcodes::liquid_links(markdown, &liquid_raw);
    let markdown: &str = &builtin_shortcodes::expand(markdown);
    // Read before display math leaves its dollars: `$a+b$` beside a `$$`
    // block is math too.
    let has_tex = renderer::has_tex(markdown);
    let markdown: &str = &renderer::display_blocks_as_fences(markdown);
    let markdown: &str = &tabs::rewrite(markdown);
    let markdown: &str = &containers::rewrite(markdown);
    let markdown: &str = &kramdown::rewrite(markdown);
    let markdown: &str = &kramdown::markdown_in_html(markdown);
    let markdown: &str = &toc_markers::blank(markdown);
    let markdown: &str = &gitlab_quotes::rewrite(markdown);
    let markdown: &str = &comments::strip_obsidian(markdown);
    let markdown: &str = &comments::strip_liquid(markdown);
    let markdown: &str = &comments::strip_hugo(markdown);
    let markdown: &str = &spaced_addresses::bracketed(markdown);
    let markdown: &str = &block_ids::anchor(markdown);
    let markdown: &str = &attributes::keep_braces_that_are_text(markdown);
    let markdown: &str = &attributes::without_span_attribute_lists(markdown);
    let markdown: &str = &wiki_source::prepare(markdown);
    let mut renderer = Renderer::new(markdown, options);
    let mut parser = Parser::new_ext(markdown, parser_options(has_tex)).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        renderer.event(event, range.start, &mut parser);
    }
    let mut rendered = renderer.finish(markdown.len());
    rendered.shortcodes = shortcodes::shortcodes(markdown)
        .into_iter()
        .filter(|(line, _)| !liquid_raw.iter().any(|raw| raw.contains(line)))
        .collect();
    rendered
}

/// Resolves a link's destination, recording it when broken.
fn resolve_link<'a>(
    dest: CowStr<'a>,
    options: &RenderOptions<'_>,
    body_line: usize,
    out: &mut Rendered,
) -> CowStr<'a> {
    match options.links.resolve(&dest) {
        Ok(Some(url)) => url.into(),
        Ok(None) => dest,
        Err(LinkError::Broken(reason)) => {
            out.broken_links.push(BrokenLink {
                body_line,
                destination: dest.to_string(),
                reason,
                unpublished: false,
            });
            dest
        }
        Err(LinkError::Unpublished { url, reason }) => {
            out.broken_links.push(BrokenLink {
                body_line,
                destination: dest.to_string(),
                reason,
                unpublished: true,
            });
            url.into()
        }
    }
}

/// Bulgarian quotes are „…“; pulldown-cmark's smart punctuation writes “…”.
pub(crate) fn typographic<'a>(event: Event<'a>, lang: &str) -> Event<'a> {
    // Smart punctuation gives each quote it makes an event of its own: only
    // those are made Bulgarian. Quotes typed as „…“ are already right, and
    // their closing “ must not become „.
    match event {
        Event::Text(text) if lang == "bg" && text.as_ref() == "“" => Event::Text("„".into()),
        Event::Text(text) if lang == "bg" && text.as_ref() == "”" => Event::Text("“".into()),
        other => other,
    }
}

/// `base`, or `base-1`, `base-2`… whichever is not taken yet; records it as taken.
fn unique_id(base: String, used: &mut HashMap<String, usize>) -> String {
    if !used.contains_key(&base) {
        used.insert(base.clone(), 0);
        return base;
    }
    loop {
        let n = used.get(&base).copied().unwrap_or(0) + 1;
        used.insert(base.clone(), n);
        let id = format!("{base}-{n}");
        if !used.contains_key(&id) {
            used.insert(id.clone(), 0);
            return id;
        }
    }
}

fn heading_number(level: HeadingLevel) -> u32 {
    level as u32
}

/// The number of whitespace-separated words, as `split_whitespace().count()`
/// but a byte at a time through a class table, the count itself without a
/// branch (twice as fast here): a word count runs over every text of every page.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut after_space = 1;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = match BYTE_CLASS[usize::from(bytes[i])] {
            MAYBE_SPACE => {
                let c = text.get(i..).and_then(|t| t.chars().next()).unwrap_or(' ');
                (usize::from(c.is_whitespace()), c.len_utf8())
            }
            class => (usize::from(class), 1),
        };
        words += after_space & (space ^ 1);
        after_space = space;
        i += len;
    }
    words
}

/// Per byte: 1 for ASCII white space, [`MAYBE_SPACE`] for the lead bytes of
/// the only non-ASCII white space (U+0085 and U+00A0 start with 0xC2, U+1680
/// with 0xE1, U+2000–U+205F with 0xE2, U+3000 with 0xE3), 0 for the rest.
const BYTE_CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut spaces = [b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c].as_slice();
    while let [space, rest @ ..] = spaces {
        class[*space as usize] = 1;
        spaces = rest;
    }
    class[0xc2] = MAYBE_SPACE;
    class[0xe1] = MAYBE_SPACE;
    class[0xe2] = MAYBE_SPACE;
    class[0xe3] = MAYBE_SPACE;
    class
};
const MAYBE_SPACE: u8 = 2;

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            // Math as its TeX, in the delimiters the page shows it in.
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            // A block's end parts its words from the next block's; so does
            // a block of HTML (a heading is written as one).
            Event::End(end) if !is_inline(end) => text.push(' '),
            Event::Html(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Nests a flat list of headings by level: an h3 goes under the h2 before it.
fn nest_headings(flat: Vec<Heading>) -> Vec<Heading> {
    fn insert(into: &mut Vec<Heading>, heading: Heading) {
        match into.last_mut() {
            Some(parent) if parent.level < heading.level => insert(&mut parent.children, heading),
            _ => into.push(heading),
        }
    }
    let mut root = Vec::new();
    for heading in flat {
        insert(&mut root, heading);
    }
    root
}

#[cfg(test)]
mod tests;
