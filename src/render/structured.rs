//! What link previews and search engines read: Open Graph and Twitter card
//! values for the theme's `<head>`, and JSON-LD (schema.org) built from the
//! front matter: `NewsArticle`, `Event`, `CreativeWork` for projects,
//! `Organization` and `WebSite` on the home page, `BreadcrumbList` elsewhere.
//!
//! Built here rather than in templates so that every value is escaped once,
//! correctly, and no email address reaches either.

use serde::Serialize;
use serde_json::{Value as Json, json};

use crate::config::SiteConfig;
use crate::content::frontmatter::{DateValue, EventLocation};
use crate::content::{Page, PageKind};

/// An image for previews, with an absolute URL.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct SharedImage {
    pub url: String,
    pub alt: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// The Open Graph and Twitter card values of one output.
#[derive(Debug, Clone, Serialize)]
pub struct Sharing {
    pub og_type: &'static str,
    pub site_name: String,
    pub title: String,
    pub description: String,
    pub image: Option<SharedImage>,
    pub locale: String,
    pub locale_alternates: Vec<String>,
    pub published_time: Option<String>,
    pub modified_time: Option<String>,
    pub section: Option<String>,
    pub tags: Vec<String>,
    /// `summary_large_image` with an image, else `summary`.
    pub twitter_card: &'static str,
    pub twitter_site: Option<String>,
}

/// What every output of one language shares.
pub struct SiteFacts<'a> {
    pub config: &'a SiteConfig,
    pub lang: &'a str,
    /// `[sharing] image`, for outputs without their own.
    pub default_image: Option<&'a SharedImage>,
}

/// A step of a breadcrumb trail: name and site path.
pub type Crumb = (String, String);

/// `bg` → `bg_BG`: the form Open Graph wants. A code with a region keeps
/// it; a language whose main country's code differs from its own is looked
/// up; a script subtag (`sr-Latn`) is not a region.
pub fn og_locale(lang: &str) -> String {
    let mut parts = lang.split(['-', '_']);
    let language = parts.next().unwrap_or(lang).to_lowercase();
    if let Some(region) = parts.find(|p| p.len() == 2) {
        return format!("{language}_{}", region.to_uppercase());
    }
    let region = match language.as_str() {
        "en" => "GB",
        "el" => "GR",
        "uk" => "UA",
        "sr" => "RS",
        "cs" => "CZ",
        "da" => "DK",
        "sv" => "SE",
        "sl" => "SI",
        "sq" => "AL",
        "bs" => "BA",
        "ja" => "JP",
        "ko" => "KR",
        "zh" => "CN",
        "he" => "IL",
        "et" => "EE",
        "ka" => "GE",
        "hy" => "AM",
        "be" => "BY",
        "kk" => "KZ",
        "fa" => "IR",
        "ar" => "SA",
        "hi" => "IN",
        "vi" => "VN",
        "nb" | "nn" => "NO",
        "ga" => "IE",
        "ms" => "MY",
        other => other,
    };
    format!("{language}_{}", region.to_uppercase())
}

/// The text without anything that looks like an email address (and the
/// brackets or `mailto:` around it).
pub fn without_emails(text: &str) -> String {
    // The usual case, a description on one line with no `@`, comes back as
    // it is: this runs several times for every output.
    let one_line = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.chars().any(|c| c != ' ' && c.is_whitespace());
    if one_line && !text.contains('@') {
        return text.to_string();
    }
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|word| {
            let bare = word.trim_matches(|c: char| "<>()[],;\"'".contains(c));
            let bare = bare.strip_prefix("mailto:").unwrap_or(bare);
            !(bare.contains('@') && bare.rsplit('@').next().is_some_and(|d| d.contains('.')))
        })
        .collect();
    words.join(" ")
}

