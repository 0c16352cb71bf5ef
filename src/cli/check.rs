//! `dunav check`: everything a build checks, links included, drafts and
//! scheduled pages too (their problems marked); writes nothing.

use std::path::Path;

use clap::Args;
use dunav::build::{self, BuildOptions};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check only what `dunav build` would publish now (no drafts, nothing scheduled).
    #[arg(long)]
    pub published_only: bool,
    /// Check as if published under another base URL.
    #[arg(long)]
    pub base_url: Option<String>,
}

pub fn run(root: &Path, args: CheckArgs) -> anyhow::Result<()> {
    let everything = !args.published_only;
    let options = BuildOptions {
        drafts: everything,
        future: everything,
        checking: everything,
        base_url: args.base_url,
        ..BuildOptions::new(root)
    };
    crate::cli::build::stop_on_a_render_that_does_not_end();
    let report = build::check(&options)?;
    report.warnings.print_warnings(true);
    println!(
        "checked {} pages and {} files in {:.2} s: no errors{}",
        report.pages,
        report.files,
        report.elapsed.as_secs_f64(),
        if everything {
            " (drafts and scheduled pages included)"
        } else {
            ""
        }
    );
    if let Some(next) = report.next_future {
        println!("next future page is due at {next}: rebuild then to publish it");
    }
    Ok(())
}
