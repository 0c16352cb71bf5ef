//! dunav patch: a page made ready for the index on its own, before page
//! numbers are given out. Everything that costs (splitting the text into
//! words, the word positions, the fragment and its gzip) is done here, and
//! depends on nothing but the page, so a caller can keep prepared pages
//! between builds (`to_bytes` / `from_bytes`) and only prepare the pages
//! that changed. `build_indexes` then numbers the pages and merges them.

use std::collections::BTreeMap;

use bytes::Bytes;
use hashbrown::HashMap;

use crate::fossick::{FossickedData, FossickedWord};
use crate::output::{gzip_at, FRAGMENT_LEVEL};
use crate::utils::full_hash;

/// One page, ready to be numbered and merged into its language's index.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedPage {
    pub(crate) url: String,
    pub(crate) language: String,
    pub(crate) sort: BTreeMap<String, String>,
    pub(crate) filters: BTreeMap<String, Vec<String>>,
    /// The page's meta field names in order: a meta position's field id is
    /// an index into this list until the site's field list is known.
    pub(crate) meta_fields: Vec<String>,
    /// Whether the page has words in its body: a page without any is left
    /// out of the index, as Pagefind does.
    pub(crate) has_body_words: bool,
    pub(crate) words: Words,
    pub(crate) word_count: usize,
    /// `full_hash` of the fragment's JSON, without the language prefix (the
    /// page may join another language's index).
    pub(crate) fragment_hash: String,
    /// The fragment file as the browser downloads it (dunav patch: shared
    /// with the bytes the page was kept in, not copied out of them).
    pub(crate) fragment_gz: Bytes,
    /// dunav patch: the caller's print of the page (see `with_print`).
    pub(crate) print: Option<PagePrint>,
}

/// dunav patch: what a caller knows a page by: equal prints, equal pages.
pub type PagePrint = [u8; 16];

/// A word of the page: its body positions (packed as in the index, with
/// weights), its meta positions as (field id, position), and the forms of
/// it with diacritics.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PreparedWord {
    pub(crate) word: String,
    pub(crate) locs: Vec<i32>,
    pub(crate) meta: Vec<(u16, u32)>,
    pub(crate) variants: Vec<PreparedVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PreparedVariant {
    pub(crate) form: String,
    pub(crate) locs: Vec<i32>,
    pub(crate) meta: Vec<(u16, u32)>,
}

/// A page's words: as prepared, or still in the bytes they were kept in,
/// decoded one at a time as the index merges them, so that a site's words
/// are never held in memory twice.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Words {
    Prepared(Vec<PreparedWord>),
    /// The words as `to_bytes` writes them (checked by `from_shared`; by
    /// the caller's checksum with `from_kept`), a slice of the bytes the
    /// page was kept in.
    Kept(Bytes),
}

impl Words {
    pub(crate) fn for_each(self, mut each: impl FnMut(PreparedWord)) {
        match self {
            Words::Prepared(words) => words.into_iter().for_each(each),
            Words::Kept(bytes) => {
                let _ = Reader(&bytes).list(|input| input.word().map(&mut each));
            }
        }
    }
}

