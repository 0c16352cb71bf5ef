//! `dunav newsletter preview|send|status`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};
use dunav::build::{BuildOptions, Site};
use dunav::mail::{Composer, message, transport};
use dunav::newsletter::dry_run;
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
        /// The issue: its file name under content/newsletter/, e.g. 2026-12.
        issue: String,
        /// Say how many would get it, and in which language; send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Send one test copy to this address only (drafts too).
        #[arg(long)]
        to: Option<String>,
        /// The language of the test copy.
        #[arg(long)]
        lang: Option<String>,
        /// Send even a draft or an issue dated in the future.
        #[arg(long)]
        force: bool,
        /// Do not ask for confirmation (for scripts and cron).
        #[arg(long)]
        yes: bool,
    },
    /// Show an issue's delivery counts, and each failed or deferred
    /// delivery with the server's reply.
    Status {
        /// The issue: its file name under content/newsletter/, e.g. 2026-12.
        issue: String,
    },
}

pub fn run(root: &Path, args: NewsletterArgs) -> anyhow::Result<()> {
    match args.command {
        NewsletterCommand::Preview { issue, lang, out } => preview(root, &issue, lang, out),
        NewsletterCommand::Send {
            issue,
            dry_run,
            to,
            lang,
            force,
            yes,
        } => {
            if dry_run {
                dry(root, &issue)
            } else if let Some(to) = to {
                test_copy(root, &issue, &to, lang)
            } else {
                send(root, &issue, force, yes)
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
    // In the site's own (git-ignored) cache: a fixed name in a shared /tmp
    // is one another user of the machine can take first.
    let out = out.unwrap_or_else(|| {
        root.join(dunav::build::CACHE_DIR)
            .join("preview")
            .join(format!("{issue}-{}", copy.parts.lang))
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
    if copy.parts.lang != lang {
        println!("  (the issue has no {lang} translation: readers of {lang} get this one)");
    }
    for (name, _) in &files {
        println!("  {}", out.join(name).display());
    }
    Ok(())
}

fn dry(root: &Path, issue: &str) -> anyhow::Result<()> {
    let site = load_site(root)?;
    let groups = dry_run::dry_run(&site, &site.config.database_path(root), issue)?;
    let total: usize = groups.iter().map(|g| g.count).sum();
    println!("dry run: {issue} would go to {total} subscriber(s); nothing was sent");
    for g in groups {
        if g.reader == g.sent_in {
            println!("  {}: {}", g.reader, g.count);
        } else {
            println!(
                "  {}: {} (in {}: the issue has no {} translation)",
                g.reader, g.count, g.sent_in, g.reader
            );
        }
    }
    if let Err(why) = refuse_unready(&site, issue) {
        println!("note: {why}");
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
        .map_err(|e| {
            anyhow!(
                "sending the test copy to {}: {e}",
                transport::server_name(&site.config.newsletter.smtp)
            )
        })?;
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

/// A draft or a future issue goes out only with `--force`: its links would
/// lead to pages the site does not publish yet.
fn refuse_unready(site: &Site, issue: &str) -> anyhow::Result<()> {
    let lib = &site.library;
    let page = &lib.pages[dunav::content::digest::find_issue(
        lib,
        &site.config,
        issue,
        &site.config.default_language,
    )?];
    if page.meta.draft {
        bail!(
            "{} is a draft: publish it (remove `draft: true`) or send with --force",
            page.file.display()
        );
    }
    if page.is_future {
        let date = page
            .meta
            .date
            .as_ref()
            .map(|d| d.rfc3339())
            .unwrap_or_default();
        bail!(
            "{} is dated {date}, in the future: its links may lead to pages not published yet; send then, or with --force",
            page.file.display()
        );
    }
    Ok(())
}

/// On a terminal, the editor types the issue's name before `waiting` subscribers get it.
fn confirm_send(issue: &str, waiting: usize) -> anyhow::Result<()> {
    // A script that forgot --yes must not mail the list by accident.
    if !std::io::stdin().is_terminal() {
        bail!(
            "not sent: {issue} would go to {waiting} subscriber(s), and there is no terminal to confirm on\nadd --yes to send from a script or cron"
        );
    }
    print!("send {issue} to {waiting} subscriber(s)? type the issue's name ({issue}) to send: ");
    std::io::Write::flush(&mut std::io::stdout())?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if answer.trim() != issue {
        bail!("not sent: the answer was not \"{issue}\"");
    }
    Ok(())
}

fn send(root: &Path, issue: &str, force: bool, yes: bool) -> anyhow::Result<()> {
    let site = load_site(root)?;
    if !force {
        refuse_unready(&site, issue)?;
    }
    let db = site.config.database_path(root);
    let waiting: usize = dry_run::dry_run(&site, &db, issue)?
        .iter()
        .map(|g| g.count)
        .sum();
    if waiting == 0 {
        println!("{issue}: every confirmed subscriber has it already; nothing was sent");
        return Ok(());
    }
    if !yes {
        confirm_send(issue, waiting)?;
    }
    let mailer = transport::connect(&site.config.newsletter.smtp)?;
    let settings = SendSettings::from_site(&site);
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
        return Err(StillWaiting.into());
    }
    Ok(())
}

/// A send that leaves deliveries for a later run: it exits with sendmail's
/// "try again later" status (75, EX_TEMPFAIL), so that a script or a cron
/// job can tell it from both success and failure.
#[derive(Debug, thiserror::Error)]
#[error("some messages are still waiting")]
pub struct StillWaiting;

impl StillWaiting {
    pub const EXIT_STATUS: u8 = 75;
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
    let key = sender::issue_key(issue);
    let counts = store.counts(key)?;
    let name = key.trim_start_matches("newsletter/");
    let file = root.join("content/newsletter").join(format!("{name}.md"));
    if counts.total() == 0 && !file.exists() {
        bail!(
            "no newsletter issue content/newsletter/{name}.md, and nothing was sent as {name}\nissues: {}",
            issue_files(root, &config).join(", ")
        );
    }
    print_counts(issue, &counts);
    // Who did not get it, and what their server said: the owner's to act on.
    for (email, state, error) in store.problems(key)? {
        println!("  {email}\t{state}\t{error}");
    }
    Ok(())
}

/// The issues' names as files say them (without loading the content), newest name first.
fn issue_files(root: &Path, config: &dunav::config::SiteConfig) -> Vec<String> {
    let translated = |stem: &str| {
        config
            .languages
            .keys()
            .any(|l| stem.ends_with(&format!(".{l}")))
    };
    let mut names: Vec<String> = std::fs::read_dir(root.join("content/newsletter"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".md")?.to_string();
            (stem != "_index" && !translated(&stem)).then_some(stem)
        })
        .collect();
    names.sort_by(|a, b| b.cmp(a));
    names
}
