//! Obsidian's block ids: a paragraph or list item that ends in ` ^id` (or a
//! line `^id` after a table or a quote) can be linked to as `[[Page#^id]]`.
//! The mark is the block's anchor, never its text: it had been published
//! at the end of the paragraph, and links to it reached only the page.

use std::borrow::Cow;

use super::{CodeSpans, Fences, HtmlBlocks};

pub(super) fn anchor(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains('^') {
        return markdown.into();
    }
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::with_capacity(markdown.len() + 32);
    let mut fences = Fences::default();
    let mut html = HtmlBlocks::default();
    let mut anchored = false;
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        // An HTML block's text is its own.
        let in_html = html.is_html(line);
        let indented_code = line.starts_with("    ") || line.starts_with('\t');
        let ends_block = lines.get(i + 1).is_none_or(|next| starts_block(next));
        let found = (!fences.is_code(line) && !indented_code && !in_html && ends_block)
            .then(|| block_id(body))
            .flatten();
        let Some((text, id)) = found else {
            out.push_str(line);
            continue;
        };
        anchored = true;
        out.push_str(text);
        if !text.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("<span id=\"^{id}\"></span>"));
        out.push_str(&line[body.len()..]);
    }
    match anchored {
        true => out.into(),
        false => markdown.into(),
    }
}

/// Whether `line` starts a new block after a paragraph's or an item's last
/// line: a blank line, or another list item.
fn starts_block(line: &str) -> bool {
    let text = line.trim_start();
    let numbered = text.trim_start_matches(|c: char| c.is_ascii_digit());
    text.trim().is_empty()
        || ["- ", "* ", "+ "].iter().any(|mark| text.starts_with(mark))
        || (numbered.len() < text.len() && numbered.starts_with(['.', ')']))
}

/// The text before a block id that ends `line`, and the id: letters,
/// digits and `-` after a `^` that starts the line or follows a space, on a
/// line that is no heading, outside code.
fn block_id(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_end();
    let at = trimmed.rfind('^')?;
    let (text, id) = (&trimmed[..at], &trimmed[at + 1..]);
    // Two characters at least and a letter among them: `r ^2` and `x ^n`
    // are powers, not ids.
    let is_id = id.len() >= 2
        && id.chars().any(|c| c.is_ascii_alphabetic())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let stands_apart = text.is_empty() || text.ends_with([' ', '\t']);
    let heading = text.trim_start().starts_with('#');
    (is_id && stands_apart && !heading && !CodeSpans::of(line).contains(at))
        .then(|| (text.trim_end(), id))
}

#[cfg(test)]
mod tests {
    use super::anchor;

    #[test]
    fn a_block_id_is_the_blocks_anchor_and_no_text() {
        assert_eq!(
            anchor("Параграф. ^blok-1\n\n- точка ^x2\n\n^tabl\n"),
            "Параграф. <span id=\"^blok-1\"></span>\n\n- точка <span id=\"^x2\"></span>\n\n<span id=\"^tabl\"></span>\n"
        );
        // After a comment alone on its line, as a title heading's anchor is.
        assert_eq!(
            anchor("<!-- бележка -->\n- мляко ^milk\n"),
            "<!-- бележка -->\n- мляко <span id=\"^milk\"></span>\n"
        );
        for kept in [
            "x^2\n",
            "E = mc^2\n",
            "`a ^b`\n",
            "```\nтекст ^id\n```\n",
            "## Глава ^id\n",
            "Виж ^ това\n",
            "Площта расте като r ^2\n",
            "x ^n\n",
            "Ред ^id\nпродължава.\n",
            "<pre>\nтекст ^blok\n</pre>\n",
        ] {
            assert_eq!(anchor(kept), kept, "{kept}");
        }
    }
}
