//! `dunav build`: the site into public/ (or --output), swapped in whole.

use std::path::{Path, PathBuf};

use clap::Args;
use dunav::build::{self, BuildOptions, BuildReport};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Where to write the site (default: public/ in the site folder).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Render every output from the files themselves. Without it, a build
    /// reuses each file of the last build whose inputs (content, templates,
    /// site.toml) are unchanged, and the Markdown it rendered.
    #[arg(long)]
    pub full: bool,
    #[command(flatten)]
    pub selection: SelectionArgs,
}

/// What to include, shared by build and check.
#[derive(Debug, Args, Clone)]
pub struct SelectionArgs {
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Include pages dated in the future, and those past their `expiry_date`.
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

pub fn run(root: &Path, args: BuildArgs) -> anyhow::Result<()> {
    let output = args.output.unwrap_or_else(|| root.join("public"));
    let options = BuildOptions {
        full: args.full,
        ..args.selection.options(root)
    };
    // Said here, not as an error "in the site's files": the sources are fine.
    if let Err(why) = dunav::output::place::check_replaceable(root, &output) {
        anyhow::bail!("--output {}: {why}", output.display());
    }
    stop_on_a_render_that_does_not_end();
    let report = build::build(&options, &output)?;
    report.warnings.print_warnings(false);
    println!(
        "built {} pages, {} files into {} in {:.2} s",
        report.pages,
        report.files,
        output.display(),
        report.elapsed.as_secs_f64()
    );
    print_next_future(&report);
    if let Some(old) = &report.set_aside {
        dunav::output::staging::remove_in_background(old, REMOVE_SET_ASIDE);
    }
    Ok(())
}

/// The hidden command that removes a previous output in the background.
pub const REMOVE_SET_ASIDE: &str = "remove-set-aside";

/// Stops the process, with an error naming the page, when one page's render
/// runs past `DUNAV_RENDER_TIMEOUT`: it would never end otherwise, and a
/// running render cannot be stopped. The output folder is left as it was
/// (the build writes beside it and swaps only at the end).
pub fn stop_on_a_render_that_does_not_end() {
    let limit = dunav::env::render_timeout();
    dunav::render::watchdog::start(limit, move |what| {
        eprintln!(
            "error: rendering {what} has run for {} s; does a loop in the template never end?\n       \
             nothing was published; set DUNAV_RENDER_TIMEOUT for a page that needs longer",
            limit.as_secs()
        );
        std::process::exit(1);
    });
}

pub fn remove_set_aside(folder: &Path) -> anyhow::Result<()> {
    // Only what a build set aside: this command is not a general `rm -r`.
    anyhow::ensure!(
        dunav::output::staging::is_set_aside(folder),
        "{} is not an output a build set aside",
        folder.display()
    );
    // Work nobody waits for: it gives way to a build or server that runs meanwhile.
    #[cfg(unix)]
    let _ = rustix::process::nice(19);
    dunav::output::staging::remove_tree(folder)?;
    Ok(())
}

/// Says what was left out, and when a scheduled page becomes due, so that
/// a timer can rebuild then.
pub fn print_next_future(report: &BuildReport) {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let left = report.left_out;
    let parts: Vec<(String, &str)> = [
        (
            left.drafts,
            plural(left.drafts, "draft", "drafts"),
            "--drafts",
        ),
        (
            left.scheduled,
            plural(
                left.scheduled,
                "page dated in the future",
                "pages dated in the future",
            ),
            "--future",
        ),
        (
            left.expired,
            plural(left.expired, "expired page", "expired pages"),
            "--future",
        ),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(_, text, flag)| (text, flag))
    .collect();
    if !parts.is_empty() {
        let (texts, mut flags): (Vec<String>, Vec<&str>) = parts.into_iter().unzip();
        flags.dedup();
        let verb = if flags.len() == 1 {
            "includes"
        } else {
            "include"
        };
        println!(
            "left out {} ({} {verb} them)",
            texts.join(" and "),
            flags.join(", ")
        );
    }
    if let Some(next) = report.next_future {
        println!("next future page is due at {next}: rebuild then to publish it");
    }
    if let Some(next) = report.next_expiry {
        println!("next page expires at {next}: rebuild then to take it down");
    }
}
