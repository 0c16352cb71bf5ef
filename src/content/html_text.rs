//! A page's rendered HTML: as it is for a one-off build, LZ4-compressed
//! while the dev server keeps it between rebuilds, or a part of the file an
//! earlier build kept it in.
//!
//! The bodies of a 10,000-page site are 81 MB of HTML, the largest single
//! part of what `dunav serve` holds; each is read back only when its page,
//! a feed or the search index is made again.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use bytes::Bytes;

#[derive(Clone, Debug)]
pub struct HtmlText(Kept);

#[derive(Clone, Debug)]
enum Kept {
    Plain(Arc<str>),
    /// LZ4 block with its length prepended; always made from a `str`.
    Packed(Arc<[u8]>),
    /// Bytes of a kept file (which stays in memory as long as a part does),
    /// checked as UTF-8 only when read: most are never read.
    Shared(Bytes),
}

/// Bodies shorter than this gain too little from compression to pay for it.
const PACK_FROM: usize = 512;

impl HtmlText {
    /// The HTML, compressed when `pack` and long enough to gain from it.
    pub fn new(html: String, pack: bool) -> HtmlText {
        if pack && html.len() >= PACK_FROM {
            let packed = lz4_flex::block::compress_prepend_size(html.as_bytes());
            HtmlText(Kept::Packed(packed.into()))
        } else {
            HtmlText(Kept::Plain(html.into()))
        }
    }

    /// HTML kept by an earlier build, as its file holds it.
    pub fn shared(html: Bytes) -> HtmlText {
        HtmlText(Kept::Shared(html))
    }

    pub fn text(&self) -> Cow<'_, str> {
        match &self.0 {
            Kept::Plain(text) => Cow::Borrowed(text),
            // Checked on every read (a page, its feed entry, its search
            // record): simdutf8 checks Cyrillic HTML several times faster.
            Kept::Shared(bytes) => match simdutf8::basic::from_utf8(bytes) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(bytes),
            },
            Kept::Packed(packed) => {
                // Made from a `str` by `new`: it decompresses to valid UTF-8.
                let bytes = lz4_flex::block::decompress_size_prepended(packed).unwrap_or_default();
                Cow::Owned(
                    String::from_utf8(bytes)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                )
            }
        }
    }
}

impl Default for HtmlText {
    fn default() -> HtmlText {
        HtmlText(Kept::Plain("".into()))
    }
}

impl From<&str> for HtmlText {
    fn from(html: &str) -> HtmlText {
        HtmlText(Kept::Plain(html.into()))
    }
}

/// Hashes the text, however it is kept: a cache key must not depend on it.
impl Hash for HtmlText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.0 {
            // As `str` hashes: its bytes, then 0xff. Not checked as UTF-8
            // first (most kept bodies are hashed, few are read).
            Kept::Shared(bytes) => {
                state.write(bytes);
                state.write_u8(0xff);
            }
            _ => self.text().hash(state),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_html_reads_back_as_written() {
        let html = "<p>Дунавски дигитален иновационен хъб</p>\n".repeat(40);
        let packed = HtmlText::new(html.clone(), true);
        assert!(matches!(packed.0, Kept::Packed(ref b) if b.len() < html.len() / 4));
        assert_eq!(packed.text(), html);
        let short = HtmlText::new("<p>x</p>".into(), true);
        assert!(matches!(short.0, Kept::Plain(_)));
        let hash = |h: &HtmlText| {
            let mut s = std::collections::hash_map::DefaultHasher::new();
            h.hash(&mut s);
            s.finish()
        };
        assert_eq!(hash(&packed), hash(&HtmlText::new(html.clone(), false)));
        let shared = HtmlText::shared(Bytes::from(html.clone()));
        assert_eq!(shared.text(), html);
        assert_eq!(hash(&shared), hash(&packed));
    }
}
