//! kramdown's (Jekyll's) attribute lists, which no other reader has:
//! `{: #id .class}` on the line after a heading gives it that id and class,
//! `* TOC` with `{:toc}` stands for the contents (which the theme shows), and
//! any other `{: …}` after a block or a span is left out, not shown as text.
//!
//! Each line stays one line, so that line numbers hold.

use std::borrow::Cow;

pub(super) fn rewrite(markdown: &str) -> Cow<'_, str> {
    // MkDocs' `{ .class }` lists start their line.
    if !markdown.contains("{:") && !markdown.starts_with('{') && !markdown.contains("\n{") {
        return markdown.into();
    }
    let mut out: Vec<Cow<'_, str>> = Vec::new();
    let mut fences = super::Fences::default();
    let mut in_comment = false;
    let extensions = markdown.contains("{::");
    for line in markdown.split_inclusive('\n') {
        let ending = line_ending(line);
        if !in_comment && fences.is_code(line) {
            out.push(line.into());
            continue;
        }
        let line: &str = &match extensions {
            true => without_extensions(line, &mut in_comment),
            false => line.into(),
        };
        // Indented four spaces, a line is code (or a list item's text).
        let attributes = (!line.starts_with("    ") && !line.starts_with('\t'))
            .then(|| block_attributes(line.trim()))
            .flatten();
        // Looked up only for a list: every line looking back over blank
        // lines made a page of them quadratic.
        let above = || out.iter().rposition(|l| !l.trim().is_empty());
        // MkDocs' list is read only right under a heading or a paragraph
        // line, unindented: anywhere else braces are text.
        let under_text = || {
            let line_above = out.last().filter(|l| !l.trim().is_empty());
            line_above.is_some_and(|l| !l.starts_with('<'))
        };
        let attributes = attributes
            .filter(|(_, kramdown)| *kramdown || (!line.starts_with([' ', '\t']) && under_text()));
        let Some((attributes, _)) = attributes else {
            out.push(without_span_attributes(line).into_owned().into());
            continue;
        };
        let attributes = attributes.as_str();
        match above().map(|i| (i, out[i].trim_end_matches(['\n', '\r']))) {
            // `* TOC` `{:toc}`: kramdown's contents, which the theme shows.
            Some((i, list)) if attributes == "toc" && is_toc_item(list) => {
                out[i] = line_ending(&out[i]).to_string().into();
            }
            Some((i, heading))
                if i + 1 == out.len()
                    && !matches!(attributes, "toc" | "")
                    && is_atx_heading(heading) =>
            {
                let with = format!("{heading} {{{attributes}}}{}", line_ending(&out[i]));
                out[i] = with.into();
            }
            _ => {}
        }
        out.push(ending.to_string().into());
    }
    out.concat().into()
}

/// The comment a lone opening tag with `markdown="1"` becomes, so that
/// the lines after it are read as Markdown (see [`markdown_in_html`]).
pub const MARKDOWN_TAG: &str = "<!--dunav-markdown ";

/// The id of an empty anchor, `<a id="x"></a>`.
pub(super) fn empty_anchor_id(html: &str) -> Option<&str> {
    let id = html
        .trim()
        .strip_prefix("<a id=\"")?
        .strip_suffix("\"></a>")?;
    (!id.contains('"')).then_some(id)
}

/// kramdown's (and PHP Markdown Extra's) `<div markdown="1">`: what the
/// tag holds is Markdown, blank line after the tag or not. CommonMark reads
/// the lines after an HTML tag as HTML until a blank line; a comment ends
/// on its own line, so the tag, alone on its line, is carried in one
/// (the renderer puts it back) and the next lines are Markdown. Its closing
/// tag (`</div>`) ends the paragraph above it as HTML does.
pub(super) fn markdown_in_html(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains(" markdown") {
        return markdown.into();
    }
    let mut fences = super::Fences::default();
    let mut changed = false;
    let mut after_details = false;
    let lines: Vec<Cow<'_, str>> = markdown
        .split_inclusive('\n')
        .map(|line| {
            let in_code = fences.is_code(line);
            // `<details markdown="1">`'s `<summary>…</summary>` line would
            // start an HTML block of its own: it is carried the same way.
            let summary = std::mem::take(&mut after_details) && !in_code && is_summary_line(line);
            if in_code || !(summary || is_markdown_tag(line)) {
                return line.into();
            }
            after_details = line
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("<details");
            changed = true;
            // Its indent kept: in a list item, the tag is the item's.
            let text = line.trim_end_matches(['\n', '\r']);
            let tag = text.trim_start();
            let indent = &text[..text.len() - tag.len()];
            format!("{indent}{MARKDOWN_TAG}{tag}-->{}", line_ending(line)).into()
        })
        .collect();
    match changed {
        true => lines.concat().into(),
        false => markdown.into(),
    }
}

