//! The digest as the two parts of an email: HTML (CSS inlined, `@media`
//! kept) and plain text, rendered once per language and choice of sectors
//! and personalised per subscriber by replacing two stand-in links.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tera::Value;

use crate::build::Site;
use crate::content::digest::{self, Digest};
use crate::mail::SubscriberLinks;
use crate::newsletter::NewsletterError;

/// Stand-ins rendered into the shared parts, replaced per subscriber; the
/// template is rendered and its CSS inlined once per language and sector choice.
pub const UNSUBSCRIBE_MARK: &str = "https://dunav.invalid/unsubscribe-mark";
pub const PREFERENCES_MARK: &str = "https://dunav.invalid/preferences-mark";

/// One issue rendered for one language (and sector choice), before personalising.
#[derive(Debug, Clone)]
pub struct EmailParts {
    pub subject: String,
    pub html: String,
    pub text: String,
    pub lang: String,
    pub archive_url: String,
}

impl EmailParts {
    /// The two parts (HTML, text) with this subscriber's links.
    pub fn personalise(&self, links: &SubscriberLinks) -> (String, String) {
        let fill = |s: &str| {
            s.replace(UNSUBSCRIBE_MARK, &links.unsubscribe)
                .replace(PREFERENCES_MARK, &links.preferences)
        };
        (fill(&self.html), fill(&self.text))
    }
}

/// Renders `email/digest.html` and `email/digest.txt` for a digest.
pub fn render(site: &Site, digest: &Digest) -> Result<EmailParts, NewsletterError> {
    let lib = &site.library;
    let issue = &lib.pages[digest.issue];
    let archive_url = site.config.absolute_url(&issue.url);
    let mut context = site.base_context(&digest.lang, &issue.url);
    let absolute = |i: usize| absolute_summary(&site.summaries[i], site.config.base());
    let mut issue_value = crate::render::context::page_full(
        issue,
        &site.summaries[digest.issue],
        lib,
        (None, None),
        tera::Value::from(Vec::<tera::Value>::new()),
    );
    if let Some(map) = issue_value.as_map() {
        let mut map = map.clone();
        let content = crate::output::feeds::absolutise_links(
            &issue.content_html.text(),
            &site.config,
            &issue.url,
        );
        map.insert("content".into(), Value::safe_string(&content));
        issue_value = Value::from(map);
    }
    context.insert_value("issue", issue_value);
    let list =
        |pages: &[usize]| Value::from(pages.iter().map(|&i| absolute(i)).collect::<Vec<_>>());
    context.insert_value("news", list(&digest.news));
    context.insert_value("events", list(&digest.events));
    context.insert_value("projects", list(&digest.projects));
    context.insert("archive_url", &archive_url);
    let index = lib
        .section(&issue.section, &issue.lang)
        .map(|s| s.url.as_str())
        .unwrap_or("/");
    context.insert("archive_index_url", &site.config.absolute_url(index));
    context.insert("unsubscribe_url", UNSUBSCRIBE_MARK);
    context.insert("preferences_url", PREFERENCES_MARK);
    context.insert("preheader", &issue.description);
    let render = |name: &str| {
        site.tera
            .render(name, &context)
            .map_err(|e| NewsletterError::Template(format!("{name}: {e}")))
    };
    let (html, text) = (render("email/digest.html")?, render("email/digest.txt")?);
    let inliner = css_inline::CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_at_rules(true)
        .build();
    let html = inliner
        .inline(&html)
        .map_err(|e| NewsletterError::Template(format!("inlining the email's CSS: {e}")))?;
    Ok(EmailParts {
        subject: issue.meta.title.clone(),
        html,
        text: normalise_text(&text),
        lang: digest.lang.clone(),
        archive_url,
    })
}

/// Mail clients resolve no relative links: give every URL the site's base.
fn absolute_summary(summary: &Value, base: &str) -> Value {
    let Some(map) = summary.as_map() else {
        return summary.clone();
    };
    let mut map = map.clone();
    absolutise(&mut map, &["url", "image", "ics_url"], base);
    let picture: tera::value::Key<'static> = "picture".into();
    if let Some(p) = map.get(&picture).and_then(|p| p.as_map()) {
        let mut p = p.clone();
        let urls = [
            "src",
            "original",
            "mail_src",
            "srcset",
            "webp_srcset",
            "mail_srcset",
        ];
        absolutise(&mut p, &urls, base);
        map.insert(picture, Value::from(p));
    }
    Value::from(map)
}

/// Gives the site-path values of `keys` (a URL, or a `srcset` of them) the site's base.
fn absolutise(map: &mut tera::value::Map, keys: &[&'static str], base: &str) {
    for &key in keys {
        let k: tera::value::Key<'static> = key.into();
        let Some(v) = map.get(&k).and_then(|v| v.as_str()) else {
            continue;
        };
        let absolute = v
            .split(", ")
            .map(|url| match url.starts_with('/') {
                true => format!("{base}{url}"),
                false => url.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        map.insert(k, Value::from(absolute));
    }
}

/// Collapses the blank lines templates leave behind.
fn normalise_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_string() + "\n"
}

/// A language and a choice of sectors: subscribers who share one get the same parts.
type PartsKey = (String, Vec<String>);

/// Renders an issue per (language, sectors), each once.
pub struct PartsCache<'a> {
    site: &'a Site,
    issue: String,
    cache: Mutex<HashMap<PartsKey, Arc<EmailParts>>>,
}

impl<'a> PartsCache<'a> {
    pub fn new(site: &'a Site, issue: &str) -> PartsCache<'a> {
        PartsCache {
            site,
            issue: issue.to_string(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The issue's parts in `lang` (or its fallback) for subscribers of `sectors`.
    pub fn get(&self, lang: &str, sectors: &[String]) -> Result<Arc<EmailParts>, NewsletterError> {
        let key = (lang.to_string(), sectors.to_vec());
        if let Some(parts) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(parts);
        }
        let lib = &self.site.library;
        let issue = digest::find_issue(lib, &self.site.config, &self.issue, lang)?;
        let digest = digest::collect(lib, &self.site.config, issue, sectors)?;
        let parts = Arc::new(render(self.site, &digest)?);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, parts.clone());
        }
        Ok(parts)
    }
}
