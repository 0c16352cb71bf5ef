//! `dunav init DIR`: a new site with the default theme and a first page.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

/// The default theme, built into the binary so `init` works anywhere.
/// A test checks that this list matches `themes/dunav/`.
pub const THEME_FILES: &[(&str, &str)] = &[
    (
        "static/style.css",
        include_str!("../../themes/dunav/static/style.css"),
    ),
    (
        "strings.toml",
        include_str!("../../themes/dunav/strings.toml"),
    ),
    (
        "templates/404.html",
        include_str!("../../themes/dunav/templates/404.html"),
    ),
    (
        "templates/base.html",
        include_str!("../../themes/dunav/templates/base.html"),
    ),
    (
        "templates/email/digest.html",
        include_str!("../../themes/dunav/templates/email/digest.html"),
    ),
    (
        "templates/email/digest.txt",
        include_str!("../../themes/dunav/templates/email/digest.txt"),
    ),
    (
        "templates/event.html",
        include_str!("../../themes/dunav/templates/event.html"),
    ),
    (
        "templates/index.html",
        include_str!("../../themes/dunav/templates/index.html"),
    ),
    (
        "templates/news.html",
        include_str!("../../themes/dunav/templates/news.html"),
    ),
    (
        "templates/newsletter.html",
        include_str!("../../themes/dunav/templates/newsletter.html"),
    ),
    (
        "templates/page.html",
        include_str!("../../themes/dunav/templates/page.html"),
    ),
    (
        "templates/partials/card.html",
        include_str!("../../themes/dunav/templates/partials/card.html"),
    ),
    (
        "templates/partials/neighbours.html",
        include_str!("../../themes/dunav/templates/partials/neighbours.html"),
    ),
    (
        "templates/partials/page_meta.html",
        include_str!("../../themes/dunav/templates/partials/page_meta.html"),
    ),
    (
        "templates/partials/pagination.html",
        include_str!("../../themes/dunav/templates/partials/pagination.html"),
    ),
    (
        "templates/partials/signup.html",
        include_str!("../../themes/dunav/templates/partials/signup.html"),
    ),
    (
        "templates/partials/taxonomy_links.html",
        include_str!("../../themes/dunav/templates/partials/taxonomy_links.html"),
    ),
    (
        "templates/partials/toc.html",
        include_str!("../../themes/dunav/templates/partials/toc.html"),
    ),
    (
        "templates/project.html",
        include_str!("../../themes/dunav/templates/project.html"),
    ),
    (
        "templates/section.html",
        include_str!("../../themes/dunav/templates/section.html"),
    ),
    (
        "templates/section/events.html",
        include_str!("../../themes/dunav/templates/section/events.html"),
    ),
    (
        "templates/subscriptions/answer.html",
        include_str!("../../themes/dunav/templates/subscriptions/answer.html"),
    ),
    (
        "templates/taxonomy_list.html",
        include_str!("../../themes/dunav/templates/taxonomy_list.html"),
    ),
    (
        "templates/taxonomy_term.html",
        include_str!("../../themes/dunav/templates/taxonomy_term.html"),
    ),
];

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (must be empty or not exist).
    pub dir: PathBuf,
    /// The URL the site will be published at.
    #[arg(long, default_value = "https://example.org")]
    pub base_url: String,
}

const SITE_TOML: &str = r#"base_url = "BASE_URL"
default_language = "bg"
timezone = "Europe/Sofia"
theme = "dunav"
paginate = 10
menu = ["news", "events", "about"]

[languages.bg]
name = "Български"
title = "Моят сайт"
description = "Новини и събития"

[languages.en]
name = "English"
title = "My site"
description = "News and events"

[sectors.ict]
bg = "ИКТ"
en = "ICT"

[newsletter]
endpoint = ""
"#;

const STARTER_FILES: &[(&str, &str)] = &[
    (
        "content/_index.md",
        "---\ntitle: \"Моят сайт\"\n---\n\nДобре дошли!\n",
    ),
    (
        "content/_index.en.md",
        "---\ntitle: \"My site\"\n---\n\nWelcome!\n",
    ),
    ("content/news/_index.md", "---\ntitle: \"Новини\"\n---\n"),
    ("content/news/_index.en.md", "---\ntitle: \"News\"\n---\n"),
    ("content/events/_index.md", "---\ntitle: \"Събития\"\n---\n"),
    (
        "content/events/_index.en.md",
        "---\ntitle: \"Events\"\n---\n",
    ),
    (
        "content/about.md",
        "---\ntitle: \"За нас\"\n---\n\nКои сме ние.\n",
    ),
    (
        "content/about.en.md",
        "---\ntitle: \"About\"\n---\n\nWho we are.\n",
    ),
    ("static/.gitkeep", ""),
    (".gitignore", "/public\n/data\n"),
];

/// Writes the default theme into `themes/dunav` under `root`.
pub fn write_theme(root: &Path) -> anyhow::Result<()> {
    for (rel, text) in THEME_FILES {
        write_file(&root.join("themes/dunav").join(rel), text)?;
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

pub fn run(args: InitArgs) -> anyhow::Result<()> {
    let dir = &args.dir;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!("{} exists and is not empty", dir.display());
    }
    write_file(
        &dir.join("site.toml"),
        &SITE_TOML.replace("BASE_URL", &args.base_url),
    )?;
    for (rel, text) in STARTER_FILES {
        write_file(&dir.join(rel), text)?;
    }
    write_theme(dir)?;
    println!("created a new site in {}", dir.display());
    println!("next: cd {} && dunav serve", dir.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_matches_the_theme_folder() {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/dunav");
        let on_disk: Vec<String> = walkdir::WalkDir::new(&theme)
            .sort_by_file_name()
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
        let mut on_disk = on_disk;
        embedded.sort();
        on_disk.sort();
        assert_eq!(embedded, on_disk, "update THEME_FILES in src/cli/init.rs");
    }
}
