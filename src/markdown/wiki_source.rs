//! What a page's `[[…]]` are, settled in its source before the parser
//! reads Obsidian's wiki links:
//!
//! - `[[1]](#ref1)` (a citation's link) and `[[^1]]` (a footnote in
//!   brackets) are what CommonMark makes of them: their brackets are escaped.
//! - An embed's size (`![[photo.png|100]]`, `![[photo.png|Alt|100x200]]`)
//!   is no alt text: it is left out.
//!
//! Each change stays on its line (line numbers hold). Code spans and
//! indented code are left as written.

use std::borrow::Cow;

pub(super) fn prepare(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains("[[") {
        return markdown.into();
    }
    let needed = |line: &str| spans(line).any(|span| span.change(line).is_some());
    if !markdown.lines().any(needed) {
        return markdown.into();
    }
    super::shortcodes::rewrite_outside_fences(markdown, |_, _| None, prepare_line).into()
}

/// A `[[…]]` on a line: the offsets of its `[[` and `]]`.
#[derive(Clone, Copy)]
struct Span {
    open: usize,
    close: usize,
}

enum Change {
    /// `[[1]](#r)` → `[\[1\]](#r)`: a link whose text is `[1]`.
    LinkText,
    /// `[[^1]]` → `\[[^1]\]`: a bracket, the footnote, a bracket.
    Footnote,
    /// `|100` at this offset, left out of an embed.
    EmbedSize(usize),
}

impl Span {
    fn change(self, line: &str) -> Option<Change> {
        let inner = &line[self.open + 2..self.close];
        if inner.starts_with('^') {
            return Some(Change::Footnote);
        }
        if line[self.close + 2..].starts_with('(') {
            return Some(Change::LinkText);
        }
        let (_, size) = inner.rsplit_once('|')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let is_size = digits(size)
            || size
                .split_once('x')
                .is_some_and(|(w, h)| digits(w) && digits(h));
        let embed = line[..self.open].ends_with('!');
        // In a table the pipe is written `\|`: its backslash goes too.
        let pipe = self.close - size.len() - 1;
        let cut = pipe - usize::from(line[..pipe].ends_with('\\'));
        (embed && is_size).then_some(Change::EmbedSize(cut))
    }
}

fn prepare_line(line: &str) -> Option<String> {
    // Indented code shows its text as written; a nested list item's is text.
    let text = line.trim_start_matches([' ', '\t']);
    let indented = line.starts_with('\t') || line.len() - line.trim_start_matches(' ').len() >= 4;
    if indented && !super::containers::is_list_marker(text) {
        return None;
    }
    let mut out = String::with_capacity(line.len() + 4);
    let mut copied = 0;
    for span in spans(line) {
        let Span { open, close } = span;
        match span.change(line) {
            None => continue,
            Some(Change::Footnote) => {
                out.push_str(&line[copied..open]);
                out.push_str("\\[");
                out.push_str(&line[open + 1..close + 1]);
                out.push_str("\\]");
            }
            Some(Change::LinkText) => {
                out.push_str(&line[copied..open + 1]);
                out.push('\\');
                out.push_str(&line[open + 1..close]);
                out.push('\\');
                out.push_str(&line[close..close + 2]);
            }
            Some(Change::EmbedSize(at)) => {
                out.push_str(&line[copied..at]);
                out.push_str("]]");
            }
        }
        copied = close + 2;
    }
    (copied > 0).then(|| {
        out.push_str(&line[copied..]);
        out
    })
}

/// The `[[…]]` on a line outside code spans, with no brackets inside.
fn spans(line: &str) -> impl Iterator<Item = Span> + '_ {
    let mut from = 0;
    let code = super::CodeSpans::of(line);
    std::iter::from_fn(move || {
        loop {
            let open = from + line.get(from..)?.find("[[")?;
            let close = open + 2 + line[open + 2..].find("]]")?;
            from = close + 2;
            let inner = &line[open + 2..close];
            if !code.contains(open) && !inner.is_empty() && !inner.contains(['[', ']', '`']) {
                return Some(Span { open, close });
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::prepare as escape;

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
        assert_eq!(
            escape("![[p.png|100]] и [[Стр|200]]"),
            "![[p.png]] и [[Стр|200]]"
        );
        assert_eq!(escape("![[p.png|Алт|10x20]]."), "![[p.png|Алт]].");
        assert_eq!(escape("| ![[p.png\\|100]] |"), "| ![[p.png]] |");
        assert_eq!(
            escape("``[[1]](#r)`` и\t[[2]](#s)"),
            "``[[1]](#r)`` и\t[\\[2\\]](#s)"
        );
        assert_eq!(escape("\t[[1]](#r)"), "\t[[1]](#r)");
        assert_eq!(escape("    - б [[^a]]"), "    - б \\[[^a]\\]");
    }
}
