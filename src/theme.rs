//! The default theme, built into the binary so that `dunav init` and the
//! tests work anywhere. A test checks that the list matches `themes/dunav/`.

use std::path::Path;

/// The default theme, built into the binary so `init` works anywhere.
/// A test checks that this list matches `themes/dunav/`.
pub const THEME_FILES: &[(&str, &str)] = &[
    (
        "static/search.js",
        include_str!("../themes/dunav/static/search.js"),
    ),
    (
        "static/style.css",
        include_str!("../themes/dunav/static/style.css"),
    ),
    ("strings.toml", include_str!("../themes/dunav/strings.toml")),
    (
        "templates/404.html",
        include_str!("../themes/dunav/templates/404.html"),
    ),
    (
        "templates/base.html",
        include_str!("../themes/dunav/templates/base.html"),
    ),
    (
        "templates/email/digest.html",
        include_str!("../themes/dunav/templates/email/digest.html"),
    ),
    (
        "templates/email/digest.txt",
        include_str!("../themes/dunav/templates/email/digest.txt"),
    ),
    (
        "templates/event.html",
        include_str!("../themes/dunav/templates/event.html"),
    ),
    (
        "templates/index.html",
        include_str!("../themes/dunav/templates/index.html"),
    ),
    (
        "templates/news.html",
        include_str!("../themes/dunav/templates/news.html"),
    ),
    (
        "templates/newsletter.html",
        include_str!("../themes/dunav/templates/newsletter.html"),
    ),
    (
        "templates/page.html",
        include_str!("../themes/dunav/templates/page.html"),
    ),
    (
        "templates/partials/card.html",
        include_str!("../themes/dunav/templates/partials/card.html"),
    ),
    (
        "templates/partials/lead-image.html",
        include_str!("../themes/dunav/templates/partials/lead-image.html"),
    ),
    (
        "templates/partials/neighbours.html",
        include_str!("../themes/dunav/templates/partials/neighbours.html"),
    ),
    (
        "templates/partials/page_meta.html",
        include_str!("../themes/dunav/templates/partials/page_meta.html"),
    ),
    (
        "templates/partials/related.html",
        include_str!("../themes/dunav/templates/partials/related.html"),
    ),
    (
        "templates/partials/sharing.html",
        include_str!("../themes/dunav/templates/partials/sharing.html"),
    ),
    (
        "templates/partials/pagination.html",
        include_str!("../themes/dunav/templates/partials/pagination.html"),
    ),
    (
        "templates/partials/signup.html",
        include_str!("../themes/dunav/templates/partials/signup.html"),
    ),
    (
        "templates/partials/taxonomy_links.html",
        include_str!("../themes/dunav/templates/partials/taxonomy_links.html"),
    ),
    (
        "templates/partials/toc.html",
        include_str!("../themes/dunav/templates/partials/toc.html"),
    ),
    (
        "templates/project.html",
        include_str!("../themes/dunav/templates/project.html"),
    ),
    (
        "templates/search.html",
        include_str!("../themes/dunav/templates/search.html"),
    ),
    (
        "templates/section.html",
        include_str!("../themes/dunav/templates/section.html"),
    ),
    (
        "templates/section/events.html",
        include_str!("../themes/dunav/templates/section/events.html"),
    ),
    (
        "templates/subscriptions/answer.html",
        include_str!("../themes/dunav/templates/subscriptions/answer.html"),
    ),
    (
        "templates/taxonomy_list.html",
        include_str!("../themes/dunav/templates/taxonomy_list.html"),
    ),
    (
        "templates/taxonomy_term.html",
        include_str!("../themes/dunav/templates/taxonomy_term.html"),
    ),
];

/// The folder name of the default theme under `themes/`.
pub const DEFAULT_THEME: &str = "dunav";

/// The default theme's interface strings (`strings.toml`): what a site's
/// own theme falls back to for a string it lacks (an older copy, say).
pub fn default_strings() -> &'static str {
    THEME_FILES
        .iter()
        .find(|(path, _)| *path == "strings.toml")
        .map(|(_, text)| *text)
        .unwrap_or("")
}

/// Writes the default theme into `themes/dunav` under `root`.
pub fn write_default(root: &Path) -> std::io::Result<()> {
    for (rel, text) in THEME_FILES {
        let path = root.join("themes").join(DEFAULT_THEME).join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_matches_the_theme_folder() {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/dunav");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&theme)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&theme)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        let mut embedded: Vec<String> = THEME_FILES.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        on_disk.sort();
        assert_eq!(embedded, on_disk, "update THEME_FILES in src/theme.rs");
    }
}