/// `<summary>…</summary>` alone on its line, which a comment can carry.
fn is_summary_line(line: &str) -> bool {
    let text = line.trim();
    let lower = text.to_ascii_lowercase();
    (lower.starts_with("<summary>") || lower.starts_with("<summary "))
        && lower.ends_with("</summary>")
        && !text.contains("--")
        && line.len() - line.trim_start_matches(' ').len() < 4
}

/// A line that is one opening tag asking for Markdown inside (indented
/// less than code), which a comment can carry (no `--` in it).
fn is_markdown_tag(line: &str) -> bool {
    let text = line.trim_end_matches(['\n', '\r']).trim_end();
    let indent = text.len() - text.trim_start_matches(' ').len();
    let tag = text.trim_start();
    // Only a tag that starts an HTML block (CommonMark's kind 6) ends the
    // paragraph above it as its closing tag must: a `<span>` is inline.
    const BLOCKS: [&str; 12] = [
        "div",
        "section",
        "article",
        "aside",
        "details",
        "figure",
        "header",
        "footer",
        "main",
        "nav",
        "blockquote",
        "dl",
    ];
    let Some(after_bracket) = tag.strip_prefix('<') else {
        return false;
    };
    let name_end = after_bracket
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(after_bracket.len());
    let name = after_bracket[..name_end].to_ascii_lowercase();
    // MkDocs' bare `markdown` asks as `markdown="1"` does.
    let asks = || {
        markdown_attributes(tag)
            .iter()
            .any(|(_, value)| matches!(value, None | Some("1" | "block")))
    };
    indent < 4
        && !text.starts_with('\t')
        && BLOCKS.contains(&name.as_str())
        && asks()
        && tag.ends_with('>')
        && !tag.ends_with("/>")
        && tag.matches('<').count() == 1
        && tag.matches('>').count() == 1
        && !tag.contains("--")
}

/// Where the opening tags in `html` have a `markdown` attribute, bare
/// (MkDocs' `<div markdown>`) or with a value (`markdown="1"`), each span
/// with the space before it and the attribute's value, if any: HTML has no
/// such attribute, and the Markdown readers that know it leave it out.
pub(crate) fn markdown_attributes(html: &str) -> Vec<(std::ops::Range<usize>, Option<&str>)> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let (mut in_tag, mut quote) = (false, None);
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        match quote {
            Some(q) if q == byte => quote = None,
            Some(_) => {}
            None if !in_tag => {
                in_tag = byte == b'<' && bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic);
            }
            None if matches!(byte, b'"' | b'\'') => quote = Some(byte),
            None if byte == b'>' => in_tag = false,
            None if byte.is_ascii_whitespace() && html[at + 1..].starts_with("markdown") => {
                let name_end = at + 1 + "markdown".len();
                if let Some((len, value)) = attribute_after(&html[name_end..]) {
                    found.push((at..name_end + len, value));
                    at = name_end + len;
                    continue;
                }
            }
            None => {}
        }
        at += 1;
    }
    found
}

/// After an attribute's name in a tag: how long its `=value` is (0 for a
/// bare attribute) and the value; `None` when the name goes on (`markdownx`).
fn attribute_after(rest: &str) -> Option<(usize, Option<&str>)> {
    match rest.as_bytes().first() {
        None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') => Some((0, None)),
        Some(b'=') => match rest[1..].chars().next() {
            Some(q @ ('"' | '\'')) => {
                let close = rest[2..].find(q)?;
                Some((close + 3, Some(&rest[2..2 + close])))
            }
            _ => {
                let value = rest[1..]
                    .split([' ', '\t', '\n', '/', '>'])
                    .next()
                    .unwrap_or("");
                Some((value.len() + 1, Some(value)))
            }
        },
        _ => None,
    }
}

