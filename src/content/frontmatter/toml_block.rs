//! TOML front matter (`+++`), as Zola and Hugo sites write it: read into the
//! same fields as YAML. Zola's `[taxonomies]` give `tags` and `sectors`; its
//! `[extra]` table stays free data, which the reader makes the page's extra
//! fields (an `[extra] author = {…}` is not dunav's `author`).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::Diagnostic;

/// The tables whose keys are read as the page's own fields.
const FLATTENED: [&str; 1] = ["taxonomies"];

/// Parses a TOML front matter block into its top-level fields.
pub(super) fn parse_map(
    text: &str,
    first_line: usize,
    path: &str,
) -> Result<BTreeMap<String, Value>, Diagnostic> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count())
            .unwrap_or(0);
        // The parser says "duplicate key" and points at it: name it.
        let duplicate = e
            .message()
            .contains("duplicate key")
            .then(|| e.span())
            .flatten();
        let message = match duplicate.and_then(|span| text.get(span)) {
            Some(key) => format!(
                "`{}` is written twice: keep one",
                key.trim().trim_matches(['"', '\''])
            ),
            None => format!("invalid TOML front matter: {}", e.message().trim()),
        };
        Diagnostic::error(path, message).at_line(first_line + line)
    })?;
    let mut fields: BTreeMap<String, Value> = BTreeMap::new();
    let mut flattened = Vec::new();
    for (key, value) in table {
        match value {
            toml::Value::Table(inner) if FLATTENED.contains(&key.as_str()) => {
                flattened.extend(inner);
            }
            value => {
                fields.insert(key, json(value));
            }
        }
    }
    // A field written at the top wins over one of the same name in a table,
    // except that two lists (`tags` at the top and in `[taxonomies]`) join.
    for (key, value) in flattened {
        match (fields.get_mut(&key), json(value)) {
            (Some(Value::Array(top)), Value::Array(more)) => {
                for item in more {
                    if !top.contains(&item) {
                        top.push(item);
                    }
                }
            }
            (Some(_), _) => {}
            (None, value) => {
                fields.insert(key, value);
            }
        }
    }
    Ok(fields)
}

/// A TOML value as the JSON value the field reader takes; a TOML date or
/// datetime becomes its text, which the reader parses as YAML's.
fn json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(json).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.into_iter().map(|(k, v)| (k, json(v))).collect())
        }
    }
}

/// The file line of each field: keys at the top, and in the tables read
/// as the page's own fields.
pub(super) fn key_lines(text: &str, first_line: usize) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    let mut table = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[') {
            table = header.trim_end_matches(']').trim().to_string();
            continue;
        }
        if !table.is_empty() && !FLATTENED.contains(&table.as_str()) {
            continue;
        }
        if let Some((key, _)) = line.split_once('=') {
            let key = key.trim().trim_matches(['"', '\'']);
            if !key.is_empty() && !key.starts_with('#') {
                lines.entry(key.to_string()).or_insert(first_line + i);
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zola_front_matter_reads_as_fields_with_lines() {
        let text = "title = \"Нов партньор\"\ndate = 2024-01-05\ndraft = false\n\n[taxonomies]\ntags = [\"ИИ\", \"Русе\"]\n\n[extra]\nbanner = \"a.png\"\n";
        let fields = parse_map(text, 2, "a.md").unwrap();
        assert_eq!(fields["title"], "Нов партньор");
        assert_eq!(fields["date"], "2024-01-05");
        assert_eq!(fields["draft"], false);
        assert_eq!(fields["tags"], serde_json::json!(["ИИ", "Русе"]));
        assert_eq!(fields["extra"]["banner"], "a.png");
        let lines = key_lines(text, 2);
        assert_eq!(lines["date"], 3);
        assert_eq!(lines["tags"], 7);
    }

    #[test]
    fn tags_at_the_top_and_in_taxonomies_join() {
        let text = "title = \"А\"\ntags = [\"a\", \"b\"]\n\n[taxonomies]\ntags = [\"b\", \"c\"]\n";
        let fields = parse_map(text, 2, "a.md").unwrap();
        assert_eq!(fields["tags"], serde_json::json!(["a", "b", "c"]));
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let e = parse_map("title = \"a\"\ndate = \n", 2, "a.md").unwrap_err();
        assert_eq!(e.line, Some(3), "{e:?}");
        assert!(e.message.contains("invalid TOML front matter"), "{e:?}");
    }

    #[test]
    fn a_key_written_twice_is_named() {
        let e = parse_map("title = \"a\"\ntitle = \"b\"\n", 2, "a.md").unwrap_err();
        assert_eq!(e.line, Some(3), "{e:?}");
        assert!(e.message.contains("`title` is written twice"), "{e:?}");
    }
}
