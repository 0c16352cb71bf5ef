//! The signup service: a small HTTP server the site's forms post to, run
//! behind the site's web server. Double opt-in, RFC 8058 one-click
//! unsubscribe, preferences; answers in the visitor's language.
//!
//! `handlers` holds the routes, `rejection` every way of saying no,
//! `limits` the origin check, client address and rate limit,
//! `confirmation` the opt-in mail and its worker, `server` the connections.

mod answer;
mod confirmation;
mod handlers;
mod limits;
mod rejection;
mod server;

use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use lettre::SmtpTransport;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::build::{BuildOptions, Site};
use crate::diagnostics::BuildFailed;
use crate::mail::tokens::Signer;
use crate::mail::{Composer, MailError, links, transport};
use crate::store::{Store, StoreError};

pub use limits::{RateLimiter, TrustedProxies};
pub use server::serve;

/// Everything a request handler needs.
pub struct ServiceState {
    pub site: Site,
    pub store: Mutex<Store>,
    pub signer: Signer,
    pub mailer: SmtpTransport,
    pub composer: Composer,
    /// Origins a signup form may be posted from.
    pub allowed_origins: Vec<String>,
    pub limiter: RateLimiter,
    /// Whose forwarding headers name the client.
    pub proxies: TrustedProxies,
    pub record_ip: bool,
    pub consent_version: String,
    /// Where links in mail point, e.g. `https://didih.bg/subscriptions`.
    pub public_url: String,
    /// Seconds between two confirmation mails to one address.
    pub cooldown: i64,
    /// Wakes the confirmation mail worker.
    wake: SyncSender<()>,
    /// What the worker waits on, taken when it starts.
    wakeups: Mutex<Option<Receiver<()>>>,
    stopping: AtomicBool,
}

/// Why the service cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Env(#[from] crate::env::EnvError),
    #[error(transparent)]
    Site(#[from] BuildFailed),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Mail(#[from] MailError),
}

impl ServiceState {
    /// Loads the site and opens the database; refuses to start without `DUNAV_SECRET`.
    pub fn new(root: &Path) -> Result<ServiceState, StartError> {
        let secrets = crate::env::signing_secrets()?;
        let site = crate::build::load(&BuildOptions::for_mail(root))?;
        let store = Store::open(&site.config.database_path(root))?;
        let mailer = transport::connect(&site.config.newsletter.smtp)?;
        let composer = Composer::from_config(&site.config)?;
        let public_url = links::service_base(&site.config);
        let mut allowed_origins = vec![
            limits::origin_of(&site.config.base_url),
            limits::origin_of(&public_url),
        ];
        allowed_origins.extend(crate::env::allowed_origins());
        let subs = &site.config.subscriptions;
        let (wake, wakeups) = sync_channel(1);
        Ok(ServiceState {
            limiter: RateLimiter::new(subs.rate_limit_per_minute),
            proxies: TrustedProxies::new(&subs.trusted_proxies),
            record_ip: subs.record_ip,
            consent_version: subs.consent_version.clone(),
            cooldown: i64::from(subs.confirm_cooldown_minutes) * 60,
            wake,
            wakeups: Mutex::new(Some(wakeups)),
            stopping: AtomicBool::new(false),
            signer: Signer::rotating(secrets),
            store: Mutex::new(store),
            mailer,
            composer,
            allowed_origins,
            public_url,
            site,
        })
    }

    /// Tells the mail worker there is mail to send.
    pub fn wake_worker(&self) {
        // A full channel means a wake-up is already pending: nothing is lost.
        let _ = self.wake.try_send(());
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Stops the mail worker after the mail it is sending.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.wake_worker();
    }

    /// `lang` when the site has it, else the default language.
    pub fn lang_or_default(&self, lang: Option<&str>) -> String {
        match lang {
            Some(l) if self.site.config.languages.contains_key(l) => l.to_string(),
            _ => self.site.config.default_language.clone(),
        }
    }
}

/// The router, with its limits, headers and log line.
pub fn router(state: Arc<ServiceState>) -> Router {
    let routes = handlers::routes();
    let prefix = state
        .public_url
        .split_once("://")
        .and_then(|(_, rest)| {
            rest.find('/')
                .map(|i| rest[i..].trim_end_matches('/').to_string())
        })
        .unwrap_or_default();
    let mut app = routes.clone();
    // The service answers both at its public path (behind a proxy that keeps it) and at the root.
    if !prefix.is_empty() && prefix != "/" {
        app = app.nest(&prefix, routes);
    }
    let body_time = Duration::from_secs(state.site.config.subscriptions.request_timeout_seconds);
    app.layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(RequestBodyTimeoutLayer::new(body_time))
        .layer(middleware::from_fn(refuse_declared_large_bodies))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// The largest request body read: a form is a few hundred bytes.
const MAX_BODY: usize = 16 * 1024;

/// A body declared larger than [`MAX_BODY`] is refused before it is read:
/// the limit alone waited for bytes that never came, then said 400.
async fn refuse_declared_large_bodies(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return axum::response::IntoResponse::into_response(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        );
    }
    next.run(request).await
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    // Tokens travel in URLs: never leak them to other sites.
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// One line per request; the query (which holds tokens) is left out.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    // A log line must never take the service down (a closed stdout, a full disk).
    let _ = writeln!(
        std::io::stdout().lock(),
        "{} {method} {path} {} {:.1}ms",
        jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}
