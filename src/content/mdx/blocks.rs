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
use std::collections::HashMap;

/// Components that are callouts: those of the first three say their kind
/// in `type`, the others are named after it.
const CALLOUTS: [&str; 12] = [
    "Aside",
    "Admonition",
    "Callout",
    "Note",
    "Info",
    "Tip",
    "Check",
    "Important",
    "Warning",
    "Caution",
    "Danger",
    "Error",
];

/// A component open around the lines being read.
struct Open {
    name: String,
    /// What its closing tag becomes.
    closing: String,
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
    let mut open: Vec<Open> = Vec::new();
    let closers = closing_lines(&lines);
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let ending = &line[line.trim_end().len()..];
        let in_code = fences.is_code(line) && !line.trim_start().starts_with(['`', '~']);
        let tag = if in_code { "" } else { line.trim() };
        i += 1;
        if let Some(name) = closing_tag(tag)
            && let Some(at) = open.iter().rposition(|o| o.name == name)
        {
            let closed = open.split_off(at).remove(0);
            out.push_str(&closed.closing);
            out.push_str(ending);
            continue;
        }
        // A tag whose attributes go on over more lines, read as one line.
        let (tag, more) = match tag.starts_with('<') && !tag.ends_with('>') {
            true => tag_over_lines(tag, &lines[i..]),
            false => (Cow::Borrowed(tag), 0),
        };
        if let Some(name) = opening_tag(&tag)
            && let Some(indent) = content_indent(&lines, i + more, name, &closers)
        {
            // On the tag's last line, so that its content follows it.
            let (opening, closing) = block_as_markdown(name, &tag);
            blank_lines(&lines[i - 1..i - 1 + more], &mut out);
            let last = lines[i - 1 + more];
            out.push_str(&opening);
            out.push_str(&last[last.trim_end().len()..]);
            i += more;
            open.push(Open {
                name: name.to_string(),
                closing,
                indent,
            });
            continue;
        }
        if more > 0 && tag.ends_with("/>") {
            // A self-closing one on one line, for `as_html` to close.
            out.push_str(&tag);
            out.push_str(ending);
            blank_lines(&lines[i..i + more], &mut out);
            i += more;
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

/// What a component's opening tag and its closing tag become: a callout
/// a container (`:::tip[Title]`), a card with a title and an `href` its
/// title as a link, another with an `href` (`<LinkButton>`) a link around
/// its content, another its title in bold, or nothing.
fn block_as_markdown(name: &str, tag: &str) -> (String, String) {
    let title = super::attribute(tag, "title")
        .or_else(|| super::attribute(tag, "label"))
        .map(markdown_text);
    if let Some(kind) = callout_kind(name, tag) {
        return match title {
            Some(title) => (format!(":::{kind}[{title}]"), ":::".into()),
            None => (format!(":::{kind}"), ":::".into()),
        };
    }
    match (super::attribute(tag, "href"), title) {
        (Some(href), Some(title)) => {
            // Without `<…>`, which a component's name could look like.
            let href = href
                .replace(' ', "%20")
                .replace('(', "%28")
                .replace(')', "%29")
                .replace('<', "%3C")
                .replace('>', "%3E");
            (format!("**[{title}]({href})**  "), String::new())
        }
        // The tags carried in comments, as kramdown's `markdown="1"` ones
        // are: a tag alone on its line would make the content raw HTML.
        (Some(href), None) if !href.contains("--") => {
            let tag = crate::markdown::MARKDOWN_TAG;
            let href = crate::markdown::escape_html(href);
            (
                format!("{tag}<a href=\"{href}\">-->"),
                format!("{tag}</a>-->"),
            )
        }
        // A hard break: the title stays above the content's first line.
        (_, title) => (
            title.map_or(String::new(), |t| format!("**{t}**  ")),
            String::new(),
        ),
    }
}

/// An attribute's text as Markdown shows it, every punctuation mark
/// escaped: `The <title> element` is text, not a tag that hides the page.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A component's tag that starts on `first` and ends on a later line
/// (`>`), as one line, and how many lines after `first` it takes. A JSX
/// expression (`code={…}`, `sx={{ … }}`) may go on over lines, blank ones
/// too, and hold `>`; outside one, a blank line or another tag means this
/// was no tag, and it is left as written.
fn tag_over_lines<'t>(first: &'t str, after: &[&str]) -> (Cow<'t, str>, usize) {
    const MAX_LINES: usize = 20;
    if !first[1..].starts_with(|c: char| c.is_ascii_uppercase()) {
        return (first.into(), 0);
    }
    let mut scan = super::jsx::TagScan::default();
    if scan.read(&first[1..]) != super::jsx::Scanned::Open {
        return (first.into(), 0);
    }
    for (n, line) in after.iter().take(MAX_LINES).enumerate() {
        if line.trim().is_empty() && !scan.in_expression() {
            break;
        }
        match scan.read(line) {
            super::jsx::Scanned::Open => continue,
            super::jsx::Scanned::Ends(at) if line[at + 1..].trim().is_empty() => {
                let mut tag = first.to_string();
                for line in after[..=n].iter().filter(|l| !l.trim().is_empty()) {
                    tag.push(' ');
                    tag.push_str(line.trim());
                }
                return (tag.into(), n + 1);
            }
            _ => break,
        }
    }
    (first.into(), 0)
}

/// Lines taken into a tag above, left empty so that line numbers hold.
fn blank_lines(lines: &[&str], out: &mut String) {
    for line in lines {
        out.push_str(&line[line.trim_end().len()..]);
    }
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

/// A component's content is read this far at most for its closing tag:
/// a page of thousands of unclosed tags must not take each to its end.
const MAX_CONTENT_LINES: usize = 1000;

/// The lines of each closing tag alone on its line, by name, in order.
fn closing_lines<'t>(lines: &[&'t str]) -> HashMap<&'t str, Vec<usize>> {
    let mut closers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(name) = closing_tag(line.trim()) {
            closers.entry(name).or_default().push(i);
        }
    }
    closers
}