/// The page's words in the shape `build_indexes` packs them: body positions
/// of the plain form first, then each diacritic form (sorted), then the
/// meta positions joining the same entries.
pub(crate) fn prepare(page: FossickedData) -> PreparedPage {
    let mut words: HashMap<String, PreparedWord> = HashMap::new();
    for (word, positions) in page.word_data {
        let mut plain: Vec<FossickedWord> = Vec::new();
        let mut variants: BTreeMap<String, Vec<FossickedWord>> = BTreeMap::new();
        for mut fossicked in positions {
            match fossicked.original_word.take() {
                None => plain.push(fossicked),
                Some(original) => variants.entry(original).or_default().push(fossicked),
            }
        }
        let entry = entry(&mut words, word);
        if !plain.is_empty() {
            entry.locs = super::packed_locs(plain);
        }
        for (form, positions) in variants {
            entry.variants.push(PreparedVariant {
                form,
                locs: super::packed_locs(positions),
                meta: Vec::new(),
            });
        }
    }
    for (word, positions) in page.meta_word_data {
        let entry = entry(&mut words, word);
        let mut variants: BTreeMap<String, Vec<(u16, u32)>> = BTreeMap::new();
        for fossicked in positions {
            let at = (fossicked.field_id, fossicked.position);
            match fossicked.original_word {
                None => entry.meta.push(at),
                Some(original) => variants.entry(original).or_default().push(at),
            }
        }
        for (form, meta) in variants {
            match entry.variants.iter_mut().find(|v| v.form == form) {
                Some(variant) => variant.meta = meta,
                None => entry.variants.push(PreparedVariant {
                    form,
                    locs: Vec::new(),
                    meta,
                }),
            }
        }
    }

    let words: Vec<PreparedWord> = words.into_values().collect();
    let has_body_words = words
        .iter()
        .any(|w| !w.locs.is_empty() || w.variants.iter().any(|v| !v.locs.is_empty()));
    let mut data = page.fragment.data;
    let meta_fields = data.meta.keys().cloned().collect();
    // A meta field whose name begins with `_` is searched but not stored in
    // the fragment, which every result downloads.
    data.meta.retain(|name, _| !name.starts_with('_'));
    let json = serde_json::to_string(&data).expect("a fragment is plain data");
    PreparedPage {
        url: page.url,
        language: page.language,
        sort: page.sort,
        filters: data.filters,
        meta_fields,
        has_body_words,
        words: Words::Prepared(words),
        word_count: data.word_count,
        fragment_hash: full_hash(json.as_bytes()),
        fragment_gz: Bytes::from(gzip_at(json.as_bytes(), FRAGMENT_LEVEL)),
        print: None,
    }
}

fn entry(words: &mut HashMap<String, PreparedWord>, word: String) -> &mut PreparedWord {
    words.entry(word).or_insert_with_key(|word| PreparedWord {
        word: word.clone(),
        ..PreparedWord::default()
    })
}

const FORMAT: &[u8; 4] = b"PFP1";

impl PreparedPage {
    /// dunav patch: the page with `print`, which the caller promises is
    /// different for any other page (words, meta fields or anything else):
    /// when every page of a language has one, its word index is kept
    /// between builds and only the changed pages' words are made again
    /// (see `index::word_table`).
    pub fn with_print(self, print: PagePrint) -> PreparedPage {
        PreparedPage {
            print: Some(print),
            ..self
        }
    }

    /// The page in a compact form, to keep between builds.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Writer(Vec::with_capacity(self.fragment_gz.len() * 3));
        out.0.extend(FORMAT);
        out.str(&self.url);
        out.str(&self.language);
        out.map(&self.sort, |out, v| out.str(v));
        out.map(&self.filters, |out, values| out.list(values, |out, v| out.str(v)));
        out.list(&self.meta_fields, |out, v| out.str(v));
        out.uint(self.word_count as u64);
        out.uint(u64::from(self.has_body_words));
        out.str(&self.fragment_hash);
        out.bytes(&self.fragment_gz);
        match &self.words {
            Words::Prepared(words) => out.list(words, |out, word| {
                out.str(&word.word);
                out.locs(&word.locs, &word.meta);
                out.list(&word.variants, |out, variant| {
                    out.str(&variant.form);
                    out.locs(&variant.locs, &variant.meta);
                });
            }),
            Words::Kept(bytes) => out.0.extend(bytes),
        }
        out.0
    }

    /// A page written by `to_bytes`; `None` if the bytes are not one.
    /// The words are checked but stay encoded until the index takes them.
    pub fn from_bytes(bytes: &[u8]) -> Option<PreparedPage> {
        Self::from_shared(&Bytes::copy_from_slice(bytes))
    }

    /// dunav patch: as `from_bytes`, but the fragment and the words stay
    /// slices of `bytes` (a kept file holding every page): copied out, they
    /// held the site's words twice while the pages were read back.
    pub fn from_shared(bytes: &Bytes) -> Option<PreparedPage> {
        Self::read(bytes, true)
    }

    /// dunav patch: as `from_shared`, for bytes the caller kept intact
    /// itself (checksummed): the words are not checked until the index
    /// reads them, which it does only for pages that changed when it keeps
    /// its word table. Checking every page's words was most of reading a
    /// site's pages back. A word that does not read back ends the page's
    /// words, and a meta position of no field of the page is left out.
    pub fn from_kept(bytes: &Bytes) -> Option<PreparedPage> {
        Self::read(bytes, false)
    }

    fn read(bytes: &Bytes, check_words: bool) -> Option<PreparedPage> {
        let mut input = Reader(bytes.strip_prefix(FORMAT)?);
        let mut page = PreparedPage {
            url: input.string()?,
            language: input.string()?,
            sort: input.map(|input| input.string())?,
            filters: input.map(|input| input.list(|input| input.string()))?,
            meta_fields: input.list(|input| input.string())?,
            word_count: input.uint()? as usize,
            has_body_words: match input.uint()? {
                0 => false,
                1 => true,
                _ => return None,
            },
            fragment_hash: input.string()?,
            fragment_gz: bytes.slice_ref(input.bytes()?),
            words: Words::Kept(Bytes::new()),
            print: None,
        };
        // What build_indexes relies on: a hash it can shorten, meta field
        // ids within the page's fields.
        let hash = &page.fragment_hash;
        if hash.len() < 20 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let fields = page.meta_fields.len();
        let words = input.0;
        if check_words {
            input.list(|input| input.skip_word(fields))?;
            if !input.0.is_empty() {
                return None;
            }
        }
        page.words = Words::Kept(bytes.slice_ref(words));
        Some(page)
    }
}

