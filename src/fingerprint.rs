//! Fingerprints: 64-bit hashes that say whether an input or an output changed
//! between two builds of the dev server.

use std::hash::{DefaultHasher, Hash, Hasher};

/// The hash of one value.
pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Combines values into one fingerprint, in order.
#[derive(Default)]
pub struct Fingerprint(DefaultHasher);

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
