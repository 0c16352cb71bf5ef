//! Where rendered files go: a folder swapped in whole when the build
//! succeeds, memory for the dev server, or nowhere for `dunav check`.

pub mod aliases;
pub mod calendar;
pub mod feeds;
pub mod linkcheck;
pub mod search;
pub mod search_cache;
pub mod sitemap;
pub mod staging;
pub mod static_files;
pub mod stored;

pub use staging::StagingDir;
pub use stored::{Dictionary, Packer, Stored, StoredFiles};

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Receives every output file by its site path (`news/foo/index.html`).
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies a file from disk; sinks that keep files in memory read it.
    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        self.write(path, &std::fs::read(from)?)
    }
    /// Publishes a file of the cache, which is never changed in place once made.
    fn link(&self, path: &str, from: &Path) -> io::Result<()> {
        self.copy(path, from)
    }
    /// Whether what is written is thrown away (`dunav check`): costly files need not be made.
    fn discards(&self) -> bool {
        false
    }
    fn count(&self) -> usize;
}

/// The file under `dir` for a site path; refuses paths that would leave it.
pub fn output_path(dir: &Path, site_path: &str) -> io::Result<PathBuf> {
    let mut out = dir.to_path_buf();
    for part in site_path.split('/').filter(|p| !p.is_empty()) {
        if part == ".." || part == "." || part.contains('\\') || part.contains('\0') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe output path {site_path}"),
            ));
        }
        out.push(part);
    }
    Ok(out)
}

/// A written file's size and time of change, by which a later build tells
/// that someone else changed it since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub len: u64,
    pub modified_ns: u128,
}

impl FileStamp {
    pub fn of(meta: &std::fs::Metadata) -> io::Result<FileStamp> {
        let modified = meta.modified()?;
        let since = modified
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(io::Error::other)?;
        Ok(FileStamp {
            len: meta.len(),
            modified_ns: since.as_nanos(),
        })
    }
}

/// Writes into a folder (the private temporary one of a build).
pub struct DirSink {
    pub dir: PathBuf,
    written: AtomicUsize,
    /// Every file written, by site path.
    stamps: Mutex<HashMap<String, FileStamp>>,
    /// Folders made so far: most outputs share theirs, and asking the file
    /// system again for each of 20,000 files cost 3% of a build.
    made: Mutex<HashSet<PathBuf>>,
}

impl DirSink {
    pub fn new(dir: PathBuf) -> DirSink {
        DirSink {
            dir,
            written: AtomicUsize::new(0),
            stamps: Mutex::new(HashMap::new()),
            made: Mutex::new(HashSet::new()),
        }
    }

    /// Puts `from`, the previous build's file of an unchanged output, at
    /// `path`, if it is still as that build wrote it (`stamp`): a hard link,
    /// no copy (the previous output is only ever replaced whole, never
    /// written into).
    pub fn carry(&self, path: &str, from: &Path, stamp: FileStamp) -> io::Result<()> {
        if FileStamp::of(&std::fs::metadata(from)?)? != stamp {
            return Err(io::Error::other("changed since the build that wrote it"));
        }
        std::fs::hard_link(from, self.target(path)?)?;
        self.done(path, stamp)
    }

    /// Each file written so far, with its stamp; the sink forgets them.
    pub fn take_stamps(&self) -> HashMap<String, FileStamp> {
        self.stamps
            .lock()
            .map(|mut stamps| std::mem::take(&mut *stamps))
            .unwrap_or_default()
    }

