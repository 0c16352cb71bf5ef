//! Bare web addresses in text made links, as GitHub and Hugo make them
//! (`https://…`, `www.…`): pulldown-cmark links only `<https://…>`.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// `text` as events, each bare address in it a link; `None` when it has none.
pub(super) fn linkify<'a>(text: &str) -> Option<Vec<Event<'a>>> {
    let mut events = Vec::new();
    let mut rest = text;
    while let Some((start, end)) = next_address(rest) {
        let address = &rest[start..end];
        let dest = if address.starts_with("www.") {
            format!("https://{address}")
        } else {
            address.to_string()
        };
        if start > 0 {
            events.push(Event::Text(CowStr::from(rest[..start].to_string())));
        }
        events.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: dest.into(),
            title: "".into(),
            id: "".into(),
        }));
        events.push(Event::Text(CowStr::from(address.to_string())));
        events.push(Event::End(TagEnd::Link));
        rest = &rest[end..];
    }
    if events.is_empty() {
        return None;
    }
    if !rest.is_empty() {
        events.push(Event::Text(CowStr::from(rest.to_string())));
    }
    Some(events)
}

/// The byte range of the first bare address in `text`.
fn next_address(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while from < text.len() {
        let candidates = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| text[from..].find(p).map(|i| (from + i, p.len())));
        let (start, prefix) = candidates.min_by_key(|(i, _)| *i)?;
        from = start + prefix;
        // Inside a word (`xhttps://`, `foo.www.`) it is no address.
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '@' | '-')) {
            continue;
        }
        let length = text[start..]
            // Smart punctuation has made a closing `"` a `“` or `”` by now.
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(c, '<' | '>' | '"' | '`' | '“' | '”' | '„' | '«' | '»')
            })
            .unwrap_or(text.len() - start);
        let address = trim_end(&text[start..start + length]);
        if address.len() <= prefix {
            continue;
        }
        let host = address[prefix..]
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("");
        let dotted = host.split('.').filter(|part| !part.is_empty()).count() >= 2;
        if dotted || (prefix != 4 && !host.is_empty() && host.contains(['.', ':'])) {
            return Some((start, start + address.len()));
        }
    }
    None
}

/// Without the punctuation that ends the sentence, not the address: a
/// final `.`, `,`, `!`… and a `)` the address did not open.
fn trim_end(address: &str) -> &str {
    let mut address = address;
    loop {
        let trimmed =
            address.trim_end_matches(['.', ',', ':', ';', '!', '?', '\'', '’', '‘', '*', '_', '~']);
        let trimmed = match trimmed.strip_suffix(')') {
            Some(inner) if inner.matches('(').count() < trimmed.matches(')').count() => inner,
            _ => trimmed,
        };
        if trimmed.len() == address.len() {
            return address;
        }
        address = trimmed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<String> {
        linkify(text)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|e| match e {
                Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bare_addresses_become_links_without_the_sentences_punctuation() {
        assert_eq!(
            links(
                "See https://example.org/a_b_c/~x/?q=1&r=2 and www.ruse.bg/path_x. Also (https://a.bg/x_(y))."
            ),
            [
                "https://example.org/a_b_c/~x/?q=1&r=2",
                "https://www.ruse.bg/path_x",
                "https://a.bg/x_(y)"
            ]
        );
        assert_eq!(
            links("Отворено: http://localhost:1111/, нали?"),
            ["http://localhost:1111/"]
        );
        assert!(linkify("no address, www. alone, xhttps://a.bg, a.www.b.bg").is_none());
        // In quotes, as smart punctuation leaves them, in either language.
        assert_eq!(
            links("„https://example.com/page“ and “https://a.bg/x” and ‘www.example.net’"),
            [
                "https://example.com/page",
                "https://a.bg/x",
                "https://www.example.net"
            ]
        );
        let events = linkify("Сайт: www.didih.bg!").unwrap();
        assert_eq!(events.first(), Some(&Event::Text("Сайт: ".into())));
        assert_eq!(events.last(), Some(&Event::Text("!".into())));
    }
}
