//! The `dunav` command. The command layer lives in the binary: library code
//! cannot reach it.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    cli::run(cli::Cli::parse())
}

/// `dunav subscribers list | head` closes the pipe early: the reader has all
/// it wants, so dunav stops quietly, as ripgrep does, instead of `println!`'s
/// panic and backtrace.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

// glibc's malloc showed up at 10–15% of a 10,000-page build profile, mostly
// in contention between rayon threads; mimalloc halves that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
