//! Dates in front matter: a bare date or a datetime, in the site's time zone
//! unless an offset is written.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use serde::Serialize;

/// A date (`2026-12-01`) or datetime (`2026-12-01T18:00:00+02:00`) from front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateValue {
    /// The moment, in the site's time zone (or the offset written).
    pub zoned: Zoned,
    /// Whether a time of day was written; a bare date means the whole day.
    pub has_time: bool,
}

impl DateValue {
    pub fn timestamp(&self) -> Timestamp {
        self.zoned.timestamp()
    }

    /// Whether a period ending here ends before `start`: a bare end date
    /// before the start's day does, even when its day's end is the start
    /// (`end: 2026-12-09` with `start: 2026-12-10`).
    pub fn ends_before(&self, start: &DateValue) -> bool {
        self.end_moment() < start.timestamp()
            || (!self.has_time && self.zoned.date() < start.zoned.date())
    }

    /// The moment a period ending here ends: a bare date runs through its
    /// whole day, to the next day's midnight.
    pub fn end_moment(&self) -> Timestamp {
        if self.has_time {
            return self.timestamp();
        }
        self.zoned
            .tomorrow()
            .and_then(|day| day.start_of_day())
            .map(|midnight| midnight.timestamp())
            .unwrap_or_else(|_| self.timestamp())
    }

    /// Parses the forms editors write; a datetime without an offset is in
    /// `tz`. Years 1 to 9998, in the site's zone and in UTC: feeds and
    /// calendars cannot write a year before 1 (year 0 came out as `-001`).
    pub fn parse(text: &str, tz: &TimeZone) -> Option<DateValue> {
        let in_range = |year: i16| (1..=9998).contains(&year);
        Self::parse_any_year(text, tz).filter(|d| {
            in_range(d.zoned.year()) && in_range(d.timestamp().to_zoned(TimeZone::UTC).year())
        })
    }

    fn parse_any_year(text: &str, tz: &TimeZone) -> Option<DateValue> {
        let text = text.trim();
        if let Some(padded) = zero_padded(text) {
            return Self::parse_any_year(&padded, tz);
        }
        // jiff reads a datetime as a date too, dropping the time: only a bare date counts here.
        if text.len() == 10
            && let Ok(date) = text.parse::<Date>()
        {
            let zoned = date.to_zoned(tz.clone()).ok()?;
            return Some(DateValue {
                zoned,
                has_time: false,
            });
        }
        if let Some(date) = english_date(text) {
            let zoned = date.to_zoned(tz.clone()).ok()?;
            return Some(DateValue {
                zoned,
                has_time: false,
            });
        }
        if !offset_on_earth(text) {
            return None;
        }
        // An offset or `Z` written: keep the written instant, shown in the site's zone.
        if let Some(ts) = written_instant(text) {
            return Some(DateValue {
                zoned: ts.to_zoned(tz.clone()),
                has_time: true,
            });
        }
        if let Ok(zoned) = text.parse::<Zoned>() {
            return Some(DateValue {
                zoned: zoned.with_time_zone(tz.clone()),
                has_time: true,
            });
        }
        let zoned = local_datetime(text)?.to_zoned(tz.clone()).ok()?;
        Some(DateValue {
            zoned,
            has_time: true,
        })
    }

    /// The local time as written, when the site's zone skips it (a spring
    /// night's lost hour) and it was moved on; `None` when it exists.
    pub fn skipped_local_time(&self, written: &str) -> Option<String> {
        let written = written.trim();
        let civil = local_datetime(written)?;
        (self.has_time && written_instant(written).is_none() && civil != self.zoned.datetime())
            .then(|| civil.strftime("%H:%M").to_string())
    }

