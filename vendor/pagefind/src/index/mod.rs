use bytes::Bytes;
use hashbrown::HashMap;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::{
    fossick::FossickedWord,
    index::index_metadata::MetaFilter,
    utils::full_hash,
    SearchOptions,
};
use anyhow::{bail, Result};
use index_filter::{FilterIndex, PackedValue};
use index_metadata::{MetaChunk, MetaIndex, MetaPage};
use index_words::{PackedPage, PackedVariant, PackedWord};

use self::index_metadata::MetaSort;

mod index_filter;
mod index_metadata;
mod index_words;
pub mod prepared;
mod word_table;

use prepared::{PagePrint, PreparedPage, Words};
use word_table::EncodedWord;

use crate::output::CompressedFiles;

pub struct PagefindIndexes {
    pub word_indexes: HashMap<String, Vec<u8>>,
    pub filter_indexes: HashMap<String, Vec<u8>>,
    pub meta_index: (String, Vec<u8>),
    /// dunav patch: the fragment files, gzipped (a page's when it was
    /// prepared; a group's when it was made).
    pub fragments: Vec<(String, Bytes)>,
    pub sorts: Vec<String>,
    pub language: String,
    pub word_count: usize,
    pub page_count: usize,
}

#[derive(Clone)]
struct IntermediaryPageData {
    full_hash: String,
    /// dunav patch: the fragment file, compressed when the page was prepared.
    fragment_gz: Bytes,
    word_count: usize,
    page_number: usize,
}

#[derive(Debug)]
enum SortType {
    String,
    Number,
}

/// Results from processing a single page in parallel.
/// Contains the word map, filter entries, and encoded page data for one page.
struct PageProcessingResult {
    /// dunav patch: the page's words, split into shards by the word's hash,
    /// so that the shards merge side by side.
    word_shards: Vec<Vec<PackedWord>>,
    filter_entries: Vec<(String, String, usize)>, // (filter, value, page_number)
    encoded_page: IntermediaryPageData,
}

