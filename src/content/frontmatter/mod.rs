//! Splitting a content file into front matter and body, and reading the front
//! matter into typed fields with errors that name the line and the field.

mod dates;
pub mod memo;
mod metadata;
mod reader;
mod toml_block;
mod yaml;

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::Value;

use crate::content::page::PageKind;
use crate::diagnostics::Diagnostic;
use reader::FieldReader;

pub use dates::DateValue;

/// How the front matter is written: YAML between `---` lines, or TOML
/// between `+++` lines (Zola's and Hugo's other form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Toml,
    /// Pelican's and MultiMarkdown's `Title: …` lines, ended by a blank line.
    Metadata,
}

/// A content file split at its front matter fences.
#[derive(Debug)]
pub struct SplitFile<'a> {
    pub syntax: Syntax,
    pub front_matter: &'a str,
    /// The line in the file where the front matter text begins (1-based).
    pub front_matter_line: usize,
    pub body: &'a str,
    /// The line in the file where the body begins (1-based).
    pub body_line: usize,
}

impl SplitFile<'_> {
    /// Whether the file had front matter (empty or not), not text alone.
    pub fn has_front_matter(&self) -> bool {
        self.body_line > 1
    }

    /// A file of text alone: no fields, the whole of it the body.
    pub fn body_only(text: &str) -> SplitFile<'_> {
        SplitFile {
            syntax: Syntax::Yaml,
            front_matter: "",
            front_matter_line: 1,
            body: text,
            body_line: 1,
        }
    }
}

/// Whether the front matter writes `field` at its top level (however wrong
/// its value): read without the whole front matter.
pub fn names_field(split: &SplitFile<'_>, field: &str) -> bool {
    let mut lines = match split.syntax {
        Syntax::Yaml => yaml::key_lines(split.front_matter, 1),
        Syntax::Toml => toml_block::key_lines(split.front_matter, 1),
        Syntax::Metadata => metadata::key_lines(split.front_matter, 1),
    };
    fold_key_case(&mut lines);
    lines.contains_key(field)
}

/// Splits `---` front matter from the body. Expects text with LF line ends and no BOM.
pub fn split(text: &str) -> Result<SplitFile<'_>, String> {
    // Blank lines above the fence are skipped, as Zola and Hugo skip them.
    let blank = text
        .split_inclusive('\n')
        .take_while(|line| line.trim().is_empty() && line.ends_with('\n'))
        .count();
    let skipped: usize = text.split_inclusive('\n').take(blank).map(str::len).sum();
    let text = &text[skipped..];
    let first = text.lines().next().unwrap_or("").trim_end();
    let (syntax, fence) = match first {
        // gray-matter's (Eleventy's, Astro's) `---yaml` names the default.
        "---" | "---yaml" | "---yml" => (Syntax::Yaml, "---"),
        "+++" => (Syntax::Toml, "+++"),
        "---toml" => (Syntax::Toml, "---"),
        "---js" | "---javascript" | "---json" => {
            return Err(format!(
                "front matter in {} (`{first}`) is not read: write the fields as YAML between `---` lines",
                if first == "---json" {
                    "JSON"
                } else {
                    "JavaScript"
                }
            ));
        }
        _ if let Some(header) = metadata::header(text) => {
            let body = &text[header.len()..];
            // The blank line that ends the header is not the body's.
            let blank_line = body.split_inclusive('\n').next().unwrap_or("");
            return Ok(SplitFile {
                syntax: Syntax::Metadata,
                front_matter: header,
                front_matter_line: blank + 1,
                body: &body[blank_line.len()..],
                body_line: blank + header.matches('\n').count() + 2,
            });
        }
        _ if first.starts_with('{') => {
            return Err(
                "JSON front matter is not read: write the fields as YAML between `---` lines"
                    .into(),
            );
        }
        _ => {
            return Err(
                "the file must start with front matter (a line `---`, YAML fields such as `title:`, and a closing `---`; or TOML between `+++` lines), or its text with a `# Heading` that titles it"
                    .into(),
            );
        }
    };
    let rest = text.split_once('\n').map(|(_, rest)| rest).unwrap_or("");
    let mut offset = 0;
    // YAML's own end of a document, `...`, closes it too (Pandoc writes it).
    let closes = |line: &str| line == fence || (fence == "---" && line == "...");
    for line in rest.split_inclusive('\n') {
        if closes(line.trim_end()) {
            let front_matter = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let fm_lines = front_matter.matches('\n').count();
            return Ok(SplitFile {
                syntax,
                front_matter,
                front_matter_line: blank + 2,
                body,
                body_line: blank + fm_lines + 3,
            });
        }
        offset += line.len();
    }
    Err(format!("the front matter has no closing `{fence}` line"))
}

