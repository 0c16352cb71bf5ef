//! The SMTP connection pool, from `DUNAV_SMTP_URL` or `[newsletter.smtp] url`.

use std::time::Duration;

use lettre::SmtpTransport;
use lettre::transport::smtp::PoolConfig;

use crate::config::SmtpConfig;
use crate::mail::MailError;

/// The SMTP transport: `DUNAV_SMTP_URL` (which may hold credentials), else site.toml's URL.
pub fn connect(smtp: &SmtpConfig) -> Result<SmtpTransport, MailError> {
    let url = crate::env::smtp_url()
        .or_else(|| smtp.url.clone())
        .ok_or(MailError::NoServer)?;
    let builder = SmtpTransport::from_url(&url).map_err(|e| MailError::BadServer {
        url: redact(&url),
        why: format!("{e}{}", url_hint(&url)),
    })?;
    Ok(builder
        .timeout(Some(Duration::from_secs(smtp.timeout_seconds.max(1))))
        .pool_config(
            PoolConfig::new()
                .max_size(smtp.pool_size.max(1))
                .min_idle(0),
        )
        .build())
}

/// The server mail goes to and where that was set, for messages that say
/// which server could not be reached (its password hidden).
pub fn server_name(smtp: &SmtpConfig) -> String {
    match (crate::env::smtp_url(), &smtp.url) {
        (Some(url), _) => format!("{} (DUNAV_SMTP_URL)", redact(&url)),
        (None, Some(url)) => format!(
            "{} (site.toml [newsletter.smtp] url; DUNAV_SMTP_URL is not set)",
            redact(url)
        ),
        (None, None) => "no server: set DUNAV_SMTP_URL".to_string(),
    }
}

/// Whether the server was not asked at all: the address has letters beyond
/// ASCII and the server offers no SMTPUTF8 (lettre refuses before sending).
/// Only this address is affected; the others still go.
pub fn lacks_smtputf8(e: &lettre::transport::smtp::Error) -> bool {
    e.is_client() && describe_error(e).contains("SMTPUTF8")
}

