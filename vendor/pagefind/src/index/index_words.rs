use minicbor::Encode;

/// The word index chunks in `pagefind/index/`

/// A single word index chunk: `pagefind/index/*.pf_index`
/// dunav patch: written by `word_table::chunk_bytes`; this is the format
/// its test compares with.
#[cfg(test)]
#[derive(Encode)]
pub struct WordIndex {
    #[n(0)]
    pub words: Vec<PackedWord>,
}

/// A single word as an inverse index of all locations on the site
#[derive(Encode, Clone, Debug)]
pub struct PackedWord {
    #[n(0)]
    pub word: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
    #[n(2)]
    pub additional_variants: Vec<PackedVariant>,
}

/// A variant of a word with different diacritics (e.g., "café" vs "cafe")
#[derive(Encode, Clone, Debug)]
pub struct PackedVariant {
    #[n(0)]
    pub form: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
}

/// A set of locations on a given page
/// dunav patch: encoded by hand (below), as the derive did it; the body
/// positions and the meta positions are one list, kept in place when short.
/// There is one of these per word per page (2.3 million at 10,000 pages),
/// and as two `Vec`s each took 72 bytes and an allocation: most of the
/// memory the index took while it was built.
#[derive(Clone, Debug)]
pub struct PackedPage {
    pub page_number: usize, // Won't exceed u32 but saves us some into()s
    positions: Positions,
    /// Where the meta positions begin in `positions`.
    meta_from: u32,
}

impl PackedPage {
    pub fn new(page_number: usize, locs: Vec<i32>, meta_locs: Vec<i32>) -> PackedPage {
        let meta_from = locs.len() as u32;
        let positions = if locs.len() + meta_locs.len() <= IN_PLACE {
            let mut at = [0; IN_PLACE];
            let len = locs.len() + meta_locs.len();
            for (slot, &n) in at.iter_mut().zip(locs.iter().chain(&meta_locs)) {
                *slot = n;
            }
            Positions::InPlace { len: len as u8, at }
        } else if meta_locs.is_empty() {
            Positions::Apart(locs.into_boxed_slice())
        } else {
            let mut all = locs;
            all.extend(meta_locs);
            Positions::Apart(all.into_boxed_slice())
        };
        PackedPage {
            page_number,
            positions,
            meta_from,
        }
    }

    pub fn locs(&self) -> &[i32] {
        &self.positions.as_slice()[..self.meta_from as usize]
    }

    pub fn meta_locs(&self) -> &[i32] {
        &self.positions.as_slice()[self.meta_from as usize..]
    }

    /// dunav patch: the page's two lists of positions as its encoding ends
    /// (after the page number), for word index entries written by hand.
    pub(crate) fn write_positions(&self, bytes: &mut Vec<u8>) {
        for numbers in [self.locs(), self.meta_locs()] {
            cbor_head(bytes, ARRAY, numbers.len() as u64);
            for &n in numbers.iter() {
                if n >= 0 {
                    cbor_head(bytes, 0, n as u64);
                } else {
                    cbor_head(bytes, NEGATIVE, (-1 - i64::from(n)) as u64);
                }
            }
        }
    }
}

/// Positions of a page this many or fewer are kept in place: as many as
/// fit in the size of the boxed list beside them.
const IN_PLACE: usize = 5;

#[derive(Clone, Debug)]
enum Positions {
    InPlace { len: u8, at: [i32; IN_PLACE] },
    Apart(Box<[i32]>),
}

impl Positions {
    fn as_slice(&self) -> &[i32] {
        match self {
            Positions::InPlace { len, at } => &at[..usize::from(*len)],
            Positions::Apart(all) => all,
        }
    }
}

/// dunav patch: the same bytes as `#[derive(Encode)]` with fields n(0),
/// n(1), n(2), but made in a buffer and written to the encoder at once: one
/// call per number (most of the index is positions) was its largest cost.
impl<C> Encode<C> for PackedPage {
    fn encode<W: minicbor::encode::Write>(
        &self,
        e: &mut minicbor::Encoder<W>,
        _ctx: &mut C,
    ) -> Result<(), minicbor::encode::Error<W::Error>> {
        thread_local! {
            static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BYTES.with_borrow_mut(|bytes| {
            bytes.clear();
            cbor_head(bytes, ARRAY, 3);
            cbor_head(bytes, 0, self.page_number as u64);
            self.write_positions(bytes);
            e.writer_mut()
                .write_all(bytes)
                .map_err(minicbor::encode::Error::write)
        })
    }
}

pub(crate) const NEGATIVE: u8 = 0x20;
pub(crate) const TEXT: u8 = 0x60;
pub(crate) const ARRAY: u8 = 0x80;

/// A CBOR head as minicbor writes it: the major type and the shortest form of `value`.
pub(crate) fn cbor_head(out: &mut Vec<u8>, major: u8, value: u64) {
    match value {
        0..=0x17 => out.push(major | value as u8),
        0x18..=0xff => out.extend([major | 24, value as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend((value as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend((value as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend(value.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Encode)]
    struct Derived {
        #[n(0)]
        page_number: usize,
        #[n(1)]
        locs: Vec<i32>,
        #[n(2)]
        meta_locs: Vec<i32>,
    }

    #[test]
    fn a_page_of_a_word_is_small() {
        assert!(std::mem::size_of::<PackedPage>() <= 40);
    }

    #[test]
    fn hand_encoding_matches_the_derive() {
        let edges = [
            0, 1, 23, 24, 255, 256, 65535, 65536, i32::MAX, -1, -24, -25, -256, -257, -65536,
            -65537, i32::MIN,
        ];
        let long: Vec<i32> = edges.iter().copied().cycle().take(200).collect();
        // Lists kept in place and apart, and either side of the boundary.
        let mut cases = vec![(long.clone(), vec![]), (vec![], long.clone()), (long.clone(), long)];
        for body in 0..=IN_PLACE + 1 {
            for meta in 0..=IN_PLACE + 1 - body {
                cases.push((edges[..body].to_vec(), edges[edges.len() - meta..].to_vec()));
            }
        }
        for (locs, meta_locs) in cases {
            for page_number in [0, 23, 300, 70_000] {
                let page = PackedPage::new(page_number, locs.clone(), meta_locs.clone());
                assert_eq!((page.locs(), page.meta_locs()), (&locs[..], &meta_locs[..]));
                let hand = minicbor::to_vec(page).unwrap();
                let derived = minicbor::to_vec(Derived {
                    page_number,
                    locs: locs.clone(),
                    meta_locs: meta_locs.clone(),
                })
                .unwrap();
                assert_eq!(hand, derived);
            }
        }
    }
}
