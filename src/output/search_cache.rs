//! Pages made ready for the search index, kept between builds in
//! `.dunav-cache/search` (the index's compressed chunks beside it, in
//! `search-chunks`): splitting a page's text into words and compressing
//! its result fragment is most of what search costs, and depends on nothing
//! but the page. A build prepares only the pages whose key is not in the
//! file; the rest is read back.
//!
//! A page's key hashes everything its record is made from, and the file is
//! stamped by the binary that wrote it, so a changed page or a new dunav
//! never reuses a stale entry.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use bytes::Bytes;
use pagefind::api::CompressedFiles;

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::quality::{FixedState, FoldHasher};

use crate::kept::Kept;
use crate::output::search::SearchSource;

pub type Key = [u8; 16];

const MAGIC: &[u8; 8] = b"DUNAVSI1";

/// The key of what the index makes of `source`: every field a record is
/// made from.
pub fn key(source: &SearchSource) -> Key {
    key_of(b"page", |hash| {
        source.url.hash(hash);
        source.lang.hash(hash);
        source.html.hash(hash);
        source.title.hash(hash);
        source.section.hash(hash);
        source.date.hash(hash);
        source.image.hash(hash);
        source.image_alt.hash(hash);
        source.sectors.hash(hash);
    })
}

/// 128 bits from two foldhash passes with different seeds (a seed starts
/// the accumulator, so the halves are independent; the same seed with a
/// prefix would only differ at the end). `kind` keeps pages and chunks apart.
fn key_of(kind: &[u8], feed: impl Fn(&mut FoldHasher<'static>)) -> Key {
    const SEEDS: [u64; 2] = [0x7365_6172_6368_0001, 0x9e37_79b9_7f4a_7c15];
    let mut key = [0; 16];
    for (half, seed) in key.chunks_mut(8).zip(SEEDS) {
        let mut hash = FixedState::with_seed(seed).build_hasher();
        hash.write(kind);
        feed(&mut hash);
        half.copy_from_slice(&hash.finish().to_le_bytes());
    }
    key
}

/// The word index's compressed chunks, kept by their content: an unchanged
/// site has the same chunks, and compressing them was a fifth of the index.
/// Beside them, each language's word table: the merged words of every
/// page, from which Pagefind makes the next index by changing only the
/// words of the pages that changed.
pub struct Chunks<'a> {
    kept: &'a Entries<'a>,
    /// The chunks of this build: key and compressed bytes, borrowed when
    /// they came from the cache.
    used: Mutex<Vec<(Key, Cow<'a, [u8]>)>>,
}

impl<'a> Chunks<'a> {
    pub fn new(kept: &'a Entries<'a>) -> Chunks<'a> {
        Chunks {
            kept,
            used: Mutex::default(),
        }
    }

    /// The chunks of this build as cache entries.
    pub fn into_entries(self) -> Vec<(Key, Cow<'a, [u8]>)> {
        self.used.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn add(&self, key: Key, bytes: Cow<'a, [u8]>) {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.push((key, bytes));
    }
}

impl CompressedFiles for Chunks<'_> {
    fn get(&self, raw: &[u8]) -> Option<Bytes> {
        let key = chunk_key(raw);
        let bytes = self.kept.get_shared(&key)?;
        self.add(key, Cow::Borrowed(self.kept.get(&key)?));
        Some(bytes)
    }

    fn put(&self, raw: &[u8], gz: &[u8]) {
        self.add(chunk_key(raw), Cow::Owned(gz.to_vec()));
    }

    fn word_table(&self, language: &str) -> Option<Bytes> {
        let key = word_table_key(language);
        let bytes = self.kept.get_shared(&key)?;
        self.add(key, Cow::Borrowed(self.kept.get(&key)?));
        Some(bytes)
    }

    /// Takes the place of the table `word_table` gave, if it gave one.
    fn keep_word_table(&self, language: &str, table: Vec<u8>) {
        let key = word_table_key(language);
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.retain(|(k, _)| *k != key);
        used.push((key, Cow::Owned(table)));
    }
}

fn word_table_key(language: &str) -> Key {
    key_of(b"words", |hash| hash.write(language.as_bytes()))
}

