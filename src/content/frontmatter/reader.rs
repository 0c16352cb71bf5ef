//! Reading typed fields out of parsed front matter, one error per field,
//! each naming its line.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use serde_json::Value;

use crate::content::frontmatter::{DateValue, EventLocation, ProjectStatus};
use crate::diagnostics::Diagnostic;

/// Takes fields out of the parsed map one by one, recording type errors.
pub(super) struct FieldReader<'a> {
    pub path: &'a str,
    pub first_line: usize,
    pub tz: &'a TimeZone,
    pub errors: Vec<Diagnostic>,
    pub fields: BTreeMap<String, Value>,
    pub lines: BTreeMap<String, usize>,
    /// The block's text, to read a scalar as it was written.
    pub yaml: &'a str,
}

impl FieldReader<'_> {
    /// Warns of an unknown key close to a known one (`titel`); it is still kept as `extra`.
    pub(super) fn warn_misspelt_keys(&mut self) {
        for key in self.fields.keys() {
            if let Some(known) = crate::diagnostics::did_you_mean(key, super::KNOWN_FIELDS) {
                let line = self.lines.get(key).copied().unwrap_or(self.first_line);
                self.errors.push(
                    Diagnostic::warning(
                        self.path,
                        format!(
                            "unknown field; did you mean `{known}`? It is kept as `extra.{key}`"
                        ),
                    )
                    .at_field(key.clone())
                    .at_line(line),
                );
            }
        }
    }

    /// Fields other tools read that dunav does not: kept as `extra`, with
    /// what to write instead.
    pub(super) fn warn_foreign_keys(&mut self) {
        const URL: &str =
            "the page's URL comes from its file or `slug`; keep an old address with `aliases`";
        const TAXONOMIES: &str = "dunav's taxonomies are `tags` and `sectors`: move them to `tags`";
        const FOREIGN: [(&str, &str); 7] = [
            ("url", URL),
            ("permalink", URL),
            // Zola's.
            ("path", URL),
            ("categories", TAXONOMIES),
            ("category", TAXONOMIES),
            (
                "layout",
                "a page's template comes from its section; `template` chooses another",
            ),
            (
                "redirect_to",
                "to send readers on, put this page's address in the target page's `aliases`",
            ),
        ];
        // An empty value (`categories: []`, as Hugo's archetypes leave it) says nothing.
        let empty = |value: &Value| match value {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Array(items) => items.is_empty(),
            Value::Object(map) => map.is_empty(),
            _ => false,
        };
        for (key, advice) in FOREIGN {
            if self.fields.get(key).is_some_and(|v| !empty(v)) {
                let line = self.lines.get(key).copied().unwrap_or(self.first_line);
                self.errors.push(
                    Diagnostic::warning(
                        self.path,
                        format!("`{key}` is not read here; it is kept as `extra.{key}`"),
                    )
                    .at_field(key)
                    .at_line(line)
                    .with_help(advice),
                );
            }
        }
    }

    pub(super) fn line(&self, field: &str) -> usize {
        self.lines.get(field).copied().unwrap_or(self.first_line)
    }

    pub(super) fn fail(&mut self, field: &str, message: impl Into<String>) {
        let d = Diagnostic::error(self.path, message)
            .at_field(field)
            .at_line(self.line(field));
        self.errors.push(d);
    }

    pub(super) fn missing(&mut self, field: &str) {
        // A field that is there but wrong has its error already: one error per field.
        if self
            .errors
            .iter()
            .any(|e| e.field.as_deref() == Some(field))
        {
            return;
        }
        // `title: ~` is written but empty: its own line.
        let (message, line) = match self.lines.get(field) {
            Some(&line) => ("required field is empty", line),
            None => (
                "required field is missing",
                self.first_line.saturating_sub(1).max(1),
            ),
        };
        let d = Diagnostic::error(self.path, message)
            .at_field(field)
            .at_line(line);
        self.errors.push(d);
    }

    /// Removes a field; `null` counts as absent.
    pub(super) fn take(&mut self, field: &str) -> Option<(Value, usize)> {
        let value = self.fields.remove(field)?;
        let line = self.line(field);
        if value.is_null() {
            return None;
        }
        Some((value, line))
    }

    pub(super) fn wrong_type(&mut self, field: &str, line: usize, expected: &str, found: &Value) {
        let d = Diagnostic::error(
            self.path,
            format!("expected {expected}, found {}", describe(found)),
        )
        .at_field(field)
        .at_line(line);
        self.errors.push(d);
    }

    pub(super) fn string(&mut self, field: &str) -> Option<String> {
        match self.take(field)? {
            (Value::String(s), _) => Some(s),
            // YAML reads `title: 1984` as a number and `title: true` as a
            // boolean; the editor meant the text, as written.
            (scalar @ (Value::Number(_) | Value::Bool(_)), line) => Some(
                super::yaml::written_scalar(self.yaml, line - self.first_line)
                    .unwrap_or_else(|| scalar.to_string()),
            ),
            (other, line) => {
                self.wrong_type(field, line, "a string", &other);
                None
            }
        }
    }

    pub(super) fn url(&mut self, field: &str) -> Option<String> {
        let line = self.line(field);
        let url = self.string(field)?;
        self.checked_url(url, field, line)
    }

    /// `url` if it is an absolute http(s) URL (never `javascript:` in a link).
    fn checked_url(&mut self, url: String, field: &str, line: usize) -> Option<String> {
        if url.starts_with("https://") || url.starts_with("http://") {
            return Some(url);
        }
        let d = Diagnostic::error(
            self.path,
            format!("\"{url}\" is not an absolute http(s) URL"),
        )
        .at_field(field)
        .at_line(line);
        self.errors.push(d);
        None
    }

    pub(super) fn boolean(&mut self, field: &str) -> Option<bool> {
        match self.take(field)? {
            (Value::Bool(b), _) => Some(b),
            // `draft: "true"`, as Obsidian's text properties write it and
            // Hugo and Quartz read it.
            (Value::String(s), _) if s.trim().eq_ignore_ascii_case("true") => Some(true),
            (Value::String(s), _) if s.trim().eq_ignore_ascii_case("false") => Some(false),
            (other, line) => {
                self.wrong_type(field, line, "true or false", &other);
                None
            }
        }
    }

    pub(super) fn integer(&mut self, field: &str) -> Option<i64> {
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

    pub(super) fn strings(&mut self, field: &str) -> Vec<String> {
        const TERM_FIELDS: [&str; 2] = ["tags", "sectors"];
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
                        Value::Bool(b) => out.push(b.to_string()),
                        // `- ` left empty in a list (an editor's blank line) adds nothing.
                        Value::Null => {}
                        other => {
                            self.wrong_type(field, line, "a list of strings", &other);
                            return Vec::new();
                        }
                    }
                }
                out
            }
            // Jekyll splits `tags: rust web` at spaces in its folders.
            Value::String(text)
                if TERM_FIELDS.contains(&field)
                    && !text.contains(',')
                    && crate::content::paths::in_jekyll_folder(self.path) =>
            {
                text.split_whitespace().map(str::to_owned).collect()
            }
            // Hugo reads `tags: security` as one tag and `aliases: /old/` as
            // one alias. Terms are also split at commas ("ИКТ, Русе" is
            // plainly two); a partner's or an address's name may hold one.
            Value::String(text) if TERM_FIELDS.contains(&field) => text
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect(),
            Value::String(text) if text.trim().is_empty() => Vec::new(),
            Value::String(text) => vec![text.trim().to_owned()],
            other => {
                self.wrong_type(field, line, "a list of strings", &other);
                Vec::new()
            }
        }
    }

    pub(super) fn date(&mut self, field: &str) -> Option<DateValue> {
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
        // Hugo writes its zero time for a page without a date.
        const HUGO_ZERO: [&str; 4] = [
            "0001-01-01",
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00+00:00",
            "0001-01-01 00:00:00 +0000 UTC",
        ];
        if HUGO_ZERO.contains(&text.trim()) {
            let why = "is Hugo's empty date: write the page's own date, or leave the field out";
            self.fail(field, format!("\"{text}\" {why}"));
            return None;
        }
        match DateValue::parse(text, self.tz) {
            Some(date) => {
                if let Some(written) = date.skipped_local_time(text) {
                    self.errors.push(
                        Diagnostic::warning(
                            self.path,
                            format!(
                                "{written} does not exist on that day in the site's time zone (the clocks go forward); read as {}",
                                date.zoned.strftime("%H:%M")
                            ),
                        )
                        .at_field(field)
                        .at_line(line),
                    );
                }
                Some(date)
            }
            None if text
                .trim()
                .get(..10)
                .and_then(|d| d.parse::<jiff::civil::Date>().ok())
                .is_some_and(|d| d.year() >= 9999 || d.year() <= 1) =>
            {
                // Well formed, but its moment cannot be placed in a time zone (year 9999).
                self.fail(
                    field,
                    format!("\"{text}\" is out of range: use a year from 2 to 9998"),
                );
                None
            }
            None if let Some(days) = super::dates::days_in_written_month(text) => {
                self.fail(
                    field,
                    format!("\"{text}\" is no day of the calendar: that month has {days} days"),
                );
                None
            }
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

    pub(super) fn location(&mut self, field: &str) -> Option<EventLocation> {
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
            let name = format!("{field}.{key}");
            let line = self.lines.get(&name).copied().unwrap_or(line);
            let Value::String(s) = v else {
                self.wrong_type(&name, line, "a string", &v);
                continue;
            };
            match key.as_str() {
                "name" => location.name = Some(s),
                "address" => location.address = Some(s),
                "online" => location.online = self.checked_url(s, &name, line),
                _ => self.errors.push(
                    Diagnostic::error(self.path, "unknown field; use name, address or online")
                        .at_field(name)
                        .at_line(line),
                ),
            }
        }
        Some(location)
    }

    pub(super) fn status(&mut self, field: &str) -> Option<ProjectStatus> {
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
