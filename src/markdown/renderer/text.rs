//! A run of the page's text as it is shown: its emoji codes and
//! `==highlights==`, and calls of other generators shown as written.

use pulldown_cmark::{CowStr, Event};

use super::{Renderer, count_words};
use crate::markdown::{emoji, escaped_calls, marks};

impl<'a> Renderer<'a, '_> {
    /// A run of text, in the page's typography, its bare addresses linked.
    pub(super) fn flush_text(&mut self) {
        let Some(mut text) = self.pending_text.take() else {
            return;
        };
        if let Some(with_emoji) = emoji::with_emoji(&text) {
            text = with_emoji.into();
        }
        // On the parser's text, a mark never reaches into code, HTML or a
        // link's address.
        let Some(runs) = marks::marked(&text) else {
            return self.push_text(text);
        };
        for (run, is_marked) in runs {
            if is_marked {
                self.events.push(Event::InlineHtml("<mark>".into()));
            }
            self.push_text(run.to_string().into());
            if is_marked {
                self.events.push(Event::InlineHtml("</mark>".into()));
            }
        }
    }

    /// Text of the page: its words counted, and a call of another generator
    /// dunav does not know shown as written: its quotes plain and its
    /// addresses unlinked, so that it can be copied.
    fn push_text(&mut self, text: CowStr<'a>) {
        self.out.word_count += count_words(&text);
        let mut rest: &str = &text;
        let mut shown_calls = false;
        while let Some((start, end)) = escaped_calls::unknown_call(rest) {
            shown_calls = true;
            self.push_linked(rest[..start].to_string().into());
            let call = escaped_calls::plain_quotes(&rest[start..end]);
            self.events.push(Event::Text(call.into()));
            rest = &rest[end..];
        }
        match shown_calls {
            true => self.push_linked(rest.to_string().into()),
            false => self.push_linked(text),
        }
    }
}
