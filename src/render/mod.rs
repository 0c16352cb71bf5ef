//! Tera set-up: the theme's templates, filters and functions, and the
//! interface strings each language gets.

pub mod context;
mod dates;
mod nesting;
pub mod partials;
pub mod structured;
pub mod watchdog;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;

/// What the template functions look things up in.
#[derive(Default)]
pub struct SiteIndex {
    /// `news/foo.md` (and `news/foo.en.md`) → the page's summary value.
    pub pages: RwLock<HashMap<String, Value>>,
    /// (section path, lang) → section value with its `pages`.
    pub sections: RwLock<HashMap<(String, String), Value>>,
    pub default_lang: String,
    pub base_url: String,
    /// Language → URL prefix (`""` or `/en`).
    pub prefixes: HashMap<String, String>,
    /// Files published as is, by site path: what `resize_image` reads.
    pub published: HashMap<String, PathBuf>,
    pub pictures: Option<Arc<crate::images::Pictures>>,
    /// What `cached_include` has rendered.
    pub partials: partials::Partials,
}

/// The theme folder of a site.
pub fn theme_dir(root: &Path, config: &SiteConfig) -> PathBuf {
    root.join("themes").join(&config.theme)
}

/// Lists a theme's templates as (file, name) pairs.
pub fn template_files(theme: &Path) -> Vec<(PathBuf, String)> {
    let dir = theme.join("templates");
    walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !crate::content::loader::is_ignored(e.file_name()))
        .filter_map(|e| {
            let name = e
                .path()
                .strip_prefix(&dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((e.path().to_path_buf(), name))
        })
        .collect()
}

/// The ids the theme writes literally (`id="main"`): a heading in a page
/// never takes one, so that no page has the same id twice.
pub fn theme_ids(root: &Path, config: &SiteConfig) -> std::collections::HashSet<String> {
    let mut ids = std::collections::HashSet::new();
    for (file, _) in template_files(&theme_dir(root, config)) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        ids.extend(crate::markdown::written_ids(&text).map(str::to_string));
    }
    ids
}

/// The theme as output fingerprints see it.
#[derive(Default)]
pub struct ThemePrint {
    /// Of its templates, as they were loaded.
    pub print: u64,
    /// Whether a template reaches past the values it is given: the time
    /// (`now`), any page or section (`get_page`, `get_section`, `get_url`
    /// of a page's file), an image's file (`resize_image`). Then every output
    /// depends on everything, and is rendered whenever anything changes.
    pub looks_up: bool,
}

/// What a template calls to reach past its values; see [`ThemePrint::looks_up`].
const LOOKUPS: &[&str] = &["now", "get_page", "get_section", "resize_image", "@/"];

/// The fingerprint of the templates, as loaded, and whether they look things up.
fn theme_print(sources: &[(String, String)]) -> ThemePrint {
    let mut print = crate::fingerprint::Fingerprint::new();
    let mut looks_up = false;
    for (name, text) in sources {
        looks_up |= LOOKUPS
            .iter()
            .any(|call| mentions(text.as_bytes(), call.as_bytes()));
        print = print.with(name).with(text);
    }
    ThemePrint {
        print: print.finish(),
        looks_up,
    }
}

/// Whether `name` occurs in `text` as a whole word (`now`, not `known`);
/// in the template's text as well as its code: a false alarm only costs time.
fn mentions(text: &[u8], name: &[u8]) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    // Only a name that starts (ends) with a letter needs a boundary there.
    let (starts, ends) = (
        name.first().is_some_and(|&b| word(b)),
        name.last().is_some_and(|&b| word(b)),
    );
    text.windows(name.len()).enumerate().any(|(i, w)| {
        w == name
            && (!starts || i == 0 || !word(text[i - 1]))
            && (!ends || text.get(i + name.len()).is_none_or(|&b| !word(b)))
    })
}

