//! `[[1]](#ref1)` (a citation's link) and `[[^1]]` (a footnote in
//! brackets) are what CommonMark makes of them, not Obsidian wiki links:
//! their brackets are escaped before the parser, which reads wiki links
//! everywhere else on the page.

use std::borrow::Cow;

/// The Markdown with the inner brackets of each such `[[…]]` escaped, on
/// the same line (line numbers hold).
pub(super) fn escape_brackets_that_are_no_wiki_links(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains("[[") {
        return markdown.into();
    }
    let needed = |line: &str| wiki_like_spans(line).next().is_some();
    if !markdown.lines().any(needed) {
        return markdown.into();
    }
    super::shortcodes::rewrite_outside_fences(markdown, |_, _| None, escape_line).into()
}

fn escape_line(line: &str) -> Option<String> {
    // Indented code shows its text as written.
    if line.len() - line.trim_start_matches(' ').len() >= 4 {
        return None;
    }
    let mut out = String::with_capacity(line.len() + 4);
    let mut copied = 0;
    for (open, close) in wiki_like_spans(line) {
        let inner = &line[open + 2..close];
        if inner.starts_with('^') {
            // `\[[^1]\]`: a bracket, the footnote, a bracket.
            out.push_str(&line[copied..open]);
            out.push_str("\\[");
            out.push_str(&line[open + 1..close + 1]);
            out.push_str("\\]");
        } else {
            // `[\[1\]](#ref1)`: a link whose text is `[1]`.
            out.push_str(&line[copied..open + 1]);
            out.push('\\');
            out.push_str(&line[open + 1..close]);
            out.push('\\');
            out.push_str(&line[close..close + 2]);
        }
        copied = close + 2;
    }
    (copied > 0).then(|| {
        out.push_str(&line[copied..]);
        out
    })
}

/// The `[[…]]` on a line (their `[[` and `]]` offsets) that are a link's
/// text followed by its `(destination)`, or a footnote in brackets, outside
/// code spans.
fn wiki_like_spans(line: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        loop {
            let open = from + line.get(from..)?.find("[[")?;
            let close = open + 2 + line[open + 2..].find("]]")?;
            from = close + 2;
            let inner = &line[open + 2..close];
            let in_code_span = line[..open].matches('`').count() % 2 == 1;
            if in_code_span || inner.is_empty() || inner.contains(['[', ']', '`']) {
                continue;
            }
            let footnote = inner.starts_with('^');
            let link_text = line[close + 2..].starts_with('(');
            if footnote || link_text {
                return Some((open, close));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::escape_brackets_that_are_no_wiki_links as escape;

    #[test]
    fn citations_and_footnotes_are_escaped_and_wiki_links_are_not() {
        assert_eq!(
            escape("Виж [[1]](#r) и [[Друго]]."),
            "Виж [\\[1\\]](#r) и [[Друго]]."
        );
        assert_eq!(escape("Бележка [[^a]] тук."), "Бележка \\[[^a]\\] тук.");
        assert_eq!(
            escape("`[[1]](#r)` и [[2]](#s)"),
            "`[[1]](#r)` и [\\[2\\]](#s)"
        );
        assert_eq!(escape("```\n[[1]](#r)\n```\n"), "```\n[[1]](#r)\n```\n");
        assert_eq!(escape("[[a]][[b]](x)"), "[[a]][\\[b\\]](x)");
    }
}