/// dunav patch: `kept`, when given, may hold the language's word table
/// from an earlier build (see `word_table`), and is given the new one.
pub async fn build_indexes(
    pages: Vec<PreparedPage>,
    language: String,
    options: &SearchOptions,
    kept: Option<&dyn CompressedFiles>,
) -> Result<PagefindIndexes> {
    let mut meta = MetaIndex {
        version: options.version.into(),
        pages: Vec::new(),
        index_chunks: Vec::new(),
        filters: Vec::new(),
        sorts: Vec::new(),
        meta_fields: Vec::new(),
    };

    let mut filter_map: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
    let mut fragment_hashes: HashMap<String, IntermediaryPageData> = HashMap::new();
    let mut fragments: Vec<(usize, (String, IntermediaryPageData))> = Vec::new();

    let (sorts, sort_orders) = sort_orders(&pages, options);
    meta.sorts = sort_orders;

    let mut meta_fields_set: BTreeSet<String> = BTreeSet::new();
    for page in pages.iter() {
        meta_fields_set.extend(page.meta_fields.iter().cloned());
    }
    meta.meta_fields = meta_fields_set.into_iter().collect();

    let packer = Packer {
        meta_fields: &meta.meta_fields,
        language: &language,
        // dunav patch: one shard per thread, each merged by one of them.
        shard_count: rayon::current_num_threads().max(1),
        shard_hasher: hashbrown::DefaultHashBuilder::default(),
    };
    let prints: Option<Vec<PagePrint>> = pages.iter().map(|page| page.print).collect();
    let kept_table = kept
        .filter(|_| prints.is_some())
        .and_then(|kept| kept.word_table(&language));
    let (words, page_results, table_changed) =
        packer.words(pages, kept_table.as_deref(), prints.as_deref());

    for result in page_results {
        // Merge filter entries using or_default for cleaner code
        for (filter, value, page_number) in result.filter_entries {
            filter_map
                .entry(filter)
                .or_default()
                .entry(value)
                .or_default()
                .push(page_number);
        }

        // Handle fragment hashing (must be sequential due to collision handling)
        let encoded_page = result.encoded_page;
        let mut short_hash = &encoded_page.full_hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one until we stop colliding
        // TODO: There are some collision issues here.
        // If two builds match a collision in different orders the hashes will swap,
        // which could return incorrect data due to files being cached.
        while let Some(collision) = fragment_hashes.get(short_hash) {
            if collision.full_hash == encoded_page.full_hash {
                // These pages are identical. Add both under the same hash.
                fragments.push((
                    collision.word_count,
                    (collision.full_hash.clone(), collision.clone()),
                ));
                // dunav patch: the loop never ended here (the hash does not
                // change); prepared pages are not deduplicated by URL.
                break;
            } else {
                let new_length = short_hash.len();
                short_hash = &encoded_page.full_hash[0..=new_length];
            }
        }
        fragment_hashes.insert(short_hash.to_string(), encoded_page);
    }

    fragments.extend(
        fragment_hashes
            .into_iter()
            .map(|(hash, frag)| (frag.word_count, (hash, frag))),
    );
    fragments.sort_by_cached_key(|(_, (_, fragment))| fragment.page_number);

    let page_count = fragments.len();
    let mut final_fragments = Vec::new();

    if let Some(max_fragments) =
        options.max_fragments.filter(|&m| m > 0 && (m as usize) < fragments.len())
    {
        let group_size = (fragments.len() as f32 / max_fragments as f32).ceil() as usize;
        options.logger.info(format!(
            "Bundling {} fragments into groups of {}, resulting in {} files",
            fragments.len(),
            group_size,
            fragments.chunks(group_size).len()
        ));
        let mut group_hashes: BTreeSet<String> = BTreeSet::new();
        for chunk in fragments.chunks(group_size) {
            let mut group_map = BTreeMap::new();
            for (_, (hash, frag)) in chunk {
                let val: serde_json::Value =
                    serde_json::from_slice(&crate::output::gunzip(&frag.fragment_gz)).unwrap();
                group_map.insert(hash.clone(), val);
            }
            let group_json = serde_json::to_string(&group_map).unwrap();
            let prefix = format!("{language}_group_");
            let group_hash = format!("{prefix}{}", full_hash(group_json.as_bytes()));

            // If we hit a collision, extend one hash until we stop colliding
            let mut hash_length = 7;
            let mut short_group_hash = &group_hash[..prefix.len() + hash_length];
            while group_hashes.contains(short_group_hash) && hash_length < 40 {
                hash_length += 1;
                short_group_hash = &group_hash[..prefix.len() + hash_length];
            }
            group_hashes.insert(short_group_hash.to_string());

            final_fragments.push((
                short_group_hash.to_string(),
                Bytes::from(crate::output::gzip_at(
                    group_json.as_bytes(),
                    crate::output::FRAGMENT_LEVEL,
                )),
            ));

            for (word_count, (hash, _)) in chunk {
                meta.pages.push(MetaPage {
                    hash: hash.clone(),
                    word_count: *word_count as u32,
                    group_hash: short_group_hash.to_string(),
                });
            }
        }
    } else {
        for (word_count, (hash, frag)) in fragments {
            final_fragments.push((hash.clone(), frag.fragment_gz));
            meta.pages.push(MetaPage {
                hash: hash.clone(),
                word_count: word_count as u32,
                group_hash: "".into(),
            });
        }
    }

    // Encode filter indexes in parallel
    // Accumulate into HashMap for O(1) inserts, then sort once before encoding
    // to produce a stable hash without paying BTreeMap's per-insert overhead.
    let mut filter_map_vec: Vec<_> = filter_map.into_iter().collect();
    filter_map_vec.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    let encoded_filters: Vec<(String, Vec<u8>, String)> = filter_map_vec
        .into_par_iter()
        .map(|(filter, values)| {
            let mut sorted_values: Vec<_> = values.into_iter().collect();
            sorted_values.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
            let mut filter_index: Vec<u8> = Vec::new();
            let _ = minicbor::encode::<FilterIndex, &mut Vec<u8>>(
                FilterIndex {
                    filter: filter.clone(),
                    values: sorted_values
                        .into_iter()
                        .map(|(value, pages)| PackedValue { value, pages })
                        .collect(),
                },
                filter_index.as_mut(),
            );
            let hash = format!("{}_{}", language, full_hash(&filter_index));
            (filter, filter_index, hash)
        })
        .collect();

    // Handle hash collisions sequentially (required for correctness)
    let mut filter_indexes = HashMap::new();
    for (filter, filter_index, hash) in encoded_filters {
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        // TODO: DRY
        while filter_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        filter_indexes.insert(short_hash.to_string(), filter_index);
        meta.filters.push(MetaFilter {
            filter,
            hash: short_hash.to_string(),
        })
    }

    if TryInto::<u32>::try_into(meta.pages.len()).is_err() {
        options.logger.error(format!(
            "Language {} has too many documents to index, must be < {}",
            language,
            u32::MAX
        ));
        bail!(
            "Language {language} has too many documents to index, must be < {}",
            u32::MAX
        );
    }

    // TODO: Parameterize these chunk sizes via byte size rather than word count
    let word_count = words.len();
    let (index_chunks, word_indexes) =
        encode_word_chunks(&words, options.index_chunk_size, &language);
    meta.index_chunks = index_chunks;
    if let (Some(kept), Some(prints), true) = (kept, &prints, table_changed) {
        kept.keep_word_table(
            &language,
            word_table::to_bytes(prints, &meta.meta_fields, &words),
        );
    }
    drop(words);

    let mut meta_index: Vec<u8> = Vec::new();
    let _ = minicbor::encode::<MetaIndex, &mut Vec<u8>>(meta, meta_index.as_mut());

    let meta_hash = format!(
        "{}_{}",
        language,
        &full_hash(&meta_index)[0..=(language.len() + 7)]
    );

    Ok(PagefindIndexes {
        word_indexes,
        filter_indexes,
        sorts,
        meta_index: (meta_hash, meta_index),
        fragments: final_fragments,
        language,
        word_count,
        page_count,
    })
}

