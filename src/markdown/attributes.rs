//! Attributes written after a heading, `{#id .class key=value}`, and
//! after a link or an image (MkDocs' attribute lists).

use std::borrow::Cow;

use pulldown_cmark::CowStr;

/// MkDocs' (Python-Markdown's `attr_list`) attributes after a link or an
/// image, `[Subscribe](#){ .md-button }`, `[Subscribe][demo]{ .md-button }`,
/// `![Logo](x.png){ width="300" }`:
/// left out, where they were shown as text (their quotes made „…“). A
/// `{…}` whose words are not all attributes is text and stays.
pub(super) fn without_span_attribute_lists(markdown: &str) -> Cow<'_, str> {
    let has_list = |text: &str| ["){", ") {", "]{", "] {"].iter().any(|m| text.contains(m));
    if !has_list(markdown) {
        return markdown.into();
    }
    let line = |line: &str| {
        // Most lines of a page with code (`fn f() {`) have no list at all.
        let maybe = has_list(line);
        let trimmed = line.trim_start();
        if !maybe || trimmed.starts_with('#') || line.starts_with("    ") || line.starts_with('\t')
        {
            return None;
        }
        let code = super::CodeSpans::of(line);
        let mut out = String::with_capacity(line.len());
        let mut from = 0;
        for (at, _) in line.match_indices([')', ']']) {
            if at < from || line.as_bytes()[at] == b']' && !ends_reference_link(&line[..at]) {
                continue;
            }
            let after = &line[at + 1..];
            let gap = usize::from(after.starts_with(' '));
            let Some(inner) = after[gap..].strip_prefix('{') else {
                continue;
            };
            // A list is short: looked for no further, a long line of `){`
            // stays linear.
            let Some(end) = inner.bytes().take(256).position(|b| b == b'}') else {
                continue;
            };
            let words = &inner[..end];
            let attribute = |word: &str| word.starts_with(['.', '#']) || word.contains('=');
            let all_attributes = !words.contains('{')
                && words.split_whitespace().next().is_some()
                && words.split_whitespace().all(attribute);
            if !all_attributes || code.contains(at) {
                continue;
            }
            out.push_str(&line[from..=at]);
            from = at + 1 + gap + 1 + end + 1;
        }
        (from > 0).then(|| out + &line[from..])
    };
    super::shortcodes::rewrite_outside_fences(markdown, |_, _| None, line).into()
}

/// Whether the text before a `]` ends a reference link's label, `[text][label`.
fn ends_reference_link(before: &str) -> bool {
    before
        .rfind('[')
        .is_some_and(|open| before[..open].ends_with(']'))
}

/// The Markdown with the brace of a heading's last `{…}` escaped when it is
/// no attribute list (`## Set {a, b}`, `{not attrs}`): as in goldmark and
/// Pandoc it stays the heading's text, where the parser took its words for
/// attributes and dropped them.
pub(super) fn keep_braces_that_are_text(markdown: &str) -> Cow<'_, str> {
    let candidate = |l: &str| {
        let t = l.trim();
        t.starts_with('#') && t.ends_with('}')
    };
    if !markdown.contains('{') || !markdown.lines().any(candidate) {
        return markdown.into();
    }
    let line = |line: &str| {
        let trimmed = line.trim();
        let heading = trimmed.starts_with('#') && trimmed.trim_start_matches('#').starts_with(' ');
        if !heading || !trimmed.ends_with('}') {
            return None;
        }
        let open = line.rfind('{')?;
        // `{{ … }}` is a shortcode or template tag (pointed out as one), and
        // a line indented as code is code.
        if line[..open].ends_with('{') || line.len() - line.trim_start().len() >= 4 {
            return None;
        }
        let inner = line[open + 1..].trim_end().strip_suffix('}')?;
        // As an entity: the parser looks for attributes in the raw text,
        // where a backslash does not hide the brace.
        (!is_attribute_list(inner)).then(|| format!("{}&#123;{}", &line[..open], &line[open + 1..]))
    };
    super::shortcodes::rewrite_outside_fences(markdown, |_, _| None, line).into()
}

