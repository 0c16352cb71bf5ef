//! The search bundle: Pagefind's index, one per language, built in this
//! process from records the build already has (no HTML is parsed again), and
//! the browser files that query it. The default UI bundles Pagefind writes
//! are left out: the theme has its own search page.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use bytes::Bytes;
use rayon::prelude::*;

use pagefind::api::{CustomRecord, PagefindIndex, PreparedPage};
use pagefind::options::PagefindServiceConfig;

use crate::output::search_cache;

/// The folder of the bundle in the output; the theme's search page imports
/// `/pagefind/pagefind.js` from it.
pub const BUNDLE_DIR: &str = crate::content::paths::SEARCH_BUNDLE_DIR;

/// One page as the build hands it to the index: cheap to collect (the
/// rendered body is shared, not copied), so the dev server can take a
/// snapshot on every save and index it on another thread.
#[derive(Debug, Clone)]
pub struct SearchSource {
    /// The page's site path, `/news/foo/`: what a result links to.
    pub url: String,
    /// Selects the language's index: `/en/search/` searches the English pages only.
    pub lang: String,
    /// The rendered body.
    pub html: crate::content::html_text::HtmlText,
    pub title: String,
    /// The section's title, shown with a result and offered as a filter.
    pub section: String,
    /// Seconds since the epoch: shown with a result and used to sort.
    pub date: Option<i64>,
    pub image: Option<String>,
    pub image_alt: String,
    /// The sectors' names in the page's language, offered as a filter.
    pub sectors: Vec<String>,
    /// Changes whenever anything above does (the file's hash and what its
    /// summary shows): the index is rebuilt only when a page's print changes.
    pub print: u64,
}

/// One page as the index sees it.
struct SearchRecord {
    url: String,
    lang: String,
    /// The page's text, plain.
    text: String,
    /// Shown with a result (`title`, `date`, `section`, `image`) or searched
    /// only (`_translit`, `_title_translit`: the Cyrillic words of the text
    /// and the title in Latin letters; a field whose name begins with `_` is
    /// left out of the fragment a result downloads).
    meta: BTreeMap<String, String>,
    /// `section` and `sector`, for the search page's filters.
    filters: BTreeMap<String, Vec<String>>,
    /// `date`, for sorting by date.
    sort: BTreeMap<String, String>,
}

impl SearchRecord {
    fn into_custom(self) -> CustomRecord {
        CustomRecord {
            url: self.url,
            content: self.text,
            language: self.lang,
            meta: self.meta,
            filters: self.filters,
            sort: self.sort,
        }
    }
}

impl SearchSource {
    fn record(&self) -> SearchRecord {
        let text = plain_text(&self.html.text());
        // A page without text (a short event, a project) is still found by
        // its title: the index leaves out a page with no words.
        let text = match text.trim().is_empty() {
            true => self.title.clone(),
            false => text,
        };
        let mut meta = BTreeMap::from([("title".to_string(), self.title.clone())]);
        let mut filters = BTreeMap::new();
        let mut sort = BTreeMap::new();
        if !self.section.is_empty() {
            meta.insert("section".into(), self.section.clone());
            filters.insert("section".to_string(), vec![self.section.clone()]);
        }
        if let Some(date) = self.date {
            meta.insert("date".into(), date.to_string());
            sort.insert("date".to_string(), date.to_string());
        }
        if let Some(image) = &self.image {
            meta.insert("image".into(), image.clone());
            meta.insert("image_alt".into(), self.image_alt.clone());
        }
        if !self.sectors.is_empty() {
            filters.insert("sector".to_string(), self.sectors.clone());
        }
        // The title's own field, so that a Latin query ranks a page whose
        // title has the word as high as a Cyrillic one does.
        let title_latin = latin_words(&self.title);
        if !title_latin.is_empty() {
            meta.insert("_title_translit".into(), title_latin);
        }
        let latin = latin_words(&text);
        if !latin.is_empty() {
            meta.insert("_translit".into(), latin);
        }
        SearchRecord {
            url: self.url.clone(),
            lang: self.lang.clone(),
            text,
            meta,
            filters,
            sort,
        }
    }
}

