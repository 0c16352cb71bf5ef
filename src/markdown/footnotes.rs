//! Footnotes as Hugo, Zola and GitHub show them: gathered at the end of the
//! page, numbered in the order the text first cites them, each with a link
//! back to where it is cited. pulldown-cmark leaves a note where it was
//! written and links only one way.

use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::unique_id;

/// `events` with every footnote definition moved to a closing section, in
/// citation order; references and definitions are written here rather
/// than by pulldown-cmark, whose numbering would follow the source order of
/// the moved notes. The back links' ids are drawn from `used_ids`, so that
/// none equals a heading's.
pub(super) fn endnotes<'a>(
    events: Vec<Event<'a>>,
    used_ids: &mut HashMap<String, usize>,
    lang: &str,
) -> Vec<Event<'a>> {
    let is_note = |e: &Event<'_>| matches!(e, Event::Start(Tag::FootnoteDefinition(_)));
    if !events.iter().any(is_note) {
        return events;
    }
    let (mut body, mut notes) = split_notes(events);
    let mut citing = Citations {
        numbers: HashMap::new(),
        refs: HashMap::new(),
        used_ids,
    };
    citing.cite_in(&mut body);
    // A note may cite another: numbered after the text's own citations.
    for (_, content) in notes.iter_mut() {
        citing.cite_in(content);
    }
    let Citations {
        mut numbers,
        refs: citations,
        ..
    } = citing;
    let mut ordered: Vec<(usize, String, Vec<Event<'a>>)> = notes
        .into_iter()
        .map(|(id, content)| {
            let next = numbers.len() + 1;
            let number = *numbers.entry(id.clone()).or_insert(next);
            (number, id, content)
        })
        .collect();
    ordered.sort_by_key(|(number, ..)| *number);
    body.push(Event::Html(CowStr::Borrowed(
        "<section class=\"footnotes\" role=\"doc-endnotes\">\n",
    )));
    for (number, id, content) in ordered {
        let back = back_links(citations.get(&id).map_or(&[][..], Vec::as_slice), lang);
        body.push(Event::Html(
            format!(
                "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{number}</sup>"
            )
            .into(),
        ));
        body.extend(with_back_links(content, back));
        body.push(Event::Html(CowStr::Borrowed("</div>\n")));
    }
    body.push(Event::Html(CowStr::Borrowed("</section>\n")));
    body
}

/// The notes' numbers, in the order they are first cited, and the ids of
/// the places each is cited from.
struct Citations<'u> {
    numbers: HashMap<String, usize>,
    refs: HashMap<String, Vec<String>>,
    used_ids: &'u mut HashMap<String, usize>,
}

impl Citations<'_> {
    /// Writes each reference in `events` as a numbered link with an id to come back to.
    fn cite_in(&mut self, events: &mut [Event<'_>]) {
        for event in events.iter_mut() {
            let Event::FootnoteReference(id) = event else {
                continue;
            };
            let next = self.numbers.len() + 1;
            let number = *self.numbers.entry(id.to_string()).or_insert(next);
            let ref_id = unique_id(format!("{id}-ref"), self.used_ids);
            let html = format!(
                "<sup class=\"footnote-reference\" id=\"{ref_id}\"><a href=\"#{id}\" role=\"doc-noteref\">{number}</a></sup>"
            );
            self.refs.entry(id.to_string()).or_default().push(ref_id);
            *event = Event::InlineHtml(html.into());
        }
    }
}

/// A note's id and its content, without its own start and end events.
type Note<'a> = (String, Vec<Event<'a>>);

/// The text without its notes, and the notes in source order.
fn split_notes(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Vec<Note<'_>>) {
    let mut body = Vec::with_capacity(events.len() + 2);
    let mut notes: Vec<Note<'_>> = Vec::new();
    // Definitions do not nest in CommonMark with footnotes, but a depth
    // keeps a stray one inside a note from splitting it.
    let mut depth = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(id)) => {
                if depth == 0 {
                    notes.push((id.to_string(), Vec::new()));
                }
                depth += 1;
            }
            Event::End(TagEnd::FootnoteDefinition) if depth > 0 => depth -= 1,
            event if depth > 0 => {
                if let Some((_, content)) = notes.last_mut() {
                    content.push(event);
                }
            }
            event => body.push(event),
        }
    }
    (body, notes)
}

