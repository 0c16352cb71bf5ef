//! Splitting a content file into front matter and body, and reading the front
//! matter into typed fields with errors that name the line and the field.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::Diagnostic;

/// A content file split at its front matter fences.
#[derive(Debug)]
pub struct SplitFile<'a> {
    pub front_matter: &'a str,
    /// The line in the file where the front matter text begins (1-based).
    pub front_matter_line: usize,
    pub body: &'a str,
    /// The line in the file where the body begins (1-based).
    pub body_line: usize,
}

/// Splits `---` front matter from the body. Expects text with LF line ends and no BOM.
pub fn split(text: &str) -> Result<SplitFile<'_>, String> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
        .ok_or(
            "the file must start with front matter: a line `---`, YAML fields, and a closing `---`",
        )?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let front_matter = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let fm_lines = front_matter.matches('\n').count();
            return Ok(SplitFile {
                front_matter,
                front_matter_line: 2,
                body,
                body_line: fm_lines + 3,
            });
        }
        offset += line.len();
    }
    Err("the front matter has no closing `---` line".into())
}

/// A date (`2026-12-01`) or datetime (`2026-12-01T18:00:00+02:00`) from front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateValue {
    /// The moment, in the site's time zone (or the offset written).
    pub zoned: Zoned,
    /// Whether a time of day was written; a bare date means the whole day.
    pub has_time: bool,
}

impl DateValue {
    pub fn timestamp(&self) -> Timestamp {
        self.zoned.timestamp()
    }

    /// Parses the forms editors write; a datetime without an offset is in `tz`.
    pub fn parse(text: &str, tz: &TimeZone) -> Option<DateValue> {
        let text = text.trim();
        // jiff reads a datetime as a date too, dropping the time: only a bare date counts here.
        if text.len() == 10
            && let Ok(date) = text.parse::<Date>()
        {
            let zoned = date.to_zoned(tz.clone()).ok()?;
            return Some(DateValue {
                zoned,
                has_time: false,
            });
        }
        // RFC 3339 with an offset or `Z`: keep the written instant, shown in the site's zone.
        if let Ok(ts) = text.parse::<Timestamp>() {
            return Some(DateValue {
                zoned: ts.to_zoned(tz.clone()),
                has_time: true,
            });
        }
        if let Ok(zoned) = text.parse::<Zoned>() {
            return Some(DateValue {
                zoned: zoned.with_time_zone(tz.clone()),
                has_time: true,
            });
        }
        let civil = text
            .parse::<DateTime>()
            .ok()
            .or_else(|| DateTime::strptime("%Y-%m-%d %H:%M", text).ok())?;
        let zoned = civil.to_zoned(tz.clone()).ok()?;
        Some(DateValue {
            zoned,
            has_time: true,
        })
    }

    /// RFC 3339 with the offset, the form templates and feeds receive.
    pub fn rfc3339(&self) -> String {
        self.zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

impl Serialize for DateValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
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

/// Reads one front matter block. `path` names the file in messages and
/// `first_line` is the file line of the block's first line.
pub fn parse(
    yaml: &str,
    first_line: usize,
    path: &str,
    tz: &TimeZone,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let fields: BTreeMap<String, Value> = if yaml.trim().is_empty() {
        BTreeMap::new()
    } else {
        serde_saphyr::from_str(yaml).map_err(|e| {
            let mut d = Diagnostic::error(
                path,
                format!("invalid YAML front matter: {}", first_error_line(&e)),
            );
            d.line = Some(
                e.location()
                    .map(|l| l.line() as usize + first_line - 1)
                    .unwrap_or(first_line),
            );
            vec![d]
        })?
    };
    let lines = key_lines(yaml, first_line);
    let mut reader = FieldReader {
        path,
        first_line,
        tz,
        errors: Vec::new(),
        fields,
        lines: lines.clone(),
    };
    let mut fm = FrontMatter {
        lines,
        ..FrontMatter::default()
    };
    match reader.string("title") {
        Some(title) if !title.trim().is_empty() => fm.title = title,
        Some(_) => reader.fail("title", "must not be empty"),
        None => reader.missing("title"),
    }
    // `summary: ""` (as a template leaves it) means "none": fall back to the text.
    fm.summary = reader.string("summary").filter(|s| !s.trim().is_empty());
    fm.slug = reader.string("slug");
    fm.date = reader.date("date");
    fm.updated = reader.date("updated");
    fm.draft = reader.boolean("draft").unwrap_or(false);
    fm.tags = reader.strings("tags");
    fm.sectors = reader.strings("sectors");
    fm.image = reader.string("image");
    fm.image_alt = reader.string("image_alt");
    fm.author = reader.string("author");
    fm.aliases = reader.strings("aliases");
    fm.weight = reader.integer("weight");
    fm.template = reader.string("template");
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
    fm.extra = reader.fields;
    if reader.errors.is_empty() {
        Ok(fm)
    } else {
        Err(reader.errors)
    }
}

/// The file line of each top-level key. serde-saphyr keeps no location for
/// map values, so the keys are found in the text: they start in column 0.
fn key_lines(yaml: &str, first_line: usize) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some((key, _)) = line.split_once(':') {
            let key = key.trim().trim_matches(['"', '\'']);
            lines.entry(key.to_string()).or_insert(first_line + i);
        }
    }
    lines
}

