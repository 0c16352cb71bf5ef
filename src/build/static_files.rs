//! Copying the theme's static files, the site's (which win) and the files beside pages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::build::Site;
use crate::build::prints::Scope;
use crate::build::render::write_problem;
use crate::config::SiteConfig;
use crate::content::Library;
use crate::diagnostics::Diagnostic;
use crate::output::{Sink, static_files};
use crate::render;

/// Every file the site publishes as is, by its site path: the theme's
/// static files, the site's, and the files beside pages.
pub(super) fn published_files(
    root: &Path,
    config: &SiteConfig,
    library: &Library,
) -> HashMap<String, PathBuf> {
    let theme = render::theme_dir(root, config);
    let mut files: HashMap<String, PathBuf> = HashMap::new();
    files.extend(static_files::list(&theme.join("static")));
    files.extend(static_files::list(&root.join("static")));
    for (source, url) in &library.assets {
        files.insert(url.trim_start_matches('/').to_string(), root.join(source));
    }
    files
}

impl Site {
    /// Copies every static file whose size or modification time changed.
    pub(super) fn copy_files(&self, sink: &dyn Sink, scope: &Scope<'_>) -> Vec<Diagnostic> {
        published_files(&self.root, &self.config, &self.library)
            .par_iter()
            .filter(|(path, file)| {
                let stamp = std::fs::metadata(file)
                    .ok()
                    .map(|m| (m.len(), m.modified().ok()));
                scope.needed(path, crate::fingerprint::of(&(file, stamp)))
            })
            .filter_map(|(path, file)| sink.copy(path, file).err().map(|e| write_problem(path, e)))
            .collect()
    }
}
