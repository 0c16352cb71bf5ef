//! Sending an issue to every confirmed subscriber: a pool of workers over one
//! SMTP connection pool, a shared rate limit, retries with backoff, and the
//! journal written before and after each message.
//!
//! A delivery is marked `sending` before its SMTP transaction and `sent` after
//! it. A crash between the two leaves it `sending`; the next run queues it
//! again. So a crash re-sends at most the messages in flight: one per worker.
//! A message that cannot be built for one subscriber (a bad address) is
//! recorded as failed for that subscriber, and the send goes on.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use lettre::{Message, SmtpTransport, Transport};

use crate::build::Site;
use crate::mail::tokens::Signer;
use crate::mail::transport::{self, Refusal};
use crate::mail::{Composer, Letter, links, message};
use crate::newsletter::NewsletterError;
use crate::newsletter::email::PartsCache;
use crate::store::{Claimed, Counts, DeliveryState, Store, StoreError, SubscriberStatus};

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
        SendSettings {
            workers: smtp.pool_size.max(1) as usize,
            rate: smtp.rate,
            max_attempts: smtp.max_attempts.max(1) as i64,
            retry_base: Duration::from_millis(crate::env::retry_base_ms()),
        }
    }
}

fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// The journal's key of an issue: its name without `.md`.
pub fn issue_key(issue: &str) -> &str {
    issue.trim_end_matches(".md")
}

/// Sends an issue to every confirmed subscriber not yet served; resumable.
pub fn send_issue(
    site: &Site,
    db: &Path,
    issue: &str,
    mailer: &SmtpTransport,
    settings: &SendSettings,
    progress: &dyn Progress,
) -> Result<SendOutcome, NewsletterError> {
    let secrets = crate::env::signing_secrets()?;
    let signer = Signer::new(&secrets[0]);
    let composer = Composer::from_config(&site.config)?;
    let parts = PartsCache::new(site, issue);
    // Render once up front so that a template error stops the run before any mail.
    parts.get(&site.config.default_language, &[])?;
    let issue = issue_key(issue);
    let _only_run = lock_sending(db)?;
    let mut store = Store::open(db)?;
    store.enqueue(issue)?;
    store.skip_departed(issue)?;
    let requeued = store.requeue_in_flight(issue)?;
    if requeued > 0 {
        eprintln!(
            "resuming: {requeued} message(s) were in flight when the last run stopped; they are sent again"
        );
    }
    let held = store.requeue_held(issue)?;
    if held > 0 {
        eprintln!(
            "retrying {held} message(s) the server deferred through every attempt of the last run"
        );
    }
    let counts = store.counts(issue)?;
    progress.start(
        counts.total() as u64,
        (counts.sent + counts.failed + counts.skipped) as u64,
    );
    let run = SendRun {
        site,
        issue,
        store: Mutex::new(store),
        mailer,
        signer: &signer,
        composer: &composer,
        parts: &parts,
        settings,
        rate: RateLimit::new(settings.rate),
        progress,
        stopping: AtomicBool::new(false),
        stop: Mutex::new(None),
        // An issue some already got has shown the setup works.
        sent_any: AtomicBool::new(counts.sent > 0),
        refused_streak: AtomicUsize::new(0),
        refused_once: Mutex::new(Default::default()),
        claimed: Mutex::new(0),
        one_claimed: Condvar::new(),
    };
    std::thread::scope(|scope| {
        for _ in 0..settings.workers {
            scope.spawn(|| run.work());
        }
    });
    progress.finish();
    let stopped = run.stop.into_inner().ok().flatten();
    let store = run.store.into_inner().map_err(|_| poisoned())?;
    store.skip_departed(issue)?;
    Ok(SendOutcome {
        counts: store.counts(issue)?,
        stopped,
    })
}