/// A fingerprint of everything the index holds.
pub fn search_print(sources: &[SearchSource]) -> u64 {
    let prints: Vec<(&str, u64)> = sources.iter().map(|s| (s.url.as_str(), s.print)).collect();
    crate::fingerprint::of(&prints)
}

/// Files of Pagefind's own user interfaces, which the theme does not use.
fn is_unused_ui(name: &str) -> bool {
    [
        "pagefind-ui.",
        "pagefind-component-ui.",
        "pagefind-modular-ui.",
        "pagefind-highlight.",
        "playground/",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
}

/// Indexes the pages and returns the bundle's files as (site path, bytes).
/// With a `cache` file, pages prepared by an earlier build are read from it
/// and only the others are prepared (see `search_cache`). The sources are
/// let go once their pages are prepared: the index is the search step's
/// peak, and their bodies need not be held under it.
pub fn bundle(
    sources: Vec<SearchSource>,
    cache: Option<&Path>,
    reuse: Reuse,
) -> Result<Vec<(String, Bytes)>, String> {
    if tokio::runtime::Handle::try_current().is_err() {
        return bundle_here(sources, cache, reuse);
    }
    // Pagefind blocks on its own runtime, which tokio forbids on a thread
    // that already drives one: a thread of its own then.
    std::thread::scope(|scope| {
        scope
            .spawn(move || bundle_here(sources, cache, reuse))
            .join()
            .unwrap_or_else(|_| Err("the indexer stopped unexpectedly".into()))
    })
}

/// Whether a bundle may be made from what earlier builds kept in the
/// cache; `Fresh` still keeps what it makes (`dunav build --full`).
#[derive(Clone, Copy, PartialEq)]
pub enum Reuse {
    Kept,
    Fresh,
}

impl Reuse {
    pub fn when(reuse: bool) -> Reuse {
        if reuse { Reuse::Kept } else { Reuse::Fresh }
    }
}

fn bundle_here(
    sources: Vec<SearchSource>,
    cache: Option<&Path>,
    reuse: Reuse,
) -> Result<Vec<(String, Bytes)>, String> {
    let read = |path: &Path| {
        (reuse == Reuse::Kept)
            .then(|| search_cache::read(path))
            .flatten()
    };
    let timer = crate::timing::PhaseTimer::start();
    let config = PagefindServiceConfig::builder().build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
    index.add_prepared(prepared_and_kept(&index, &sources, cache, &read)?);
    drop(sources);
    timer.lap("  search: prepare pages");
    // Building the files is async in Pagefind's API; a runtime on this
    // thread runs it to the end.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the indexer: {e}"))?;
    let chunks_path = cache.map(search_cache::chunks_path);
    let kept = chunks_path.as_deref().and_then(read);
    let cached = search_cache::Entries::parse(kept.as_ref());
    let chunks = search_cache::Chunks::new(&cached);
    let files = runtime
        .block_on(index.get_files_with(&chunks))
        .map_err(|e| e.to_string())?;
    timer.lap("  search: build and compress");
    if let Some(path) = &chunks_path {
        let entries = chunks.into_entries();
        let reused = entries.iter().all(|(_, b)| matches!(b, Cow::Borrowed(_)));
        if !reused || cached.len() != entries.len() {
            let entries = entries.iter().map(|(key, bytes)| (*key, &**bytes));
            // Only a cache: a build that cannot save it has still succeeded.
            search_cache::save(path, entries).ok();
        }
    }
    Ok(files
        .into_iter()
        .filter_map(|file| {
            let name = file.filename.to_string_lossy().replace('\\', "/");
            (!is_unused_ui(&name)).then(|| (format!("{BUNDLE_DIR}/{name}"), file.contents))
        })
        .collect())
}

/// The sources as prepared pages, read back from `cache` where it has them;
/// the file is saved again when a page was prepared anew or one is gone.
/// The pages read back are slices of the file's bytes (42 MB at 10,000
/// pages, most of what the search step holds), not copies of them: the
/// file stays in memory until the caller drops the last fragment file of
/// the bundle (a build, once it has written them).
fn prepared_and_kept(
    index: &PagefindIndex,
    sources: &[SearchSource],
    cache: Option<&Path>,
    read: &dyn Fn(&Path) -> Option<crate::kept::Kept>,
) -> Result<Vec<PreparedPage>, String> {
    let kept = cache.and_then(read);
    let cached = search_cache::Entries::parse(kept.as_ref());
    let pages = prepared_pages(index, sources, &cached)?;
    if let Some(path) = cache {
        keep_prepared(path, &pages, &cached);
    }
    Ok(pages.pages)
}

/// Keeps the pages of this build for the next: the new ones are added to
/// the file, which is written anew when most of it is no longer used.
fn keep_prepared(path: &Path, pages: &Prepared, cached: &search_cache::Entries) {
    let mut used = crate::kept::Used::default();
    for (i, key) in pages.keys.iter().enumerate() {
        let kept = (!pages.fresh.contains_key(&i)).then(|| cached.get(key));
        used.add(kept.flatten().map(<[u8]>::len));
    }
    let fresh = pages
        .fresh
        .iter()
        .map(|(i, bytes)| (pages.keys[*i], &bytes[..]));
    let all = pages.keys.iter().enumerate().filter_map(|(i, key)| {
        let bytes = pages.fresh.get(&i).map(|b| &b[..]).or(cached.get(key))?;
        Some((*key, bytes))
    });
    // Only a cache: a build that cannot save it has still succeeded.
    search_cache::keep(path, cached.file(), used, fresh, all).ok();
}

/// Pages prepared at a time when none is kept: enough to keep every core
/// busy, few enough that their word lists stay small beside the site.
const PREPARE_BATCH: usize = 512;

/// The sources as prepared pages, with what the cache needs to keep them.
struct Prepared {
    pages: Vec<PreparedPage>,
    /// Per source, its key in the cache.
    keys: Vec<search_cache::Key>,
    /// The pages prepared anew, by source, as the cache keeps them.
    fresh: HashMap<usize, Bytes>,
}

/// Every source as a prepared page, in order: read from the cache when it
/// holds the page's key, prepared otherwise.
fn prepared_pages(
    index: &PagefindIndex,
    sources: &[SearchSource],
    cached: &search_cache::Entries,
) -> Result<Prepared, String> {
    let keys: Vec<search_cache::Key> = sources.par_iter().map(search_cache::key).collect();
    let read_back: Vec<Option<PreparedPage>> = keys
        .par_iter()
        .map(|key| {
            cached
                .get_shared(key)
                .and_then(|bytes| PreparedPage::from_kept(&bytes))
        })
        .collect();
    let missing: Vec<usize> = (0..sources.len())
        .filter(|&i| read_back[i].is_none())
        .collect();
    // A page prepared anew is written in the cache's form and indexed from
    // it, so that its words are held once (as bytes), not also as lists.
    // Pages are prepared a batch at a time: the lists of a whole site at
    // once were a first build's peak.
    let mut made: Vec<(usize, PreparedPage, Bytes)> = Vec::with_capacity(missing.len());
    for batch in missing.chunks(PREPARE_BATCH) {
        let records = batch
            .par_iter()
            .map(|&i| sources[i].record().into_custom())
            .collect();
        let prepared = index.prepare_records(records).map_err(|e| e.to_string())?;
        if prepared.len() != batch.len() {
            return Err("the indexer lost a page".into());
        }
        made.par_extend(batch.par_iter().copied().zip(prepared).map(|(i, page)| {
            let bytes = Bytes::from(page.to_bytes());
            let page = PreparedPage::from_kept(&bytes).unwrap_or(page);
            (i, page, bytes)
        }));
    }
    let mut fresh = HashMap::with_capacity(made.len());
    let mut made_pages = HashMap::with_capacity(made.len());
    for (i, page, bytes) in made {
        made_pages.insert(i, page);
        fresh.insert(i, bytes);
    }
    // A page's key is its print: the index keeps its words between builds
    // and makes again only those of pages whose key changed.
    let pages = read_back
        .into_iter()
        .enumerate()
        .filter_map(|(i, page)| {
            let page = page.or_else(|| made_pages.remove(&i))?;
            Some(page.with_print(keys[i]))
        })
        .collect();
    Ok(Prepared { pages, keys, fresh })
}

/// The text of rendered HTML: tags dropped (a block's end becomes a space so
/// that words do not run together). Entities stay as they are: Pagefind
/// shows excerpts as HTML, so the text must stay escaped.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[open..open + close + 1];
        text.push(' ');
        rest = &rest[open + close + 1..];
        // A heading's "#" link is not text.
        if tag.starts_with("<a class=\"anchor\"")
            && let Some(end) = rest.find("</a>")
        {
            rest = &rest[end + 4..];
        }
    }
    text.push_str(rest);
    // Runs of white space stay: Pagefind splits the text on them and writes
    // it back with single spaces.
    text
}

