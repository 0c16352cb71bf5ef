//! `dunav new <section> "<title>"`: a new content file with front matter;
//! `dunav new --translate content/news/x.md --lang en`: its translation.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use dunav::config::SiteConfig;
use dunav::content::PageKind;
use dunav::translit::slugify;
use jiff::Zoned;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  dunav new news \"Нов партньор\"\n  dunav new events \"Семинар\"\n  dunav new --translate content/news/2026-12-01-nov-partnyor.md --lang en"
)]
pub struct NewArgs {
    /// The section folder under content/, e.g. news, events, projects, newsletter.
    #[arg(required_unless_present = "translate")]
    pub section: Option<String>,
    /// The title; the file name is its transliterated slug.
    #[arg(required_unless_present = "translate")]
    pub title: Option<String>,
    /// The language of the new file (e.g. en); the default language if not given.
    #[arg(long)]
    pub lang: Option<String>,
    /// Start the translation of this file into --lang: its front matter, to translate.
    #[arg(long, requires = "lang", conflicts_with_all = ["section", "title"])]
    pub translate: Option<PathBuf>,
}

/// Quotes a string for YAML, escaping what needs it.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn run(root: &Path, args: NewArgs) -> anyhow::Result<()> {
    let config = crate::cli::load_config(root)?;
    let now = dunav::env::now()?.to_zoned(config.time_zone());
    let path = match (&args.translate, &args.section, &args.title) {
        (Some(source), _, _) => translation(root, &config, source, args.lang.as_deref())?,
        (None, Some(section), Some(title)) => {
            new_page(root, &config, section, title, args.lang.as_deref(), &now)?
        }
        _ => bail!("give a section and a title, or --translate FILE --lang LANG"),
    };
    println!("{}", path.strip_prefix(root).unwrap_or(&path).display());
    Ok(())
}

/// `.en` for a language other than the default, after checking site.toml has it.
fn language_suffix(config: &SiteConfig, lang: Option<&str>) -> anyhow::Result<String> {
    match lang {
        Some(l) if l != config.default_language => {
            if !config.languages.contains_key(l) {
                bail!("language `{l}` is not in site.toml [languages]");
            }
            Ok(format!(".{l}"))
        }
        _ => Ok(String::new()),
    }
}

/// `dir/stem.md`, or `dir/stem-2.md`, `-3`… when it is taken (in any language).
fn free_path(dir: &Path, stem: &str, suffix: &str) -> PathBuf {
    let taken = |stem: &str| {
        dir.join(format!("{stem}{suffix}.md")).exists() || dir.join(format!("{stem}.md")).exists()
    };
    if !taken(stem) {
        return dir.join(format!("{stem}{suffix}.md"));
    }
    (2..)
        .map(|n| format!("{stem}-{n}"))
        .find(|s| !taken(s))
        .map(|s| dir.join(format!("{s}{suffix}.md")))
        .unwrap_or_else(|| dir.join(format!("{stem}{suffix}.md")))
}

