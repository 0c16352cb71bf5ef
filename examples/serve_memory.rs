//! What `dunav serve` holds after its first build, without the server around
//! it: the process's resident memory, and the served outputs' size as kept.
//!
//!     cargo run --release --example serve_memory -- SITE_DIR
//!
//! The search index is not built (the server builds it on a worker later).

use std::path::Path;

use dunav::output::Stored;
use dunav::serve::ServeState;
use dunav::serve::rebuild::{Changes, Rebuilder};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let Some(root) = std::env::args().nth(1) else {
        anyhow::bail!("usage: serve_memory SITE_DIR");
    };
    let state = ServeState::new();
    let started = std::time::Instant::now();
    let mut rebuilder = Rebuilder::new(Path::new(&root));
    let everything = Changes {
        config: true,
        ..Changes::default()
    };
    if let Err(problems) = rebuilder.rebuild(&everything, &state, "http://127.0.0.1:1111") {
        problems.print_failure();
        anyhow::bail!("the site did not build");
    }
    let millis = started.elapsed().as_secs_f64() * 1000.0;
    dunav::memory::give_back();
    let served = state
        .served
        .read()
        .map_err(|_| anyhow::anyhow!("poisoned"))?;
    let (mut plain, mut packed) = (0, 0);
    for stored in served.files.values() {
        match stored {
            Stored::Plain(bytes) => plain += bytes.len(),
            Stored::Packed(bytes, _) => packed += bytes.len(),
            Stored::OnDisk(_) => {}
        }
    }
    println!(
        "{} outputs in {millis:.0} ms: {:.1} MB compressed pages, {:.1} MB other files; {} MB resident",
        served.files.len(),
        packed as f64 / 1e6,
        plain as f64 / 1e6,
        dunav::timing::memory_mb().map_or(0, |(held, _)| held)
    );
    Ok(())
}
