//! Rendering one body: pulldown-cmark's events, rewritten where dunav adds
//! something (heading ids and anchors, resolved links, highlighted code,
//! Bulgarian quotes), with what the summary and the checks need noted on the way.

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use crate::markdown::figure::{self, picture_html};
use crate::markdown::summary::{self, SummarySource};
use crate::markdown::{
    FragmentLink, Heading, RenderOptions, Rendered, count_words, escape_html, heading_number,
    highlight, is_more_marker, nest_headings, resolve_link, typographic, unique_id,
};
use crate::translit::slugify;

mod hrefs;
mod math;
pub(super) use math::{display_blocks_as_fences, has_tex};
mod quotes;
mod raw_html;
mod text;
mod wikilinks;

/// The parser's events with their source offsets.
pub(super) type Events<'a> =
    pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>;

/// One body's rendering under way: the events to write and what was learnt on the way.
pub(super) struct Renderer<'a, 'o> {
    options: &'o RenderOptions<'o>,
    source: &'a str,
    /// Byte offset of each line's start, for line numbers.
    line_starts: Vec<usize>,
    out: Rendered,
    events: Vec<Event<'a>>,
    used_ids: HashMap<String, usize>,
    /// Each footnote label's id, taken from the same pool as heading ids.
    footnote_ids: HashMap<String, String>,
    flat_headings: Vec<Heading>,
    /// Where the `<!-- more -->` marker ends the summary (an index into `events`).
    more_at: Option<usize>,
    /// The marker was met inside a block: the summary ends where the block does.
    more_pending: bool,
    /// Each heading's opening and closing event, to write it without its id in a summary.
    heading_marks: Vec<(usize, usize)>,
    /// The first paragraph of text at the top level, else anywhere: (start, end) indexes.
    first_paragraph: Option<(usize, usize)>,
    nested_paragraph: Option<(usize, usize)>,
    open_paragraphs: Vec<(usize, usize)>,
    depth: usize,
    /// The body has HTML of its own, which may leave a tag open.
    has_raw_html: bool,
    /// The HTML of each image shown as a responsive picture, by its start event.
    out_pictures: HashMap<usize, String>,
    /// Text met since the last other event: pulldown-cmark splits a run of
    /// text (at `_`, `~`…), and an address in it is found only whole.
    pending_text: Option<CowStr<'a>>,
    /// Inside a Markdown link or a raw `<a>`: its text is not linked again.
    in_link: usize,
    /// A wiki link to nothing is shown as written: its end is `]]`.
    unlinked_wiki: bool,
    /// A `<figure>` written in a paragraph's line, which it closed.
    figure_in_paragraph: bool,
    /// Where the raw HTML read so far left off: a tag may span its lines.
    raw_place: raw_html::Place,
}

impl<'a, 'o> Renderer<'a, 'o> {
    pub(super) fn new(markdown: &'a str, options: &'o RenderOptions<'o>) -> Self {
        Renderer {
            options,
            source: markdown,
            line_starts: std::iter::once(0)
                .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
            out: Rendered::default(),
            events: Vec::new(),
            // The theme's own ids and those the page's HTML writes are taken:
            // a heading gets the next free one.
            used_ids: options
                .reserved_ids
                .iter()
                .cloned()
                .chain(super::gfm::written_ids(markdown).map(str::to_string))
                .map(|id| (id, 0))
                .collect(),
            footnote_ids: HashMap::new(),
            flat_headings: Vec::new(),
            more_at: None,
            more_pending: false,
            heading_marks: Vec::new(),
            first_paragraph: None,
            nested_paragraph: None,
            open_paragraphs: Vec::new(),
            depth: 0,
            has_raw_html: false,
            out_pictures: HashMap::new(),
            pending_text: None,
            in_link: 0,
            unlinked_wiki: false,
            figure_in_paragraph: false,
            raw_place: raw_html::Place::default(),
        }
    }

