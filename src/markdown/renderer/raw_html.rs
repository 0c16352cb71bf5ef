//! HTML written in a page's text: its links made the pages' and files'
//! URLs and checked, as Markdown links are, and raw `<a>`s followed so that
//! the addresses inside are not linked again.

use pulldown_cmark::{CowStr, Event};

use super::Renderer;
use crate::markdown::names_markdown;

impl<'a> Renderer<'a, '_> {
    /// Raw HTML with its links to Markdown files (`<a href="x.md">`) and
    /// relative files (`<img src="photo.jpg">`) made their URLs, as Markdown
    /// links are; a broken one is reported.
    fn raw_links(&mut self, html: CowStr<'a>, line: usize) -> CowStr<'a> {
        if !html.contains('=') {
            self.raw_place.follow(&html);
            return html;
        }
        let mut out = String::with_capacity(html.len());
        let mut rest: &str = &html;
        let mut place = std::mem::take(&mut self.raw_place);
        while let Some(at) = rest.find(['"', '\'']) {
            let quote = &rest[at..=at];
            let Some(end) = rest[at + 1..].find(quote).map(|end| at + 1 + end) else {
                break;
            };
            let attribute = rest[..at].trim_end();
            let value = &rest[at + 1..end];
            place.follow(&rest[..at]);
            out.push_str(&rest[..=at]);
            // A relative address is a file beside the page (`photo.jpg`),
            // as in a Markdown link: made its URL and checked. Only in a
            // tag: not in a comment or in text (`&lt;a href="x.md"&gt;`).
            let internal = names_markdown(value)
                || value.starts_with("@/")
                || value.starts_with("@./")
                || is_relative_file(value);
            let name = attribute.strip_suffix('=').map(str::trim_end);
            let name = name.and_then(|a| a.rsplit(char::is_whitespace).next());
            let link = name
                .is_some_and(|n| n.eq_ignore_ascii_case("href") || n.eq_ignore_ascii_case("src"));
            if link && place.in_tag && !place.in_comment && internal && !value.contains("://") {
                out.push_str(&self.resolve(CowStr::from(value.to_string()), line));
            } else {
                out.push_str(value);
            }
            out.push_str(quote);
            rest = &rest[end + 1..];
        }
        place.follow(rest);
        self.raw_place = place;
        out.push_str(rest);
        out.into()
    }

    /// A footnote's id: `fn-` and its label as a slug, never a heading's id
    /// (`[^ruse]` beside `## Русе`) and always a valid one (`[^my note]`).
    /// Inline HTML, where a `<figure>` in a paragraph's line (a Hugo
    /// `figure` call within text) closes the paragraph and the text after
    /// it opens another: a figure in a `<p>` is invalid HTML.
    pub(super) fn push_inline_html(&mut self, html: CowStr<'a>) {
        let tag = html.trim_start().to_ascii_lowercase();
        let in_paragraph = self
            .open_paragraphs
            .last()
            .is_some_and(|(_, depth)| *depth + 1 == self.depth);
        if tag.starts_with("<figure") && in_paragraph && !self.figure_in_paragraph {
            self.figure_in_paragraph = true;
            self.events.push(Event::Html("</p>\n".into()));
            self.events.push(Event::Html(html));
        } else if tag.starts_with("</figure") && self.figure_in_paragraph {
            self.figure_in_paragraph = false;
            self.events.push(Event::Html(html));
            self.events.push(Event::Html("\n<p>".into()));
        } else {
            self.events.push(Event::InlineHtml(html));
        }
    }

    pub(super) fn raw_html(&mut self, html: CowStr<'a>, offset: usize) -> CowStr<'a> {
        self.has_raw_html = true;
        // A `<div markdown="1">` line, carried in a comment: the tag again.
        // A title heading's anchor whose id the theme uses is left out: the
        // page would have the id twice.
        let html = match html
            .strip_prefix(crate::markdown::kramdown::MARKDOWN_TAG)
            .and_then(|tag| tag.trim_end().strip_suffix("-->"))
        {
            Some(tag)
                if crate::markdown::kramdown::empty_anchor_id(tag)
                    .is_some_and(|id| self.options.reserved_ids.contains(id)) =>
            {
                "".into()
            }
            Some(tag) => format!("{tag}\n").into(),
            None => html,
        };
        let line = self.line_of(offset);
        let html = self.figure_image(html, line);
        // A Hugo call dunav does not know, shown as text (and warned of):
        // `{{</ name >}}` in HTML would read as a broken closing tag.
        let html = match html.contains("{{<") || html.contains(">}}") {
            true => html
                .replace("{{<", "{{&lt;")
                .replace(">}}", "&gt;}}")
                .into(),
            false => html,
        };
        self.raw_links(without_markdown_attribute(html), line)
    }

    /// A Hugo figure's image, as a Markdown image is: its file checked and
    /// found (beside the page, in `static/`), and shown as a picture of
    /// resized copies when there are some.
    /// Raw `<a …>` and `</a>` in text: no address inside is linked again.
    pub(super) fn count_raw_anchor(&mut self, html: &str) {
        let lower = html.trim_start().to_ascii_lowercase();
        if lower.starts_with("<a ") || lower.starts_with("<a>") {
            self.in_link += 1;
        } else if lower.starts_with("</a") {
            self.in_link = self.in_link.saturating_sub(1);
        }
    }
}

/// Where raw HTML's text is, followed as it is read (attribute values
/// aside): in a tag, in a comment. Looking back over all that was read for
/// each attribute was quadratic in a long block.
#[derive(Default)]
pub(super) struct Place {
    in_tag: bool,
    in_comment: bool,
}

impl Place {
    fn follow(&mut self, text: &str) {
        let mut rest = text;
        while let Some(at) = rest.find(['<', '>', '-']) {
            let here = &rest[at..];
            if self.in_comment {
                self.in_comment = !here.starts_with("-->");
            } else if here.starts_with("<!--") {
                self.in_comment = true;
            } else if here.starts_with('<') {
                self.in_tag = true;
            } else if here.starts_with('>') {
                self.in_tag = false;
            }
            let step = if here.starts_with("<!--") || here.starts_with("-->") {
                3
            } else {
                1
            };
            rest = &here[step.min(here.len())..];
        }
    }
}

/// `photo.jpg`, `./files/plan.pdf`, `../other/`: a relative address with
/// no scheme, and nothing a template or a script would fill in.
fn is_relative_file(value: &str) -> bool {
    let first = value.split(['/', '?', '#']).next().unwrap_or_default();
    !value.is_empty()
        && !value.starts_with(['/', '#', '?'])
        && !first.contains(':')
        && !value.contains(['{', '}', '<', '>', ' ', '$', '`', '\\'])
}

/// kramdown's `markdown="1"` (Markdown inside a tag) is no HTML attribute:
/// left out, so the page stays valid.
fn without_markdown_attribute(html: CowStr<'_>) -> CowStr<'_> {
    if !html.contains(" markdown") {
        return html;
    }
    let spans = crate::markdown::kramdown::markdown_attributes(&html);
    if spans.is_empty() {
        return html;
    }
    let mut text = String::with_capacity(html.len());
    let mut kept = 0;
    for (span, _) in spans {
        text.push_str(&html[kept..span.start]);
        kept = span.end;
    }
    text.push_str(&html[kept..]);
    text.into()
}

/// VitePress' and Starlight's `<Badge>` (`<Badge type="tip" text="v2" />`
/// or `<Badge type="warning">beta</Badge>`) as the theme's badge, a
/// `<span class="badge badge-tip">`. As written, HTML read the self-closing
/// tag as an unknown element left open: its text was never shown, and in a
/// heading it swallowed the heading's anchor.
pub(super) fn badge(html: &str) -> Option<String> {
    let tag = html.trim();
    if tag == "</Badge>" {
        return Some("</span>".into());
    }
    let rest = tag.strip_prefix("<Badge")?;
    // The tag alone: a block of HTML with more after its tag is not one.
    let tag_alone = rest.find('>') == Some(rest.len() - 1);
    if !rest.starts_with([' ', '\t', '\n', '>', '/']) || !tag_alone {
        return None;
    }
    let kind = crate::markdown::tag_attribute(tag, "type")
        .or_else(|| crate::markdown::tag_attribute(tag, "variant"))
        .filter(|k| k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let class = match kind {
        Some(kind) => format!("badge badge-{kind}"),
        None => "badge".into(),
    };
    // An MDX page's `<Badge text="v2" />` arrives closed (`as_html`), the
    // text still in its attribute.
    let text = crate::markdown::tag_attribute(tag, "text").unwrap_or_default();
    let text = text.replace('<', "&lt;");
    Some(match tag.ends_with("/>") {
        true => format!("<span class=\"{class}\">{text}</span>"),
        false => format!("<span class=\"{class}\">{text}"),
    })
}
