//! Hugo's `cascade`: the fields a section's `_index.md` hands down to every
//! page and sub-section listing below it, in its language, that does not
//! set them itself. Hugo sites use it to keep a whole folder unpublished
//! (`draft: true`, `_build: {render: never}`) or to give it a template or
//! an image; ignored, such a folder went live. The nearest section's value
//! wins; Hugo's list form (`cascade: [{…}, {_target: …}]`) hands down its
//! entries without a `_target`, which would need Hugo's page matching.
//! Jekyll's `_drafts/` folder hands down `draft: true`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value;

use crate::content::frontmatter::FrontMatter;
use crate::content::loader::FileRole;

pub type Fields = BTreeMap<String, Value>;

/// Each section's `cascade`, by (section path, language).
#[derive(Default)]
pub struct Cascades {
    by_section: HashMap<(String, String), Fields>,
    /// What a page below no cascade is handed: one map for them all.
    nothing: Arc<Fields>,
}

impl Cascades {
    /// From the front matter of the sections' `_index.md` files.
    pub fn of<'a>(indexes: impl Iterator<Item = (&'a str, &'a str, &'a FrontMatter)>) -> Cascades {
        let mut cascades = Cascades::default();
        cascades.add(indexes);
        cascades
    }

    /// Adds the `cascade` of more sections' `_index.md` files.
    pub fn add<'a>(&mut self, indexes: impl Iterator<Item = (&'a str, &'a str, &'a FrontMatter)>) {
        for (section, lang, meta) in indexes {
            let Some(cascade) = meta.extra.get("cascade") else {
                continue;
            };
            let fields = handed_down(cascade);
            if !fields.is_empty() {
                self.by_section
                    .insert((section.to_string(), lang.to_string()), fields);
            }
        }
    }

    /// What a sub-section's listing below `parent` is handed: a page's
    /// fields but its `template`, which names a page's template (a listing
    /// rendered with it has no `page`).
    pub fn inherited_by_listing(&self, parent: &str, lang: &str) -> Arc<Fields> {
        let fields = self.inherited(parent, lang);
        if !fields.contains_key("template") {
            return fields;
        }
        let mut fields = (*fields).clone();
        fields.remove("template");
        Arc::new(fields)
    }

    /// What a page of `section` in `lang` is handed: the nearest section's
    /// value of each field first.
    pub fn inherited(&self, section: &str, lang: &str) -> Arc<Fields> {
        // Jekyll's drafts folder: its pages are drafts, as Jekyll keeps them.
        let in_drafts = section.split('/').any(|folder| folder == "_drafts");
        if self.by_section.is_empty() && !in_drafts {
            return self.nothing.clone();
        }
        let mut fields = Fields::new();
        if in_drafts {
            fields.insert("draft".into(), Value::Bool(true));
        }
        let mut path = section;
        loop {
            if let Some(cascade) = self.by_section.get(&(path.to_string(), lang.to_string())) {
                for (key, value) in cascade {
                    fields.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
            if path.is_empty() {
                break;
            }
            path = path.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
        match fields.is_empty() {
            true => self.nothing.clone(),
            false => Arc::new(fields),
        }
    }
}

impl crate::content::Library {
    /// What a page of the library was read with: its sections' `cascade`.
    pub fn role_of_page(&self, page: &crate::content::page::Page) -> FileRole {
        let sections = self.sections.iter();
        let cascades = Cascades::of(sections.map(|s| (s.path.as_str(), s.lang.as_str(), &s.meta)));
        FileRole {
            inherited: cascades.inherited(&page.section, &page.lang),
            ..FileRole::default()
        }
    }
}

/// A hash of the fields handed down to a page, 0 for none: part of its
/// source's hash, as they change what it shows (its image, description).
pub fn print(fields: &Fields) -> u64 {
    if fields.is_empty() {
        return 0;
    }
    crate::fingerprint::of(&serde_json::to_vec(fields).unwrap_or_default())
}

/// The fields of a `cascade` value: a map, or a list of maps of which those
/// without a `_target` count.
fn handed_down(cascade: &Value) -> Fields {
    let maps: Vec<&serde_json::Map<String, Value>> = match cascade {
        Value::Object(map) => vec![map],
        Value::Array(list) => list.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    };
    let mut fields = Fields::new();
    for map in maps.into_iter().filter(|m| !m.contains_key("_target")) {
        for (key, value) in map {
            fields.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
    // `Draft: true` handed down is a draft, as a page's own is.
    crate::content::frontmatter::fold_key_case(&mut fields);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(cascade: Value) -> FrontMatter {
        let mut meta = FrontMatter::default();
        meta.extra.insert("cascade".into(), cascade);
        meta
    }

    #[test]
    fn the_nearest_section_hands_down_each_field_in_its_language() {
        let top = meta(serde_json::json!({"image": "/top.png", "draft": false}));
        let docs = meta(
            serde_json::json!([{"Draft": true}, {"_target": {"path": "/x"}, "image": "/no.png"}]),
        );
        let en = meta(serde_json::json!({"image": "/en.png"}));
        let cascades = Cascades::of(
            [("", "bg", &top), ("docs", "bg", &docs), ("docs", "en", &en)].into_iter(),
        );
        let got = cascades.inherited("docs/deep", "bg");
        assert_eq!(got.get("draft"), Some(&Value::Bool(true)));
        assert_eq!(got.get("image"), Some(&Value::from("/top.png")));
        let got = cascades.inherited("news", "bg");
        assert_eq!(got.get("draft"), Some(&Value::Bool(false)));
        let got = cascades.inherited("docs", "en");
        assert_eq!(got.get("image"), Some(&Value::from("/en.png")));
        assert_eq!(got.get("draft"), None);
    }
}
