//! MkDocs Material's content tabs, `=== "Tab"` with the tab's content
//! indented below it: dunav shows each tab's title in bold and its content
//! after it, one tab after another (a page without the tabs' script reads
//! them all). They came out as a paragraph and a code block.
//!
//! Each line stays one line, so that line numbers hold.

use std::borrow::Cow;

use super::Fences;
use super::containers::dedent;

pub(super) fn rewrite(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains("=== \"")
        && !markdown.contains("===! \"")
        && !markdown.contains("===+ \"")
    {
        return markdown.into();
    }
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::with_capacity(markdown.len());
    let mut fences = Fences::default();
    // The indent of the open tab's `===` (a tab may be in an admonition's
    // or a list item's indented text): its content is indented four more.
    let mut tab_at: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(at) = tab_at {
            match within(line, at).and_then(|rest| dedent(rest, 1)) {
                Some(body) => {
                    fences.is_code(body);
                    out.push_str(&line[..at.min(line.len() - body.len())]);
                    out.push_str(body);
                    continue;
                }
                None => tab_at = None,
            }
        }
        if fences.is_code(line) {
            out.push_str(line);
            continue;
        }
        let at = line.len() - line.trim_start_matches(' ').len();
        let body_follows = lines[i + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| within(l, at).and_then(|rest| dedent(rest, 1)).is_some());
        match tab_title(&line[at..]).filter(|_| body_follows) {
            Some(title) => {
                tab_at = Some(at);
                let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
                out.push_str(&format!("{}**{title}**{ending}", &line[..at]));
            }
            None => out.push_str(line),
        }
    }
    out.into()
}

/// A line's text after the first `at` columns, when those are spaces (a
/// blank line is in any block).
fn within(line: &str, at: usize) -> Option<&str> {
    if line.trim().is_empty() {
        return Some(line.trim_start_matches([' ', '\t']));
    }
    line.get(..at)
        .filter(|indent| indent.bytes().all(|b| b == b' '))?;
    Some(&line[at..])
}

/// `=== "Title"` (`===!` and `===+` too): the title.
fn tab_title(line: &str) -> Option<&str> {
    let rest = ["=== ", "===! ", "===+ "]
        .iter()
        .find_map(|marker| line.strip_prefix(marker))?
        .trim();
    let title = rest.strip_prefix('"')?.strip_suffix('"')?;
    (!title.trim().is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn tabs_are_titles_and_their_content() {
        let md = "=== \"C\"\n\n    ```c\n    int x;\n\n    ```\n\n=== \"Rust\"\n    Текст.\n\nСлед.\n=== \"Празен\"\nНе е раздел.\n";
        let out = rewrite(md);
        assert_eq!(
            out,
            "**C**\n\n```c\nint x;\n\n```\n\n**Rust**\nТекст.\n\nСлед.\n=== \"Празен\"\nНе е раздел.\n"
        );
        assert_eq!(out.lines().count(), md.lines().count());
        // In an admonition's indented text.
        let md =
            "!!! note\n\n    === \"А\"\n\n        Едно.\n\n    === \"Б\"\n        Две.\nСлед.\n";
        assert_eq!(
            rewrite(md),
            "!!! note\n\n    **А**\n\n    Едно.\n\n    **Б**\n    Две.\nСлед.\n"
        );
    }
}
