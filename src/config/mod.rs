//! `site.toml` read into typed structs, with defaults and validation. Every
//! problem names its line and key, and all of them are reported at once.

mod discovery;
mod images;
mod links;
mod mail;
pub mod permalinks;
mod schema;

pub use discovery::{RelatedConfig, SearchConfig, SharingConfig};
pub use images::ImagesConfig;
pub use links::{HeadingIds, LinkSeverity, LinksConfig, RelativeAliases};
pub use mail::{NewsletterConfig, SmtpConfig, SubscriptionsConfig};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

/// The domain `dunav init` writes where a site must put its own (a reserved
/// name, RFC 2606): builds warn about it, mail refuses it.
pub const PLACEHOLDER: &str = "change-me.invalid";

/// The file name of a site's configuration, at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// The whole of `site.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The absolute URL the site is published at, e.g. `https://didih.bg`.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub default_language: String,
    /// Languages by code; the default language must be among them.
    pub languages: BTreeMap<String, LanguageConfig>,
    /// IANA time zone for datetimes written without an offset.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Items per listing page (sections and taxonomy terms).
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// Entries in each Atom feed.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// Sector key → label per language code.
    #[serde(default)]
    pub sectors: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub newsletter: NewsletterConfig,
    #[serde(default)]
    pub subscriptions: SubscriptionsConfig,
    /// The main menu: content paths of sections (`news`) or pages (`about`), in order.
    #[serde(default = "default_menu")]
    pub menu: Vec<String>,
    #[serde(default)]
    pub links: LinksConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub related: RelatedConfig,
    #[serde(default)]
    pub sharing: SharingConfig,
    #[serde(default)]
    pub images: ImagesConfig,
    /// Section → address pattern of its pages (see [`permalinks`]).
    #[serde(default)]
    pub permalinks: BTreeMap<String, String>,
    /// Free values passed to templates as `config.extra`.
    #[serde(default)]
    pub extra: BTreeMap<String, toml::Value>,
    /// The line of each key (`menu`, `newsletter.from`), for messages about its value.
    #[serde(skip)]
    pub lines: std::collections::HashMap<String, usize>,
    /// A fingerprint of the text it was read from, for the outputs' prints.
    #[serde(skip)]
    pub source_print: u64,
    /// Jekyll folders (`_docs`) published under their own name, since a
    /// folder or page of the site has the name without `_` (`docs/`).
    #[serde(skip)]
    pub underscore_kept: std::collections::BTreeSet<String>,
}

/// One language of the site.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The language's name in itself, for the language switch.
    #[serde(default)]
    pub name: Option<String>,
    /// A short name for the header's badge and the mail (e.g. "ДИ ДИХ"); none by default.
    #[serde(default)]
    pub short_name: Option<String>,
    /// The footer's line; the title by default.
    #[serde(default)]
    pub footer: Option<String>,
    /// Interface strings that override the theme's for this language.
    #[serde(default)]
    pub strings: BTreeMap<String, String>,
}

fn default_menu() -> Vec<String> {
    ["news", "events", "projects", "newsletter"]
        .map(String::from)
        .to_vec()
}
fn default_language() -> String {
    "bg".into()
}
fn default_timezone() -> String {
    "Europe/Sofia".into()
}
fn default_theme() -> String {
    "dunav".into()
}
fn default_paginate() -> usize {
    10
}
fn default_feed_limit() -> usize {
    20
}

