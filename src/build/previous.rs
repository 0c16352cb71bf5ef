//! The last build's output, as the next build may reuse it.
//!
//! A build records every output's print (see [`super::prints`]) in
//! `.dunav-cache/outputs`, with the identity of the folder it swapped in.
//! The next build into the same, untouched folder renders only the outputs
//! whose print changed and hard-links every other from it: at 10,000 pages
//! that is most of a rebuild's time. The new output is still made in a new
//! folder and swapped in whole, so a failed build changes nothing.
//!
//! A print covers everything an output shows (its page, neighbours,
//! listings, site.toml, the theme); a theme that looks things up by itself
//! (`now`, `get_page`…) makes every print depend on everything.

use std::path::{Path, PathBuf};

use crate::build::prints::OutputPrints;
use crate::kept::{self, Kept};
use crate::output::DirSink;

const KIND: &[u8; 8] = b"OUTPUTS1";

/// The outputs of the last build and the folder that holds them.
pub struct PreviousOutput {
    pub dir: PathBuf,
    pub prints: OutputPrints,
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
        let mut prints = OutputPrints::with_capacity_and_hasher(
            entries.len() / 48,
            crate::fingerprint::hasher(),
        );
        for line in entries.lines() {
            let (print, path) = line.split_once(' ')?;
            prints.insert(path.to_string(), u64::from_str_radix(print, 16).ok()?);
        }
        Some(PreviousOutput {
            dir: dir.to_path_buf(),
            prints,
        })
    }

    /// Puts every file of the previous output's `folder` in the same place
    /// in `sink`. On failure nothing of it is left there, so that the folder
    /// can be written anew (never through a link into the previous output).
    pub fn carry_folder(&self, sink: &DirSink, folder: &str) -> std::io::Result<()> {
        let from = self.dir.join(folder);
        let carried =
            walkdir::WalkDir::new(&from)
                .into_iter()
                .try_for_each(|entry| -> std::io::Result<()> {
                    let entry = entry?;
                    if entry.file_type().is_dir() {
                        return Ok(());
                    }
                    let inside = entry
                        .path()
                        .strip_prefix(&self.dir)
                        .map_err(std::io::Error::other)?;
                    let path = inside.to_string_lossy().replace('\\', "/");
                    sink.carry(&path, entry.path())
                });
        if carried.is_err() {
            let _ = sink.remove_folder(folder);
        }
        carried
    }

    /// Records the outputs a build has just swapped into `dir`. Only a cache:
    /// without it the next build renders everything.
    pub fn record(root: &Path, dir: &Path, prints: &OutputPrints) -> std::io::Result<()> {
        let Some(identity) = identity(dir) else {
            return Ok(());
        };
        kept::write(&record_path(root), KIND, |out| {
            use std::io::Write;
            out.extend(identity.as_bytes());
            out.push(b'\n');
            for (path, print) in prints {
                // A path that would break the line format is rendered again next time.
                if !path.contains(['\n', '\r']) {
                    let _ = writeln!(out, "{print:x} {path}");
                }
            }
        })
    }
}
