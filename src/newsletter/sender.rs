//! Sending an issue to every confirmed subscriber: a pool of workers over one
//! SMTP connection pool, a shared rate limit, retries with backoff, and the
//! journal written before and after each message.
//!
//! A delivery is marked `sending` before its SMTP transaction and `sent` after
//! it. A crash between the two leaves it `sending`; the next run queues it
//! again. So a crash re-sends at most the messages in flight: one per worker.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use lettre::message::Mailbox;
use lettre::transport::smtp::PoolConfig;
use lettre::{SmtpTransport, Transport};

use crate::newsletter::digest;
use crate::newsletter::email::{self, EmailParts, ListHeaders};
use crate::newsletter::journal::{Counts, Journal, State};
use crate::site::{BuildOptions, Site};
use crate::subscribers::store::Store;
use crate::subscribers::tokens::{Purpose, Signer};

/// The environment variables the mailer reads its secrets from.
pub const SMTP_URL_VAR: &str = "DUNAV_SMTP_URL";
pub const SECRET_VAR: &str = "DUNAV_SECRET";
pub const DKIM_KEY_VAR: &str = "DUNAV_DKIM_KEY";
pub const DKIM_SELECTOR_VAR: &str = "DUNAV_DKIM_SELECTOR";

/// Loads a site for mailing: future pages included, since issues are written ahead.
pub fn load_site(root: &Path) -> anyhow::Result<Site> {
    let options = BuildOptions {
        future: true,
        ..BuildOptions::new(root)
    };
    crate::site::load(&options).map_err(|failed| {
        crate::cli::print_diagnostics(&failed.0);
        anyhow!("{failed}")
    })
}

/// The site secret from `DUNAV_SECRET`; tokens in mail are signed with it.
pub fn secret() -> anyhow::Result<Vec<u8>> {
    match std::env::var(SECRET_VAR) {
        Ok(s) if s.len() >= 16 => Ok(s.into_bytes()),
        Ok(_) => bail!("{SECRET_VAR} must be at least 16 characters long"),
        Err(_) => bail!(
            "set {SECRET_VAR} to a long random string (e.g. `openssl rand -hex 32`); it signs the links in mail"
        ),
    }
}

/// The SMTP transport from `DUNAV_SMTP_URL`, else `[newsletter.smtp] url`.
pub fn transport(site: &Site) -> anyhow::Result<SmtpTransport> {
    let smtp = &site.config.newsletter.smtp;
    let url = std::env::var(SMTP_URL_VAR)
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| smtp.url.clone())
        .ok_or_else(|| {
            anyhow!("no SMTP server: set {SMTP_URL_VAR} or [newsletter.smtp] url in site.toml")
        })?;
    let builder = SmtpTransport::from_url(&url)
        .map_err(|e| anyhow!("{SMTP_URL_VAR}: cannot use \"{}\": {e}", redact(&url)))?;
    Ok(builder
        .timeout(Some(Duration::from_secs(smtp.timeout_seconds.max(1))))
        .pool_config(
            PoolConfig::new()
                .max_size(smtp.pool_size.max(1))
                .min_idle(0),
        )
        .build())
}

/// A URL with its password hidden, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// The list headers from `[newsletter]`.
pub struct ListIdentity {
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    pub list_id: String,
    pub unsubscribe_mailto: Option<String>,
    pub domain: String,
}

impl ListIdentity {
    pub fn from_site(site: &Site) -> anyhow::Result<ListIdentity> {
        let n = &site.config.newsletter;
        let from: Mailbox = n
            .from
            .parse()
            .map_err(|e| anyhow!("site.toml [newsletter] from = \"{}\": {e}", n.from))?;
        let reply_to = match &n.reply_to {
            Some(r) => Some(
                r.parse()
                    .map_err(|e| anyhow!("site.toml [newsletter] reply_to = \"{r}\": {e}"))?,
            ),
            None => None,
        };
        let domain = from.email.domain().to_string();
        Ok(ListIdentity {
            list_id: if n.list_id.is_empty() {
                format!("newsletter.{domain}")
            } else {
                n.list_id.clone()
            },
            from,
            reply_to,
            unsubscribe_mailto: n.unsubscribe_mailto.clone(),
            domain,
        })
    }

    pub fn headers<'a>(&'a self, list_name: &'a str) -> ListHeaders<'a> {
        ListHeaders {
            from: &self.from,
            reply_to: self.reply_to.as_ref(),
            list_id: &self.list_id,
            list_name,
            unsubscribe_mailto: self.unsubscribe_mailto.as_deref(),
        }
    }
}

