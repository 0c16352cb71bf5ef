//! Files a build keeps for the next one in `.dunav-cache`: each begins with
//! its kind and a stamp of the binary that wrote it (a new dunav starts
//! over rather than reuse what an older one made), and is written aside and
//! renamed (a reader never sees half a file; of two builds at once, one
//! whole file stays). A file of records may instead have the records a
//! build made added at its end (see [`how_to_keep`]): rewriting a 100 MB
//! file for one changed page was a tenth of an editor's build. Each record
//! has its checksum, and one cut short by a crash makes the file unread.

use std::path::Path;

use bytes::Bytes;

/// This version of dunav: its version and a fingerprint of what it was
/// compiled from (see `build.rs`). A dunav compiled again from the same
/// source (a CI runner's fresh checkout, with `.dunav-cache` restored)
/// reads what the last one kept, while any other starts over. The binary's
/// size and time, the stamp before, changed with every compilation.
pub fn this_binary() -> u64 {
    crate::fingerprint::of(&(env!("CARGO_PKG_VERSION"), env!("DUNAV_SOURCE_PRINT")))
}

/// A kept file's bytes after its kind and stamp.
#[derive(Clone)]
pub struct Kept(Bytes);

const HEADER: usize = 16;

impl Kept {
    /// The file at `path` if it is of this `kind` and this binary wrote it;
    /// otherwise nothing: it is only a cache.
    pub fn read(path: &Path, kind: &[u8; 8]) -> Option<Kept> {
        let bytes = map(path)?;
        let stamp = bytes.get(8..HEADER)?;
        (bytes.starts_with(kind) && stamp == this_binary().to_le_bytes()).then_some(Kept(bytes))
    }

    pub fn body(&self) -> &[u8] {
        &self.0[HEADER..]
    }

    /// `part` of the body, sharing the file's memory: it stays alive as long
    /// as a part does.
    ///
    /// # Panics
    /// If `part` is not a slice of `body()`.
    pub fn shared(&self, part: &[u8]) -> Bytes {
        self.0.slice_ref(part)
    }
}

/// The file's bytes, mapped: read, they were 170 MB copied into fresh
/// memory on every build of 10,000 pages, a tenth of an edit build's time.
/// Every page is mapped at once, as the records' checksums read them all.
#[cfg(unix)]
fn map(path: &Path) -> Option<Bytes> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: a mapped file must not shrink or change while mapped. Kept
    // files are only ever replaced by a rename (a new file; this one stays
    // as it is) or added to past their end (see `append`), never truncated
    // or written into; and a kept file is a cache of dunav's own, in
    // `.dunav-cache`.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.ok()?;
    Some(Bytes::from_owner(map))
}

/// Read: a mapped file cannot be replaced by a rename on Windows.
#[cfg(not(unix))]
fn map(path: &Path) -> Option<Bytes> {
    std::fs::read(path).ok().map(Bytes::from)
}

/// The records a build keeps of a file it read: how many of the file's
/// it uses again (and their bytes), how many it made anew.
#[derive(Clone, Copy, Default)]
pub struct Used {
    pub kept: usize,
    pub kept_bytes: usize,
    pub fresh: usize,
}

impl Used {
    pub fn add(&mut self, kept_record: Option<usize>) {
        match kept_record {
            Some(bytes) => (self.kept, self.kept_bytes) = (self.kept + 1, self.kept_bytes + bytes),
            None => self.fresh += 1,
        }
    }
}

/// Keeps a file of records for the next build. `kept` is the file as this
/// build read it (its records whole). The records made anew (`fresh`
/// writes them) are added at its end; the file is written anew with every
/// record used (`all`) when there was none, when the records no longer
/// used would take more room than those used, or when another build wrote
/// it since.
pub fn keep_records(
    path: &Path,
    kind: &[u8; 8],
    kept: Option<&Kept>,
    used: Used,
    fresh: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    all: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    match (how_to_keep(kept, used), kept) {
        (Keep::Nothing, _) => return Ok(()),
        (Keep::Append, Some(kept)) if append(path, kept, fresh).is_ok() => return Ok(()),
        _ => {}
    }
    write_streamed(path, kind, all)
}