fn first_error_line(e: &serde_saphyr::Error) -> String {
    // The location is reported separately, relative to the file.
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("").trim();
    first
        .rsplit_once(" at line ")
        .map(|(m, _)| m)
        .unwrap_or(first)
        .to_string()
}

/// Takes fields out of the parsed map one by one, recording type errors.
struct FieldReader<'a> {
    path: &'a str,
    first_line: usize,
    tz: &'a TimeZone,
    errors: Vec<Diagnostic>,
    fields: BTreeMap<String, Value>,
    lines: BTreeMap<String, usize>,
}

impl FieldReader<'_> {
    fn line(&self, field: &str) -> usize {
        self.lines.get(field).copied().unwrap_or(self.first_line)
    }

    fn fail(&mut self, field: &str, message: impl Into<String>) {
        let d = Diagnostic::error(self.path, message)
            .at_field(field)
            .at_line(self.line(field));
        self.errors.push(d);
    }

    fn missing(&mut self, field: &str) {
        let d = Diagnostic::error(self.path, "required field is missing")
            .at_field(field)
            .at_line(self.first_line.saturating_sub(1).max(1));
        self.errors.push(d);
    }

    /// Removes a field; `null` counts as absent.
    fn take(&mut self, field: &str) -> Option<(Value, usize)> {
        let value = self.fields.remove(field)?;
        let line = self.line(field);
        if value.is_null() {
            return None;
        }
        Some((value, line))
    }

    fn wrong_type(&mut self, field: &str, line: usize, expected: &str, found: &Value) {
        let d = Diagnostic::error(
            self.path,
            format!("expected {expected}, found {}", describe(found)),
        )
        .at_field(field)
        .at_line(line);
        self.errors.push(d);
    }

    fn string(&mut self, field: &str) -> Option<String> {
        match self.take(field)? {
            (Value::String(s), _) => Some(s),
            // YAML reads `title: 2026` as a number; the editor meant the text.
            (Value::Number(n), _) => Some(n.to_string()),
            (other, line) => {
                self.wrong_type(field, line, "a string", &other);
                None
            }
        }
    }

    fn url(&mut self, field: &str) -> Option<String> {
        let line = self.line(field);
        let url = self.string(field)?;
        if url.starts_with("https://") || url.starts_with("http://") {
            Some(url)
        } else {
            let d = Diagnostic::error(
                self.path,
                format!("\"{url}\" is not an absolute http(s) URL"),
            )
            .at_field(field)
            .at_line(line);
            self.errors.push(d);
            None
        }
    }

    fn boolean(&mut self, field: &str) -> Option<bool> {
        match self.take(field)? {
            (Value::Bool(b), _) => Some(b),
            (other, line) => {
                self.wrong_type(field, line, "true or false", &other);
                None
            }
        }
    }

    fn integer(&mut self, field: &str) -> Option<i64> {
        match self.take(field)? {
            (Value::Number(n), line) => match n.as_i64() {
                Some(i) => Some(i),
                None => {
                    self.wrong_type(field, line, "a whole number", &Value::Number(n));
                    None
                }
            },
            (other, line) => {
                self.wrong_type(field, line, "a whole number", &other);
                None
            }
        }
    }

    fn strings(&mut self, field: &str) -> Vec<String> {
        let Some((value, line)) = self.take(field) else {
            return Vec::new();
        };
        match value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => out.push(s),
                        Value::Number(n) => out.push(n.to_string()),
                        other => {
                            self.wrong_type(field, line, "a list of strings", &other);
                            return Vec::new();
                        }
                    }
                }
                out
            }
            other => {
                self.wrong_type(field, line, "a list of strings", &other);
                Vec::new()
            }
        }
    }

    fn date(&mut self, field: &str) -> Option<DateValue> {
        let (value, line) = self.take(field)?;
        let Value::String(text) = &value else {
            self.wrong_type(
                field,
                line,
                "a date (2026-12-01) or datetime (2026-12-01T18:00:00)",
                &value,
            );
            return None;
        };
        match DateValue::parse(text, self.tz) {
            Some(date) => Some(date),
            None => {
                let d =
                    Diagnostic::error(self.path, format!("\"{text}\" is not a date or datetime"))
                        .at_field(field)
                        .at_line(line)
                        .with_help(
                            "write 2026-12-01, 2026-12-01T18:00:00 or 2026-12-01T18:00:00+02:00",
                        );
                self.errors.push(d);
                None
            }
        }
    }

    fn location(&mut self, field: &str) -> Option<EventLocation> {
        let (value, line) = self.take(field)?;
        let Value::Object(map) = value else {
            if let Value::String(name) = value {
                return Some(EventLocation {
                    name: Some(name),
                    ..EventLocation::default()
                });
            }
            self.wrong_type(field, line, "a map with name, address and online", &value);
            return None;
        };
        let mut location = EventLocation::default();
        for (key, v) in map {
            let Value::String(s) = v else {
                self.wrong_type(&format!("{field}.{key}"), line, "a string", &v);
                continue;
            };
            match key.as_str() {
                "name" => location.name = Some(s),
                "address" => location.address = Some(s),
                "online" => location.online = Some(s),
                other => self.errors.push(
                    Diagnostic::error(self.path, "unknown field; use name, address or online")
                        .at_field(format!("{field}.{other}"))
                        .at_line(line),
                ),
            }
        }
        Some(location)
    }

    fn status(&mut self, field: &str) -> Option<ProjectStatus> {
        let line = self.line(field);
        let text = self.string(field)?;
        match text.as_str() {
            "planned" => Some(ProjectStatus::Planned),
            "active" => Some(ProjectStatus::Active),
            "completed" => Some(ProjectStatus::Completed),
            _ => {
                self.errors.push(
                    Diagnostic::error(self.path, format!("unknown status \"{text}\""))
                        .at_field(field)
                        .at_line(line)
                        .with_help("use planned, active or completed"),
                );
                None
            }
        }
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text \"{s}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a map".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sofia() -> TimeZone {
        TimeZone::get("Europe/Sofia").unwrap()
    }

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.front_matter, "title: a\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        assert!(split("no front matter").is_err());
        assert!(split("---\ntitle: a\n").is_err());
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
    }

    #[test]
    fn type_errors_name_field_and_line() {
        let yaml = "title: Здравей\ntags: 5\ndraft: \"yes\"\n";
        let mut errors = parse(yaml, 2, "content/news/a.md", &sofia()).unwrap_err();
        errors.sort_by_key(|d| d.line);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].field.as_deref(), Some("tags"));
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(errors[1].field.as_deref(), Some("draft"));
        assert_eq!(errors[1].line, Some(4));
    }

    #[test]
    fn an_empty_summary_counts_as_none() {
        let fm = parse("title: x\nsummary: \"\"\n", 2, "a.md", &sofia()).unwrap();
        assert_eq!(fm.summary, None);
    }

    #[test]
    fn unknown_fields_go_to_extra() {
        let fm = parse("title: x\nvenue_floor: 3\n", 2, "a.md", &sofia()).unwrap();
        assert_eq!(fm.extra["venue_floor"], Value::from(3));
    }
}