/// Convert fossicked word positions to a packed page representation.
/// Sorts by weight (with common weight 25 first) then by position for delta encoding.
/// dunav patch: the positions alone; the page number is given later.
pub(crate) fn packed_locs(mut positions: Vec<FossickedWord>) -> Vec<i32> {
    // A page weight of 1 is encoded as 25. Since most words should be this weight,
    // we want to sort them to be first in the locations array to reduce filesize
    // when we inline weight changes.
    // We then sort by position within each weight group,
    // which helps us delta encode the index.
    positions.sort_by_cached_key(|p| (if p.weight == 25 { 0 } else { p.weight }, p.position));

    let mut current_weight = 25;
    let mut weighted_positions = Vec::with_capacity(positions.len());
    let mut last_position = 0;

    // Calculate our output list of positions with weights.
    // This is a vec of page positions, with a change in weight for subsequent positions
    // denoted by a negative integer.
    for FossickedWord {
        position, weight, ..
    } in positions
    {
        if weight != current_weight {
            // Weight change: emit marker + absolute position, new delta base
            weighted_positions.push(-(weight as i32) - 1);
            weighted_positions.push(position as i32);
            last_position = position;
            current_weight = weight;
        } else {
            // emit delta from previous position
            weighted_positions.push((position - last_position) as i32);
            last_position = position;
        }
    }

    weighted_positions
}

