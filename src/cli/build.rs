//! `dunav build` and `dunav check`.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::site::{self, BuildOptions, BuildReport};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the site (default: public/ in the site folder).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub selection: SelectionArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,
}

/// What to include, shared by build and check.
#[derive(Debug, Args, Clone)]
pub struct SelectionArgs {
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Include pages dated in the future.
    #[arg(long)]
    pub future: bool,
    /// Publish under another base URL than site.toml's (e.g. for a preview).
    #[arg(long)]
    pub base_url: Option<String>,
}

impl SelectionArgs {
    pub fn options(&self, root: &Path) -> BuildOptions {
        BuildOptions {
            drafts: self.drafts,
            future: self.future,
            base_url: self.base_url.clone(),
            ..BuildOptions::new(root)
        }
    }
}

pub fn build(root: &Path, args: BuildArgs) -> anyhow::Result<()> {
    let output = args.output.unwrap_or_else(|| root.join("public"));
    let report = site::build(&args.selection.options(root), &output)?;
    print_warnings(&report);
    println!(
        "built {} pages, {} files into {} in {:.2} s",
        report.pages,
        report.files,
        output.display(),
        report.elapsed.as_secs_f64()
    );
    print_next_future(&report);
    Ok(())
}

pub fn check(root: &Path, args: CheckArgs) -> anyhow::Result<()> {
    let report = site::check(&args.selection.options(root))?;
    print_warnings(&report);
    println!(
        "checked {} pages and {} files in {:.2} s: no errors",
        report.pages,
        report.files,
        report.elapsed.as_secs_f64()
    );
    print_next_future(&report);
    Ok(())
}

fn print_warnings(report: &BuildReport) {
    for w in report.warnings.warnings() {
        eprintln!("{w}");
    }
}

fn print_next_future(report: &BuildReport) {
    if let Some(next) = report.next_future {
        println!("next future page is due at {next}: rebuild then to publish it");
    }
}
