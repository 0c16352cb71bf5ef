//! The one message builder: every mail dunav sends gets the same From,
//! Reply-To, List-Id, List-Unsubscribe (RFC 2369, RFC 8058), Message-ID and
//! MIME headers, and a DKIM signature when a key is configured.

use lettre::Message;
use lettre::message::dkim::DkimConfig;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};

use crate::config::SiteConfig;
use crate::mail::{ListIdentity, MailError, dkim};

/// One message before it is built.
pub struct Letter {
    pub to: Mailbox,
    pub subject: String,
    pub text: String,
    /// With an HTML part the mail is `multipart/alternative`; else plain text.
    pub html: Option<String>,
    /// The recipient's one-click unsubscribe link.
    pub unsubscribe_url: String,
    /// The mail's language: it names the sender and the list in it.
    pub lang: String,
}

/// Builds and signs messages for one list.
pub struct Composer {
    pub identity: ListIdentity,
    dkim: Option<DkimConfig>,
}

impl Composer {
    pub fn new(identity: ListIdentity, dkim: Option<DkimConfig>) -> Composer {
        Composer { identity, dkim }
    }

    /// The list identity from site.toml and the DKIM key from the environment.
    pub fn from_config(config: &SiteConfig) -> Result<Composer, MailError> {
        let placeholders = config.placeholders();
        if !placeholders.is_empty() {
            return Err(MailError::Placeholders(placeholders));
        }
        let identity = ListIdentity::from_config(config)?;
        let dkim = dkim::from_env(&identity.domain)?;
        Ok(Composer::new(identity, dkim))
    }

    /// The message and its Message-ID.
    pub fn compose(&self, letter: Letter) -> Result<(Message, String), MailError> {
        let id = &self.identity;
        let message_id = id.message_id();
        let mut builder = Message::builder()
            .from(id.from_in(&letter.lang))
            .to(letter.to)
            .subject(letter.subject)
            .date_now()
            .message_id(Some(message_id.clone()));
        if let Some(reply_to) = &id.reply_to {
            builder = builder.reply_to(reply_to.clone());
        }
        if !id.list_id.is_empty() {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Id"),
                list_id(id.list_name_in(&letter.lang), &id.list_id),
            ));
        }
        let mut unsubscribe = format!("<{}>", letter.unsubscribe_url);
        if let Some(mailto) = &id.unsubscribe_mailto {
            unsubscribe.push_str(&format!(", <mailto:{mailto}?subject=unsubscribe>"));
        }
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                unsubscribe,
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
        let built = match letter.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(letter.text, html)),
            None => builder.singlepart(SinglePart::plain(letter.text)),
        };
        let mut message = built.map_err(|e| MailError::Build(e.to_string()))?;
        if let Some(config) = &self.dkim {
            message.sign(config);
        }
        Ok((message, message_id))
    }
}

/// `List-Id` (RFC 2919). A name beyond ASCII goes unquoted: lettre writes
/// it as encoded words, and quotes would be encoded into the name.
fn list_id(name: &str, id: &str) -> String {
    let name = name.replace(['"', '\\', '<', '>', '\r', '\n'], "");
    if name.is_empty() {
        format!("<{id}>")
    } else if name.is_ascii() {
        format!("\"{name}\" <{id}>")
    } else {
        format!("{name} <{id}>")
    }
}

/// A recipient's mailbox. A display name can never break the header: control
/// characters (a CR/LF injection) become spaces.
pub fn mailbox(name: Option<&str>, email: &str) -> Result<Mailbox, MailError> {
    let address = email
        .parse()
        .map_err(|_| MailError::Address(email.to_string()))?;
    let name = name
        .map(|n| {
            n.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
                .trim()
                .to_string()
        })
        .filter(|n| !n.is_empty());
    Ok(Mailbox::new(name, address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_line_breaks_cannot_add_headers() {
        let m = mailbox(Some("Ivan\r\nBcc: x@evil.example"), "ivan@example.org").unwrap();
        let shown = m.to_string();
        assert!(!shown.contains('\r') && !shown.contains('\n'), "{shown}");
    }
}