#[derive(Debug, PartialEq)]
enum Keep {
    /// The file holds what the build uses.
    Nothing,
    /// The new records go at its end.
    Append,
    /// Written anew.
    Rewrite,
}

const RECORD_HEAD: usize = 16 + 4 + 8;

fn how_to_keep(kept: Option<&Kept>, used: Used) -> Keep {
    let Some(kept) = kept else {
        return if used.fresh == 0 && used.kept == 0 {
            Keep::Nothing
        } else {
            Keep::Rewrite
        };
    };
    let used_bytes = used.kept_bytes + used.kept * RECORD_HEAD;
    let unused = kept.body().len().saturating_sub(used_bytes);
    if unused > used_bytes {
        Keep::Rewrite
    } else if used.fresh == 0 {
        Keep::Nothing
    } else {
        Keep::Append
    }
}

/// Adds the records `write_records` writes at the end of the file at
/// `path`, if it is still `kept` as read (another build may have written
/// it since); in one write, so that two builds' records do not mix.
fn append(
    path: &Path,
    kept: &Kept,
    write_records: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut records = Vec::new();
    write_records(&mut records)?;
    let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
    if file.metadata()?.len() != kept.0.len() as u64 {
        return Err(std::io::Error::other("written by another build since"));
    }
    file.write_all(&records)
}

/// Writes a record of a memo's body: a 16-byte key, the length, a checksum
/// of the bytes, the bytes. A record too long for its length field (4 GB)
/// is left out: only a cache.
pub fn write_record(
    out: &mut dyn std::io::Write,
    key: [u8; 16],
    bytes: &[u8],
) -> std::io::Result<()> {
    let Ok(len) = u32::try_from(bytes.len()) else {
        return Ok(());
    };
    out.write_all(&key)?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(&checksum(bytes).to_le_bytes())?;
    out.write_all(bytes)
}

/// Every record [`write_record`] wrote in `body` whose bytes are as written
/// (a damaged one is left out: what it held is made again); `None` if the
/// records' lengths do not add up.
pub fn records(body: &[u8]) -> Option<Vec<([u8; 16], &[u8])>> {
    let all = each_record(body)?;
    Some(
        all.into_iter()
            .filter_map(|(key, bytes, intact)| intact.then_some((key, bytes)))
            .collect(),
    )
}

/// [`records`], or `None` when any one is damaged: for a cache whose
/// entries are only right together.
pub fn intact_records(body: &[u8]) -> Option<Vec<([u8; 16], &[u8])>> {
    let all = each_record(body)?;
    all.into_iter()
        .map(|(key, bytes, intact)| intact.then_some((key, bytes)))
        .collect()
}

/// A record's key and bytes, and whether its checksum holds.
type Checked<'a> = ([u8; 16], &'a [u8], bool);

fn each_record(mut body: &[u8]) -> Option<Vec<Checked<'_>>> {
    const HEAD: usize = RECORD_HEAD;
    let mut records = Vec::new();
    while !body.is_empty() {
        let key: [u8; 16] = body.get(..16)?.try_into().ok()?;
        let len = u32::from_le_bytes(body.get(16..20)?.try_into().ok()?) as usize;
        let sum = u64::from_le_bytes(body.get(20..HEAD)?.try_into().ok()?);
        let end = len.checked_add(HEAD)?;
        let bytes = body.get(HEAD..end)?;
        records.push((key, bytes, checksum(bytes) == sum));
        body = &body[end..];
    }
    Some(records)
}

fn checksum(bytes: &[u8]) -> u64 {
    crate::fingerprint::of(bytes)
}

/// Writes a kept file of this `kind` whose body `write_body` makes.
pub fn write(
    path: &Path,
    kind: &[u8; 8],
    write_body: impl FnOnce(&mut Vec<u8>),
) -> std::io::Result<()> {
    let mut body = Vec::new();
    write_body(&mut body);
    write_streamed(path, kind, |out| std::io::Write::write_all(out, &body))
}

