//! Fingerprints: 64-bit hashes that say whether an input or an output changed
//! between two builds of the dev server.
//!
//! foldhash with a fixed seed: the same value gives the same fingerprint in
//! every run of one binary (the highlight memo's stamp outlives the process),
//! and it is several times faster than std's SipHash, which was a fifth of a
//! body edit's time at 10,000 pages. Nothing here needs a keyed hash: a
//! fingerprint only decides what to render again.

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::quality::{FixedState, FoldHasher};

const SEED: u64 = 0x6475_6e61_7621;

/// The hasher of fingerprints and of the maps keyed by output path.
pub type Fixed = FixedState;

pub fn hasher() -> Fixed {
    FixedState::with_seed(SEED)
}

/// The hash of one value.
pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    hasher().hash_one(value)
}

/// Combines values into one fingerprint, in order.
pub struct Fingerprint(FoldHasher<'static>);

impl Default for Fingerprint {
    fn default() -> Fingerprint {
        Fingerprint(hasher().build_hasher())
    }
}

impl Fingerprint {
    pub fn new() -> Fingerprint {
        Fingerprint::default()
    }

    pub fn with<T: Hash + ?Sized>(mut self, value: &T) -> Fingerprint {
        value.hash(&mut self.0);
        self
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// A file's size, time of change and inode, by which a later build tells
/// that someone changed it since, or that a file is the very one it
/// recorded (two files written in the same clock tick share the rest; a
/// file replaced, its size and time put back, is a new inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct FileStamp {
    pub len: u64,
    pub modified_ns: u128,
    /// 0 where the file system has none to give.
    pub inode: u64,
}

impl FileStamp {
    pub fn of(meta: &std::fs::Metadata) -> std::io::Result<FileStamp> {
        let modified = meta.modified()?;
        // A time before 1970 (a file from an old archive) counts as 1970:
        // its size and inode still tell it apart.
        let since = modified
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Ok(FileStamp {
            len: meta.len(),
            modified_ns: since.as_nanos(),
            inode,
        })
    }
}

/// A source file's stamp: its [`FileStamp`] and the time its inode last
/// changed (ctime), which no tool can put back. `exiftool -P
/// -overwrite_original_in_place` rewrites a photo keeping its inode, size
/// and time. Not for outputs: linking a file changes its ctime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SourceStamp {
    pub file: FileStamp,
    pub changed_ns: i128,
}

impl SourceStamp {
    pub fn of(meta: &std::fs::Metadata) -> std::io::Result<SourceStamp> {
        #[cfg(unix)]
        let changed_ns = {
            use std::os::unix::fs::MetadataExt;
            i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec())
        };
        #[cfg(not(unix))]
        let changed_ns = 0;
        Ok(SourceStamp {
            file: FileStamp::of(meta)?,
            changed_ns,
        })
    }
}

/// The hash of a file's bytes, read a piece at a time: a video in
/// `static/` need not fit in memory.
pub fn of_file(path: &std::path::Path) -> std::io::Result<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hash = hasher().build_hasher();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        // Whole buffers, so that the hash does not depend on how reads split.
        let mut filled = 0;
        while filled < buffer.len() {
            match file.read(&mut buffer[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        hash.write(&buffer[..filled]);
        if filled < buffer.len() {
            return Ok(hash.finish());
        }
    }
}

/// The stamp of the source file at `path`, if it can be read.
pub fn stamp_of(path: &std::path::Path) -> Option<SourceStamp> {
    SourceStamp::of(&std::fs::metadata(path).ok()?).ok()
}

/// A 128-bit hash of what `feed` writes, hashed twice with independent
/// seeds: a key for a memo whose entries must never be confused (short of
/// a 128-bit collision).
pub fn wide(feed: impl Fn(&mut dyn Hasher)) -> u128 {
    const SEEDS: [u64; 2] = [0x6461_7465_0000_0001, 0x9e37_79b9_7f4a_7c15];
    let [low, high] = SEEDS.map(|seed| {
        let mut hash = FixedState::with_seed(seed).build_hasher();
        feed(&mut hash);
        hash.finish()
    });
    u128::from(high) << 64 | u128::from(low)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file from before 1970 has a stamp; a file's hash, read in pieces,
    /// changes with its bytes past the first piece.
    #[test]
    fn old_files_have_stamps_and_long_files_their_hash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.bin");
        std::fs::write(&path, vec![7u8; 200_000]).unwrap();
        let before_1970 = std::time::UNIX_EPOCH - std::time::Duration::from_secs(86_400);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|file| file.set_modified(before_1970))
            .unwrap();
        assert!(stamp_of(&path).is_some());
        let first = of_file(&path).unwrap();
        let mut bytes = vec![7u8; 200_000];
        bytes[150_000] = 8;
        std::fs::write(&path, bytes).unwrap();
        assert_ne!(of_file(&path).unwrap(), first);
    }
}
