//! The confirmation mail of a signup (double opt-in), built by the same
//! message builder as the newsletter, so it is signed and carries the same headers.

use lettre::Transport;

use crate::mail::tokens::CONFIRM_SECONDS;
use crate::mail::{Letter, links, message};
use crate::store::Subscriber;
use crate::subscriptions::ServiceState;

/// Sends a pending subscriber the link that confirms their signup.
pub fn send(state: &ServiceState, subscriber: &Subscriber) -> Result<(), String> {
    let config = &state.site.config;
    let lang = state.lang_or_default(Some(&subscriber.language));
    let expires = jiff::Timestamp::now().as_second() + CONFIRM_SECONDS;
    let link = links::confirm(
        config,
        &state.signer,
        subscriber.id,
        &subscriber.token_key,
        expires,
    );
    let unsubscribe =
        links::for_subscriber(config, &state.signer, subscriber.id, &subscriber.token_key)
            .unsubscribe;
    let title = config
        .languages
        .get(&lang)
        .map(|l| l.title.clone())
        .unwrap_or_default();
    let text = format!(
        "{}\n\n{link}\n\n-- \n{title}\n{}\n",
        state.string(&lang, "confirm_mail_text"),
        config.base()
    );
    let to = message::mailbox(subscriber.name.as_deref(), &subscriber.email)
        .map_err(|e| e.to_string())?;
    let letter = Letter {
        to,
        subject: format!("{} · {title}", state.string(&lang, "confirm_mail_subject")),
        text,
        html: None,
        unsubscribe_url: unsubscribe,
    };
    let (mail, _) = state.composer.compose(letter).map_err(|e| e.to_string())?;
    state
        .mailer
        .send(&mail)
        .map_err(|e| format!("sending the confirmation to the SMTP server: {e}"))?;
    Ok(())
}
