//! `cached_include(name="partials/card.html", item=item)`: a partial rendered
//! once per distinct set of values, like Hugo's `partialCached`. A page's
//! card shows on its section's listing, its tags', its sectors' and the home
//! page; rendered once, the cards of a 10,000-page site are 13,000 renders
//! instead of 65,000, half of the listings' time.
//!
//! The partial sees `config`, `lang` and `t` of the template that calls it,
//! and the values passed to it: nothing else, so that its output depends on
//! nothing the key leaves out. The key hashes the partial's name, the
//! language and every value passed (a map or a list by its identity, see
//! [`feed_value`]); within one site, `config` and `t` follow from the
//! language. Two calls share an output only when they would render the same,
//! and the outputs are let go after each render pass.

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock, Weak};

use tera::value::{Key, ValueKind};
use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

use crate::fingerprint::{self, Fixed};

/// Names of the site-wide values a cached partial sees besides its own.
const SITE_VALUES: [&str; 3] = ["config", "lang", "t"];

/// How deep cached partials may call each other: a partial that includes
/// itself would otherwise end in a stack overflow.
const MAX_DEPTH: u8 = 16;

thread_local! {
    static DEPTH: Cell<u8> = const { Cell::new(0) };
}

/// The rendered partials of one site, and the templates that render them.
#[derive(Default)]
pub struct Partials {
    /// Set once the site's templates are loaded (the function is registered
    /// before they are): a partial is rendered by the Tera that calls it.
    tera: OnceLock<Weak<Tera>>,
    rendered: Mutex<HashMap<u128, Rendered, Fixed>>,
}

/// A partial's output, with the values it was rendered from.
struct Rendered {
    /// Held so that no map or list they hold is freed and another made at
    /// its address while the output is kept: see [`feed_value`].
    _values: Vec<Value>,
    html: Value,
}

impl Partials {
    /// Hands the loaded templates to `cached_include`.
    pub fn set_templates(&self, tera: Weak<Tera>) {
        // A site's templates are loaded once; a second call has nothing to add.
        let _ = self.tera.set(tera);
    }

    /// Lets go of every output kept: a render pass is over.
    pub fn forget(&self) {
        if let Ok(mut rendered) = self.rendered.lock() {
            *rendered = HashMap::default();
        }
    }

