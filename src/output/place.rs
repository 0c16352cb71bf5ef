//! Whether a folder may take a build's output. A build replaces its output
//! folder whole, so `--output` pointed at the site's own sources, at a
//! folder holding the site, or at someone's documents would delete them.

use std::path::{Component, Path, PathBuf};

/// The site's own files and folders under its root, never an output.
const SOURCES: [&str; 5] = ["content", "static", "themes", "site.toml", ".dunav-cache"];

/// `Ok` when `target` may be replaced by the output of the site at `root`:
/// a new or empty folder, or one that holds a built site (an `index.html`),
/// outside the site's sources. The message says why not.
pub fn check_replaceable(root: &Path, target: &Path) -> Result<(), String> {
    // A symbolic link is replaced itself; what it points at is kept.
    if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_symlink()) {
        return Ok(());
    }
    if target.as_os_str().is_empty() {
        return Err("is empty: name a folder".to_string());
    }
    let (Some(root), Some(target)) = (resolved(root), resolved(target)) else {
        return Err("cannot be resolved to a folder".to_string());
    };
    if root.starts_with(&target) {
        return Err(if root == target {
            "is the site's own folder: a build replaces its output folder whole, so choose \
             another (the default is public/)"
                .to_string()
        } else {
            format!(
                "holds the site ({}): a build replaces its output folder whole, so choose another \
                 (the default is public/)",
                root.display()
            )
        });
    }
    if let Ok(inside) = target.strip_prefix(&root)
        && let Some(first) = inside.components().next()
        && SOURCES.iter().any(|s| first.as_os_str() == *s)
    {
        return Err(format!(
            "is in the site's sources ({}): a build replaces its output folder whole, so choose \
             another (the default is public/)",
            first.as_os_str().to_string_lossy()
        ));
    }
    match std::fs::symlink_metadata(&target) {
        Err(_) => Ok(()),
        Ok(meta) if !meta.is_dir() => Err("is a file, not a folder".to_string()),
        Ok(_) if looks_built(&target) => Ok(()),
        Ok(_) => Err(
            "has files that are not a built site (no index.html): a build replaces its output \
             folder whole, so choose a new or empty folder, or remove this one first"
                .to_string(),
        ),
    }
}

/// Empty (but for hidden files, a `.gitkeep`), or a site: what a build may
/// replace without losing anyone's files.
fn looks_built(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut visible = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'));
    visible.next().is_none() || dir.join("index.html").is_file()
}

/// The absolute path, `.` and `..` applied as written, then symbolic
/// links resolved as far as it exists (the rest does not exist yet).
fn resolved(path: &Path) -> Option<PathBuf> {
    let mut lexical = PathBuf::new();
    for part in std::path::absolute(path).ok()?.components() {
        match part {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            break real;
        }
        rest.push(existing.file_name()?);
        existing = existing.parent()?;
    };
    Some(rest.iter().rev().fold(base, |path, part| path.join(part)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_new_empty_or_built_folder_outside_the_sources_is_replaceable() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        for folder in [
            "content/news",
            "static",
            "themes",
            "public",
            "docs",
            "empty",
        ] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        std::fs::write(root.join("site.toml"), "").unwrap();
        std::fs::write(root.join("public/index.html"), "").unwrap();
        std::fs::write(root.join("docs/notes.txt"), "mine").unwrap();
        let ok = |target: &Path| check_replaceable(&root, target);
        assert_eq!(ok(&root.join("public")), Ok(()));
        assert_eq!(ok(&root.join("new/out")), Ok(()));
        assert_eq!(ok(&root.join("empty")), Ok(()));
        assert!(ok(&root).unwrap_err().contains("site's own folder"));
        assert!(
            ok(&root.join("content/.."))
                .unwrap_err()
                .contains("site's own folder")
        );
        assert!(ok(dir.path()).unwrap_err().contains("holds the site"));
        assert!(
            ok(&root.join("content"))
                .unwrap_err()
                .contains("sources (content)")
        );
        assert!(
            ok(&root.join("content/news/out"))
                .unwrap_err()
                .contains("sources")
        );
        assert!(ok(&root.join("themes")).unwrap_err().contains("sources"));
        assert!(ok(&root.join("site.toml")).unwrap_err().contains("sources"));
        assert!(
            ok(&root.join("docs"))
                .unwrap_err()
                .contains("no index.html")
        );
        // `..` through folders that do not exist yet.
        let sneaky = root.join("x/y/../../content");
        assert!(
            ok(&sneaky).unwrap_err().contains("sources (content)"),
            "{sneaky:?}"
        );
        assert!(ok(Path::new("")).is_err());
        // Only hidden files (`.gitkeep`): as empty.
        std::fs::write(root.join("empty/.gitkeep"), "").unwrap();
        assert_eq!(ok(&root.join("empty")), Ok(()));
    }
}
