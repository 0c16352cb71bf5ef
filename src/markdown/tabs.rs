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
    // The indent of the tab group last met, until a line of other text.
    let mut group_at: Option<usize> = None;
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
            group_at = None;
            out.push_str(line);
            continue;
        }
        let at = line.len() - line.trim_start_matches(' ').len();
        let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
        let body_follows =
            next.is_some_and(|l| within(l, at).and_then(|rest| dedent(rest, 1)).is_some());
        // An empty tab is one of a group: another tab is before or after it.
        let tab_follows = next.is_some_and(|l| {
            l.len() - l.trim_start_matches(' ').len() == at && tab_title(l.trim()).is_some()
        });
        let in_group = body_follows || tab_follows || group_at == Some(at);
        match tab_title(&line[at..]).filter(|_| in_group) {
            Some(title) => {
                (tab_at, group_at) = (Some(at), Some(at));
                let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
                out.push_str(&format!("{}**{title}**{ending}", &line[..at]));
            }
            None => {
                if !line.trim().is_empty() {
                    group_at = None;
                }
                out.push_str(line)
            }
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
        // Empty tabs of a group are titles too.
        assert_eq!(
            rewrite("=== \"Едно\"\n\n=== \"Две\"\n\nСлед.\n"),
            "**Едно**\n\n**Две**\n\nСлед.\n"
        );
        // In an admonition's indented text.
        let md =
            "!!! note\n\n    === \"А\"\n\n        Едно.\n\n    === \"Б\"\n        Две.\nСлед.\n";
        assert_eq!(
            rewrite(md),
            "!!! note\n\n    **А**\n\n    Едно.\n\n    **Б**\n    Две.\nСлед.\n"
        );
    }
}
