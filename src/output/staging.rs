//! The build's private folder beside the output, swapped in whole when the
//! build succeeds, and the previous output's removal off the build's path.
//!
//! Deleting a large site's previous output (13,000 folders) took 400–500 ms,
//! a tenth of a build, all of it the kernel unlinking files. The previous
//! output is renamed aside instead (`.public.dunav-old-PID`); the command
//! line hands it to a background process, and the next build removes any
//! that is still there (a killed process, a library caller) while it renders,
//! before its own swap: two builds in a row never leave more than the last
//! one's folder, and only until its removal ends.

use std::io;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// What a set-aside previous output is called: `.{name}{OLD_MARK}{pid}`.
const OLD_MARK: &str = ".dunav-old-";

/// A temporary folder beside the output, swapped in only when the build succeeds.
pub struct StagingDir {
    pub path: PathBuf,
    target: PathBuf,
    done: bool,
    /// Removes the outputs earlier builds set aside, while this one renders.
    sweeper: Option<JoinHandle<()>>,
}

impl StagingDir {
    /// Creates `.public.dunav-tmp-PID` beside `target`, on the same file system so the swap is a rename.
    pub fn create(target: &Path) -> io::Result<StagingDir> {
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent)?;
        let path = parent.join(format!(
            ".{}.dunav-tmp-{}",
            name_of(target),
            std::process::id()
        ));
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir(&path)?;
        let leftovers = set_aside_beside(target);
        let sweeper = (!leftovers.is_empty()).then(|| {
            std::thread::spawn(move || {
                for old in leftovers {
                    // Another process may be removing it too: whatever is left is gone after both.
                    let _ = remove_tree(&old);
                }
            })
        });
        Ok(StagingDir {
            path,
            target: target.to_path_buf(),
            done: false,
            sweeper,
        })
    }

    /// Replaces the target with the staged folder: two renames, so readers
    /// never see a half-built site. Returns the previous output, set aside
    /// for the caller to remove ([`remove_in_background`] or [`remove_tree`]).
    pub fn commit(mut self) -> io::Result<Option<PathBuf>> {
        if let Some(sweeper) = self.sweeper.take() {
            let _ = sweeper.join();
        }
        let old = parent_of(&self.target).join(format!(
            ".{}{OLD_MARK}{}",
            name_of(&self.target),
            std::process::id()
        ));
        let had_output = self.target.exists();
        if had_output && old.exists() {
            // An earlier build of the same process number whose removal failed.
            remove_tree(&old)?;
        }
        if had_output {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.path, &self.target) {
            // Put the last good build back.
            if had_output {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.done = true;
        Ok(had_output.then_some(old))
    }
}

impl Drop for StagingDir {
    fn drop(&mut self) {
        if !self.done {
            let _ = remove_tree(&self.path);
        }
        if let Some(sweeper) = self.sweeper.take() {
            let _ = sweeper.join();
        }
    }
}

fn parent_of(target: &Path) -> PathBuf {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

fn name_of(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into())
}

/// Previous outputs of `target` that earlier builds set aside.
fn set_aside_beside(target: &Path) -> Vec<PathBuf> {
    let prefix = format!(".{}{OLD_MARK}", name_of(target));
    let Ok(entries) = std::fs::read_dir(parent_of(target)) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect()
}

/// Whether `path` names a folder [`StagingDir::commit`] set aside: the only
/// kind the background removal will delete.
pub fn is_set_aside(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().contains(OLD_MARK))
}

/// Removes a set-aside output in a process of its own (`dunav` run again
/// with `command`), so that the build can end without waiting for it; it
/// keeps none of the build's output streams open. Removes it here when no
/// process can be started.
pub fn remove_in_background(old: &Path, command: &str) {
    let spawned = std::env::current_exe().and_then(|exe| {
        let mut remover = std::process::Command::new(exe);
        remover
            .arg(command)
            .arg(old)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        // Its own process group: a Ctrl-C meant for what runs next does not stop it half-way.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut remover, 0);
        remover.spawn()
    });
    if spawned.is_err() {
        let _ = remove_tree(old);
    }
}

/// Removes a folder tree, its second level in parallel: a large site has
/// thousands of folders, and unlinking them one by one is most of a rebuild's swap.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(2)
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .collect();
    entries.par_iter().for_each(|path| {
        let _ = if path.is_dir() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
    });
    std::fs::remove_dir_all(dir)
}
