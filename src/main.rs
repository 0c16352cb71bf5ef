//! The `dunav` command. The command layer lives in the binary: library code
//! cannot reach it.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cli::run(cli::Cli::parse())
}

// glibc's malloc showed up at 10–15% of a 10,000-page build profile, mostly
// in contention between rayon threads; mimalloc halves that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
