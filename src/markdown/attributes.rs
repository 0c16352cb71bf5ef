//! Attributes written after a heading, `{#id .class key=value}`.

use pulldown_cmark::CowStr;

/// A heading's `{key=value}` attributes with quoted values read as
/// goldmark and Pandoc read them (`title='a b'`), where the parser splits
/// at every space and keeps the quotes; a name HTML does not allow is left
/// out, so the heading stays well formed.
pub(super) fn quoted_attributes<'a>(
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
) -> Vec<(CowStr<'a>, String)> {
    let mut out: Vec<(CowStr<'a>, String)> = Vec::new();
    let mut open_quote: Option<char> = None;
    for (name, value) in attrs {
        if let Some(quote) = open_quote {
            // A word of the value still open: `b'` of `title='a b'`.
            let word = match &value {
                Some(v) => format!("{name}={v}"),
                None => name.to_string(),
            };
            if let Some((_, last)) = out.last_mut() {
                last.push(' ');
                last.push_str(word.strip_suffix(quote).unwrap_or(&word));
            }
            if word.ends_with(quote) {
                open_quote = None;
            }
            continue;
        }
        let value = value.as_deref().unwrap_or("");
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'');
        let value = match quote {
            Some(q) if value.len() > 1 && value.ends_with(q) => {
                value[1..value.len() - 1].to_string()
            }
            Some(q) => {
                open_quote = Some(q);
                value[1..].to_string()
            }
            None => value.to_string(),
        };
        let allowed = !name.is_empty()
            && !name
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "\"'<>/=`".contains(c));
        if allowed {
            out.push((name, value));
        } else if open_quote.is_some() {
            open_quote = None;
        }
    }
    out
}