/// An attribute list alone on its line: what is inside (without a bare
/// `#` or `.`), and whether it is kramdown's `{: #id .class}` (`true`) or
/// Python-Markdown's (MkDocs') `{ #id .class key="value" }`; `None` for any
/// other line, for kramdown's extensions, and for braces holding anything but
/// attributes (`{x}`, `{x=1}`, `{"a": 1}`, `{#if x}`, `{#1}`, `{ a=1, b=2 }`).
fn block_attributes(line: &str) -> Option<(String, bool)> {
    let inner = line.strip_prefix('{')?.strip_suffix('}')?;
    let kramdown = inner.starts_with(':');
    let inner = match inner.strip_prefix(':') {
        Some(kramdown) => kramdown,
        None => {
            let tokens = attribute_tokens(inner)?;
            let names_one = tokens.iter().any(|t| t.starts_with(['#', '.']));
            let attribute = |t: &&str| match t.split_once('=') {
                Some((name, value)) => is_attribute_name(name) && is_attribute_value(value),
                None => {
                    let Some(name) = t.strip_prefix(['#', '.']) else {
                        return false;
                    };
                    name.starts_with(|c: char| c.is_alphabetic() || c == '_')
                        && name
                            .chars()
                            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
                }
            };
            (names_one && tokens.iter().all(attribute)).then_some(inner)?
        }
    };
    if inner.starts_with([':', '/']) || inner.contains(['{', '}']) {
        return None;
    }
    let named = |token: &&str| !matches!(*token, "#" | ".");
    let tokens = attribute_tokens(inner)?;
    Some((
        tokens
            .into_iter()
            .filter(named)
            .collect::<Vec<_>>()
            .join(" "),
        kramdown,
    ))
}

/// The list's entries, split at spaces outside quotes; `None` when a quote
/// is left open.
fn attribute_tokens(inner: &str) -> Option<Vec<&str>> {
    let mut tokens = Vec::new();
    let mut quote = None;
    let mut start = None;
    for (at, c) in inner.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if let Some(from) = start.take() {
                    tokens.push(&inner[from..at]);
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(at);
    }
    tokens.extend(start.map(|from| &inner[from..]));
    quote.is_none().then_some(tokens)
}

/// A value as an attribute list writes it: quoted (spaces allowed), or a
/// word without quotes or commas.
fn is_attribute_value(value: &str) -> bool {
    let quoted = |q: char| value.len() >= 2 && value.starts_with(q) && value.ends_with(q);
    quoted('"') || quoted('\'') || (!value.is_empty() && !value.contains(['"', '\'', ',']))
}

fn is_attribute_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
}

/// A line without kramdown's extensions: what `{::comment}` … `{:/comment}`
/// (or `{:/}`) holds is left out, over lines too (`in_comment` carries it);
/// `{::nomarkdown}` tags and `{::options … /}` are dropped, their content kept.
fn without_extensions<'l>(line: &'l str, in_comment: &mut bool) -> Cow<'l, str> {
    if !*in_comment && !line.contains("{::") && !line.contains("{:/") {
        return line.into();
    }
    // Indented code shows the tags as written.
    if !*in_comment && (line.starts_with("    ") || line.starts_with('\t')) {
        return line.into();
    }
    let mut out = String::new();
    let mut rest = line;
    let code = super::CodeSpans::of(line);
    // Each tag starts `{:`: the next one is found from the last, so that a
    // long line of tags is read in one pass.
    let next_tag = |text: &str, tags: &[&str]| {
        text.match_indices("{:")
            .map(|(at, _)| at)
            .find(|&at| tags.iter().any(|tag| text[at..].starts_with(tag)))
    };
    loop {
        if *in_comment {
            let closes = ["{:/comment}", "{:/}"];
            let Some(at) = next_tag(rest, &closes) else {
                out.push_str(line_ending(rest));
                break;
            };
            let close = closes.iter().find(|tag| rest[at..].starts_with(*tag));
            *in_comment = false;
            rest = &rest[at + close.map_or(0, |tag| tag.len())..];
            continue;
        }
        const TAGS: [&str; 6] = [
            "{::comment}",
            "{::nomarkdown",
            "{::options ",
            "{:/comment}",
            "{:/nomarkdown}",
            "{:/}",
        ];
        let Some(at) = next_tag(rest, &TAGS) else {
            out.push_str(rest);
            break;
        };
        let tag_end = rest[at..].find('}').map_or(rest.len(), |e| at + e + 1);
        // In a code span the tag is what the text shows.
        if code.contains(line.len() - rest.len() + at) {
            out.push_str(&rest[..tag_end]);
            rest = &rest[tag_end..];
            continue;
        }
        out.push_str(&rest[..at]);
        *in_comment = rest[at..].starts_with("{::comment}");
        rest = &rest[tag_end..];
    }
    out.into()
}