fn chunk_key(raw: &[u8]) -> Key {
    key_of(b"chunk", |hash| hash.write(raw))
}

/// The entries of a cache file, as slices of its bytes.
pub struct Entries<'a> {
    kept: Option<&'a Kept>,
    entries: HashMap<Key, &'a [u8]>,
}

impl<'a> Entries<'a> {
    /// The entries of a file `save` wrote; none if the file is damaged: a
    /// wrong position read back would put wrong words in the index without
    /// a word said, and the entries are checked together.
    pub fn parse(kept: Option<&'a Kept>) -> Entries<'a> {
        let records = kept.and_then(|kept| crate::kept::intact_records(kept.body()));
        Entries {
            kept,
            entries: records.unwrap_or_default().into_iter().collect(),
        }
    }

    pub fn get(&self, key: &Key) -> Option<&'a [u8]> {
        self.entries.get(key).copied()
    }

    /// The entry of `key`, sharing the file's memory rather than copied.
    pub fn get_shared(&self, key: &Key) -> Option<Bytes> {
        Some(self.kept?.shared(self.get(key)?))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The file the entries were read from.
    pub fn file(&self) -> Option<&'a Kept> {
        self.kept.filter(|_| !self.entries.is_empty())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Where the word index's compressed chunks are kept, beside the pages'
/// file at `pages`: apart, so that the pages' file need not be held until
/// the chunks are known.
pub fn chunks_path(pages: &Path) -> std::path::PathBuf {
    let mut name = pages.file_name().unwrap_or_default().to_os_string();
    name.push("-chunks");
    pages.with_file_name(name)
}

/// The cache file at `path`, if there is one this binary wrote.
pub fn read(path: &Path) -> Option<Kept> {
    Kept::read(path, MAGIC)
}

/// Keeps this build's entries in the file at `path`, read as `kept`: the
/// `fresh` ones added to it, or `all` written anew (see
/// [`crate::kept::keep_records`]).
pub fn keep<'e>(
    path: &Path,
    kept: Option<&Kept>,
    used: crate::kept::Used,
    fresh: impl Iterator<Item = (Key, &'e [u8])>,
    all: impl Iterator<Item = (Key, &'e [u8])>,
) -> std::io::Result<()> {
    crate::kept::keep_records(
        path,
        MAGIC,
        kept,
        used,
        |out| write_entries(out, fresh),
        |out| write_entries(out, all),
    )
}

/// Writes `entries` to `path`.
pub fn save<'e>(
    path: &Path,
    entries: impl Iterator<Item = (Key, &'e [u8])>,
) -> std::io::Result<()> {
    crate::kept::write_streamed(path, MAGIC, |out| write_entries(out, entries))
}

fn write_entries<'e>(
    out: &mut dyn std::io::Write,
    entries: impl Iterator<Item = (Key, &'e [u8])>,
) -> std::io::Result<()> {
    for (key, bytes) in entries {
        crate::kept::write_record(out, key, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_and_a_damaged_file_gives_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/search");
        let (a, b): (Key, Key) = ([1; 16], [2; 16]);
        save(&path, [(a, &b"one"[..]), (b, &b""[..])].into_iter()).unwrap();
        let kept = read(&path);
        let entries = Entries::parse(kept.as_ref());
        assert_eq!(entries.get(&a), Some(&b"one"[..]));
        assert_eq!(entries.get(&b), Some(&b""[..]));
        assert_eq!(entries.len(), 2);
        // Shared, not copied: the same bytes at the same place.
        let shared = entries.get_shared(&a).unwrap();
        assert_eq!(shared.as_ptr(), entries.get(&a).unwrap().as_ptr());
        assert_eq!(&shared[..], b"one");
        assert!(entries.get_shared(&[3; 16]).is_none());
        let bytes = std::fs::read(&path).unwrap();
        for damage in [
            bytes[..bytes.len() - 1].to_vec(),
            [&bytes[..bytes.len() - 1], &[bytes[bytes.len() - 1] ^ 1]].concat(),
        ] {
            std::fs::write(&path, damage).unwrap();
            assert!(Entries::parse(read(&path).as_ref()).is_empty());
        }
        assert!(Entries::parse(read(&dir.path().join("missing")).as_ref()).is_empty());
    }
}
