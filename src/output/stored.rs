//! Outputs kept in memory (the dev server's): pages compressed as they are
//! written (a 10,000-page site's HTML is about 300 MB as it is), other files
//! as they are, and the image cache's files by path.
//!
//! Pages are compressed against a dictionary made of the site's own first
//! pages: what every page repeats (head, header, menus, footer) then costs
//! almost nothing. LZ4 alone packed the 10,000-page site's pages into 105 MB.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;

/// One served output.
pub enum Stored {
    Plain(Bytes),
    /// An HTML or XML page, LZ4-compressed against a dictionary.
    Packed(Bytes, Dictionary),
    /// A file of the image cache, read when asked for.
    OnDisk(PathBuf),
}

/// Text that compressed pages may refer back to (LZ4 uses its last 64 KB).
pub type Dictionary = Arc<[u8]>;

impl Stored {
    /// Whether `path` is kept compressed: a page large enough to gain from it.
    fn is_packed(path: &str, bytes: &[u8]) -> bool {
        (path.ends_with(".html") || path.ends_with(".xml")) && bytes.len() >= 1024
    }

    /// A page compressed against `dictionary`.
    fn packed(bytes: &[u8], dictionary: &Dictionary) -> Stored {
        let packed = lz4_flex::block::compress_prepend_size_with_dict(bytes, dictionary);
        Stored::Packed(packed.into(), dictionary.clone())
    }

    /// The output's bytes, as the site has them.
    pub fn bytes(&self) -> std::io::Result<Bytes> {
        match self {
            Stored::Plain(bytes) => Ok(bytes.clone()),
            Stored::Packed(packed, dictionary) => {
                lz4_flex::block::decompress_size_prepended_with_dict(packed, dictionary)
                    .map(Bytes::from)
                    .map_err(std::io::Error::other)
            }
            Stored::OnDisk(file) => std::fs::read(file).map(Bytes::from),
        }
    }
}

/// How much of its first pages a [`Packer`] makes its dictionary of: LZ4
/// refers back at most 64 KB. Pages of several kinds and both languages make
/// a better one than a single page (45-55 MB for the 10,000-page site, where
/// a single page gave 55-72 MB depending on which).
const DICTIONARY_SIZE: usize = 64 * 1024;

/// Compresses pages against a dictionary made of the first pages it is given.
#[derive(Default)]
pub struct Packer {
    dictionary: OnceLock<Dictionary>,
    /// Pages held as they are until the dictionary is made of them.
    waiting: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Packer {
    /// A packer that compresses against `dictionary`, when there is one.
    pub fn with_dictionary(dictionary: Option<Dictionary>) -> Packer {
        Packer {
            dictionary: dictionary.map(OnceLock::from).unwrap_or_default(),
            waiting: Mutex::default(),
        }
    }

    /// The outputs ready to keep: `path` itself, or nothing while its page
    /// waits for the dictionary, or every page that waited once it is made.
    pub fn pack(&self, path: String, bytes: Vec<u8>) -> Vec<(String, Stored)> {
        if !Stored::is_packed(&path, &bytes) {
            return vec![(path, Stored::Plain(bytes.into()))];
        }
        if let Some(dictionary) = self.dictionary.get() {
            return vec![(path, Stored::packed(&bytes, dictionary))];
        }
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(dictionary) = self.dictionary.get() {
            return vec![(path, Stored::packed(&bytes, dictionary))];
        }
        waiting.push((path, bytes));
        if waiting.iter().map(|(_, b)| b.len()).sum::<usize>() < DICTIONARY_SIZE {
            return Vec::new();
        }
        self.pack_waiting(&mut waiting)
    }

    /// The pages still waiting, packed against a dictionary of them.
    pub fn finish(&self) -> Vec<(String, Stored)> {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        self.pack_waiting(&mut waiting)
    }

    /// The dictionary the pages were compressed against, for the next packer.
    pub fn dictionary(&self) -> Option<Dictionary> {
        self.dictionary.get().cloned()
    }

    /// How many pages wait for the dictionary.
    pub fn waiting(&self) -> usize {
        self.waiting.lock().map(|w| w.len()).unwrap_or(0)
    }

    fn pack_waiting(&self, waiting: &mut Vec<(String, Vec<u8>)>) -> Vec<(String, Stored)> {
        if waiting.is_empty() {
            return Vec::new();
        }
        let dictionary = self.dictionary.get_or_init(|| {
            let joined: Vec<u8> = waiting
                .iter()
                .flat_map(|(_, b)| b.iter().copied())
                .collect();
            joined[joined.len().saturating_sub(DICTIONARY_SIZE)..].into()
        });
        waiting
            .drain(..)
            .map(|(path, bytes)| (path, Stored::packed(&bytes, dictionary)))
            .collect()
    }
}

/// Outputs by site path (`news/x/index.html`).
pub type StoredFiles = HashMap<String, Stored>;

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> Vec<u8> {
        format!(
            "<html><head><title>{n}</title></head><body>{}</body></html>",
            "меню ".repeat(900 + n)
        )
        .into_bytes()
    }

    fn unpacked(outputs: Vec<(String, Stored)>) -> Vec<(String, Vec<u8>)> {
        outputs
            .into_iter()
            .map(|(path, stored)| (path, stored.bytes().unwrap().to_vec()))
            .collect()
    }

    #[test]
    fn pages_come_back_as_written_before_and_after_the_dictionary_is_made() {
        let packer = Packer::default();
        let mut kept = Vec::new();
        let written: Vec<(String, Vec<u8>)> = (0..40)
            .map(|n| (format!("p{n}/index.html"), page(n)))
            .chain([("robots.txt".to_string(), b"User-agent: *".to_vec())])
            .collect();
        for (path, bytes) in &written {
            kept.extend(packer.pack(path.clone(), bytes.clone()));
        }
        assert!(
            packer.dictionary().is_some(),
            "40 pages are more than a dictionary"
        );
        kept.extend(packer.finish());
        assert_eq!(packer.waiting(), 0);
        let mut back = unpacked(kept);
        back.sort();
        let mut written = written;
        written.sort();
        assert_eq!(back, written);
    }

    #[test]
    fn a_few_pages_wait_for_the_finish_and_the_next_packer_reuses_the_dictionary() {
        let first = Packer::default();
        assert!(first.pack("a/index.html".into(), page(1)).is_empty());
        let kept = unpacked(first.finish());
        assert_eq!(kept, vec![("a/index.html".to_string(), page(1))]);
        let next = Packer::with_dictionary(first.dictionary());
        let packed = next.pack("b/index.html".into(), page(2));
        let Stored::Packed(bytes, _) = &packed[0].1 else {
            panic!("a page is kept compressed");
        };
        // Against a page that shares most of its text, almost nothing is left.
        assert!(bytes.len() < page(2).len() / 20, "{} bytes", bytes.len());
        assert_eq!(unpacked(packed)[0].1, page(2));
    }
}
