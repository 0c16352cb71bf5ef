//! iCalendar files (RFC 5545) for events: one per event and one of all.
//! Times are written in UTC so that no VTIMEZONE is needed; UIDs and
//! DTSTAMPs come from the content, so a rebuild writes the same bytes.

use icalendar::{Calendar, Component, Event, EventLike, Property};
use jiff::Timestamp;

use crate::config::SiteConfig;
use crate::content::Page;
use crate::content::frontmatter::DateValue;

fn utc(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// `DTSTART` or `DTEND`. Both take the start's form (RFC 5545 §3.8.2.2): an
/// end written as a bare date after a start with a time ends at midnight.
fn date_property(key: &str, value: &DateValue, exclusive_end: bool, timed: bool) -> Property {
    if timed {
        let moment = if exclusive_end {
            value.end_moment()
        } else {
            value.timestamp()
        };
        Property::new(key, utc(moment))
    } else {
        let mut date = value.zoned.date();
        if exclusive_end {
            // DTEND of an all-day event is the day after (RFC 5545 §3.6.1).
            date = date.tomorrow().unwrap_or(date);
        }
        let mut p = Property::new(key, date.strftime("%Y%m%d").to_string());
        p.append_parameter(("VALUE", "DATE"));
        p
    }
}

/// A stable identifier for an event, the same in every build and language.
pub fn event_uid(page: &Page, config: &SiteConfig) -> String {
    let host = config
        .base()
        .split("://")
        .nth(1)
        .unwrap_or("dunav")
        .split('/')
        .next()
        .unwrap_or("dunav");
    let key = crate::translit::slugify(&page.translation_key.replace('/', "-"));
    format!("{key}@{host}")
}

fn event(page: &Page, config: &SiteConfig) -> Option<Event> {
    let start = page.meta.start.as_ref()?;
    let mut event = Event::new();
    event.uid(&event_uid(page, config));
    // When this description was last revised (RFC 5545 §3.8.7.2): `updated`,
    // `date`, else the file's last change; never the event's own start.
    let stamp = page
        .meta
        .updated
        .as_ref()
        .or(page.meta.date.as_ref())
        .map(|d| d.timestamp())
        .or(page.modified)
        .unwrap_or_else(|| start.timestamp());
    event.add_property("DTSTAMP", utc(stamp));
    event.append_property(date_property("DTSTART", start, false, start.has_time));
    match &page.meta.end {
        Some(end) => {
            event.append_property(date_property("DTEND", end, true, start.has_time));
        }
        None if !start.has_time => {
            event.append_property(date_property("DTEND", start, true, false));
        }
        None => {}
    }
    event.summary(&page.meta.title);
    let url = config.absolute_url(&page.url);
    // Paragraphs: the page's description, where to register, the page;
    // an event written as front matter alone has no description.
    let description: Vec<&str> = [
        Some(page.description.trim()),
        page.meta.registration.as_deref(),
        Some(&url),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.is_empty())
    .collect();
    event.description(&description.join("\n\n"));
    event.url(&crate::output::encode_path(&url));
    if let Some(location) = &page.meta.location {
        let text: Vec<&str> = [&location.name, &location.address, &location.online]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if !text.is_empty() {
            event.location(&text.join(", "));
        }
    }
    if !page.meta.tags.is_empty() {
        event.add_property(
            "CATEGORIES",
            page.meta
                .tags
                .iter()
                .map(|t| t.replace(',', "\\,"))
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    Some(event.done())
}

/// A calendar with the given events; `name` becomes `X-WR-CALNAME`.
pub fn calendar(config: &SiteConfig, name: &str, events: &[&Page]) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(("VERSION", "2.0"));
    cal.append_property(("PRODID", "-//dunav//dunav static site generator//EN"));
    cal.append_property(("CALSCALE", "GREGORIAN"));
    cal.append_property(("METHOD", "PUBLISH"));
    cal.append_property(Property::new("X-WR-CALNAME", name));
    cal.append_property(Property::new("X-WR-TIMEZONE", &config.timezone));
    for page in events {
        if let Some(e) = event(page, config) {
            cal.push(e);
        }
    }
    refold(&cal.done().to_string())
}

/// Folds content lines at 75 octets, counting the leading space of each
/// continuation (RFC 5545 §3.1); icalendar 0.17 lets the last piece reach 76.
fn refold(ics: &str) -> String {
    let unfolded = ics.replace("\r\n ", "");
    let mut out = String::with_capacity(ics.len() + 64);
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let mut width = 0;
        for c in line.chars() {
            let len = c.len_utf8();
            if width + len > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(c);
            width += len;
        }
        out.push_str("\r\n");
    }
    out
}