/// Creates a Tera with the theme's templates and dunav's filters and functions.
pub fn load_templates(
    root: &Path,
    config: &SiteConfig,
    index: Arc<SiteIndex>,
) -> Result<(Arc<Tera>, ThemePrint), Vec<Diagnostic>> {
    let theme = theme_dir(root, config);
    let files = template_files(&theme);
    if files.is_empty() {
        return Err(vec![
            Diagnostic::error(
                theme.strip_prefix(root).unwrap_or(&theme).join("templates"),
                format!("the theme \"{}\" has no templates", config.theme),
            )
            .with_help("set `theme` in site.toml to a folder under themes/"),
        ]);
    }
    let mut sources = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for (file, name) in &files {
        match std::fs::read_to_string(file) {
            // Notepad starts a file with a byte order mark: Tera took it for
            // text before `extends`, and a partial put it in every page.
            Ok(text) => sources.push((
                name.clone(),
                text.strip_prefix('\u{feff}')
                    .map(str::to_string)
                    .unwrap_or(text),
            )),
            Err(e) => problems.push(Diagnostic::error(
                file.strip_prefix(root).unwrap_or(file),
                format!("cannot read: {e}"),
            )),
        }
    }
    problems.extend(nesting::nesting_problem(root, &theme, &sources));
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut tera = new_tera(index.clone());
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        let fresh = || new_tera(index.clone());
        return Err(every_template_error(root, &theme, &sources, e, fresh));
    }
    let tera = Arc::new(tera);
    index.partials.set_templates(Arc::downgrade(&tera));
    Ok((tera, theme_print(&sources)))
}

/// Tera stops at the first template that fails: each one found is set
/// aside and the rest tried again, so that one build names them all. It
/// stops at an error that only a set-aside template can explain (a child
/// whose parent failed).
fn every_template_error(
    root: &Path,
    theme: &Path,
    sources: &[(String, String)],
    first: tera::Error,
    fresh: impl Fn() -> Tera,
) -> Vec<Diagnostic> {
    let mut problems = vec![template_error(root, theme, &first)];
    let mut left: Vec<&(String, String)> = sources.iter().collect();
    let mut failed = vec![problems[0].path.clone()];
    while left.len() > 1 && problems.len() < 20 {
        left.retain(|(name, _)| !failed.iter().any(|f| f.ends_with(name)));
        let mut scratch = fresh();
        let Err(e) = scratch.add_raw_templates(left.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        else {
            break;
        };
        let d = template_error(root, theme, &e);
        let follows_on = failed.iter().any(|f| {
            f.file_name()
                .is_some_and(|name| d.message.contains(&*name.to_string_lossy()))
        });
        if follows_on || failed.contains(&d.path) {
            break;
        }
        failed.push(d.path.clone());
        problems.push(d);
    }
    problems
}

/// `value | json_encode` (`pretty=true` for indented), as Zola's themes
/// write it for scripts and structured data. A map's keys in order: Tera's
/// maps have none, and the same page must be the same bytes every build.
/// `<`, `>`, `&` and the line separators are written as `\u…` escapes
/// (the same JSON), so that a title holding `</script>` cannot end the
/// script it is put in with `| safe`.
fn json_encode(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let pretty = kwargs.get::<bool>("pretty")?.unwrap_or(false);
    let sorted = serde_json::to_value(value)
        .map_err(|e| tera::Error::message(format!("cannot write as JSON: {e}")))?;
    let written = match pretty {
        true => serde_json::to_string_pretty(&sorted),
        false => serde_json::to_string(&sorted),
    };
    let written =
        written.map_err(|e| tera::Error::message(format!("cannot write as JSON: {e}")))?;
    Ok(structured::script_safe(written))
}

/// A Tera with autoescaping for HTML and XML and dunav's filters and functions.
pub fn new_tera(index: Arc<SiteIndex>) -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    let dates = Arc::new(dates::DateFilter::default());
    tera.register_filter("date", move |v: &Value, kw: Kwargs, st: &State| {
        dates.call(v, kw, st)
    });
    tera.register_function("now", tera_contrib::dates::now);
    tera.register_filter("json_encode", json_encode);
    tera.register_filter("urlencode", urlencode);
    tera.register_filter("striptags", striptags);
    tera.register_filter("slugify", |v: &str, _: Kwargs, _: &State| {
        crate::translit::slugify(v)
    });
    tera.register_filter("transliterate", |v: &str, _: Kwargs, _: &State| {
        crate::translit::transliterate(v)
    });
    let i = index.clone();
    tera.register_function("get_url", move |kw: Kwargs, st: &State| get_url(&i, kw, st));
    let i = index.clone();
    tera.register_function(
        "get_page",
        move |kw: Kwargs, _: &State| -> TeraResult<Value> {
            let path: &str = kw.must_get("path")?;
            let path = path.trim_start_matches("@/").trim_start_matches('/');
            i.pages
                .read()
                .ok()
                .and_then(|pages| pages.get(path).cloned())
                .ok_or_else(|| tera::Error::message(format!("get_page: no page {path}")))
        },
    );
    let i = index.clone();
    tera.register_function("resize_image", move |kw: Kwargs, _: &State| {
        resize_image(&i, kw)
    });
    let i = index.clone();
    tera.register_function("cached_include", CachedInclude(i));
    let i = index;
    tera.register_function(
        "get_section",
        move |kw: Kwargs, st: &State| -> TeraResult<Value> {
            let path: &str = kw.must_get("path")?;
            let lang = kw
                .get::<String>("lang")?
                .or(st.get::<String>("lang")?)
                .unwrap_or_else(|| i.default_lang.clone());
            let path = path
                .trim_start_matches("@/")
                .trim_matches('/')
                .trim_end_matches("_index.md")
                .trim_matches('/');
            i.sections
                .read()
                .ok()
                .and_then(|sections| sections.get(&(path.to_string(), lang.clone())).cloned())
                .ok_or_else(|| {
                    tera::Error::message(format!("get_section: no section \"{path}\" in {lang}"))
                })
        },
    );
    tera
}