/// dunav patch: lifted out of `build_indexes`. The words (sorted) in
/// chunks, each named by its hash (extended on a collision), with the
/// chunks' ranges for the meta index.
fn encode_word_chunks(
    words: &[EncodedWord],
    chunk_size: usize,
    language: &str,
) -> (Vec<MetaChunk>, HashMap<String, Vec<u8>>) {
    let ranges = word_table::chunk_ranges(words, chunk_size);
    let mut index_chunks = chunk_meta(
        ranges
            .iter()
            .map(|range| (&*words[range.start].word, &*words[range.end - 1].word)),
    );
    let encoded_chunks: Vec<(usize, Vec<u8>, String)> = ranges
        .into_par_iter()
        .enumerate()
        .map(|(i, range)| {
            let word_index = word_table::chunk_bytes(&words[range]);
            let hash = format!("{}_{}", language, full_hash(&word_index));
            (i, word_index, hash)
        })
        .collect();

    // Handle hash collisions sequentially (required for correctness)
    let mut word_indexes: HashMap<String, Vec<u8>> = HashMap::new();
    for (i, word_index, hash) in encoded_chunks {
        let mut short_hash = &hash[0..=(language.len() + 7)];

        // If we hit a collision, extend one hash until we stop colliding
        while word_indexes.contains_key(short_hash) {
            let new_length = short_hash.len() + 1;
            short_hash = &hash[0..=new_length];

            if short_hash.len() == hash.len() {
                break;
            }
        }
        word_indexes.insert(short_hash.to_string(), word_index);
        index_chunks[i].hash = short_hash.into();
    }

    (index_chunks, word_indexes)
}

/// dunav patch: lifted out of `build_indexes`. The site's sort keys, and
/// for each the page numbers in its order (a page's number is its place in
/// `pages`).
fn sort_orders(pages: &[PreparedPage], options: &SearchOptions) -> (Vec<String>, Vec<MetaSort>) {
    let mut orders = Vec::new();
    // Get all possible sort keys
    let mut sorts: Vec<_> = pages
        .iter()
        .flat_map(|page| page.sort.keys().cloned())
        .collect();
    sorts.sort_unstable();
    sorts.dedup();

    // Determine the best sorting parser that fits all available values for each given key
    let mut sort_types: BTreeMap<String, SortType> = BTreeMap::new();
    for sort in sorts.iter() {
        let mut sort_values = pages.iter().flat_map(|page| page.sort.get(sort));
        sort_types.insert(
            sort.clone(),
            if sort_values.all(|v| parse_int_sort(v).is_some() || parse_float_sort(v).is_some()) {
                SortType::Number
            } else {
                SortType::String
            },
        );
    }

    for (sort_key, sort_type) in sort_types {
        // dunav patch: a page's number is its place in `pages`.
        let mut page_values: Vec<_> = pages
            .iter()
            .enumerate()
            .flat_map(|(page_number, page)| page.sort.get(&sort_key).map(|v| (v, page_number)))
            .collect();
        options.logger.v_info(format!(
            "Prebuilding sort order for {sort_key}, processed as type: {sort_type:#?}"
        ));
        match sort_type {
            SortType::String => page_values.sort_by_key(|p| p.0),
            SortType::Number => page_values.sort_by(|p1, p2| {
                let p1 = parse_int_sort(p1.0)
                    .map(|i| i as f32)
                    .unwrap_or_else(|| parse_float_sort(p1.0).unwrap_or_default());
                let p2 = parse_int_sort(p2.0)
                    .map(|i| i as f32)
                    .unwrap_or_else(|| parse_float_sort(p2.0).unwrap_or_default());

                p1.total_cmp(&p2)
            }),
        }
        orders.push(MetaSort {
            sort: sort_key,
            pages: page_values.into_iter().map(|p| p.1).collect(),
        });
    }

    (sorts, orders)
}

/// dunav patch: what numbers the prepared pages and merges their words.
struct Packer<'a> {
    /// The site's meta fields, in the order the index names them.
    meta_fields: &'a [String],
    language: &'a str,
    shard_count: usize,
    shard_hasher: hashbrown::DefaultHashBuilder,
}

