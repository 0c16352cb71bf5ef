//! The `dunav` command. The command layer lives in the binary: library code
//! cannot reach it.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    cli::run(cli::Cli::parse())
}

/// `dunav subscribers list | head` closes the pipe early: dunav stops
/// quietly instead of `println!`'s panic and backtrace, with the status a
/// program stopped by SIGPIPE has (141), so that a script that pipes `send`
/// into a reader that died does not take it for success.
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
            std::process::exit(141);
        }
        default(info);
    }));
}

// glibc's malloc showed up at 10–15% of a 10,000-page build profile, mostly
// in contention between rayon threads; mimalloc halves that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
