//! Markdown to HTML with pulldown-cmark: heading ids and anchors, a table of
//! contents, `.md` links turned into URLs, highlighted code, and the summary.

pub mod highlight;

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

pub use highlight::escape_html;

use crate::translit::slugify;

/// The marker that ends a page's summary.
pub const MORE_MARKER: &str = "<!-- more -->";

/// One heading, for the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u32,
    pub id: String,
    pub title: String,
    pub children: Vec<Heading>,
}

/// Turns a link written in Markdown into the URL to write, or says why it is broken.
pub trait LinkResolver {
    /// `Ok(None)` leaves the link as written.
    fn resolve(&self, destination: &str) -> Result<Option<String>, String>;
}

/// Resolves nothing: every link stays as written.
pub struct KeepLinks;

impl LinkResolver for KeepLinks {
    fn resolve(&self, _: &str) -> Result<Option<String>, String> {
        Ok(None)
    }
}

/// A broken link, at a line of the Markdown body (1-based, relative to the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub body_line: usize,
    pub destination: String,
    pub reason: String,
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
}

/// How to render: the page language (for typography) and where links go.
pub struct RenderOptions<'a> {
    pub lang: &'a str,
    pub links: &'a dyn LinkResolver,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_GFM
}

/// Renders a Markdown body to HTML, with its summary, headings and broken links.
pub fn render(markdown: &str, options: &RenderOptions<'_>) -> Rendered {
    let mut renderer = Renderer::new(markdown, options);
    let mut parser = Parser::new_ext(markdown, parser_options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        renderer.event(event, range.start, &mut parser);
    }
    renderer.finish(markdown.len())
}

/// The parser's events with their source offsets.
type Events<'a> = pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>;

/// One body's rendering under way: the events to write and what was learnt on the way.
struct Renderer<'a, 'o> {
    options: &'o RenderOptions<'o>,
    /// Byte offset of each line's start, for line numbers.
    line_starts: Vec<usize>,
    out: Rendered,
    events: Vec<Event<'a>>,
    used_ids: HashMap<String, usize>,
    flat_headings: Vec<Heading>,
    /// Index in `events` of the summary's end: the `more` marker or the first paragraph's end.
    more_at: Option<usize>,
    first_paragraph_end: Option<usize>,
    depth: usize,
}

impl<'a, 'o> Renderer<'a, 'o> {
    fn new(markdown: &str, options: &'o RenderOptions<'o>) -> Self {
        Renderer {
            options,
            line_starts: std::iter::once(0)
                .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
            out: Rendered::default(),
            events: Vec::new(),
            used_ids: HashMap::new(),
            flat_headings: Vec::new(),
            more_at: None,
            first_paragraph_end: None,
            depth: 0,
        }
    }