impl Packer<'_> {
    fn shard_of(&self, word: &str) -> usize {
        (std::hash::BuildHasher::hash_one(&self.shard_hasher, word) % self.shard_count as u64)
            as usize
    }

    /// The site's words, sorted and encoded, and every page's other
    /// results; and whether the words are not those of `kept_table`. The
    /// words are made from `kept_table` and the changed pages when it fits
    /// the pages, by merging every page's words otherwise.
    fn words<'k>(
        &self,
        pages: Vec<PreparedPage>,
        kept_table: Option<&'k [u8]>,
        prints: Option<&[PagePrint]>,
    ) -> (Vec<EncodedWord<'k>>, Vec<PageProcessingResult>, bool) {
        let updated = kept_table
            .zip(prints)
            .and_then(|(table, prints)| self.updated_words(table, &pages, prints));
        if let Some((words, changed)) = updated {
            let results = pages
                .into_par_iter()
                .enumerate()
                .map(|(n, page)| self.page_data(n, page, Vec::new()))
                .collect();
            return (words, results, changed);
        }
        let (words, results) = self.pack_and_merge(pages);
        (encode_words(words), results, true)
    }

    /// The words of `kept_table` with the changed pages' words made again,
    /// and whether a page changed; `None` if the table does not fit the
    /// pages (see `word_table::Kept::changed_pages`) or is damaged.
    fn updated_words<'k>(
        &self,
        kept_table: &'k [u8],
        pages: &[PreparedPage],
        prints: &[PagePrint],
    ) -> Option<(Vec<EncodedWord<'k>>, bool)> {
        let kept = word_table::Kept::parse(kept_table)?;
        let changed = kept.changed_pages(prints, self.meta_fields)?;
        let fresh: Vec<(usize, Vec<PackedWord>)> = changed
            .par_iter()
            .map(|&n| {
                let mut words = Vec::new();
                // A kept page's words are shared bytes: cloned cheaply.
                self.words_of(n, &pages[n], pages[n].words.clone(), |w| words.push(w));
                (n, words)
            })
            .collect();
        // A word's forms on an unchanged page: its words are read again.
        let forms_on = |n: usize, word: &str| {
            let mut forms = Vec::new();
            pages[n].words.clone().for_each(|w| {
                if w.word == word {
                    forms = w.variants.into_iter().map(|v| v.form).collect();
                }
            });
            forms
        };
        let words = word_table::update(kept, pages.len(), &fresh, &forms_on)?;
        Some((words, !changed.is_empty()))
    }

    /// The words of page `page_number`, each given to `each` with its
    /// entry on the page. Meta positions get the site's field ids.
    fn words_of(
        &self,
        page_number: usize,
        page: &PreparedPage,
        words: Words,
        mut each: impl FnMut(PackedWord),
    ) {
        let field_id_map: Vec<u16> = page
            .meta_fields
            .iter()
            .map(|name| self.meta_fields.iter().position(|f| f == name).unwrap() as u16)
            .collect();
        let packed_page = |locs: Vec<i32>, meta: Vec<(u16, u32)>| {
            (!locs.is_empty() || !meta.is_empty()).then(|| {
                // dunav patch: a page read back unchecked (`from_kept`) may
                // name a field it does not have; that position is left out.
                let meta_locs = meta_positions_to_packed(
                    meta.into_iter()
                        .filter_map(|(field, position)| {
                            Some((*field_id_map.get(field as usize)?, position))
                        })
                        .collect(),
                );
                PackedPage::new(page_number, locs, meta_locs)
            })
        };
        words.for_each(|word| {
            each(PackedWord {
                pages: packed_page(word.locs, word.meta).into_iter().collect(),
                additional_variants: word
                    .variants
                    .into_iter()
                    .map(|variant| PackedVariant {
                        form: variant.form,
                        pages: packed_page(variant.locs, variant.meta).into_iter().collect(),
                    })
                    .collect(),
                word: word.word,
            })
        });
    }

    /// One page, numbered: its words (split into the shards), its filter
    /// values and its fragment. The page comes prepared (words split,
    /// positions packed, fragment compressed); here it only gets its number
    /// and its meta field ids in the site's order.
    fn pack(&self, (page_number, mut page): (usize, PreparedPage)) -> PageProcessingResult {
        let mut word_shards: Vec<Vec<PackedWord>> = vec![Vec::new(); self.shard_count];
        let words = std::mem::replace(&mut page.words, Words::Prepared(Vec::new()));
        self.words_of(page_number, &page, words, |packed| {
            word_shards[self.shard_of(&packed.word)].push(packed)
        });
        self.page_data(page_number, page, word_shards)
    }

    /// A page's results other than its words (`word_shards`).
    fn page_data(
        &self,
        page_number: usize,
        page: PreparedPage,
        word_shards: Vec<Vec<PackedWord>>,
    ) -> PageProcessingResult {
        let filter_entries: Vec<(String, String, usize)> = page
            .filters
            .into_iter()
            .flat_map(|(filter, values)| {
                values
                    .into_iter()
                    .map(move |value| (filter.clone(), value, page_number))
            })
            .collect();

        PageProcessingResult {
            word_shards,
            filter_entries,
            encoded_page: IntermediaryPageData {
                full_hash: format!("{}_{}", self.language, page.fragment_hash),
                word_count: page.word_count,
                page_number,
                fragment_gz: page.fragment_gz,
            },
        }
    }

    /// The site's words, each with its pages in page order, and every page's
    /// other results. The pages are packed in batches, and each batch's
    /// words are handed to their shards in page order and merged (the shards
    /// side by side) before the next batch is packed: the one merge of every
    /// word of the site was the longest step that used one core, and the
    /// site's per-page word lists (millions of small entries) never exist at
    /// once.
    fn pack_and_merge(
        &self,
        pages: Vec<PreparedPage>,
    ) -> (Vec<PackedWord>, Vec<PageProcessingResult>) {
        let mut merged: Vec<HashMap<String, PackedWord>> =
            (0..self.shard_count).map(|_| HashMap::new()).collect();
        let mut page_results: Vec<PageProcessingResult> = Vec::with_capacity(pages.len());
        let mut numbered = pages.into_iter().enumerate();
        loop {
            let batch: Vec<(usize, PreparedPage)> = numbered.by_ref().take(MERGE_BATCH).collect();
            if batch.is_empty() {
                break;
            }
            let mut results: Vec<PageProcessingResult> =
                batch.into_par_iter().map(|page| self.pack(page)).collect();
            let mut shards: Vec<Vec<Vec<PackedWord>>> = (0..self.shard_count)
                .map(|_| Vec::with_capacity(results.len()))
                .collect();
            for result in &mut results {
                for (shard, words) in shards.iter_mut().zip(std::mem::take(&mut result.word_shards)) {
                    shard.push(words);
                }
            }
            merged
                .par_iter_mut()
                .zip(shards)
                .for_each(|(map, pages)| merge_into(map, pages));
            page_results.extend(results);
        }
        let words = merged.into_iter().flat_map(|map| map.into_values()).collect();
        (words, page_results)
    }
}