    /// The `cached_include` template function.
    pub fn include(&self, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
        let name: &str = kwargs.must_get("name")?;
        let mut passed: Vec<(&Key<'static>, &Value)> = kwargs.iter().collect();
        // Tera's maps have no order of their own, and a key must not depend on it.
        passed.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let lang = state.get::<Value>("lang")?.unwrap_or(Value::none());
        let key = fingerprint::wide(|mut hash| {
            feed_value(&lang, hash);
            for (key, value) in &passed {
                key.hash(&mut hash);
                feed_value(value, hash);
            }
        });
        let kept = self.rendered.lock().ok();
        if let Some(done) = kept.and_then(|r| r.get(&key).map(|kept| kept.html.clone())) {
            return Ok(done);
        }
        let html = self.render(name, &passed, state)?;
        if let Ok(mut rendered) = self.rendered.lock() {
            let values = passed.iter().map(|(_, value)| (*value).clone()).collect();
            let html = html.clone();
            rendered.insert(
                key,
                Rendered {
                    _values: values,
                    html,
                },
            );
        }
        Ok(html)
    }

    /// Renders the partial `name` with the site values of `state` and `passed`.
    fn render(&self, name: &str, passed: &[(&Key, &Value)], state: &State) -> TeraResult<Value> {
        let fail = |why: String| tera::Error::message(format!("cached_include(\"{name}\"): {why}"));
        let mut context = Context::new();
        for site_value in SITE_VALUES {
            if let Some(value) = state.get::<Value>(site_value)? {
                context.insert_value(site_value, value);
            }
        }
        for (key, value) in passed {
            if let Some(key) = key.as_str().filter(|k| *k != "name") {
                context.insert_value(key.to_string(), (*value).clone());
            }
        }
        let tera = self
            .tera
            .get()
            .and_then(Weak::upgrade)
            .ok_or_else(|| fail("the templates are not loaded yet".into()))?;
        let depth = DEPTH.get();
        if depth >= MAX_DEPTH {
            return Err(fail(format!(
                "partials include each other more than {MAX_DEPTH} deep"
            )));
        }
        DEPTH.set(depth + 1);
        let html = tera.render(name, &context);
        DEPTH.set(depth);
        Ok(Value::safe_string(
            &html.map_err(|e| fail(error_chain(&e)))?,
        ))
    }
}

/// A Tera error with its causes, which hold the line that failed.
fn error_chain(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

/// Feeds what tells a value apart into `hash`, its kind first. A map or a
/// list counts by identity: Tera's values never change, and the listing
/// value of a page is one map wherever it shows, so its address is a key
/// (hashing its contents made every card cost more than rendering it). The
/// entry keeps its values, so no address is reused while it is kept.
fn feed_value(value: &Value, mut hash: &mut dyn Hasher) {
    let kind = value.kind();
    kind.hash(&mut hash);
    match kind {
        ValueKind::String => {
            value.is_safe().hash(&mut hash);
            value.as_str().hash(&mut hash);
        }
        ValueKind::Map => value.as_map().map(std::ptr::from_ref).hash(&mut hash),
        ValueKind::Array => value.as_array().map(<[Value]>::as_ptr).hash(&mut hash),
        ValueKind::Bytes => value.as_bytes().hash(&mut hash),
        ValueKind::F64 => value.as_f64().map(f64::to_bits).hash(&mut hash),
        // Booleans and integers: their text is the value.
        _ => value.to_string().hash(&mut hash),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn site(templates: &[(&str, &str)]) -> (Arc<Tera>, Arc<Partials>) {
        let partials = Arc::new(Partials::default());
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        let p = partials.clone();
        tera.register_function("cached_include", move |kw: Kwargs, st: &State| {
            p.include(kw, st)
        });
        tera.add_raw_templates(templates.iter().copied()).unwrap();
        let tera = Arc::new(tera);
        partials.set_templates(Arc::downgrade(&tera));
        (tera, partials)
    }

    #[test]
    fn a_partial_renders_once_per_distinct_values_and_sees_only_what_it_is_given() {
        let (tera, partials) = site(&[
            (
                "card.html",
                "<b>{{ item.title }}</b>{{ lang }}{{ t.more }}{% if secret is defined %}!{% endif %}",
            ),
            (
                "list.html",
                "{% for item in items %}{{ cached_include(name='card.html', item=item) }}{% endfor %}",
            ),
        ]);
        let mut context = Context::new();
        context.insert("lang", "bg");
        context.insert("t", &HashMap::from([("more", "още")]));
        context.insert("secret", &1);
        let item = |title: &str| Value::from_serializable(&HashMap::from([("title", title)]));
        let (a, b) = (item("a"), item("a<"));
        context.insert_value("items", Value::from(vec![a.clone(), b, a]));
        let html = tera.render("list.html", &context).unwrap();
        assert_eq!(html, "<b>a</b>bgоще<b>a&lt;</b>bgоще<b>a</b>bgоще");
        assert_eq!(partials.rendered.lock().unwrap().len(), 2);
        context.insert("lang", "en");
        let html = tera.render("list.html", &context).unwrap();
        assert!(html.starts_with("<b>a</b>enоще"), "{html}");
        assert_eq!(partials.rendered.lock().unwrap().len(), 4);
        partials.forget();
        assert!(partials.rendered.lock().unwrap().is_empty());
    }

    #[test]
    fn a_partial_that_includes_itself_fails_with_its_name() {
        let (tera, _) = site(&[("loop.html", "{{ cached_include(name='loop.html', n=1) }}")]);
        let err = tera.render("loop.html", &Context::new()).unwrap_err();
        let text = error_chain(&err);
        assert!(text.contains("cached_include(\"loop.html\")"), "{text}");
        assert!(text.contains("more than 16 deep"), "{text}");
    }

    #[test]
    fn values_count_by_identity_and_strings_by_text_and_safety() {
        let key = |v: &Value| fingerprint::wide(|h| feed_value(v, h));
        let map = Value::from_serializable(&HashMap::from([("a", 1)]));
        let same_text = Value::from_serializable(&HashMap::from([("a", 1)]));
        assert_eq!(key(&map), key(&map.clone()));
        assert_ne!(key(&map), key(&same_text));
        assert_ne!(key(&Value::from("1")), key(&Value::from(1)));
        assert_ne!(key(&Value::from("<")), key(&Value::safe_string("<")));
        assert_eq!(key(&Value::from("<")), key(&Value::from(String::from("<"))));
    }
}
