//! Markdown to HTML with pulldown-cmark: heading ids and anchors, a table of
//! contents, `.md` links turned into URLs, highlighted code, and the summary.

mod balance;
mod footnotes;
pub mod highlight;
mod renderer;
mod shortcodes;
mod summary;

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, TagEnd};
use serde::{Deserialize, Serialize};

use renderer::Renderer;

pub use highlight::escape_html;

/// The extensions a Markdown content file may have, in any case: `.md`, and
/// the longer ones Jekyll and Hugo sites bring (`.markdown`, `.mdown`…).
const MARKDOWN_EXTENSIONS: [&str; 5] = ["md", "markdown", "mdown", "mkd", "mkdn"];

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

/// Whether raw HTML is the marker that ends a page's summary: `<!-- more -->`,
/// or Hugo's `<!--more-->`, spaced any way.
fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim().eq_ignore_ascii_case("more"))
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
}

/// How to render: the page language (for typography), where links go, and
/// the ids the theme uses on every page (a heading never takes one of them).
pub struct RenderOptions<'a> {
    pub lang: &'a str,
    pub links: &'a dyn LinkResolver,
    pub reserved_ids: &'a HashSet<String>,
    /// Where images get their published widths; without it they show as written.
    pub pictures: Option<&'a dyn PictureLookup>,
}

/// Finds the published widths of an image a body shows, by its resolved URL.
pub trait PictureLookup: Sync {
    fn picture(&self, url: &str) -> Option<crate::images::Picture>;
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
        // `Term` then `: definition`, as Hugo's goldmark and kramdown write them.
        | Options::ENABLE_DEFINITION_LIST
}

