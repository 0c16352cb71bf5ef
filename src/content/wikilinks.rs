//! Obsidian's wiki links, `[[Page name#Heading]]` and `![[photo.jpg]]`,
//! looked up as Obsidian does: a path or a file's name alone, found anywhere
//! in the content, nearest to the linking page first; and the other names
//! other tools link a page by (Hugo's `ref "about"`, mdBook's `x.html`).

use std::collections::HashMap;
use std::path::Path;

use crate::content::links::{PageLinks, normalise};

/// Paths by their last name in lower case (`Notes/Meeting.md` under
/// `meeting`; a page bundle's `x/index.md` under `x`).
pub type ByName = HashMap<String, Vec<String>>;

/// Which of [`LinkTargets::names`] to look a name up in.
#[derive(Clone, Copy)]
enum Named {
    Page = 0,
    Asset = 1,
    Static = 2,
}

/// A path as a wiki link names it: without `.md` and a trailing `index`.
fn wiki_path(key: &str, kind: Named) -> Option<&str> {
    let path = match kind {
        Named::Page => key.strip_suffix(".md")?,
        Named::Asset | Named::Static => key,
    };
    Some(
        ["/_index", "/index"]
            .iter()
            .find_map(|end| path.strip_suffix(end))
            .unwrap_or(path),
    )
}

