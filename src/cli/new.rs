//! `dunav new <section> "<title>"`: a new content file with front matter.

use std::path::Path;

use anyhow::{Context, bail};
use clap::Args;

use dunav::content::PageKind;
use dunav::translit::slugify;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The section folder under content/, e.g. news, events, projects, newsletter.
    pub section: String,
    /// The title; the file name is its transliterated slug.
    pub title: String,
    /// Write the translation in this language (e.g. en) instead of the default.
    #[arg(long)]
    pub lang: Option<String>,
}

/// Quotes a string for YAML, escaping what needs it.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn run(root: &Path, args: NewArgs) -> anyhow::Result<()> {
    let config = crate::cli::load_config(root)?;
    let section = args.section.trim_matches('/');
    if section.split('/').any(|p| p == ".." || p.is_empty()) {
        bail!("\"{}\" is not a section folder", args.section);
    }
    let slug = slugify(&args.title);
    if slug.is_empty() {
        bail!("the title \"{}\" gives an empty file name", args.title);
    }
    let lang_suffix = match &args.lang {
        Some(l) if *l != config.default_language => {
            if !config.languages.contains_key(l) {
                bail!("language `{l}` is not in site.toml [languages]");
            }
            format!(".{l}")
        }
        _ => String::new(),
    };
    let now = dunav::env::now()?.to_zoned(config.time_zone());
    let kind = PageKind::of_section(section);
    let stem = match kind {
        PageKind::News => format!("{}-{slug}", now.strftime("%Y-%m-%d")),
        _ => slug.clone(),
    };
    let dir = root.join("content").join(section);
    let path = dir.join(format!("{stem}{lang_suffix}.md"));
    if path.exists() {
        bail!("{} already exists", path.display());
    }
    let date = now.strftime("%Y-%m-%dT%H:%M:00").to_string();
    // An event starts a week from now at 10:00 until the editor says otherwise.
    let week = now
        .date()
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(now.date());
    let (start, end) = (format!("{week}T10:00:00"), format!("{week}T12:00:00"));
    let mut fm = format!("---\ntitle: {}\n", yaml_string(&args.title));
    match kind {
        PageKind::News => fm.push_str(&format!("date: {date}\n# summary: \"…\"   (else the first paragraph)\ntags: []\nsectors: []\ndraft: true\n")),
        PageKind::Event => fm.push_str(&format!(
            "start: {start}\nend: {end}\n# location:\n#   name: \"…\"\n#   address: \"…\"\n#   online: https://…\n# registration: https://…\nsectors: []\ndraft: true\n"
        )),
        PageKind::Project => fm.push_str(&format!(
            "status: planned\nstart: {}\npartners: []\nsectors: []\ndraft: true\n",
            now.strftime("%Y-%m-%d")
        )),
        PageKind::Newsletter => fm.push_str(&format!("date: {date}\ndraft: true\n")),
        PageKind::Page => fm.push_str("draft: true\n"),
    }
    fm.push_str("---\n\n");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(&path, fm).with_context(|| format!("cannot write {}", path.display()))?;
    println!("{}", path.strip_prefix(root).unwrap_or(&path).display());
    Ok(())
}
