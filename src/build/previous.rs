//! The last build's output, as the next build may reuse it.
//!
//! A build records every output's print (see [`super::prints`]) and every
//! file's size, time of change and inode in `.dunav-cache/outputs`, with the
//! identity of the folder it swapped in and of the spare it kept (the
//! output before, see [`crate::output::staging`]). The next build into the
//! same folder renders only the outputs whose print changed and takes every
//! other file over, if that file is still as it was written: the very file
//! when the spare has it, else a hard link. At 10,000 pages that is most of
//! a rebuild's time. The new output is still made in a folder of its own
//! and swapped in whole, so a failed build changes nothing.
//!
//! A print covers everything an output shows (its page, neighbours,
//! listings, site.toml, the theme); a theme that looks things up by itself
//! (`now`, `get_page`…) makes every print depend on everything.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::build::prints::OutputPrints;
use crate::kept::{self, Kept};
use crate::output::staging::folder_identity;
use crate::output::{self, DirSink, FileStamp};

const KIND: &[u8; 8] = b"OUTPUTS3";

/// The outputs of the last build and the folder that holds them.
pub struct PreviousOutput {
    dir: PathBuf,
    /// Of the folder, as recorded: see [`identity`].
    identity: String,
    /// Of the spare the last build kept: its output before, with only the
    /// files of its own output left.
    pub spare: Option<String>,
    /// The folder is still the one the last build swapped in. When it is
    /// not (removed, or replaced by hand), only the spare's files that are
    /// still the last output's own can be taken over.
    pub output_as_recorded: bool,
    pub prints: OutputPrints,
    files: HashMap<String, FileStamp>,
    /// The output has a file the record cannot name (see [`Record::files`]).
    unnamed: bool,
    /// The record file as it was before it was read: another build's
    /// record, written since, describes other folders.
    record_stamp: FileStamp,
}

fn record_path(root: &Path) -> PathBuf {
    root.join(super::CACHE_DIR).join("outputs")
}

/// Which folder `folder` is ([`folder_identity`]), to be found at `output`.
/// A folder put there by anything but the build that recorded it (another
/// build, a copy, a restore) differs; and each file is checked again before
/// it is reused.
pub fn identity(folder: &Path, output: &Path) -> Option<String> {
    let parent = std::fs::canonicalize(
        output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    )
    .ok()?;
    let place = parent.join(output.file_name()?);
    Some(format!("{} {}", folder_identity(folder)?, place.display()))
}

/// Where a build keeps the output it replaced, for the next one to start from.
pub fn spare_path(root: &Path) -> PathBuf {
    root.join(super::CACHE_DIR).join("spare-output")
}

/// Holds other builds of the site off the swap and the record until
/// dropped: the output, the spare and the record must describe the same
/// folders. `None` where files cannot be locked: builds run one at a time
/// anyway, and at worst a spare is not kept.
pub fn lock(root: &Path) -> Option<std::fs::File> {
    let dir = root.join(super::CACHE_DIR);
    std::fs::create_dir_all(&dir).ok()?;
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("outputs.lock"))
        .ok()?;
    file.lock().ok()?;
    Some(file)
}

