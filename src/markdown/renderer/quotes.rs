//! Quotes that are alerts: GitHub's `> [!TIP]`, and callouts with a title
//! of their own (`> [!tip] Title`, and what other tools' containers become).

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

use super::{Events, Renderer};
use crate::markdown::gfm;

impl<'a> Renderer<'a, '_> {
    pub(super) fn start_alert(&mut self, kind: BlockQuoteKind, title_html: &str) {
        self.depth += 1;
        self.events.push(Event::Start(Tag::BlockQuote(Some(kind))));
        self.events.push(Event::Html(
            format!("<p class=\"markdown-alert-title\">{title_html}</p>\n").into(),
        ));
    }

    /// A quote, or a callout (`> [!tip] Title`) whose first line becomes
    /// its alert's title and is left out of its text.
    pub(super) fn quote(&mut self, offset: usize, parser: &mut Events<'a>) {
        let line = self.source[offset..].split('\n').next().unwrap_or_default();
        let Some((kind, title)) = gfm::callout(line) else {
            return self.start(Tag::BlockQuote(None));
        };
        let title = match title {
            "" => gfm::alert_title(kind, self.options.lang).to_string(),
            title => gfm::title_html(title, self.options.lang),
        };
        self.start_alert(kind, &title);
        let Some((first, offset)) = parser.next() else {
            return;
        };
        if first != Event::Start(Tag::Paragraph) {
            return self.event(first, offset.start, parser);
        }
        // The title line's own events, up to the line break after it or
        // the end of a paragraph that is the title alone.
        let mut inline_depth = 0usize;
        for (event, _) in parser.by_ref() {
            match event {
                Event::Start(_) => inline_depth += 1,
                Event::End(TagEnd::Paragraph) if inline_depth == 0 => return,
                Event::End(_) => inline_depth = inline_depth.saturating_sub(1),
                Event::SoftBreak | Event::HardBreak if inline_depth == 0 => {
                    return self.start(Tag::Paragraph);
                }
                _ => {}
            }
        }
    }
}
