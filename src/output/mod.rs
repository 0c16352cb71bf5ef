//! Where rendered files go: a folder swapped in whole when the build
//! succeeds, memory for the dev server, or nowhere for `dunav check`.

pub mod aliases;
pub mod calendar;
pub mod feeds;
pub mod linkcheck;
pub mod place;
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

/// A script published from `static/` stays executable (its other mode bits
/// are the output's own: a read-only source must not make a read-only output).
fn keep_executable(source: &std::fs::File, copy: &std::fs::File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let executable = source.metadata()?.permissions().mode() & 0o111;
        if executable != 0 {
            let mode = copy.metadata()?.permissions().mode() | executable;
            copy.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (source, copy);
    Ok(())
}

/// The file under `dir` for a site path; refuses paths that would leave it.
pub fn output_path(dir: &Path, site_path: &str) -> io::Result<PathBuf> {
    let mut out = dir.to_path_buf();
    for part in site_path.split('/').filter(|p| !p.is_empty()) {
        if part == ".."
            || part == "."
            || part.contains('\\')
            || part.contains('\0')
            || crate::content::paths::is_version_control_folder(part)
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("unsafe output path {site_path}"),
            ));
        }
        out.push(part);
    }
    Ok(out)
}

/// Removes the files at site `paths` under `dir` (one already gone is fine,
/// and so is a folder this build made where one was) and every folder they
/// leave empty. A path that names one of the files `made` (by inode) under
/// another spelling (`a//b`, another case on a disk that ignores it) stays.
pub fn remove_outputs(dir: &Path, paths: &[String], made: &HashSet<u64>) -> io::Result<()> {
    for path in paths {
        let file = output_path(dir, path)?;
        if std::fs::symlink_metadata(&file)
            .is_ok_and(|meta| FileStamp::of(&meta).is_ok_and(|s| made.contains(&s.inode)))
        {
            continue;
        }
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            // Gone already, or a folder above it is a file now, or it is a folder now.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) || file.is_dir() =>
            {
                continue;
            }
            Err(e) => return Err(e),
        }
        let above = file.ancestors().skip(1);
        for folder in above.take_while(|f| *f != dir && f.starts_with(dir)) {
            // Not empty: neither is any folder above it.
            if std::fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
    Ok(())
}

/// Removes every file under `dir` whose site path is not `listed`, and the
/// folders that leaves empty (or that were): a folder that began as an
/// earlier output keeps nothing the build's record does not name.
pub fn remove_unlisted(dir: &Path, listed: &dyn Fn(&str) -> bool) -> io::Result<()> {
    let entries = walkdir::WalkDir::new(dir).min_depth(1).contents_first(true);
    for entry in entries {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            // Not empty: it holds what is listed.
            let _ = std::fs::remove_dir(entry.path());
            continue;
        }
        let site_path = entry
            .path()
            .strip_prefix(dir)
            .ok()
            .and_then(Path::to_str)
            .map(|path| path.replace(std::path::MAIN_SEPARATOR, "/"));
        if !site_path.is_some_and(|path| listed(&path)) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

pub use crate::fingerprint::FileStamp;

/// Writes into a folder (the private temporary one of a build).
pub struct DirSink {
    pub dir: PathBuf,
    /// The folder began as an earlier output (see [`staging`]): a file to
    /// carry over may be in place already.
    on_earlier_output: bool,
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
            on_earlier_output: false,
            written: AtomicUsize::new(0),
            stamps: Mutex::new(HashMap::new()),
            made: Mutex::new(HashSet::new()),
        }
    }

    /// A sink into `dir`, an earlier output the build started from: what
    /// it holds at a site path is replaced or kept, never written into.
    pub fn on_earlier_output(dir: PathBuf) -> DirSink {
        DirSink {
            on_earlier_output: true,
            ..DirSink::new(dir)
        }
    }

    /// Puts `from`, the previous build's file of an unchanged output, at
    /// `path`, if it is still as that build wrote it (`stamp`): a hard link,
    /// no copy (the previous output is only ever replaced whole, never
    /// written into). On an earlier output, the very same file (a link to
    /// it) may be there already, and is kept.
    pub fn carry(&self, path: &str, from: &Path, stamp: FileStamp) -> io::Result<()> {
        if self.has_written(path)? {
            // This build's file (a site's static file in the search
            // bundle's folder) wins, as it does over the bundle's own.
            return Err(io::Error::from(io::ErrorKind::AlreadyExists));
        }
        if self.on_earlier_output {
            let target = output_path(&self.dir, path)?;
            match std::fs::symlink_metadata(&target) {
                Ok(meta) if FileStamp::of(&meta)? == stamp => return self.done(path, stamp),
                Ok(_) => std::fs::remove_file(&target)?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
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

    /// [`Self::take_stamps`], but for the files in `folder` (named with a
    /// slash), which stay to be taken with those written later.
    pub fn take_stamps_outside(&self, folder: &str) -> HashMap<String, FileStamp> {
        let Ok(mut stamps) = self.stamps.lock() else {
            return HashMap::new();
        };
        let (inside, outside) = std::mem::take(&mut *stamps)
            .into_iter()
            .partition(|(path, _)| path.starts_with(folder));
        *stamps = inside;
        outside
    }

    /// Whether this build has put a file at `path` already.
    pub fn has_written(&self, path: &str) -> io::Result<bool> {
        let stamps = self
            .stamps
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?;
        Ok(stamps.contains_key(path))
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
    /// later step replaces, or the earlier output's) is unlinked first, never
    /// written into: it may be a hard link to the previous output, which must
    /// stay as it is until the build succeeds.
    fn new_file(&self, target: &Path) -> io::Result<std::fs::File> {
        let create = || {
            std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(target)
        };
        match create() {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                match std::fs::remove_file(target) {
                    Err(_) if self.on_earlier_output && target.is_dir() => {
                        self.clear_leftover(target)?
                    }
                    other => other?,
                }
                create()
            }
            other => other,
        }
    }

    /// Removes what an earlier output has at `found` (a file where this
    /// build needs a folder, or a folder where it needs a file), unless this
    /// build wrote it: then the paths clash as they would in an empty folder.
    fn clear_leftover(&self, found: &Path) -> io::Result<()> {
        let clash = || io::Error::new(io::ErrorKind::AlreadyExists, "two outputs clash");
        let site_path = found
            .strip_prefix(&self.dir)
            .map_err(|_| clash())?
            .to_string_lossy()
            .replace('\\', "/");
        let folder = format!("{site_path}/");
        let ours = self
            .stamps
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .keys()
            .map(|written| written.trim_start_matches('/'))
            .any(|written| written == site_path || written.starts_with(&folder));
        if ours {
            return Err(clash());
        }
        if std::fs::symlink_metadata(found)?.is_dir() {
            std::fs::remove_dir_all(found)
        } else {
            std::fs::remove_file(found)
        }
    }

    /// Makes `folder`; on an earlier output, first removing a leftover
    /// file where it or a folder above it must be.
    fn make_folder(&self, folder: &Path) -> io::Result<()> {
        let Err(e) = std::fs::create_dir_all(folder) else {
            return Ok(());
        };
        if !self.on_earlier_output {
            return Err(e);
        }
        let below = folder.strip_prefix(&self.dir).map_err(|_| e)?;
        let mut at = self.dir.clone();
        for part in below.components() {
            at.push(part);
            if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
                self.clear_leftover(&at)?;
                break;
            }
        }
        std::fs::create_dir_all(folder)
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
                self.make_folder(parent)?;
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
        let mut file = self.new_file(&self.target(path)?)?;
        file.write_all(bytes)?;
        self.done(path, FileStamp::of(&file.metadata()?)?)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let mut file = self.new_file(&self.target(path)?)?;
        let mut source = std::fs::File::open(from)?;
        io::copy(&mut source, &mut file)?;
        keep_executable(&source, &file)?;
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
                &mut self.new_file(&target)?,
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
            '\u{FFFE}' | '\u{FFFF}' => {}
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
