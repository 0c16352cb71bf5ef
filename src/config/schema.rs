//! What site.toml may hold, checked before it is read into the typed
//! config: every unknown key (with "did you mean") and every value of the
//! wrong type is reported at its line, all of them at once.

use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, did_you_mean};

/// The shape of a value.
pub enum Kind {
    Text,
    WholeNumber,
    Number,
    Bool,
    TextList,
    WholeNumberList,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// A table with these keys.
    Table(&'static [(&'static str, Kind)]),
    /// A table of any keys, each value of this kind.
    MapOf(&'static Kind),
    /// Anything (`[extra]`).
    Any,
}

const LANGUAGE: Kind = Kind::Table(&[
    ("title", Kind::Text),
    ("description", Kind::Text),
    ("name", Kind::Text),
    ("short_name", Kind::Text),
    ("footer", Kind::Text),
    ("strings", Kind::MapOf(&Kind::Text)),
]);

const SMTP: Kind = Kind::Table(&[
    ("url", Kind::Text),
    ("pool_size", Kind::WholeNumber),
    ("rate", Kind::Number),
    ("max_attempts", Kind::WholeNumber),
    ("timeout_seconds", Kind::WholeNumber),
]);

const NEWSLETTER: Kind = Kind::Table(&[
    ("endpoint", Kind::Text),
    ("from", Kind::Text),
    ("reply_to", Kind::Text),
    ("list_id", Kind::Text),
    ("unsubscribe_mailto", Kind::Text),
    ("events_days", Kind::WholeNumber),
    ("database", Kind::Text),
    ("privacy_page", Kind::Text),
    ("smtp", SMTP),
]);

const SUBSCRIPTIONS: Kind = Kind::Table(&[
    ("public_url", Kind::Text),
    ("consent_version", Kind::Text),
    ("record_ip", Kind::Bool),
    ("rate_limit_per_minute", Kind::WholeNumber),
    ("trusted_proxies", Kind::TextList),
    ("confirm_cooldown_minutes", Kind::WholeNumber),
    ("request_timeout_seconds", Kind::WholeNumber),
    ("max_connections", Kind::WholeNumber),
    ("max_connections_per_client", Kind::WholeNumber),
]);

const LINKS: Kind = Kind::Table(&[
    ("missing", Kind::OneOf(&["error", "warning"])),
    (
        "heading_ids",
        Kind::OneOf(&["transliterated", "github", "zola"]),
    ),
    ("relative_aliases", Kind::OneOf(&["page", "root"])),
]);

const SEARCH: Kind = Kind::Table(&[("enabled", Kind::Bool)]);

const RELATED: Kind = Kind::Table(&[
    ("count", Kind::WholeNumber),
    ("sector_weight", Kind::WholeNumber),
    ("tag_weight", Kind::WholeNumber),
]);

const IMAGES: Kind = Kind::Table(&[
    ("widths", Kind::WholeNumberList),
    ("quality", Kind::WholeNumber),
    ("keep_metadata", Kind::Bool),
]);

const SHARING: Kind = Kind::Table(&[
    ("image", Kind::Text),
    ("logo", Kind::Text),
    ("twitter", Kind::Text),
]);

/// The whole of site.toml.
pub const SITE: Kind = Kind::Table(&[
    ("base_url", Kind::Text),
    ("default_language", Kind::Text),
    ("languages", Kind::MapOf(&LANGUAGE)),
    ("timezone", Kind::Text),
    ("theme", Kind::Text),
    ("paginate", Kind::WholeNumber),
    ("feed_limit", Kind::WholeNumber),
    ("sectors", Kind::MapOf(&Kind::MapOf(&Kind::Text))),
    ("newsletter", NEWSLETTER),
    ("subscriptions", SUBSCRIPTIONS),
    ("menu", Kind::TextList),
    ("links", LINKS),
    ("search", SEARCH),
    ("related", RELATED),
    ("sharing", SHARING),
    ("images", IMAGES),
    ("permalinks", Kind::MapOf(&Kind::Text)),
    ("extra", Kind::Any),
]);

