//! The command line: argument parsing only, then a call into the library.

pub mod build;
pub mod init;
pub mod new;
pub mod newsletter;
pub mod serve;
pub mod subscribers;
pub mod subscriptions;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostics::{BuildFailed, Diagnostics};

/// A static site generator and newsletter mailer for bilingual news sites.
#[derive(Debug, Parser)]
#[command(name = "dunav", version, about, long_about = None)]
pub struct Cli {
    /// The site's folder (where site.toml is).
    #[arg(
        long,
        short = 'r',
        global = true,
        default_value = ".",
        env = "DUNAV_ROOT"
    )]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output).
    Build(build::BuildArgs),
    /// Check everything a build checks, links included; writes nothing.
    Check(build::CheckArgs),
    /// Write a new content file with front matter and a transliterated name.
    New(new::NewArgs),
    /// Serve the site with live reload while you edit.
    Serve(serve::ServeArgs),
    /// Create a new site with the default theme.
    Init(init::InitArgs),
    /// Preview, send and follow newsletter issues.
    Newsletter(newsletter::NewsletterArgs),
    /// Manage subscribers: add, import, export, list, count, remove, erase.
    Subscribers(subscribers::SubscribersArgs),
    /// The signup service the site's newsletter form posts to.
    Subscriptions(subscriptions::SubscriptionsArgs),
}

/// Runs a command and turns its outcome into an exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Build(args) => build::build(&cli.root, args),
        Command::Check(args) => build::check(&cli.root, args),
        Command::New(args) => new::run(&cli.root, args),
        Command::Serve(args) => serve::run(&cli.root, args),
        Command::Init(args) => init::run(args),
        Command::Newsletter(args) => newsletter::run(&cli.root, args),
        Command::Subscribers(args) => subscribers::run(&cli.root, args),
        Command::Subscriptions(args) => subscriptions::run(&cli.root, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(failed) = e.downcast_ref::<BuildFailed>() {
                print_diagnostics(&failed.0);
                eprintln!("error: {failed}");
            } else {
                eprintln!("error: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Prints problems to stderr, errors and warnings alike, in file order.
pub fn print_diagnostics(diagnostics: &Diagnostics) {
    for d in &diagnostics.0 {
        eprintln!("{d}");
    }
}
