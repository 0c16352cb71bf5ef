//! The confirmation mail of a signup (double opt-in): built by the same
//! message builder as the newsletter, so it is signed and carries the same
//! headers, and sent by a worker from the durable queue in the store, so
//! that the answer to a signup never waits for (or tells of) the mail server.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use lettre::{Message, Transport};

use crate::mail::{Letter, MailError, links, message, transport};
use crate::store::ConfirmationMail;
use crate::subscriptions::ServiceState;

/// The mail that confirms a signup.
fn compose(state: &ServiceState, mail: &ConfirmationMail) -> Result<Message, MailError> {
    let config = &state.site.config;
    let lang = state.lang_or_default(Some(&mail.language));
    let (link, cancel) = links::for_signup(
        config,
        &state.signer,
        mail.signup,
        &mail.token_key,
        mail.expires_at,
    );
    let title = config.title(&lang);
    let text = format!(
        "{}\n\n{link}\n\n-- \n{title}\n{}\n",
        state
            .string(&lang, "confirm_mail_text")
            .replace("{site}", config.short_name(&lang)),
        config.base()
    );
    let letter = Letter {
        // The address alone: a name typed into a public form is anyone's
        // text, and this mail goes out before its owner has agreed to it.
        to: message::mailbox(None, &mail.email)?,
        subject: format!("{} · {title}", state.string(&lang, "confirm_mail_subject")),
        text,
        html: None,
        // Nobody is subscribed yet: the mail client's "unsubscribe" withdraws the signup.
        unsubscribe_url: cancel,
        lang: lang.to_string(),
    };
    Ok(state.composer.compose(letter)?.0)
}

/// Sends queued confirmation mails until the service stops; wakes on a new
/// signup, or when the next retry is due.
pub fn run_worker(state: Arc<ServiceState>, wakeups: Receiver<()>) {
    if let Ok(store) = state.store.lock() {
        let _ = store.requeue_confirmations();
    }
    while !state.is_stopping() {
        let claimed = state.store.lock().ok().and_then(|mut store| {
            let _ = store.purge_expired_signups();
            store.claim_confirmation().ok().flatten()
        });
        if let Some(mail) = claimed {
            deliver(&state, &mail);
            continue;
        }
        let next = state
            .store
            .lock()
            .ok()
            .and_then(|s| s.next_confirmation_at().ok().flatten());
        let now = jiff::Timestamp::now().as_second();
        let wait = next.map_or(60, |at| (at - now).clamp(0, 60)) as u64;
        match wakeups.recv_timeout(Duration::from_secs(wait.max(1))) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
}

/// Whether a confirmation mail that did not go is tried again.
#[derive(PartialEq)]
enum Retry {
    /// The message cannot be made, or the address takes no mail.
    Never,
    /// The recipient's server deferred it: a few more times.
    Few,
    /// The site's own setup or network failed (the server unreachable, the
    /// login or sender refused): the visitor is not to blame, so the mail
    /// waits until the owner fixes it or the signup expires.
    UntilFixed,
}

impl Retry {
    fn after(e: &lettre::transport::smtp::Error) -> Retry {
        let why = transport::describe_error(e);
        if e.is_permanent() {
            match transport::refusal(e) {
                transport::Refusal::Sender => Retry::UntilFixed,
                _ => Retry::Never,
            }
        } else if e.is_transient() {
            // A 4xx about the recipient (`4.1.x`, `4.2.x`: greylisting, a
            // mistyped domain) gets a few tries; one about the site's
            // relay (421, a quota, `4.3`/`4.4`/`4.7`) waits for it.
            match transport::enhanced_status(&why) {
                Some((_, 1 | 2, _)) => Retry::Few,
                _ => Retry::UntilFixed,
            }
        } else if transport::lacks_smtputf8(e) {
            // This server cannot take an address with letters beyond ASCII.
            Retry::Never
        } else {
            // The network, the connection, TLS, the login, a timeout.
            Retry::UntilFixed
        }
    }
}

/// The longest wait between two tries of a confirmation mail.
const MAX_RETRY_DELAY_S: i64 = 600;

/// Sends one mail and records the outcome; the log names the signup, never the address.
fn deliver(state: &ServiceState, mail: &ConfirmationMail) {
    let outcome = match compose(state, mail) {
        Err(e) => Err((e.to_string(), Retry::Never)),
        Ok(message) => match state.mailer.send(&message) {
            Ok(_) => Ok(()),
            Err(e) => Err((transport::describe_error(&e), Retry::after(&e))),
        },
    };
    let max_attempts = i64::from(state.site.config.newsletter.smtp.max_attempts.max(1));
    let record = match &outcome {
        Ok(()) => Ok(()),
        Err((why, retry))
            if *retry == Retry::UntilFixed
                || (*retry == Retry::Few && mail.attempts + 1 < max_attempts) =>
        {
            let delay_ms = crate::env::retry_base_ms() as i64 * (1 << mail.attempts.min(10));
            let delay_s = ((delay_ms + 999) / 1000).min(MAX_RETRY_DELAY_S);
            let retry_at = jiff::Timestamp::now().as_second() + delay_s;
            eprintln!(
                "confirmation mail for signup {}: will retry: {why}",
                mail.signup
            );
            Err((why.as_str(), Some(retry_at)))
        }
        Err((why, _)) => {
            eprintln!(
                "confirmation mail for signup {}: failed: {why}",
                mail.signup
            );
            Err((why.as_str(), None))
        }
    };
    if let Ok(store) = state.store.lock() {
        let _ = store.confirmation_done(mail.signup, record);
    }
}
