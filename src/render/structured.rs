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

    fn organization(&self) -> Json {
        let mut org = json!({
            "@type": "Organization",
            "name": self.site_name(),
            "url": self.config.absolute_url(&home_path(self.config, self.lang)),
        });
        // Google wants a publisher's logo; the preview image stands in for one.
        let logo = self
            .config
            .sharing
            .logo
            .as_ref()
            .or(self.config.sharing.image.as_ref());
        if let Some(logo) = logo {
            org["logo"] = json!({ "@type": "ImageObject", "url": self.config.absolute_url(logo) });
        }
        org
    }

    /// The home page's: the organisation and the site.
    pub fn home_json_ld(&self) -> Vec<String> {
        let mut org = self.organization();
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

    fn common(&self, page: &Page, kind: &str) -> Json {
        let mut item = json!({
            "@context": "https://schema.org",
            "@type": kind,
            "name": page.meta.title,
            "url": self.config.absolute_url(&page.url),
            "inLanguage": page.lang,
        });
        let description = without_emails(&page.description);
        if !description.is_empty() {
            item["description"] = json!(description);
        }
        if let Some(image) = page_image(page, self.config).or_else(|| self.default_image.cloned()) {
            item["image"] = json!([image.url]);
        }
        item
    }

    fn news_article(&self, page: &Page) -> Json {
        let mut item = self.common(page, "NewsArticle");
        item["headline"] = json!(headline(&page.meta.title));
        item["mainEntityOfPage"] = json!(self.config.absolute_url(&page.url));
        if let Some(date) = &page.meta.date {
            item["datePublished"] = json!(date.rfc3339());
        }
        if let Some(date) = page.meta.updated.as_ref().or(page.meta.date.as_ref()) {
            item["dateModified"] = json!(date.rfc3339());
        }
        let author = page
            .meta
            .author
            .as_deref()
            .map(without_emails)
            .filter(|a| !a.is_empty());
        item["author"] = match author {
            Some(name) => json!([{ "@type": "Person", "name": name }]),
            None => json!([self.organization()]),
        };
        item["publisher"] = self.organization();
        if !page.meta.tags.is_empty() {
            item["keywords"] = json!(page.meta.tags.join(", "));
        }
        item
    }

    fn event(&self, page: &Page) -> Json {
        let mut item = self.common(page, "Event");
        if let Some(start) = &page.meta.start {
            item["startDate"] = json!(schema_date(start));
        }
        if let Some(end) = &page.meta.end {
            item["endDate"] = json!(schema_date(end));
        }
        item["eventStatus"] = json!("https://schema.org/EventScheduled");
        // Without a location there is nothing true to say: no made-up place.
        if let Some((mode, location)) = event_location(page.meta.location.as_ref(), self.config) {
            item["eventAttendanceMode"] = json!(format!("https://schema.org/{mode}"));
            item["location"] = location;
        }
        item["organizer"] = self.organization();
        if let Some(url) = &page.meta.registration {
            item["offers"] = json!({
                "@type": "Offer",
                "url": self.config.absolute_url(url),
                "availability": "https://schema.org/InStock",
            });
        }
        item
    }

    fn project(&self, page: &Page) -> Json {
        let mut item = self.common(page, "CreativeWork");
        item["headline"] = json!(headline(&page.meta.title));
        item["creator"] = self.organization();
        if let Some(start) = &page.meta.start {
            item["dateCreated"] = json!(schema_date(start));
        }
        if let Some(site) = &page.meta.website {
            item["sameAs"] = json!(site);
        }
        let partners: Vec<Json> = page
            .meta
            .partners
            .iter()
            .map(|name| json!({ "@type": "Organization", "name": without_emails(name) }))
            .collect();
        if !partners.is_empty() {
            item["contributor"] = json!(partners);
        }
        item
    }
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
    let json = serde_json::to_string(value).unwrap_or_default();
    if !json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return json;
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
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