/// An SMTP error as logged and recorded: the server's words, with any
/// address in them replaced, so that logs and the journal name no one.
pub fn describe_error(e: &lettre::transport::smtp::Error) -> String {
    e.to_string()
        .split(' ')
        .map(|word| {
            if word.contains('@') {
                "<address>"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a permanent (5xx) refusal is about, read from its reply code and
/// the enhanced status code (RFC 3463) servers give with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The address takes no mail (`5.1.1` no such mailbox, `5.2.1`
    /// disabled…): later issues need not go to it.
    Address,
    /// The site's own login, sender address or relay is refused: no
    /// recipient is to blame, and none of them will get through.
    Sender,
    /// This message, to this recipient (policy, size, content): the address
    /// itself may be fine.
    Message,
}

/// What the permanent refusal `e` is about.
pub fn refusal(e: &lettre::transport::smtp::Error) -> Refusal {
    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
    // Without the addresses: a recipient's own (`ivan@relay.bg`) is not the
    // server speaking of a relay.
    refusal_of(&code, &describe_error(e))
}

/// Words with which servers refuse the site's relay or account, whatever
/// code comes with them (qmail's rcpthosts, SES's unverified sender).
const SETUP_WORDS: [&str; 5] = [
    "relay",
    "rcpthosts",
    "not verified",
    "sender",
    "authenticat",
];

/// Words with which servers without enhanced codes say the mailbox is gone.
const MAILBOX_WORDS: [&str; 8] = [
    "no such user",
    "user unknown",
    "unknown user",
    "no such mailbox",
    "mailbox unavailable",
    "does not exist",
    "recipient address rejected",
    "invalid recipient",
];

fn refusal_of(code: &str, text: &str) -> Refusal {
    // 530 authentication required, 534/535/538 the login refused.
    if matches!(code, "530" | "534" | "535" | "538") {
        return Refusal::Sender;
    }
    let lower = text.to_lowercase();
    let setup_words = || SETUP_WORDS.iter().any(|w| lower.contains(w));
    match enhanced_status(text) {
        // x.1.7 and x.1.8: the sender's address; x.7.8 the login; a policy
        // refusal (x.7.x) that speaks of relaying is the site's setup.
        Some((_, 1, 7 | 8)) | Some((_, 7, 8)) => Refusal::Sender,
        Some((_, 7, _)) if setup_words() => Refusal::Sender,
        Some((_, 1, 1 | 2 | 3 | 6 | 10)) | Some((_, 2, 1)) => Refusal::Address,
        Some(_) => Refusal::Message,
        // Older servers give no enhanced code: a 550/551/553 is the mailbox
        // only when its words say so; a plain 550 is as often a quota, a
        // rate limit or a policy, which must not bounce the list.
        None if setup_words() => Refusal::Sender,
        None if matches!(code, "550" | "551" | "553")
            && MAILBOX_WORDS.iter().any(|w| lower.contains(w)) =>
        {
            Refusal::Address
        }
        None => Refusal::Message,
    }
}

/// The enhanced status code (RFC 3463) in a server's reply: class, subject
/// and detail (`5.1.1` is (5, 1, 1)).
pub fn enhanced_status(text: &str) -> Option<(u8, u16, u16)> {
    text.split_whitespace().find_map(|word| {
        // qmail writes it in brackets: `(#5.7.1)`.
        let word = word.trim_start_matches(['(', '#']);
        let mut parts = word.trim_end_matches([',', ':', ';', ')']).split('.');
        let class: u8 = parts
            .next()
            .filter(|c| matches!(*c, "4" | "5"))?
            .parse()
            .ok()?;
        let subject: u16 = parts.next()?.parse().ok()?;
        let detail: u16 = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some((class, subject, detail))
    })
}

/// What to fix in a URL the SMTP client refused, when it can be told: the
/// usual causes are a password with `#`, `/`, `?` or `@` in it, and a
/// scheme other than smtp:// or smtps://.
fn url_hint(url: &str) -> &'static str {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "; write it as smtp://user:password@host:587 (or smtps://… for port 465)";
    };
    if scheme != "smtp" && scheme != "smtps" {
        return "; the URL starts with smtp:// (STARTTLS, port 587) or smtps:// (TLS, port 465)";
    }
    let credentials = rest.rsplit_once('@').map_or("", |(c, _)| c);
    if credentials.contains(['#', '/', '?', '@']) || rest.matches('@').count() > 1 {
        return "; a user name or password with # / ? @ : in it is written percent-encoded \
                 (# as %23, / as %2F, ? as %3F, @ as %40, : as %3A)";
    }
    ""
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

#[cfg(test)]
mod tests {
    use super::{Refusal, refusal_of};

    #[test]
    fn refusals_blame_the_address_only_when_the_server_says_so() {
        let cases = [
            ("550", "550 5.1.1 <a>: no such mailbox", Refusal::Address),
            ("550", "550 Mailbox unavailable", Refusal::Address),
            (
                "550",
                "550 Domain didih.bg has exceeded the max emails per hour",
                Refusal::Message,
            ),
            ("550", "550 Message rejected", Refusal::Message),
            ("550", "550 Access denied", Refusal::Message),
            ("554", "554 5.2.1 mailbox disabled", Refusal::Address),
            (
                "535",
                "535 5.7.8 Authentication credentials invalid",
                Refusal::Sender,
            ),
            ("530", "530 Authentication required", Refusal::Sender),
            ("550", "550 5.1.8 Sender address rejected", Refusal::Sender),
            ("550", "550 Sender address rejected", Refusal::Sender),
            ("554", "554 5.7.1 <a>: Relay access denied", Refusal::Sender),
            (
                "550",
                "550 5.7.1 Message rejected as spam",
                Refusal::Message,
            ),
            ("552", "552 5.3.4 Message too big", Refusal::Message),
            (
                "553",
                "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
                Refusal::Sender,
            ),
            (
                "550",
                "550 5.7.54 Unable to relay recipient in non-accepted domain",
                Refusal::Sender,
            ),
            (
                "554",
                "554 Message rejected: Email address is not verified.",
                Refusal::Sender,
            ),
            (
                "550",
                "550 <address>: Recipient address rejected: User unknown",
                Refusal::Address,
            ),
            ("554", "554 Transaction failed", Refusal::Message),
        ];
        for (code, text, expected) in cases {
            assert_eq!(refusal_of(code, text), expected, "{text}");
        }
    }

    #[test]
    fn a_refused_url_says_what_to_fix() {
        assert!(super::url_hint("smtp://u:pa#ss@host:587").contains("%23"));
        assert!(super::url_hint("smtp://us@er:pass@host:587").contains("%40"));
        assert!(super::url_hint("http://host").contains("smtp://"));
        assert!(super::url_hint("smtp//host").contains("smtp://user"));
        assert_eq!(super::url_hint("smtp://u:p@host:587"), "");
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            super::redact("smtps://user:secret@mail.example.org"),
            "smtps://…@mail.example.org"
        );
    }
}
