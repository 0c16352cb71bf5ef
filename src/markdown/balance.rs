//! Raw HTML written in Markdown, made whole: a tag opened and never closed
//! (`<b>` in a first paragraph) is closed where the block around it ends,
//! and a closing tag nothing opened is dropped. Unbalanced, one page's tag
//! would run on through the theme's footer, and one summary's through the
//! rest of a listing.

/// Elements that have no closing tag.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose end tag HTML lets out: another of the same name ends one.
const IMPLIED_END: [&str; 9] = ["li", "p", "td", "th", "tr", "dt", "dd", "option", "rt"];

/// Elements whose content is text, not tags, up to their own end tag.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// The HTML with every tag it opens closed and every stray closing tag
/// dropped, and the tags that had to be mended (`<b>`, `</i>`).
pub fn balanced(html: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(html.len() + 16);
    let mut open: Vec<&str> = Vec::new();
    let mut mended = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(len) = tag_length(rest) else {
            // A `<` that starts no complete tag is not markup: show it.
            out.push_str("&lt;");
            rest = &rest[1..];
            continue;
        };
        let (tag, after) = rest.split_at(len);
        rest = after;
        match tag_name(tag) {
            Some((name, true)) => match open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                Some(at) => {
                    for inner in open.drain(at..).skip(1).rev() {
                        if !is_one_of(inner, &IMPLIED_END) {
                            mended.push(format!("<{inner}>"));
                        }
                        out.push_str(&format!("</{inner}>"));
                    }
                    out.push_str(tag);
                }
                None => mended.push(tag.to_string()),
            },
            Some((name, false)) => {
                out.push_str(tag);
                if is_one_of(name, &RAW_TEXT) {
                    let end = raw_text_end(rest, name);
                    out.push_str(&rest[..end]);
                    rest = &rest[end..];
                } else if !is_one_of(name, &VOID_ELEMENTS) && !tag.ends_with("/>") {
                    if is_one_of(name, &IMPLIED_END)
                        && open.last().is_some_and(|o| o.eq_ignore_ascii_case(name))
                    {
                        open.pop();
                    }
                    open.push(name);
                }
            }
            // Comments, doctypes and processing instructions open nothing.
            None => out.push_str(tag),
        }
    }
    out.push_str(rest);
    for name in open.iter().rev() {
        if !is_one_of(name, &IMPLIED_END) {
            mended.push(format!("<{name}>"));
        }
        out.push_str(&format!("</{name}>"));
    }
    (out, mended)
}

/// The body line (1-based) a mended tag is written on, outside code: a
/// tag left open, the last line that opens it (`<b class="x">` for `<b>`);
/// a stray closing tag, the first that writes it.
pub fn line_of_tag(text: &str, tag: &str) -> Option<usize> {
    let tag = tag.to_ascii_lowercase();
    let start = tag.trim_end_matches('>');
    let closing = tag.starts_with("</");
    let mut fences = super::Fences::default();
    let mut found = None;
    for (i, line) in text.lines().enumerate() {
        let indented = line.starts_with('\t') || line.starts_with("    ");
        if fences.is_code(line) || indented {
            continue;
        }
        let lower = line.to_ascii_lowercase();
        let code = super::CodeSpans::of(line);
        let writes_it = lower.match_indices(start).any(|(at, _)| {
            let after = lower[at + start.len()..].chars().next();
            let whole = closing || after.is_none_or(|c| c == '>' || c == '/' || c.is_whitespace());
            whole && !code.contains(at)
        });
        if writes_it {
            found = Some(i + 1);
            if closing {
                break;
            }
        }
    }
    found
}

fn is_one_of(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Where a raw-text element ends: after its closing tag, else at the end.
fn raw_text_end(rest: &str, name: &str) -> usize {
    let closing = format!("</{}", name.to_ascii_lowercase());
    rest.to_ascii_lowercase()
        .find(&closing)
        .map_or(rest.len(), |at| {
            rest[at..].find('>').map_or(rest.len(), |end| at + end + 1)
        })
}

/// The length of the tag or comment at the start of `html`, quotes in
/// attribute values included; `None` when it never ends.
fn tag_length(html: &str) -> Option<usize> {
    if html.starts_with("<!--") {
        return html.find("-->").map(|end| end + 3);
    }
    let mut quote = None;
    for (i, c) in html.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// A tag's element name and whether it closes; `None` for a comment or
/// anything else that is not an element's tag.
fn tag_name(tag: &str) -> Option<(&str, bool)> {
    let inner = tag.strip_prefix('<')?;
    let (inner, closing) = match inner.strip_prefix('/') {
        Some(rest) => (rest, true),
        None => (inner, false),
    };
    let end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(inner.len());
    let name = &inner[..end];
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        .then_some((name, closing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mended_tag_is_found_where_it_is_written_outside_code() {
        let text = "Пишете `<b>` така: <b>това</b>.\n\n```html\n<b>\n```\n\nТук <b>без край.\n</i> и </i>\n";
        assert_eq!(super::line_of_tag(text, "<b>"), Some(7));
        assert_eq!(super::line_of_tag(text, "</i>"), Some(8));
    }

    #[test]
    fn whole_html_passes_as_it_is() {
        let html = "<p>a <b>b</b> <img src=\"x.png\" alt=\"a>b\"><br/></p>\n<ul><li>a<li>b</ul>\n<!-- <i> -->\n<script>if (a<b) { x(); }</script>\n<svg><path d=\"M0\"/></svg>\n<table><tr><td>1<td>2</table>";
        let (out, mended) = balanced(html);
        assert!(mended.is_empty(), "{mended:?}");
        assert!(out.starts_with("<p>a <b>b</b>"), "{out}");
        assert!(out.contains("<script>if (a<b) { x(); }</script>"), "{out}");
        assert!(out.contains("<ul><li>a<li>b</li></ul>"), "{out}");
    }

    #[test]
    fn an_open_tag_closes_with_its_block_and_a_stray_end_goes() {
        let (out, mended) = balanced("<p>Текст <b>удебелен</p>\n<p>нататък</i></p>\n<div>край");
        assert_eq!(
            out,
            "<p>Текст <b>удебелен</b></p>\n<p>нататък</p>\n<div>край</div>"
        );
        assert_eq!(mended, ["<b>", "</i>", "<div>"]);
    }
}
