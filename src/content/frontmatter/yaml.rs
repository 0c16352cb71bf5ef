//! The YAML of front matter: YAML 1.2 (`yes`, `no` and `on` are text),
//! duplicate keys refused, alias bombs cut short, and syntax errors worded
//! for an editor with a hint where the usual mistake is recognised.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostics::Diagnostic;

/// Replayed alias events allowed: far more than any real front matter needs,
/// few enough that a "billion laughs" ends in milliseconds.
const MAX_ALIAS_EVENTS: usize = 10_000;

/// Parses a front matter block into its top-level fields.
pub(super) fn parse_map(
    yaml: &str,
    first_line: usize,
    path: &str,
) -> Result<BTreeMap<String, Value>, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    let options = serde_saphyr::options! {
        strict_booleans: true,
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_ALIAS_EVENTS,
            max_replay_stack_depth: 16,
        },
    };
    let value: Value = serde_saphyr::from_str_with_options(yaml, options)
        .map_err(|e| syntax_error(&e, yaml, first_line, path))?;
    match value {
        Value::Object(map) => Ok(map.into_iter().collect()),
        Value::Null => Ok(BTreeMap::new()),
        other => Err(Diagnostic::error(
            path,
            format!(
                "the front matter must be fields (`title: …`), not {}",
                match other {
                    Value::Array(_) => "a list",
                    _ => "a single value",
                }
            ),
        )
        .at_line(first_line)),
    }
}

fn syntax_error(e: &serde_saphyr::Error, yaml: &str, first_line: usize, path: &str) -> Diagnostic {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("").trim();
    let message = first
        .rsplit_once(" at line ")
        .map(|(m, _)| m)
        .unwrap_or(first)
        .to_string();
    let yaml_line = e.location().map(|l| l.line() as usize).unwrap_or(1);
    if let Some(key) = message
        .strip_prefix("duplicate mapping key: ")
        .and_then(|rest| rest.split(',').next())
    {
        return duplicate_key(key.trim(), yaml, first_line, path);
    }
    // The parser's own limits, worded for an editor rather than as its internals.
    let limit = if message.contains("alias") && message.contains("limit") {
        Some("its aliases (`*name`) expand to more than dunav reads: write the values out")
    } else if message.contains("budget breached") || message.contains("recursion limit") {
        Some("its values nest too deeply: front matter needs a few levels at most")
    } else if message.contains("non-finite float") {
        Some("`.inf` and `.nan` are no numbers a page can use: quote the value to keep it as text")
    } else {
        None
    };
    if let Some(limit) = limit {
        return Diagnostic::error(path, format!("invalid YAML front matter: {limit}"))
            .at_line(yaml_line + first_line - 1);
    }
    let mut d = Diagnostic::error(path, format!("invalid YAML front matter: {message}"))
        .at_line(yaml_line + first_line - 1);
    if let Some(hint) = hint(yaml, yaml_line) {
        d = d.with_help(hint);
    }
    d
}

/// A field written twice: an error at the second, naming both lines.
fn duplicate_key(key: &str, yaml: &str, first_line: usize, path: &str) -> Diagnostic {
    let lines: Vec<usize> = yaml
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with([' ', '\t']))
        .filter(|(_, l)| {
            l.split_once(':')
                .is_some_and(|(k, _)| k.trim().trim_matches(['"', '\'']) == key)
        })
        .map(|(i, _)| i + first_line)
        .collect();
    let shown: Vec<String> = lines.iter().map(ToString::to_string).collect();
    Diagnostic::error(
        path,
        format!("`{key}` is written twice, on lines {}", shown.join(" and ")),
    )
    .at_field(key)
    .at_line(
        lines
            .get(1)
            .or(lines.first())
            .copied()
            .unwrap_or(first_line),
    )
    .with_help("keep one of them")
}

/// What the editor most likely did, judged from the lines around the error.
fn hint(yaml: &str, yaml_line: usize) -> Option<String> {
    let lines: Vec<&str> = yaml.lines().collect();
    let near = yaml_line.saturating_sub(2).min(lines.len())..(yaml_line + 1).min(lines.len());
    let around = &lines[near];
    if around
        .iter()
        .any(|l| l.trim_start_matches(' ').starts_with('\t'))
    {
        return Some("indent with spaces: YAML does not allow tabs for indentation".into());
    }
    let colon_in_value = around.iter().any(|l| {
        l.split_once(": ").is_some_and(|(_, value)| {
            value.contains(": ") && !value.trim_start().starts_with(['"', '\''])
        })
    });
    colon_in_value
        .then(|| "a value with `: ` in it must be quoted, e.g. title: \"Нова: статия\"".to_string())
}

/// The file line of each top-level key. serde-saphyr keeps no location for
/// map values, so the keys are found in the text: they start in column 0.
/// A key indented under one (`  online:` under `location:`) is found as
/// `location.online`.
pub(super) fn key_lines(yaml: &str, first_line: usize) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    let mut parent = String::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with(['#', '-']) {
            continue;
        }
        let nested = line.starts_with([' ', '\t']);
        let trimmed = line.trim_start();
        if nested && (trimmed.starts_with(['#', '-']) || parent.is_empty()) {
            continue;
        }
        if let Some((key, _)) = trimmed.split_once(':') {
            let key = key.trim().trim_matches(['"', '\'']);
            let name = if nested {
                format!("{parent}.{key}")
            } else {
                parent = key.to_string();
                key.to_string()
            };
            lines.entry(name).or_insert(first_line + i);
        }
    }
    lines
}

/// A plain scalar exactly as written after `key:` on its line (`1.50`, not 1.5),
/// for text fields that YAML read as a number or a boolean.
pub(super) fn written_scalar(yaml: &str, line_in_block: usize) -> Option<String> {
    let line = yaml.lines().nth(line_in_block)?;
    let (_, value) = line.split_once(':')?;
    let value = match value.find(" #") {
        Some(i) => &value[..i],
        None => value,
    };
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}
