//! One copy of an issue for someone not on the list: the preview files and
//! the test copy, with stand-in links that act on no one.

use lettre::Message;
use lettre::message::Mailbox;

use crate::build::Site;
use crate::mail::{Composer, Letter, links};
use crate::newsletter::NewsletterError;
use crate::newsletter::email::PartsCache;

/// An issue rendered for one reader outside the list.
pub struct SampleCopy {
    pub message: Message,
    pub html: String,
    pub text: String,
    /// The language the issue came out in (its fallback when not translated).
    pub lang: String,
}

/// Renders `issue` in `lang` for `to`; `token` stands in for a subscriber's
/// tokens and `subject_prefix` marks the copy (e.g. "[Test] ").
pub fn sample_copy(
    site: &Site,
    composer: &Composer,
    issue: &str,
    lang: &str,
    to: Mailbox,
    token: &str,
    subject_prefix: &str,
) -> Result<SampleCopy, NewsletterError> {
    let parts = PartsCache::new(site, issue).get(lang, &[])?;
    let links = links::sample(&site.config, token);
    let (html, text) = parts.personalise(&links);
    let letter = Letter {
        to,
        subject: format!("{subject_prefix}{}", parts.subject),
        html: Some(html.clone()),
        text: text.clone(),
        unsubscribe_url: links.unsubscribe,
    };
    let (message, _) = composer.compose(letter)?;
    Ok(SampleCopy {
        message,
        html,
        text,
        lang: parts.lang.clone(),
    })
}