    /// RFC 3339 with the offset, the form templates and feeds receive.
    pub fn rfc3339(&self) -> String {
        self.zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// An instant written with its offset: RFC 3339 (`…T10:00:00+02:00`, `…Z`),
/// Jekyll's `2024-01-05 10:00:00 +0200` (with `-07:00`, nanoseconds or `UTC`,
/// as WordPress exports write it) or RFC 2822 (`Mon, 02 Jan 2006 15:04:05 -0700`).
fn written_instant(text: &str) -> Option<Timestamp> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    // Every other form has a space; most dates without an offset have none.
    if !text.contains(' ') {
        return None;
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        return Some(zoned.timestamp());
    }
    let utc = ["UTC", "GMT", "Z"]
        .iter()
        .find_map(|name| text.strip_suffix(name).filter(|t| t.ends_with(' ')));
    let owned;
    let text = match utc {
        Some(before) => {
            owned = format!("{before}+0000");
            owned.as_str()
        }
        None => text,
    };
    [
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S%.f %:z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%d %H:%M %:z",
    ]
    .into_iter()
    .find_map(|form| {
        jiff::fmt::strtime::parse(form, text)
            .and_then(|t| t.to_timestamp())
            .ok()
    })
}

/// For a date written in the right form that the calendar lacks
/// (`2026-02-30`), the days its month has.
pub fn days_in_written_month(text: &str) -> Option<i8> {
    let date = text.trim().get(..10)?;
    let bytes = date.as_bytes();
    let form = bytes.iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        _ => b.is_ascii_digit(),
    });
    if !form || date.parse::<Date>().is_ok() {
        return None;
    }
    let year: i16 = date[..4].parse().ok()?;
    let month: i8 = date[5..7].parse().ok()?;
    Date::new(year, month, 1)
        .ok()
        .map(|first| first.days_in_month())
}

/// A date with its month's English name, as Astro's and Gatsby's posts
/// write it for JavaScript's `Date`: `Jul 08 2022`, `July 8, 2022`, `8 July 2022`.
fn english_date(text: &str) -> Option<Date> {
    if !text.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !text.contains(|c: char| c.is_ascii_alphabetic())
    {
        return None;
    }
    let text = text.replace(',', "");
    ["%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y"]
        .iter()
        .find_map(|format| Date::strptime(format, &text).ok())
}

/// Hexo's and moment's `2013-7-13` or `2013/7/13 20:46:25`, YAML's
/// `2019-04-25 9:00:00`: the date with its month and day in two digits and
/// `-` between, the hour in two, the rest as written; `None` when the text
/// is not such a date.
fn zero_padded(text: &str) -> Option<String> {
    let date_end = text.find([' ', 'T']).unwrap_or(text.len());
    let (date, rest) = text.split_at(date_end);
    let hour_short = matches!(rest.as_bytes(), [_, hour, b':', ..] if hour.is_ascii_digit());
    let rest = match hour_short {
        true => format!("{}0{}", &rest[..1], &rest[1..]),
        false => rest.to_string(),
    };
    let mut parts = date.split(['-', '/']);
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |part: &str, lengths: &[usize]| {
        lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    let written_short = month.len() == 1 || day.len() == 1 || date.contains('/') || hour_short;
    (parts.next().is_none()
        && digits(year, &[4])
        && digits(month, &[1, 2])
        && digits(day, &[1, 2])
        && written_short)
        .then(|| format!("{year}-{month:0>2}-{day:0>2}{rest}"))
}

/// A date and time of day without an offset: `2026-12-01T18:00:00` or `2026-12-01 18:00`.
fn local_datetime(text: &str) -> Option<DateTime> {
    text.parse::<DateTime>()
        .ok()
        .or_else(|| DateTime::strptime("%Y-%m-%d %H:%M", text).ok())
}

/// Whether a written offset (`+02:00`) is one a place has: jiff takes up to
/// ±25:59, but no zone is beyond ±14:00, so `+25:00` is a typo.
fn offset_on_earth(text: &str) -> bool {
    let Some(time_at) = text.find(['T', 't', ' ']) else {
        return true;
    };
    // A bracketed zone name (`[America/Port-au-Prince]`) is no offset.
    let time = text[time_at..].split('[').next().unwrap_or("");
    let Some(sign_at) = time.rfind(['+', '-']) else {
        return true;
    };
    let hours: String = time[sign_at + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .take(2)
        .collect();
    hours.parse::<u8>().is_ok_and(|h| h <= 14)
}

impl Serialize for DateValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}