/// The distinct Cyrillic words of `text` in Latin letters, so that a query
/// typed on a Latin keyboard (`ruse`, `mehatronika`) finds the page. Words
/// of one or two letters (и, в, на) are left out: a query that short finds
/// longer words by their beginning anyway.
pub fn latin_words(text: &str) -> String {
    // Distinct as written: the index folds case, so "Русе" and "русе" both
    // kept costs a word, while lower-casing every word first cost more.
    let mut seen = std::collections::HashSet::with_hasher(crate::fingerprint::hasher());
    let mut out = String::new();
    for word in text.split(|c: char| !is_cyrillic_letter(c)) {
        if word.chars().nth(2).is_none() || !seen.insert(word) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        crate::translit::transliterate_into(word, &mut out);
    }
    out
}

/// Letters of the Cyrillic block, decided without Unicode tables: this runs
/// on every character of the site.
fn is_cyrillic_letter(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_words_apart_and_stays_escaped() {
        assert_eq!(
            plain_text(
                "<h2>Русе <a class=\"anchor\" href=\"#ruse\">#</a></h2><p>Иновации &amp; <em>роботи</em>&lt;b&gt;</p>"
            ),
            " Русе    Иновации &amp;  роботи &lt;b&gt; "
        );
    }

    /// Pagefind's fragment: gzip around a marker and JSON.
    fn fragment(gz: &[u8]) -> serde_json::Value {
        use std::io::Read;
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(gz)
            .read_to_end(&mut json)
            .unwrap();
        serde_json::from_slice(json.strip_prefix(b"pagefind_dcd").unwrap()).unwrap()
    }

    #[test]
    fn pages_prepared_in_several_batches_are_each_indexed_once() {
        let count = PREPARE_BATCH * 2 + 3;
        let sources: Vec<SearchSource> = (0..count)
            .map(|i| {
                source(
                    format!("/news/n{i}/"),
                    "bg",
                    &format!("<p>Дума{i} от Русе</p>"),
                    format!("Новина {i}"),
                )
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("search");
        let fragment_urls = |files: &[(String, Bytes)]| {
            let mut urls: Vec<String> = files
                .iter()
                .filter(|(path, _)| path.starts_with("pagefind/fragment/"))
                .map(|(_, gz)| fragment(gz)["url"].as_str().unwrap().to_string())
                .collect();
            urls.sort();
            urls
        };
        let mut expected: Vec<String> = sources.iter().map(|s| s.url.clone()).collect();
        expected.sort();
        let fresh = bundle(sources.clone(), Some(&cache), Reuse::Kept).unwrap();
        assert_eq!(fragment_urls(&fresh), expected);
        // Read back from the cache, the same bundle.
        let kept = bundle(sources.clone(), Some(&cache), Reuse::Kept).unwrap();
        let sorted = |files: Vec<(String, Bytes)>| -> BTreeMap<String, Bytes> {
            files.into_iter().collect()
        };
        let (kept, fresh) = (sorted(kept), sorted(fresh));
        for (path, bytes) in &fresh {
            assert!(kept.get(path) == Some(bytes), "{path} differs");
        }
        assert_eq!(kept.len(), fresh.len());
        // Each page is kept under its own key: a part of the site that
        // crosses a batch boundary, read back, has its own pages' fragments.
        let part = &sources[PREPARE_BATCH - 5..PREPARE_BATCH + 5];
        let expected: Vec<String> = part.iter().map(|s| s.url.clone()).collect();
        assert_eq!(
            fragment_urls(&bundle(part.to_vec(), Some(&cache), Reuse::Kept).unwrap()),
            expected
        );
    }

    /// A page of words from a small vocabulary (pages share most words),
    /// some with diacritics, which Pagefind keeps as forms of the plain word.
    fn random_source(i: usize, seed: &mut u64, lang: &str) -> SearchSource {
        const WORDS: [&str; 9] = [
            "cafe",
            "café",
            "cafè",
            "resume",
            "résumé",
            "resumé",
            "Русе",
            "ру́се",
            "data",
        ];
        let mut next = |n: usize| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            (*seed % n as u64) as usize
        };
        let words: Vec<&str> = (0..2 + next(6)).map(|_| WORDS[next(WORDS.len())]).collect();
        let html = format!("<p>{}</p>", words.join(" "));
        let title = WORDS[next(WORDS.len())].to_string();
        source(format!("/{lang}/n{i}/"), lang, &html, title)
    }

    /// A page with nothing but its text and title.
    fn source(url: String, lang: &str, html: &str, title: String) -> SearchSource {
        SearchSource {
            url,
            lang: lang.into(),
            html: html.into(),
            title,
            section: String::new(),
            date: None,
            image: None,
            image_alt: String::new(),
            sectors: Vec::new(),
            print: 0,
        }
    }

    /// A bundle made after a few pages changed, from what the last one
    /// kept (the merged words included), is the bundle made from nothing.
    #[test]
    fn a_bundle_made_from_the_kept_index_is_a_fresh_ones() {
        let mut seed = 0x2545_f491_4f6c_dd1d;
        let mut sources: Vec<SearchSource> = (0..16)
            .map(|i| random_source(i, &mut seed, ["bg", "en"][i % 2]))
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let (kept_cache, fresh_cache) = (dir.path().join("kept"), dir.path().join("fresh"));
        let sorted = |files: Vec<(String, Bytes)>| -> BTreeMap<String, Bytes> {
            files.into_iter().collect()
        };
        bundle(sources.clone(), Some(&kept_cache), Reuse::Kept).unwrap();
        for round in 0..60 {
            for _ in 0..1 + round % 2 {
                let at = (seed % sources.len() as u64) as usize;
                sources[at] = random_source(at, &mut seed, &sources[at].lang.clone());
            }
            let kept = sorted(bundle(sources.clone(), Some(&kept_cache), Reuse::Kept).unwrap());
            let fresh = sorted(bundle(sources.clone(), Some(&fresh_cache), Reuse::Fresh).unwrap());
            assert_eq!(
                kept.keys().collect::<Vec<_>>(),
                fresh.keys().collect::<Vec<_>>(),
                "round {round}"
            );
            for (path, bytes) in &fresh {
                assert!(kept[path] == *bytes, "round {round}: {path} differs");
            }
        }
    }

    #[test]
    fn latin_words_are_distinct_and_follow_the_law() {
        assert_eq!(
            latin_words("Русе, Русе и България: мехатроника (2026)"),
            "Ruse Bulgaria mehatronika"
        );
    }
}
