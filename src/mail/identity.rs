//! Who the mail is from: the From and Reply-To mailboxes, the list's
//! `List-Id`, and Message-IDs that say nothing about the recipient.

use lettre::message::Mailbox;

use crate::config::SiteConfig;
use crate::mail::MailError;

/// The sender and list identity from `[newsletter]`.
#[derive(Debug, Clone)]
pub struct ListIdentity {
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    /// `List-Id` identifier, e.g. `news.didih.bg`.
    pub list_id: String,
    /// The list's name in `List-Id`: the site's title in the default language.
    pub list_name: String,
    pub unsubscribe_mailto: Option<String>,
    /// The From address's domain: Message-IDs and DKIM use it.
    pub domain: String,
}

impl ListIdentity {
    pub fn from_config(config: &SiteConfig) -> Result<ListIdentity, MailError> {
        let n = &config.newsletter;
        let from: Mailbox = n.from.parse().map_err(|e| MailError::Config {
            field: "from",
            value: n.from.clone(),
            why: format!("{e}"),
        })?;
        let reply_to = match &n.reply_to {
            Some(r) => Some(r.parse().map_err(|e| MailError::Config {
                field: "reply_to",
                value: r.clone(),
                why: format!("{e}"),
            })?),
            None => None,
        };
        let domain = from.email.domain().to_string();
        let list_name = config.title(&config.default_language).to_string();
        Ok(ListIdentity {
            list_id: if n.list_id.is_empty() {
                format!("newsletter.{domain}")
            } else {
                n.list_id.clone()
            },
            list_name,
            from,
            reply_to,
            unsubscribe_mailto: n.unsubscribe_mailto.clone(),
            domain,
        })
    }

    /// A new Message-ID: random, so it reveals neither the recipient nor the list's size.
    pub fn message_id(&self) -> String {
        format!(
            "<{}.{}@{}>",
            crate::random::hex(12),
            jiff::Timestamp::now().as_second(),
            self.domain
        )
    }
}
