//! `dunav init DIR`: a new site that builds at once: the default theme, a
//! site.toml to fill in, and a home, about and privacy page and one example
//! of each kind of content, in Bulgarian and English.

mod starter;

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (must be empty or not exist).
    pub dir: PathBuf,
    /// The URL the site will be published at (asked for on a terminal).
    #[arg(long)]
    pub base_url: Option<String>,
    /// The site's title in Bulgarian (asked for on a terminal).
    #[arg(long)]
    pub title: Option<String>,
    /// The site's title in English (asked for on a terminal).
    #[arg(long)]
    pub title_en: Option<String>,
}

/// What the new site is called and where it will live.
pub struct Answers {
    pub base_url: String,
    pub title: String,
    pub title_en: String,
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
    let answers = answers(args.base_url, args.title, args.title_en)?;
    let today = dunav::env::now()?.to_zoned(jiff::tz::TimeZone::get("Europe/Sofia")?);
    for (rel, text) in starter::files(&answers, &today) {
        write_file(&dir.join(rel), &text)?;
    }
    dunav::theme::write_default(dir)
        .with_context(|| format!("cannot write the theme into {}", dir.display()))?;
    println!("created a new site in {}", dir.display());
    println!("next:");
    println!(
        "  cd {} && dunav serve     # see it at http://127.0.0.1:1111/",
        dir.display()
    );
    if answers.base_url.contains(dunav::config::PLACEHOLDER) {
        println!("  edit site.toml: base_url, the address the site will be published at");
    }
    println!(
        "  edit site.toml: the [newsletter] lines marked change-me.invalid before you send mail"
    );
    Ok(())
}

/// The flags, or on a terminal the editor's answers (Enter keeps the default).
fn answers(
    base_url: Option<String>,
    title: Option<String>,
    title_en: Option<String>,
) -> anyhow::Result<Answers> {
    let interactive = std::io::stdin().is_terminal();
    let ask = |given: Option<String>, question: &str, default: &str| -> anyhow::Result<String> {
        if let Some(value) = given {
            return Ok(value);
        }
        if !interactive {
            return Ok(default.to_string());
        }
        print!("{question} [{default}]: ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let line = line.trim();
        Ok(if line.is_empty() { default } else { line }.to_string())
    };
    // Without an answer the address is a placeholder that check and build flag.
    let base_url = ask(
        base_url,
        "The URL the site will be published at",
        &format!("https://{}", dunav::config::PLACEHOLDER),
    )?;
    if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
        bail!("\"{base_url}\" is not an http(s) URL");
    }
    let path = base_url.splitn(4, '/').nth(3).unwrap_or_default();
    if !path.trim_matches('/').is_empty() {
        bail!(
            "\"{base_url}\" has a path (/{path}): dunav publishes at the root of a domain; give the address without it"
        );
    }
    let title = ask(title, "The site's title in Bulgarian", "Моят сайт")?;
    let title_en = ask(title_en, "The site's title in English", "My site")?;
    if title.trim().is_empty() || title_en.trim().is_empty() {
        bail!("a site's title may not be empty");
    }
    Ok(Answers {
        base_url: base_url.trim_end_matches('/').to_string(),
        title,
        title_en,
    })
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}
