//! The `href`s the renderer writes: encoded where a browser would refuse
//! them, and a Cyrillic `#fragment` made the heading id it means.

use pulldown_cmark::CowStr;

use crate::config::HeadingIds;

/// Whether a resolved link's address (before its `#`) is this site's: a
/// path from its root, or this page.
pub(super) fn on_this_site(url: &str) -> bool {
    url.is_empty() || url.starts_with('/') && !url.starts_with("//")
}

/// `#Конфигуриране` or `#Parametric%20form`, a heading's words as GitHub
/// and Obsidian link them, made the id this site gives that heading
/// (`#konfigurirane`, `#parametric-form`: no id has a space), and on the
/// same page `#Code-Block`, as Hexo spells a heading's id with its capitals;
/// any other link as it is, and so is one to an id this page's `source`
/// writes (`{#карта}`, `id="Intro"`). Another page's capitals may be an id
/// its HTML writes, which this page cannot see: they stay.
pub(super) fn fragment_as_id<'a>(
    href: CowStr<'a>,
    heading_ids: HeadingIds,
    source: &str,
) -> CowStr<'a> {
    let declared = |fragment: &str| {
        source.contains(&format!("{{#{fragment}"))
            || source.contains(&format!("id=\"{fragment}\""))
            || source.contains(&format!("id='{fragment}'"))
    };
    let id = match href.split_once('#') {
        Some((url, fragment))
            if on_this_site(url)
                && (!fragment.is_ascii()
                    || fragment.contains("%20")
                    || url.is_empty() && has_capitals(fragment))
                && !(url.is_empty() && declared(fragment)) =>
        {
            // Obsidian writes a heading's spaces as `%20`.
            let id = heading_ids.slug(&fragment.replace("%20", " "));
            (!id.is_empty() && id != fragment).then(|| format!("{url}#{id}"))
        }
        _ => None,
    };
    id.map_or(href, Into::into)
}

fn has_capitals(fragment: &str) -> bool {
    fragment.bytes().any(|b| b.is_ascii_uppercase())
}

/// Percent-encodes what may not stand in an `href` as written (`^`, `|`,
/// braces, a `%` that starts no escape…), so that a pasted URL keeps the
/// page valid HTML; pulldown-cmark encodes spaces and non-ASCII itself.
pub(super) fn encode_href(url: CowStr<'_>) -> CowStr<'_> {
    let bytes = url.as_bytes();
    let bad = |i: usize| match bytes[i] {
        b'^' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'"' | b'<' | b'>' => true,
        b'%' => {
            !(i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit())
        }
        _ => false,
    };
    if !(0..bytes.len()).any(bad) {
        return url;
    }
    let mut out = String::with_capacity(url.len() + 8);
    for (i, c) in url.char_indices() {
        if c.is_ascii() && bad(i) {
            out.push_str(&format!("%{:02X}", c as u8));
        } else {
            out.push(c);
        }
    }
    out.into()
}
