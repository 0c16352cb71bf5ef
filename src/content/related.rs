//! "Related news": for each page, a few others in its language that share
//! its sectors and tags, a shared sector counting more than a common tag,
//! newer first among equals.
//!
//! Computed from indexes, not by comparing every page with every other.
//! Tags are many and each is on few pages, so the pages sharing a tag are
//! scored one by one. Sectors are few and each is on thousands of pages; but
//! a page that shares no tag scores only by sectors, so for every distinct
//! (language, sectors, kinds) the pages are ranked once, and each page walks
//! that ranking only as far as it needs.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::translit::slugify;

use crate::config::RelatedConfig;
use crate::content::{Page, PageKind};

/// The kinds a page of this kind relates to; none for the other kinds.
fn related_kinds(kind: PageKind) -> &'static [PageKind] {
    match kind {
        PageKind::News => &[PageKind::News],
        PageKind::Project => &[PageKind::Project, PageKind::News],
        PageKind::Event => &[PageKind::Event, PageKind::News],
        _ => &[],
    }
}

/// A candidate: its score and date, compared so that the best sorts first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    score: std::cmp::Reverse<u32>,
    newest: std::cmp::Reverse<i64>,
    page: usize,
}

/// What ranking needs of a page, small and together: the inner loops touch
/// thousands of pages per page, and reading them from the pages themselves
/// was a cache miss each.
#[derive(Clone, Copy)]
struct Facts {
    kind: PageKind,
    lang: u16,
    /// One bit per sector of the site.
    sectors: u128,
    date: i64,
    eligible: bool,
}

struct Ranker<'a> {
    config: &'a RelatedConfig,
    facts: Vec<Facts>,
    /// Per page, its tags as the tag pages group them (by slug), once each.
    tags: &'a [Vec<String>],
    /// Per (language, tag slug): the eligible pages with it.
    by_tag: HashMap<(u16, &'a str), Vec<usize>>,
    /// Per (language, sectors, kind): eligible pages ranked by sectors alone.
    by_sectors: HashMap<(u16, u128, PageKind), Vec<Rank>>,
}

/// Per thread: each page's tag score while one page is ranked, and which
/// pages have one (to reset them after).
struct Scratch {
    tag_score: Vec<u32>,
    touched: Vec<usize>,
}

/// The related pages of every page, by index into `pages`; empty for pages
/// that show none. Drafts and future pages are never anyone's related page.
pub fn related_pages(pages: &[Page], config: &RelatedConfig) -> Vec<Vec<usize>> {
    if config.count == 0 {
        return vec![Vec::new(); pages.len()];
    }
    let facts = page_facts(pages);
    let tags: Vec<Vec<String>> = pages
        .iter()
        .map(|p| {
            let mut slugs: Vec<String> = p.meta.tags.iter().map(|t| slugify(t)).collect();
            slugs.sort_unstable();
            slugs.dedup();
            slugs
        })
        .collect();
    let mut by_tag: HashMap<(u16, &str), Vec<usize>> = HashMap::new();
    for (i, slugs) in tags.iter().enumerate().filter(|(i, _)| facts[*i].eligible) {
        for slug in slugs {
            by_tag.entry((facts[i].lang, slug)).or_default().push(i);
        }
    }
    let mut by_sectors = HashMap::new();
    for f in &facts {
        for &kind in related_kinds(f.kind) {
            let key = (f.lang, f.sectors, kind);
            if f.sectors != 0 && !by_sectors.contains_key(&key) {
                by_sectors.insert(key, sector_ranking(&facts, config, key));
            }
        }
    }
    let ranker = Ranker {
        config,
        tags: &tags,
        facts,
        by_tag,
        by_sectors,
    };
    // Few large chunks, each with its own scratch: a scratch per task
    // (map_init) cost more than the ranking itself.
    let chunk = pages
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(1);
    let starts: Vec<usize> = (0..pages.len()).step_by(chunk).collect();
    let ranked: Vec<Vec<Vec<usize>>> = starts
        .par_iter()
        .map(|&start| {
            let mut scratch = Scratch {
                tag_score: vec![0; pages.len()],
                touched: Vec::new(),
            };
            (start..(start + chunk).min(pages.len()))
                .map(|i| ranker.related_of(i, &mut scratch))
                .collect()
        })
        .collect();
    ranked.into_iter().flatten().collect()
}

