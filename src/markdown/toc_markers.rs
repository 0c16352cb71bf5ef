//! Other tools' markers for a page's table of contents, alone on their
//! line: VitePress' `[[toc]]`, GitLab's `[[_TOC_]]`, Python-Markdown's
//! (MkDocs') `[TOC]` and `${toc}`. The theme shows the contents, so each is
//! left out (its line kept blank, so that line numbers hold), never shown
//! as text. So are kramdown's and MkDocs' abbreviations (`*[HTML]: Hyper
//! Text Markup Language`), definitions that show nothing where written.

use std::borrow::Cow;

const MARKERS: [&str; 4] = ["[[toc]]", "[[_toc_]]", "[toc]", "${toc}"];

pub(super) fn blank(markdown: &str) -> Cow<'_, str> {
    let is_marker = |line: &str| {
        MARKERS.iter().any(|m| line.trim().eq_ignore_ascii_case(m)) || is_abbreviation(line)
    };
    let has_marker = markdown.contains("*[")
        || MARKERS
            .iter()
            .any(|m| markdown.contains(m) || markdown.contains(&*m.to_uppercase()));
    if !has_marker || !markdown.lines().any(is_marker) {
        return markdown.into();
    }
    let line = |text: &str| is_marker(text).then(|| text[text.trim_end().len()..].to_string());
    super::shortcodes::rewrite_outside_fences(markdown, |_, _| None, line).into()
}

/// `*[HTML]: Hyper Text Markup Language` at the start of a line.
fn is_abbreviation(line: &str) -> bool {
    line.strip_prefix("*[")
        .and_then(|rest| rest.split_once("]:"))
        .is_some_and(|(name, _)| !name.is_empty() && !name.contains(['[', ']']))
}

#[cfg(test)]
mod tests {
    use super::blank;

    #[test]
    fn contents_markers_are_left_out_outside_code() {
        assert_eq!(blank("[[toc]]\n\n# А\n"), "\n\n# А\n");
        assert_eq!(
            blank("[TOC]\nТекст [toc] в реда.\n"),
            "\nТекст [toc] в реда.\n"
        );
        assert_eq!(blank("```\n[[toc]]\n```\n"), "```\n[[toc]]\n```\n");
        assert_eq!(blank("[[_TOC_]]\nТекст.\n"), "\nТекст.\n");
        assert_eq!(
            blank("HTML е език.\n\n*[HTML]: Hyper Text Markup Language\n*[x] не е.\n"),
            "HTML е език.\n\n\n*[x] не е.\n"
        );
    }
}
