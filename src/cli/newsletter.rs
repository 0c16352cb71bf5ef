//! `dunav newsletter preview|send|status`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use lettre::Transport;
use lettre::message::Mailbox;

use crate::newsletter::email;
use crate::newsletter::journal::{Counts, Journal};
use crate::newsletter::sender::{self, ListIdentity, PartsCache, Progress, SendSettings};
use crate::subscribers::store::Store;

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

/// One copy of an issue for someone not on the list: a preview or a test.
struct SampleCopy {
    message: lettre::Message,
    html: String,
    text: String,
    lang: String,
}

/// Renders an issue for `to`, with `token` standing in for a subscriber's links.
fn sample_copy(
    site: &crate::site::Site,
    issue: &str,
    lang: &str,
    to: Mailbox,
    token: &str,
    subject_prefix: &str,
    dkim: Option<&lettre::message::dkim::DkimConfig>,
) -> anyhow::Result<SampleCopy> {
    let parts = PartsCache::new(site, issue).get(lang, &[])?;
    let identity = ListIdentity::from_site(site)?;
    let base = sender::subscriptions_base(site);
    let unsubscribe = format!("{base}/unsubscribe?token={token}");
    let (html, text) =
        parts.personalise(&unsubscribe, &format!("{base}/preferences?token={token}"));
    let title = site
        .config
        .languages
        .get(lang)
        .map(|l| l.title.clone())
        .unwrap_or_default();
    let letter = email::Letter {
        to,
        subject: format!("{subject_prefix}{}", parts.subject),
        html: html.clone(),
        text: text.clone(),
        unsubscribe_url: unsubscribe,
        message_id: format!(
            "<{}.{issue}.{}@{}>",
            token.to_lowercase(),
            jiff::Timestamp::now().as_second(),
            identity.domain
        ),
    };
    let message = email::build_message(&identity.headers(&title), letter, dkim)?;
    Ok(SampleCopy {
        message,
        html,
        text,
        lang: parts.lang.clone(),
    })
}

fn preview(
    root: &Path,
    issue: &str,
    lang: Option<String>,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let site = sender::load_site(root)?;
    let lang = lang.unwrap_or_else(|| site.config.default_language.clone());
    let to: Mailbox = "Preview <preview@example.org>"
        .parse()
        .map_err(|e| anyhow!("{e}"))?;
    let copy = sample_copy(&site, issue, &lang, to, "PREVIEW", "", None)?;
    let out = out.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("dunav-preview-{issue}-{}", copy.lang))
    });
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let files = [
        ("digest.html", copy.html.into_bytes()),
        ("digest.txt", copy.text.into_bytes()),
        ("digest.eml", copy.message.formatted()),
    ];
    for (name, bytes) in &files {
        std::fs::write(out.join(name), bytes)
            .with_context(|| format!("cannot write {}", out.join(name).display()))?;
    }
    println!(
        "preview of {issue} in {} ({} KB of HTML):",
        copy.lang,
        files[0].1.len().div_ceil(1024)
    );
    for (name, _) in &files {
        println!("  {}", out.join(name).display());
    }
    Ok(())
}

fn db_path(root: &Path) -> anyhow::Result<PathBuf> {
    let config = crate::config::SiteConfig::load(root)
        .map_err(|d| anyhow!("{}", crate::diagnostics::Diagnostics(d)))?;
    Ok(config.database_path(root))
}

fn dry(root: &Path, issue: &str) -> anyhow::Result<()> {
    let site = sender::load_site(root)?;
    let by_lang = sender::dry_run(&site, &site.config.database_path(root), issue)?;
    let total: usize = by_lang.iter().map(|(_, n)| n).sum();
    println!("dry run: {issue} would go to {total} subscriber(s); nothing was sent");
    for (lang, n) in by_lang {
        println!("  {lang}: {n}");
    }
    Ok(())
}

fn test_copy(root: &Path, issue: &str, to: &str, lang: Option<String>) -> anyhow::Result<()> {
    let site = sender::load_site(root)?;
    let lang = lang.unwrap_or_else(|| site.config.default_language.clone());
    let mailbox: Mailbox = to
        .parse()
        .map_err(|e| anyhow!("\"{to}\" is not an email address: {e}"))?;
    let domain = ListIdentity::from_site(&site)?.domain;
    let dkim = sender::dkim_from_env(&domain)?;
    let copy = sample_copy(
        &site,
        issue,
        &lang,
        mailbox,
        "TEST",
        "[TEST] ",
        dkim.as_ref(),
    )?;
    sender::transport(&site)?
        .send(&copy.message)
        .map_err(|e| anyhow!("sending the test copy: {e}"))?;
    println!("sent a test copy of {issue} ({}) to {to}", copy.lang);
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

fn send(root: &Path, issue: &str) -> anyhow::Result<()> {
    let site = sender::load_site(root)?;
    let mailer = sender::transport(&site)?;
    let settings = SendSettings::from_site(&site);
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} sent · {per_sec} · eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Bar(bar)
    } else {
        Bar(ProgressBar::hidden())
    };
    let outcome = sender::send_issue(
        &site,
        &site.config.database_path(root),
        issue,
        &mailer,
        &settings,
        &bar,
    )?;
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
    let store = Store::open(&db_path(root)?)?;
    let counts = store.counts(issue.trim_end_matches(".md"))?;
    print_counts(issue, &counts);
    Ok(())
}
