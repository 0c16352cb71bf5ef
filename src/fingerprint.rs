//! Fingerprints: 64-bit hashes that say whether an input or an output changed
//! between two builds of the dev server.
//!
//! foldhash with a fixed seed: the same value gives the same fingerprint in
//! every run of one binary (the highlight memo's stamp outlives the process),
//! and it is several times faster than std's SipHash, which was a fifth of a
//! body edit's time at 10,000 pages. Nothing here needs a keyed hash: a
//! fingerprint only decides what to render again.

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::quality::{FixedState, FoldHasher};

const SEED: u64 = 0x6475_6e61_7621;

/// The hasher of fingerprints and of the maps keyed by output path.
pub type Fixed = FixedState;

pub fn hasher() -> Fixed {
    FixedState::with_seed(SEED)
}

/// The hash of one value.
pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    hasher().hash_one(value)
}

/// Combines values into one fingerprint, in order.
pub struct Fingerprint(FoldHasher<'static>);

impl Default for Fingerprint {
    fn default() -> Fingerprint {
        Fingerprint(hasher().build_hasher())
    }
}

impl Fingerprint {
    pub fn new() -> Fingerprint {
        Fingerprint::default()
    }

    pub fn with<T: Hash + ?Sized>(mut self, value: &T) -> Fingerprint {
        value.hash(&mut self.0);
        self
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// A 128-bit hash of what `feed` writes, hashed twice with independent
/// seeds: a key for a memo whose entries must never be confused (short of
/// a 128-bit collision).
pub fn wide(feed: impl Fn(&mut dyn Hasher)) -> u128 {
    const SEEDS: [u64; 2] = [0x6461_7465_0000_0001, 0x9e37_79b9_7f4a_7c15];
    let [low, high] = SEEDS.map(|seed| {
        let mut hash = FixedState::with_seed(seed).build_hasher();
        feed(&mut hash);
        hash.finish()
    });
    u128::from(high) << 64 | u128::from(low)
}
