//! dunav patch: a language's word index kept between builds, so that a build
//! in which a few pages changed makes again only the words those pages have
//! or had. Merging every word of every page was most of the search step of
//! an editor's build (450 ms of 600 at 10,000 pages).
//!
//! The table holds each word as its chunk encodes it (page numbers
//! delta-encoded) with what it adds to its chunk's size, the print the
//! caller gave each page, in page-number order, and the site's meta fields.
//! A build uses it when its language has as many pages, every page has a
//! print and the meta fields are the same: then a page whose print is
//! unchanged keeps its number and its entries, and only the changed pages'
//! entries are taken out and put back. The words, their entries and their
//! variants come out byte for byte as a full merge makes them (the tests
//! compare the two on random edits).

use std::borrow::Cow;
use std::ops::Range;

use hashbrown::HashMap;
use rayon::prelude::*;

use super::index_words::{cbor_head, PackedPage, PackedWord, ARRAY, TEXT};
use super::prepared::{PagePrint, Reader, Writer};

/// A word as its chunk holds it.
pub(crate) struct EncodedWord<'a> {
    pub(crate) word: Cow<'a, str>,
    /// The word's CBOR: `[word, [page...], [[form, [page...]]...]]`, each
    /// page `[page number delta, [positions], [meta positions]]`.
    pub(crate) bytes: Cow<'a, [u8]>,
    /// What the word adds to its chunk's size: a count of its positions
    /// and entries, as Pagefind chunks the index.
    pub(crate) size: usize,
}

/// One page's entry in the list of a word or of a variant.
#[derive(Clone, Copy)]
enum Posting<'a> {
    /// Read from a kept word: the entry's two lists as they were encoded,
    /// and how many numbers they hold.
    Kept {
        page: usize,
        positions: &'a [u8],
        count: usize,
    },
    Fresh(&'a PackedPage),
}

impl Posting<'_> {
    fn page(&self) -> usize {
        match self {
            Posting::Kept { page, .. } => *page,
            Posting::Fresh(packed) => packed.page_number,
        }
    }

    fn size(&self) -> usize {
        1 + match self {
            Posting::Kept { count, .. } => *count,
            Posting::Fresh(packed) => packed.locs().len() + packed.meta_locs().len(),
        }
    }
}

