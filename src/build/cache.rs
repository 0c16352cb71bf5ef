//! What the dev server keeps between builds so that a rebuild redoes only
//! what changed: the file list, parsed files, rendered Markdown and summaries.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::Value;

use crate::content::body::MarkdownCache;
use crate::content::loader::{ContentFiles, LoadedFile};

/// Parsed files, rendered Markdown and page summaries from the last build.
#[derive(Default)]
pub struct BuildCache {
    /// False for a one-off build: nothing is kept, nothing is copied to keep.
    pub(super) keep: bool,
    pub(super) files: Option<ContentFiles>,
    pub(super) loaded: HashMap<PathBuf, LoadedFile>,
    pub(super) markdown: MarkdownCache,
    /// Per file: the page's fingerprint and its summary value.
    pub(super) summaries: HashMap<PathBuf, (u64, Value)>,
}

impl BuildCache {
    /// A cache that keeps what each build made, for the dev server.
    pub fn keeping() -> BuildCache {
        BuildCache {
            keep: true,
            markdown: MarkdownCache::keeping(),
            ..BuildCache::default()
        }
    }

    /// A file changed: read it again next time.
    pub fn forget(&mut self, rel: &Path) {
        self.loaded.remove(rel);
    }

    /// Whether the listed content files hold `rel` (a path relative to the
    /// site root), as a file or a folder of them; `None` before the first
    /// listing.
    pub fn lists(&self, rel: &Path) -> Option<bool> {
        let files = self.files.as_ref()?;
        Some(
            files
                .markdown
                .iter()
                .chain(&files.assets)
                .any(|f| f.starts_with(rel)),
        )
    }

    /// Files appeared or went: list the content folder again next time.
    pub fn forget_file_list(&mut self) {
        self.files = None;
    }

    /// Everything may have changed (site.toml): start over.
    pub fn clear(&mut self) {
        *self = if self.keep {
            BuildCache::keeping()
        } else {
            BuildCache::default()
        };
    }
}