/// Holds the lock that makes this the only send on `db` until dropped:
/// two runs at once would each claim what the other has in flight (after a
/// cron overlap, or a second try while the first is still going) and send
/// it twice. The system lets go of it when the process ends, even killed.
fn lock_sending(db: &Path) -> Result<std::fs::File, NewsletterError> {
    use std::io::{Read, Seek, Write};
    let path = db.with_file_name(format!(
        "{}.sending",
        db.file_name().unwrap_or_default().to_string_lossy()
    ));
    let lock_error = |e: std::io::Error| NewsletterError::Lock {
        path: path.display().to_string(),
        why: e.to_string(),
    };
    let mut file = match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    {
        Ok(file) => file,
        // Left by another user (root's cron): it locks as well read-only.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            std::fs::File::open(&path).map_err(lock_error)?
        }
        Err(e) => return Err(lock_error(e)),
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut pid = String::new();
            file.read_to_string(&mut pid).ok();
            let pid = pid.trim();
            return Err(NewsletterError::AlreadySending {
                db: db.display().to_string(),
                by: if pid.is_empty() {
                    String::new()
                } else {
                    format!(" (process {pid})")
                },
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(lock_error(e)),
    }
    // The running process's id, for the message a second run shows.
    // (A file opened read-only keeps the last writer's.)
    if file.set_len(0).is_ok() && file.rewind().is_ok() {
        write!(file, "{}", std::process::id()).ok();
    }
    Ok(file)
}

fn poisoned() -> StoreError {
    StoreError::Invalid("the journal lock was poisoned by a crashed worker".into())
}

enum Step {
    Continue,
    /// Only deferred deliveries remain; wait this long for the next retry.
    Wait(Duration),
    Done,
}

/// One run of a send: what every sending thread shares.
struct SendRun<'a> {
    site: &'a Site,
    issue: &'a str,
    store: Mutex<Store>,
    mailer: &'a SmtpTransport,
    signer: &'a Signer,
    composer: &'a Composer,
    parts: &'a PartsCache<'a>,
    settings: &'a SendSettings,
    rate: RateLimit,
    progress: &'a dyn Progress,
    stopping: AtomicBool,
    stop: Mutex<Option<String>>,
    /// A message of the issue got through (in this run or an earlier one).
    sent_any: AtomicBool,
    /// Permanent refusals since the last message that got through.
    refused_streak: AtomicUsize,
    /// Addresses refused once in this run before any message got through.
    refused_once: Mutex<std::collections::HashSet<i64>>,
    /// Deliveries claimed and not yet ended, by every worker, but for the
    /// second tries of [`SendRun::refused_once`].
    claimed: Mutex<usize>,
    /// Signalled when `claimed` goes down.
    one_claimed: Condvar,
}

/// One claimed delivery, counted in [`SendRun::claimed`] until dropped.
struct ClaimCount<'r, 'a>(&'r SendRun<'a>);

impl Drop for ClaimCount<'_, '_> {
    fn drop(&mut self) {
        if let Ok(mut claimed) = self.0.claimed.lock() {
            *claimed -= 1;
        }
        self.0.one_claimed.notify_all();
    }
}

/// A claimed delivery's message, or why it ends unsent.
enum Prepared {
    /// The message and its Message-ID.
    Ready(Message, String),
    Unsent(DeliveryState, String),
}

/// Why a worker stops the whole run.
enum Stop {
    /// The server cannot be reached: everything stays queued for the next run.
    Unreachable(String),
    /// The server was reached but the session cannot go on (no common
    /// authentication, no STARTTLS): everything stays queued too.
    Refused(String),
    Failed(NewsletterError),
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Stop {
        Stop::Failed(e.into())
    }
}