impl SiteConfig {
    /// Reads and validates `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    format!("cannot read the site configuration: {e}"),
                )
                .with_help("run `dunav init DIR` for a new site, or pass --root DIR"),
            ]
        })?;
        Self::parse(&text)
    }

    /// Parses `site.toml` text; errors name the line and the key.
    pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let (table, syntax) = toml::de::DeTable::parse_recoverable(text);
        if !syntax.is_empty() {
            return Err(syntax
                .iter()
                .map(|e| {
                    let d = Diagnostic::error(
                        CONFIG_FILE,
                        format!("not valid TOML: {}", e.message().trim()),
                    );
                    match e.span() {
                        Some(span) => d.at_line(line_of(span.start)),
                        None => d,
                    }
                })
                .collect());
        }
        let mut problems = schema::check(table.get_ref(), text, CONFIG_FILE);
        for required in ["base_url", "languages"] {
            if !table
                .get_ref()
                .iter()
                .any(|(k, _)| k.get_ref().as_ref() == required)
            {
                problems.push(
                    Diagnostic::error(CONFIG_FILE, "required key is missing")
                        .at_field(required)
                        .at_line(1)
                        .with_help(match required {
                            "base_url" => "e.g. base_url = \"https://example.org\"",
                            _ => "e.g. [languages.bg] with title = \"…\"",
                        }),
                );
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let config: SiteConfig = toml::from_str(text).map_err(|e| {
            let d = Diagnostic::error(CONFIG_FILE, e.message().to_string());
            vec![match e.span() {
                Some(span) => d.at_line(line_of(span.start)),
                None => d,
            }]
        })?;
        // Semantic checks name a key; find its line.
        let lines = key_lines(text);
        let mut config = config;
        config.lines = lines.clone();
        config.source_print = crate::fingerprint::of(text);
        problems = config.validate();
        for p in &mut problems {
            if let Some(line) = p.field.as_ref().and_then(|f| lines.get(f.as_str())) {
                p.line = Some(*line);
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// The checks that need more than a value's type.
    fn validate(&self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let err = |field: &str, msg: String| Diagnostic::error(CONFIG_FILE, msg).at_field(field);
        if !self.languages.contains_key(&self.default_language) {
            problems.push(err(
                "default_language",
                format!("`{}` is not among [languages]", self.default_language),
            ));
        }
        if jiff::tz::TimeZone::get(&self.timezone).is_err() {
            problems.push(err(
                "timezone",
                format!(
                    "unknown time zone \"{}\" (use an IANA name such as Europe/Sofia)",
                    self.timezone
                ),
            ));
        }
        if self.paginate == 0 {
            problems.push(err("paginate", "must be at least 1".into()));
        }
        for (key, message) in self.images.problems() {
            problems.push(err(key, message));
        }
        // A sector's key is its URL name (`/sectors/ict/`).
        for key in self.sectors.keys() {
            if crate::translit::slugify(key) != *key {
                problems.push(self.problem(
                    &format!("sectors.{key}"),
                    format!("the sector key \"{key}\" is its URL name: write lower-case letters, digits and dashes (e.g. \"{}\")", crate::translit::slugify(key)),
                ));
            }
        }
        for (section, pattern) in &self.permalinks {
            if let Some(message) = permalinks::pattern_problem(pattern) {
                problems.push(self.problem(&format!("permalinks.{section}"), message));
            }
        }
        if let Some(message) = base_url_problem(&self.base_url) {
            problems.push(err("base_url", message));
        }
        for proxy in &self.subscriptions.trusted_proxies {
            if parse_ip_range(proxy).is_none() {
                problems.push(err(
                    "subscriptions.trusted_proxies",
                    format!("\"{proxy}\" is not an IP address or a CIDR range such as 10.0.0.0/8"),
                ));
            }
        }
        if self.subscriptions.request_timeout_seconds == 0 {
            problems.push(err(
                "subscriptions.request_timeout_seconds",
                "must be at least 1".into(),
            ));
        }
        if self.subscriptions.max_connections == 0 {
            problems.push(err(
                "subscriptions.max_connections",
                "must be at least 1".into(),
            ));
        }
        if self.subscriptions.max_connections_per_client == 0 {
            problems.push(err(
                "subscriptions.max_connections_per_client",
                "must be at least 1".into(),
            ));
        }
        for code in self.languages.keys() {
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                problems.push(err(
                    "languages",
                    format!("\"{code}\" is not a language code"),
                ));
            }
        }
        problems
    }

    /// The languages, the default first.
    pub fn language_codes(&self) -> Vec<String> {
        let mut codes = vec![self.default_language.clone()];
        codes.extend(
            self.languages
                .keys()
                .filter(|c| **c != self.default_language)
                .cloned(),
        );
        codes
    }

    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// The `[newsletter]` keys still holding `dunav init`'s placeholder.
    pub fn placeholders(&self) -> Vec<&'static str> {
        let n = &self.newsletter;
        [
            ("base_url", Some(&self.base_url)),
            ("newsletter.from", Some(&n.from)),
            ("newsletter.reply_to", n.reply_to.as_ref()),
            ("newsletter.list_id", Some(&n.list_id)),
            (
                "newsletter.unsubscribe_mailto",
                n.unsubscribe_mailto.as_ref(),
            ),
            ("newsletter.endpoint", Some(&n.endpoint)),
            (
                "subscriptions.public_url",
                Some(&self.subscriptions.public_url),
            ),
        ]
        .into_iter()
        .filter(|(_, v)| v.is_some_and(|v| v.contains(PLACEHOLDER)))
        .map(|(k, _)| k)
        .collect()
    }

    /// A diagnostic about a key of site.toml, at its line.
    pub fn problem(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::error(CONFIG_FILE, message).at_field(key);
        match self.lines.get(key) {
            Some(line) => d.at_line(*line),
            None => d,
        }
    }

    /// The name mail uses for the site: the short name if there is one, else the title.
    pub fn short_name(&self, lang: &str) -> &str {
        self.languages
            .get(lang)
            .and_then(|l| l.short_name.as_deref())
            .unwrap_or_else(|| self.title(lang))
    }

    /// The site's title in a language (empty when the language is unknown).
    pub fn description(&self, lang: &str) -> &str {
        self.languages
            .get(lang)
            .map(|l| l.description.as_str())
            .unwrap_or("")
    }

    pub fn title(&self, lang: &str) -> &str {
        self.languages
            .get(lang)
            .map(|l| l.title.as_str())
            .unwrap_or("")
    }

    /// The site's base URL without a trailing slash.
    pub fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The absolute URL of a site path such as `/news/foo/`.
    pub fn absolute_url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            return path.to_string();
        }
        format!("{}/{}", self.base(), path.trim_start_matches('/'))
    }

    /// The URL prefix of a language: empty for the default, `/en` for the others.
    pub fn language_prefix(&self, lang: &str) -> String {
        if lang == self.default_language {
            String::new()
        } else {
            format!("/{lang}")
        }
    }

    /// A sector's label in a language, falling back to the default language, then the key.
    pub fn sector_label<'a>(&'a self, key: &'a str, lang: &str) -> &'a str {
        self.sectors
            .get(key)
            .and_then(|labels| {
                labels
                    .get(lang)
                    .or_else(|| labels.get(&self.default_language))
            })
            .map(String::as_str)
            .unwrap_or(key)
    }

    /// Where the subscriber database lives: `DUNAV_DB`, else `[newsletter] database`.
    pub fn database_path(&self, root: &Path) -> PathBuf {
        crate::env::database().unwrap_or_else(|| root.join(&self.newsletter.database))
    }
}