fn write_text(out: &mut Vec<u8>, text: &str) {
    cbor_head(out, TEXT, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Writes a list of entries (in page order), returning its size.
fn write_postings(out: &mut Vec<u8>, postings: &[Posting]) -> usize {
    cbor_head(out, ARRAY, postings.len() as u64);
    let mut last_page = 0;
    let mut size = 0;
    for posting in postings {
        cbor_head(out, ARRAY, 3);
        cbor_head(out, 0, (posting.page() - last_page) as u64);
        last_page = posting.page();
        match posting {
            Posting::Kept { positions, .. } => out.extend_from_slice(positions),
            Posting::Fresh(packed) => packed.write_positions(out),
        }
        size += posting.size();
    }
    size
}

/// A word's bytes and size.
fn write_word(
    word: &str,
    pages: &[Posting],
    variants: &[(&str, Vec<Posting>)],
) -> (Vec<u8>, usize) {
    let mut bytes = Vec::new();
    cbor_head(&mut bytes, ARRAY, 3);
    write_text(&mut bytes, word);
    let mut size = write_postings(&mut bytes, pages);
    cbor_head(&mut bytes, ARRAY, variants.len() as u64);
    for (form, postings) in variants {
        cbor_head(&mut bytes, ARRAY, 2);
        write_text(&mut bytes, form);
        size += write_postings(&mut bytes, postings);
    }
    size += variants.len();
    (bytes, size)
}

/// A merged word as its chunk holds it.
pub(crate) fn encode_word(word: PackedWord) -> EncodedWord<'static> {
    let pages: Vec<Posting> = word.pages.iter().map(Posting::Fresh).collect();
    let variants: Vec<(&str, Vec<Posting>)> = word
        .additional_variants
        .iter()
        .map(|variant| {
            (
                &*variant.form,
                variant.pages.iter().map(Posting::Fresh).collect(),
            )
        })
        .collect();
    let (bytes, size) = write_word(&word.word, &pages, &variants);
    EncodedWord {
        word: Cow::Owned(word.word.clone()),
        bytes: Cow::Owned(bytes),
        size,
    }
}

/// The words of a chunk, as `WordIndex` encodes them.
pub(crate) fn chunk_bytes(words: &[EncodedWord]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(words.iter().map(|w| w.bytes.len()).sum::<usize>() + 10);
    cbor_head(&mut bytes, ARRAY, 1);
    cbor_head(&mut bytes, ARRAY, words.len() as u64);
    for word in words {
        bytes.extend_from_slice(&word.bytes);
    }
    bytes
}

/// The words of each chunk: a chunk ends at the word that takes it to
/// `chunk_size` or beyond.
pub(crate) fn chunk_ranges(words: &[EncodedWord], chunk_size: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, word) in words.iter().enumerate() {
        size += word.size;
        if size >= chunk_size {
            ranges.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    if start < words.len() {
        ranges.push(start..words.len());
    }
    ranges
}

/// Reads the CBOR that `write_word` writes.
struct Cbor<'a>(&'a [u8]);

impl<'a> Cbor<'a> {
    /// A head of major type `major`, and its value.
    fn head(&mut self, major: u8) -> Option<u64> {
        let (&first, rest) = self.0.split_first()?;
        if first & 0xe0 != major {
            return None;
        }
        let width = match first & 0x1f {
            info @ 0..=23 => {
                self.0 = rest;
                return Some(u64::from(info));
            }
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            _ => return None,
        };
        let bytes = rest.get(..width)?;
        self.0 = &rest[width..];
        Some(bytes.iter().fold(0, |n, &b| n << 8 | u64::from(b)))
    }

    fn len(&mut self, major: u8) -> Option<usize> {
        usize::try_from(self.head(major)?).ok()
    }

    fn text(&mut self) -> Option<&'a str> {
        let len = self.len(TEXT)?;
        let text = self.0.get(..len)?;
        self.0 = &self.0[len..];
        std::str::from_utf8(text).ok()
    }

    /// A list of numbers, returning how many.
    fn numbers(&mut self) -> Option<usize> {
        let count = self.len(ARRAY)?;
        for _ in 0..count {
            let major = *self.0.first()? & 0xe0;
            self.head(if major == 0 {
                0
            } else {
                super::index_words::NEGATIVE
            })?;
        }
        Some(count)
    }

    /// A list of entries, each given to `each` with its page number.
    fn postings(&mut self, mut each: impl FnMut(Posting<'a>)) -> Option<()> {
        let count = self.len(ARRAY)?;
        let mut page = 0usize;
        for _ in 0..count {
            if self.head(ARRAY)? != 3 {
                return None;
            }
            page = page.checked_add(usize::try_from(self.head(0)?).ok()?)?;
            let start = self.0;
            let count = self.numbers()? + self.numbers()?;
            let positions = &start[..start.len() - self.0.len()];
            each(Posting::Kept {
                page,
                positions,
                count,
            });
        }
        Some(())
    }
}

/// What a kept word holds, in order: its entries, then each variant's
/// form followed by the variant's entries.
enum Part<'a> {
    Form(&'a str),
    Entry(Posting<'a>),
}

/// Goes through the parts of a kept word; `None` if its bytes are not one.
fn walk_word<'a>(bytes: &'a [u8], mut each: impl FnMut(Part<'a>)) -> Option<()> {
    let mut input = Cbor(bytes);
    if input.head(ARRAY)? != 3 {
        return None;
    }
    input.text()?;
    input.postings(|posting| each(Part::Entry(posting)))?;
    for _ in 0..input.len(ARRAY)? {
        if input.head(ARRAY)? != 2 {
            return None;
        }
        each(Part::Form(input.text()?));
        input.postings(|posting| each(Part::Entry(posting)))?;
    }
    input.0.is_empty().then_some(())
}

/// A kept word read back: its entries and its variants' entries.
struct KeptWord<'a> {
    pages: Vec<Posting<'a>>,
    variants: Vec<(&'a str, Vec<Posting<'a>>)>,
}

fn read_word(bytes: &[u8]) -> Option<KeptWord<'_>> {
    let mut word = KeptWord {
        pages: Vec::new(),
        variants: Vec::new(),
    };
    walk_word(bytes, |part| match part {
        Part::Form(form) => word.variants.push((form, Vec::new())),
        Part::Entry(posting) => match word.variants.last_mut() {
            Some((_, postings)) => postings.push(posting),
            None => word.pages.push(posting),
        },
    })?;
    Some(word)
}

