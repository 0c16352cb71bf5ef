//! What is said of a file or folder of `content/` that cannot be read.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

/// The error for `path` (relative to the site), which the walk could not
/// read: a link loop, a symbolic link to nothing, or the system's reason.
pub(super) fn unreadable(path: PathBuf, e: &walkdir::Error) -> Diagnostic {
    let dangling = e
        .path()
        .and_then(|p| std::fs::read_link(p).ok())
        .filter(|_| {
            e.io_error()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
        });
    let message = if e.loop_ancestor().is_some() {
        "symbolic link loop; remove the link".to_string()
    } else if let Some(target) = dangling {
        format!(
            "a symbolic link to {}, which is not there; remove the link or put the file back",
            target.display()
        )
    } else {
        format!(
            "cannot read: {}",
            e.io_error().map(|e| e.to_string()).unwrap_or_default()
        )
    };
    Diagnostic::error(path, message)
}
