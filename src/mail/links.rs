//! The links in mail that act for a subscriber: confirm, unsubscribe and
//! preferences, each with a signed token, at the subscriptions service.

use crate::config::SiteConfig;
use crate::mail::tokens::{Purpose, Signer};

/// A subscriber's own unsubscribe and preferences links.
#[derive(Debug, Clone)]
pub struct SubscriberLinks {
    pub unsubscribe: String,
    pub preferences: String,
}

/// The public URL of the subscriptions service, without a trailing slash.
pub fn service_base(config: &SiteConfig) -> String {
    let configured = config.subscriptions.public_url.trim_end_matches('/');
    if configured.is_empty() {
        config.absolute_url("/subscriptions")
    } else {
        configured.to_string()
    }
}

/// The link a token acts through, e.g. `…/unsubscribe?token=…`.
fn link(config: &SiteConfig, action: &str, token: &str) -> String {
    format!("{}/{action}?token={token}", service_base(config))
}

/// A subscriber's links, signed for them; they never expire.
pub fn for_subscriber(
    config: &SiteConfig,
    signer: &Signer,
    id: i64,
    subscriber_key: &str,
) -> SubscriberLinks {
    let sign = |purpose| signer.sign(purpose, id, 0, subscriber_key);
    SubscriberLinks {
        unsubscribe: link(config, "unsubscribe", &sign(Purpose::Unsubscribe)),
        preferences: link(config, "preferences", &sign(Purpose::Preferences)),
    }
}

/// Links with a stand-in token, for previews and test copies (they act on no one).
pub fn sample(config: &SiteConfig, token: &str) -> SubscriberLinks {
    SubscriberLinks {
        unsubscribe: link(config, "unsubscribe", token),
        preferences: link(config, "preferences", token),
    }
}

/// The confirmation and cancellation links of a signup, valid until `expires` (Unix time).
pub fn for_signup(
    config: &SiteConfig,
    signer: &Signer,
    id: i64,
    signup_key: &str,
    expires: i64,
) -> (String, String) {
    let sign = |purpose| signer.sign(purpose, id, expires, signup_key);
    (
        link(config, "confirm", &sign(Purpose::Confirm)),
        link(config, "cancel", &sign(Purpose::Cancel)),
    )
}