    /// The body line (1-based) of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    pub(super) fn event(&mut self, event: Event<'a>, offset: usize, parser: &mut Events<'a>) {
        let event = math::delimited(typographic(event, self.options.lang), self.source, offset);
        if let Event::Text(text) = event {
            self.pending_text = Some(match self.pending_text.take() {
                Some(before) => format!("{before}{text}").into(),
                None => text,
            });
            return;
        }
        self.flush_text();
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let line = self.line_of(offset);
                self.heading(level, (id, line), classes, attrs, parser)
            }
            Event::Start(Tag::CodeBlock(kind)) => self.code_block(kind, parser),
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => {
                self.wiki_link(&dest_url, has_pothole, offset);
                if !has_pothole && !self.unlinked_wiki && dest_url.contains('#') {
                    self.wiki_subpath_label(&dest_url, parser);
                }
            }
            Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                ..
            }) => self.wiki_embed(dest_url, has_pothole, offset, parser),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // `<a@b.org>` is an address, never a file.
                let dest_url = if link_type == LinkType::Email {
                    dest_url
                } else {
                    self.resolve(dest_url, self.line_of(offset))
                };
                self.start_link(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                });
            }
            Event::Start(image @ Tag::Image { .. }) => self.image(image, offset, parser),
            Event::Html(html) | Event::InlineHtml(html) if is_more_marker(&html) => {
                if self.more_at.is_none() {
                    if self.depth == 0 {
                        self.more_at = Some(self.events.len());
                    } else {
                        self.more_pending = true;
                    }
                }
            }
            Event::FootnoteReference(label) => {
                let id = self.footnote_id(&label);
                self.events.push(Event::FootnoteReference(id.into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let id = self.footnote_id(&label);
                self.start(Tag::FootnoteDefinition(id.into()));
            }
            Event::Html(html) => match raw_html::badge(&html) {
                // A `<Badge … />` alone on its line is a block of HTML.
                Some(badge) => self.events.push(Event::Html(format!("{badge}\n").into())),
                None => {
                    self.follow_comments(&html, offset);
                    let html = self.raw_html(html, offset);
                    self.events.push(Event::Html(html));
                }
            },
            Event::InlineHtml(html) => match raw_html::badge(&html) {
                Some(badge) => self.events.push(Event::InlineHtml(badge.into())),
                None => {
                    self.count_raw_anchor(&html);
                    let html = self.raw_html(html, offset);
                    self.push_inline_html(html);
                }
            },
            Event::TaskListMarker(done) => self.task_marker(done),
            Event::Start(Tag::BlockQuote(None)) => self.quote(offset, parser),
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            other => self.events.push(other),
        }
    }

    /// An image, shown as a responsive picture when it is one of the site's photos.
    fn image(&mut self, image: Tag<'a>, offset: usize, parser: &mut Events<'a>) {
        let Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } = image
        else {
            return;
        };
        let line = self.line_of(offset);
        let dest_url = self.resolve(dest_url, line);
        let picture = self.options.pictures.and_then(|p| {
            self.out.pictures.push(dest_url.to_string());
            p.picture(&dest_url)
        });
        let start = self.events.len();
        let html_title = escape_html(&title);
        self.events.push(Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }));
        let alt = self.image_alt(line, parser);
        // The events stay for the summary's rules; the HTML is the picture's.
        if let Some(picture) = picture {
            let html = picture_html(&picture, &escape_html(&alt), &html_title);
            self.out_pictures.insert(start, html);
        }
    }

    fn task_marker(&mut self, done: bool) {
        let marker = super::gfm::task_marker(done, self.options.lang);
        self.events.push(marker);
    }

    fn footnote_id(&mut self, label: &str) -> String {
        let key = label.to_lowercase();
        if let Some(id) = self.footnote_ids.get(&key) {
            return id.clone();
        }
        let slug = slugify(label);
        let base = if slug.is_empty() {
            "fn".to_string()
        } else {
            format!("fn-{slug}")
        };
        let id = unique_id(base, &mut self.used_ids);
        self.footnote_ids.insert(key, id.clone());
        id
    }

    fn start(&mut self, tag: Tag<'a>) {
        if tag == Tag::Paragraph {
            self.open_paragraphs.push((self.events.len(), self.depth));
        }
        if let Tag::BlockQuote(Some(kind)) = tag {
            // GitHub's `> [!WARNING]`: pulldown-cmark keeps only a class, so
            // the word itself is written, for every reader and every theme.
            let title = super::gfm::alert_title(kind, self.options.lang);
            return self.start_alert(kind, title);
        }
        self.depth += 1;
        self.events.push(Event::Start(tag));
    }

    fn start_link(&mut self, link: Tag<'a>) {
        self.events.push(Event::Start(link));
        self.depth += 1;
        self.in_link += 1;
    }

    /// Text, its bare addresses linked (outside a link).
    fn push_linked(&mut self, text: CowStr<'a>) {
        if text.is_empty() {
            return;
        }
        let linked = if self.in_link == 0 {
            super::autolink::linkify(&text)
        } else {
            None
        };
        match linked {
            Some(events) => {
                self.events.extend(events);
            }
            None => self.events.push(Event::Text(text)),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if tag == TagEnd::Link {
            if std::mem::take(&mut self.unlinked_wiki) {
                return self.events.push(Event::Text("]]".into()));
            }
            self.in_link = self.in_link.saturating_sub(1);
        }
        self.depth = self.depth.saturating_sub(1);
        let is_paragraph = tag == TagEnd::Paragraph;
        self.events.push(Event::End(tag));
        if is_paragraph && let Some((start, depth)) = self.open_paragraphs.pop() {
            let range = (start, self.events.len() - 1);
            if summary::has_text(&self.events[range.0..=range.1]) {
                if depth == 0 {
                    self.first_paragraph.get_or_insert(range);
                } else {
                    self.nested_paragraph.get_or_insert(range);
                }
            }
        }
        if self.depth == 0 && self.more_pending {
            self.more_pending = false;
            self.more_at = Some(self.events.len());
        }
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        (id, line): (Option<CowStr<'a>>, usize),
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        parser: &mut Events<'a>,
    ) {
        let (inner, text) = self.heading_inner(line, parser);
        let shown = super::emoji::with_emoji(&text);
        let shown = shown.as_deref().unwrap_or(&text).trim();
        // `{ id=x }` and `{ class=y }` are goldmark's spellings of `{#x .y}`:
        // a second `id` or `class` attribute is invalid, and the first wins.
        let mut attrs = super::attributes::quoted_attributes(attrs);
        let mut classes: Vec<String> = classes.iter().map(|c| c.to_string()).collect();
        let mut id = id.map(|i| i.to_string());
        attrs.retain(|(name, value)| match name.as_ref() {
            "id" => {
                id.get_or_insert_with(|| value.clone());
                false
            }
            "class" => {
                classes.extend(value.split_whitespace().map(str::to_string));
                false
            }
            _ => true,
        });
        let written = id.clone();
        let base = id.unwrap_or_else(|| {
            let s = self.options.heading_ids.slug(&text);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        });
        let id = unique_id(base, &mut self.used_ids);
        if let Some(written) = written.filter(|w| *w != id) {
            self.out.renamed_ids.push((line, written, id.clone()));
        }
        let mut open = format!("<{level} id=\"{}\"", escape_html(&id));
        if !classes.is_empty() {
            open.push_str(&format!(" class=\"{}\"", escape_html(&classes.join(" "))));
        }
        for (name, value) in attrs {
            open.push_str(&format!(" {name}=\"{}\"", escape_html(&value)));
        }
        open.push('>');
        let opened = self.events.len();
        self.events.push(Event::Html(open.into()));
        self.events.extend(inner);
        self.heading_marks.push((opened, self.events.len()));
        self.events.push(Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{id}\" aria-label=\"§ {}\">#</a></{level}>\n",
                escape_html(shown),
                id = escape_html(&id),
            )
            .into(),
        ));
        self.out.word_count += count_words(&text);
        // A heading without words (`##` alone, an image) has no entry to show.
        if !text.trim().is_empty() {
            self.flat_headings.push(Heading {
                level: heading_number(level),
                id,
                title: shown.to_string(),
                children: Vec::new(),
            });
        }
    }

    /// A heading's events up to its end, as they are shown, and its words
    /// (which name its id and its entry in the contents).
    fn heading_inner(&mut self, line: usize, parser: &mut Events<'a>) -> (Vec<Event<'a>>, String) {
        let mut inner = Vec::new();
        let mut unlinked_wiki = false;
        let mut text = String::new();
        for (e, range) in parser.by_ref() {
            // The words as shown (Bulgarian quotes too) name the contents' entry.
            let e = math::delimited(typographic(e, self.options.lang), self.source, range.start);
            if let Some(shown) = self.wiki_link_in_heading(&e, line, &mut unlinked_wiki) {
                inner.push(shown);
                continue;
            }
            match &e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                Event::InlineMath(t) => text.push_str(math::tex_of(t)),
                // A setext heading's lines are words apart.
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                // A note cited from a heading is numbered and linked as any.
                Event::FootnoteReference(label) => {
                    let id = self.footnote_id(label);
                    inner.push(Event::FootnoteReference(id.into()));
                    continue;
                }
                _ => {}
            }
            // Shown with its emoji; its id is made of the words as written.
            let e = match e {
                Event::Text(t) => Event::Text(super::emoji::with_emoji(&t).map_or(t, Into::into)),
                Event::InlineHtml(html) => {
                    Event::InlineHtml(raw_html::badge(&html).map_or(html, Into::into))
                }
                e => e,
            };
            inner.push(e);
        }
        (inner, text)
    }

    fn figure_image(&mut self, mut html: CowStr<'a>, line: usize) -> CowStr<'a> {
        // Each marked image in turn: a replaced one loses its mark.
        while let Some(img) = figure::FigureImage::find(&html) {
            let url = self.resolve(CowStr::from(img.src.clone()), line);
            let picture = self.options.pictures.and_then(|p| {
                self.out.pictures.push(url.to_string());
                p.picture(&url)
            });
            html = img.replaced(&html, &url, picture.as_ref()).into();
        }
        html
    }

    /// Notes where a block of raw HTML opens a comment, and forgets it once
    /// a line closes it: one left open runs to the end of the page.
    fn follow_comments(&mut self, html: &str, offset: usize) {
        if let Some(open) = html.rfind("<!--")
            && !html[open..].contains("-->")
        {
            self.out.unclosed_comment = Some(self.line_of(offset));
            return;
        }
        if html.contains("-->") {
            self.out.unclosed_comment = None;
        }
    }

    fn code_block(&mut self, kind: CodeBlockKind<'a>, parser: &mut Events<'a>) {
        let mut options = match &kind {
            CodeBlockKind::Fenced(info) => highlight::BlockOptions::parse(info),
            CodeBlockKind::Indented => highlight::BlockOptions::default(),
        };
        let lang = match &kind {
            CodeBlockKind::Fenced(info) => {
                highlight::BlockOptions::language(info).map(str::to_string)
            }
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
        // GitHub's ```` ```math ```` (and `$$` blocks, made one): display math.
        if lang.as_deref() == Some("math") {
            let tex = code.trim_end_matches(['\n', '\r']);
            self.events
                .push(Event::DisplayMath(format!("\\[\n{tex}\n\\]").into()));
            self.events.push(Event::Html("\n".into()));
            return;
        }
        let code = options.take_magic_comments(&code).unwrap_or(code);
        let code = match lang.as_deref() {
            Some("rust" | "rs") => highlight::without_rustdoc_hidden_lines(&code).unwrap_or(code),
            _ => code,
        };
        let (html, memo_key) = highlight::highlight_block(&code, lang.as_deref(), &options);
        self.out.code_blocks.extend(memo_key);
        let html = match &options.title {
            Some(title) => format!(
                "<figure class=\"code-title\"><figcaption>{}</figcaption>\n{html}</figure>\n",
                escape_html(title)
            ),
            None => html,
        };
        self.events.push(Event::Html(html.into()));
    }

    /// Copies an image's events up to its end; its alt text is the text in between.
    fn image_alt(&mut self, line: usize, parser: &mut Events<'a>) -> String {
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
        alt
    }

    /// Resolves a link and notes its `#fragment` for checking once all ids are known.
    fn resolve(&mut self, dest: CowStr<'a>, body_line: usize) -> CowStr<'a> {
        let written = dest.to_string();
        let resolved =
            hrefs::encode_href(resolve_link(dest, self.options, body_line, &mut self.out));
        let resolved = hrefs::fragment_as_id(resolved, self.options.heading_ids, self.source);
        if let Some((url, fragment)) = resolved.split_once('#')
            && !fragment.is_empty()
            && hrefs::on_this_site(url)
        {
            self.out.fragment_links.push(FragmentLink {
                body_line,
                url: url.split('?').next().unwrap_or("").to_string(),
                fragment: fragment.to_string(),
                destination: written,
            });
        }
        resolved
    }

    pub(super) fn finish(mut self, source_len: usize) -> Rendered {
        self.flush_text();
        let source = SummarySource {
            events: &self.events,
            more_at: self.more_at,
            heading_marks: &self.heading_marks,
            paragraph: self.first_paragraph.or(self.nested_paragraph),
            pictures: &self.out_pictures,
            raw_html: self.has_raw_html,
        };
        let (html, text) = summary::summary(&source);
        self.out.summary_html = html;
        self.out.summary_text = text;
        self.out.html.reserve(source_len * 3 / 2);
        let events = super::footnotes::endnotes(
            summary::with_pictures(self.events.into_iter(), &self.out_pictures),
            &mut self.used_ids,
            self.options.lang,
        );
        pulldown_cmark::html::push_html(&mut self.out.html, events.into_iter());
        if self.has_raw_html {
            let (html, mended) = super::balance::balanced(&self.out.html);
            self.out.html = html;
            self.out.unbalanced = mended;
        }
        self.out.toc = nest_headings(self.flat_headings);
        self.out
    }
}
