//! GitLab's multiline quote: a `>>>` line, the quoted lines, and a closing
//! `>>>` line. Read as the quote it is (each line given its `>`), it had
//! shown as text between two lines of `>>>`. The marker lines stay, blank,
//! so that line numbers hold.

use std::borrow::Cow;

use super::shortcodes::Fences;

const MARK: &str = ">>>";

pub(super) fn rewrite(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains(MARK) {
        return markdown.into();
    }
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut fences = Fences::default();
    let mut rewrote = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let closing = (!fences.is_code(line) && is_mark(line))
            .then(|| closing_mark(&lines[i + 1..]))
            .flatten()
            .map(|n| i + 1 + n);
        let Some(closing) = closing else {
            out.push_str(line);
            i += 1;
            continue;
        };
        let line_end = |line: &'_ str| line[line.trim_end().len()..].to_string();
        out.push_str(&line_end(line));
        for quoted in &lines[i + 1..closing] {
            match quoted.trim().is_empty() {
                true => out.push('>'),
                false => out.push_str("> "),
            }
            out.push_str(quoted);
        }
        out.push_str(&line_end(lines[closing]));
        rewrote = true;
        i = closing + 1;
    }
    match rewrote {
        true => out.into(),
        false => markdown.into(),
    }
}

fn is_mark(line: &str) -> bool {
    line.trim_end() == MARK
}

/// The quote's closing mark among `lines`: a `>>>` in a code block inside
/// the quote is code, not its end.
fn closing_mark(lines: &[&str]) -> Option<usize> {
    let mut fences = Fences::default();
    lines
        .iter()
        .position(|line| !fences.is_code(line) && is_mark(line))
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn a_multiline_quote_is_a_quote_and_code_is_left_alone() {
        assert_eq!(
            rewrite("Текст.\n\n>>>\nЦитат\n\nвтори ред\n>>>\nСлед.\n"),
            "Текст.\n\n\n> Цитат\n>\n> втори ред\n\nСлед.\n"
        );
        let code = "```\n>>>\nне е цитат\n>>>\n```\n";
        assert_eq!(rewrite(code), code);
        assert_eq!(
            rewrite(">>>\n```\n>>>\n```\n>>>\n"),
            "\n> ```\n> >>>\n> ```\n\n"
        );
        // Unclosed, or `>>>` with words after it: not GitLab's quote.
        for plain in [">>>\nсамо начало\n", ">>> a\nb\n>>>\n", "a >>> b\n"] {
            assert_eq!(rewrite(plain), plain);
        }
    }
}
