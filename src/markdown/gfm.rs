//! Markup of GitHub-flavoured pieces pulldown-cmark leaves bare: an
//! alert's word, a task box's name, and the ids HTML writes literally.

use pulldown_cmark::{BlockQuoteKind, Event};

/// The ids HTML writes literally (`<div id="intro">`, `id='x'`): a theme's
/// templates or a body's own HTML. Ids made from data (`id="{{ … }}"`) are
/// left out: they are the template's business.
pub fn written_ids(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices(" id=").filter_map(move |(at, _)| {
        // `### Title { id="x" }` gives the heading its own id: not one the
        // page's HTML takes (the heading got `x-1`). A short look back on
        // its line: attribute lists are short, and a long line stays linear.
        let mut from = at.saturating_sub(200);
        while !html.is_char_boundary(from) {
            from -= 1;
        }
        let near = &html[from..at];
        let near = near.rsplit('\n').next().unwrap_or(near);
        if near.rfind('{') > near.rfind(['<', '}']) {
            return None;
        }
        let rest = &html[at + 4..];
        let quote = rest.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let id = &rest[1..1 + rest[1..].find(quote)?];
        (!id.is_empty() && !id.contains(['{', '}', ' '])).then_some(id)
    })
}

/// An Obsidian or Hugo callout's first line from its quote's `>`
/// (`> [!tip]- Custom title`): its alert and the title, left unparsed.
/// pulldown-cmark reads `[!TIP]` only alone on its line, and only the five
/// GitHub types; a type of another tool's is the alert it means, or a note.
pub(super) fn callout(line: &str) -> Option<(BlockQuoteKind, &str)> {
    let rest = line.trim_start().strip_prefix('>')?;
    // Four spaces after the `>` (its own one aside) are indented code.
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    if rest.starts_with("    ") || rest.starts_with('\t') {
        return None;
    }
    let (kind, rest) = rest.trim_start().strip_prefix("[!")?.split_once(']')?;
    let is_type = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    if kind.is_empty() || !kind.chars().all(is_type) {
        return None;
    }
    // `-` folds the callout, `+` unfolds it: shown open either way.
    let title = rest.strip_prefix(['-', '+']).unwrap_or(rest);
    // GitHub's five by their names, then other tools' types.
    let github = ["note", "tip", "important", "warning", "caution"]
        .into_iter()
        .find(|name| kind.eq_ignore_ascii_case(name));
    let kind = match github
        .map(str::to_uppercase)
        .as_deref()
        .or_else(|| super::alerts::alert_kind(kind))
    {
        Some("TIP") => BlockQuoteKind::Tip,
        Some("IMPORTANT") => BlockQuoteKind::Important,
        Some("WARNING") => BlockQuoteKind::Warning,
        Some("CAUTION") => BlockQuoteKind::Caution,
        _ => BlockQuoteKind::Note,
    };
    Some((kind, title.trim()))
}

pub(super) fn alert_title(kind: pulldown_cmark::BlockQuoteKind, lang: &str) -> &'static str {
    use pulldown_cmark::BlockQuoteKind::*;
    match (lang, kind) {
        ("bg", Note) => "Бележка",
        ("bg", Tip) => "Съвет",
        ("bg", Important) => "Важно",
        ("bg", Warning) => "Внимание",
        ("bg", Caution) => "Предупреждение",
        (_, Note) => "Note",
        (_, Tip) => "Tip",
        (_, Important) => "Important",
        (_, Warning) => "Warning",
        (_, Caution) => "Caution",
    }
}

/// A task list's box, named for what it shows: a box without a name is a
/// form field no reader can tell apart (axe: label).
pub(super) fn task_marker<'a>(done: bool, lang: &str) -> Event<'a> {
    let name = match (lang, done) {
        ("bg", true) => "изпълнено",
        ("bg", false) => "предстои",
        (_, true) => "done",
        (_, false) => "to do",
    };
    let checked = if done { " checked" } else { "" };
    Event::InlineHtml(
        format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{name}\"> ").into(),
    )
}
/// Whether byte `at` of a line is inside a code span, as CommonMark reads
/// one: a run of backticks closed by a run of the same length (``` ``a`b`` ```).
/// A caller asking of many places in one line makes its [`CodeSpans`] once.
pub fn in_code_span(line: &str, at: usize) -> bool {
    CodeSpans::of(line).contains(at)
}

/// The code spans of a line, found in one pass: asked of every `{` or
/// `[[` of a long line, a scan from its start each time took minutes.
pub struct CodeSpans(Vec<std::ops::Range<usize>>);

impl CodeSpans {
    pub fn of(line: &str) -> CodeSpans {
        let bytes = line.as_bytes();
        if !bytes.contains(&b'`') {
            return CodeSpans(Vec::new());
        }
        // Each run of backticks: where it starts, how long it is.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            while i < bytes.len() && bytes[i] == b'`' {
                i += 1;
            }
            if i > start {
                runs.push((start, i - start));
            } else {
                i += 1;
            }
        }
        let mut by_length: std::collections::HashMap<usize, Vec<usize>> = Default::default();
        for (k, &(_, length)) in runs.iter().enumerate() {
            by_length.entry(length).or_default().push(k);
        }
        let mut spans = Vec::new();
        let mut k = 0;
        while k < runs.len() {
            let (at, length) = runs[k];
            // `\`` opens nothing: the run opens after it.
            let escaped = at > 0 && bytes[at - 1] == b'\\';
            let (open_at, open) = if escaped {
                (at + 1, length - 1)
            } else {
                (at, length)
            };
            // The next run of the same length closes it.
            let close = by_length.get(&open).and_then(|same| {
                let after = same.partition_point(|&j| j <= k);
                same.get(after).copied()
            });
            match close.filter(|_| open > 0) {
                Some(c) => {
                    spans.push(open_at..runs[c].0 + open);
                    k = c + 1;
                }
                None => k += 1,
            }
        }
        CodeSpans(spans)
    }

    /// Whether byte `at` is within a span, after its opening backtick.
    pub fn contains(&self, at: usize) -> bool {
        let after = self.0.partition_point(|span| span.start < at);
        after > 0 && at < self.0[after - 1].end
    }
}

#[cfg(test)]
mod tests {
    use super::in_code_span;

    #[test]
    fn code_spans_are_runs_of_backticks_closed_by_the_same() {
        let line = "a `b` c ``d`e`` f `g";
        let at = |s: &str| line.find(s).unwrap_or(0);
        assert!(!in_code_span(line, at("a")));
        assert!(in_code_span(line, at("b")));
        assert!(!in_code_span(line, at("c")));
        assert!(in_code_span(line, at("d")));
        assert!(in_code_span(line, at("e")));
        assert!(!in_code_span(line, at("f")));
        // An unclosed backtick opens nothing.
        assert!(!in_code_span(line, at("g")));
    }
}
