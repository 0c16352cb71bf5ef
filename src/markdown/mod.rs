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
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset);

    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut flat_headings: Vec<Heading> = Vec::new();
    // Index in `events` of the summary's end: the `more` marker or the first paragraph's end.
    let mut more_at: Option<usize> = None;
    let mut first_paragraph_end: Option<usize> = None;
    let mut depth = 0usize;

    let mut parser = Parser::new_ext(markdown, parser_options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let mut inner = Vec::new();
                let mut text = String::new();
                for (e, _) in parser.by_ref() {
                    match &e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    inner.push(typographic(e, options.lang));
                }
                let base = id.map(|i| i.to_string()).unwrap_or_else(|| {
                    let s = slugify(&text);
                    if s.is_empty() {
                        "section".to_string()
                    } else {
                        s
                    }
                });
                let id = unique_id(base, &mut used_ids);
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
                events.push(Event::Html(open.into()));
                events.extend(inner);
                events.push(Event::Html(
                    format!(
                        " <a class=\"anchor\" href=\"#{id}\" aria-label=\"§ {}\">#</a></{level}>\n",
                        escape_html(text.trim()),
                        id = escape_html(&id),
                    )
                    .into(),
                ));
                out.word_count += count_words(&text);
                flat_headings.push(Heading {
                    level: heading_number(level),
                    id,
                    title: text.trim().to_string(),
                    children: Vec::new(),
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
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
                events.push(Event::Html(
                    highlight::highlight_block(&code, lang.as_deref()).into(),
                ));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = resolve_link(dest_url, options, line_of(range.start), &mut out);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
                depth += 1;
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let line = line_of(range.start);
                let dest_url = resolve_link(dest_url, options, line, &mut out);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
                // The image's alt text is the text up to its end tag.
                let mut alt = String::new();
                for (e, _) in parser.by_ref() {
                    let end = matches!(e, Event::End(TagEnd::Image));
                    if let Event::Text(t) | Event::Code(t) = &e {
                        alt.push_str(t);
                    }
                    events.push(e);
                    if end {
                        break;
                    }
                }
                if alt.trim().is_empty() {
                    out.images_without_alt.push(line);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) if html.trim() == MORE_MARKER => {
                if more_at.is_none() {
                    more_at = Some(events.len());
                }
            }
            Event::Text(text) => {
                out.word_count += count_words(&text);
                events.push(typographic(Event::Text(text), options.lang));
            }
            Event::Start(tag) => {
                depth += 1;
                events.push(Event::Start(tag));
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                let is_paragraph = tag == TagEnd::Paragraph;
                events.push(Event::End(tag));
                if is_paragraph && depth == 0 && first_paragraph_end.is_none() {
                    first_paragraph_end = Some(events.len());
                }
            }
            other => events.push(other),
        }
    }

    let summary_events = match (more_at, first_paragraph_end) {
        (Some(end), _) | (None, Some(end)) => &events[..end],
        (None, None) => &events[..0],
    };
    out.summary_text = plain_text(summary_events);
    pulldown_cmark::html::push_html(&mut out.summary_html, summary_events.iter().cloned());
    out.html.reserve(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out.toc = nest_headings(flat_headings);
    out
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