/// [`write`] for a large file: the body goes to the file as `write_body`
/// makes it, never whole in memory (the search cache is 40 MB at 10,000 pages).
pub fn write_streamed(
    path: &Path,
    kind: &[u8; 8],
    write_body: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // A name of its own per process and write: two threads may keep files.
    static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut aside = path.as_os_str().to_owned();
    aside.push(format!(".{}-{n}.part", std::process::id()));
    let written = std::fs::File::create(&aside)
        .and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            out.write_all(kind)?;
            out.write_all(&this_binary().to_le_bytes())?;
            write_body(&mut out)?;
            out.into_inner().map(drop).map_err(|e| e.into_error())
        })
        .and_then(|()| std::fs::rename(&aside, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&aside);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_file_comes_back_only_as_its_own_kind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/kind");
        write(&path, b"KINDONE1", |out| out.extend(b"body")).unwrap();
        assert_eq!(Kept::read(&path, b"KINDONE1").unwrap().body(), b"body");
        assert!(Kept::read(&path, b"KINDTWO1").is_none());
        std::fs::write(&path, b"KINDONE1 stamped by another binary").unwrap();
        assert!(Kept::read(&path, b"KINDONE1").is_none());
        assert!(Kept::read(&dir.path().join("missing"), b"KINDONE1").is_none());
    }

    #[test]
    fn a_damaged_record_is_left_out_and_the_others_kept() {
        let mut body = Vec::new();
        write_record(&mut body, [1; 16], b"<p>first</p>").unwrap();
        write_record(&mut body, [2; 16], b"<p>second</p>").unwrap();
        let all = records(&body).unwrap();
        assert_eq!(
            all,
            vec![
                ([1; 16], &b"<p>first</p>"[..]),
                ([2; 16], &b"<p>second</p>"[..])
            ]
        );
        // One byte of the first record's bytes changed: `<b>` for `<p>`.
        let at = body.windows(3).position(|w| w == b"<p>").unwrap() + 1;
        body[at] = b'b';
        assert_eq!(
            records(&body).unwrap(),
            vec![([2; 16], &b"<p>second</p>"[..])]
        );
        body.truncate(body.len() - 1);
        assert!(records(&body).is_none());
    }

    #[test]
    fn new_records_are_added_to_the_file_as_read_and_only_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/records");
        let kind = b"RECORDS1";
        write_streamed(&path, kind, |out| write_record(out, [1; 16], b"one")).unwrap();
        let kept = Kept::read(&path, kind).unwrap();
        append(&path, &kept, |out| write_record(out, [2; 16], b"two")).unwrap();
        let grown = Kept::read(&path, kind).unwrap();
        assert_eq!(
            records(grown.body()).unwrap(),
            vec![([1; 16], &b"one"[..]), ([2; 16], &b"two"[..])]
        );
        // Not to a file written since it was read: its records would be
        // added where they do not belong.
        assert!(append(&path, &kept, |out| write_record(out, [3; 16], b"three")).is_err());
        assert_eq!(Kept::read(&path, kind).unwrap().body(), grown.body());
    }

    #[test]
    fn a_file_mostly_unused_is_written_anew() {
        let mut body = HEADER_FOR_TESTS.to_vec();
        for key in 0..4u8 {
            write_record(&mut body, [key; 16], &[key; 100]).unwrap();
        }
        let kept = Kept(Bytes::from(body));
        let used = |kept, fresh| Used {
            kept,
            kept_bytes: kept * 100,
            fresh,
        };
        assert_eq!(how_to_keep(None, used(0, 0)), Keep::Nothing);
        assert_eq!(how_to_keep(None, used(0, 1)), Keep::Rewrite);
        assert_eq!(how_to_keep(Some(&kept), used(4, 0)), Keep::Nothing);
        assert_eq!(how_to_keep(Some(&kept), used(4, 1)), Keep::Append);
        // Half of it unused: still added to; more: written anew.
        assert_eq!(how_to_keep(Some(&kept), used(2, 1)), Keep::Append);
        assert_eq!(how_to_keep(Some(&kept), used(1, 0)), Keep::Rewrite);
    }

    const HEADER_FOR_TESTS: [u8; HEADER] = [0; HEADER];
}