/// Whether a kept word has an entry for a page in `changed` (or for no
/// page there is); `None` if its bytes are not a word. Nothing is
/// allocated: every word of the site is looked at.
fn has_page_in(bytes: &[u8], changed: &[bool]) -> Option<bool> {
    let mut found = false;
    walk_word(bytes, |part| {
        if let Part::Entry(posting) = part {
            found |= changed.get(posting.page()).copied().unwrap_or(true);
        }
    })?;
    Some(found)
}

/// A language's kept table, read back.
pub(crate) struct Kept<'a> {
    prints: Vec<&'a [u8]>,
    meta_fields: Vec<&'a str>,
    words: Vec<EncodedWord<'a>>,
}

const FORMAT: &[u8; 4] = b"PFW1";

impl<'a> Kept<'a> {
    /// A table `to_bytes` wrote; `None` if the bytes are not one.
    pub(crate) fn parse(bytes: &'a [u8]) -> Option<Kept<'a>> {
        let mut input = Reader(bytes.strip_prefix(FORMAT)?);
        let prints = input.list(|input| input.bytes().filter(|b| b.len() == 16))?;
        let meta_fields = input.list(|input| input.str())?;
        let words = input.list(|input| {
            Some(EncodedWord {
                word: Cow::Borrowed(input.str()?),
                bytes: Cow::Borrowed(input.bytes()?),
                size: usize::try_from(input.uint()?).ok()?,
            })
        })?;
        let sorted = words.windows(2).all(|w| w[0].word < w[1].word);
        (input.0.is_empty() && sorted).then_some(Kept {
            prints,
            meta_fields,
            words,
        })
    }

    /// The pages (by number) whose print is not the kept one, if the table
    /// fits these pages: as many, each with a print, the same meta fields,
    /// and few enough changed that taking them out costs less than a merge.
    pub(crate) fn changed_pages(
        &self,
        prints: &[PagePrint],
        meta_fields: &[String],
    ) -> Option<Vec<usize>> {
        if prints.len() != self.prints.len()
            || !meta_fields.iter().eq(self.meta_fields.iter().copied())
        {
            return None;
        }
        let changed: Vec<usize> = (0..prints.len())
            .filter(|&i| prints[i][..] != *self.prints[i])
            .collect();
        (changed.len() * 4 <= prints.len()).then_some(changed)
    }
}

/// The table to keep for the next build.
pub(crate) fn to_bytes(
    prints: &[PagePrint],
    meta_fields: &[String],
    words: &[EncodedWord],
) -> Vec<u8> {
    let capacity = words
        .iter()
        .map(|w| w.word.len() + w.bytes.len() + 12)
        .sum::<usize>();
    let mut out = Writer(Vec::with_capacity(capacity + prints.len() * 17 + 64));
    out.0.extend(FORMAT);
    out.list(prints, |out, print| out.bytes(print));
    out.list(meta_fields, |out, field| out.str(field));
    out.list(words, |out, word| {
        out.str(&word.word);
        out.bytes(&word.bytes);
        out.uint(word.size as u64);
    });
    out.0
}

/// The forms of a word on a page, in the page's order (see `update`).
pub(crate) type FormsOn<'f> = dyn Fn(usize, &str) -> Vec<String> + Sync + 'f;

/// The kept words with the entries of the `changed` pages (numbers below
/// `page_count`) taken out, and `fresh` put in: each changed page's words
/// as it is now, the pages in order. `None` if a kept word is damaged.
/// `forms_on` gives the forms of a word on an unchanged page, in the order
/// the page has them: rarely needed (see `merged_word`).
pub(crate) fn update<'a>(
    kept: Kept<'a>,
    page_count: usize,
    fresh: &[(usize, Vec<PackedWord>)],
    forms_on: &FormsOn,
) -> Option<Vec<EncodedWord<'a>>> {
    let mut changed = vec![false; page_count];
    for (page, _) in fresh {
        *changed.get_mut(*page)? = true;
    }
    // Each word of the changed pages, with its entry on each of them.
    let mut fresh_words: HashMap<&str, Vec<(usize, &PackedWord)>> = HashMap::new();
    for (page, words) in fresh {
        for word in words {
            fresh_words
                .entry(&*word.word)
                .or_default()
                .push((*page, word));
        }
    }

    let kept_words: Vec<Option<EncodedWord<'a>>> = kept
        .words
        .into_par_iter()
        .map(|word| {
            let fresh = fresh_words
                .get(&*word.word)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if fresh.is_empty() && !has_page_in(&word.bytes, &changed)? {
                return Some(Some(word));
            }
            let kept = read_word(&word.bytes)?;
            Some(merged_word(
                word.word.clone(),
                Some(kept),
                fresh,
                &changed,
                forms_on,
            ))
        })
        .collect::<Option<_>>()?;
    let kept_words: Vec<EncodedWord<'a>> = kept_words.into_iter().flatten().collect();
    let mut new_words: Vec<EncodedWord<'a>> = fresh_words
        .iter()
        .filter(|(word, _)| {
            kept_words
                .binary_search_by(|w| (*w.word).cmp(word))
                .is_err()
        })
        .filter_map(|(word, fresh)| {
            merged_word(
                Cow::Owned(word.to_string()),
                None,
                fresh,
                &changed,
                forms_on,
            )
        })
        .collect();
    new_words.sort_unstable_by(|a, b| a.word.cmp(&b.word));
    Some(merge_sorted(kept_words, new_words))
}

