//! A content file's text as every later stage reads it: checked as UTF-8,
//! its line ends made LF, a BOM and stray control characters taken out.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// A file's bytes and its time of change, asked of the open file: a second
/// lookup by path was a tenth of reading a content file.
fn read_with_time(path: &Path) -> std::io::Result<(Vec<u8>, Option<jiff::Timestamp>)> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok());
    // Room for the whole file and one byte more, to see its end: read
    // through `take`, std would ask for the file's size again.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0) + 1);
    (&file).take(u64::MAX).read_to_end(&mut bytes)?;
    Ok((bytes, modified))
}

/// A content file's text, line ends made LF, and its time of change.
pub(crate) fn read_text(
    root: &Path,
    rel: &Path,
) -> Result<(String, Option<jiff::Timestamp>), Diagnostic> {
    let (bytes, modified) = read_with_time(&root.join(rel))
        .map_err(|e| Diagnostic::error(rel, format!("cannot read the file: {e}")))?;
    // 80 MB of content at 10,000 pages: simdutf8 checks it several times
    // faster than std, which then only reports where a bad file goes wrong.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just found `bytes` to be valid UTF-8.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return Ok((normalise_text(text), modified));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((normalise_text(text), modified)),
        Err(e) => {
            let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let d = Diagnostic::error(rel, "the file is not valid UTF-8; save it as UTF-8");
            Err(d.at_line(line))
        }
    }
}

/// Strips a BOM and turns CRLF and lone CR line ends into LF; an editor
/// counts lines the same way, so line numbers stay right.
pub fn normalise_text(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if !has_control_bytes(text.as_bytes()) {
        return text;
    }
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    // CommonMark: a NUL is read as U+FFFD, in the text and in every field.
    let text = if text.contains('\0') {
        text.replace('\0', "\u{FFFD}")
    } else {
        text
    };
    // Other control characters are no HTML, XML or iCalendar text: Word's
    // line break (VT) and a form feed are spaces, the rest are left out.
    let control = |c: char| c.is_ascii_control() && !matches!(c, '\t' | '\n');
    if !text.bytes().any(|b| control(b as char)) {
        return text;
    }
    text.chars()
        .filter_map(|c| match c {
            '\u{b}' | '\u{c}' => Some(' '),
            c if control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Every text in a front matter value mended as `normalise_text` mends a
/// file: control characters written as escapes (`"a\vb"` in YAML, `"\u0007"`
/// in TOML) reached the HTML, the feeds and the `.ics`, which forbid them.
pub fn mend_value(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) if has_control_bytes(text.as_bytes()) => {
            *text = normalise_text(std::mem::take(text));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mend_value),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(mend_value),
        _ => {}
    }
}

/// Whether `bytes` hold a control character other than tab and LF (CR, NUL
/// and the rest `normalise_text` mends). Folded over fixed blocks, so that
/// the compiler checks a block at a time: nearly every file has none.
fn has_control_bytes(bytes: &[u8]) -> bool {
    let control = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') | (b == 0x7f);
    bytes
        .chunks(64)
        .any(|block| block.iter().fold(false, |found, &b| found | control(b)))
}

#[cfg(test)]
mod tests {
    use super::normalise_text;

    #[test]
    fn line_ends_nul_and_control_characters_are_mended_wherever_they_fall() {
        let long = "а".repeat(70);
        for (text, mended) in [
            ("plain\ttext\n", "plain\ttext\n"),
            ("a\r\nb\rc", "a\nb\nc"),
            ("a\0b", "a\u{FFFD}b"),
            ("a\u{b}b\u{c}c\u{1b}d\u{7f}", "a b cd"),
        ] {
            assert_eq!(normalise_text(text.to_string()), mended);
            // Past the first 64-byte block the scan looks at.
            let text = format!("{long}{text}");
            assert_eq!(normalise_text(text), format!("{long}{mended}"));
        }
        assert_eq!(normalise_text("\u{feff}a\r\n".into()), "a\n");
    }

    #[test]
    fn front_matter_texts_lose_their_control_characters_at_any_depth() {
        let mut value = serde_json::json!({
            "title": "Word\u{b}break\u{7}",
            "tags": ["a\u{1b}b", 5],
            "location": { "name": "x\u{0}y" },
        });
        value
            .as_object_mut()
            .unwrap()
            .values_mut()
            .for_each(super::mend_value);
        assert_eq!(
            value,
            serde_json::json!({
                "title": "Word break",
                "tags": ["ab", 5],
                "location": { "name": "x\u{FFFD}y" },
            })
        );
    }
}