/// The line of each `key` and `table.key` in site.toml text.
fn key_lines(text: &str) -> std::collections::HashMap<String, usize> {
    let mut lines = std::collections::HashMap::new();
    let mut table = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            table = name.trim().replace(['"', '\''], "");
            lines.entry(table.clone()).or_insert(i + 1);
        } else if let Some((key, _)) = line.split_once('=') {
            let key = key.trim().trim_matches('"');
            let path = if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            };
            lines.entry(path).or_insert(i + 1);
        }
    }
    lines
}

/// An IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`) as (network, prefix length).
pub fn parse_ip_range(text: &str) -> Option<(std::net::IpAddr, u8)> {
    let (addr, prefix) = match text.trim().split_once('/') {
        Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
        None => (text.trim(), None),
    };
    let addr: std::net::IpAddr = addr.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = prefix.unwrap_or(max);
    (prefix <= max).then_some((addr, prefix))
}

/// Why `url` cannot be the site's base URL: it must be an http(s) origin.
/// Every link of the site starts at the domain's root (`/news/`), so a site
/// published under a path (`https://example.org/sub`) would lose its styles
/// and links; a query or fragment would end up inside every URL.
pub fn base_url_problem(url: &str) -> Option<String> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Some(format!("\"{url}\" must be an absolute http(s) URL"));
    };
    if rest.contains(['?', '#']) {
        return Some(format!("\"{url}\" must not have a query or fragment"));
    }
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() {
        return Some(format!("\"{url}\" has no host"));
    }
    if !path.trim_end_matches('/').is_empty() {
        return Some(format!(
            "\"{url}\": dunav publishes at the root of a domain (its links start at /), not under /{}; use a domain or subdomain of its own",
            path.trim_end_matches('/')
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "base_url = \"https://example.org\"\n[languages.bg]\ntitle = \"Сайт\"\n";

    #[test]
    fn a_minimal_config_gets_defaults() {
        let c = SiteConfig::parse(MINIMAL).unwrap();
        assert_eq!(c.default_language, "bg");
        assert_eq!(c.timezone, "Europe/Sofia");
        assert_eq!(c.paginate, 10);
        assert_eq!(c.absolute_url("/news/"), "https://example.org/news/");
    }

    #[test]
    fn a_negative_count_is_refused_at_its_key() {
        let text = format!("feed_limit = -1\n{MINIMAL}");
        let problems = SiteConfig::parse(&text).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|d| d.field.as_deref() == Some("feed_limit")
                    && d.line == Some(1)
                    && d.message
                        .contains("expected a whole number, found the number -1")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_sector_key_is_a_url_name() {
        let text =
            format!("{MINIMAL}\n[sectors.\"../x\"]\nbg = \"X\"\n[sectors.ict]\nbg = \"ИКТ\"\n");
        let problems = SiteConfig::parse(&text).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, Some(5), "{problems:?}");
        assert!(
            problems[0].message.contains("\"../x\" is its URL name"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_base_url_is_an_origin() {
        assert_eq!(base_url_problem("https://example.org"), None);
        assert_eq!(base_url_problem("http://localhost:1111/"), None);
        for bad in [
            "example.org",
            "https://",
            "https://example.org/sub",
            "https://example.org/?x=1",
            "https://example.org#f",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad}");
        }
        assert!(
            base_url_problem("https://example.org/sub/")
                .unwrap()
                .contains("not under /sub")
        );
    }

    #[test]
    fn every_problem_names_its_line_and_key_at_once() {
        let text = "base_url = \"x\"\npaginate = \"ten\"\ntitel = \"x\"\ntimezone = \"Mars/Olympus\"\n[languages.bg]\ntitle = \"x\"\n[newsletter.smtp]\npool_sise = 4\n";
        let e = SiteConfig::parse(text).unwrap_err();
        let shown: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        let all = shown.join("\n");
        assert!(
            all.contains(
                "site.toml:2: `paginate`: expected a whole number, found the text \"ten\""
            ),
            "{all}"
        );
        assert!(all.contains("site.toml:3: `titel`: unknown key"), "{all}");
        assert!(
            all.contains("did you mean `title`?")
                || all.contains("did you mean `timezone`?")
                || all.contains("did you mean"),
            "{all}"
        );
        assert!(
            all.contains("site.toml:8: `newsletter.smtp.pool_sise`: unknown key"),
            "{all}"
        );
        assert!(
            all.contains("did you mean `newsletter.smtp.pool_size`?"),
            "{all}"
        );
        // Type and key errors first; the values' meaning once they read.
        let text = "base_url = \"x\"\ntimezone = \"Mars/Olympus\"\n[languages.bg]\ntitle = \"x\"\n";
        let e = SiteConfig::parse(text).unwrap_err();
        assert!(
            e.iter()
                .any(|d| d.field.as_deref() == Some("timezone") && d.line == Some(2))
        );
        assert!(
            e.iter()
                .any(|d| d.field.as_deref() == Some("base_url") && d.line == Some(1))
        );
    }

    #[test]
    fn the_schema_knows_every_key_of_the_config() {
        let full = SiteConfig::parse(MINIMAL).unwrap();
        let text = toml::to_string(&full).unwrap();
        let (table, syntax) = toml::de::DeTable::parse_recoverable(&text);
        assert!(syntax.is_empty());
        let problems = schema::check(table.get_ref(), &text, "site.toml");
        assert!(
            problems.is_empty(),
            "add these to config/schema.rs: {problems:?}"
        );
    }
}
