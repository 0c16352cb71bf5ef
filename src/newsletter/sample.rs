//! One copy of an issue for someone not on the list: the preview (its parts
//! only, in the dev server; a whole unsigned message from the CLI) and the
//! test copy, with stand-in links that act on no one.

use lettre::Message;
use lettre::message::Mailbox;

use crate::build::Site;
use crate::mail::{Composer, Letter, links};
use crate::newsletter::NewsletterError;
use crate::newsletter::email::PartsCache;

/// An issue's two parts for one reader outside the list.
pub struct SampleParts {
    pub subject: String,
    pub html: String,
    pub text: String,
    /// The language the issue came out in (its fallback when not translated).
    pub lang: String,
    pub unsubscribe_url: String,
}

/// An issue as a whole message for one reader outside the list.
pub struct SampleCopy {
    pub message: Message,
    pub parts: SampleParts,
}

/// Renders `issue` in `lang`; `token` stands in for a subscriber's tokens.
pub fn sample_parts(
    site: &Site,
    issue: &str,
    lang: &str,
    token: &str,
) -> Result<SampleParts, NewsletterError> {
    let parts = PartsCache::new(site, issue).get(lang, &[])?;
    let links = links::sample(&site.config, token);
    let (html, text) = parts.personalise(&links);
    Ok(SampleParts {
        subject: parts.subject.clone(),
        html,
        text,
        lang: parts.lang.clone(),
        unsubscribe_url: links.unsubscribe,
    })
}

/// [`sample_parts`] built into a message for `to`; `subject_prefix` marks
/// the copy (e.g. "[Test] ").
pub fn sample_copy(
    site: &Site,
    composer: &Composer,
    issue: &str,
    lang: &str,
    to: Mailbox,
    token: &str,
    subject_prefix: &str,
) -> Result<SampleCopy, NewsletterError> {
    let parts = sample_parts(site, issue, lang, token)?;
    let letter = Letter {
        to,
        subject: format!("{subject_prefix}{}", parts.subject),
        html: Some(parts.html.clone()),
        text: parts.text.clone(),
        unsubscribe_url: parts.unsubscribe_url.clone(),
        lang: parts.lang.clone(),
    };
    let (message, _) = composer.compose(letter)?;
    Ok(SampleCopy { message, parts })
}
