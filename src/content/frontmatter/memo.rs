//! Front matter fields remembered by their YAML text: within a process and
//! between builds in `.dunav-cache/front-matter`. Reading YAML is most of a
//! warm build's loading (about 45 µs a file); the same fields read back as
//! JSON take a tenth of that. The file carries a stamp of the binary that
//! wrote it ([`crate::kept`]), and keeps only what the last build used.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{OnceLock, RwLock};

use bytes::Bytes;
use serde_json::Value;

use crate::kept::Kept;

const KIND: &[u8; 8] = b"DUNAVFM1";

struct Entry {
    json: Bytes,
    /// Asked for since the memo was last saved: what the next save keeps.
    used: AtomicBool,
}

#[derive(Default)]
struct Memo {
    entries: RwLock<HashMap<u128, Entry>>,
    /// An entry was added since the last save.
    added: AtomicBool,
    /// From [`load`] to [`clear`]: a build's loading. Other readers of
    /// front matter (the dev server, `check`) neither use nor fill it, so
    /// that it never grows for as long as they run.
    on: AtomicBool,
}

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(Memo::default)
}

pub fn key(yaml: &str) -> u128 {
    crate::fingerprint::wide(|hash| hash.write(yaml.as_bytes()))
}

/// The fields of the YAML text `key` stands for, if they were read before.
pub fn get(key: u128) -> Option<BTreeMap<String, Value>> {
    if !memo().on.load(Ordering::Relaxed) {
        return None;
    }
    let json = {
        let entries = memo().entries.read().ok()?;
        let entry = entries.get(&key)?;
        entry.used.store(true, Ordering::Relaxed);
        entry.json.clone()
    };
    serde_json::from_slice(&json).ok()
}

/// Remembers the fields read from the YAML text `key` stands for.
pub fn put(key: u128, fields: &BTreeMap<String, Value>) {
    if !memo().on.load(Ordering::Relaxed) {
        return;
    }
    let Ok(json) = serde_json::to_vec(fields) else {
        return;
    };
    if let Ok(mut entries) = memo().entries.write() {
        let entry = Entry {
            json: Bytes::from(json),
            used: AtomicBool::new(true),
        };
        entries.insert(key, entry);
        memo().added.store(true, Ordering::Relaxed);
    }
}

/// Starts remembering, with the fields a previous build saved at `path`
/// when it is given. A missing, foreign or damaged file adds nothing: it is
/// only a cache.
pub fn start(path: Option<&Path>) {
    memo().on.store(true, Ordering::Relaxed);
    let Some(kept) = path.and_then(|path| Kept::read(path, KIND)) else {
        return;
    };
    let Some(loaded) = crate::kept::records(kept.body()) else {
        return;
    };
    let Ok(mut entries) = memo().entries.write() else {
        return;
    };
    for (key, json) in loaded {
        entries.entry(u128::from_le_bytes(key)).or_insert(Entry {
            json: kept.shared(json),
            used: AtomicBool::new(false),
        });
    }
}

/// Forgets every entry, to give back their memory, and stops remembering.
pub fn clear() {
    memo().on.store(false, Ordering::Relaxed);
    if let Ok(mut entries) = memo().entries.write() {
        *entries = HashMap::new();
    }
}

/// Writes the fields used since the last save to `path` and forgets the
/// rest; writes nothing when that is what the file already holds.
pub fn save(path: &Path) -> std::io::Result<()> {
    let memo = memo();
    let Ok(mut entries) = memo.entries.write() else {
        return Ok(());
    };
    let before = entries.len();
    entries.retain(|_, entry| entry.used.swap(false, Ordering::Relaxed));
    let added = memo.added.swap(false, Ordering::Relaxed);
    if !added && entries.len() == before && path.exists() {
        return Ok(());
    }
    crate::kept::write_streamed(path, KIND, |out| {
        for (key, entry) in entries.iter() {
            crate::kept::write_record(out, key.to_le_bytes(), &entry.json)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_back_from_a_saved_file_and_unused_ones_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("front-matter");
        let fields: BTreeMap<String, Value> = serde_json::from_str(
            r#"{"title": "Заглавие", "n": 1.5, "big": 18446744073709551615, "list": [1, "a", null], "map": {"z": 1, "a": 2}}"#,
        )
        .unwrap();
        let mut fields = fields;
        // As YAML gives it: JSON must bring back the very same number.
        fields.insert("f".into(), Value::from(11.849683599576357_f64));
        let (kept, dropped) = (key("title: Заглавие"), key("title: other"));
        memo().on.store(true, Ordering::Relaxed);
        put(kept, &fields);
        put(dropped, &BTreeMap::new());
        save(&path).unwrap();
        // The next save keeps only what was asked for since.
        assert_eq!(get(kept), Some(fields.clone()));
        save(&path).unwrap();
        memo().entries.write().unwrap().clear();
        start(Some(&path));
        assert_eq!(get(kept), Some(fields));
        assert_eq!(get(dropped), None);
    }
}
