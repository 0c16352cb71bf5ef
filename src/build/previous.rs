//! The last build's output, as the next build may reuse it.
//!
//! A build records every output's print (see [`super::prints`]) and every
//! file's size and time of change in `.dunav-cache/outputs`, with the
//! identity of the folder it swapped in. The next build into the same
//! folder renders only the outputs whose print changed and hard-links every
//! other file from it, if that file is still as it was written: at 10,000
//! pages that is most of a rebuild's time. The new output is still made in
//! a new folder and swapped in whole, so a failed build changes nothing.
//!
//! A print covers everything an output shows (its page, neighbours,
//! listings, site.toml, the theme); a theme that looks things up by itself
//! (`now`, `get_page`…) makes every print depend on everything.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::build::prints::OutputPrints;
use crate::kept::{self, Kept};
use crate::output::{self, DirSink, FileStamp};

const KIND: &[u8; 8] = b"OUTPUTS2";

/// The outputs of the last build and the folder that holds them.
pub struct PreviousOutput {
    dir: PathBuf,
    pub prints: OutputPrints,
    files: HashMap<String, FileStamp>,
}

fn record_path(root: &Path) -> PathBuf {
    root.join(super::CACHE_DIR).join("outputs")
}

/// Which folder, exactly: its path and, on Unix, its device and inode. A
/// folder put there by anything but the build that recorded it (another
/// build's swap, a copy, a restore) has another inode.
fn identity(dir: &Path) -> Option<String> {
    let path = std::fs::canonicalize(dir).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(&path).ok()?;
        Some(format!("{} {} {}", meta.dev(), meta.ino(), path.display()))
    }
    #[cfg(not(unix))]
    {
        // Without an inode a replaced folder cannot be told from the one recorded.
        let _ = path;
        None
    }
}

impl PreviousOutput {
    /// The last build's output in `dir`, if this binary recorded it there
    /// and the folder is still the one it swapped in.
    pub fn find(root: &Path, dir: &Path) -> Option<PreviousOutput> {
        let kept = Kept::read(&record_path(root), KIND)?;
        let text = std::str::from_utf8(kept.body()).ok()?;
        let (recorded, entries) = text.split_once('\n')?;
        if Some(recorded) != identity(dir).as_deref() {
            return None;
        }
        let mut previous = PreviousOutput {
            dir: dir.to_path_buf(),
            prints: OutputPrints::with_capacity_and_hasher(
                entries.len() / 96,
                crate::fingerprint::hasher(),
            ),
            files: HashMap::with_capacity(entries.len() / 64),
        };
        for line in entries.lines() {
            previous.read_line(line)?;
        }
        Some(previous)
    }

    /// `p PRINT PATH` or `f LENGTH MODIFIED PATH`; `None` if it is neither.
    fn read_line(&mut self, line: &str) -> Option<()> {
        let mut fields = line.splitn(4, ' ');
        match fields.next()? {
            "p" => {
                let print = u64::from_str_radix(fields.next()?, 16).ok()?;
                let path = line.splitn(3, ' ').nth(2)?;
                self.prints.insert(path.to_string(), print);
            }
            "f" => {
                let len = fields.next()?.parse().ok()?;
                let modified_ns = fields.next()?.parse().ok()?;
                let path = fields.next()?;
                self.files
                    .insert(path.to_string(), FileStamp { len, modified_ns });
            }
            _ => return None,
        }
        Some(())
    }

    /// Puts the previous output's file at `path` in `sink`, if that build
    /// wrote it and it is still as it was written.
    pub fn carry(&self, sink: &DirSink, path: &str) -> std::io::Result<()> {
        let stamp = self.files.get(path).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::NotFound, "not in the last build")
        })?;
        sink.carry(path, &output::output_path(&self.dir, path)?, *stamp)
    }

    /// Puts every file the previous build wrote in `folder` in the same
    /// place in `sink`. On failure nothing of it is left there, so that the
    /// folder can be written anew (never through a link into the previous output).
    pub fn carry_folder(&self, sink: &DirSink, folder: &str) -> std::io::Result<()> {
        let prefix = format!("{}/", folder.trim_end_matches('/'));
        let carried = self
            .files
            .keys()
            .filter(|path| path.starts_with(&prefix))
            .try_for_each(|path| self.carry(sink, path));
        if carried.is_err() {
            let _ = sink.remove_folder(folder);
        }
        carried
    }

    /// Records the outputs a build has just swapped into `dir`. Only a cache:
    /// without it the next build renders everything.
    pub fn record(
        root: &Path,
        dir: &Path,
        prints: &OutputPrints,
        files: &HashMap<String, FileStamp>,
    ) -> std::io::Result<()> {
        let Some(identity) = identity(dir) else {
            return Ok(());
        };
        // A path that would break the line format is rendered again next time.
        let fits = |path: &&String| !path.contains(['\n', '\r']);
        kept::write(&record_path(root), KIND, |out| {
            out.extend(identity.as_bytes());
            out.push(b'\n');
            for (path, print) in prints.iter().filter(|(p, _)| fits(p)) {
                let _ = writeln!(out, "p {print:x} {path}");
            }
            for (path, stamp) in files.iter().filter(|(p, _)| fits(p)) {
                let _ = writeln!(out, "f {} {} {path}", stamp.len, stamp.modified_ns);
            }
        })
    }
}
