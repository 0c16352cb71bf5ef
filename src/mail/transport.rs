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
        why: e.to_string(),
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
    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            super::redact("smtps://user:secret@mail.example.org"),
            "smtps://…@mail.example.org"
        );
    }
}
