//! Builds a site's search bundle alone, several times, for profiling the
//! search step without the rest of the build around it:
//!
//!     cargo run --release --example search_index -- SITE_DIR [RUNS] [cold]
//!
//! Prints each run's time and the bundle's file count and size.

use std::time::Instant;

use dunav::build::{BuildOptions, load};
use dunav::output::search;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let Some(root) = args.get(1) else {
        anyhow::bail!("usage: search_index SITE_DIR [RUNS] [cold]");
    };
    let runs: usize = args.get(2).map(|r| r.parse()).transpose()?.unwrap_or(3);
    // `cold`: every page prepared, as in a first build; otherwise the site's
    // cache of prepared pages is used (and written).
    let cached = args.get(3).map(String::as_str) != Some("cold");
    let site = load(&BuildOptions::new(root)).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    for run in 1..=runs {
        let started = Instant::now();
        let sources = site.search_sources();
        let cache = cached.then(|| site.search_cache_path());
        let pages = sources.len();
        let files = search::bundle(sources, cache.as_deref(), search::Reuse::Kept)
            .map_err(anyhow::Error::msg)?;
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        println!(
            "run {run}: {} pages, {} files, {:.1} MB in {:.0} ms",
            pages,
            files.len(),
            bytes as f64 / 1e6,
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

// As in the `dunav` binary: the allocator is a good part of this step's cost.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
