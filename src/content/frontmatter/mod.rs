//! Splitting a content file into front matter and body, and reading the front
//! matter into typed fields with errors that name the line and the field.

mod dates;
pub mod memo;
mod reader;
mod toml_block;
mod yaml;

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::Diagnostic;
use reader::FieldReader;

pub use dates::DateValue;

/// How the front matter is written: YAML between `---` lines, or TOML
/// between `+++` lines (Zola's and Hugo's other form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Toml,
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
        "---" => (Syntax::Yaml, "---"),
        "+++" => (Syntax::Toml, "+++"),
        _ if first.starts_with('{') => {
            return Err(
                "JSON front matter is not read: write the fields as YAML between `---` lines"
                    .into(),
            );
        }
        _ => {
            return Err(
                "the file must start with front matter: a line `---`, YAML fields, and a closing `---` (or TOML between `+++` lines)"
                    .into(),
            );
        }
    };
    let rest = text.split_once('\n').map(|(_, rest)| rest).unwrap_or("");
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
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
    pub author: Option<String>,
    pub aliases: Vec<String>,
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
pub fn parse_split(
    split: &SplitFile<'_>,
    path: &str,
    tz: &TimeZone,
) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    parse_as(
        split.syntax,
        split.front_matter,
        split.front_matter_line,
        path,
        tz,
    )
}

fn parse_as(
    syntax: Syntax,
    text: &str,
    first_line: usize,
    path: &str,
    tz: &TimeZone,
) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
    // The same text read as TOML has other fields: another memo key.
    let key = match syntax {
        Syntax::Yaml => memo::key(text),
        Syntax::Toml => !memo::key(text),
    };
    let fields = match memo::get(key) {
        Some(fields) => fields,
        None => {
            let fields = match syntax {
                Syntax::Yaml => yaml::parse_map(text, first_line, path)?,
                Syntax::Toml => toml_block::parse_map(text, first_line, path)?,
            };
            memo::put(key, &fields);
            fields
        }
    };
    let lines = match syntax {
        Syntax::Yaml => yaml::key_lines(text, first_line),
        Syntax::Toml => toml_block::key_lines(text, first_line),
    };
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
    // `summary: ""` (as a template leaves it) means "none": fall back to the text.
    fm.summary = reader.string("summary").filter(|s| !s.trim().is_empty());
    // Hugo's and Zola's `description` says the same; it stays in `extra` too.
    if fm.summary.is_none()
        && let Some(Value::String(description)) = reader.fields.get("description")
        && !description.trim().is_empty()
    {
        fm.summary = Some(description.trim().to_string());
    }
    fm.slug = reader.string("slug");
    read_dates(&mut reader, &mut fm);
    fm.draft = reader.boolean("draft").unwrap_or(false);
    fm.tags = reader.strings("tags");
    fm.sectors = reader.strings("sectors");
    fm.image = reader.string("image");
    fm.image_alt = reader.string("image_alt");
    fm.author = reader.string("author");
    read_aliases(&mut reader, &mut fm);
    fm.weight = reader.integer("weight");
    fm.template = reader.string("template");
    read_event_and_project_fields(&mut reader, &mut fm);
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

