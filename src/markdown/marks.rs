//! `==marked text==`, as Obsidian, Typora and MkDocs (pymdownx.mark) write
//! a highlight: shown as `<mark>`, where it had shown its equals signs. A
//! mark stands apart from words outside it, and holds no space at its
//! edges, so that `x==y`, `a == b` and `==` alone stay text. Read in the
//! parser's text, a mark holds text only: never code, HTML or an address.

const MARK: &str = "==";

/// The text cut into runs, each marked or not; `None` when nothing is marked.
pub fn marked(text: &str) -> Option<Vec<(&str, bool)>> {
    if !text.contains(MARK) {
        return None;
    }
    let mut runs = Vec::new();
    let mut from = 0;
    let mut search = 0;
    while let Some(open) = text[search..].find(MARK).map(|at| search + at) {
        let inner_start = open + MARK.len();
        if !opens(text, open) {
            search = inner_start + text[inner_start..].starts_with('=') as usize;
            continue;
        }
        // A closing mark that fits no opening one fits none after it either.
        let Some(close) = closing(text, inner_start) else {
            break;
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
fn closing(text: &str, from: usize) -> Option<usize> {
    let mut search = from;
    while let Some(at) = text[search..].find(MARK).map(|at| search + at) {
        let before = text[..at].chars().next_back();
        let after = text[at + MARK.len()..].chars().next();
        if at > from
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
    use super::marked;

    #[test]
    fn marks_stand_apart_and_comparisons_stay_text() {
        assert_eq!(
            marked("Това е ==важно== и ==това==."),
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
            assert_eq!(marked(plain), None, "{plain}");
        }
    }
}