/// dunav patch: how many pages are packed before their words are merged.
const MERGE_BATCH: usize = 1024;

/// dunav patch: one shard's words of a batch of pages, merged into the
/// shard's map: a word's pages are appended in page order, so they stay
/// sorted by page number.
fn merge_into(merged: &mut HashMap<String, PackedWord>, pages: Vec<Vec<PackedWord>>) {
    for packed in pages.into_iter().flatten() {
        let Some(existing) = merged.get_mut(&packed.word) else {
            merged.insert(packed.word.clone(), packed);
            continue;
        };
        existing.pages.extend(packed.pages);
        for variant in packed.additional_variants {
            if let Some(existing_variant) = existing
                .additional_variants
                .iter_mut()
                .find(|v| v.form == variant.form)
            {
                existing_variant.pages.extend(variant.pages);
            } else {
                existing.additional_variants.push(variant);
            }
        }
    }
}

/// dunav patch: the merged words, sorted and each encoded as its chunk
/// holds it (page numbers delta-encoded).
fn encode_words(mut words: Vec<PackedWord>) -> Vec<EncodedWord<'static>> {
    // Sorted once before encoding to produce a stable hash.
    // dunav patch: compared in place (a key function cloned both words of
    // every comparison); the words are distinct, so unstable sorting is exact.
    words.sort_unstable_by(|a, b| a.word.cmp(&b.word));
    words.into_par_iter().map(word_table::encode_word).collect()
}

