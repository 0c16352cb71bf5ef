//! Highlighted code blocks remembered by their language and code: within a
//! process (a page and its translation, every rebuild of `dunav serve`) and
//! between builds in `.dunav-cache/highlight`.
//!
//! The key is a hash of the code and language; the file also carries a stamp
//! of the dunav binary that wrote it, so that a new syntax set or a change
//! in how blocks are written starts over rather than reuse stale HTML.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, OnceLock};

use sha2::{Digest, Sha256};

use crate::kept::Kept;

pub type Key = [u8; 16];

const MAGIC: &[u8; 8] = b"DUNAVHL1";

struct Entry {
    html: String,
    /// Asked for since the memo was last saved: what the next save keeps.
    used: bool,
}

fn entries() -> MutexGuard<'static, HashMap<Key, Entry>> {
    static MEMO: OnceLock<Mutex<HashMap<Key, Entry>>> = OnceLock::new();
    // A panic while holding the lock leaves the map whole: its entries are
    // only ever inserted complete.
    MEMO.get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn key(code: &str, lang: &str) -> Key {
    let mut hash = Sha256::new();
    hash.update((lang.len() as u64).to_le_bytes());
    hash.update(lang.as_bytes());
    hash.update(code.as_bytes());
    let mut key = [0; 16];
    key.copy_from_slice(&hash.finalize()[..16]);
    key
}

pub fn get(key: Key) -> Option<String> {
    let mut entries = entries();
    let entry = entries.get_mut(&key)?;
    entry.used = true;
    Some(entry.html.clone())
}

/// Keeps the block `key` stands for at the next save, as if it was asked
/// for: a page reused whole still shows it.
pub fn keep(key: Key) {
    if let Some(entry) = entries().get_mut(&key) {
        entry.used = true;
    }
}

pub fn put(key: Key, html: &str) {
    entries().insert(
        key,
        Entry {
            html: html.to_string(),
            used: true,
        },
    );
}

/// Adds the blocks a previous build saved at `path`. A missing, foreign or
/// damaged file adds nothing: it is only a cache.
pub fn load(path: &Path) {
    let Some(kept) = Kept::read(path, MAGIC) else {
        return;
    };
    let Some(loaded) = crate::kept::records(kept.body()).and_then(|records| {
        let html =
            |(key, bytes): (Key, &[u8])| Some((key, String::from_utf8(bytes.to_vec()).ok()?));
        records.into_iter().map(html).collect::<Option<Vec<_>>>()
    }) else {
        return;
    };
    let mut entries = entries();
    for (key, html) in loaded {
        entries.entry(key).or_insert(Entry { html, used: false });
    }
}

/// Forgets the blocks not asked for since the last save or sweep: `serve`
/// sweeps after a rebuild that asked for every page's blocks, so that a day
/// of edits to code does not keep every version of it.
pub fn sweep() {
    entries().retain(|_, entry| std::mem::take(&mut entry.used));
}

/// Writes the blocks used since the last save to `path` (written aside and
/// renamed, so a reader never sees half a file), and forgets the rest.
pub fn save(path: &Path) -> std::io::Result<()> {
    let mut entries = entries();
    entries.retain(|_, entry| std::mem::take(&mut entry.used));
    crate::kept::write_streamed(path, MAGIC, |out| {
        for (key, entry) in entries.iter() {
            crate::kept::write_record(out, *key, entry.html.as_bytes())?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_forgets_the_blocks_not_asked_for_since_the_last() {
        let (kept, edited_away) = (key("kept()", "rs"), key("edited_away()", "rs"));
        put(kept, "<pre>kept</pre>");
        put(edited_away, "<pre>old</pre>");
        sweep();
        keep(kept);
        sweep();
        assert_eq!(get(kept).as_deref(), Some("<pre>kept</pre>"));
        assert_eq!(get(edited_away), None);
    }
}
