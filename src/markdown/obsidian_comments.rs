//! Obsidian's comments: what `%%` … `%%` holds, on one line or over
//! several, is for the vault's author and never shown. It was published,
//! in the page, its description, the feeds and the search index. Code
//! keeps its `%%`; the lines stay, so that line numbers hold.

use std::borrow::Cow;

use super::{CodeSpans, Fences};

const MARK: &str = "%%";

pub(super) fn strip(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains(MARK) {
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
        for (at, _) in body.match_indices(MARK) {
            // `50%%` and `printf("%%d")` open no comment: an opening mark stands apart.
            let glued = !in_comment
                && body[..at].ends_with(|c: char| c.is_alphanumeric() || "\"'%".contains(c));
            // Over several lines, a comment opens at the start of its line
            // (`%%` alone, or `%% text`): one opened mid-line closes on it.
            let open_mid_line = !in_comment
                && !body[..at].trim().is_empty()
                && !body[at + MARK.len()..].contains(MARK);
            if at < from || glued || open_mid_line || (!in_comment && code.contains(at)) {
                continue;
            }
            if !in_comment {
                out.push_str(&body[from..at]);
            }
            in_comment = !in_comment;
            stripped = true;
            from = at + MARK.len();
        }
        if !in_comment {
            out.push_str(&body[from..]);
        }
        out.push_str(&line[body.len()..]);
    }
    // A `%%` never closed (`50%% off`) would hide the rest of the page:
    // such a page is not Obsidian's, and keeps its text.
    match stripped && !in_comment {
        true => out.into(),
        false => markdown.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::strip;

    #[test]
    fn comments_are_left_out_and_code_keeps_its_marks() {
        assert_eq!(strip("Текст %%скрито%% още.\n"), "Текст  още.\n");
        assert_eq!(strip("А\n%%\nдва\nреда\n%%\nБ\n"), "А\n\n\n\n\nБ\n");
        for kept in [
            "`printf(\"%%d\")` е код.\n",
            "```\n%%\n```\n",
            "100% и 50%\n",
            "Отстъпка 50%% за всички.\n\nОще текст.\n",
            "Отстъпка 50%% и printf(\"%%d\").\n",
            "В SQL %% е остатък.\n\nГотово на 100%%.\n",
        ] {
            assert_eq!(strip(kept), kept);
        }
    }
}
