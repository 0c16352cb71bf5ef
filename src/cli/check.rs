//! `dunav check`: everything a build checks, links included; writes nothing.

use std::path::Path;

use clap::Args;
use dunav::build;

use crate::cli::build::{SelectionArgs, print_next_future};

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
}

pub fn run(root: &Path, args: CheckArgs) -> anyhow::Result<()> {
    let report = build::check(&args.selection.options(root))?;
    report.warnings.print_warnings();
    println!(
        "checked {} pages and {} files in {:.2} s: no errors",
        report.pages,
        report.files,
        report.elapsed.as_secs_f64()
    );
    print_next_future(&report);
    Ok(())
}
