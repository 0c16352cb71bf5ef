//! `![Screenshot](Screenshot 2024-05-01 101010.png)`: an address with
//! spaces, as screenshot tools name files and Obsidian and Typora accept
//! it. CommonMark reads no link there and showed the text as written; an
//! address that ends in a file's extension is read as if written in `<…>`,
//! and then checked as any link.

use std::borrow::Cow;

use super::{CodeSpans, Fences};

/// The extensions of files a page links to or shows.
const EXTENSIONS: [&str; 12] = [
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".pdf", ".md", ".mp4", ".zip",
    ".txt",
];

pub(super) fn bracketed(markdown: &str) -> Cow<'_, str> {
    // Most pages have links, few with spaces: no walk over their lines.
    let any = markdown
        .match_indices("](")
        .any(|(at, _)| spaced_address_end(&markdown[at + 2..]).is_some());
    if !any {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len() + 16);
    let mut fences = Fences::default();
    let mut changed = false;
    for line in markdown.split_inclusive('\n') {
        if fences.is_code(line) || !line.contains("](") {
            out.push_str(line);
            continue;
        }
        let code = CodeSpans::of(line);
        let mut from = 0;
        for (at, _) in line.match_indices("](") {
            let start = at + 2;
            if start < from || code.contains(at) {
                continue;
            }
            let Some(end) = spaced_address_end(&line[start..]).map(|n| start + n) else {
                continue;
            };
            out.push_str(&line[from..start]);
            out.push('<');
            out.push_str(&line[start..end]);
            out.push('>');
            from = end;
            changed = true;
        }
        out.push_str(&line[from..]);
    }
    match changed {
        true => out.into(),
        false => markdown.into(),
    }
}

/// Where an address with a space that ends in a file's extension ends,
/// right before its `)`; `None` for any other (one in `<…>`, with a title,
/// without spaces).
fn spaced_address_end(rest: &str) -> Option<usize> {
    let end = rest.find(')')?;
    let address = &rest[..end];
    // `primer .md` is a typo more likely than a name: left as written.
    let spaced = address.contains(' ') && !address.starts_with(' ') && !address.contains(" .");
    let plain =
        || !address.starts_with('<') && !address.contains(['"', '\'', '(', '[', ']', '<', '>']);
    let file = || {
        let bytes = address.as_bytes();
        EXTENSIONS.iter().any(|e| {
            bytes.len() >= e.len()
                && bytes[bytes.len() - e.len()..].eq_ignore_ascii_case(e.as_bytes())
        })
    };
    (spaced && plain() && file()).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::bracketed;

    #[test]
    fn a_file_named_with_spaces_is_an_address() {
        assert_eq!(
            bracketed("![Екран](Screenshot 2024-05-01 101010.png) и [файл](моят файл.pdf).\n"),
            "![Екран](<Screenshot 2024-05-01 101010.png>) и [файл](<моят файл.pdf>).\n"
        );
        for kept in [
            "[a](b.png \"Заглавие\")\n",
            "[a](<c d.png>)\n",
            "[a](https://x.org/a)\n",
            "`[a](b c.png)`\n",
            "```\n[a](b c.png)\n```\n",
            "[a](b c)\n",
            "[a](primer .md)\n",
        ] {
            assert_eq!(bracketed(kept), kept, "{kept}");
        }
    }
}
