//! Reading JSX tags as HTML can take them: where a tag ends when its
//! attributes hold JSX expressions (`sx={{ textAlign: "center" }}`,
//! `onClick={() => go()}`, whose `>` HTML takes for the tag's end), and the
//! tag without them: an expression is code for MDX's bundler, which no
//! browser runs.

use std::borrow::Cow;

/// Follows a tag's text, over one line or more, for the `>` that ends it.
#[derive(Default)]
pub(super) struct TagScan {
    /// The quote a string is open with (an attribute's, or a JavaScript
    /// string in an expression).
    quote: Option<char>,
    /// How deep in `{…}` the text is.
    braces: usize,
    /// The last character was a `\` in a string.
    escaped: bool,
}

#[derive(Debug, PartialEq)]
pub(super) enum Scanned {
    /// The tag goes on after this text.
    Open,
    /// The tag ends at this byte of the text.
    Ends(usize),
    /// Another tag starts before this one ended: it was none.
    NoTag,
}

impl TagScan {
    /// Reads more of the tag (its first line without the `<`, then each next).
    pub(super) fn read(&mut self, text: &str) -> Scanned {
        for (i, c) in text.char_indices() {
            if let Some(quote) = self.quote {
                if self.escaped {
                    self.escaped = false;
                } else if c == '\\' && self.braces > 0 {
                    self.escaped = true;
                } else if c == quote {
                    self.quote = None;
                }
                continue;
            }
            match c {
                '"' | '\'' => self.quote = Some(c),
                '`' if self.braces > 0 => self.quote = Some(c),
                '{' => self.braces += 1,
                '}' => self.braces = self.braces.saturating_sub(1),
                '<' if self.braces == 0 => return Scanned::NoTag,
                '>' if self.braces == 0 => return Scanned::Ends(i),
                _ => {}
            }
        }
        Scanned::Open
    }

    /// Whether the text read so far ends inside an expression or a string.
    pub(super) fn in_expression(&self) -> bool {
        self.braces > 0 || self.quote.is_some()
    }
}

/// Each tag on a line (`<` and a letter, up to the `>` that ends it
/// outside its expressions and strings): where it starts and ends.
pub(super) fn tags(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    text.match_indices('<').filter_map(|(at, _)| {
        if !text[at + 1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        match TagScan::default().read(&text[at + 1..]) {
            Scanned::Ends(end) => Some((at, at + 1 + end + 1)),
            _ => None,
        }
    })
}

/// The first tag on a line with an expression attribute or a spread
/// (`<button onClick={() => go()}>`): where it starts and ends.
pub(super) fn tag_with_expressions(text: &str) -> Option<(usize, usize)> {
    tags(text).find(|&(at, end)| {
        let tag = &text[at..end];
        tag.contains('{') && without_expression_attributes(tag).len() < tag.len()
    })
}

/// A tag (`<Card variant="outlined" sx={{ … }}>`) without its expression
/// attributes (`name={…}`) and spreads (`{...props}`): `<Card
/// variant="outlined">`.
pub(super) fn without_expression_attributes(tag: &str) -> Cow<'_, str> {
    if !tag.contains('{') {
        return tag.into();
    }
    let mut out = String::with_capacity(tag.len());
    let mut scan = TagScan::default();
    for c in tag.chars() {
        let (in_braces, in_string) = (scan.braces > 0, scan.quote.is_some());
        scan.read(c.encode_utf8(&mut [0; 4]));
        if c == '{' && !in_braces && !in_string {
            // The attribute's name and `=` (or a spread's space) go with it.
            let start = out.rfind(char::is_whitespace).unwrap_or(out.len());
            let is_name = out[start..]
                .trim_start()
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.' | '='));
            if is_name {
                out.truncate(start);
            }
        } else if !in_braces && scan.braces == 0 {
            out.push(c);
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::{Scanned, TagScan, without_expression_attributes};

    #[test]
    fn a_tag_ends_at_the_first_gt_outside_its_expressions_and_strings() {
        let mut scan = TagScan::default();
        assert_eq!(
            scan.read("button onClick={() => go('>')}>Go"),
            Scanned::Ends(30)
        );
        let mut scan = TagScan::default();
        assert_eq!(scan.read("Card sx={{"), Scanned::Open);
        assert!(scan.in_expression());
        assert_eq!(scan.read("  label: \"a > b\","), Scanned::Open);
        assert_eq!(scan.read("}}"), Scanned::Open);
        assert!(!scan.in_expression());
        assert_eq!(scan.read(">"), Scanned::Ends(0));
        let mut scan = TagScan::default();
        assert_eq!(scan.read("Note title=\"x\" <b>"), Scanned::NoTag);
    }

    #[test]
    fn expression_attributes_and_spreads_are_left_out() {
        assert_eq!(
            without_expression_attributes(
                "<Card variant=\"outlined\" sx={{ textAlign: \"center\" }} {...rest} data-x=\"{a}\">"
            ),
            "<Card variant=\"outlined\" data-x=\"{a}\">"
        );
        assert_eq!(
            without_expression_attributes("<button onClick={() => alert('}')}>"),
            "<button>"
        );
        assert_eq!(
            without_expression_attributes("<Icon name=\"x\" />"),
            "<Icon name=\"x\" />"
        );
    }
}
