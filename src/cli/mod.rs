//! The command line: one file per command, each parsing its arguments,
//! calling into the library and printing the outcome.

mod build;
mod check;
mod init;
mod new;
mod newsletter;
mod serve;
mod subscribers;
mod subscriptions;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dunav::diagnostics::BuildFailed;

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
        env = dunav::env::ROOT.name
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
    Check(check::CheckArgs),
    /// Write a new content file with front matter and a transliterated name.
    New(new::NewArgs),
    /// Serve the site with live reload while you edit.
    Serve(serve::ServeArgs),
    /// Create a new site with the default theme.
    Init(init::InitArgs),
    /// Preview, send and follow newsletter issues.
    Newsletter(newsletter::NewsletterArgs),
    /// Manage subscribers: add, import, export, list, count, remove, restore, erase.
    Subscribers(subscribers::SubscribersArgs),
    /// The signup service the site's newsletter form posts to.
    Subscriptions(subscriptions::SubscriptionsArgs),
    /// Removes a previous output a build set aside (run by `build` itself).
    #[command(name = build::REMOVE_SET_ASIDE, hide = true)]
    RemoveSetAside { folder: PathBuf },
}

/// Runs a command and turns its outcome into an exit code.
pub fn run(mut cli: Cli) -> ExitCode {
    let writes_the_site = matches!(cli.command, Command::Build(_));
    let every_warning = matches!(cli.command, Command::Check(_));
    let result = dunav::env::now()
        .map_err(anyhow::Error::from)
        .and_then(|_| site_here(&mut cli))
        .and_then(|_| match cli.command {
            Command::Build(args) => build::run(&cli.root, args),
            Command::Check(args) => check::run(&cli.root, args),
            Command::New(args) => new::run(&cli.root, args),
            Command::Serve(args) => serve::run(&cli.root, args),
            Command::Init(args) => init::run(args),
            Command::Newsletter(args) => newsletter::run(&cli.root, args),
            Command::Subscribers(args) => subscribers::run(&cli.root, args),
            Command::Subscriptions(args) => subscriptions::run(&cli.root, args),
            Command::RemoveSetAside { folder } => build::remove_set_aside(&folder),
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Said on stdout already, with what to run next.
        Err(e) if e.is::<newsletter::StillWaiting>() => {
            ExitCode::from(newsletter::StillWaiting::EXIT_STATUS)
        }
        Err(e) => {
            if let Some(failed) = e.downcast_ref::<BuildFailed>() {
                failed.0.print_errors();
                failed.0.print_warnings(every_warning);
                let written = if writes_the_site {
                    "; nothing was written"
                } else {
                    ""
                };
                eprintln!("error: {failed}{written}");
            } else {
                eprintln!("error: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Every command but `init` works on a site: without `--root`, the nearest
/// folder up from here with a site.toml (as git and cargo look), so that
/// `dunav check` works from `content/news/` too; say so plainly when there is none.
fn site_here(cli: &mut Cli) -> anyhow::Result<()> {
    let config = cli.root.join(dunav::config::CONFIG_FILE);
    if matches!(
        cli.command,
        Command::Init(_) | Command::RemoveSetAside { .. }
    ) || config.exists()
    {
        return Ok(());
    }
    if cli.root == std::path::Path::new(".") {
        let here = std::env::current_dir()?;
        if let Some(site) = here
            .ancestors()
            .find(|dir| dir.join(dunav::config::CONFIG_FILE).is_file())
        {
            cli.root = site.to_path_buf();
            return Ok(());
        }
    }
    anyhow::bail!(
        "no site in {}: there is no site.toml\n       run `dunav init DIR` for a new site, or pass --root DIR",
        std::path::absolute(&cli.root)
            .unwrap_or_else(|_| cli.root.clone())
            .display()
    )
}

/// Loads site.toml alone, for commands that need no content.
fn load_config(root: &std::path::Path) -> anyhow::Result<dunav::config::SiteConfig> {
    dunav::config::SiteConfig::load(root)
        .map_err(|d| anyhow::Error::from(BuildFailed(dunav::diagnostics::Diagnostics(d))))
}