impl SiteFacts<'_> {
    fn site_name(&self) -> String {
        self.config.title(self.lang).to_string()
    }

    fn alternates(&self, langs: &[String]) -> Vec<String> {
        langs
            .iter()
            .filter(|l| *l != self.lang)
            .map(|l| og_locale(l))
            .collect()
    }

    /// The values of a listing or other page that is not content. (The
    /// output's own URL is the template's `current_permalink`.)
    pub fn website(&self, title: &str, other_langs: &[String]) -> Sharing {
        let image = self.default_image.cloned();
        Sharing {
            og_type: "website",
            site_name: self.site_name(),
            title: title.to_string(),
            description: without_emails(self.config.description(self.lang)),
            twitter_card: card(&image),
            image,
            locale: og_locale(self.lang),
            locale_alternates: self.alternates(other_langs),
            published_time: None,
            modified_time: None,
            section: None,
            tags: Vec::new(),
            twitter_site: self.config.sharing.twitter.clone(),
        }
    }

    /// The values of a page; `section` is its section's title.
    pub fn page(&self, page: &Page, section: Option<&str>, other_langs: &[String]) -> Sharing {
        let image = page_image(page, self.config).or_else(|| self.default_image.cloned());
        let article = matches!(page.kind, PageKind::News | PageKind::Newsletter);
        Sharing {
            og_type: if article { "article" } else { "website" },
            site_name: self.site_name(),
            title: page.meta.title.clone(),
            // A page of only code or pictures has no text to describe it.
            description: without_emails(if page.description.is_empty() {
                &page.meta.title
            } else {
                &page.description
            }),
            twitter_card: card(&image),
            image,
            locale: og_locale(self.lang),
            locale_alternates: self.alternates(other_langs),
            published_time: article
                .then(|| page.meta.date.as_ref().map(DateValue::rfc3339))
                .flatten(),
            modified_time: page.meta.updated.as_ref().map(DateValue::rfc3339),
            section: article.then(|| section.map(str::to_string)).flatten(),
            tags: if article {
                page.meta.tags.clone()
            } else {
                Vec::new()
            },
            twitter_site: self.config.sharing.twitter.clone(),
        }
    }

    fn organization(&self) -> Organization {
        // Google wants a publisher's logo; the preview image stands in for one.
        let logo = self
            .config
            .sharing
            .logo
            .as_ref()
            .or(self.config.sharing.image.as_ref());
        Organization {
            kind: "Organization",
            logo: logo.map(|logo| Logo {
                kind: "ImageObject",
                url: self.config.absolute_url(logo),
            }),
            name: self.site_name(),
            url: self.config.absolute_url(&home_path(self.config, self.lang)),
        }
    }

    /// The home page's: the organisation and the site.
    pub fn home_json_ld(&self) -> Vec<String> {
        let mut org = serde_json::to_value(self.organization()).unwrap_or_default();
        org["@context"] = json!("https://schema.org");
        if !self.config.description(self.lang).is_empty() {
            org["description"] = json!(without_emails(self.config.description(self.lang)));
        }
        let home = self.config.absolute_url(&home_path(self.config, self.lang));
        let site = json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": self.site_name(),
            "url": home,
            "inLanguage": self.lang,
        });
        vec![script_json(&org), script_json(&site)]
    }

    /// A breadcrumb trail from the language's home page through `crumbs`.
    pub fn breadcrumbs(&self, crumbs: &[Crumb]) -> String {
        let home = (self.site_name(), home_path(self.config, self.lang));
        let items = std::iter::once(&home)
            .chain(crumbs)
            .enumerate()
            .map(|(i, (name, url))| ListItem {
                kind: "ListItem",
                item: self.config.absolute_url(url),
                name,
                position: i + 1,
            })
            .collect();
        script_json(&BreadcrumbList {
            context: "https://schema.org",
            kind: "BreadcrumbList",
            items,
        })
    }

    /// A page's JSON-LD by its kind (none for plain pages), then its breadcrumbs.
    pub fn page_json_ld(&self, page: &Page, crumbs: &[Crumb]) -> Vec<String> {
        let item = match page.kind {
            PageKind::News => Some(self.news_article(page)),
            PageKind::Event => Some(self.event(page)),
            PageKind::Project => Some(self.project(page)),
            PageKind::Newsletter | PageKind::Page => None,
        };
        item.iter()
            .map(script_json)
            .chain(std::iter::once(self.breadcrumbs(crumbs)))
            .collect()
    }

    fn common<'p>(&self, page: &'p Page, kind: &'static str) -> ContentItem<'p> {
        let description = without_emails(&page.description);
        let image = page_image(page, self.config).or_else(|| self.default_image.cloned());
        ContentItem {
            context: "https://schema.org",
            kind,
            name: &page.meta.title,
            url: self.config.absolute_url(&page.url),
            in_language: &page.lang,
            description: (!description.is_empty()).then_some(description),
            image: image.map(|image| [image.url]),
            ..ContentItem::default()
        }
    }

    fn news_article<'p>(&self, page: &'p Page) -> ContentItem<'p> {
        let organization = self.organization();
        let people: Vec<Author> = (page.meta.authors.iter())
            .map(|name| without_emails(name))
            .filter(|name| !name.is_empty())
            .map(|name| {
                Author::Person(Named {
                    kind: "Person",
                    name,
                })
            })
            .collect();
        ContentItem {
            headline: Some(headline(&page.meta.title)),
            main_entity_of_page: Some(self.config.absolute_url(&page.url)),
            date_published: page.meta.date.as_ref().map(DateValue::rfc3339),
            date_modified: page
                .meta
                .updated
                .as_ref()
                .or(page.meta.date.as_ref())
                .map(DateValue::rfc3339),
            author: Some(match people.is_empty() {
                true => vec![Author::Organization(organization.clone())],
                false => people,
            }),
            publisher: Some(organization),
            keywords: (!page.meta.tags.is_empty()).then(|| page.meta.tags.join(", ")),
            ..self.common(page, "NewsArticle")
        }
    }

    fn event<'p>(&self, page: &'p Page) -> ContentItem<'p> {
        // Without a location there is nothing true to say: no made-up place.
        let (mode, location) = event_location(page.meta.location.as_ref(), self.config).unzip();
        ContentItem {
            start_date: page.meta.start.as_ref().map(schema_date),
            end_date: page.meta.end.as_ref().map(schema_date),
            event_status: Some("https://schema.org/EventScheduled"),
            event_attendance_mode: mode.map(|mode| format!("https://schema.org/{mode}")),
            location,
            organizer: Some(self.organization()),
            offers: page.meta.registration.as_ref().map(|url| {
                json!({
                    "@type": "Offer",
                    "url": self.config.absolute_url(url),
                    "availability": "https://schema.org/InStock",
                })
            }),
            ..self.common(page, "Event")
        }
    }

    fn project<'p>(&self, page: &'p Page) -> ContentItem<'p> {
        let partners: Vec<Named> = page
            .meta
            .partners
            .iter()
            .map(|name| Named {
                kind: "Organization",
                name: without_emails(name),
            })
            .collect();
        ContentItem {
            headline: Some(headline(&page.meta.title)),
            creator: Some(self.organization()),
            date_created: page.meta.start.as_ref().map(schema_date),
            same_as: page.meta.website.as_deref(),
            contributor: (!partners.is_empty()).then_some(partners),
            ..self.common(page, "CreativeWork")
        }
    }
}