/// `date`, `updated` and the scheduling fields, in Hugo's spellings too.
fn read_dates(reader: &mut FieldReader<'_>, fm: &mut FrontMatter) {
    fm.date = reader.date("date");
    // Hugo calls it `lastmod`.
    fm.updated = reader.date("updated").or_else(|| reader.date("lastmod"));
    // Hugo's scheduling fields, in its spellings and ours.
    let publish = [
        reader.date("publishDate"),
        reader.date("publishdate"),
        reader.date("publish_date"),
        reader.date("pubdate"),
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

/// `aliases`, and jekyll-redirect-from's `redirect_from`, which says the same.
fn read_aliases(reader: &mut FieldReader<'_>, fm: &mut FrontMatter) {
    fm.aliases = reader.strings("aliases");
    if reader.fields.contains_key("redirect_from") {
        if !fm.lines.contains_key("aliases") {
            let line = reader.line("redirect_from");
            fm.lines.insert("aliases".into(), line);
        }
        fm.aliases.extend(reader.strings("redirect_from"));
    }
}

fn read_event_and_project_fields(reader: &mut FieldReader<'_>, fm: &mut FrontMatter) {
    fm.start = reader.date("start");
    fm.end = reader.date("end");
    fm.location = reader.location("location");
    fm.registration = reader.url("registration");
    fm.status = reader.status("status");
    fm.partners = reader.strings("partners");
    fm.programme = reader.string("programme");
    fm.website = reader.url("website");
    fm.since = reader.date("since");
    fm.events_days = reader.integer("events_days");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sofia() -> TimeZone {
        TimeZone::get("Europe/Sofia").unwrap()
    }

    /// A YAML block whose first line is line `first_line` of the file.
    fn parse(
        yaml: &str,
        first_line: usize,
        path: &str,
        tz: &TimeZone,
    ) -> Result<(FrontMatter, Vec<Diagnostic>), Diagnostic> {
        parse_as(Syntax::Yaml, yaml, first_line, path, tz)
    }

    fn read(yaml: &str) -> (FrontMatter, Vec<Diagnostic>) {
        parse(yaml, 2, "content/news/a.md", &sofia()).unwrap()
    }

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.front_matter, "title: a\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        assert!(split("no front matter").is_err());
        assert!(split("---\ntitle: a\n").is_err());
        // Blank lines above the fence, as Zola and Hugo allow.
        let s = split("\n  \n+++\ntitle = \"a\"\n+++\nbody\n").unwrap();
        assert_eq!(s.syntax, Syntax::Toml);
        assert_eq!((s.front_matter_line, s.body_line), (4, 6));
        assert!(split("\n\ntext\n---\n").is_err());
    }

    #[test]
    fn reads_dates_in_the_site_zone() {
        let d = DateValue::parse("2026-12-01 10:00", &sofia()).unwrap();
        assert_eq!(d.rfc3339(), "2026-12-01T10:00:00+02:00");
        let d = DateValue::parse("2026-07-01T10:00:00", &sofia()).unwrap();
        assert_eq!(d.rfc3339(), "2026-07-01T10:00:00+03:00");
        let d = DateValue::parse("2026-12-01T08:00:00Z", &sofia()).unwrap();
        assert_eq!(d.rfc3339(), "2026-12-01T10:00:00+02:00");
        let d = DateValue::parse("2026-12-01", &sofia()).unwrap();
        assert!(!d.has_time);
        assert!(DateValue::parse("1 December", &sofia()).is_none());
        let d = DateValue::parse("2026-12-01T10:00:00-14:00", &sofia()).unwrap();
        assert_eq!(d.rfc3339(), "2026-12-02T02:00:00+02:00");
        assert!(DateValue::parse("2026-12-01T10:00:00+25:00", &sofia()).is_none());
        let d = DateValue::parse("2024-01-05 10:00:00 +0200", &sofia()).unwrap();
        assert_eq!(d.rfc3339(), "2024-01-05T10:00:00+02:00", "Jekyll's form");
        let d = DateValue::parse("2024-07-05 10:00 -0400", &sofia()).unwrap();
        assert_eq!(d.rfc3339(), "2024-07-05T17:00:00+03:00");
        assert!(DateValue::parse("2026-12-01T10:00:00+1500", &sofia()).is_none());
        let d = DateValue::parse(
            "2026-12-01T10:00:00-05:00[America/Port-au-Prince]",
            &sofia(),
        );
        assert_eq!(
            d.map(|d| d.rfc3339()).as_deref(),
            Some("2026-12-01T17:00:00+02:00")
        );
    }

    #[test]
    fn hugos_fields_are_read_or_pointed_out() {
        let (fm, problems) = read("title: a\nlastmod: 2024-05-06\nurl: /old/\ncategories: [x]\n");
        assert_eq!(
            fm.updated.map(|d| d.rfc3339()).as_deref(),
            Some("2024-05-06T00:00:00+03:00")
        );
        let warned: Vec<(Option<&str>, Option<usize>)> = problems
            .iter()
            .map(|p| (p.field.as_deref(), p.line))
            .collect();
        assert_eq!(
            warned,
            [(Some("url"), Some(4)), (Some("categories"), Some(5))],
            "{problems:?}"
        );
        assert!(fm.extra.contains_key("categories"));
        // Empty ones say nothing; Jekyll's spellings are pointed out too.
        let (_, problems) =
            read("title: a\ncategories: []\ntags: []\ncategory: news\nlayout: post\n");
        let warned: Vec<Option<&str>> = problems.iter().map(|p| p.field.as_deref()).collect();
        assert_eq!(warned, [Some("category"), Some("layout")], "{problems:?}");
        // jekyll-redirect-from's `redirect_from` is `aliases`, at its line.
        let (fm, problems) = read("title: a\nredirect_from:\n  - /old/\n  - /older/\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(fm.aliases, ["/old/", "/older/"]);
        assert_eq!(fm.line_of("aliases"), 3);
    }

    #[test]
    fn a_date_at_the_end_of_time_is_out_of_range() {
        let (_, problems) = read("title: a\nstart: 9999-12-31T23:00:00\n");
        assert!(problems[0].message.contains("out of range"), "{problems:?}");
        for early in [
            "0000-01-01",
            "0001-01-01T00:00:00+14:00",
            "0000-06-01T10:00:00",
        ] {
            let (_, problems) = read(&format!("title: a\nstart: {early}\n"));
            assert!(
                problems[0].message.contains("out of range"),
                "{early}: {problems:?}"
            );
        }
        let (_, problems) = read("title: a\nstart: 2026-12-31T25:00:00\n");
        assert!(
            problems[0].message.contains("is not a date"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_time_the_spring_night_skips_is_a_warning() {
        let (fm, problems) =
            read("title: a\nstart: 2026-03-29T03:30:00\nend: 2026-03-29T05:00:00\n");
        assert_eq!(
            fm.start.map(|d| d.rfc3339()).as_deref(),
            Some("2026-03-29T04:30:00+03:00")
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field.as_deref(), Some("start"));
        assert_eq!(problems[0].line, Some(3));
        assert!(
            problems[0].message.contains("03:30 does not exist"),
            "{problems:?}"
        );
        let (_, problems) = read("title: a\nstart: 2026-03-29T03:30:00+02:00\n");
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn type_errors_name_field_and_line_once() {
        let (_, mut errors) = read("title: Здравей\ntags: 5\ndraft: \"yes\"\n");
        errors.sort_by_key(|d| d.line);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].field.as_deref(), Some("tags"));
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(errors[1].field.as_deref(), Some("draft"));
        assert_eq!(errors[1].line, Some(4));
        let (_, errors) = read("title: [a, b]\n");
        assert_eq!(
            errors.len(),
            1,
            "a wrong type is not also missing: {errors:?}"
        );
    }

    #[test]
    fn yaml_1_2_scalars_are_text_as_written() {
        let (fm, errors) = read("title: Yes\ntags: [no, on, Off]\nauthor: 1.50\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fm.title, "Yes");
        assert_eq!(fm.tags, ["no", "on", "Off"]);
        assert_eq!(fm.author.as_deref(), Some("1.50"));
        assert_eq!(read("title: 1984\n").0.title, "1984");
        assert_eq!(read("title: true\n").0.title, "true");
    }

    #[test]
    fn yaml_bombs_and_deep_nesting_are_refused_in_plain_words() {
        let deep = format!(
            "title: a\nx: {}1{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let maps = format!("title: a\nx: {}1{}\n", "{a: ".repeat(200), "}".repeat(200));
        let mut laughs =
            String::from("title: a\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..9 {
            let p = i - 1;
            laughs.push_str(&format!(
                "l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"
            ));
        }
        for (text, words) in [
            (deep, "nest too deeply"),
            (maps, "nest too deeply"),
            (laughs, "aliases"),
        ] {
            let e = parse(&text, 2, "a.md", &sofia()).unwrap_err();
            assert!(e.message.contains(words), "{e:?}");
            assert!(!e.message.contains('{') && e.help.is_none(), "{e:?}");
        }
    }

    #[test]
    fn duplicate_keys_name_both_lines() {
        let e = parse(
            "title: a\ndate: 2026-01-01\ntitle: b\n",
            2,
            "a.md",
            &sofia(),
        )
        .unwrap_err();
        let shown = e.to_string();
        assert!(shown.contains("title"), "{shown}");
        assert!(
            shown.contains("`title` is written twice, on lines 2 and 4"),
            "{shown}"
        );
        assert_eq!(e.line, Some(4));
    }

    #[test]
    fn an_alias_bomb_ends_in_an_error_at_once() {
        let mut yaml = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for name in "bcdefghij".chars() {
            yaml.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
            prev = name;
        }
        yaml.push_str("title: x\n");
        let started = std::time::Instant::now();
        assert!(parse(&yaml, 2, "a.md", &sofia()).is_err());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn an_unquoted_colon_and_a_tab_get_a_hint() {
        let e = parse("title: Нова: статия\n", 2, "a.md", &sofia()).unwrap_err();
        assert!(e.help.as_deref().unwrap_or("").contains("quoted"), "{e}");
        let e = parse("title: x\nlocation:\n\tname: Русе\n", 2, "a.md", &sofia()).unwrap_err();
        assert!(e.help.as_deref().unwrap_or("").contains("spaces"), "{e}");
    }

    #[test]
    fn an_empty_summary_counts_as_none() {
        assert_eq!(read("title: x\nsummary: \"\"\n").0.summary, None);
    }

    #[test]
    fn unknown_fields_go_to_extra_and_misspelt_ones_are_flagged() {
        let (fm, problems) = read("title: x\nvenue_floor: 3\ntitel: y\n");
        assert_eq!(fm.extra["venue_floor"], Value::from(3));
        assert_eq!(fm.extra["titel"], Value::from("y"));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(!problems[0].is_error());
        assert!(problems[0].message.contains("did you mean `title`?"));
    }
}