/// The meta index's range of each chunk, from its first and last word.
fn chunk_meta<'w>(bounds: impl Iterator<Item = (&'w str, &'w str)>) -> Vec<MetaChunk> {
    let mut named_chunks: Vec<MetaChunk> = bounds
        .map(|(from, to)| MetaChunk {
            from: from.into(),
            to: to.into(),
            hash: "".into(),
        })
        .collect();
    if named_chunks.len() > 1 {
        for i in 0..named_chunks.len() - 1 {
            let chunks = &mut named_chunks[i..=i + 1];
            let prefixes = get_prefixes((&chunks[0].to, &chunks[1].from));
            // Only trim 'to' if it won't create an invalid range (to < from)
            if prefixes.0 >= chunks[0].from {
                chunks[0].to = prefixes.0;
            }
            // Always trim the next chunk's 'from'
            chunks[1].from = prefixes.1;
        }
    }

    named_chunks
}

fn get_prefixes((a, b): (&str, &str)) -> (String, String) {
    let common_prefix_length: usize = b
        .chars()
        .zip(a.chars())
        .take_while(|&(a, b)| a == b)
        .count();

    let a_prefix = a.chars().take(common_prefix_length + 1).collect::<String>();
    let b_prefix = b.chars().take(common_prefix_length + 1).collect::<String>();

    (a_prefix, b_prefix)
}

fn parse_int_sort(value: &str) -> Option<i32> {
    lexical_core::parse::<i32>(value.as_bytes()).ok()
}

fn parse_float_sort(value: &str) -> Option<f32> {
    lexical_core::parse::<f32>(value.as_bytes()).ok()
}