/// Where an event takes place.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct EventLocation {
    pub name: Option<String>,
    pub address: Option<String>,
    pub online: Option<String>,
}

/// A project's state.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ProjectStatus {
    Planned,
    Active,
    Completed,
}

/// Every field of the content model, read and type-checked; which are
/// required depends on the section and is checked by the loader.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: String,
    pub summary: Option<String>,
    pub slug: Option<String>,
    pub date: Option<DateValue>,
    pub updated: Option<DateValue>,
    pub draft: bool,
    /// Hugo's `publishDate`: published from then on (`date` stays the date shown).
    pub publish_date: Option<DateValue>,
    /// Hugo's `expiryDate`: left out from then on.
    pub expiry_date: Option<DateValue>,
    pub tags: Vec<String>,
    pub sectors: Vec<String>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// The names, joined: what templates show.
    pub author: Option<String>,
    /// Each name of `author` or `authors`: each its own in feeds and JSON-LD.
    pub authors: Vec<String>,
    pub aliases: Vec<String>,
    /// The aliases that are the page's address in another tool, with the
    /// field that gave each (Hugo's `url`, Jekyll's `permalink`, Zola's
    /// `path`): left out, with a warning, where they clash with what the
    /// site makes.
    pub former_urls: Vec<(String, String)>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    // Events, and projects (as dates).
    pub start: Option<DateValue>,
    pub end: Option<DateValue>,
    pub location: Option<EventLocation>,
    pub registration: Option<String>,
    // Projects.
    pub status: Option<ProjectStatus>,
    pub partners: Vec<String>,
    pub programme: Option<String>,
    pub website: Option<String>,
    // Newsletter issues.
    pub since: Option<DateValue>,
    pub events_days: Option<i64>,
    /// Fields dunav does not know, passed to templates as `extra`.
    pub extra: BTreeMap<String, Value>,
    /// The line of each field in the file, for later checks.
    pub lines: BTreeMap<String, usize>,
}

impl FrontMatter {
    /// The line of a field in the file, or the first front matter line.
    pub fn line_of(&self, field: &str) -> usize {
        self.lines.get(field).copied().unwrap_or(1)
    }
}

/// Whether another tool's front matter keeps the page unpublished, which
/// dunav reads as `draft: true` (published, a migrated draft would go
/// live): Jekyll's and Hexo's `published: false`, Hugo's `headless: true`
/// and `build` (or `_build`) with `render: never` or `false`, Zola's
/// `render = false` and Eleventy's `permalink: false` (no page written).
fn kept_unpublished(fields: &std::collections::BTreeMap<String, Value>) -> bool {
    let is = |value: Option<&Value>, words: &[&str], flag: bool| match value {
        Some(Value::Bool(b)) => *b == flag,
        Some(Value::String(s)) => words.contains(&s.trim().to_ascii_lowercase().as_str()),
        _ => false,
    };
    let never_rendered = ["build", "_build"].iter().any(|key| {
        fields
            .get(*key)
            .and_then(Value::as_object)
            .is_some_and(|build| is(build.get("render"), &["never", "false"], false))
    });
    is(fields.get("published"), &["false", "no"], false)
        || is(fields.get("headless"), &["true", "yes"], true)
        || fields.get("render") == Some(&Value::Bool(false))
        || fields.get("permalink") == Some(&Value::Bool(false))
        || never_rendered
}

