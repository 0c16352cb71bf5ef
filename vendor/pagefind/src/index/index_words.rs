use minicbor::Encode;

/// The word index chunks in `pagefind/index/`

/// A single word index chunk: `pagefind/index/*.pf_index`
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
/// dunav patch: encoded by hand (below), as the derive did it.
#[derive(Clone, Debug)]
pub struct PackedPage {
    pub page_number: usize, // Won't exceed u32 but saves us some into()s
    pub locs: Vec<i32>,
    pub meta_locs: Vec<i32>,
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
            for numbers in [&self.locs, &self.meta_locs] {
                cbor_head(bytes, ARRAY, numbers.len() as u64);
                for &n in numbers.iter() {
                    if n >= 0 {
                        cbor_head(bytes, 0, n as u64);
                    } else {
                        cbor_head(bytes, NEGATIVE, (-1 - i64::from(n)) as u64);
                    }
                }
            }
            e.writer_mut()
                .write_all(bytes)
                .map_err(minicbor::encode::Error::write)
        })
    }
}

const NEGATIVE: u8 = 0x20;
const ARRAY: u8 = 0x80;

/// A CBOR head as minicbor writes it: the major type and the shortest form of `value`.
fn cbor_head(out: &mut Vec<u8>, major: u8, value: u64) {
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
    fn hand_encoding_matches_the_derive() {
        let edges = [
            0, 1, 23, 24, 255, 256, 65535, 65536, i32::MAX, -1, -24, -25, -256, -257, -65536,
            -65537, i32::MIN,
        ];
        let locs: Vec<i32> = edges.iter().copied().cycle().take(200).collect();
        for (locs, meta_locs) in [(locs.clone(), vec![]), (vec![], locs.clone()), (locs.clone(), locs)] {
            for page_number in [0, 23, 300, 70_000] {
                let hand = minicbor::to_vec(PackedPage {
                    page_number,
                    locs: locs.clone(),
                    meta_locs: meta_locs.clone(),
                })
                .unwrap();
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
