//! Every mail dunav sends goes through here: the SMTP transport, the sender's
//! identity (From, List-Id, Message-ID), the signed links a subscriber acts
//! on, and one message builder that signs with DKIM. The digest, the test
//! copy and the signup confirmation all carry the same headers.

pub mod dkim;
pub mod identity;
pub mod links;
pub mod message;
pub mod tokens;
pub mod transport;

pub use identity::ListIdentity;
pub use links::SubscriberLinks;
pub use message::{Composer, Letter};

/// Why a mail could not be prepared or sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("site.toml [newsletter] {field} = \"{value}\": {why}")]
    Config {
        field: &'static str,
        value: String,
        why: String,
    },
    #[error(
        "site.toml still holds the placeholder from `dunav init` ({}) in {}: set your own before sending",
        crate::config::PLACEHOLDER,
        .0.join(", ")
    )]
    Placeholders(Vec<&'static str>),
    #[error(transparent)]
    Env(#[from] crate::env::EnvError),
    #[error("DKIM key: {0}")]
    Dkim(String),
    #[error("no SMTP server: set DUNAV_SMTP_URL or [newsletter.smtp] url in site.toml")]
    NoServer,
    #[error("DUNAV_SMTP_URL: cannot use \"{url}\": {why}")]
    BadServer { url: String, why: String },
    /// The address is kept for the caller, not shown: logs and the journal name no one.
    #[error("the recipient's address is not a usable email address")]
    Address(String),
    #[error("building the message: {0}")]
    Build(String),
}
