//! The `date` filter, remembered: formatting a date through ICU (locale
//! data, pattern parsing, time zone lookup) cost 7% of a build, and a site
//! formats the same few thousand dates over and over (each page's date on
//! its own page and on every listing card that shows it).

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::RwLock;

use foldhash::quality::FixedState;

use tera::{Kwargs, State, TeraResult, Value};

/// The arguments the filter reads; a call with any other is passed through
/// unremembered, as the key would not cover it.
const ARGUMENTS: [&str; 3] = ["format", "locale", "timezone"];

/// Past this many distinct calls the memo starts again, so that a long
/// `dunav serve` cannot grow it without bound.
const MAX_REMEMBERED: usize = 100_000;

/// `tera_contrib::dates::date` with a memo of its results by input and arguments.
#[derive(Default)]
pub struct DateFilter {
    /// By a 128-bit hash of the call (`memo_key`), made without allocating,
    /// unlike the formatted string it replaces: this runs for every date on
    /// every listing card.
    formatted: RwLock<HashMap<u128, String, FixedState>>,
}

impl DateFilter {
    pub fn call(&self, value: &Value, kwargs: Kwargs, state: &State) -> TeraResult<String> {
        let Some(key) = memo_key(value, &kwargs) else {
            return tera_contrib::dates::date(value, kwargs, state);
        };
        if let Some(text) = self
            .formatted
            .read()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return Ok(text);
        }
        let text = tera_contrib::dates::date(value, kwargs, state)?;
        if let Ok(mut memo) = self.formatted.write() {
            if memo.len() >= MAX_REMEMBERED {
                memo.clear();
            }
            memo.insert(key, text.clone());
        }
        Ok(text)
    }
}

/// The input and the arguments, hashed twice with independent seeds, each
/// part preceded by its kind or length so that no two calls share a key
/// (short of a 128-bit collision); `None` when the call is not a plain one
/// (an input other than text or a number, an unknown argument).
fn memo_key(value: &Value, kwargs: &Kwargs) -> Option<u128> {
    enum Input<'a> {
        Text(&'a str),
        Number(i64),
    }
    let input = match (value.as_str(), value.as_i64()) {
        (Some(text), _) => Input::Text(text),
        (None, Some(number)) => Input::Number(number),
        (None, None) => return None,
    };
    let mut arguments = [None; ARGUMENTS.len()];
    for (name, argument) in kwargs.iter() {
        let slot = ARGUMENTS.iter().position(|a| Some(*a) == name.as_str())?;
        arguments[slot] = Some(argument.as_str()?);
    }
    let feed = |hash: &mut dyn Hasher| {
        match input {
            Input::Text(text) => {
                hash.write_u8(b's');
                hash.write_usize(text.len());
                hash.write(text.as_bytes());
            }
            Input::Number(number) => {
                hash.write_u8(b'i');
                hash.write_i64(number);
            }
        }
        for argument in arguments {
            match argument {
                Some(text) => {
                    hash.write_u8(1);
                    hash.write_usize(text.len());
                    hash.write(text.as_bytes());
                }
                None => hash.write_u8(0),
            }
        }
    };
    Some(crate::fingerprint::wide(feed))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tera::{Context, Tera};

    use super::*;

    fn tera_with_memo() -> (Tera, Arc<DateFilter>) {
        let filter = Arc::new(DateFilter::default());
        let mut tera = Tera::new();
        let f = filter.clone();
        tera.register_filter("date", move |v: &Value, kw: Kwargs, st: &State| {
            f.call(v, kw, st)
        });
        (tera, filter)
    }

    #[test]
    fn remembered_dates_are_the_dates_each_call_asks_for() {
        let (mut tera, filter) = tera_with_memo();
        let template = r#"{{ d | date(locale="bg", format="d MMMM y") }}|{{ d | date(locale="en", format="d MMMM y") }}|{{ d | date(locale="bg", format="d MMMM y", timezone="Europe/Sofia") }}|{{ d | date(locale="bg", format="H:mm", timezone="Europe/Sofia") }}|{{ d | date(locale="bg", format="H:mm", timezone="UTC") }}"#;
        tera.add_raw_template("t", template).unwrap();
        let mut context = Context::new();
        for _ in 0..2 {
            context.insert("d", "2026-03-31T22:30:00Z");
            let out = tera.render("t", &context).unwrap();
            assert_eq!(
                out, "31 март 2026|31 March 2026|1 април 2026|1:30|22:30",
                "{out}"
            );
            context.insert("d", "2026-01-05T08:00:00Z");
            let out = tera.render("t", &context).unwrap();
            assert_eq!(
                out, "5 януари 2026|5 January 2026|5 януари 2026|10:00|8:00",
                "{out}"
            );
        }
        assert_eq!(filter.formatted.read().unwrap().len(), 10);
    }

    #[test]
    fn calls_the_memo_cannot_key_are_passed_through_and_errors_are_not_remembered() {
        let (mut tera, filter) = tera_with_memo();
        tera.add_raw_template(
            "bad_zone",
            r#"{{ "2026-01-05" | date(timezone="Mars/Base") }}"#,
        )
        .unwrap();
        tera.add_raw_template("unknown_arg", r#"{{ "2026-01-05" | date(colour="red") }}"#)
            .unwrap();
        for _ in 0..2 {
            assert!(tera.render("bad_zone", &Context::new()).is_err());
        }
        let _ = tera.render("unknown_arg", &Context::new());
        assert!(filter.formatted.read().unwrap().is_empty());
    }

    #[test]
    fn no_two_calls_share_a_key() {
        let (mut tera, _) = tera_with_memo();
        // Joined by a separator, these two calls' parts read the same
        // (the separator and the mark of a missing argument in the text).
        tera.add_raw_template("a", "{{ d | date(format='%Y\u{1f}x', timezone='UTC') }}")
            .unwrap();
        tera.add_raw_template(
            "b",
            "{{ d | date(format='%Y', locale='x\u{1f}\u{0}', timezone='UTC') }}",
        )
        .unwrap();
        let mut context = Context::new();
        context.insert("d", "2026-01-05T08:00:00Z");
        assert_eq!(tera.render("a", &context).unwrap(), "2026\u{1f}x");
        assert!(tera.render("b", &context).is_err());
    }
}