/// `cached_include`: see [`partials`]. Its output is HTML, written as is.
struct CachedInclude(Arc<SiteIndex>);

impl tera::Function<TeraResult<Value>> for CachedInclude {
    fn call(&self, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
        self.0.partials.include(kwargs, state)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `resize_image(path="news/x/photo.jpg", width=800, format="webp")`: the
/// image at that site path, `width` pixels wide at most (never wider than
/// the original), made at the end of the build; `{url, width, height}`.
fn resize_image(index: &SiteIndex, kw: Kwargs) -> TeraResult<Value> {
    let path: String = kw.must_get("path")?;
    let width: u32 = kw.must_get("width")?;
    let format = match kw.get::<String>("format")? {
        None => None,
        Some(name) if name == "auto" => None,
        Some(name) => Some(crate::images::Format::parse(&name).ok_or_else(|| {
            tera::Error::message(format!(
                "resize_image: format \"{name}\" is none of webp, jpeg, png, auto"
            ))
        })?),
    };
    let site_path = path.trim_start_matches('/');
    let fail = |why: String| tera::Error::message(format!("resize_image({path}): {why}"));
    let file = index
        .published
        .get(site_path)
        .ok_or_else(|| fail("the site publishes no such file".into()))?;
    let pictures = index
        .pictures
        .as_ref()
        .ok_or_else(|| fail("images are not processed here".into()))?;
    let made = pictures
        .resized(&format!("/{site_path}"), file, width, format)
        .map_err(fail)?;
    let absolute = kw.get::<bool>("absolute")?.unwrap_or(false);
    let url = if absolute {
        format!("{}{}", index.base_url, made.url)
    } else {
        made.url
    };
    let mut map = tera::value::Map::new();
    map.insert("url".into(), Value::from(url));
    map.insert("width".into(), Value::from(made.width));
    map.insert("height".into(), Value::from(made.height));
    Ok(Value::from(map))
}

/// `get_url(path="/news/", lang="en", absolute=true)`; `@/news/x.md` names a page's file.
fn get_url(index: &SiteIndex, kw: Kwargs, state: &State) -> TeraResult<String> {
    let path: String = kw.must_get("path")?;
    let absolute = kw.get::<bool>("absolute")?.unwrap_or(false);
    let lang = kw
        .get::<String>("lang")?
        .or(state.get::<String>("lang")?)
        .unwrap_or_else(|| index.default_lang.clone());
    let url = if let Some(file) = path.strip_prefix("@/") {
        let page = index
            .pages
            .read()
            .ok()
            .and_then(|pages| pages.get(file).cloned())
            .ok_or_else(|| tera::Error::message(format!("get_url: no page {file}")))?;
        page.as_map()
            .and_then(|m| m.get(&"url".into()))
            .and_then(|u| u.as_str())
            .unwrap_or("/")
            .to_string()
    } else if path.contains("://") {
        return Ok(path);
    } else {
        let localised = kw.get::<bool>("localised")?.unwrap_or(true);
        let prefix = if localised {
            index.prefixes.get(&lang).map(String::as_str).unwrap_or("")
        } else {
            ""
        };
        format!("{prefix}/{}", path.trim_start_matches('/'))
    };
    Ok(if absolute {
        format!("{}{url}", index.base_url)
    } else {
        url
    })
}

fn urlencode(value: &str, _: Kwargs, _: &State) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn striptags(value: &str, _: Kwargs, _: &State) -> String {
    let mut out = String::with_capacity(value.len());
    let mut in_tag = false;
    for c in value.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A template error as a diagnostic naming the template file.
pub fn template_error(root: &Path, theme: &Path, error: &tera::Error) -> Diagnostic {
    let text = error.to_string();
    let file = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|loc| loc.split(':').next())
        .map(|name| theme.join("templates").join(name))
        .unwrap_or_else(|| theme.join("templates"));
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|loc| loc.split(':').nth(1))
        .and_then(|n| n.parse().ok());
    let (file, line) = match circular_include(&text, theme) {
        Some(at) if line.is_none() => at,
        _ => (file, line),
    };
    // Tera's text starts with its own "error: ", which ours already says.
    let message = text.trim();
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let mut d = Diagnostic::error(file.strip_prefix(root).unwrap_or(&file), message);
    d.line = line;
    d
}

/// Tera names a circular include by the template it came back to and the
/// chain, without a place: that template's file, at its line that includes
/// the next one in the chain.
fn circular_include(text: &str, theme: &Path) -> Option<(PathBuf, Option<usize>)> {
    let rest = text
        .split("Circular include detected for template '")
        .nth(1)?;
    let name = rest.split('\'').next()?;
    let chain: Vec<&str> = rest
        .split("Include chain: `[")
        .nth(1)?
        .split(']')
        .next()?
        .split(", ")
        .map(|n| n.trim_matches('"'))
        .collect();
    let next = chain
        .iter()
        .position(|n| *n == name)
        .and_then(|at| chain.get(at + 1))?;
    let file = theme.join("templates").join(name);
    let source = std::fs::read_to_string(&file).ok();
    let line = source.and_then(|source| {
        let quoted = [format!("\"{next}\""), format!("'{next}'")];
        source
            .lines()
            .position(|l| l.contains("include") && quoted.iter().any(|q| l.contains(q.as_str())))
            .map(|i| i + 1)
    });
    Some((file, line))
}

/// The theme's interface strings for each language, with site.toml's overrides.
/// Each language's interface strings, and a fingerprint of them all.
pub fn interface_strings(
    root: &Path,
    config: &SiteConfig,
) -> Result<(HashMap<String, Value>, u64), Diagnostic> {
    let path = theme_dir(root, config).join("strings.toml");
    let theme: BTreeMap<String, BTreeMap<String, String>> = match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).map_err(|e| {
            let d = Diagnostic::error(
                path.strip_prefix(root).unwrap_or(&path),
                e.message().to_string(),
            );
            match e.span() {
                Some(span) => d.at_line(
                    text.get(..span.start)
                        .unwrap_or(&text)
                        .matches('\n')
                        .count()
                        + 1,
                ),
                None => d,
            }
        })?,
        Err(_) => BTreeMap::new(),
    };
    let fallback = theme
        .get(&config.default_language)
        .cloned()
        .unwrap_or_default();
    let english = theme.get("en").cloned().unwrap_or_default();
    let builtin: BTreeMap<String, BTreeMap<String, String>> =
        toml::from_str(crate::theme::default_strings()).unwrap_or_default();
    let mut out = HashMap::new();
    let mut print = crate::fingerprint::Fingerprint::new();
    for (code, language) in &config.languages {
        // The built-in theme's strings (so that an older copy of a theme
        // lacks none), then the theme's English, default language and this
        // language, then site.toml.
        let mut strings = builtin.get("en").cloned().unwrap_or_default();
        strings.extend(builtin.get(code).cloned().unwrap_or_default());
        strings.extend(english.clone());
        strings.extend(fallback.clone());
        strings.extend(theme.get(code).cloned().unwrap_or_default());
        strings.extend(language.strings.clone());
        print = print.with(code).with(&strings);
        out.insert(code.clone(), Value::from_serializable(&strings));
    }
    Ok((out, print.finish()))
}

/// An interface string in a language, or its key when the theme has none.
pub fn lookup_string(strings: &HashMap<String, Value>, lang: &str, key: &str) -> String {
    strings
        .get(lang)
        .and_then(|m| m.as_map())
        .and_then(|m| m.get(&tera::value::Key::from(key.to_string())))
        .and_then(|v| v.as_str())
        .unwrap_or(key)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_is_found_as_a_whole_word_or_as_written() {
        let looks = |text: &str| {
            LOOKUPS
                .iter()
                .any(|l| mentions(text.as_bytes(), l.as_bytes()))
        };
        assert!(looks("{{ now() }}"));
        assert!(looks("{% set s = get_section(path=\"news\") %}"));
        assert!(looks("{{ get_url(path='@/news/a.md') }}"));
        assert!(looks("{{ get_url(path=\"@/about.md\") }}"));
        assert!(!looks(
            "{{ t.known }} {{ snow }} {{ nowhere }} {{ get_url(path='/news/') }}"
        ));
    }
}
