//! Output fingerprints: every output has a hash of everything it shows, and
//! the dev server renders only the outputs whose hash changed since the last
//! build. A page depends on itself, its section, its neighbours and its
//! translations; a listing on the pages it shows; a feed on its entries; and
//! everything on the templates, strings and site.toml (the global print).

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::build::Site;
use crate::content::{Page, PageKind, Section};
use crate::diagnostics::Diagnostics;
use crate::fingerprint::Fingerprint;
use crate::output;
use crate::render::context as ctx;

/// Each output's fingerprint, by path.
pub type OutputPrints = HashMap<String, u64, crate::fingerprint::Fixed>;

/// What rendering produced besides the files.
pub struct Rendered {
    pub problems: Diagnostics,
    /// Every output's print; after a patch, only the outputs it changed
    /// (every other keeps the print it had: see [`Rendered::update`]).
    pub prints: OutputPrints,
    /// Whether `prints` are only the changes of a patch.
    pub patch: bool,
    /// Outputs of the previous build that this one no longer has.
    pub removed: Vec<String>,
    /// Changed outputs a first pass left for the next one (see [`Scope::viewed_first`]).
    pub put_off: Vec<String>,
}

impl Rendered {
    /// The prints after this rendering, from those it started from.
    pub fn update(self, previous: Option<OutputPrints>) -> OutputPrints {
        match previous {
            Some(mut previous) if self.patch => {
                previous.extend(self.prints);
                previous
            }
            _ => self.prints,
        }
    }
}

/// Puts the previous build's file of an unchanged output in this build's
/// output; false when it cannot (then the output is rendered).
pub type Carry<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// Decides, output by output, whether to render: only what changed since `previous`.
pub struct Scope<'a> {
    previous: Option<&'a OutputPrints>,
    /// A build into a new folder: each unchanged output is carried over.
    carry: Option<Carry<'a>>,
    record: bool,
    /// A patch renders a few known outputs: the others keep their prints,
    /// and only the changed ones are recorded (see [`Rendered::prints`]).
    carry_over: bool,
    prints: Mutex<OutputPrints>,
    /// A first pass renders only these changed outputs; see [`Scope::viewed_first`].
    only: Option<&'a HashSet<String>>,
    put_off: Mutex<Vec<String>>,
}

impl<'a> Scope<'a> {
    pub fn new(previous: Option<&'a OutputPrints>, record: bool) -> Scope<'a> {
        Scope {
            previous,
            carry: None,
            record,
            carry_over: false,
            prints: Mutex::new(HashMap::with_capacity_and_hasher(
                previous.map_or(0, HashMap::len),
                crate::fingerprint::hasher(),
            )),
            only: None,
            put_off: Mutex::new(Vec::new()),
        }
    }

    /// A build into a new folder from the previous build's: every output
    /// whose print is unchanged is carried over from it, the rest rendered.
    pub fn carrying(previous: &'a OutputPrints, carry: Carry<'a>) -> Scope<'a> {
        Scope {
            carry: Some(carry),
            ..Scope::new(Some(previous), true)
        }
    }

