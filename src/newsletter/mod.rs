//! The newsletter: an issue's email parts, a resumable send to every
//! confirmed subscriber, and sample copies (preview, test copy).

pub mod dry_run;
pub mod email;
pub mod sample;
pub mod sender;

use crate::content::digest::DigestError;
use crate::env::EnvError;
use crate::mail::MailError;
use crate::store::StoreError;

/// Why an issue could not be rendered or sent.
#[derive(Debug, thiserror::Error)]
pub enum NewsletterError {
    #[error(transparent)]
    Issue(#[from] DigestError),
    #[error("template {0}")]
    Template(String),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Env(#[from] EnvError),
    #[error(
        "another `dunav newsletter send` is running on {db}{by}: wait for it to end; it sends what is left"
    )]
    AlreadySending { db: String, by: String },
    #[error("cannot lock {path}: {why}")]
    Lock { path: String, why: String },
}