/// One `↩` link per citation of a note, the second and later numbered.
fn back_links(citations: &[String], lang: &str) -> String {
    let label = if lang == "bg" {
        "Обратно към текста"
    } else {
        "Back to the text"
    };
    let mut html = String::new();
    for (n, ref_id) in citations.iter().enumerate() {
        // A numbered link's name carries its number too, as its text does
        // (axe: label-content-name-mismatch).
        let (mark, name) = if n == 0 {
            (String::new(), label.to_string())
        } else {
            (
                format!("<sup>{}</sup>", n + 1),
                format!("{label} {}", n + 1),
            )
        };
        let _ = write!(
            html,
            " <a href=\"#{ref_id}\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"{name}\">↩\u{fe0e}{mark}</a>"
        );
    }
    html
}

/// The note's content with its back links at the end of its last
/// paragraph, as GitHub places them, or after it when it ends otherwise
/// (a list, a code block).
fn with_back_links<'a>(mut content: Vec<Event<'a>>, back: String) -> Vec<Event<'a>> {
    if back.is_empty() {
        return content;
    }
    let html = Event::InlineHtml(back.into());
    if matches!(content.last(), Some(Event::End(TagEnd::Paragraph))) {
        let at = content.len() - 1;
        content.insert(at, html);
    } else {
        content.push(html);
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(markdown: &str) -> String {
        let options = pulldown_cmark::Options::ENABLE_FOOTNOTES;
        let events: Vec<Event<'_>> = pulldown_cmark::Parser::new_ext(markdown, options)
            .map(|e| match e {
                Event::FootnoteReference(label) => {
                    Event::FootnoteReference(format!("fn-{label}").into())
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    Event::Start(Tag::FootnoteDefinition(format!("fn-{label}").into()))
                }
                other => other,
            })
            .collect();
        let mut html = String::new();
        let mut used = HashMap::from([("fn-a-ref".to_string(), 0)]);
        pulldown_cmark::html::push_html(&mut html, endnotes(events, &mut used, "en").into_iter());
        html
    }

    #[test]
    fn notes_are_numbered_by_citation_and_link_back_to_each() {
        let html = render(
            "First[^b], then[^a], again[^b].\n\n[^a]: Note A.\n\n[^b]: Note B.\n\n[^c]: Never cited.\n",
        );
        // A heading already took `fn-a-ref`.
        assert!(html.contains("<sup class=\"footnote-reference\" id=\"fn-b-ref\"><a href=\"#fn-b\" role=\"doc-noteref\">1</a></sup>"), "{html}");
        assert!(
            html.contains("id=\"fn-a-ref-1\"><a href=\"#fn-a\" role=\"doc-noteref\">2</a>"),
            "{html}"
        );
        assert!(
            html.contains("id=\"fn-b-ref-1\"><a href=\"#fn-b\" role=\"doc-noteref\">1</a>"),
            "{html}"
        );
        let b = html.find("id=\"fn-b\"").unwrap();
        let a = html.find("id=\"fn-a\"").unwrap();
        let c = html.find("id=\"fn-c\"").unwrap();
        assert!(
            b < a && a < c,
            "in citation order, the uncited last: {html}"
        );
        assert!(
            html.contains("<p>Note B. <a href=\"#fn-b-ref\" class=\"footnote-backref\""),
            "{html}"
        );
        assert!(html.contains("href=\"#fn-b-ref-1\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"Back to the text 2\">↩\u{fe0e}<sup>2</sup></a></p>"), "{html}");
        assert!(html[c..].contains("<p>Never cited.</p>"), "{html}");
        assert!(!html[c..].contains("footnote-backref"), "{html}");
    }

    #[test]
    fn a_note_cited_by_another_note_is_numbered_after_the_texts() {
        let html = render("Text[^a].\n\n[^a]: See also[^c].\n\n[^c]: The other.\n");
        assert!(
            html.contains("<a href=\"#fn-c\" role=\"doc-noteref\">2</a>"),
            "{html}"
        );
        assert!(
            html.contains("id=\"fn-c\"><sup class=\"footnote-definition-label\">2</sup>"),
            "{html}"
        );
    }

    #[test]
    fn a_note_ending_in_a_list_gets_its_link_after_it() {
        let html = render("Text[^l].\n\n[^l]: Items:\n    - one\n    - two\n");
        assert!(html.contains("</ul>\n <a href=\"#fn-l-ref\""), "{html}");
    }
}
