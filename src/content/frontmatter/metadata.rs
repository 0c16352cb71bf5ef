//! The metadata header of Pelican and MultiMarkdown: `Title: …`, `Date: …`,
//! `Tags: a, b` lines at the top of the file, ended by a blank line, with no
//! fences. Read into the same fields as YAML, in Pelican's meanings:
//! `Modified` is `updated`, `Category` a category, `Tags` and `Authors`
//! lists split at commas, and `Status: draft` a draft.

use std::collections::BTreeMap;

use serde_json::Value;

/// The header at the start of `text` (its lines, each with its `\n`) when
/// the file has one: its first line is `Title: …` and every line up to the
/// first blank one is a `Key: value` or a value's indented next line.
pub(super) fn header(text: &str) -> Option<&str> {
    let first = text.lines().next()?;
    if !key_of(first).is_some_and(|key| key.eq_ignore_ascii_case("title")) {
        return None;
    }
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            break;
        }
        let continued = end > 0 && line.starts_with([' ', '\t']);
        if !continued && key_of(line).is_none() {
            return None;
        }
        end += line.len();
    }
    Some(&text[..end])
}

/// The key of a `Key: value` line: letters, digits, `_`, `-` and spaces
/// (MultiMarkdown's `Base Header Level`), before `: `.
fn key_of(line: &str) -> Option<&str> {
    let (key, value) = line.split_once(':')?;
    let is_key = !key.is_empty()
        && key.starts_with(|c: char| c.is_alphabetic())
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '));
    (is_key && (value.is_empty() || value.starts_with([' ', '\t', '\n', '\r']))).then_some(key)
}

/// The field a key names: lower case, spaces as `_`, Pelican's names as dunav's.
fn field_name(key: &str) -> String {
    match key.trim().to_lowercase().replace(' ', "_").as_str() {
        "modified" => "updated".into(),
        "category" => "categories".into(),
        other => other.into(),
    }
}

/// Each key with its value (indented lines after it joined to it), and its line.
fn entries(text: &str) -> Vec<(String, String, usize)> {
    let mut entries: Vec<(String, String, usize)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        match (key_of(line), entries.last_mut()) {
            (None, Some((_, value, _))) => {
                value.push(' ');
                value.push_str(line.trim());
            }
            (Some(key), _) => {
                let value = line[key.len() + 1..].trim().to_string();
                entries.push((field_name(key), value, i));
            }
            (None, None) => {}
        }
    }
    entries
}

/// The header's fields, as YAML front matter would give them.
pub(super) fn parse_map(text: &str) -> BTreeMap<String, Value> {
    let mut fields = BTreeMap::new();
    for (field, value, _) in entries(text) {
        let value = match field.as_str() {
            "tags" | "authors" | "keywords" | "categories" => Value::Array(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| Value::String(item.into()))
                    .collect(),
            ),
            "status" if value.eq_ignore_ascii_case("draft") => {
                fields.insert("draft".into(), Value::Bool(true));
                continue;
            }
            "status" if value.eq_ignore_ascii_case("published") => continue,
            "weight" => match value.parse::<i64>() {
                Ok(number) => Value::from(number),
                Err(_) => Value::String(value),
            },
            _ => Value::String(value),
        };
        fields.entry(field).or_insert(value);
    }
    fields
}

/// The file line of each field.
pub(super) fn key_lines(text: &str, first_line: usize) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for (field, value, i) in entries(text) {
        let field = match field.as_str() {
            "status" if value.eq_ignore_ascii_case("draft") => "draft".into(),
            _ => field,
        };
        lines.entry(field).or_insert(first_line + i);
    }
    lines
}
