//! `[newsletter]`, `[newsletter.smtp]` and `[subscriptions]`: the settings
//! of the mail the site sends and of the signup service.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// `[newsletter]`: where the signup form posts and how the digest is mailed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NewsletterConfig {
    /// The URL the signup box posts to (the `dunav subscriptions serve` service).
    pub endpoint: String,
    /// `Name <address>` the digest comes from.
    pub from: String,
    pub reply_to: Option<String>,
    /// The `List-Id` identifier, e.g. `news.didih.bg`.
    pub list_id: String,
    /// Address for `List-Unsubscribe: <mailto:…>`.
    pub unsubscribe_mailto: Option<String>,
    /// Days of upcoming events in a digest unless an issue says otherwise.
    pub events_days: i64,
    /// SQLite database for subscribers and the delivery journal, relative to the site root.
    pub database: PathBuf,
    /// The page the signup form's consent links to (a content path, e.g. `privacy`).
    pub privacy_page: String,
    pub smtp: SmtpConfig,
}

impl Default for NewsletterConfig {
    fn default() -> Self {
        NewsletterConfig {
            endpoint: String::new(),
            from: String::new(),
            reply_to: None,
            list_id: String::new(),
            unsubscribe_mailto: None,
            events_days: 60,
            database: PathBuf::from("data/dunav.sqlite"),
            privacy_page: "privacy".into(),
            smtp: SmtpConfig::default(),
        }
    }
}

/// `[newsletter.smtp]`: the server, without secrets (those come from `DUNAV_SMTP_URL`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    /// lettre's URL form, e.g. `smtp://127.0.0.1:2525` or `smtps://mail.example.org`.
    pub url: Option<String>,
    /// Connections kept open and messages sent at once.
    pub pool_size: u32,
    /// Messages per second at most; 0 means no limit.
    pub rate: f64,
    /// Attempts for a message that gets a temporary failure.
    pub max_attempts: u32,
    pub timeout_seconds: u64,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            url: None,
            pool_size: 8,
            rate: 0.0,
            max_attempts: 5,
            timeout_seconds: 30,
        }
    }
}

/// `[subscriptions]`: the signup service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SubscriptionsConfig {
    /// The public URL of the service, used in confirmation and unsubscribe links.
    pub public_url: String,
    /// Version of the consent text shown beside the signup box, kept with each consent.
    pub consent_version: String,
    /// Keep the signup's IP address in the consent record.
    pub record_ip: bool,
    /// Valid signups and other form posts allowed per client (an IPv4 address
    /// or an IPv6 /64) per minute; 0 means no limit.
    pub rate_limit_per_minute: u32,
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` or
    /// `Forwarded` header names the client; from anyone else it is ignored.
    pub trusted_proxies: Vec<String>,
    /// At most one confirmation mail per address in this many minutes.
    pub confirm_cooldown_minutes: u32,
    /// Seconds a client has to send a request's headers (and an idle
    /// connection may stay open) and, separately, its body.
    pub request_timeout_seconds: u64,
    /// Connections served at once; more are closed at once.
    pub max_connections: usize,
    /// Connections served at once for one client (an IPv4 address, an IPv6
    /// /64; not counted for trusted proxies), so that one cannot take them all.
    pub max_connections_per_client: usize,
}

impl Default for SubscriptionsConfig {
    fn default() -> Self {
        SubscriptionsConfig {
            public_url: String::new(),
            consent_version: "1".into(),
            record_ip: false,
            rate_limit_per_minute: 10,
            trusted_proxies: Vec::new(),
            confirm_cooldown_minutes: 60,
            request_timeout_seconds: 10,
            max_connections: 512,
            max_connections_per_client: 32,
        }
    }
}
