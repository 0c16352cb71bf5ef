//! `dunav init DIR`: a new site with the default theme and a first page.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

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
    dunav::theme::write_default(dir)
        .with_context(|| format!("cannot write the theme into {}", dir.display()))?;
    println!("created a new site in {}", dir.display());
    println!("next: cd {} && dunav serve", dir.display());
    Ok(())
}