impl PageLinks<'_> {
    /// An Obsidian wiki link's name, looked up as Obsidian does: a path
    /// (`folder/Page`) or a file's name alone (`Page`, `photo.jpg`), found
    /// anywhere in the content, nearest to this page first. A heading
    /// (`#Heading text`, or a path of them, `#Part#Heading`) is its id, as
    /// a block's (`#^id`) is.
    pub(super) fn wiki_target(&self, written: &str) -> Option<String> {
        let (name, heading) = written.split_once('#').unwrap_or((written, ""));
        // Obsidian's path of headings (`#General#Account`) names the last.
        let heading = heading.rsplit('#').next().unwrap_or(heading);
        let fragment = match heading.trim() {
            "" => String::new(),
            // A block's id (`^id`) is its anchor's (see `markdown::block_ids`).
            block if block.starts_with('^') => format!("#{block}"),
            // The id the heading has: as `markdown` makes it.
            heading => format!("#{}", self.heading_ids.slug(heading)),
        };
        let name = crate::translit::nfc(name.trim()).into_owned();
        if name.is_empty() {
            return Some(if fragment.is_empty() {
                "#".into()
            } else {
                fragment
            });
        }
        let stem = name.strip_suffix(".md").unwrap_or(&name);
        let is_file = stem == name && name.rsplit('/').next().is_some_and(|f| f.contains('.'));
        // A page's name may have a dot too (`v1.2 notes`).
        let file = is_file.then(|| self.wiki_file(&name)).flatten();
        let url = if let Some(file) = file {
            file
        } else {
            let url = match self.file_without_extension(stem, false) {
                Some(url) => url,
                None => self.markdown_page(&self.named(Named::Page, stem)?).ok()?,
            };
            self.published(&url).ok()?;
            url
        };
        Some(format!("{url}{fragment}"))
    }

    /// The URL and `#fragment` of the page whose file is `written`
    /// (`setup`, `setup.md`, `setup#part`) in whatever folder, as Hugo's
    /// `ref` finds one by name: the one in this page's folder, else the
    /// shortest path. `None` for a path with a folder in it.
    pub(super) fn page_by_name_alone<'a>(&self, written: &'a str) -> Option<(String, &'a str)> {
        let (name, fragment) = written.split_at(written.find('#').unwrap_or(written.len()));
        if name.contains('/') || name.is_empty() {
            return None;
        }
        let stem = name.strip_suffix(".md").unwrap_or(name);
        if let Some(key) = self.named(Named::Page, stem) {
            return Some((self.markdown_page(&key).ok()?, fragment));
        }
        // `ref "setup" lang="bg"` in a site whose default language is `bg`
        // names `setup.md`, which has no language in its name.
        let bare = stem
            .strip_suffix(self.default_lang)
            .and_then(|s| s.strip_suffix('.'))?;
        let key = self.named(Named::Page, bare)?;
        let in_default = format!("{}.{}.md", key.strip_suffix(".md")?, self.default_lang);
        Some((self.markdown_page(&in_default).ok()?, fragment))
    }

    /// The URL of the page whose file `path` names without its extension
    /// (`about` for `about.md`, `about/index.md` or `about/_index.md`), looked
    /// up from the page's folder, then from the content folder, as Hugo does.
    pub(super) fn file_without_extension(&self, path: &str, from_root: bool) -> Option<String> {
        let path = path.trim_matches('/');
        let mut folders = vec![Path::new("")];
        if !from_root {
            folders.insert(0, &self.dir);
        }
        folders.into_iter().find_map(|folder| {
            let base = normalise(folder, path)?;
            // `.mdx` and the other Markdown names too (Mintlify's
            // `/assistant/index` is `assistant/index.mdx`).
            crate::markdown::MARKDOWN_EXTENSIONS
                .iter()
                .flat_map(|ext| {
                    ["{}.", "{}/index.", "{}/_index."].map(|form| form.replace("{}", &base) + ext)
                })
                .find(|key| self.targets.pages.contains_key(key))
                .and_then(|key| self.markdown_page(&key).ok())
        })
    }

    /// The page `x.md` beside this one (or from the content folder, for
    /// `/x.html`) that `x.html` names, as mdBook, Hexo and Jekyll publish it.
    pub(super) fn page_by_html_name(&self, decoded: &str, from_root: bool) -> Option<String> {
        let stem = (decoded.strip_suffix(".html")).or_else(|| decoded.strip_suffix(".htm"))?;
        let folder = if from_root { Path::new("") } else { &self.dir };
        let base = normalise(folder, stem.trim_start_matches('/'))?;
        // mdBook publishes a folder's `README.md` as its `index.html`.
        let readme = (base == "index" || base.ends_with("/index"))
            .then(|| format!("{}README", &base[..base.len() - "index".len()]));
        crate::markdown::MARKDOWN_EXTENSIONS
            .iter()
            .flat_map(|ext| {
                let readme = readme.as_ref().map(|r| format!("{r}.{ext}"));
                std::iter::once(format!("{base}.{ext}")).chain(readme)
            })
            .find(|key| self.targets.pages.contains_key(key))
            .and_then(|key| self.markdown_page(&key).ok())
    }

    /// A file a wiki link names: beside some page, or in `static/`.
    fn wiki_file(&self, name: &str) -> Option<String> {
        if let Some(key) = self.named(Named::Asset, name) {
            return self.targets.assets.get(&key).cloned();
        }
        self.named(Named::Static, name)
            .map(|file| format!("/{file}"))
    }

    /// The path of `kind` that ends with `name` (without `.md` and a
    /// trailing `index`), in any case: the one in this page's folder, else
    /// the shortest.
    fn named(&self, kind: Named, name: &str) -> Option<String> {
        let wanted = name.trim_matches('/').to_lowercase();
        let last = wanted.rsplit('/').next().unwrap_or_default();
        let index = self.targets.names[kind as usize].get_or_init(|| {
            let keys: Box<dyn Iterator<Item = &String>> = match kind {
                Named::Page => Box::new(self.targets.pages.keys()),
                Named::Asset => Box::new(self.targets.assets.keys()),
                Named::Static => Box::new(self.targets.static_files.iter()),
            };
            let mut index = ByName::new();
            for key in keys {
                if let Some(path) = wiki_path(key, kind) {
                    let last = path.rsplit('/').next().unwrap_or_default().to_lowercase();
                    index.entry(last).or_default().push(key.clone());
                }
            }
            index
        });
        let dir = self.dir.to_string_lossy().replace('\\', "/");
        let ends_with_wanted = |key: &&String| {
            wiki_path(key, kind).is_some_and(|path| {
                let path = path.to_lowercase();
                path == wanted || path.ends_with(&format!("/{wanted}"))
            })
        };
        index
            .get(last)?
            .iter()
            .filter(ends_with_wanted)
            .min_by_key(|key| {
                let folder = key.rsplit_once('/').map_or("", |(folder, _)| folder);
                (folder != dir, key.len(), key.as_str())
            })
            .cloned()
    }
}
