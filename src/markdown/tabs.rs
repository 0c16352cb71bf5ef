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
    let mut in_tab = false;
    for (i, line) in lines.iter().enumerate() {
        if in_tab {
            match dedent(line, 1) {
                Some(body) => {
                    fences.is_code(body);
                    out.push_str(body);
                    continue;
                }
                None => in_tab = false,
            }
        }
        if fences.is_code(line) {
            out.push_str(line);
            continue;
        }
        let body_follows = lines[i + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| dedent(l, 1).is_some());
        match tab_title(line).filter(|_| body_follows) {
            Some(title) => {
                in_tab = true;
                let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
                out.push_str(&format!("**{title}**{ending}"));
            }
            None => out.push_str(line),
        }
    }
    out.into()
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
    }
}