    fn done(&self, path: &str, stamp: FileStamp) -> io::Result<()> {
        let again = self
            .stamps
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .insert(path.to_string(), stamp);
        if again.is_none() {
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// A new file at `target`. A file already there (one step's output that a
    /// later step replaces) is unlinked first, never written into: it may be
    /// a hard link to the previous output, which must stay as it is until the
    /// build succeeds.
    fn new_file(target: &Path) -> io::Result<std::fs::File> {
        let create = || {
            std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(target)
        };
        match create() {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                std::fs::remove_file(target)?;
                create()
            }
            other => other,
        }
    }

    /// Removes a file written before.
    pub fn remove(&self, path: &str) -> io::Result<()> {
        std::fs::remove_file(output_path(&self.dir, path)?)?;
        if let Ok(mut stamps) = self.stamps.lock()
            && stamps.remove(path).is_some()
        {
            self.written.fetch_sub(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// The file for a site path, its folder made.
    fn target(&self, path: &str) -> io::Result<PathBuf> {
        let target = output_path(&self.dir, path)?;
        if let Some(parent) = target.parent() {
            let known = self
                .made
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?
                .contains(parent);
            if !known {
                std::fs::create_dir_all(parent)?;
                self.made
                    .lock()
                    .map_err(|_| io::Error::other("poisoned"))?
                    .insert(parent.to_path_buf());
            }
        }
        Ok(target)
    }
}

impl Sink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write;
        let mut file = Self::new_file(&self.target(path)?)?;
        file.write_all(bytes)?;
        self.done(path, FileStamp::of(&file.metadata()?)?)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let mut file = Self::new_file(&self.target(path)?)?;
        io::copy(&mut std::fs::File::open(from)?, &mut file)?;
        self.done(path, FileStamp::of(&file.metadata()?)?)
    }

    fn link(&self, path: &str, from: &Path) -> io::Result<()> {
        let target = self.target(path)?;
        // Never write through a link into the cache: replace what is there.
        let _ = std::fs::remove_file(&target);
        // A hard link costs nothing for a 3 MB photo; another file system needs a copy.
        if std::fs::hard_link(from, &target).is_err() {
            io::copy(
                &mut std::fs::File::open(from)?,
                &mut Self::new_file(&target)?,
            )?;
        }
        self.done(path, FileStamp::of(&std::fs::metadata(&target)?)?)
    }

    fn count(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }
}

/// Keeps every file in memory, for the dev server: pages compressed as they
/// are written, files of the image cache as their paths (photos would take
/// hundreds of MB).
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<StoredFiles>,
    packer: Packer,
}

impl MemorySink {
    /// A sink that compresses pages against `dictionary`, or, without one,
    /// against a dictionary of the first pages written to it.
    pub fn with_dictionary(dictionary: Option<Dictionary>) -> MemorySink {
        MemorySink {
            files: Mutex::default(),
            packer: Packer::with_dictionary(dictionary),
        }
    }

    /// The dictionary the pages were compressed against, for the next sink.
    pub fn dictionary(&self) -> Option<Dictionary> {
        self.packer.dictionary()
    }

    /// Every output written.
    pub fn into_files(self) -> StoredFiles {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        for (path, stored) in self.packer.finish() {
            // A page written again after its first copy waited is the one kept.
            files.entry(path).or_insert(stored);
        }
        files
    }

    fn keep(&self, outputs: Vec<(String, Stored)>) -> io::Result<()> {
        if !outputs.is_empty() {
            self.files
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?
                .extend(outputs);
        }
        Ok(())
    }
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let key = path.trim_start_matches('/').to_string();
        self.keep(self.packer.pack(key, bytes.to_vec()))
    }

    fn link(&self, path: &str, from: &Path) -> io::Result<()> {
        let key = path.trim_start_matches('/').to_string();
        self.keep(vec![(key, Stored::OnDisk(from.to_path_buf()))])
    }

    fn count(&self) -> usize {
        self.files.lock().map(|f| f.len()).unwrap_or(0) + self.packer.waiting()
    }
}

/// Discards everything: `dunav check` renders to find errors and writes nothing.
#[derive(Default)]
pub struct NullSink {
    seen: AtomicUsize,
}

impl Sink for NullSink {
    fn write(&self, _: &str, _: &[u8]) -> io::Result<()> {
        self.seen.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
    fn copy(&self, _: &str, from: &Path) -> io::Result<()> {
        std::fs::metadata(from)?;
        self.seen.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
    fn discards(&self) -> bool {
        true
    }
    fn count(&self) -> usize {
        self.seen.load(Ordering::Relaxed)
    }
}

/// Escapes text for XML content and attributes.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The output file of a site path: folders get `index.html`.
pub fn file_for_url(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// Percent-encodes the non-ASCII parts of a site path for use in XML and headers.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/:?#=&%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