/// Keys read as the field they spell in another case (`Draft`, `TITLE`), as
/// Hugo reads front matter: Pelican, Obsidian and editors on Windows write
/// them so, and a `Draft: true` read as an extra field published a draft.
/// A key written in both cases keeps its own.
pub(crate) fn fold_key_case<V>(fields: &mut BTreeMap<String, V>) {
    const DRAFT_KEYS: [&str; 6] = [
        "published",
        "headless",
        "build",
        "_build",
        "render",
        "permalink",
    ];
    let folded: Vec<String> = fields
        .keys()
        .filter(|key| key.chars().any(char::is_uppercase))
        .filter(|key| {
            let lower = key.to_lowercase();
            (KNOWN_FIELDS.contains(&lower.as_str()) || DRAFT_KEYS.contains(&lower.as_str()))
                && !fields.contains_key(&lower)
        })
        .cloned()
        .collect();
    for key in folded {
        if let Some(value) = fields.remove(&key) {
            fields.entry(key.to_lowercase()).or_insert(value);
        }
    }
}

/// Every field the content model knows; others go to `extra`.
pub const KNOWN_FIELDS: &[&str] = &[
    "title",
    "summary",
    "slug",
    "date",
    "updated",
    "draft",
    "tags",
    "sectors",
    "image",
    "image_alt",
    "author",
    "aliases",
    "weight",
    "template",
    "start",
    "end",
    "location",
    "registration",
    "status",
    "partners",
    "programme",
    "website",
    "since",
    "events_days",
];

/// Reads a split file's front matter, YAML or TOML. `path` names the file
/// in messages. A syntax error stops the reading; a field that is wrong is
/// reported and left out, so that every other check of the file still runs.
/// Only a `kind`'s own fields are read as dunav's (`status` of a project,
/// `start` of an event): on another page they are extra fields, as the
/// content model says of any field it does not know.
pub fn parse_split(
    split: &SplitFile<'_>,
    path: &str,
    tz: &TimeZone,
    kind: PageKind,
    inherited: &BTreeMap<String, Value>,
) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    let source = (split.syntax, split.front_matter, split.front_matter_line);
    parse_as(source, path, tz, (kind, inherited))
}

fn parse_as(
    (syntax, text, first_line): (Syntax, &str, usize),
    path: &str,
    tz: &TimeZone,
    (kind, inherited): (PageKind, &BTreeMap<String, Value>),
) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    // The same text read as TOML has other fields: another memo key.
    let key = match syntax {
        Syntax::Yaml => memo::key(text),
        Syntax::Toml => !memo::key(text),
        Syntax::Metadata => memo::key(text).rotate_left(1),
    };
    let fields = match memo::get(key) {
        Some(fields) => fields,
        None => {
            let mut fields = match syntax {
                Syntax::Yaml => yaml::parse_map(text, first_line, path)?,
                Syntax::Toml => toml_block::parse_map(text, first_line, path)?,
                Syntax::Metadata => metadata::parse_map(text),
            };
            fields
                .values_mut()
                .for_each(crate::content::text_file::mend_value);
            fold_key_case(&mut fields);
            memo::put(key, &fields);
            fields
        }
    };
    let mut fields = fields;
    // A section's `cascade` (see `content::cascade`): what the page does not set.
    for (key, value) in inherited {
        fields.entry(key.clone()).or_insert_with(|| value.clone());
    }
    let mut lines = match syntax {
        Syntax::Yaml => yaml::key_lines(text, first_line),
        Syntax::Toml => toml_block::key_lines(text, first_line),
        Syntax::Metadata => metadata::key_lines(text, first_line),
    };
    fold_key_case(&mut lines);
    let mut reader = FieldReader {
        path,
        first_line,
        tz,
        errors: Vec::new(),
        fields,
        lines: lines.clone(),
        yaml: text,
    };
    let mut fm = FrontMatter {
        lines,
        ..FrontMatter::default()
    };
    match reader.string("title") {
        // A folded or literal block (`title: >`) ends with a line break.
        Some(title) if !title.trim().is_empty() => fm.title = title.trim().to_string(),
        Some(_) => reader.fail("title", "must not be empty"),
        None => reader.missing("title"),
    }
    read_summary(&mut reader, &mut fm);
    fm.slug = reader.string("slug");
    read_dates(&mut reader, &mut fm);
    fm.draft = reader.boolean("draft").unwrap_or(false) || kept_unpublished(&reader.fields);
    fm.tags = reader.strings("tags");
    fm.sectors = reader.strings("sectors");
    read_image(&mut reader, &mut fm);
    read_author(&mut reader, &mut fm);
    read_aliases(&mut reader, &mut fm);
    fm.weight = reader.integer("weight");
    read_template(&mut reader, &mut fm);
    read_kind_fields(&mut reader, &mut fm, kind);
    reader.warn_misspelt_keys();
    reader.warn_foreign_keys();
    fm.extra = std::mem::take(&mut reader.fields);
    // Zola's `[extra]` (or `extra:` in YAML) is free data: its fields are
    // extra fields, never dunav's own; one written at the top wins.
    if let Some(Value::Object(inner)) = fm.extra.remove("extra") {
        for (key, value) in inner {
            fm.extra.entry(key).or_insert(value);
        }
    }
    Ok((fm, reader.errors))
}

