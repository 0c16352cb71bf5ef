//! Obsidian's wiki links: `[[Page name]]`, `[[Page#Heading|shown]]`, and
//! embedded files, `![[photo.jpg]]`. A name is looked up as Obsidian does
//! (see `LinkResolver::resolve_wiki`); one that names nothing is shown as
//! written and warned of, never made a broken link: `[[…]]` in a page not
//! written for Obsidian is text.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::{Events, Renderer};

impl<'a> Renderer<'a, '_> {
    pub(super) fn wiki_link(&mut self, name: &str, pothole: bool, offset: usize) {
        let line = self.line_of(offset);
        // In a table the pipe is written `\|`: the backslash is no name's.
        let name = name.strip_suffix('\\').unwrap_or(name);
        // `[[ -f x ]]` (a shell test) names no page: text, without a word;
        // nor does `a[[0]]`, an index written in prose.
        let after_word = self.source[..offset]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let may_name_a_page = name.trim() == name && !after_word;
        let resolved = match may_name_a_page {
            true => self.options.links.resolve_wiki(name),
            false => None,
        };
        match resolved {
            Some(url) => {
                let dest_url = self.resolve(url.into(), line);
                self.start_link(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url,
                    title: "".into(),
                    id: "".into(),
                });
            }
            None => {
                if may_name_a_page {
                    self.out
                        .unresolved_wiki_links
                        .push((line, name.to_string()));
                }
                self.unlinked_wiki = true;
                let written = if pothole {
                    format!("[[{name}|")
                } else {
                    "[[".into()
                };
                self.events.push(Event::Text(written.into()));
            }
        }
    }

    /// A link to a part of a page without words of its own shows it as
    /// Obsidian does: `[[Page#Heading]]` as "Page > Heading", `[[#Heading]]`
    /// as "Heading" (the `#` path was shown as written).
    pub(super) fn wiki_subpath_label(&mut self, name: &str, parser: &mut Events<'a>) {
        for (event, _) in parser.by_ref() {
            if matches!(event, Event::End(TagEnd::Link)) {
                break;
            }
        }
        let parts: Vec<&str> = name
            .split('#')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        // `[[#]]` names no part: shown as written, never an empty link.
        let label = match parts.is_empty() {
            true => name.to_string(),
            false => parts.join(" > "),
        };
        self.events.push(Event::Text(label.into()));
        self.end(TagEnd::Link);
    }

    /// `![[photo.jpg|Alt text]]` is the photo; a page embedded whole
    /// (`![[Other note]]`) is a link to it.
    pub(super) fn wiki_embed(
        &mut self,
        name: CowStr<'a>,
        pothole: bool,
        offset: usize,
        parser: &mut Events<'a>,
    ) {
        let name = match name.strip_suffix('\\') {
            Some(name) => CowStr::from(name.to_string()),
            None => name,
        };
        let file = name.rsplit('/').next().unwrap_or_default();
        let is_file = file.rsplit_once('.').is_some_and(|(_, ext)| {
            !ext.is_empty()
                && !ext.eq_ignore_ascii_case("md")
                && ext.chars().all(char::is_alphanumeric)
        });
        let url = self.options.links.resolve_wiki(&name);
        if is_file && let Some(url) = url {
            let image = Tag::Image {
                link_type: LinkType::Inline,
                dest_url: url.into(),
                title: "".into(),
                id: "".into(),
            };
            return self.image(image, offset, parser);
        }
        // The rest is a link: its words are the image's alt.
        if is_file {
            self.events.push(Event::Text("!".into()));
        }
        self.wiki_link(&name, pothole, offset);
        for (event, _) in parser.by_ref() {
            match event {
                Event::End(TagEnd::Image) => break,
                Event::Text(text) | Event::Code(text) => self.events.push(Event::Text(text)),
                _ => {}
            }
        }
        self.end(TagEnd::Link);
    }

    /// A wiki link's start or end in a heading (which reads its own events),
    /// as it is shown there: a link where it leads, else `[[` and `]]`
    /// (`unlinked` notes which until its end).
    pub(super) fn wiki_link_in_heading(
        &mut self,
        event: &Event<'a>,
        line: usize,
        unlinked: &mut bool,
    ) -> Option<Event<'a>> {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                let url = self.options.links.resolve_wiki(dest_url);
                *unlinked = url.is_none();
                if url.is_none() && dest_url.trim() == dest_url.as_ref() {
                    self.out
                        .unresolved_wiki_links
                        .push((line, dest_url.to_string()));
                }
                Some(match url {
                    Some(url) => Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url: self.resolve(url.into(), line),
                        title: "".into(),
                        id: "".into(),
                    }),
                    None => Event::Text("[[".into()),
                })
            }
            Event::End(TagEnd::Link) if std::mem::take(unlinked) => Some(Event::Text("]]".into())),
            _ => None,
        }
    }
}
