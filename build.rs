//! Gives the binary a fingerprint of what it is compiled from (its source,
//! the vendored crates, the default theme, the locked dependencies, the
//! compiler and its flags) as `DUNAV_SOURCE_PRINT`. What a build keeps in
//! `.dunav-cache` is stamped with it: a dunav compiled again from the same
//! source (a CI runner's fresh checkout) reads what the last one kept,
//! although its bytes differ (rustc's output is not byte for byte the same
//! from one compilation to the next).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

const INPUTS: [&str; 6] = [
    "Cargo.toml",
    "Cargo.lock",
    "build.rs",
    "src",
    "vendor",
    "themes/dunav",
];

const ENV: [&str; 7] = [
    "RUSTC",
    "TARGET",
    "PROFILE",
    "OPT_LEVEL",
    "DEBUG",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_CFG_TARGET_FEATURE",
];

fn main() {
    let mut hash = DefaultHasher::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        hash_tree(Path::new(input), &mut hash);
    }
    for var in ENV {
        println!("cargo:rerun-if-env-changed={var}");
        std::env::var(var).ok().hash(&mut hash);
    }
    // The crate's own features.
    let mut features: Vec<String> = std::env::vars()
        .map(|(name, _)| name)
        .filter(|name| name.starts_with("CARGO_FEATURE_"))
        .collect();
    features.sort();
    features.hash(&mut hash);
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|out| out.stdout)
        .unwrap_or_default();
    version.hash(&mut hash);
    println!("cargo:rustc-env=DUNAV_SOURCE_PRINT={:016x}", hash.finish());
}

/// The names and bytes of the files under `path`, in a fixed order.
fn hash_tree(path: &Path, hash: &mut DefaultHasher) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if meta.is_file() {
        path.hash(hash);
        std::fs::read(path).unwrap_or_default().hash(hash);
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let mut children: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    children.sort();
    for child in children {
        hash_tree(&child, hash);
    }
}