/// `summary`, or Jekyll's `excerpt`; `summary: ""` (as a template leaves
/// it) means "none": the text's first paragraph then. Hugo's and Zola's
/// `description` says the same; it stays in `extra` too.
fn read_summary(reader: &mut FieldReader<'_>, fm: &mut FrontMatter) {
    fm.summary = [reader.string("summary"), reader.string("excerpt")]
        .into_iter()
        .flatten()
        .find(|s| !s.trim().is_empty());
    if fm.summary.is_none()
        && let Some(Value::String(description)) = reader.fields.get("description")
        && !description.trim().is_empty()
    {
        fm.summary = Some(description.trim().to_string());
    }
}

/// `image` and `image_alt`. Astro's blog template calls the lead image
/// `heroImage`, and shows it as decorative (`alt=""`): so is it here,
/// unless `image_alt` says more.
fn read_image(reader: &mut FieldReader<'_>, fm: &mut FrontMatter) {
    fm.image = reader.string("image");
    let hero = fm
        .image
        .is_none()
        .then(|| reader.string("heroImage"))
        .flatten();
    fm.image_alt = reader.string("image_alt");
    if let Some(hero) = hero {
        fm.image = Some(hero);
        fm.image_alt.get_or_insert_default();
    }
}

/// MkDocs Material's blog writes `date: {created: …, updated: …}`: its
/// `created` is the page's `date`, its `updated` (unless the page has one)
/// its `updated`, each at the `date` line.
fn material_blog_dates(reader: &mut FieldReader<'_>) {
    let Some(Value::Object(dates)) = reader.fields.get("date") else {
        return;
    };
    let Some(created) = dates.get("created").cloned() else {
        return;
    };
    let updated = dates.get("updated").cloned();
    let line = reader.line("date");
    reader.fields.insert("date".into(), created);
    if let Some(updated) = updated.filter(|_| !reader.fields.contains_key("updated")) {
        reader.fields.insert("updated".into(), updated);
        reader.lines.insert("updated".into(), line);
    }
}

/// `date`, `updated` and the scheduling fields, in Hugo's spellings too.
fn read_dates(reader: &mut FieldReader<'_>, fm: &mut FrontMatter) {
    material_blog_dates(reader);
    fm.date = reader.date("date");
    // Hugo calls it `lastmod`, Astro's blog `updatedDate`.
    fm.updated = [
        reader.date("updated"),
        reader.date("lastmod"),
        reader.date("updatedDate"),
    ]
    .into_iter()
    .flatten()
    .next();
    // Hugo's scheduling fields, in its spellings and ours.
    let publish = [
        reader.date("publishDate"),
        reader.date("publishdate"),
        reader.date("publish_date"),
        reader.date("pubdate"),
        // Astro's.
        reader.date("pubDate"),
    ];
    fm.publish_date = publish.into_iter().flatten().next();
    let expiry = [
        reader.date("expiryDate"),
        reader.date("expirydate"),
        reader.date("expiry_date"),
        reader.date("unpublishdate"),
    ];
    fm.expiry_date = expiry.into_iter().flatten().next();
    if fm.date.is_none() && !reader.lines.contains_key("date") {
        fm.date = fm.publish_date.clone();
    }
}