/// Two lists of distinct words, each sorted, as one sorted list.
fn merge_sorted<'a>(a: Vec<EncodedWord<'a>>, b: Vec<EncodedWord<'a>>) -> Vec<EncodedWord<'a>> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for word in a {
        while let Some(next) = b.next_if(|next| next.word < word.word) {
            out.push(next);
        }
        out.push(word);
    }
    out.extend(b);
    out
}

/// A word's entries: `kept` without the changed pages', with `fresh` (its
/// entries on the changed pages, in page order); `None` if none are left.
/// Variants are in the order a full merge gives them: by the first page
/// that has them, then by their order on that page, which only that page
/// knows (a kept order may come from earlier first pages).
fn merged_word<'a>(
    word: Cow<'a, str>,
    kept: Option<KeptWord<'_>>,
    fresh: &[(usize, &PackedWord)],
    changed: &[bool],
    forms_on: &FormsOn,
) -> Option<EncodedWord<'a>> {
    let variant_order = |page: usize, word: &str| match fresh.iter().find(|(p, _)| *p == page) {
        Some((_, packed)) => packed
            .additional_variants
            .iter()
            .map(|v| v.form.clone())
            .collect(),
        None => forms_on(page, word),
    };
    let (kept_pages, kept_variants) = kept.map_or_else(Default::default, |k| (k.pages, k.variants));
    let fresh_pages = fresh
        .iter()
        .flat_map(|(_, w)| w.pages.iter().map(Posting::Fresh));
    let pages = merge_postings(unchanged(kept_pages, changed), fresh_pages.collect());

    // Each form with its kept entries, then the forms only the changed
    // pages have, as they come.
    let mut forms: Vec<(&str, Vec<Posting>, Vec<Posting>)> = kept_variants
        .into_iter()
        .map(|(form, postings)| (form, unchanged(postings, changed), Vec::new()))
        .collect();
    for (_, packed) in fresh {
        for variant in &packed.additional_variants {
            let form = &*variant.form;
            let postings = variant.pages.iter().map(Posting::Fresh);
            match forms.iter_mut().find(|(f, ..)| *f == form) {
                Some((.., fresh)) => fresh.extend(postings),
                None => forms.push((form, Vec::new(), postings.collect())),
            }
        }
    }
    let mut variants: Vec<(&str, Vec<Posting>)> = forms
        .into_iter()
        .map(|(form, kept, fresh)| (form, merge_postings(kept, fresh)))
        .filter(|(_, postings)| !postings.is_empty())
        .collect();
    let first_page = |(_, postings): &(&str, Vec<Posting>)| postings[0].page();
    let mut shared_first: Vec<usize> = variants.iter().map(first_page).collect();
    shared_first.sort_unstable();
    let shared_first: Vec<usize> = shared_first
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    let orders: HashMap<usize, Vec<String>> = shared_first
        .into_iter()
        .map(|page| (page, variant_order(page, &word)))
        .collect();
    variants.sort_by_cached_key(|variant| {
        let first = first_page(variant);
        let rank = orders.get(&first).map_or(0, |order| {
            order
                .iter()
                .position(|form| form == variant.0)
                .unwrap_or(usize::MAX)
        });
        (first, rank)
    });
    if pages.is_empty() && variants.is_empty() {
        return None;
    }
    let (bytes, size) = write_word(&word, &pages, &variants);
    Some(EncodedWord {
        word,
        bytes: Cow::Owned(bytes),
        size,
    })
}