/// Checks a parsed site.toml against [`SITE`]; every problem found.
pub fn check(table: &DeTable<'_>, text: &str, file: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let checker = Checker { text, file };
    if let Kind::Table(fields) = &SITE {
        checker.table(table, fields, "", &mut problems);
    }
    problems
}

struct Checker<'t> {
    text: &'t str,
    file: &'t str,
}

impl Checker<'_> {
    fn line(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }

    fn table(
        &self,
        table: &DeTable<'_>,
        fields: &[(&'static str, Kind)],
        prefix: &str,
        problems: &mut Vec<Diagnostic>,
    ) {
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            let path = format!("{prefix}{name}");
            match fields.iter().find(|(k, _)| *k == name) {
                Some((_, kind)) => {
                    self.value(value.get_ref(), value.span().start, kind, &path, problems)
                }
                None => {
                    let known: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
                    let help = match did_you_mean(name, &known) {
                        Some(k) => format!("did you mean `{prefix}{k}`?"),
                        None => format!("known keys here: {}", known.join(", ")),
                    };
                    problems.push(
                        Diagnostic::error(self.file, "unknown key")
                            .at_field(path)
                            .at_line(self.line(key.span().start))
                            .with_help(help),
                    );
                }
            }
        }
    }

    fn value(
        &self,
        value: &DeValue<'_>,
        at: usize,
        kind: &Kind,
        path: &str,
        problems: &mut Vec<Diagnostic>,
    ) {
        let wrong = |expected: &str| {
            Diagnostic::error(
                self.file,
                format!("expected {expected}, found {}", describe(value)),
            )
            .at_field(path.to_string())
            .at_line(self.line(at))
        };
        match (kind, value) {
            (Kind::Any, _)
            | (Kind::Text, DeValue::String(_))
            | (Kind::Number, DeValue::Integer(_) | DeValue::Float(_))
            | (Kind::Bool, DeValue::Boolean(_)) => {}
            (Kind::OneOf(words), DeValue::String(s)) if words.contains(&s.as_ref()) => {}
            (Kind::OneOf(words), _) => {
                problems.push(wrong(&format!("one of \"{}\"", words.join("\", \""))))
            }
            (Kind::TextList, DeValue::Array(items)) => {
                for item in items.iter() {
                    if !matches!(item.get_ref(), DeValue::String(_)) {
                        self.value(
                            item.get_ref(),
                            item.span().start,
                            &Kind::Text,
                            path,
                            problems,
                        );
                    }
                }
            }
            (Kind::WholeNumberList, DeValue::Array(items)) => {
                for item in items.iter() {
                    self.value(
                        item.get_ref(),
                        item.span().start,
                        &Kind::WholeNumber,
                        path,
                        problems,
                    );
                }
            }
            (Kind::Table(fields), DeValue::Table(t)) => {
                self.table(t, fields, &format!("{path}."), problems)
            }
            (Kind::MapOf(inner), DeValue::Table(t)) => {
                for (key, v) in t.iter() {
                    let path = format!("{path}.{}", key.get_ref());
                    self.value(v.get_ref(), v.span().start, inner, &path, problems);
                }
            }
            (Kind::Text, _) => problems.push(wrong("text in quotes")),
            (Kind::WholeNumber, DeValue::Integer(i)) if !i.as_str().starts_with('-') => {}
            (Kind::WholeNumber, _) => problems.push(wrong("a whole number")),
            (Kind::Number, _) => problems.push(wrong("a number")),
            (Kind::Bool, _) => problems.push(wrong("true or false")),
            (Kind::TextList, _) => problems.push(wrong("a list of texts, e.g. [\"a\", \"b\"]")),
            (Kind::WholeNumberList, _) => {
                problems.push(wrong("a list of whole numbers, e.g. [480, 960]"))
            }
            (Kind::Table(_) | Kind::MapOf(_), _) => problems.push(wrong("a table")),
        }
    }
}

fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the text \"{s}\""),
        DeValue::Integer(i) => format!("the number {}", i.as_str()),
        DeValue::Float(f) => format!("the number {}", f.as_str()),
        DeValue::Boolean(b) => format!("`{b}`"),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "a list".into(),
        DeValue::Table(_) => "a table".into(),
    }
}
