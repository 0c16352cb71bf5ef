//! Fingerprints of the files a site publishes as they are, by their bytes:
//! a page's rendered Markdown shows an image's size, so it is reused only
//! while the site's files are the same. Their size and time alone said
//! "changed" for every file of a fresh checkout (a CI runner's, with
//! `.dunav-cache` restored), so every page was rendered again. A file's
//! bytes are read only when its size, time, inode or ctime changed since they were
//! last read; the prints are kept beside the rendered Markdown.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::fingerprint::{SourceStamp, stamp_of};

const KIND: &[u8; 8] = b"FILEPRNT";

/// A file as it was when its bytes were read, and their fingerprint.
#[derive(Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Noted {
    stamp: SourceStamp,
    print: u64,
}

/// The prints read so far, by file; `path` is where they are kept between
/// builds (none for the dev server, which keeps them in memory).
#[derive(Default)]
pub struct FilePrints {
    noted: HashMap<PathBuf, Noted>,
    path: Option<PathBuf>,
    changed: bool,
}

impl FilePrints {
    /// The prints kept at `path` by an earlier build (none unless `reuse`).
    pub fn kept_in(path: PathBuf, reuse: bool) -> FilePrints {
        let noted: Vec<(PathBuf, Noted)> = reuse
            .then(|| crate::kept::Kept::read(&path, KIND))
            .flatten()
            .and_then(|kept| serde_json::from_slice(kept.body()).ok())
            .unwrap_or_default();
        FilePrints {
            noted: noted.into_iter().collect(),
            path: Some(path),
            changed: false,
        }
    }

    /// One fingerprint of the files (by site path) and their bytes; the
    /// prints are kept for the next build.
    pub fn of_files(&mut self, files: &HashMap<String, PathBuf>) -> u64 {
        let prints: Vec<(&String, &PathBuf, Option<Noted>)> = files
            .par_iter()
            .map(|(site_path, file)| {
                let noted = stamp_of(file).and_then(|stamp| match self.noted.get(file) {
                    Some(noted) if noted.stamp == stamp => Some(*noted),
                    _ => Some(Noted {
                        stamp,
                        print: crate::fingerprint::of_file(file).ok()?,
                    }),
                });
                (site_path, file, noted)
            })
            .collect();
        let mut all = 0;
        for (site_path, file, noted) in prints {
            all ^= crate::fingerprint::of(&(site_path, noted.map(|n| n.print)));
            if let Some(noted) = noted
                && self.noted.get(file) != Some(&noted)
            {
                self.noted.insert(file.clone(), noted);
                self.changed = true;
            }
        }
        self.save(files);
        all
    }

    /// Keeps the prints for the next build, when some were read anew; those
    /// of files no longer published are let go.
    fn save(&mut self, files: &HashMap<String, PathBuf>) {
        let published: std::collections::HashSet<&PathBuf> = files.values().collect();
        let before = self.noted.len();
        self.noted.retain(|file, _| published.contains(file));
        let Some(path) = &self.path else {
            return;
        };
        if !self.changed && before == self.noted.len() {
            return;
        }
        let noted: Vec<(&PathBuf, &Noted)> = self.noted.iter().collect();
        if let Ok(json) = serde_json::to_vec(&noted) {
            // Only a cache: a build that cannot keep it has still succeeded.
            crate::kept::write(path, KIND, |out| out.extend(json)).ok();
        }
        self.changed = false;
    }
}