impl PreviousOutput {
    /// The last build's output in `dir`, if this binary recorded it there
    /// and the folder is still the one it swapped in, or the spare it kept
    /// is (`public/` removed by hand: the spare still holds most of its
    /// files, as hard links).
    pub fn find(root: &Path, dir: &Path) -> Option<PreviousOutput> {
        let record_stamp = FileStamp::of(&std::fs::metadata(record_path(root)).ok()?).ok()?;
        let kept = Kept::read(&record_path(root), KIND)?;
        let text = simdutf8::basic::from_utf8(kept.body()).ok()?;
        let (recorded, rest) = text.split_once('\n')?;
        let output_as_recorded = Some(recorded) == identity(dir, dir).as_deref();
        let (spare, entries) = rest.split_once('\n')?;
        let spare = spare.strip_prefix("spare ")?;
        if !output_as_recorded && spare == "-" {
            return None;
        }
        let mut previous = PreviousOutput {
            dir: dir.to_path_buf(),
            identity: recorded.to_string(),
            spare: (spare != "-").then(|| spare.to_string()),
            output_as_recorded,
            unnamed: false,
            record_stamp,
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

    /// `p PRINT PATH`, `f LENGTH MODIFIED INODE PATH` or `u` (a file not
    /// named); `None` if it is none of them.
    fn read_line(&mut self, line: &str) -> Option<()> {
        let mut fields = line.splitn(5, ' ');
        match fields.next()? {
            "u" => self.unnamed = true,
            "p" => {
                let print = u64::from_str_radix(fields.next()?, 16).ok()?;
                let path = line.splitn(3, ' ').nth(2)?;
                self.prints.insert(path.to_string(), print);
            }
            "f" => {
                let len = fields.next()?.parse().ok()?;
                let modified_ns = fields.next()?.parse().ok()?;
                let inode = fields.next()?.parse().ok()?;
                let path = fields.next()?;
                let stamp = FileStamp {
                    len,
                    modified_ns,
                    inode,
                };
                self.files.insert(path.to_string(), stamp);
            }
            _ => return None,
        }
        Some(())
    }

    /// Whether the output folder can be the next build's spare: it is
    /// still the one this record describes, which names all of its files
    /// (the spare's are removed by name).
    pub fn can_be_spare(&self) -> bool {
        self.output_as_recorded
            && !self.unnamed
            && identity(&self.dir, &self.dir).as_deref() == Some(self.identity.as_str())
    }

    /// Whether the record is still the one read: no other build has
    /// swapped in an output (and kept a spare) since.
    pub fn record_unchanged(&self, root: &Path) -> bool {
        std::fs::metadata(record_path(root))
            .ok()
            .and_then(|meta| FileStamp::of(&meta).ok())
            == Some(self.record_stamp)
    }

    /// The files it has that `made` (this build's) does not, but for those
    /// in `unless_in` (a folder named with a slash), which come later.
    pub fn not_made(
        &self,
        made: &HashMap<String, FileStamp>,
        unless_in: Option<&str>,
    ) -> Vec<String> {
        self.files
            .keys()
            .filter(|path| !made.contains_key(*path))
            .filter(|path| unless_in.is_none_or(|folder| !path.starts_with(folder)))
            .cloned()
            .collect()
    }

    /// Whether the last build wrote a file at `path`.
    pub fn wrote(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Forgets all but what `folder` (named with a slash: `pagefind/`) needs
    /// to be taken over: its print, its files and their prints.
    pub fn keep_only(&mut self, folder: &str) {
        self.prints.retain(|path, _| path.starts_with(folder));
        self.prints.shrink_to_fit();
        self.files.retain(|path, _| path.starts_with(folder));
        self.files.shrink_to_fit();
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
    /// place in `sink`, but those this build has already written there (a
    /// site's own static files). On failure none of the files it put is
    /// left, so that they can be written anew (never through a link into
    /// the previous output).
    pub fn carry_folder(&self, sink: &DirSink, folder: &str) -> std::io::Result<()> {
        let prefix = format!("{}/", folder.trim_end_matches('/'));
        let paths: Vec<&String> = self
            .files
            .keys()
            .filter(|p| p.starts_with(&prefix))
            .collect();
        // In parallel: the search bundle is a file per page.
        let results: Vec<std::io::Result<()>> = paths
            .par_iter()
            .map(|path| self.carry(sink, path))
            .collect();
        let (mut carried, mut failure) = (Vec::new(), None);
        for (path, result) in paths.into_iter().zip(results) {
            match result {
                Ok(()) => carried.push(path),
                // Written by this build already.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => failure = Some(e),
            }
        }
        let Some(failure) = failure else {
            return Ok(());
        };
        for path in carried {
            let _ = sink.remove(path);
        }
        Err(failure)
    }
}

/// What a build records of its output for the next one, written down as
/// it goes (its lines take less memory than the maps they come from).
#[derive(Default)]
pub struct Record {
    lines: Vec<u8>,
    /// A file was written that the record cannot name.
    unnamed: bool,
}

impl Record {
    /// Adds outputs' prints.
    pub fn prints<'a>(&mut self, prints: impl IntoIterator<Item = (&'a String, &'a u64)>) {
        for (path, print) in prints.into_iter().filter(|(p, _)| fits(p)) {
            let _ = writeln!(self.lines, "p {print:x} {path}");
        }
    }

    /// Adds written files' stamps.
    pub fn files(&mut self, files: &HashMap<String, FileStamp>) {
        // Room for the lines at once: grown by doubling, the record (4 MB
        // at 10,000 pages) was copied whole at the build's peak.
        self.lines
            .reserve(files.keys().map(|path| path.len() + 48).sum());
        if !self.unnamed && !files.keys().all(|p| fits(&p)) {
            self.unnamed = true;
            self.lines.extend(b"u\n");
        }
        for (path, stamp) in files.iter().filter(|(p, _)| fits(p)) {
            let FileStamp {
                len,
                modified_ns,
                inode,
            } = stamp;
            let _ = writeln!(self.lines, "f {len} {modified_ns} {inode} {path}");
        }
    }

    /// Saves the record of the folder a build has swapped in, by its
    /// [`identity`], and of the spare it kept, if any. Only a cache: without
    /// it the next build renders everything.
    pub fn save(
        self,
        root: &Path,
        identity: Option<String>,
        spare: Option<String>,
    ) -> std::io::Result<()> {
        let Some(identity) = identity else {
            return Ok(());
        };
        // Written as it is, not copied into a file's body first.
        kept::write_streamed(&record_path(root), KIND, |out| {
            out.write_all(identity.as_bytes())?;
            out.write_all(b"\nspare ")?;
            out.write_all(spare.as_deref().unwrap_or("-").as_bytes())?;
            out.write_all(b"\n")?;
            out.write_all(&self.lines)
        })
    }
}

/// A path that would break the line format is not recorded (it is rendered again next time).
fn fits(path: &&String) -> bool {
    !path.contains(['\n', '\r'])
}