/// LEB128 numbers (positions are small deltas: one byte each, mostly).
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn uint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push(n as u8 | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }
    fn int(&mut self, n: i32) {
        self.uint(((n << 1) ^ (n >> 31)) as u32 as u64);
    }
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        self.uint(bytes.len() as u64);
        self.0.extend_from_slice(bytes);
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub(crate) fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Writer, &T)) {
        self.uint(items.len() as u64);
        for item in items {
            each(self, item);
        }
    }
    fn map<T>(&mut self, map: &BTreeMap<String, T>, mut each: impl FnMut(&mut Writer, &T)) {
        self.uint(map.len() as u64);
        for (key, value) in map {
            self.str(key);
            each(self, value);
        }
    }
    fn locs(&mut self, locs: &[i32], meta: &[(u16, u32)]) {
        self.list(locs, |out, &n| out.int(n));
        self.list(meta, |out, &(field, position)| {
            out.uint(field as u64);
            out.uint(position as u64);
        });
    }
}

pub(crate) struct Reader<'a>(pub(crate) &'a [u8]);

impl<'a> Reader<'a> {
    pub(crate) fn uint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.0.split_first()?;
            self.0 = rest;
            n |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Some(n);
            }
        }
        None
    }
    fn int(&mut self) -> Option<i32> {
        let n = u32::try_from(self.uint()?).ok()?;
        Some(((n >> 1) as i32) ^ -((n & 1) as i32))
    }
    pub(crate) fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.uint()?).ok()?;
        if len > self.0.len() {
            return None;
        }
        let (bytes, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(bytes)
    }
    /// dunav patch: a string borrowed from the bytes.
    pub(crate) fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
    pub(crate) fn list<T>(
        &mut self,
        mut each: impl FnMut(&mut Reader<'a>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let len = usize::try_from(self.uint()?).ok()?;
        // A damaged length must not reserve gigabytes: every item takes a byte at least.
        let mut items = Vec::with_capacity(len.min(self.0.len()));
        for _ in 0..len {
            items.push(each(self)?);
        }
        Some(items)
    }
    fn map<T>(
        &mut self,
        mut each: impl FnMut(&mut Reader<'a>) -> Option<T>,
    ) -> Option<BTreeMap<String, T>> {
        let len = usize::try_from(self.uint()?).ok()?;
        let mut map = BTreeMap::new();
        for _ in 0..len {
            let key = self.string()?;
            map.insert(key, each(self)?);
        }
        Some(map)
    }
    fn word(&mut self) -> Option<PreparedWord> {
        let word = self.string()?;
        let (locs, meta) = self.locs()?;
        let variants = self.list(|input| {
            let form = input.string()?;
            let (locs, meta) = input.locs()?;
            Some(PreparedVariant { form, locs, meta })
        })?;
        Some(PreparedWord {
            word,
            locs,
            meta,
            variants,
        })
    }

    /// Checks a word without keeping it (nothing is allocated); its meta
    /// positions must name one of the page's `fields`.
    fn skip_word(&mut self, fields: usize) -> Option<()> {
        let skip_locs = |input: &mut Reader<'a>| {
            input.list(|input| input.int().map(drop))?;
            input.list(|input| {
                let field = u16::try_from(input.uint()?).ok()?;
                (usize::from(field) < fields).then_some(())?;
                u32::try_from(input.uint()?).ok().map(drop)
            })
        };
        std::str::from_utf8(self.bytes()?).ok()?;
        skip_locs(self)?;
        self.list(|input| {
            std::str::from_utf8(input.bytes()?).ok()?;
            skip_locs(input).map(drop)
        })
        .map(drop)
    }

    fn locs(&mut self) -> Option<(Vec<i32>, Vec<(u16, u32)>)> {
        let locs = self.list(|input| input.int())?;
        let meta = self.list(|input| {
            let field = u16::try_from(input.uint()?).ok()?;
            let position = u32::try_from(input.uint()?).ok()?;
            Some((field, position))
        })?;
        Some((locs, meta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> PreparedPage {
        PreparedPage {
            url: "/новини/русе/".into(),
            language: "bg".into(),
            sort: BTreeMap::from([("date".into(), "1764115200".into())]),
            filters: BTreeMap::from([("sector".into(), vec!["Земеделие".into(), "ИКТ".into()])]),
            meta_fields: vec!["_translit".into(), "title".into()],
            has_body_words: true,
            words: Words::Prepared(vec![PreparedWord {
                word: "русе".into(),
                locs: vec![-25, 3, 0, 120, i32::MIN, i32::MAX],
                meta: vec![(1, 0), (0, 70_000)],
                variants: vec![PreparedVariant {
                    form: "ру́се".into(),
                    locs: vec![],
                    meta: vec![(1, 2)],
                }],
            }]),
            word_count: 412,
            fragment_hash: "3f2a9c07d41e88b6a05f1e2d3c4b5a6978".into(),
            fragment_gz: Bytes::from_static(&[0x1f, 0x8b, 0, 255]),
            print: None,
        }
    }

    fn words(page: PreparedPage) -> Vec<PreparedWord> {
        let mut words = Vec::new();
        page.words.for_each(|word| words.push(word));
        words
    }

    #[test]
    fn a_page_comes_back_from_its_bytes() {
        let page = sample();
        let bytes = page.to_bytes();
        let back = PreparedPage::from_bytes(&bytes).unwrap();
        assert!(matches!(back.words, Words::Kept(_)));
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(
            PreparedPage {
                words: Words::Prepared(Vec::new()),
                ..back.clone()
            },
            PreparedPage {
                words: Words::Prepared(Vec::new()),
                ..page.clone()
            }
        );
        assert_eq!(words(back), words(page));
    }

    #[test]
    fn a_kept_page_is_read_without_its_words_checked() {
        let page = sample();
        let mut bytes = page.to_bytes();
        let last = bytes.len() - 1;
        bytes[last] = 0xff;
        let bytes = Bytes::from(bytes);
        assert_eq!(PreparedPage::from_shared(&bytes), None);
        let kept = PreparedPage::from_kept(&bytes).expect("the page's other fields are whole");
        assert_eq!(kept.url, page.url);
        // The damaged word is left out when the words are read, without a panic.
        assert!(words(kept).is_empty());
    }

    #[test]
    fn damaged_bytes_are_no_page() {
        let bytes = sample().to_bytes();
        for cut in 0..bytes.len() {
            assert_eq!(PreparedPage::from_bytes(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(PreparedPage::from_bytes(&longer), None);
    }
}