/// The entries not on a changed page.
fn unchanged<'p>(postings: Vec<Posting<'p>>, changed: &[bool]) -> Vec<Posting<'p>> {
    postings
        .into_iter()
        .filter(|p| !changed.get(p.page()).copied().unwrap_or(true))
        .collect()
}

/// Two lists of entries, each in page order and on different pages, as one.
fn merge_postings<'a>(a: Vec<Posting<'a>>, b: Vec<Posting<'a>>) -> Vec<Posting<'a>> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for posting in a {
        while let Some(next) = b.next_if(|next| next.page() < posting.page()) {
            out.push(next);
        }
        out.push(posting);
    }
    out.extend(b);
    out
}

#[cfg(test)]
mod tests {
    use super::super::prepared::{PreparedVariant, PreparedWord, Words};
    use super::super::{encode_words, Packer};
    use super::*;
    use crate::index::prepared::PreparedPage;
    use std::collections::BTreeMap;

    /// A small xorshift: the same pages on every run.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
        fn numbers(&mut self, max_len: usize) -> Vec<i32> {
            (0..self.below(max_len + 1))
                .map(|_| self.below(400) as i32 - 30)
                .collect()
        }
        fn meta(&mut self, fields: usize) -> Vec<(u16, u32)> {
            (0..self.below(3))
                .map(|_| (self.below(fields) as u16, self.below(50) as u32))
                .collect()
        }
    }

    const FIELDS: [&str; 3] = ["title", "_translit", "image"];

    /// A page of words from a small vocabulary (so that pages share them),
    /// some with forms with diacritics, in any order; `version` makes it
    /// differ from its other versions.
    fn page(random: &mut Random, version: u64) -> PreparedPage {
        let mut meta_fields: Vec<String> = FIELDS.iter().map(|f| f.to_string()).collect();
        // Pages list their fields in their own order.
        meta_fields.rotate_left(random.below(3));
        let mut words = Vec::new();
        for n in 0..40 {
            if random.below(3) != 0 {
                continue;
            }
            let mut variants = Vec::new();
            for form in ["\u{301}", "\u{300}", "\u{308}"] {
                if n % 4 == 0 && random.below(3) == 0 {
                    let mut variant = PreparedVariant {
                        form: format!("w{n}{form}"),
                        locs: random.numbers(7),
                        meta: random.meta(3),
                    };
                    if variant.locs.is_empty() && variant.meta.is_empty() {
                        variant.locs.push(1);
                    }
                    variants.insert(random.below(variants.len() + 1), variant);
                }
            }
            let mut word = PreparedWord {
                word: format!("w{n}"),
                locs: random.numbers(9),
                meta: random.meta(3),
                variants,
            };
            if word.locs.is_empty() && word.meta.is_empty() && word.variants.is_empty() {
                word.locs.push(2);
            }
            words.insert(random.below(words.len() + 1), word);
        }
        PreparedPage {
            url: format!("/{version}/"),
            language: "bg".into(),
            sort: BTreeMap::new(),
            filters: BTreeMap::new(),
            meta_fields,
            has_body_words: true,
            words: Words::Prepared(words),
            word_count: 1,
            fragment_hash: "0".repeat(40),
            fragment_gz: Default::default(),
            print: None,
        }
        .with_print(version.to_le_bytes().repeat(2).try_into().unwrap())
    }

    fn packer(meta_fields: &[String]) -> Packer<'_> {
        Packer {
            meta_fields,
            language: "bg",
            shard_count: 3,
            shard_hasher: Default::default(),
        }
    }

    /// Words as a full merge makes them.
    fn merged(pages: &[PreparedPage], meta_fields: &[String]) -> Vec<EncodedWord<'static>> {
        encode_words(packer(meta_fields).pack_and_merge(pages.to_vec()).0)
    }

    fn same(a: &[EncodedWord], b: &[EncodedWord]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(a, b)| a.word == b.word && a.bytes == b.bytes && a.size == b.size)
    }

    #[test]
    fn words_updated_from_the_kept_table_are_those_a_full_merge_makes() {
        let meta_fields: Vec<String> = {
            let mut fields: Vec<String> = FIELDS.iter().map(|f| f.to_string()).collect();
            fields.sort();
            fields
        };
        for seed in 1..=12u64 {
            let mut random = Random(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let mut version = 0;
            let mut pages: Vec<PreparedPage> = (0..40)
                .map(|_| {
                    version += 1;
                    page(&mut random, version)
                })
                .collect();
            let mut words = merged(&pages, &meta_fields);
            for round in 0..8 {
                let prints: Vec<PagePrint> = pages.iter().map(|p| p.print.unwrap()).collect();
                let table = to_bytes(&prints, &meta_fields, &words);
                // Up to a quarter of the pages change; the first round none.
                let changes = if round == 0 { 0 } else { 1 + random.below(10) };
                for _ in 0..changes {
                    version += 1;
                    let at = random.below(pages.len());
                    pages[at] = page(&mut random, version);
                }
                let prints: Vec<PagePrint> = pages.iter().map(|p| p.print.unwrap()).collect();
                let (updated, changed) = packer(&meta_fields)
                    .updated_words(&table, &pages, &prints)
                    .expect("the table fits the pages");
                let full = merged(&pages, &meta_fields);
                assert!(same(&updated, &full), "seed {seed}, round {round}");
                assert_eq!(changed, changes > 0);
                words = full;
            }
        }
    }

    #[test]
    fn a_table_that_does_not_fit_or_is_damaged_is_not_used() {
        let meta_fields: Vec<String> = vec!["_translit".into(), "image".into(), "title".into()];
        let mut random = Random(7);
        let pages: Vec<PreparedPage> = (1..=8).map(|v| page(&mut random, v)).collect();
        let prints: Vec<PagePrint> = pages.iter().map(|p| p.print.unwrap()).collect();
        let words = merged(&pages, &meta_fields);
        let table = to_bytes(&prints, &meta_fields, &words);
        let packer = packer(&meta_fields);
        assert!(packer.updated_words(&table, &pages, &prints).is_some());
        // A page more or fewer, other meta fields, too many changed pages.
        assert!(packer
            .updated_words(&table, &pages[1..], &prints[1..])
            .is_none());
        let other_fields = to_bytes(&prints, &meta_fields[1..], &words);
        assert!(packer
            .updated_words(&other_fields, &pages, &prints)
            .is_none());
        let mut most_changed = prints.clone();
        for print in &mut most_changed[..3] {
            print[15] ^= 1;
        }
        assert!(Kept::parse(&table)
            .unwrap()
            .changed_pages(&most_changed, &meta_fields)
            .is_none());
        // Cut anywhere, the table is no table or its words are no words.
        let mut changed_page = pages.clone();
        changed_page[0] = page(&mut random, 99);
        let prints: Vec<PagePrint> = changed_page.iter().map(|p| p.print.unwrap()).collect();
        for cut in 0..table.len() {
            assert!(packer
                .updated_words(&table[..cut], &changed_page, &prints)
                .is_none());
        }
        // The full merge is used instead.
        let (words, ..) = packer.words(
            changed_page.clone(),
            Some(&table[..table.len() / 2]),
            Some(&prints),
        );
        assert!(same(&words, &merged(&changed_page, &meta_fields)));
    }
}