impl<'a> SendRun<'a> {
    /// One sending thread: claims, sends and records until nothing is left or the run stops.
    fn work(&self) {
        while !self.stopping.load(Ordering::SeqCst) {
            match self.step() {
                Ok(Step::Done) => break,
                Ok(Step::Continue) => {}
                Ok(Step::Wait(d)) => std::thread::sleep(d),
                Err(stop) => {
                    self.stopping.store(true, Ordering::SeqCst);
                    let why = match stop {
                        Stop::Unreachable(e) => format!(
                            "cannot reach the SMTP server {}: {e}",
                            crate::mail::transport::server_name(&self.site.config.newsletter.smtp)
                        ),
                        Stop::Refused(e) => format!(
                            "the SMTP server {} cannot be used: {e}",
                            crate::mail::transport::server_name(&self.site.config.newsletter.smtp)
                        ),
                        Stop::Failed(e) => e.to_string(),
                    };
                    if let Ok(mut s) = self.stop.lock() {
                        s.get_or_insert(why);
                    }
                }
            }
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Store>, Stop> {
        self.store.lock().map_err(|_| Stop::from(poisoned()))
    }

    fn step(&self) -> Result<Step, Stop> {
        let (claimed, first_try) = {
            let mut store = self.lock()?;
            let claimed = store.claim(self.issue, unix_now())?;
            // Counted while the store is held, so that a worker claiming
            // after this one sees it.
            let count = match &claimed {
                Some(d) if !self.is_second_try_before_any_sent(d) => Some(self.count_claim()),
                _ => None,
            };
            (claimed, count)
        };
        let Some(delivery) = claimed else {
            let next = self.lock()?.next_retry(self.issue)?;
            return Ok(match next {
                Some(at) => Step::Wait(Duration::from_millis(
                    ((at - unix_now()).max(0) as u64 * 1000).clamp(50, 5000),
                )),
                None => Step::Done,
            });
        };
        if first_try.is_none() {
            self.wait_for_first_tries();
            // Stopped while it waited: it stays queued for the next run.
            if self.stopping.load(Ordering::SeqCst) {
                self.lock()?.release(self.issue, delivery.subscriber_id)?;
                return Ok(Step::Done);
            }
        }
        match self.message_for(&delivery)? {
            Prepared::Ready(message, id) => {
                self.rate.wait();
                self.deliver(&delivery, message, &id)
            }
            Prepared::Unsent(state, why) => {
                // This one subscriber cannot be mailed (gone, or a bad address): record why.
                self.finish(&delivery, state, Some(&why), None)?;
                Ok(Step::Continue)
            }
        }
    }

    fn count_claim(&self) -> ClaimCount<'_, 'a> {
        if let Ok(mut claimed) = self.claimed.lock() {
            *claimed += 1;
        }
        ClaimCount(self)
    }

    /// A retry of an address refused once while no message had gone yet.
    fn is_second_try_before_any_sent(&self, delivery: &Claimed) -> bool {
        !self.sent_any.load(Ordering::SeqCst)
            && self
                .refused_once
                .lock()
                .is_ok_and(|ids| ids.contains(&delivery.subscriber_id))
    }

    /// Waits until no first try is in flight. A retry of a refused address
    /// waits for the messages being sent: if one of them gets through, the
    /// address is bounced, not counted as one more refusal in a row (with
    /// two workers, a list headed by dead addresses stopped while the live
    /// ones were being sent).
    fn wait_for_first_tries(&self) {
        let Ok(mut claimed) = self.claimed.lock() else {
            return;
        };
        while *claimed > 0 && !self.stopping.load(Ordering::SeqCst) {
            match self.one_claimed.wait(claimed) {
                Ok(guard) => claimed = guard,
                Err(_) => return,
            }
        }
    }

    /// The message for a claimed delivery, or the state it ends in unsent.
    fn message_for(&self, delivery: &Claimed) -> Result<Prepared, Stop> {
        let subscriber = self.lock()?.get(delivery.subscriber_id)?;
        let Some(subscriber) = subscriber.filter(|s| s.status == SubscriberStatus::Confirmed)
        else {
            // Erased, or left the list after the run began.
            return Ok(Prepared::Unsent(
                DeliveryState::Skipped,
                "no longer subscribed".into(),
            ));
        };
        let config = &self.site.config;
        let lang = if config.languages.contains_key(&subscriber.language) {
            subscriber.language.clone()
        } else {
            config.default_language.clone()
        };
        let parts = self
            .parts
            .get(&lang, &subscriber.sectors)
            .map_err(Stop::Failed)?;
        let to = match message::mailbox(subscriber.name.as_deref(), &subscriber.email) {
            Ok(to) => to,
            Err(e) => return Ok(Prepared::Unsent(DeliveryState::Failed, e.to_string())),
        };
        let links =
            links::for_subscriber(config, self.signer, subscriber.id, &subscriber.token_key);
        let (html, text) = parts.personalise(&links);
        let letter = Letter {
            to,
            subject: parts.subject.clone(),
            html: Some(html),
            text,
            unsubscribe_url: links.unsubscribe,
            lang: parts.lang.clone(),
        };
        Ok(match self.composer.compose(letter) {
            Ok((message, id)) => Prepared::Ready(message, id),
            Err(e) => Prepared::Unsent(DeliveryState::Failed, e.to_string()),
        })
    }

    fn finish(
        &self,
        delivery: &Claimed,
        state: DeliveryState,
        error: Option<&str>,
        message_id: Option<&str>,
    ) -> Result<(), Stop> {
        let store = self.lock()?;
        store.finish(self.issue, delivery.subscriber_id, state, error, message_id)?;
        if state != DeliveryState::Deferred {
            self.progress.advance();
        }
        Ok(())
    }

    fn deliver(&self, delivery: &Claimed, message: Message, id: &str) -> Result<Step, Stop> {
        match self.mailer.send(&message) {
            Ok(_) => {
                self.sent_any.store(true, Ordering::SeqCst);
                self.refused_streak.store(0, Ordering::SeqCst);
                self.finish(delivery, DeliveryState::Sent, None, Some(id))?
            }
            Err(e) if e.is_permanent() => return self.refused(delivery, &e),
            Err(e) if e.is_transient() || e.is_timeout() => {
                let attempts = delivery.attempts + 1;
                let why = transport::describe_error(&e);
                if attempts >= self.settings.max_attempts {
                    // Not failed: the next run tries it again, unless the
                    // server has deferred it for days.
                    let given_up =
                        self.lock()?
                            .hold(self.issue, delivery.subscriber_id, &why, true)?;
                    if given_up {
                        self.progress.advance();
                    }
                } else {
                    let delay =
                        self.settings.retry_base.as_millis() as i64 * (1 << (attempts - 1).min(10));
                    let retry_at = unix_now() + (delay + 999) / 1000;
                    let store = self.lock()?;
                    store.defer(self.issue, delivery.subscriber_id, &why, retry_at)?;
                }
            }
            Err(e) if transport::lacks_smtputf8(&e) => {
                // Refused before any command was sent: this server cannot take
                // an address with letters beyond ASCII. The others still can.
                let why = format!(
                    "the SMTP server does not take addresses with letters beyond ASCII (it offers no SMTPUTF8): {}",
                    transport::describe_error(&e)
                );
                self.finish(delivery, DeliveryState::Failed, Some(&why), None)?;
            }
            Err(e) => {
                // Stop, leaving this one queued for the next run.
                self.lock()?.release(self.issue, delivery.subscriber_id)?;
                let why = transport::describe_error(&e);
                return Err(if e.is_client() {
                    Stop::Refused(why)
                } else {
                    Stop::Unreachable(why)
                });
            }
        }
        Ok(Step::Continue)
    }

    /// A permanent refusal. Only one that blames the address suppresses it
    /// for later issues, and only once the issue has gone to someone (a
    /// setup problem refuses everyone). One that blames the site's login,
    /// sender or relay stops the run with every delivery still queued; one
    /// that blames the message is held for the next send, never lost; a run
    /// of refusals with no message between them stops the run.
    fn refused(
        &self,
        delivery: &Claimed,
        e: &lettre::transport::smtp::Error,
    ) -> Result<Step, Stop> {
        let why = transport::describe_error(e);
        let id = delivery.subscriber_id;
        let refusal = transport::refusal(e);
        if refusal == Refusal::Sender {
            self.lock()?.release(self.issue, id)?;
            return Err(Stop::Refused(format!(
                "{why} (the server refuses the site's login, sender address or relay; \
                 check DUNAV_SMTP_URL and [newsletter] from)"
            )));
        }
        if refusal == Refusal::Address && self.sent_any.load(Ordering::SeqCst) {
            self.finish(delivery, DeliveryState::Failed, Some(&why), None)?;
            self.lock()?.set_status(id, SubscriberStatus::Bounced)?;
            return Ok(Step::Continue);
        }
        // The first refusal of an address before any message went is tried
        // again after the queue; a refused message, or a second refusal, is
        // held for the next send.
        let first = refusal == Refusal::Address
            && self.refused_once.lock().is_ok_and(|mut ids| ids.insert(id));
        if first {
            self.lock()?.defer(self.issue, id, &why, unix_now())?;
        } else {
            self.lock()?.hold(self.issue, id, &why, false)?;
        }
        let streak = self.refused_streak.fetch_add(1, Ordering::SeqCst) + 1;
        // Dead addresses may head a list (its first, test subscribers): a
        // run of first refusals of addresses, each tried again after the
        // queue, stops only when it is five times as long.
        let limit = match first {
            true => REFUSALS_BEFORE_STOP * 5,
            false => REFUSALS_BEFORE_STOP,
        };
        if streak >= limit {
            return Err(Stop::Refused(format!(
                "it refused the last {streak} messages, with none sent between them; the last: {why}"
            )));
        }
        Ok(Step::Continue)
    }
}

/// Refusals in a row, none sent between them, that stop a run (see `SendRun::refused`).
const REFUSALS_BEFORE_STOP: usize = 10;
