//! Publishing the theme's static files, the site's (which win) and the files
//! beside pages; images without their metadata, with their renditions.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::build::Site;
use crate::build::prints::Scope;
use crate::build::render::write_problem;
use crate::diagnostics::Diagnostic;
use crate::output::Sink;

impl Site {
    /// Publishes every file whose size or modification time changed, and
    /// every image rendition the pages asked for (made first if the cache lacks it).
    pub(super) fn copy_files(&self, sink: &dyn Sink, scope: &Scope<'_>) -> Vec<Diagnostic> {
        let pictures = self.library.pictures.as_deref();
        let plan_only = sink.discards();
        // (site path, file, whether the file is the cache's)
        let mut files: Vec<(String, PathBuf, bool)> = self
            .library
            .published
            .par_iter()
            .map(|(path, file)| match pictures {
                Some(p) if !plan_only => {
                    let clean = p.clean_original(file);
                    let made = clean != *file;
                    (path.clone(), clean, made)
                }
                _ => (path.clone(), file.clone(), false),
            })
            .collect();
        if let Some(p) = pictures {
            files.extend(
                p.make(plan_only)
                    .into_iter()
                    .map(|(path, file)| (path, file, true)),
            );
        }
        let mut problems: Vec<Diagnostic> = files
            .par_iter()
            .filter(|(path, file, _)| {
                let stamp = std::fs::metadata(file)
                    .ok()
                    .map(|m| (m.len(), m.modified().ok()));
                scope.needed(path, crate::fingerprint::of(&(file, stamp)))
            })
            .filter_map(|(path, file, made)| {
                let written = if *made {
                    sink.link(path, file)
                } else {
                    sink.copy(path, file)
                };
                written.err().map(|e| write_problem(path, e))
            })
            .collect();
        if let Some(p) = pictures {
            problems.extend(p.problems());
            if let Err(e) = p.save() {
                problems.push(Diagnostic::warning(
                    crate::build::images::cache_dir(&self.root),
                    format!("cannot record the image cache: {e}"),
                ));
            }
        }
        problems
    }
}