    /// A first pass that renders, of the outputs changed since `previous`,
    /// only those in `viewed` (the pages open in a browser), so that they can
    /// be shown before the rest. The others are put off: each keeps its old
    /// print, so that a second pass from this one's prints renders it. Gone
    /// outputs are found as in a full pass.
    pub fn viewed_first(previous: &'a OutputPrints, viewed: &'a HashSet<String>) -> Scope<'a> {
        Scope {
            only: Some(viewed),
            ..Scope::new(Some(previous), true)
        }
    }

    /// Renders only `requested`, whatever their prints, and records nothing:
    /// outputs a browser asked for while a second pass was still to reach
    /// them (see [`crate::build::Site::render_requested`]).
    pub fn requested(requested: &'a HashSet<String>) -> Scope<'a> {
        Scope {
            only: Some(requested),
            ..Scope::new(None, false)
        }
    }

    /// Whether this pass renders only outputs a browser asked for (see
    /// [`Scope::requested`]): it copies no files, since the renditions are
    /// not made yet and a photo's original would go out with its metadata;
    /// a request for a file waits for the full pass.
    pub fn is_requested(&self) -> bool {
        self.only.is_some() && !self.record
    }

    /// Whether this pass renders only a few outputs ahead of a full one:
    /// files that cost work to make (image renditions) are left to that.
    pub fn is_partial(&self) -> bool {
        self.only.is_some()
    }

    /// For a patch: only some outputs are looked at, and every other output
    /// of `previous` stays as it was.
    pub fn patching(previous: &'a OutputPrints) -> Scope<'a> {
        Scope {
            previous: Some(previous),
            carry: None,
            record: true,
            carry_over: true,
            prints: Mutex::new(OutputPrints::default()),
            only: None,
            put_off: Mutex::new(Vec::new()),
        }
    }

    /// Records an output's fingerprint; true when it must be rendered.
    pub fn needed(&self, path: &str, print: u64) -> bool {
        if let Some(only) = self.only
            && !only.contains(path)
        {
            if self.record {
                self.put_off_if_changed(path, print);
            }
            return false;
        }
        let old = self.previous.and_then(|old| old.get(path));
        if self.carry_over && old == Some(&print) {
            // A patch records only what changed.
            return false;
        }
        if self.record
            && let Ok(mut prints) = self.prints.lock()
        {
            prints.insert(path.to_string(), print);
        }
        let unchanged = old == Some(&print);
        match self.carry {
            Some(carry) if unchanged => !carry(path),
            _ => self.previous.is_none() || !unchanged,
        }
    }

    /// In a first pass, an output not viewed: recorded with its old print
    /// (none if it is new) and put off when it changed. Never rendered now.
    fn put_off_if_changed(&self, path: &str, print: u64) {
        let old = self.previous.and_then(|old| old.get(path)).copied();
        if old == Some(print) {
            if let Ok(mut prints) = self.prints.lock() {
                prints.insert(path.to_string(), print);
            }
            return;
        }
        if let Some(old) = old
            && let Ok(mut prints) = self.prints.lock()
        {
            prints.insert(path.to_string(), old);
        }
        if let Ok(mut put_off) = self.put_off.lock() {
            put_off.push(path.to_string());
        }
    }

    /// The fingerprints recorded, the previous outputs that are gone, and
    /// the outputs put off.
    pub fn finish(self, problems: Diagnostics) -> Rendered {
        let put_off = self.put_off.into_inner().unwrap_or_default();
        let prints = self.prints.into_inner().unwrap_or_default();
        if self.carry_over {
            // A patch keeps every output: it changes no URL.
            return Rendered {
                problems,
                prints,
                patch: true,
                removed: Vec::new(),
                put_off,
            };
        }
        let removed = self
            .previous
            .map(|old| {
                old.keys()
                    .filter(|k| !prints.contains_key(*k))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        Rendered {
            problems,
            prints,
            patch: false,
            removed,
            put_off,
        }
    }
}

/// A fingerprint of everything a page's summary shows.
pub fn page_print(
    page: &Page,
    now: Timestamp,
    links_fingerprint: u64,
    base_url: &Option<String>,
) -> u64 {
    // The file's time is shown only as a calendar's stamp, when no date is given.
    let modified =
        (page.meta.updated.is_none() && page.meta.date.is_none()).then_some(page.modified);
    Fingerprint::new()
        .with(&page.source_hash)
        .with(&modified)
        .with(&page.is_future)
        .with(&page.is_expired)
        .with(&page.is_upcoming(now))
        // It changes with any page's URL and any image (whose size pages show) too.
        .with(&links_fingerprint)
        .with(base_url)
        .finish()
}

impl Site {
    /// A page's output path and the fingerprint of everything it shows.
    pub(super) fn page_output_print(
        &self,
        i: usize,
        page: &Page,
        positions: &[usize],
    ) -> (String, u64) {
        let lib = &self.library;
        let mut print = Fingerprint::new()
            .with(&self.global_print)
            .with(&self.page_prints[i])
            .with(&page.meta.template);
        if let Some(s) = lib.section(&page.section, &page.lang) {
            let pos = positions[i];
            let neighbour =
                |p: Option<usize>| p.and_then(|p| s.pages.get(p)).map(|&n| self.page_prints[n]);
            print = print
                .with(&section_print(s))
                .with(&neighbour(pos.checked_sub(1)))
                .with(&neighbour(Some(pos + 1)));
        } else if let Some(s) = lib.nearest_section(&page.section, &page.lang) {
            // A folder that is no section: the page shows the one above.
            print = print.with(&section_print(s));
        }
        for &t in lib
            .translations
            .get(&page.translation_key)
            .into_iter()
            .flatten()
        {
            print = print.with(&self.page_prints[t]);
        }
        for &r in &self.related[i] {
            print = print.with(&self.page_prints[r]);
        }
        if page.kind == PageKind::Newsletter {
            // An issue's page lists its digest: any page may be in it.
            print = print.with(&self.page_prints);
        }
        (output::file_for_url(&page.url), print.finish())
    }

    /// The pages of the folders above page `c`'s whose listing neighbour it
    /// is: a section lists its sub-folders' pages too.
    fn ancestor_neighbours(&self, c: usize) -> Vec<usize> {
        let lib = &self.library;
        let page = &lib.pages[c];
        let mut found = Vec::new();
        let mut path = page.section.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            path = parent;
            let Some(s) = lib.section(path, &page.lang) else {
                continue;
            };
            let Some(pos) = s.pages.iter().position(|&p| p == c) else {
                continue;
            };
            let beside = [pos.checked_sub(1), Some(pos + 1)];
            found.extend(
                beside
                    .into_iter()
                    .flatten()
                    .filter_map(|p| s.pages.get(p).copied())
                    .filter(|&p| lib.pages[p].section == path),
            );
        }
        found
    }

    /// The pages whose output shows one of `changed`: each itself, the
    /// pages beside it in its section, its translations, the pages that
    /// list it as related, and every newsletter issue (its digest may show
    /// any page). What [`Site::page_output_print`] reads, looked up the
    /// other way round.
    pub(super) fn pages_showing(&self, changed: &[usize], positions: &[usize]) -> Vec<usize> {
        let lib = &self.library;
        let mut showing: Vec<usize> = changed.to_vec();
        for &c in changed {
            let page = &lib.pages[c];
            if let Some(s) = lib.section(&page.section, &page.lang) {
                let pos = positions[c];
                showing.extend(pos.checked_sub(1).and_then(|p| s.pages.get(p)));
                showing.extend(s.pages.get(pos + 1));
            }
            showing.extend(self.ancestor_neighbours(c));
            showing.extend(
                lib.translations
                    .get(&page.translation_key)
                    .into_iter()
                    .flatten(),
            );
        }
        for (i, related) in self.related.iter().enumerate() {
            if related.iter().any(|r| changed.contains(r)) {
                showing.push(i);
            }
        }
        showing.extend((0..lib.pages.len()).filter(|&i| lib.pages[i].kind == PageKind::Newsletter));
        showing.sort_unstable();
        showing.dedup();
        showing
    }

    /// The fingerprint of a listing page: the listing and every page it shows.
    pub(super) fn listing_print(
        &self,
        head: u64,
        pager: usize,
        pagers: usize,
        items: &[usize],
    ) -> u64 {
        let mut print = Fingerprint::new()
            .with(&self.global_print)
            .with(&head)
            .with(&pager)
            .with(&pagers);
        for &i in items {
            print = print.with(&self.page_prints[i]);
        }
        print.finish()
    }

    /// The fingerprint of a data file (feed, calendar) named `label`, listing `pages`.
    pub(super) fn data_print(&self, label: &str, pages: &[usize]) -> u64 {
        let mut print = Fingerprint::new().with(&self.global_print).with(label);
        for &i in pages {
            print = print.with(&self.page_prints[i]);
        }
        print.finish()
    }

    /// The pagers of a listing whose output changed: (index, count, their pages).
    pub(super) fn changed_pagers<'a>(
        &self,
        base: &str,
        pages: &'a [usize],
        head: u64,
        scope: &Scope<'_>,
    ) -> Vec<(usize, usize, &'a [usize])> {
        let per_page = self.config.paginate.max(1);
        let count = pages.len().div_ceil(per_page).max(1);
        // Every pager shows how many pages the listing has.
        let head = crate::fingerprint::of(&(head, pages.len()));
        let pager = |index: usize| {
            let start = ((index - 1) * per_page).min(pages.len());
            let items = &pages[start..(start + per_page).min(pages.len())];
            let print = self.listing_print(head, index, count, items);
            scope
                .needed(&output::file_for_url(&ctx::pager_url(base, index)), print)
                .then_some((index, count, items))
        };
        // A long listing in parallel: a rebuild takes most pagers over from
        // the last output, a `stat` and a `link` each. A short one on this
        // thread: handing work to the pool costs a wake-up, and the dev
        // server's patch looks at every listing (a tag's has one or two pagers).
        if count >= PARALLEL_PAGERS {
            (1..=count).into_par_iter().filter_map(pager).collect()
        } else {
            (1..=count).filter_map(pager).collect()
        }
    }
}

/// From how many pagers a listing's are looked at in parallel.
const PARALLEL_PAGERS: usize = 32;

/// What a section's own text and size contribute to its pages and listings.
pub fn section_print(s: &Section) -> u64 {
    Fingerprint::new()
        .with(&s.title)
        .with(&*s.content_html)
        .with(&s.description)
        .with(&s.file)
        .with(&s.meta.template)
        .with(&s.pages.len())
        .finish()
}