    /// The body line (1-based) of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    fn event(&mut self, event: Event<'a>, offset: usize, parser: &mut Events<'a>) {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.heading(level, id, classes, attrs, parser),
            Event::Start(Tag::CodeBlock(kind)) => self.code_block(kind, parser),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.resolve(dest_url, self.line_of(offset));
                self.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
                self.depth += 1;
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let line = self.line_of(offset);
                let dest_url = self.resolve(dest_url, line);
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
                self.image_alt(line, parser);
            }
            Event::Html(html) | Event::InlineHtml(html) if html.trim() == MORE_MARKER => {
                self.more_at.get_or_insert(self.events.len());
            }
            Event::Text(text) => {
                self.out.word_count += count_words(&text);
                let lang = self.options.lang;
                self.events.push(typographic(Event::Text(text), lang));
            }
            Event::Start(tag) => {
                self.depth += 1;
                self.events.push(Event::Start(tag));
            }
            Event::End(tag) => {
                self.depth = self.depth.saturating_sub(1);
                let is_paragraph = tag == TagEnd::Paragraph;
                self.events.push(Event::End(tag));
                if is_paragraph && self.depth == 0 && self.first_paragraph_end.is_none() {
                    self.first_paragraph_end = Some(self.events.len());
                }
            }
            other => self.events.push(other),
        }
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        parser: &mut Events<'a>,
    ) {
        let mut inner = Vec::new();
        let mut text = String::new();
        for (e, _) in parser.by_ref() {
            match &e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
            inner.push(typographic(e, self.options.lang));
        }
        let base = id.map(|i| i.to_string()).unwrap_or_else(|| {
            let s = slugify(&text);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        });
        let id = unique_id(base, &mut self.used_ids);
        let mut open = format!("<{level} id=\"{}\"", escape_html(&id));
        if !classes.is_empty() {
            let joined: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
            open.push_str(&format!(" class=\"{}\"", escape_html(&joined.join(" "))));
        }
        for (name, value) in attrs {
            open.push_str(&format!(
                " {}=\"{}\"",
                escape_html(&name),
                escape_html(value.as_deref().unwrap_or(""))
            ));
        }
        open.push('>');
        self.events.push(Event::Html(open.into()));
        self.events.extend(inner);
        self.events.push(Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{id}\" aria-label=\"§ {}\">#</a></{level}>\n",
                escape_html(text.trim()),
                id = escape_html(&id),
            )
            .into(),
        ));
        self.out.word_count += count_words(&text);
        self.flat_headings.push(Heading {
            level: heading_number(level),
            id,
            title: text.trim().to_string(),
            children: Vec::new(),
        });
    }

    fn code_block(&mut self, kind: CodeBlockKind<'a>, parser: &mut Events<'a>) {
        let lang = match &kind {
            CodeBlockKind::Fenced(info) => info
                .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                .next()
                .filter(|l| !l.is_empty())
                .map(str::to_string),
            CodeBlockKind::Indented => None,
        };
        let mut code = String::new();
        for (e, _) in parser.by_ref() {
            match e {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
        }
        self.events.push(Event::Html(
            highlight::highlight_block(&code, lang.as_deref()).into(),
        ));
    }

    /// Copies an image's events up to its end; its alt text is the text in between.
    fn image_alt(&mut self, line: usize, parser: &mut Events<'a>) {
        let mut alt = String::new();
        for (e, _) in parser.by_ref() {
            let end = matches!(e, Event::End(TagEnd::Image));
            if let Event::Text(t) | Event::Code(t) = &e {
                alt.push_str(t);
            }
            self.events.push(e);
            if end {
                break;
            }
        }
        if alt.trim().is_empty() {
            self.out.images_without_alt.push(line);
        }
    }

    fn resolve(&mut self, dest: CowStr<'a>, body_line: usize) -> CowStr<'a> {
        resolve_link(dest, self.options, body_line, &mut self.out)
    }

    fn finish(mut self, source_len: usize) -> Rendered {
        let end = self.more_at.or(self.first_paragraph_end).unwrap_or(0);
        let summary_events = &self.events[..end];
        self.out.summary_text = plain_text(summary_events);
        pulldown_cmark::html::push_html(&mut self.out.summary_html, summary_events.iter().cloned());
        self.out.html.reserve(source_len * 3 / 2);
        pulldown_cmark::html::push_html(&mut self.out.html, self.events.into_iter());
        self.out.toc = nest_headings(self.flat_headings);
        self.out
    }
}

fn resolve_link<'a>(
    dest: CowStr<'a>,
    options: &RenderOptions<'_>,
    body_line: usize,
    out: &mut Rendered,
) -> CowStr<'a> {
    match options.links.resolve(&dest) {
        Ok(Some(url)) => url.into(),
        Ok(None) => dest,
        Err(reason) => {
            out.broken_links.push(BrokenLink {
                body_line,
                destination: dest.to_string(),
                reason,
            });
            dest
        }
    }
}

/// Bulgarian quotes are „…“; pulldown-cmark's smart punctuation writes “…”.
fn typographic<'a>(event: Event<'a>, lang: &str) -> Event<'a> {
    match event {
        Event::Text(text) if lang == "bg" && text.contains(['“', '”']) => {
            Event::Text(text.replace('“', "„").replace('”', "“").into())
        }
        other => other,
    }
}

fn unique_id(base: String, used: &mut HashMap<String, usize>) -> String {
    match used.get_mut(&base) {
        None => {
            used.insert(base.clone(), 0);
            base
        }
        Some(n) => {
            *n += 1;
            let id = format!("{base}-{n}");
            used.insert(id.clone(), 0);
            id
        }
    }
}

fn heading_number(level: HeadingLevel) -> u32 {
    level as u32
}

fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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

    fn md(text: &str) -> Rendered {
        render(
            text,
            &RenderOptions {
                lang: "bg",
                links: &KeepLinks,
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
        fn resolve(&self, d: &str) -> Result<Option<String>, String> {
            if d.ends_with(".md") {
                Err("no such page".into())
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
            },
        );
        assert_eq!(r.broken_links.len(), 1);
        assert_eq!(r.broken_links[0].body_line, 3);
    }
}
