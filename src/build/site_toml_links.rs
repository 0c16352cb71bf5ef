//! The pages and files site.toml names: each must exist.

use crate::config::SiteConfig;
use crate::content::Library;
use crate::content::body::ImageSource;
use crate::diagnostics::{Diagnostic, Severity};
use crate::render::context as ctx;

/// The pages and files site.toml names must exist: each `menu` entry, the
/// privacy page the signup form's consent links to, the sharing image and
/// logo; placeholders are flagged, and `[permalinks]` patterns that name a
/// file (published as folders) are told.
pub(super) fn check(config: &SiteConfig, library: &Library) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let found = |entry: &str| {
        config
            .language_codes()
            .iter()
            .any(|lang| ctx::resolve_entry(entry, lang, config, library).is_some())
    };
    // The default menu names the usual sections; only a menu the owner wrote
    // must name pages that exist.
    let menu_written = config.lines.contains_key("menu");
    for entry in config.menu.iter().filter(|_| menu_written) {
        if !found(entry) {
            let name = ctx::menu_path(entry);
            problems.push(
                config
                    .problem("menu", format!("\"{entry}\" names no section or page"))
                    .with_help(format!("write content/{name}/_index.md or content/{name}.md, or remove it from the menu")),
            );
        }
    }
    for (section, pattern) in &config.permalinks {
        if let Some(note) = crate::config::permalinks::file_pattern_note(pattern) {
            let mut d = config.problem(&format!("permalinks.{section}"), note);
            d.severity = Severity::Warning;
            problems.push(d);
        }
    }
    for key in config.placeholders() {
        let mut d = config.problem(key, "still the placeholder from `dunav init`");
        d.severity = crate::diagnostics::Severity::Warning;
        problems.push(d.with_help(if key == "base_url" {
            "set the address the site will be published at: feeds, the sitemap and calendars use it"
        } else {
            "set your own address before you send mail; mail refuses it until then"
        }));
    }
    for (key, value) in [
        ("sharing.image", &config.sharing.image),
        ("sharing.logo", &config.sharing.logo),
    ] {
        let Some(value) = value else { continue };
        // A script is an error; a missing file only a broken preview.
        let problem = match crate::content::body::image_source(value) {
            ImageSource::Web(_) => None,
            ImageSource::Refused => Some((
                Severity::Error,
                format!("\"{value}\" is not an image the site can show"),
            )),
            ImageSource::Site => (!library
                .published
                .contains_key(value.trim_start_matches('/')))
            .then(|| {
                (
                    Severity::Warning,
                    format!("\"{value}\" names no file in static/"),
                )
            }),
        };
        if let Some((severity, message)) = problem {
            let mut d = config
                .problem(key, message)
                .with_help("give a path under static/ (e.g. \"share.png\") or an https:// URL");
            d.severity = severity;
            problems.push(d);
        }
    }
    let privacy = &config.newsletter.privacy_page;
    if !config.newsletter.endpoint.is_empty() && !privacy.is_empty() && !found(privacy) {
        let mut d = config.problem(
            "newsletter.privacy_page",
            format!(
                "the signup form asks for consent to a privacy policy, but \"{privacy}\" is no page"
            ),
        );
        d.severity = crate::diagnostics::Severity::Warning;
        problems.push(d.with_help(format!(
            "write content/{privacy}.md (and its translation), or set privacy_page"
        )));
    }
    problems
}