/// A page's schema.org item, written as a struct rather than a `json!` map
/// (one is made for every page, and the maps were a third of making a
/// page's template data). The fields are in the order a map writes its
/// keys, so the JSON is the same; each kind fills in its own.
#[derive(Serialize, Default)]
struct ContentItem<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Vec<Author>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contributor: Option<Vec<Named>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Organization>,
    #[serde(rename = "dateCreated", skip_serializing_if = "Option::is_none")]
    date_created: Option<String>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(rename = "endDate", skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(
        rename = "eventAttendanceMode",
        skip_serializing_if = "Option::is_none"
    )]
    event_attendance_mode: Option<String>,
    #[serde(rename = "eventStatus", skip_serializing_if = "Option::is_none")]
    event_status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[String; 1]>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Json>,
    #[serde(rename = "mainEntityOfPage", skip_serializing_if = "Option::is_none")]
    main_entity_of_page: Option<String>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    offers: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organizer: Option<Organization>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Organization>,
    #[serde(rename = "sameAs", skip_serializing_if = "Option::is_none")]
    same_as: Option<&'a str>,
    #[serde(rename = "startDate", skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    url: String,
}

/// The site as publisher, organiser or creator (fields in a map's order).
#[derive(Serialize, Clone)]
struct Organization {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<Logo>,
    name: String,
    url: String,
}

#[derive(Serialize, Clone)]
struct Logo {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

/// A person or a partner organisation, by name.
#[derive(Serialize)]
struct Named {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Author {
    Person(Named),
    Organization(Organization),
}

/// Written as a struct rather than a `json!` map (a trail is made for every
/// output); the fields are in the order a map would write them.
#[derive(Serialize)]
struct BreadcrumbList<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: String,
    name: &'a str,
    position: usize,
}

fn card(image: &Option<SharedImage>) -> &'static str {
    if image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    }
}