/// The DKIM configuration from `DUNAV_DKIM_KEY` (a key file) and `DUNAV_DKIM_SELECTOR`.
pub fn dkim_from_env(domain: &str) -> anyhow::Result<Option<lettre::message::dkim::DkimConfig>> {
    let Some(path) = std::env::var_os(DKIM_KEY_VAR).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let selector = std::env::var(DKIM_SELECTOR_VAR)
        .map_err(|_| anyhow!("{DKIM_KEY_VAR} is set but {DKIM_SELECTOR_VAR} is not"))?;
    let pem = std::fs::read_to_string(&path)
        .with_context(|| format!("{DKIM_KEY_VAR}: cannot read {}", Path::new(&path).display()))?;
    Ok(Some(email::dkim_config(&pem, &selector, domain)?))
}

/// Links for one subscriber.
pub struct SubscriberLinks {
    pub unsubscribe: String,
    pub preferences: String,
}

/// The unsubscribe and preferences URLs with this subscriber's tokens.
pub fn subscriber_links(site: &Site, signer: &Signer, id: i64, key: &str) -> SubscriberLinks {
    let base = subscriptions_base(site);
    SubscriberLinks {
        unsubscribe: format!(
            "{base}/unsubscribe?token={}",
            signer.sign(Purpose::Unsubscribe, id, 0, key)
        ),
        preferences: format!(
            "{base}/preferences?token={}",
            signer.sign(Purpose::Preferences, id, 0, key)
        ),
    }
}

/// The public URL of the subscriptions service.
pub fn subscriptions_base(site: &Site) -> String {
    let configured = site.config.subscriptions.public_url.trim_end_matches('/');
    if configured.is_empty() {
        site.config.absolute_url("/subscriptions")
    } else {
        configured.to_string()
    }
}

/// A language and a choice of sectors: subscribers who share one get the same parts.
type PartsKey = (String, Vec<String>);

/// Renders an issue per (language, sectors), each once.
pub struct PartsCache<'a> {
    site: &'a Site,
    issue: String,
    cache: Mutex<HashMap<PartsKey, Arc<EmailParts>>>,
}