/// The indent of the content of a component opened above line `from`, up
/// to its closing tag; `None` when the tag is not closed within
/// [`MAX_CONTENT_LINES`] (then it stays HTML, as written).
fn content_indent(
    lines: &[&str],
    from: usize,
    name: &str,
    closers: &HashMap<&str, Vec<usize>>,
) -> Option<usize> {
    let at = closers.get(name)?;
    let close = *at.get(at.partition_point(|&line| line < from))?;
    if close - from > MAX_CONTENT_LINES {
        return None;
    }
    let indent = lines[from..close]
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start_matches([' ', '\t']).len())
        .min();
    Some(indent.unwrap_or(0))
}

/// The container word a callout component is (`note`, `tip`…), from its
/// name or its `type`, as containers read it (`markdown::alert_kind`);
/// `None` for a component of another kind.
fn callout_kind(name: &str, tag: &str) -> Option<String> {
    if !CALLOUTS.contains(&name) {
        return None;
    }
    let word = match name {
        "Aside" | "Admonition" | "Callout" => super::attribute(tag, "type").unwrap_or("note"),
        named => named,
    };
    let word = word.to_ascii_lowercase();
    Some(match crate::markdown::alert_kind(&word) {
        Some(_) if word.chars().all(|c| c.is_ascii_alphanumeric()) => word,
        _ => "note".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::as_markdown;

    #[test]
    fn callouts_are_containers_and_other_components_leave_their_content() {
        let body = "<Aside type=\"caution\" title=\"Преди <title>\">\nПрочети **това**.\n</Aside>\n<Steps>\n  1. Едно\n  2. Две\n</Steps>\n<Card title=\"Карта\">\nТекст.\n</Card>\n<Note>\nБележка.\n</Note>\n";
        let out = as_markdown(body);
        assert_eq!(
            out,
            ":::caution[Преди \\<title\\>]\nПрочети **това**.\n:::\n\n1. Едно\n2. Две\n\n**Карта**  \nТекст.\n\n:::note\nБележка.\n:::\n"
        );
        assert_eq!(out.lines().count(), body.lines().count());
    }

    #[test]
    fn a_tag_whose_expressions_go_on_over_lines_is_one_tag() {
        let body = "<Card\n  variant=\"outlined\"\n  sx={{\n    textAlign: \"center\",\n\n  }}\n>\n  Вътре.\n</Card>\nСлед.\n";
        let out = as_markdown(body);
        assert_eq!(out, "\n\n\n\n\n\n\nВътре.\n\nСлед.\n");
        // Without a `>` before a blank line outside an expression, no tag.
        let body = "<Note title=\"a\"\n\nТекст.\n";
        assert_eq!(as_markdown(body), body);
    }

    #[test]
    fn tags_over_several_lines_and_links() {
        let body = "<Testimonial\n  name=\"Рая\"\n>\n  Чудесно.\n</Testimonial>\n<LinkButton href=\"/start/\" variant=\"secondary\">\n\tНачало\n</LinkButton>\n<Card title=\"Бързо\" href=\"/quick start/\">\nЗа **пет** минути.\n</Card>\n<Card\n  title=\"Карта\"\n  icon=\"star\" />\n<Code\n  code={`a\n\nb`}\n/>\n";
        let out = as_markdown(body);
        assert_eq!(
            out,
            "\n\n\nЧудесно.\n\n<!--dunav-markdown <a href=\"/start/\">-->\nНачало\n<!--dunav-markdown </a>-->\n**[Бързо](/quick%20start/)**  \nЗа **пет** минути.\n\n<Card title=\"Карта\" icon=\"star\" />\n\n\n<Code code={`a b`} />\n\n\n\n\n"
        );
        assert_eq!(out.lines().count(), body.lines().count());
    }

    /// Thousands of tags, unclosed or closed far below, each look no
    /// further than their closing tag's line.
    #[test]
    fn a_page_of_unclosed_tags_is_read_once() {
        let unclosed = "<A>\n".repeat(50_000);
        assert_eq!(as_markdown(&unclosed), unclosed);
        let nested = format!("{}{}", "<B>\n".repeat(20_000), "</B>\n".repeat(20_000));
        assert_eq!(as_markdown(&nested).lines().count(), 40_000);
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