/// Renders a Markdown body to HTML, with its summary, headings and broken links.
pub fn render(markdown: &str, options: &RenderOptions<'_>) -> Rendered {
    let markdown: &str = &shortcodes::liquid_highlight_as_fences(markdown);
    let mut renderer = Renderer::new(markdown, options);
    let mut parser = Parser::new_ext(markdown, parser_options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        renderer.event(event, range.start, &mut parser);
    }
    let mut rendered = renderer.finish(markdown.len());
    rendered.shortcodes = shortcodes::shortcodes(markdown);
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
    match event {
        // Two substring searches (SIMD) beat one search for either char (decodes every char).
        Event::Text(text) if lang == "bg" && (text.contains('“') || text.contains('”')) => {
            Event::Text(text.replace('“', "„").replace('”', "“").into())
        }
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
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            // A block's end parts its words from the next block's.
            Event::End(end) if !is_inline(end) => text.push(' '),
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
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let texts = [
            "",
            "   ",
            "една дума",
            " водещ и краен интервал ",
            "tab\tnew\nline\r\nform\x0cfeed\x0bvt",
            "неразделим\u{a0}интервал и\u{85}NEL",
            "em\u{2003}space, thin\u{2009}space, ideographic\u{3000}space\u{205f}math",
            "ogham\u{1680}mark line\u{2028}para\u{2029}end",
            "не-интервали: \u{200b}zero-width, – тире, “кавички”, €",
        ];
        for text in texts {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    fn md(text: &str) -> Rendered {
        render(
            text,
            &RenderOptions {
                lang: "bg",
                links: &KeepLinks,
                reserved_ids: &HashSet::from(["main".to_string()]),
                pictures: None,
            },
        )
    }

    #[test]
    fn headings_get_transliterated_unique_ids() {
        let r = md("## Нов партньор\n\n## Нов партньор\n\n### Детайли {#details}\n");
        assert!(r.html.contains("<h2 id=\"nov-partnyor\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"nov-partnyor-1\">"));
        assert!(r.html.contains("<h3 id=\"details\">"));
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "details");
    }

    #[test]
    fn summary_stops_at_more_or_first_paragraph() {
        let r = md("Първи.\n\nВтори.\n\n<!-- more -->\n\nТрети.\n");
        assert!(r.summary_html.contains("Втори"));
        assert!(!r.summary_html.contains("Трети"));
        let r = md("Първи абзац.\n\nВтори.\n");
        assert_eq!(r.summary_text, "Първи абзац.");
    }

    #[test]
    fn extensions_and_bulgarian_quotes() {
        let r = md(
            "\"Цитат\"\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ [^1]\n\n- [x] готово\n\n[^1]: бележка\n",
        );
        assert!(r.html.contains("„Цитат“"), "{}", r.html);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote"));
    }

    struct Refuse;
    impl LinkResolver for Refuse {
        fn resolve(&self, d: &str) -> Result<Option<String>, LinkError> {
            if d.ends_with(".md") || d.contains('@') {
                Err(LinkError::Broken("no such page".into()))
            } else {
                Ok(None)
            }
        }
    }

    #[test]
    fn images_without_alt_text_are_noticed() {
        let r = md("![](a.png)\n\n![Река Дунав](b.png)\n");
        assert_eq!(r.images_without_alt, vec![1]);
    }

    #[test]
    fn broken_links_carry_their_line() {
        let r = render(
            "Текст.\n\nВиж [тук](missing.md).\n",
            &RenderOptions {
                lang: "bg",
                links: &Refuse,
                reserved_ids: &HashSet::new(),
                pictures: None,
            },
        );
        assert_eq!(r.broken_links.len(), 1);
        assert_eq!(r.broken_links[0].body_line, 3);
    }

    #[test]
    fn summaries_are_the_first_paragraph_of_text_without_ids() {
        let r = md(
            "# Промени\n\n- едно\n- две\n\n![снимка](a.png)\n\n## Акценти\n\nПърви *истински* абзац.[^1]\n\nВтори.\n\n[^1]: бележка\n",
        );
        assert_eq!(r.summary_text, "Първи истински абзац.");
        assert!(!r.summary_html.contains("id="), "{}", r.summary_html);
        assert!(!r.summary_html.contains("<img"), "{}", r.summary_html);
        assert!(!r.summary_html.contains("footnote"), "{}", r.summary_html);
    }

    #[test]
    fn long_summaries_are_cut_on_a_word_with_an_ellipsis() {
        let words: Vec<String> = (1..=80).map(|i| format!("дума{i}")).collect();
        let r = md(&format!(
            "{} **{}**\n",
            words[..45].join(" "),
            words[45..].join(" ")
        ));
        assert_eq!(count_words(&r.summary_text), 50, "{}", r.summary_text);
        assert!(r.summary_text.ends_with("дума50…"), "{}", r.summary_text);
        assert!(
            r.summary_html.ends_with("дума50…</strong></p>\n"),
            "{}",
            r.summary_html
        );
    }

    #[test]
    fn a_summary_before_more_keeps_headings_without_their_ids() {
        let r = md("## Начало\n\nТекст.\n\n<!-- more -->\n\nОще.\n");
        assert!(
            r.summary_html.contains("<p><strong>Начало</strong></p>"),
            "{}",
            r.summary_html
        );
        assert!(!r.summary_html.contains("id="));
        assert!(!r.summary_html.contains("Още"));
        let r = md("Начало.\n\nПродължение.\n\n<!--more-->\n\nКрай.\n");
        assert_eq!(r.summary_text, "Начало. Продължение.", "Hugo's marker");
        let r = md("Първо <!-- more --> второ.\n\nТрето.\n");
        assert!(
            r.summary_html.ends_with("</p>\n"),
            "an inline marker closes its paragraph: {}",
            r.summary_html
        );
        assert!(!r.summary_html.contains("Трето"));
    }

    #[test]
    fn a_summary_keeps_blocks_apart_and_its_raw_tags_closed() {
        let r = md("- едно\n- две\n\nслед\n\n<!-- more -->\n\nОще.\n");
        assert_eq!(r.summary_text, "едно две след");
        let r = md("<!-- more -->\n\nПърви абзац.\n\nВтори.\n");
        assert_eq!(
            r.summary_text, "Първи абзац.",
            "a marker above all text marks nothing"
        );
        let r = md("Текст <b>удебелен <i>и наклонен.\n\nСледващ.\n");
        assert_eq!(
            r.summary_html, "<p>Текст <b>удебелен <i>и наклонен.</i></b></p>\n",
            "raw tags left open close inside the card"
        );
        let r = md(
            "<div class=\"box\">\n\nВ кутия.\n\n<!-- more -->\n\n</div>\n\nТекст </em> a<b>c</b>.\n",
        );
        assert!(r.summary_html.ends_with("</div>"), "{}", r.summary_html);
        let r = md("Без <span>отварящ</em> таг</span> и <br> <img src=\"a.png\" alt=\"x>y\">.\n");
        assert_eq!(
            r.summary_html,
            "<p>Без <span>отварящ таг</span> и <br> <img src=\"a.png\" alt=\"x>y\">.</p>\n"
        );
    }

    #[test]
    fn shortcodes_from_other_tools_are_found_outside_code() {
        let r = md(
            "Текст {{< figure src=\"a.jpg\" >}} и `{{< в код >}}`.\n\n```\n{{% note %}}\n```\n\n{{ youtube(id=\"x\") }}\n\n{{ page.title }} {% note() %}\n",
        );
        assert_eq!(
            r.shortcodes,
            vec![
                (1, "{{< figure src=\"a.jpg\" >}}".to_string()),
                (7, "{{ youtube(id=\"x\") }}".to_string()),
                (9, "{{ page.title }}".to_string()),
            ]
        );
        // Jekyll: Liquid tags are pointed out, closing ones left out, and
        // `{% highlight %}` blocks are code.
        let r = md(
            "{% highlight ruby %}\ndef hi\n{% endhighlight %}\n\nSee {% post_url 2024-05-01-a %}.\n\n{{< /note >}} {%- endraw %}\n",
        );
        assert_eq!(
            r.shortcodes,
            vec![(5, "{% post_url 2024-05-01-a %}".to_string())]
        );
        assert!(
            r.html.contains("<pre") && r.html.contains("data-lang=\"ruby\""),
            "{}",
            r.html
        );
        assert!(!r.html.contains("highlight"), "{}", r.html);
    }

    #[test]
    fn definition_lists_as_hugo_and_kramdown_write_them() {
        let r = md("Поддържани\n: Работи добре.\n\nДруги\n: Не.\n");
        assert!(
            r.html
                .contains("<dl>\n<dt>Поддържани</dt>\n<dd>Работи добре.</dd>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn footnote_ids_never_equal_a_heading_id() {
        let r = md(
            "## Русе\n\nТекст.[^ruse] Още.[^Моя бележка]\n\n[^ruse]: Град.\n\n[^моя бележка]: Друга.\n",
        );
        assert_eq!(r.html.matches("id=\"ruse\"").count(), 1, "{}", r.html);
        assert!(r.html.contains("href=\"#fn-ruse\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-ruse\""), "{}", r.html);
        assert!(r.html.contains("href=\"#fn-moya-belezhka\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-moya-belezhka\""), "{}", r.html);
        let r = md("Текст.[^a]\n\n[^a]: Бележка в средата.\n\nСлед бележката.\n");
        let notes = r.html.find("<section class=\"footnotes\"").unwrap();
        assert!(
            r.html.find("След бележката.").unwrap() < notes,
            "notes come last: {}",
            r.html
        );
        assert!(
            r.html.find("Бележка в средата.").unwrap() > notes,
            "{}",
            r.html
        );
    }

    #[test]
    fn heading_ids_never_repeat_and_avoid_the_themes() {
        let r = md("## A 2\n\n## A\n\n## A\n\n## A\n\n## Main\n");
        for id in ["a-2", "a", "a-1", "a-3", "main-1"] {
            assert_eq!(
                r.html.matches(&format!("id=\"{id}\"")).count(),
                1,
                "{id}: {}",
                r.html
            );
        }
    }

    #[test]
    fn email_autolinks_are_addresses() {
        let r = render(
            "Пишете ни на <info@didih.bg>.\n",
            &RenderOptions {
                lang: "bg",
                links: &Refuse,
                reserved_ids: &HashSet::new(),
                pictures: None,
            },
        );
        assert!(r.broken_links.is_empty(), "{:?}", r.broken_links);
        assert!(
            r.html.contains("href=\"mailto:info@didih.bg\""),
            "{}",
            r.html
        );
    }
}
