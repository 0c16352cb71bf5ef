//! `dunav newsletter preview|send|status`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};
use dunav::build::{BuildOptions, Site};
use dunav::mail::{Composer, message, transport};
use dunav::newsletter::sample::sample_copy;
use dunav::newsletter::sender::{self, Progress, SendSettings};
use dunav::store::{Counts, Store};
use indicatif::{ProgressBar, ProgressStyle};
use lettre::Transport;

#[derive(Debug, Args)]
pub struct NewsletterArgs {
    #[command(subcommand)]
    pub command: NewsletterCommand,
}

#[derive(Debug, Subcommand)]
pub enum NewsletterCommand {
    /// Write the HTML part, the text part and the whole .eml of an issue.
    Preview {
        /// The issue: its file name under content/newsletter/, e.g. 2026-12.
        issue: String,
        /// The language to preview (default: the site's default).
        #[arg(long)]
        lang: Option<String>,
        /// Where to write (default: a folder under the system's temp folder).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Send an issue to every confirmed subscriber (resumable).
    Send {
        issue: String,
        /// Say how many would get it, and in which language; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Send one test copy to this address only.
        #[arg(long)]
        to: Option<String>,
        /// The language of the test copy.
        #[arg(long)]
        lang: Option<String>,
    },
    /// Show an issue's delivery counts.
    Status { issue: String },
}

pub fn run(root: &Path, args: NewsletterArgs) -> anyhow::Result<()> {
    match args.command {
        NewsletterCommand::Preview { issue, lang, out } => preview(root, &issue, lang, out),
        NewsletterCommand::Send {
            issue,
            dry_run,
            to,
            lang,
        } => {
            if dry_run {
                dry(root, &issue)
            } else if let Some(to) = to {
                test_copy(root, &issue, &to, lang)
            } else {
                send(root, &issue)
            }
        }
        NewsletterCommand::Status { issue } => status(root, &issue),
    }
}

/// The site as mail sees it: future pages included, since issues are written ahead.
fn load_site(root: &Path) -> anyhow::Result<Site> {
    Ok(dunav::build::load(&BuildOptions::for_mail(root))?)
}

fn preview(
    root: &Path,
    issue: &str,
    lang: Option<String>,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let site = load_site(root)?;
    let lang = lang.unwrap_or_else(|| site.config.default_language.clone());
    let to = message::mailbox(Some("Preview"), "preview@example.org")?;
    // A preview is never sent: it is not signed.
    let composer = Composer::new(dunav::mail::ListIdentity::from_config(&site.config)?, None);
    let copy = sample_copy(&site, &composer, issue, &lang, to, "PREVIEW", "")?;
    let out = out.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("dunav-preview-{issue}-{}", copy.parts.lang))
    });
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let files = [
        ("digest.html", copy.parts.html.into_bytes()),
        ("digest.txt", copy.parts.text.into_bytes()),
        ("digest.eml", copy.message.formatted()),
    ];
    for (name, bytes) in &files {
        std::fs::write(out.join(name), bytes)
            .with_context(|| format!("cannot write {}", out.join(name).display()))?;
    }
    println!(
        "preview of {issue} in {} ({} KB of HTML):",
        copy.parts.lang,
        files[0].1.len().div_ceil(1024)
    );
    for (name, _) in &files {
        println!("  {}", out.join(name).display());
    }
    Ok(())
}

fn dry(root: &Path, issue: &str) -> anyhow::Result<()> {
    let site = load_site(root)?;
    let by_lang = sender::dry_run(&site, &site.config.database_path(root), issue)?;
    let total: usize = by_lang.iter().map(|(_, n)| n).sum();
    println!("dry run: {issue} would go to {total} subscriber(s); nothing was sent");
    for (lang, n) in by_lang {
        println!("  {lang}: {n}");
    }
    Ok(())
}

fn test_copy(root: &Path, issue: &str, to: &str, lang: Option<String>) -> anyhow::Result<()> {
    let site = load_site(root)?;
    let lang = lang.unwrap_or_else(|| site.config.default_language.clone());
    let mailbox = to
        .parse()
        .map_err(|e| anyhow!("\"{to}\" is not an email address: {e}"))?;
    let composer = Composer::from_config(&site.config)?;
    // The prefix in the reader's language: an all-capital "[TEST]" before
    // Cyrillic reads as a shouting subject to SpamAssassin (SUBJ_ALL_CAPS).
    let prefix = format!("[{}] ", site.string(&lang, "test_copy"));
    let copy = sample_copy(&site, &composer, issue, &lang, mailbox, "TEST", &prefix)?;
    transport::connect(&site.config.newsletter.smtp)?
        .send(&copy.message)
        .map_err(|e| anyhow!("sending the test copy: {e}"))?;
    println!("sent a test copy of {issue} ({}) to {to}", copy.parts.lang);
    Ok(())
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, total: u64, done: u64) {
        self.0.set_length(total);
        self.0.set_position(done);
    }
    fn advance(&self) {
        self.0.inc(1);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

fn progress_bar() -> Bar {
    if !std::io::stderr().is_terminal() {
        return Bar(ProgressBar::hidden());
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} sent · {per_sec} · eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    Bar(bar)
}

fn send(root: &Path, issue: &str) -> anyhow::Result<()> {
    let site = load_site(root)?;
    let mailer = transport::connect(&site.config.newsletter.smtp)?;
    let settings = SendSettings::from_site(&site);
    let db = site.config.database_path(root);
    let bar = progress_bar();
    let outcome = sender::send_issue(&site, &db, issue, &mailer, &settings, &bar)?;
    mailer.shutdown();
    print_counts(issue, &outcome.counts);
    if let Some(why) = outcome.stopped {
        bail!(
            "{why}\nthe send stopped; everything is recorded: run `dunav newsletter send {issue}` again to resume"
        );
    }
    if outcome.counts.deferred > 0 || outcome.counts.queued > 0 {
        println!(
            "some messages are still waiting: run `dunav newsletter send {issue}` again later"
        );
    }
    Ok(())
}

fn print_counts(issue: &str, c: &Counts) {
    println!(
        "{issue}: {} sent, {} failed, {} deferred, {} skipped, {} queued, {} in flight",
        c.sent, c.failed, c.deferred, c.skipped, c.queued, c.sending
    );
}

fn status(root: &Path, issue: &str) -> anyhow::Result<()> {
    let config = crate::cli::load_config(root)?;
    let store = Store::open(&config.database_path(root))?;
    let counts = store.counts(sender::issue_key(issue))?;
    print_counts(issue, &counts);
    Ok(())
}