fn new_page(
    root: &Path,
    config: &SiteConfig,
    section: &str,
    title: &str,
    lang: Option<&str>,
    now: &Zoned,
) -> anyhow::Result<PathBuf> {
    let section = section.trim_matches('/');
    if section.split('/').any(|p| p == ".." || p.is_empty()) {
        bail!("\"{section}\" is not a section folder");
    }
    let slug = short_slug(&slugify(title));
    if slug.is_empty() {
        // `{:?}` shows what cannot be seen (zero-width spaces) as escapes.
        bail!("the title {title:?} gives an empty file name: give one with letters or digits");
    }
    let kind = PageKind::of_section(section);
    let dir = root.join("content").join(section);
    if kind == PageKind::Page && !dir.is_dir() {
        bail!("{}", unknown_section(root, section));
    }
    let stem = match kind {
        PageKind::News => format!("{}-{slug}", now.strftime("%Y-%m-%d")),
        _ => slug,
    };
    let path = free_path(&dir, &stem, &language_suffix(config, lang)?);
    let front_matter = format!(
        "---\ntitle: {}\n{}---\n\n",
        yaml_string(title),
        fields_of(kind, now)
    );
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(&path, front_matter)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// A section folder that does not exist is more likely a slip (`event` for
/// `events`) than a new section: say what there is.
fn unknown_section(root: &Path, section: &str) -> String {
    let mut folders: Vec<String> = std::fs::read_dir(root.join("content"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for kind in ["news", "events", "projects", "newsletter"] {
        if !folders.iter().any(|f| f == kind) {
            folders.push(kind.to_string());
        }
    }
    folders.sort();
    let known: Vec<&str> = folders.iter().map(String::as_str).collect();
    let hint = match dunav::diagnostics::did_you_mean(section, &known) {
        Some(near) => format!("did you mean `{near}`? "),
        None => String::new(),
    };
    format!(
        "there is no section content/{section}/\n{hint}sections: {}; to start a new one, create its folder first (mkdir content/{section})",
        known.join(", ")
    )
}

/// The front matter a new page of a kind starts with (after its title).
fn fields_of(kind: PageKind, now: &Zoned) -> String {
    let date = now.strftime("%Y-%m-%dT%H:%M:00").to_string();
    // An event starts a week from now at 10:00 until the editor says otherwise.
    let week = now
        .date()
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(now.date());
    match kind {
        PageKind::News => format!(
            "date: {date}\n# summary: \"…\"   (else the first paragraph)\ntags: []\nsectors: []\ndraft: true\n"
        ),
        PageKind::Event => format!(
            "start: {week}T10:00:00\nend: {week}T12:00:00\n# location:\n#   name: \"…\"\n#   address: \"…\"\n#   online: https://…\n# registration: https://…\nsectors: []\ndraft: true\n"
        ),
        // `date` is when it was announced: what the newsletter's digest lists it by.
        PageKind::Project => format!(
            "date: {date}\nstatus: planned\nstart: {}\npartners: []\nsectors: []\ndraft: true\n",
            now.strftime("%Y-%m-%d")
        ),
        PageKind::Newsletter => format!("date: {date}\ndraft: true\n"),
        PageKind::Page => "draft: true\n".to_string(),
    }
}

/// Front matter fields a translation translates; the others are the same in every language.
const TRANSLATED: [&str; 4] = ["title", "summary", "image_alt", "tags"];

/// `x.md` → `x.en.md` (or `index.md` → `index.en.md`; `x.en.md` → `x.md`
/// in the default language), with the front matter to translate marked and
/// the body to translate below it.
fn translation(
    root: &Path,
    config: &SiteConfig,
    source: &Path,
    lang: Option<&str>,
) -> anyhow::Result<PathBuf> {
    let lang = lang.unwrap_or_default();
    let suffix = language_suffix(config, Some(lang))?;
    let file = if source.is_absolute() || source.exists() {
        source.to_path_buf()
    } else {
        root.join(source)
    };
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = dunav::content::paths::markdown_base(name).unwrap_or(name);
    // `x.en.md` is the English of `x`: a page written in English first
    // is translated into the default language as `x.md`.
    let (base, from_lang) = config
        .languages
        .keys()
        .find_map(|l| Some((stem.strip_suffix(&format!(".{l}"))?, l.as_str())))
        .unwrap_or((stem, config.default_language.as_str()));
    if from_lang == lang {
        bail!(
            "{} is in `{from_lang}` already: give --lang another language",
            file.display()
        );
    }
    let target = file.with_file_name(format!("{base}{suffix}.md"));
    if target.exists() {
        bail!("{} exists already", target.display());
    }
    // Front matter as the loader reads it: with or without a BOM, LF or CRLF.
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let (fence, separator) = match text.starts_with("+++\n") {
        true => ("+++", '='),
        false => ("---", ':'),
    };
    let (front, body) = text
        .strip_prefix(&format!("{fence}\n"))
        .and_then(|rest| rest.split_once(&format!("\n{fence}\n")))
        .with_context(|| {
            format!(
                "{} has no front matter (`---` or `+++` lines) to start from",
                file.display()
            )
        })?;
    let mut out = format!(
        "{fence}\n# Translated from {name}: translate the lines marked TRANSLATE and the text.\n"
    );
    // TOML's keys after a `[table]` line are the table's: `draft` goes first.
    if fence == "+++" {
        out.push_str("draft = true\n");
    }
    for line in front.lines() {
        let key = line.split(separator).next().unwrap_or("").trim();
        if key == "draft" && !line.starts_with([' ', '\t']) {
            continue;
        }
        if TRANSLATED.contains(&key) && !line.starts_with([' ', '-']) {
            out.push_str(&format!("{line}   # TRANSLATE\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if fence == "---" {
        out.push_str("draft: true\n");
    }
    out.push_str(&format!("{fence}\n"));
    out.push_str(body);
    std::fs::write(&target, out).with_context(|| format!("cannot write {}", target.display()))?;
    Ok(target)
}

/// A file name of at most 80 bytes, cut at a word: a headline-long title
/// would make a name the file system refuses, and a URL nobody types.
fn short_slug(slug: &str) -> String {
    const MAX: usize = 80;
    if slug.len() <= MAX {
        return slug.to_string();
    }
    let cut = &slug[..MAX];
    match cut.rfind('-') {
        Some(at) if at > MAX / 2 => cut[..at].to_string(),
        _ => cut.trim_end_matches('-').to_string(),
    }
}
