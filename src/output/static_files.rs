//! Copying `static/`, the theme's `static/` and files beside pages.

use std::path::{Path, PathBuf};

use crate::content::loader::{SiteBoundary, is_ignored};

/// Files under `dir` as (site path, file on disk), skipping hidden and swap
/// files, and the symbolic links that lead out of `site` (their paths
/// go to `outside`).
pub fn list(dir: &Path, site: &SiteBoundary, outside: &mut Vec<PathBuf>) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| site.keeps(e, outside))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !is_ignored(e.file_name()))
        .filter_map(|e| {
            // Composed (NFC), as links are read: a name saved on macOS matches.
            let rel = crate::translit::nfc(&e.path().strip_prefix(dir).ok()?.to_string_lossy())
                .replace('\\', "/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect()
}