fn page_facts(pages: &[Page]) -> Vec<Facts> {
    let mut langs: HashMap<&str, u16> = HashMap::new();
    let mut sectors: HashMap<&str, u32> = HashMap::new();
    pages
        .iter()
        .map(|p| {
            let next = langs.len() as u16;
            let lang = *langs.entry(p.lang.as_str()).or_insert(next);
            let mut bits = 0u128;
            for sector in &p.meta.sectors {
                let next = sectors.len() as u32;
                // Sites have a handful of sectors; past 128 two share a bit.
                bits |= 1 << (*sectors.entry(sector.as_str()).or_insert(next) % 128);
            }
            Facts {
                kind: p.kind,
                lang,
                sectors: bits,
                date: p.sort_date().map_or(i64::MIN, |d| d.as_second()),
                eligible: !p.meta.draft && !p.is_future && !related_kinds(p.kind).is_empty(),
            }
        })
        .collect()
}

/// The eligible pages of the key's kind and language that share one of its
/// sectors, best first.
fn sector_ranking(
    facts: &[Facts],
    config: &RelatedConfig,
    (lang, sectors, kind): (u16, u128, PageKind),
) -> Vec<Rank> {
    let mut ranking: Vec<Rank> = facts
        .iter()
        .enumerate()
        .filter(|(_, f)| f.eligible && f.kind == kind && f.lang == lang)
        .filter_map(|(o, f)| {
            let shared = (f.sectors & sectors).count_ones();
            (shared > 0).then(|| Rank {
                score: std::cmp::Reverse(shared.saturating_mul(config.sector_weight)),
                newest: std::cmp::Reverse(f.date),
                page: o,
            })
        })
        .collect();
    ranking.sort_unstable();
    ranking
}

impl Ranker<'_> {
    fn related_of(&self, i: usize, scratch: &mut Scratch) -> Vec<usize> {
        let me = self.facts[i];
        let kinds = related_kinds(me.kind);
        let wanted = self.config.count;
        if kinds.is_empty() {
            return Vec::new();
        }
        // Pages sharing a tag: scored in full.
        for tag in &self.tags[i] {
            for &other in self
                .by_tag
                .get(&(me.lang, tag.as_str()))
                .into_iter()
                .flatten()
            {
                if other != i && kinds.contains(&self.facts[other].kind) {
                    if scratch.tag_score[other] == 0 {
                        scratch.touched.push(other);
                    }
                    scratch.tag_score[other] += 1;
                }
            }
        }
        let mut ranked: Vec<Rank> = scratch
            .touched
            .iter()
            .map(|&other| {
                let f = self.facts[other];
                // Weights come from site.toml: saturate rather than wrap.
                let tags = scratch.tag_score[other].saturating_mul(self.config.tag_weight);
                let sectors = (f.sectors & me.sectors)
                    .count_ones()
                    .saturating_mul(self.config.sector_weight);
                let score = tags.saturating_add(sectors);
                Rank {
                    score: std::cmp::Reverse(score),
                    newest: std::cmp::Reverse(f.date),
                    page: other,
                }
            })
            .collect();
        // The rest score by sectors alone: the best of them lead the
        // ranking for this page's sectors.
        for &kind in kinds {
            if let Some(by_sectors) = self.by_sectors.get(&(me.lang, me.sectors, kind)) {
                let rest = by_sectors
                    .iter()
                    .filter(|r| r.page != i && scratch.tag_score[r.page] == 0)
                    .take(wanted);
                ranked.extend(rest);
            }
        }
        for &other in &scratch.touched {
            scratch.tag_score[other] = 0;
        }
        scratch.touched.clear();
        ranked.retain(|r| r.score.0 > 0);
        if ranked.len() > wanted {
            ranked.select_nth_unstable(wanted);
            ranked.truncate(wanted);
        }
        ranked.sort_unstable();
        // Not `into_iter`: collecting in place would keep the candidates'
        // whole buffer alive behind three indexes, for every page.
        ranked.iter().map(|r| r.page).collect()
    }
}