/// `#id`, `.class` and `key=value` (the value quoted or not), nothing else.
fn is_attribute_list(inner: &str) -> bool {
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let token_end = if let Some(eq) = rest
            .find('=')
            .filter(|&eq| !rest[..eq].contains(char::is_whitespace))
        {
            let name = &rest[..eq];
            let valid_name = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
            if !valid_name {
                return false;
            }
            let value = &rest[eq + 1..];
            match value.chars().next() {
                Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                    Some(close) => eq + 1 + close + 2,
                    None => return false,
                },
                Some(c) if !c.is_whitespace() => {
                    eq + 1 + value.find(char::is_whitespace).unwrap_or(value.len())
                }
                _ => return false,
            }
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let token = &rest[..end];
            let named = token.len() > 1 && (token.starts_with('#') || token.starts_with('.'));
            if !named {
                return false;
            }
            end
        };
        rest = rest[token_end..].trim_start();
    }
    true
}

/// An attribute's value in an HTML or JSX tag: `name="x"`, `name='x'` or
/// JSX's `name={"x"}`; `None` when absent or empty.
pub fn tag_attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    tag.match_indices(name).find_map(|(at, _)| {
        if !tag[..at].ends_with(char::is_whitespace) {
            return None;
        }
        let value = tag[at + name.len()..].strip_prefix('=')?;
        let value = value.strip_prefix('{').unwrap_or(value);
        let quote = value.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let value = &value[1..];
        Some(&value[..value.find(quote)?]).filter(|v| !v.trim().is_empty())
    })
}

/// A heading's `{key=value}` attributes with quoted values read as
/// goldmark and Pandoc read them (`title='a b'`), where the parser splits
/// at every space and keeps the quotes; a name HTML does not allow is left
/// out, so the heading stays well formed.
pub(super) fn quoted_attributes<'a>(
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
) -> Vec<(CowStr<'a>, String)> {
    let mut out: Vec<(CowStr<'a>, String)> = Vec::new();
    let mut open_quote: Option<char> = None;
    for (name, value) in attrs {
        if let Some(quote) = open_quote {
            // A word of the value still open: `b'` of `title='a b'`.
            let word = match &value {
                Some(v) => format!("{name}={v}"),
                None => name.to_string(),
            };
            if let Some((_, last)) = out.last_mut() {
                last.push(' ');
                last.push_str(word.strip_suffix(quote).unwrap_or(&word));
            }
            if word.ends_with(quote) {
                open_quote = None;
            }
            continue;
        }
        let value = value.as_deref().unwrap_or("");
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
        let value = match quote {
            Some(q) if value.len() > 1 && value.ends_with(q) => {
                value[1..value.len() - 1].to_string()
            }
            Some(q) => {
                open_quote = Some(q);
                value[1..].to_string()
            }
            None => value.to_string(),
        };
        let allowed = !name.is_empty()
            && !name
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "\"'<>/=`".contains(c));
        if allowed {
            out.push((name, value));
        } else if open_quote.is_some() {
            open_quote = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::keep_braces_that_are_text;

    #[test]
    fn braces_that_are_no_attributes_stay_text() {
        for (md, expected) in [
            ("## Множества {a, b}\n", "## Множества &#123;a, b}\n"),
            ("## Е {not attrs}\n", "## Е &#123;not attrs}\n"),
            ("## Е {=}\n", "## Е &#123;=}\n"),
            ("## Е {title='unclosed}\n", "## Е &#123;title='unclosed}\n"),
            (
                "## Е {#id .wide data-x=\"1\" title='a b'}\n",
                "## Е {#id .wide data-x=\"1\" title='a b'}\n",
            ),
            ("```\n## {x}\n```\n", "```\n## {x}\n```\n"),
            (
                "## Свали {{< badge \"нов\" >}}\n",
                "## Свали {{< badge \"нов\" >}}\n",
            ),
            ("    # mkdir /srv/{a,b}\n", "    # mkdir /srv/{a,b}\n"),
        ] {
            assert_eq!(keep_braces_that_are_text(md), expected, "{md}");
        }
    }
}
