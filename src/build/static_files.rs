//! Publishing the theme's static files, the site's (which win) and the files
//! beside pages; images without their metadata, with their renditions.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::build::Site;
use crate::build::prints::Scope;
use crate::build::render::write_problem;
use crate::diagnostics::Diagnostic;
use crate::output::Sink;

/// A file to publish: site path, file, whether the file is the image cache's.
type Published = (String, PathBuf, bool);

impl Site {
    /// Publishes every file whose size or modification time changed, and
    /// every image rendition the pages asked for (made first if the cache lacks it).
    pub(super) fn copy_files(&self, sink: &dyn Sink, scope: &Scope<'_>) -> Vec<Diagnostic> {
        if scope.is_requested() {
            return Vec::new();
        }
        // A partial pass only notes what changed: renditions are made in the full one.
        let plan_only = sink.discards() || scope.is_partial();
        let (files, mut problems) = self.files_to_publish(plan_only);
        problems.extend(
            files
                .par_iter()
                .filter(|(path, file, _)| {
                    // The inode too: a file replaced, its size and time put
                    // back, is copied again.
                    let stamp = crate::fingerprint::stamp_of(file);
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
                .collect::<Vec<_>>(),
        );
        let Some(pictures) = self.library.pictures.as_deref() else {
            return problems;
        };
        problems.extend(pictures.problems());
        // `dunav check` writes nothing, not even what it learnt about the images.
        if !plan_only && let Err(e) = pictures.save() {
            problems.push(Diagnostic::warning(
                crate::build::images::cache_dir(&self.root),
                format!("cannot record the image cache: {e}"),
            ));
        }
        problems
    }

    /// The site's files (images without their metadata) and the renditions
    /// the pages asked for, made unless `plan_only`.
    fn files_to_publish(&self, plan_only: bool) -> (Vec<Published>, Vec<Diagnostic>) {
        let pictures = self.library.pictures.as_deref();
        let mut files: Vec<Published> = self
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
        let mut problems = Vec::new();
        for (path, file) in pictures.map(|p| p.make(plan_only)).unwrap_or_default() {
            // A file of the site named like a rendition must not be overwritten by it.
            match self.library.published.get(&path) {
                Some(own) => problems.push(Diagnostic::error(
                    own.strip_prefix(&self.root).unwrap_or(own),
                    format!(
                        "/{path} is also the name of a resized copy of another image: rename this file"
                    ),
                )),
                None => files.push((path, file, true)),
            }
        }
        (files, problems)
    }
}