fn line_ending(line: &str) -> &str {
    &line[line.trim_end_matches(['\n', '\r']).len()..]
}

fn is_atx_heading(line: &str) -> bool {
    let hashes = line.len() - line.trim_start_matches('#').len();
    (1..=6).contains(&hashes)
        && line[hashes..].starts_with([' ', '\t'])
        && !line.trim_end().ends_with('}')
}

fn is_toc_item(line: &str) -> bool {
    let item = line.trim_start();
    let text = item
        .strip_prefix(['*', '-', '+'])
        .or_else(|| item.split_once(". ").map(|(_, rest)| rest))
        .unwrap_or(item);
    text.trim().eq_ignore_ascii_case("toc")
}

/// A span's attributes (`[Виж](x.md){: .button}`, `**Важно**{:.red}`) left out.
fn without_span_attributes(line: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut rest = line;
    let mut changed = false;
    let code = super::CodeSpans::of(line);
    while let Some(at) = rest.find("{:") {
        // Not in a code span: `{:?}` is Rust's, `{:.2f}` Python's.
        let in_code = code.contains(line.len() - rest.len() + at);
        let after_span = !in_code && rest[..at].ends_with([')', '*', '_', ']']);
        let end = rest[at..].find('}').map(|e| at + e);
        match end {
            Some(end) if after_span && !rest[at + 2..end].contains('{') => {
                out.push_str(&rest[..at]);
                rest = &rest[end + 1..];
                changed = true;
            }
            _ => {
                out.push_str(&rest[..at + 2]);
                rest = &rest[at + 2..];
            }
        }
    }
    if !changed {
        return line.into();
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn attribute_lists_give_headings_their_ids_and_leave_no_text() {
        let md = "* TOC\n{:toc}\n\n## Версия 1.0\n{: #v1-0-0 .release}\n\nАбзац.\n{: .note}\n\n[Виж](x.md){: .button} и **това**{:.red}.\n\n```\n{: .code}\n```\n";
        let out = rewrite(md);
        assert_eq!(
            out,
            "\n\n\n## Версия 1.0 {#v1-0-0 .release}\n\n\nАбзац.\n\n\n[Виж](x.md) и **това**.\n\n```\n{: .code}\n```\n"
        );
        assert_eq!(out.lines().count(), md.lines().count());
        let ext = "А{::comment}скрито{:/comment}Б\n{::comment}\nдва\n{:/}\n{::nomarkdown}<b>x</b>{:/nomarkdown}\n{::options parse_block_html=\"true\" /}\n## З\n{: #}\n";
        assert_eq!(rewrite(ext), "АБ\n\n\n\n<b>x</b>\n\n## З\n\n");
        // Tags shown in code stay, and hide nothing.
        let shown = "Пишете `{::comment}` така.\n\n    {::comment}\nСледва.\n";
        assert_eq!(rewrite(shown), shown);
        // Code keeps its colons and braces.
        let code = "Rust `{:?}`, Python `{:.2f}`, **а**`{:ok, x}`.\n\n    {: .x}\n";
        assert_eq!(rewrite(code), code);
        // MkDocs' spelling, without the colon; braces of other kinds stay.
        assert_eq!(
            rewrite("## Глава\n{ #ch1 .wide }\n\nАбзац.\n{ .note data-x=\"1\" }\n"),
            "## Глава {#ch1 .wide}\n\n\nАбзац.\n\n"
        );
        for kept in ["{x}\n", "{\"a\": 1}\n", "{#if x}\n", "{ }\n", "{.}\n"] {
            assert_eq!(rewrite(kept), kept);
        }
        // Braces that hold no attribute list, or stand where none would.
        for kept in [
            "Текст\n{x=1}\n",
            "Текст\n{ a=1, b=2 }\n",
            "Текст\n{#1}\n",
            "<pre>\n{#note}\n</pre>\n",
            "- точка\n  {#note}\n",
            "Текст.\n\n{ .note }\n",
            "Текст\n{ .x title=\"a b }\n",
            "Текст\n{#a б}\n",
            "Текст\n{ .note é }\n",
        ] {
            assert_eq!(rewrite(kept), kept, "{kept}");
        }
        assert_eq!(
            rewrite("## Глава\n{ #ch1 title=\"Две думи\" }\n"),
            "## Глава {#ch1 title=\"Две думи\"}\n\n"
        );
    }
}
