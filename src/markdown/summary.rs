//! A page's summary, for listings, feeds, meta descriptions and the digest:
//! the text before `<!-- more -->`, else the first paragraph of text (no
//! headings, lists, code, tables or images), cut on a word boundary after
//! about fifty words. No summary carries a heading id, an anchor link or a
//! footnote, so that a listing of many summaries never repeats an id.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::markdown::{balance, count_words, plain_text};

/// A summary longer than this is cut, with an ellipsis.
pub const MAX_SUMMARY_WORDS: usize = 50;

/// Nor longer than this many characters: Chinese or Japanese text, or one
/// long token, has no spaces to count words by.
pub const MAX_SUMMARY_CHARS: usize = 400;

/// What the summary is taken from.
pub(super) struct SummarySource<'s, 'a> {
    pub events: &'s [Event<'a>],
    pub more_at: Option<usize>,
    /// Each heading's opening and closing event.
    pub heading_marks: &'s [(usize, usize)],
    /// The first paragraph of text: its start and end events.
    pub paragraph: Option<(usize, usize)>,
    /// The HTML of images shown as pictures, by their start event.
    pub pictures: &'s HashMap<usize, String>,
    /// The body has raw HTML, which may leave a tag open in the summary.
    pub raw_html: bool,
}

/// The summary as HTML and as plain text.
pub(super) fn summary(source: &SummarySource<'_, '_>) -> (String, String) {
    let marked = source
        .more_at
        .map(|end| before_marker(source, end))
        // A marker above any text marks nothing: the first paragraph is the summary.
        .filter(|events| has_text(events));
    let events = match (marked, source.paragraph) {
        (Some(events), _) => events,
        (None, Some((start, end))) => cut(first_paragraph(&source.events[start..=end])),
        (None, None) => Vec::new(),
    };
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    if source.raw_html {
        html = balance::balanced(&html).0;
    }
    (html, plain_text(&events))
}

/// Whether a paragraph has text of its own (not only an image).
pub(super) fn has_text(events: &[Event<'_>]) -> bool {
    let mut in_image = 0usize;
    events.iter().any(|e| match e {
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            false
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            false
        }
        Event::Text(t) | Event::Code(t) => in_image == 0 && !t.trim().is_empty(),
        _ => false,
    })
}

/// The events with each image that has a picture written as that picture.
pub(super) fn with_pictures<'a>(
    events: impl Iterator<Item = Event<'a>>,
    pictures: &HashMap<usize, String>,
) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut skipping = false;
    for (i, e) in events.enumerate() {
        if skipping {
            skipping = !matches!(e, Event::End(TagEnd::Image));
            continue;
        }
        match pictures.get(&i) {
            Some(html) => {
                out.push(Event::InlineHtml(CowStr::from(html.clone())));
                skipping = true;
            }
            None => out.push(e),
        }
    }
    out
}

/// Everything before the marker, headings written without their ids and
/// anchors, footnotes left out.
fn before_marker<'a>(source: &SummarySource<'_, 'a>, end: usize) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(end);
    let mut in_footnote = 0usize;
    let mut in_picture = false;
    for (i, e) in source.events[..end].iter().enumerate() {
        if in_picture {
            in_picture = !matches!(e, Event::End(TagEnd::Image));
            continue;
        }
        if let Some(html) = source.pictures.get(&i) {
            out.push(Event::InlineHtml(CowStr::from(html.clone())));
            in_picture = true;
            continue;
        }
        if source.heading_marks.iter().any(|(open, _)| *open == i) {
            out.push(Event::Html(CowStr::Borrowed("<p><strong>")));
            continue;
        }
        if source.heading_marks.iter().any(|(_, close)| *close == i) {
            out.push(Event::Html(CowStr::Borrowed("</strong></p>\n")));
            continue;
        }
        match e {
            Event::Start(Tag::FootnoteDefinition(_)) => in_footnote += 1,
            Event::End(TagEnd::FootnoteDefinition) => in_footnote = in_footnote.saturating_sub(1),
            Event::FootnoteReference(_) => {}
            _ if in_footnote > 0 => {}
            // A title heading's anchor: an id, which no summary carries.
            Event::Html(html) if super::kramdown::empty_anchor_id(html).is_some() => {}
            other => out.push(other.clone()),
        }
    }
    out
}

/// The paragraph without its images and footnote references.
fn first_paragraph<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut in_image = 0usize;
    for e in events {
        match e {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::FootnoteReference(_) => {}
            _ if in_image > 0 => {}
            other => out.push(other.clone()),
        }
    }
    out
}

/// Cuts after [`MAX_SUMMARY_WORDS`] words, on a word boundary, with an
/// ellipsis, closing whatever was open.
fn cut(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut open: Vec<TagEnd> = Vec::new();
    let (mut words, mut chars) = (0, 0);
    for e in events {
        match e {
            Event::Start(tag) => {
                open.push(tag.to_end());
                out.push(Event::Start(tag));
            }
            Event::End(tag) => {
                open.pop();
                out.push(Event::End(tag));
            }
            Event::Text(t) | Event::Code(t)
                if words + count_words(&t) > MAX_SUMMARY_WORDS
                    || chars + t.chars().count() > MAX_SUMMARY_CHARS =>
            {
                let kept = first_words(&t, MAX_SUMMARY_WORDS - words);
                let kept = first_chars(kept, MAX_SUMMARY_CHARS - chars);
                // The ellipsis follows the last word, not the space after it.
                if kept.trim().is_empty() {
                    if let Some(Event::Text(last)) = out.last_mut() {
                        *last = format!("{}…", last.trim_end()).into();
                    } else {
                        out.push(Event::Text("…".into()));
                    }
                } else {
                    out.push(Event::Text(format!("{kept}…").into()));
                }
                out.extend(open.into_iter().rev().map(Event::End));
                return out;
            }
            Event::Text(t) => {
                words += count_words(&t);
                chars += t.chars().count();
                out.push(Event::Text(t));
            }
            Event::Code(t) => {
                words += count_words(&t);
                chars += t.chars().count();
                out.push(Event::Code(t));
            }
            other => out.push(other),
        }
    }
    out
}

/// The text up to its `n`th character, back to the last space when there
/// is one near (so that a word is not cut in two), else where it falls
/// (text without spaces).
fn first_chars(text: &str, n: usize) -> &str {
    let Some((end, _)) = text.char_indices().nth(n) else {
        return text;
    };
    let kept = &text[..end];
    match kept.rfind(char::is_whitespace) {
        Some(space) if space >= end * 3 / 4 => kept[..space].trim_end(),
        _ => kept,
    }
}

/// The text up to the end of its `n`th word, without the space after it.
fn first_words(text: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word {
                seen += 1;
                if seen == n {
                    return &text[..i];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    text.trim_end()
}