fn home_path(config: &SiteConfig, lang: &str) -> String {
    format!("{}/", config.language_prefix(lang))
}

/// Google shows at most 110 characters of a headline.
fn headline(title: &str) -> String {
    match title.char_indices().nth(109) {
        Some((cut, _)) => format!("{}…", title[..cut].trim_end()),
        None => title.to_string(),
    }
}

/// A datetime with its offset, or a bare date when no time was written.
fn schema_date(date: &DateValue) -> String {
    if date.has_time {
        date.rfc3339()
    } else {
        date.zoned.date().to_string()
    }
}

fn page_image(page: &Page, config: &SiteConfig) -> Option<SharedImage> {
    let url = page.shown_image()?;
    Some(SharedImage {
        url: config.absolute_url(url),
        alt: page.meta.image_alt.clone().unwrap_or_default(),
        width: page.image_size.map(|(w, _)| w),
        height: page.image_size.map(|(_, h)| h),
    })
}

/// The attendance mode and the `location` of an event: a place, a virtual
/// location, or both.
fn event_location(
    location: Option<&EventLocation>,
    config: &SiteConfig,
) -> Option<(&'static str, Json)> {
    let place = location
        .filter(|l| l.name.is_some() || l.address.is_some())
        .map(|l| {
            let name = l.name.clone().or_else(|| l.address.clone());
            // Search engines require an address; a place's name is the
            // best an editor gave when there is none.
            let address = l.address.clone().or_else(|| l.name.clone());
            json!({
                "@type": "Place",
                "name": name,
                "address": { "@type": "PostalAddress", "streetAddress": address },
            })
        });
    let online = location
        .and_then(|l| l.online.as_deref())
        .map(|url| json!({ "@type": "VirtualLocation", "url": config.absolute_url(url) }));
    match (place, online) {
        (Some(place), Some(online)) => Some(("MixedEventAttendanceMode", json!([place, online]))),
        (None, Some(online)) => Some(("OnlineEventAttendanceMode", online)),
        (Some(place), None) => Some(("OfflineEventAttendanceMode", place)),
        (None, None) => None,
    }
}

/// JSON for a `<script>` element: `<`, `>` and `&` escaped, so no text in
/// it can close the element.
fn script_json(value: &impl Serialize) -> String {
    // Serialising plain data (no maps with non-string keys) cannot fail.
    script_safe(serde_json::to_string(value).unwrap_or_default())
}

/// JSON text with `<`, `>`, `&` and the line separators as `\u…` escapes
/// (the same JSON): put in a `<script>`, it cannot end the element.
pub(crate) fn script_safe(json: String) -> String {
    let unsafe_char = |c: char| matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}');
    if !json.contains(unsafe_char) {
        return json;
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            c if unsafe_char(c) => escaped.push_str(&format!("\\u{:04x}", c as u32)),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_dropped_with_their_brackets() {
        assert_eq!(
            without_emails("Иван Петров <ivan@example.bg>, mailto:a@b.org"),
            "Иван Петров"
        );
        assert_eq!(without_emails("@hub on X"), "@hub on X");
        // With or without an address, the text comes back on one line.
        assert_eq!(without_emails("  Хъб в\nРусе \n"), "Хъб в Русе");
        assert_eq!(without_emails(" \t "), "");
        assert_eq!(without_emails("Хъб  в Русе\u{a0}"), "Хъб в Русе");
        assert_eq!(without_emails("Хъб в Русе"), "Хъб в Русе");
    }

    #[test]
    fn locales_have_a_region() {
        assert_eq!(og_locale("bg"), "bg_BG");
        assert_eq!(og_locale("en"), "en_GB");
        assert_eq!(og_locale("pt-br"), "pt_BR");
        assert_eq!(og_locale("sl"), "sl_SI");
        assert_eq!(og_locale("sr-Latn"), "sr_RS");
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let text = script_json(&json!({ "name": "</script><b>&amp;" }));
        assert!(!text.contains("</"));
        assert_eq!(
            text,
            r#"{"name":"\u003c/script\u003e\u003cb\u003e\u0026amp;"}"#
        );
        let plain = json!({ "name": "Дунав", "url": "https://example.org/" });
        assert_eq!(script_json(&plain), plain.to_string());
    }
}
