//! Comments a page's author keeps out of the page, on one line or over
//! several: Obsidian's `%%` … `%%` and Liquid's (Jekyll's) `{% comment %}`
//! … `{% endcomment %}`. What they hold was published, in the page, its
//! description, the feeds and the search index. Code keeps its marks; the
//! lines stay, so that line numbers hold; and a comment never closed would
//! hide the rest of the page, so such a page keeps its text.

use std::borrow::Cow;

use super::{CodeSpans, Fences};

const OBSIDIAN_MARK: &str = "%%";

pub(super) fn strip_obsidian(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains(OBSIDIAN_MARK) {
        return markdown.into();
    }
    strip_between(markdown, |body, from, in_comment| {
        body[from..]
            .match_indices(OBSIDIAN_MARK)
            .map(|(at, _)| from + at)
            .find(|&at| in_comment || opens_obsidian(body, at))
            .map(|at| (at, at + OBSIDIAN_MARK.len()))
    })
}

/// Whether a `%%` opens a comment: not glued to a word (`50%%`,
/// `printf("%%d")`), and, opened mid-line, closed on its line; over several
/// lines a comment opens at the start of its line (`%%` alone, or `%% text`).
fn opens_obsidian(body: &str, at: usize) -> bool {
    let glued = body[..at].ends_with(|c: char| c.is_alphanumeric() || "\"'%".contains(c));
    let open_mid_line =
        !body[..at].trim().is_empty() && !body[at + OBSIDIAN_MARK.len()..].contains(OBSIDIAN_MARK);
    !glued && !open_mid_line
}

pub(super) fn strip_liquid(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains("comment") || !markdown.contains("{%") {
        return markdown.into();
    }
    strip_between(markdown, |body, mut from, in_comment| {
        let wanted = if in_comment { "endcomment" } else { "comment" };
        loop {
            let (at, end, name) = liquid_tag(body, from)?;
            if name == wanted {
                return Some((at, end));
            }
            from = end;
        }
    })
}

/// Hugo's `{{< comment >}}` … `{{< /comment >}}` (or `{{% … %}}`): text
/// the page keeps for its editors, never published.
pub(super) fn strip_hugo(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains("comment") || !markdown.contains("{{") {
        return markdown.into();
    }
    strip_between(markdown, |body, mut from, in_comment| {
        let wanted = if in_comment { "/comment" } else { "comment" };
        loop {
            let (at, end, name) = hugo_call(body, from)?;
            if name == wanted {
                return Some((at, end));
            }
            from = end;
        }
    })
}

/// The next Hugo call from `from`: where it starts and ends, and its name
/// (`/comment` for a closing one).
fn hugo_call(line: &str, from: usize) -> Option<(usize, usize, String)> {
    let at = from + line[from..].find("{{")?;
    let close = match line[at + 2..].chars().next()? {
        '<' => ">}}",
        '%' => "%}}",
        _ => return hugo_call(line, at + 2),
    };
    let end = at + line[at..].find(close)? + 3;
    let inner = line[at + 3..end - 3].trim();
    let name = match inner.strip_prefix('/') {
        Some(closing) => format!("/{}", closing.trim_start()),
        None => inner.split_whitespace().next().unwrap_or("").to_string(),
    };
    Some((at, end, name))
}

/// The next Liquid tag from `from`: where it starts and ends, and its name.
fn liquid_tag(line: &str, from: usize) -> Option<(usize, usize, &str)> {
    let at = from + line[from..].find("{%")?;
    let end = at + line[at..].find("%}")? + 2;
    let inner = line[at + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
    Some((at, end, inner.split_whitespace().next().unwrap_or("")))
}

/// The text without what comments hold. `next_mark(line, from, in_comment)`
/// finds the next mark at or after `from` that opens a comment (or, in one,
/// closes it): where it starts and ends. A mark that would open one in a
/// code span is passed over.
fn strip_between(
    markdown: &str,
    next_mark: impl Fn(&str, usize, bool) -> Option<(usize, usize)>,
) -> Cow<'_, str> {
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
        // `from`: the text not yet copied or left out; `search`: where the next mark may be.
        let (mut from, mut search) = (0, 0);
        while let Some((at, end)) = next_mark(body, search, in_comment) {
            search = end;
            if !in_comment && code.contains(at) {
                continue;
            }
            if !in_comment {
                out.push_str(&body[from..at]);
            }
            in_comment = !in_comment;
            stripped = true;
            from = end;
        }
        if !in_comment {
            out.push_str(&body[from..]);
        }
        out.push_str(&line[body.len()..]);
    }
    match stripped && !in_comment {
        true => out.into(),
        false => markdown.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{strip_hugo, strip_liquid, strip_obsidian};

    #[test]
    fn obsidian_comments_are_left_out_and_code_keeps_its_marks() {
        assert_eq!(strip_obsidian("Текст %%скрито%% още.\n"), "Текст  още.\n");
        assert_eq!(
            strip_obsidian("А\n%%\nдва\nреда\n%%\nБ\n"),
            "А\n\n\n\n\nБ\n"
        );
        for kept in [
            "`printf(\"%%d\")` е код.\n",
            "```\n%%\n```\n",
            "100% и 50%\n",
            "Отстъпка 50%% за всички.\n\nОще текст.\n",
            "Отстъпка 50%% и printf(\"%%d\").\n",
            "В SQL %% е остатък.\n\nГотово на 100%%.\n",
        ] {
            assert_eq!(strip_obsidian(kept), kept);
        }
    }

    #[test]
    fn liquid_comments_are_left_out_and_code_keeps_them() {
        assert_eq!(
            strip_liquid("А {% comment %}скрито{% endcomment %} Б\n"),
            "А  Б\n"
        );
        assert_eq!(
            strip_liquid("А\n{%- comment -%}\nдва\nреда\n{% endcomment %}\nБ\n"),
            "А\n\n\n\n\nБ\n"
        );
        for kept in [
            "`{% comment %}` е таг.\n",
            "```\n{% comment %}\n```\n",
            "{% comment %} без край\n\nТекст.\n",
        ] {
            assert_eq!(strip_liquid(kept), kept, "{kept}");
        }
    }

    #[test]
    fn hugo_comments_are_left_out_and_code_keeps_them() {
        assert_eq!(
            strip_hugo("А {{< comment >}}скрито{{< /comment >}} Б\n"),
            "А  Б\n"
        );
        assert_eq!(
            strip_hugo(
                "А\n{{% comment %}}\nдва {{< ref \"x\" >}}\n{{%/* нищо */%}}\n{{% /comment %}}\nБ\n"
            ),
            "А\n\n\n\n\nБ\n"
        );
        for kept in [
            "`{{< comment >}}` е извикване.\n",
            "```\n{{< comment >}}\n```\n",
            "{{< comment >}} без край\n\nТекст.\n",
            "{{< commentary >}}x{{< /commentary >}}\n",
        ] {
            assert_eq!(strip_hugo(kept), kept, "{kept}");
        }
    }
}
