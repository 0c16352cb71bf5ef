//! `==marked text==`, as Obsidian, Typora and MkDocs (pymdownx.mark) write
//! a highlight: shown as `<mark>`, where it had shown its equals signs. A
//! mark stands apart from words outside it, and holds no space at its
//! edges, so that `x==y`, `a == b` and `==` alone stay text. Written as the
//! tags before the Markdown is read, so that a mark may hold a link or
//! emphasis, in a heading too; code keeps its signs, and a mark stays on its
//! line.

use std::borrow::Cow;

use super::{CodeSpans, Fences};

const MARK: &str = "==";

pub(super) fn rewrite(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains(MARK) {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len() + 32);
    let mut fences = Fences::default();
    let mut rewrote = false;
    for line in markdown.split_inclusive('\n') {
        let indented_code = line.starts_with("    ") || line.starts_with('\t');
        if fences.is_code(line) || indented_code || !line.contains(MARK) {
            out.push_str(line);
            continue;
        }
        let code = CodeSpans::of(line);
        let Some(runs) = marked(line, |at| !code.contains(at)) else {
            out.push_str(line);
            continue;
        };
        rewrote = true;
        for (run, is_marked) in runs {
            match is_marked {
                true => {
                    out.push_str("<mark>");
                    out.push_str(run);
                    out.push_str("</mark>");
                }
                false => out.push_str(run),
            }
        }
    }
    match rewrote {
        true => out.into(),
        false => markdown.into(),
    }
}

/// The text cut into runs, each marked or not; `None` when nothing is
/// marked. `usable` says whether a mark at a byte may count (not in code).
fn marked(text: &str, usable: impl Fn(usize) -> bool) -> Option<Vec<(&str, bool)>> {
    if !text.contains(MARK) {
        return None;
    }
    let mut runs = Vec::new();
    let mut from = 0;
    let mut search = 0;
    while let Some(open) = text[search..].find(MARK).map(|at| search + at) {
        let inner_start = open + MARK.len();
        let close = (usable(open) && opens(text, open))
            .then(|| closing(text, inner_start, &usable))
            .flatten();
        let Some(close) = close else {
            search = inner_start + text[inner_start..].starts_with('=') as usize;
            continue;
        };
        runs.push((&text[from..open], false));
        runs.push((&text[inner_start..close], true));
        from = close + MARK.len();
        search = from;
    }
    if runs.is_empty() {
        return None;
    }
    runs.push((&text[from..], false));
    runs.retain(|(run, marked)| *marked || !run.is_empty());
    Some(runs)
}

/// An opening mark: not glued to a word or another `=` before it, and
/// followed by neither a space nor `=`.
fn opens(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + MARK.len()..].chars().next();
    before.is_none_or(|c| !c.is_alphanumeric() && c != '=')
        && after.is_some_and(|c| !c.is_whitespace() && c != '=')
}

/// The closing mark of one opened before `from`: preceded by no space and
/// glued to no word or `=` after it.
fn closing(text: &str, from: usize, usable: impl Fn(usize) -> bool) -> Option<usize> {
    let mut search = from;
    while let Some(at) = text[search..].find(MARK).map(|at| search + at) {
        let before = text[..at].chars().next_back();
        let after = text[at + MARK.len()..].chars().next();
        if at > from
            && usable(at)
            && before.is_some_and(|c| !c.is_whitespace())
            && after.is_none_or(|c| !c.is_alphanumeric() && c != '=')
        {
            return Some(at);
        }
        search = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{marked, rewrite};

    #[test]
    fn marks_stand_apart_and_comparisons_stay_text() {
        assert_eq!(
            marked("Това е ==важно== и ==това==.", |_| true),
            Some(vec![
                ("Това е ", false),
                ("важно", true),
                (" и ", false),
                ("това", true),
                (".", false)
            ])
        );
        for plain in [
            "x==y",
            "a == b",
            "==",
            "==== заглавие",
            "a ==b",
            "== a ==",
            "x==y and z==w",
        ] {
            assert_eq!(marked(plain, |_| true), None, "{plain}");
        }
    }

    #[test]
    fn code_keeps_its_signs() {
        assert_eq!(rewrite("`==a==` и ==б==\n"), "`==a==` и <mark>б</mark>\n");
        let code = "```\n==a==\n```\n    ==b==\n";
        assert_eq!(rewrite(code), code);
    }
}