/// Encode meta positions with field ID markers.
/// Negative numbers switch field IDs, positive numbers are delta-encoded positions.
/// e.g., [-1, 0, 5, -4, 2] means: field 0 positions [0, 5], field 3 positions [2]
fn meta_positions_to_packed(mut positions: Vec<(u16, u32)>) -> Vec<i32> {
    if positions.is_empty() {
        return vec![];
    }

    positions.sort_unstable();

    let mut current_field: Option<u16> = None;
    let mut last_position: u32 = 0;
    let mut result = Vec::with_capacity(positions.len() + 8);

    for (field_id, position) in positions {
        if Some(field_id) != current_field {
            result.push(-((field_id as i32) + 1));
            current_field = Some(field_id);
            last_position = 0;
        }
        result.push((position - last_position) as i32);
        last_position = position;
    }

    result
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Mock {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>);
    }
    impl Mock for HashMap<String, PackedWord> {
        fn word(&mut self, word: &str, page_number: usize, locs: Vec<i32>) {
            let page = PackedPage::new(page_number, locs, vec![]);
            match self.get_mut(word) {
                Some(w) => w.pages.push(page),
                None => {
                    let _ = self.insert(
                        word.into(),
                        PackedWord {
                            word: word.into(),
                            pages: vec![page],
                            additional_variants: vec![],
                        },
                    );
                }
            }
        }
    }

    fn test_words() -> HashMap<String, PackedWord> {
        let mut words = HashMap::new();
        words.word("apple", 1, vec![20, 40, 60]);
        words.word("apple", 5, vec![3, 6, 9]);
        words.word("apricot", 5, vec![45, 3432, 6003]);
        words.word("banana", 5, vec![100, 500, 900, 566]);
        words.word("peach", 5, vec![383, 2, 678]);

        words
    }

    /// The same postings, but held as diacritic variants rather than on the word itself
    fn test_variant_words() -> HashMap<String, PackedWord> {
        let mut words = test_words();
        for word in words.values_mut() {
            word.additional_variants.push(PackedVariant {
                form: format!("{}\u{0301}", word.word),
                pages: std::mem::take(&mut word.pages),
            });
        }
        words
    }

    /// The words of each chunk, as `encode_word_chunks` splits them.
    fn chunk_index(words: Vec<PackedWord>, chunk_size: usize) -> Vec<Vec<EncodedWord<'static>>> {
        let mut words = encode_words(words);
        let ranges = word_table::chunk_ranges(&words, chunk_size);
        ranges
            .into_iter()
            .rev()
            .map(|range| words.split_off(range.start))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect()
    }

    fn chunk_meta_of(chunks: &[Vec<EncodedWord>]) -> Vec<MetaChunk> {
        chunk_meta(chunks.iter().map(|c| (&*c[0].word, &*c[c.len() - 1].word)))
    }

    /// Each chunk's bytes are what upstream encodes: `WordIndex` with page
    /// numbers delta-encoded.
    #[test]
    fn chunks_are_encoded_as_upstream_does() {
        for words in [test_words(), test_variant_words()] {
            let mut words: Vec<PackedWord> = words.into_values().collect();
            words.sort_unstable_by(|a, b| a.word.cmp(&b.word));
            let encoded = encode_words(words.clone());
            for chunk_size in [1, 8, 1000] {
                let ranges = word_table::chunk_ranges(&encoded, chunk_size);
                for range in ranges {
                    let upstream: Vec<PackedWord> = words[range.clone()]
                        .iter()
                        .cloned()
                        .map(|mut word| {
                            for pages in std::iter::once(&mut word.pages)
                                .chain(word.additional_variants.iter_mut().map(|v| &mut v.pages))
                            {
                                let mut last = 0;
                                for page in pages.iter_mut() {
                                    (page.page_number, last) =
                                        (page.page_number - last, page.page_number);
                                }
                            }
                            word
                        })
                        .collect();
                    let expected =
                        minicbor::to_vec(index_words::WordIndex { words: upstream }).unwrap();
                    assert_eq!(word_table::chunk_bytes(&encoded[range]), expected);
                }
            }
        }
    }

    #[test]
    fn build_index_chunks() {
        let chunks = chunk_index(test_words().into_values().collect(), 8);

        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0][0].word, "apple");
        assert_eq!(chunks[1][0].word, "apricot");
        assert_eq!(chunks[1][1].word, "banana");
        assert_eq!(chunks[2][0].word, "peach");
    }

    #[test]
    fn build_index_chunks_from_variant_words() {
        let chunks = chunk_index(test_variant_words().into_values().collect(), 8);

        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0][0].word, "apple");
        assert_eq!(chunks[1][0].word, "apricot");
        assert_eq!(chunks[1][1].word, "banana");
        assert_eq!(chunks[2][0].word, "peach");
    }

    #[test]
    fn build_chunk_meta() {
        let chunks = chunk_index(test_words().into_values().collect(), 8);
        let meta = chunk_meta_of(&chunks);
        assert_eq!(meta.len(), 3);
        assert_eq!(
            meta[0],
            MetaChunk {
                from: "apple".into(),
                to: "apple".into(), // Not trimmed to "app" since that would make to < from
                hash: "".into(),
            }
        );
        assert_eq!(
            meta[1],
            MetaChunk {
                from: "apr".into(),
                to: "b".into(),
                hash: "".into(),
            }
        );
        assert_eq!(
            meta[2],
            MetaChunk {
                from: "p".into(),
                to: "peach".into(),
                hash: "".into(),
            }
        );
    }

    #[test]
    fn common_prefix() {
        assert_eq!(
            get_prefixes(("apple", "apricot")),
            ("app".into(), "apr".into())
        );
        assert_eq!(
            get_prefixes(("cataraman", "yacht")),
            ("c".into(), "y".into())
        );
        assert_eq!(
            get_prefixes(("cath", "cathartic")),
            ("cath".into(), "catha".into())
        );
        // This should be an invalid state, but just in case:
        assert_eq!(
            get_prefixes(("catha", "cath")),
            ("catha".into(), "cath".into())
        );
    }
}
