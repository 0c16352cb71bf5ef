//! JSX components that wrap Markdown, each tag on a line of its own:
//!
//! ```mdx
//! <Aside type="caution" title="Before you start">
//! Read **this** first.
//! </Aside>
//! ```
//!
//! MDX reads what they hold as Markdown; CommonMark reads a tag on its own
//! line as the start of an HTML block, and showed the lines after it as
//! they were written (`**this**`). Callouts (Starlight's `<Aside>`,
//! Docusaurus' `<Admonition>`, Nextra's `<Callout>`, Mintlify's `<Note>`,
//! `<Tip>`, `<Warning>`…) become containers, which dunav shows as alerts;
//! any other component (`<Steps>`, `<Card title="…">`) is left out, its
//! title in bold, and what it holds shown as Markdown. Each line stays one
//! line, so that line numbers hold.

use std::borrow::Cow;

/// Components that are callouts, by name: the alert each is, or `None`
/// for one whose `type` says it.
const CALLOUTS: [(&str, Option<&str>); 12] = [
    ("Aside", None),
    ("Admonition", None),
    ("Callout", None),
    ("Note", Some("note")),
    ("Info", Some("info")),
    ("Tip", Some("tip")),
    ("Check", Some("tip")),
    ("Important", Some("important")),
    ("Warning", Some("warning")),
    ("Caution", Some("caution")),
    ("Danger", Some("danger")),
    ("Error", Some("danger")),
];

/// A component open around the lines being read.
struct Open<'t> {
    name: &'t str,
    callout: bool,
    /// Its content's indent, taken off each line (four spaces would make
    /// the content code).
    indent: usize,
}

/// The page's body with its block components as Markdown.
pub(super) fn as_markdown(body: &str) -> Cow<'_, str> {
    let opens_a_component = |line: &str| {
        line.trim_start()
            .strip_prefix('<')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
    };
    if !body.lines().any(opens_a_component) {
        return body.into();
    }
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut out = String::with_capacity(body.len());
    let mut fences = crate::markdown::Fences::default();
    let mut open: Vec<Open<'_>> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let ending = &line[line.trim_end().len()..];
        let in_code = fences.is_code(line) && !line.trim_start().starts_with(['`', '~']);
        let tag = if in_code { "" } else { line.trim() };
        if let Some(name) = closing_tag(tag)
            && open.last().is_some_and(|o| o.name == name)
        {
            let closed = open.pop();
            out.push_str(if closed.is_some_and(|c| c.callout) {
                ":::"
            } else {
                ""
            });
            out.push_str(ending);
            continue;
        }
        if let Some(name) = opening_tag(tag)
            && let Some(indent) = content_indent(&lines[i + 1..], name)
        {
            let callout = callout_kind(name, tag);
            let title = super::attribute(tag, "title").or_else(|| super::attribute(tag, "label"));
            match (callout, title) {
                (Some(kind), Some(title)) => out.push_str(&format!(":::{kind}[{title}]")),
                (Some(kind), None) => out.push_str(&format!(":::{kind}")),
                // A hard break: the title stays above the content's first line.
                (None, Some(title)) => out.push_str(&format!("**{title}**  ")),
                (None, None) => {}
            }
            out.push_str(ending);
            open.push(Open {
                name,
                callout: callout.is_some(),
                indent,
            });
            continue;
        }
        match open.last() {
            Some(o) => {
                let blank = line.len() - line.trim_start_matches([' ', '\t']).len();
                out.push_str(&line[blank.min(o.indent)..]);
            }
            None => out.push_str(line),
        }
    }
    out.into()
}

/// `<Name …>` alone on its line (not self-closing, not closed on it): the
/// component's name.
fn opening_tag(tag: &str) -> Option<&str> {
    let rest = tag.strip_prefix('<')?;
    if !rest.starts_with(|c: char| c.is_ascii_uppercase())
        || !rest.ends_with('>')
        || rest.ends_with("/>")
        || rest.contains("</")
    {
        return None;
    }
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '_')
        .unwrap_or(rest.len());
    let name = &rest[..end];
    rest[end..].starts_with([' ', '>', '\t']).then_some(name)
}

/// `</Name>` alone on its line: the name.
fn closing_tag(tag: &str) -> Option<&str> {
    tag.strip_prefix("</")?
        .strip_suffix('>')
        .filter(|name| name.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The indent of the component's content, up to its closing tag; `None`
/// when the tag is never closed (then it stays HTML, as written).
fn content_indent(after: &[&str], name: &str) -> Option<usize> {
    let mut indent: Option<usize> = None;
    for line in after {
        if closing_tag(line.trim()) == Some(name) {
            return Some(indent.unwrap_or(0));
        }
        if !line.trim().is_empty() {
            let here = line.len() - line.trim_start_matches([' ', '\t']).len();
            indent = Some(indent.map_or(here, |i| i.min(here)));
        }
    }
    None
}

/// The alert a callout component is (`note`, `tip`…), from its name or
/// its `type`; `None` for a component of another kind.
fn callout_kind(name: &str, tag: &str) -> Option<&'static str> {
    let (_, kind) = CALLOUTS.iter().find(|(callout, _)| *callout == name)?;
    if let Some(kind) = kind {
        return Some(kind);
    }
    let named = super::attribute(tag, "type").unwrap_or("note");
    Some(match named.to_ascii_lowercase().as_str() {
        "tip" | "success" | "check" => "tip",
        "info" => "info",
        "important" => "important",
        "warning" => "warning",
        "caution" => "caution",
        "danger" | "error" => "danger",
        _ => "note",
    })
}

#[cfg(test)]
mod tests {
    use super::as_markdown;

    #[test]
    fn callouts_are_containers_and_other_components_leave_their_content() {
        let body = "<Aside type=\"caution\" title=\"Преди\">\nПрочети **това**.\n</Aside>\n<Steps>\n  1. Едно\n  2. Две\n</Steps>\n<Card title=\"Карта\">\nТекст.\n</Card>\n<Note>\nБележка.\n</Note>\n";
        let out = as_markdown(body);
        assert_eq!(
            out,
            ":::caution[Преди]\nПрочети **това**.\n:::\n\n1. Едно\n2. Две\n\n**Карта**  \nТекст.\n\n:::note\nБележка.\n:::\n"
        );
        assert_eq!(out.lines().count(), body.lines().count());
    }

    #[test]
    fn code_unclosed_tags_and_one_line_components_stay_as_written() {
        for body in [
            "```mdx\n<Aside>\nx\n</Aside>\n```\n",
            "<Aside>\nнезатворен\n",
            "<Badge>Ново</Badge>\n",
            "<Icon name=\"x\" />\n",
            "<div>\nx\n</div>\n",
        ] {
            assert_eq!(as_markdown(body), body);
        }
    }
}
