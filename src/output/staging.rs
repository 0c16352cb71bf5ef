//! The build's private folder beside the output, swapped in whole when the
//! build succeeds, and the previous output's removal off the build's path.
//!
//! The previous output is not deleted: it is moved into `.dunav-cache` as
//! the spare, and the next build starts from it. That build replaces only
//! the files that differ and removes those no longer made. Making 20,000
//! folders and linking 21,000 files into an empty one took a quarter of a
//! build after an edit at 10,000 pages, and deleting the output it replaced
//! took as much again in the background. The spare is taken only when it
//! is still the folder the last build kept ([`folder_identity`]).
//!
//! An output that cannot be kept (no spare wanted, or another file system)
//! is renamed aside (`.public.dunav-old-PID`); the command line hands it to
//! a background process, and the next build removes any that is still there
//! (a killed process, a library caller) while it renders, before its own
//! swap: two builds in a row never leave more than the last one's folder,
//! and only until its removal ends.

use std::io;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

/// What a set-aside previous output is called: `.{name}{OLD_MARK}{pid}`.
const OLD_MARK: &str = ".dunav-old-";

/// What a build's own folder is called: `.{name}{TMP_MARK}{pid}`.
const TMP_MARK: &str = ".dunav-tmp-";

/// A temporary folder beside the output, swapped in only when the build succeeds.
pub struct StagingDir {
    pub path: PathBuf,
    /// It began as the spare: an earlier output, not an empty folder.
    pub from_spare: bool,
    target: PathBuf,
    done: bool,
    /// Removes the outputs earlier builds set aside, while this one renders.
    sweeper: Option<JoinHandle<()>>,
}

impl StagingDir {
    /// Creates `.public.dunav-tmp-PID` beside `target`, on the same file
    /// system so the swap is a rename: the spare moved there when it is still
    /// the folder the last build kept, else an empty folder (a spare that is
    /// not is removed while the build renders).
    pub fn create(target: &Path, spare: Option<Spare<'_>>) -> io::Result<StagingDir> {
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent)?;
        let path = parent.join(format!(
            ".{}{TMP_MARK}{}",
            name_of(target),
            std::process::id()
        ));
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        let mut leftovers = Vec::new();
        let from_spare = spare.is_some_and(|spare| spare.take(&path, target, &mut leftovers));
        if !from_spare {
            std::fs::create_dir(&path)?;
        }
        leftovers.extend(set_aside_beside(target));
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
            from_spare,
            target: target.to_path_buf(),
            done: false,
            sweeper,
        })
    }

    /// Replaces the target with the staged folder: swapped in one step
    /// (Linux) or two renames, so readers never see a half-built site. The previous output goes to
    /// `keep_spare` when that is free and on the same file system, else it
    /// is set aside for the caller to remove ([`remove_in_background`] or
    /// [`remove_tree`]).
    pub fn commit(mut self, keep_spare: Option<&Path>) -> io::Result<Committed> {
        if let Some(sweeper) = self.sweeper.take() {
            let _ = sweeper.join();
        }
        let mut committed = Committed::default();
        if !self.target.exists() {
            std::fs::rename(&self.path, &self.target)?;
            self.done = true;
            return Ok(committed);
        }
        let kept = keep_version_control(&self.target, &self.path)?;
        if exchange(&self.path, &self.target) {
            // The new output is in place; the previous one is where this folder was.
            self.done = true;
            if put_away(&self.path, &self.target, keep_spare, &mut committed).is_err() {
                let _ = remove_tree(&self.path);
            }
            return Ok(committed);
        }
        let moved = match put_away(&self.target, &self.target, keep_spare, &mut committed) {
            Ok(moved) => moved,
            Err(e) => {
                move_back(&kept, &self.path, &self.target);
                return Err(e);
            }
        };
        if let Err(e) = std::fs::rename(&self.path, &self.target) {
            // Put the last good build back, with its version control.
            let _ = std::fs::rename(&moved, &self.target);
            move_back(&kept, &self.path, &self.target);
            return Err(e);
        }
        self.done = true;
        Ok(committed)
    }
}

/// Moves what version control keeps at the top of the output (`.git`, a
/// `.gitkeep`, `.hg`…) from the output being replaced into the new one,
/// unless the site publishes a file of that name: an output folder that is
/// a checkout of the published branch (`git worktree add public gh-pages`,
/// as Hugo's docs suggest) keeps its history. Returns the names moved; when
/// one cannot be, those already moved go back and the build fails, the
/// output untouched. An output that is a link to a folder elsewhere is left
/// alone: its folder is not the build's to empty.
fn keep_version_control(previous: &Path, new: &Path) -> io::Result<Vec<std::ffi::OsString>> {
    let is_version_control = |name: &str| {
        name.starts_with(".git") || matches!(name, ".hg" | ".hgignore" | ".svn" | ".jj")
    };
    if !std::fs::symlink_metadata(previous)?.is_dir() {
        return Ok(Vec::new());
    }
    let mut moved = Vec::new();
    for entry in std::fs::read_dir(previous)? {
        let name = entry?.file_name();
        if !is_version_control(&name.to_string_lossy()) || new.join(&name).exists() {
            continue;
        }
        if let Err(e) = std::fs::rename(previous.join(&name), new.join(&name)) {
            move_back(&moved, new, previous);
            let what = format!(
                "cannot keep {} in the new output: {e}",
                previous.join(&name).display()
            );
            return Err(io::Error::new(e.kind(), what));
        }
        moved.push(name);
    }
    Ok(moved)
}

