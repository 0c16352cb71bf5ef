//! Quotes that are alerts: GitHub's `> [!TIP]`, and callouts with a title
//! of their own (`> [!tip] Title`, and what other tools' containers become).

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

use super::{Events, Renderer};
use crate::markdown::gfm;

impl<'a> Renderer<'a, '_> {
    pub(super) fn start_alert(&mut self, kind: BlockQuoteKind, title_html: &str) {
        self.depth += 1;
        self.events.push(Event::Start(Tag::BlockQuote(Some(kind))));
        // An empty title is the title's events' to fill and close.
        let close = if title_html.is_empty() { "" } else { "</p>\n" };
        self.events.push(Event::Html(
            format!("<p class=\"markdown-alert-title\">{title_html}{close}").into(),
        ));
    }

    /// A quote, or a callout (`> [!tip] Title`) whose first line becomes
    /// its alert's title and is left out of its text.
    pub(super) fn quote(&mut self, offset: usize, parser: &mut Events<'a>) {
        let line = self.source[offset..].split('\n').next().unwrap_or_default();
        let Some((kind, title)) = gfm::callout(line) else {
            return self.start(Tag::BlockQuote(None));
        };
        let title_start = offset + (title.as_ptr() as usize - line.as_ptr() as usize);
        match title {
            "" => self.start_alert(kind, gfm::alert_title(kind, self.options.lang)),
            _ => self.start_alert(kind, ""),
        }
        let Some((first, range)) = parser.next() else {
            return;
        };
        if first != Event::Start(Tag::Paragraph) {
            return self.event(first, range.start, parser);
        }
        let paragraph_ended = self.callout_title(title_start, !title.is_empty(), parser);
        if !paragraph_ended {
            self.start(Tag::Paragraph);
        }
    }

    /// The title line's own events, up to the line break after it or the
    /// end of a paragraph that is the title alone: rendered into the
    /// alert's title (links and footnotes as in the text) when `shown`,
    /// else left out. Whether the paragraph ended.
    fn callout_title(&mut self, title_start: usize, shown: bool, parser: &mut Events<'a>) -> bool {
        let title_depth = self.depth;
        let mut paragraph_ended = true;
        while let Some((event, range)) = parser.next() {
            match event {
                Event::End(TagEnd::Paragraph) => break,
                // A break inside emphasis or a link is the title's.
                Event::SoftBreak | Event::HardBreak if self.depth == title_depth => {
                    paragraph_ended = false;
                    break;
                }
                _ if !shown || range.end <= title_start => {}
                // The `[!tip]` before the title, when the parser read both as one text.
                Event::Text(_) if range.start < title_start => {
                    let words = &self.source[title_start..range.end];
                    self.event(Event::Text(words.into()), title_start, parser);
                }
                // HTML in a title is shown as written: a tag in it would be half of one.
                Event::Html(html) | Event::InlineHtml(html) => {
                    self.event(Event::Text(html), range.start, parser)
                }
                event => self.event(event, range.start, parser),
            }
        }
        if shown {
            self.flush_text();
            self.events.push(Event::Html("</p>\n".into()));
        }
        paragraph_ended
    }
}
