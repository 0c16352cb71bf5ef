//! Liquid's comments, `{% comment %}` … `{% endcomment %}`, on one line or
//! over several: Jekyll never shows what they hold. It was published, in the
//! page, its description and the feeds. Code keeps them; the lines stay, so
//! that line numbers hold.

use std::borrow::Cow;

use super::{CodeSpans, Fences};

pub(super) fn strip(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains("comment") || !markdown.contains("{%") {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len());
    let mut fences = Fences::default();
    let mut in_comment = false;
    let mut stripped = false;
    for line in markdown.split_inclusive('\n') {
        if !in_comment && fences.is_code(line) {
            out.push_str(line);
            continue;
        }
        let body = line.trim_end_matches(['\n', '\r']);
        let code = CodeSpans::of(body);
        let mut from = 0;
        let mut search = 0;
        while let Some((at, end, name)) = next_tag(body, search) {
            search = end;
            let opens = !in_comment && name == "comment" && !code.contains(at);
            let closes = in_comment && name == "endcomment";
            if opens {
                out.push_str(&body[from..at]);
                in_comment = true;
                stripped = true;
            } else if closes {
                in_comment = false;
                from = end;
            }
        }
        if !in_comment {
            out.push_str(&body[from..]);
        }
        out.push_str(&line[body.len()..]);
    }
    // A comment never closed would hide the rest of the page: kept as written.
    match stripped && !in_comment {
        true => out.into(),
        false => markdown.into(),
    }
}

/// The next Liquid tag from `from`: where it starts and ends, and its name.
fn next_tag(line: &str, from: usize) -> Option<(usize, usize, &str)> {
    let at = from + line[from..].find("{%")?;
    let end = at + line[at..].find("%}")? + 2;
    let inner = line[at + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
    Some((at, end, inner.split_whitespace().next().unwrap_or("")))
}

#[cfg(test)]
mod tests {
    use super::strip;

    #[test]
    fn comments_are_left_out_and_code_keeps_them() {
        assert_eq!(strip("А {% comment %}скрито{% endcomment %} Б\n"), "А  Б\n");
        assert_eq!(
            strip("А\n{%- comment -%}\nдва\nреда\n{% endcomment %}\nБ\n"),
            "А\n\n\n\n\nБ\n"
        );
        for kept in [
            "`{% comment %}` е таг.\n",
            "```\n{% comment %}\n```\n",
            "{% comment %} без край\n\nТекст.\n",
        ] {
            assert_eq!(strip(kept), kept, "{kept}");
        }
    }
}