/// `author`, one name or a list (Hugo themes' `author: ["A", "B"]`), or
/// Zola's and Hugo's `authors` list: the names joined. A person written
/// out (Docusaurus' `authors: {name: …, url: …}`, or a list of them) is
/// their `name`.
fn read_author(reader: &mut FieldReader<'_>, fm: &mut FrontMatter) {
    let field = match reader.fields.contains_key("author") {
        true => "author",
        false => "authors",
    };
    if let Some(value) = reader.fields.get_mut(field) {
        *value = person_names(std::mem::take(value));
    }
    fm.authors = match reader.fields.get(field) {
        Some(Value::Array(_)) => reader.strings(field),
        _ => reader.string(field).into_iter().collect(),
    };
    fm.authors.retain(|name| !name.trim().is_empty());
    fm.author = Some(fm.authors.join(", ")).filter(|n| !n.is_empty());
}

/// `template`, a file of the theme (`page.html`); a name without an
/// extension is another tool's layout (Starlight's `template: splash`),
/// kept as `extra.template` with a warning, where it failed the build.
fn read_template(reader: &mut FieldReader<'_>, fm: &mut FrontMatter) {
    match reader.fields.get("template") {
        Some(Value::String(name)) if !name.contains('.') => {
            let warning = Diagnostic::warning(
                reader.path,
                format!("`template: {name}` names no file (another tool's layout, as Starlight's are); it is kept as `extra.template`"),
            )
            .at_field("template")
            .at_line(reader.line("template"))
            .with_help("a dunav template is a file of the theme's templates/ folder, e.g. `template: page.html`");
            reader.errors.push(warning);
        }
        _ => fm.template = reader.string("template"),
    }
}

/// A person (`{name: "Gao Wei", url: …}`) as their name, in a list too.
fn person_names(value: Value) -> Value {
    match value {
        Value::Object(person) => match person.get("name") {
            Some(name @ Value::String(_)) => name.clone(),
            _ => Value::Object(person),
        },
        Value::Array(people) => Value::Array(people.into_iter().map(person_names).collect()),
        other => other,
    }
}

/// `aliases`, and jekyll-redirect-from's `redirect_from`, which says the same.
fn read_aliases(reader: &mut FieldReader<'_>, fm: &mut FrontMatter) {
    fm.aliases = reader.strings("aliases");
    if reader.fields.contains_key("redirect_from") {
        if !fm.lines.contains_key("aliases") {
            let line = reader.line("redirect_from");
            fm.lines.insert("aliases".into(), line);
        }
        // Jekyll reads these from the site's root, with or without the
        // slash; Hugo's relative `aliases` are beside the page.
        let from_root = reader.strings("redirect_from").into_iter().map(|a| {
            if a.starts_with('/') {
                a
            } else {
                format!("/{a}")
            }
        });
        fm.aliases.extend(from_root);
    }
}

/// The fields of events, projects and newsletter issues, each on its own kind.
fn read_kind_fields(reader: &mut FieldReader<'_>, fm: &mut FrontMatter, kind: PageKind) {
    if matches!(kind, PageKind::Event | PageKind::Project) {
        fm.start = reader.date("start");
        fm.end = reader.date("end");
    }
    match kind {
        PageKind::Event => {
            fm.location = reader.location("location");
            fm.registration = reader.url("registration");
        }
        PageKind::Project => {
            fm.status = reader.status("status");
            fm.partners = reader.strings("partners");
            fm.programme = reader.string("programme");
            fm.website = reader.url("website");
        }
        PageKind::Newsletter => {
            fm.since = reader.date("since");
            fm.events_days = reader.integer("events_days");
        }
        PageKind::News | PageKind::Page => {}
    }
}

#[cfg(test)]
mod tests;
