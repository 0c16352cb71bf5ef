use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dunav::cli::Cli::parse();
    dunav::cli::run(cli)
}