/// Puts the named entries back from `from` into `to`.
fn move_back(names: &[std::ffi::OsString], from: &Path, to: &Path) {
    for name in names {
        let _ = std::fs::rename(from.join(name), to.join(name));
    }
}

/// Moves `previous`, the output of `target` being replaced, to `keep_spare`
/// when that is free and on the same file system (another build's spare may
/// be there), else sets it aside beside `target`; returns where it went.
fn put_away(
    previous: &Path,
    target: &Path,
    keep_spare: Option<&Path>,
    committed: &mut Committed,
) -> io::Result<PathBuf> {
    if let Some(at) = keep_spare.filter(|at| !at.exists())
        && std::fs::rename(previous, at).is_ok()
    {
        committed.spare_kept = true;
        return Ok(at.to_path_buf());
    }
    let old = set_aside_name(target, "");
    if old.exists() {
        // An earlier build of the same process number whose removal failed.
        remove_tree(&old)?;
    }
    std::fs::rename(previous, &old)?;
    committed.set_aside = Some(old.clone());
    Ok(old)
}

/// Swaps two folders in one step where the system can (Linux), so that a
/// reader never finds neither; `false` where it cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Where [`StagingDir::commit`] put the previous output.
#[derive(Debug, Default)]
pub struct Committed {
    /// Renamed aside, for the caller to remove.
    pub set_aside: Option<PathBuf>,
    /// Moved to the spare's place.
    pub spare_kept: bool,
}

/// The earlier output a build may start from: where it is kept, and which
/// folder ([`folder_identity`]) the last build left there, if any.
#[derive(Debug, Clone, Copy)]
pub struct Spare<'a> {
    pub at: &'a Path,
    pub identity: Option<&'a str>,
}

impl Spare<'_> {
    /// Moves the spare to `staging` if it is the folder the last build kept;
    /// anything else found in its place is renamed aside into `leftovers`.
    fn take(self, staging: &Path, target: &Path, leftovers: &mut Vec<PathBuf>) -> bool {
        // Taken first and checked after: another build may take it meanwhile.
        if std::fs::rename(self.at, staging).is_err() {
            return false;
        }
        if self.identity.is_some() && folder_identity(staging).as_deref() == self.identity {
            return true;
        }
        let aside = set_aside_name(target, "-spare");
        if std::fs::rename(staging, &aside).is_ok() {
            leftovers.push(aside);
        } else {
            let _ = remove_tree(staging);
        }
        false
    }
}

/// Which folder `folder` is: on Unix its device, inode and time of change.
/// A folder put in its place by anything else differs in one of them, even
/// when the file system gives it the inode of the one it replaced. Moving a
/// folder keeps all three.
pub fn folder_identity(folder: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // A link is no folder of the build's, even to one.
        let meta = std::fs::symlink_metadata(folder)
            .ok()
            .filter(|m| m.is_dir())?;
        Some(format!(
            "{} {} {} {}",
            meta.dev(),
            meta.ino(),
            meta.mtime(),
            meta.mtime_nsec()
        ))
    }
    #[cfg(not(unix))]
    {
        // Without an inode a replaced folder cannot be told from the one recorded.
        let _ = folder;
        None
    }
}

/// `.{name}.dunav-old-{pid}{suffix}` beside `target`.
fn set_aside_name(target: &Path, suffix: &str) -> PathBuf {
    parent_of(target).join(format!(
        ".{}{OLD_MARK}{}{suffix}",
        name_of(target),
        std::process::id()
    ))
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

/// Previous outputs of `target` that earlier builds set aside, and the
/// folders of builds that were killed (their process is gone).
fn set_aside_beside(target: &Path) -> Vec<PathBuf> {
    let name = name_of(target);
    let (old, killed) = (format!(".{name}{OLD_MARK}"), format!(".{name}{TMP_MARK}"));
    let Ok(entries) = std::fs::read_dir(parent_of(target)) else {
        return Vec::new();
    };
    let left_behind = |file_name: &str| {
        file_name.starts_with(&old)
            || file_name
                .strip_prefix(&killed)
                .and_then(|pid| pid.parse().ok())
                .is_some_and(|pid| !process_runs(pid))
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| left_behind(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect()
}

/// Whether process `pid` runs; one whose number was taken again by another
/// process counts as running, so its folder stays.
fn process_runs(pid: i32) -> bool {
    #[cfg(unix)]
    {
        rustix::process::Pid::from_raw(pid).is_none_or(|pid| {
            rustix::process::test_kill_process(pid) != Err(rustix::io::Errno::SRCH)
        })
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
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
    // A file or a link put where a folder was: removed itself, never followed.
    if !std::fs::symlink_metadata(dir)?.is_dir() {
        return std::fs::remove_file(dir);
    }
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_link_or_a_file_where_a_folder_was_is_removed_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let precious = dir.path().join("precious/a/b");
        std::fs::create_dir_all(&precious).unwrap();
        std::fs::write(precious.join("file"), "keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(dir.path().join("precious"), &link).unwrap();
        assert_eq!(folder_identity(&link), None, "a link is no spare");
        remove_tree(&link).unwrap();
        assert!(
            std::fs::symlink_metadata(&link).is_err(),
            "the link is gone"
        );
        assert!(precious.join("file").exists(), "what it pointed at stays");
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        remove_tree(&file).unwrap();
        assert!(!file.exists());
    }
}