impl<'a> PartsCache<'a> {
    pub fn new(site: &'a Site, issue: &str) -> PartsCache<'a> {
        PartsCache {
            site,
            issue: issue.to_string(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, lang: &str, sectors: &[String]) -> anyhow::Result<Arc<EmailParts>> {
        let key = (lang.to_string(), sectors.to_vec());
        if let Some(parts) = self
            .cache
            .lock()
            .map_err(|_| anyhow!("cache poisoned"))?
            .get(&key)
        {
            return Ok(parts.clone());
        }
        let lib = &self.site.library;
        let issue = digest::find_issue(lib, &self.site.config, &self.issue, lang)?;
        let digest = digest::collect(lib, &self.site.config, issue, sectors)?;
        let parts = Arc::new(email::render(self.site, &digest)?);
        self.cache
            .lock()
            .map_err(|_| anyhow!("cache poisoned"))?
            .insert(key, parts.clone());
        Ok(parts)
    }
}

/// How a send went.
#[derive(Debug, Clone)]
pub struct SendOutcome {
    pub counts: Counts,
    /// Set when the run stopped early (the server could not be reached).
    pub stopped: Option<String>,
}

/// Spaces messages out to at most `rate` per second across all workers.
struct RateLimit {
    interval: Option<Duration>,
    next: Mutex<Instant>,
}

impl RateLimit {
    fn new(rate: f64) -> RateLimit {
        let interval = (rate > 0.0).then(|| Duration::from_secs_f64(1.0 / rate));
        RateLimit {
            interval,
            next: Mutex::new(Instant::now()),
        }
    }

    fn wait(&self) {
        let Some(interval) = self.interval else {
            return;
        };
        let slot = {
            let Ok(mut next) = self.next.lock() else {
                return;
            };
            let slot = (*next).max(Instant::now());
            *next = slot + interval;
            slot
        };
        let now = Instant::now();
        if slot > now {
            std::thread::sleep(slot - now);
        }
    }
}

/// What a progress display is told.
pub trait Progress: Sync {
    fn start(&self, total: u64, done: u64);
    fn advance(&self);
    fn finish(&self);
}

/// No display (tests, pipes).
pub struct Quiet;
impl Progress for Quiet {
    fn start(&self, _: u64, _: u64) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

/// Settings of one run.
pub struct SendSettings {
    pub workers: usize,
    pub rate: f64,
    pub max_attempts: i64,
    /// First retry delay; doubled per attempt.
    pub retry_base: Duration,
}

impl SendSettings {
    pub fn from_site(site: &Site) -> SendSettings {
        let smtp = &site.config.newsletter.smtp;
        let retry_ms = std::env::var("DUNAV_RETRY_BASE_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(30_000);
        SendSettings {
            workers: smtp.pool_size.max(1) as usize,
            rate: smtp.rate,
            max_attempts: smtp.max_attempts.max(1) as i64,
            retry_base: Duration::from_millis(retry_ms),
        }
    }
}

fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Sends an issue to every confirmed subscriber not yet served; resumable.
pub fn send_issue(
    site: &Site,
    db: &Path,
    issue: &str,
    mailer: &SmtpTransport,
    settings: &SendSettings,
    progress: &dyn Progress,
) -> anyhow::Result<SendOutcome> {
    let secret = secret()?;
    let signer = Signer::new(&secret);
    let identity = ListIdentity::from_site(site)?;
    let dkim = dkim_from_env(&identity.domain)?;
    let parts = PartsCache::new(site, issue);
    // Render once up front so that a template error stops the run before any mail.
    parts.get(&site.config.default_language, &[])?;
    let issue_key = issue.trim_end_matches(".md").to_string();
    let mut store = Store::open(db)?;
    store.enqueue(&issue_key)?;
    store.skip_departed(&issue_key)?;
    let requeued = store.requeue_in_flight(&issue_key)?;
    if requeued > 0 {
        eprintln!(
            "resuming: {requeued} message(s) were in flight when the last run stopped; they are sent again"
        );
    }
    let counts = store.counts(&issue_key)?;
    progress.start(
        counts.total() as u64,
        (counts.sent + counts.failed + counts.skipped) as u64,
    );
    let store = Mutex::new(store);
    let stop: Mutex<Option<String>> = Mutex::new(None);
    let stopping = AtomicBool::new(false);
    let rate = RateLimit::new(settings.rate);
    let list_title = site
        .config
        .languages
        .get(&site.config.default_language)
        .map(|l| l.title.clone())
        .unwrap_or_default();

    std::thread::scope(|scope| {
        for _ in 0..settings.workers {
            scope.spawn(|| {
                let worker = Worker {
                    site,
                    issue: &issue_key,
                    store: &store,
                    mailer,
                    signer: &signer,
                    identity: &identity,
                    list_title: &list_title,
                    dkim: dkim.as_ref(),
                    parts: &parts,
                    settings,
                    rate: &rate,
                    progress,
                };
                while !stopping.load(Ordering::SeqCst) {
                    match worker.step() {
                        Ok(Step::Done) => break,
                        Ok(Step::Continue) => {}
                        Ok(Step::Wait(d)) => std::thread::sleep(d),
                        Err(e) => {
                            stopping.store(true, Ordering::SeqCst);
                            if let Ok(mut s) = stop.lock() {
                                s.get_or_insert(format!("{e:#}"));
                            }
                        }
                    }
                }
            });
        }
    });
    progress.finish();
    let store = store
        .into_inner()
        .map_err(|_| anyhow!("journal lock poisoned"))?;
    store.skip_departed(&issue_key)?;
    Ok(SendOutcome {
        counts: store.counts(&issue_key)?,
        stopped: stop.into_inner().ok().flatten(),
    })
}

enum Step {
    Continue,
    /// Only deferred deliveries remain; wait this long for the next retry.
    Wait(Duration),
    Done,
}

struct Worker<'a> {
    site: &'a Site,
    issue: &'a str,
    store: &'a Mutex<Store>,
    mailer: &'a SmtpTransport,
    signer: &'a Signer,
    identity: &'a ListIdentity,
    list_title: &'a str,
    dkim: Option<&'a lettre::message::dkim::DkimConfig>,
    parts: &'a PartsCache<'a>,
    settings: &'a SendSettings,
    rate: &'a RateLimit,
    progress: &'a dyn Progress,
}

impl Worker<'_> {
    fn lock(&self) -> anyhow::Result<std::sync::MutexGuard<'_, Store>> {
        self.store
            .lock()
            .map_err(|_| anyhow!("journal lock poisoned"))
    }

    fn step(&self) -> anyhow::Result<Step> {
        let claimed = self.lock()?.claim(self.issue, unix_now())?;
        let Some(delivery) = claimed else {
            let next = self.lock()?.next_retry(self.issue)?;
            return Ok(match next {
                Some(at) => Step::Wait(Duration::from_millis(
                    ((at - unix_now()).max(0) as u64 * 1000).clamp(50, 5000),
                )),
                None => Step::Done,
            });
        };
        let subscriber = self.lock()?.get(delivery.subscriber_id)?;
        let Some(subscriber) =
            subscriber.filter(|s| s.status == crate::subscribers::SubscriberStatus::Confirmed)
        else {
            // Erased, or left the list after the run began.
            self.lock()?.finish(
                self.issue,
                delivery.subscriber_id,
                State::Skipped,
                Some("no longer subscribed"),
                None,
            )?;
            return Ok(Step::Continue);
        };
        let lang = if self
            .site
            .config
            .languages
            .contains_key(&subscriber.language)
        {
            subscriber.language.clone()
        } else {
            self.site.config.default_language.clone()
        };
        let parts = self.parts.get(&lang, &subscriber.sectors)?;
        let links = subscriber_links(self.site, self.signer, subscriber.id, &subscriber.token_key);
        let (html, text) = parts.personalise(&links.unsubscribe, &links.preferences);
        let message_id = format!(
            "<{}.{}.{}@{}>",
            self.issue,
            subscriber.id,
            unix_now(),
            self.identity.domain
        );
        let to = Mailbox::new(
            subscriber.name.clone(),
            subscriber
                .email
                .parse()
                .map_err(|e| anyhow!("{}: {e}", subscriber.email))?,
        );
        let letter = email::Letter {
            to,
            subject: parts.subject.clone(),
            html,
            text,
            unsubscribe_url: links.unsubscribe.clone(),
            message_id: message_id.clone(),
        };
        let message =
            email::build_message(&self.identity.headers(self.list_title), letter, self.dkim)?;
        self.rate.wait();
        match self.mailer.send(&message) {
            Ok(_) => {
                self.lock()?.finish(
                    self.issue,
                    subscriber.id,
                    State::Sent,
                    None,
                    Some(&message_id),
                )?;
                self.progress.advance();
            }
            Err(e) if e.is_permanent() => {
                // A 5xx: the address does not take mail; suppress it for later issues.
                let store = self.lock()?;
                store.finish(
                    self.issue,
                    subscriber.id,
                    State::Failed,
                    Some(&e.to_string()),
                    None,
                )?;
                store.set_status(subscriber.id, crate::subscribers::SubscriberStatus::Bounced)?;
                self.progress.advance();
            }
            Err(e) if e.is_transient() || e.is_timeout() => {
                let attempts = delivery.attempts + 1;
                let store = self.lock()?;
                if attempts >= self.settings.max_attempts {
                    store.finish(
                        self.issue,
                        subscriber.id,
                        State::Failed,
                        Some(&e.to_string()),
                        None,
                    )?;
                    self.progress.advance();
                } else {
                    let delay =
                        self.settings.retry_base.as_millis() as i64 * (1 << (attempts - 1).min(10));
                    let retry_at = unix_now() + (delay + 999) / 1000;
                    store.defer(self.issue, subscriber.id, &e.to_string(), retry_at)?;
                }
            }
            Err(e) => {
                // The server cannot be reached: stop, leaving this one queued for the next run.
                self.lock()?.release(self.issue, subscriber.id)?;
                bail!("cannot reach the SMTP server: {e}");
            }
        }
        Ok(Step::Continue)
    }
}

/// How many would receive the issue, by language, without sending.
pub fn dry_run(site: &Site, db: &Path, issue: &str) -> anyhow::Result<Vec<(String, usize)>> {
    let store = Store::open(db)?;
    let mut by_lang: HashMap<String, usize> = HashMap::new();
    let issue_key = issue.trim_end_matches(".md");
    let sent: std::collections::HashSet<i64> = {
        let mut stmt = store.conn.prepare("SELECT subscriber_id FROM deliveries WHERE issue = ?1 AND state IN ('sent', 'failed', 'skipped')")?;
        let rows = stmt.query_map([issue_key], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for s in store.list(Some(crate::subscribers::SubscriberStatus::Confirmed))? {
        if sent.contains(&s.id) {
            continue;
        }
        let issue_idx = digest::find_issue(&site.library, &site.config, issue, &s.language)?;
        *by_lang
            .entry(site.library.pages[issue_idx].lang.clone())
            .or_default() += 1;
    }
    let mut out: Vec<(String, usize)> = by_lang.into_iter().collect();
    out.sort();
    Ok(out)
}
