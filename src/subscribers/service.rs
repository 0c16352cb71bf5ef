//! The signup service: a small HTTP server the site's forms post to, run
//! behind the site's web server. Double opt-in, RFC 8058 one-click
//! unsubscribe, preferences; answers in the visitor's language.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, anyhow};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use lettre::message::Mailbox;
use lettre::{Message, SmtpTransport, Transport};
use serde::Serialize;

use crate::newsletter::sender::{self, ListIdentity};
use crate::site::Site;
use crate::subscribers::store::{NewSubscriber, Store, SubscriberStatus, normalise_email};
use crate::subscribers::tokens::{CONFIRM_SECONDS, Purpose, Signer, TokenError};

/// Form fields longer than this are refused.
const MAX_FIELD: usize = 512;

/// Everything a request handler needs.
pub struct ServiceState {
    pub site: Site,
    pub store: Mutex<Store>,
    pub signer: Signer,
    pub mailer: SmtpTransport,
    pub identity: ListIdentity,
    /// Origins a signup form may be posted from.
    pub allowed_origins: Vec<String>,
    pub limiter: RateLimiter,
    pub record_ip: bool,
    pub consent_version: String,
    /// Where links in mail point, e.g. `https://didih.bg/subscriptions`.
    pub public_url: String,
}

/// Per-address limit on form posts in a sliding minute.
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request; false when the address is over its limit.
    pub fn allow(&self, ip: IpAddr) -> bool {
        if self.per_minute == 0 {
            return true;
        }
        let Ok(mut windows) = self.windows.lock() else {
            return true;
        };
        let now = Instant::now();
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = windows.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.per_minute
    }
}

/// What an answer page says.
#[derive(Serialize, Default)]
struct Answer {
    title: String,
    text: String,
    errors: Vec<String>,
    /// "", "unsubscribe" or "preferences".
    form: &'static str,
    action: String,
    language: String,
    sectors: Vec<String>,
}

impl ServiceState {
    /// Loads the site and opens the database; refuses to start without `DUNAV_SECRET`.
    pub fn new(root: &std::path::Path) -> anyhow::Result<ServiceState> {
        let secret = sender::secret()?;
        let site = sender::load_site(root)?;
        let store = Store::open(&site.config.database_path(root))?;
        let mailer = sender::transport(&site)?;
        let identity = ListIdentity::from_site(&site)?;
        let mut allowed_origins = vec![origin_of(&site.config.base_url)];
        let public_url = sender::subscriptions_base(&site);
        allowed_origins.push(origin_of(&public_url));
        if let Ok(extra) = std::env::var("DUNAV_ALLOWED_ORIGINS") {
            allowed_origins.extend(
                extra
                    .split(',')
                    .map(|o| o.trim().trim_end_matches('/').to_string())
                    .filter(|o| !o.is_empty()),
            );
        }
        let subs = &site.config.subscriptions;
        Ok(ServiceState {
            limiter: RateLimiter::new(subs.rate_limit_per_minute),
            record_ip: subs.record_ip,
            consent_version: subs.consent_version.clone(),
            signer: Signer::new(&secret),
            store: Mutex::new(store),
            mailer,
            identity,
            allowed_origins,
            public_url,
            site,
        })
    }

    fn lang_or_default(&self, lang: Option<&str>) -> String {
        match lang {
            Some(l) if self.site.config.languages.contains_key(l) => l.to_string(),
            _ => self.site.config.default_language.clone(),
        }
    }

    fn string(&self, lang: &str, key: &str) -> String {
        self.site.string(lang, key)
    }

    fn page(&self, status: StatusCode, lang: &str, answer: Answer) -> Response {
        let mut context = self.site.base_context(lang, "/");
        context.insert(
            "translations",
            &Vec::<crate::render::context::TranslationLink>::new(),
        );
        context.insert("answer", &answer);
        match self.site.tera.render("subscriptions/answer.html", &context) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                eprintln!("error: subscriptions/answer.html: {e}");
                (status, format!("{}\n\n{}", answer.title, answer.text)).into_response()
            }
        }
    }

    fn message(&self, status: StatusCode, lang: &str, title: &str, text: &str) -> Response {
        let answer = Answer {
            title: self.string(lang, title),
            text: self.string(lang, text),
            ..Answer::default()
        };
        self.page(status, lang, answer)
    }
}

fn origin_of(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host = rest.split('/').next().unwrap_or("");
    format!("{scheme}://{host}")
}

/// The router, with its limits, headers and log line.
pub fn router(state: Arc<ServiceState>) -> Router {
    let routes = Router::new()
        .route("/subscribe", post(subscribe))
        .route("/confirm", get(confirm))
        .route("/unsubscribe", get(unsubscribe_page).post(unsubscribe))
        .route("/preferences", get(preferences_page).post(preferences))
        .route("/health", get(|| async { "ok" }));
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
    app.layer(DefaultBodyLimit::max(16 * 1024))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
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

/// A form body's fields; repeated names (sectors) keep every value.
fn form_fields(body: &[u8]) -> HashMap<String, Vec<String>> {
    let mut fields: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in form_urlencoded::parse(body) {
        fields
            .entry(k.into_owned())
            .or_default()
            .push(v.into_owned());
    }
    fields
}

fn first<'a>(fields: &'a HashMap<String, Vec<String>>, name: &str) -> Option<&'a str> {
    fields.get(name).and_then(|v| v.first()).map(String::as_str)
}

fn origin_allowed(state: &ServiceState, headers: &HeaderMap) -> bool {
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(|o| o.trim_end_matches('/').to_string())
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .map(origin_of)
        });
    origin.is_some_and(|o| state.allowed_origins.contains(&o))
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| anyhow!("worker failed: {e}"))
}

fn server_error(state: &ServiceState, lang: &str, e: anyhow::Error) -> Response {
    eprintln!("error: {e:#}");
    state.message(
        StatusCode::SERVICE_UNAVAILABLE,
        lang,
        "too_many_title",
        "unavailable_text",
    )
}

async fn subscribe(
    State(state): State<Arc<ServiceState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = form_fields(&body);
    let lang = state.lang_or_default(first(&fields, "language"));
    if !state.limiter.allow(peer.ip()) {
        let mut r = state.message(
            StatusCode::TOO_MANY_REQUESTS,
            &lang,
            "too_many_title",
            "too_many_text",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return r;
    }
    if !origin_allowed(&state, &headers) {
        return state.message(StatusCode::FORBIDDEN, &lang, "fix_errors", "error_origin");
    }
    // A filled honeypot is a bot: answer as if all went well, store nothing.
    if first(&fields, "website").is_some_and(|v| !v.is_empty()) {
        return state.message(
            StatusCode::OK,
            &lang,
            "signup_thanks_title",
            "signup_thanks_text",
        );
    }
    let mut errors = Vec::new();
    if fields.values().flatten().any(|v| v.len() > MAX_FIELD)
        || fields.get("sectors").is_some_and(|s| s.len() > 32)
    {
        errors.push(state.string(&lang, "error_field"));
    }
    let email = first(&fields, "email").and_then(normalise_email);
    if email.is_none() {
        errors.push(state.string(&lang, "error_email"));
    }
    if !matches!(first(&fields, "consent"), Some("yes" | "on" | "1" | "true")) {
        errors.push(state.string(&lang, "error_consent"));
    }
    let sectors: Vec<String> = fields
        .get("sectors")
        .map(|s| {
            s.iter()
                .filter(|k| state.site.config.sectors.contains_key(*k))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let (Some(email), true) = (email, errors.is_empty()) else {
        let answer = Answer {
            title: state.string(&lang, "fix_errors"),
            errors,
            ..Answer::default()
        };
        return state.page(StatusCode::UNPROCESSABLE_ENTITY, &lang, answer);
    };
    let new = NewSubscriber {
        email: email.clone(),
        language: lang.clone(),
        sectors,
        status: Some(SubscriberStatus::Pending),
        consent_source: first(&fields, "source").map(|s| s.chars().take(MAX_FIELD).collect()),
        consent_version: Some(state.consent_version.clone()),
        consent_ip: state.record_ip.then(|| peer.ip().to_string()),
        ..NewSubscriber::default()
    };
    let st = state.clone();
    let result = blocking(move || -> anyhow::Result<()> {
        let secret_less = b"";
        let subscriber = {
            let mut store = st
                .store
                .lock()
                .map_err(|_| anyhow!("store lock poisoned"))?;
            let (_, id) = store.upsert(&new, secret_less, true)?;
            store
                .get(id)?
                .ok_or_else(|| anyhow!("subscriber {id} vanished"))?
        };
        // Already confirmed people get no mail; the answer is the same either way.
        if subscriber.status == SubscriberStatus::Pending {
            send_confirmation(&st, &subscriber)?;
        }
        Ok(())
    })
    .await;
    match result {
        Ok(Ok(())) => state.message(
            StatusCode::OK,
            &lang,
            "signup_thanks_title",
            "signup_thanks_text",
        ),
        Ok(Err(e)) | Err(e) => server_error(&state, &lang, e),
    }
}

fn send_confirmation(
    state: &ServiceState,
    subscriber: &crate::subscribers::Subscriber,
) -> anyhow::Result<()> {
    let lang = state.lang_or_default(Some(&subscriber.language));
    let expires = jiff::Timestamp::now().as_second() + CONFIRM_SECONDS;
    let token = state.signer.sign(
        Purpose::Confirm,
        subscriber.id,
        expires,
        &subscriber.token_key,
    );
    let link = format!("{}/confirm?token={token}", state.public_url);
    let title = state
        .site
        .config
        .languages
        .get(&lang)
        .map(|l| l.title.clone())
        .unwrap_or_default();
    let text = format!(
        "{}\n\n{link}\n\n-- \n{title}\n{}\n",
        state.string(&lang, "confirm_mail_text"),
        state.site.config.base()
    );
    let to = Mailbox::new(
        subscriber.name.clone(),
        subscriber.email.parse().context("address")?,
    );
    let mut builder = Message::builder()
        .from(state.identity.from.clone())
        .to(to)
        .subject(format!(
            "{} · {title}",
            state.string(&lang, "confirm_mail_subject")
        ))
        .message_id(Some(format!(
            "<confirm.{}.{}@{}>",
            subscriber.id, expires, state.identity.domain
        )));
    if let Some(reply_to) = &state.identity.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    let message = builder
        .body(text)
        .context("building the confirmation mail")?;
    state
        .mailer
        .send(&message)
        .map_err(|e| anyhow!("sending the confirmation to the SMTP server: {e}"))?;
    Ok(())
}

#[derive(serde::Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// Checks a token and returns the subscriber, or the page to answer with.
fn check_token(
    state: &ServiceState,
    token: Option<&str>,
    purpose: Purpose,
) -> Result<crate::subscribers::Subscriber, (StatusCode, &'static str)> {
    let invalid = (StatusCode::BAD_REQUEST, "link_invalid_text");
    let token = token.filter(|t| t.len() < 200).ok_or(invalid)?;
    let (id, _) = state
        .signer
        .subscriber_of(token, purpose)
        .map_err(|_| invalid)?;
    let store = state
        .store
        .lock()
        .map_err(|_| (StatusCode::SERVICE_UNAVAILABLE, "unavailable_text"))?;
    let subscriber = store
        .get(id)
        .map_err(|_| (StatusCode::SERVICE_UNAVAILABLE, "unavailable_text"))?
        .ok_or(invalid)?;
    match state.signer.verify(
        token,
        purpose,
        &subscriber.token_key,
        jiff::Timestamp::now().as_second(),
    ) {
        Ok(_) => Ok(subscriber),
        Err(TokenError::Expired) => Err((StatusCode::GONE, "link_expired_text")),
        Err(_) => Err(invalid),
    }
}

/// The language of the subscriber a token names, even when the token is
/// refused (an expired link still deserves an answer in their language).
fn token_language(state: &ServiceState, token: Option<&str>, purpose: Purpose) -> String {
    let language = token
        .and_then(|t| state.signer.subscriber_of(t, purpose).ok())
        .and_then(|(id, _)| state.store.lock().ok()?.get(id).ok().flatten())
        .map(|s| s.language);
    state.lang_or_default(language.as_deref())
}

async fn confirm(State(state): State<Arc<ServiceState>>, Query(q): Query<TokenQuery>) -> Response {
    let st = state.clone();
    let result = blocking(
        move || -> Result<String, (StatusCode, &'static str, String)> {
            let s = check_token(&st, q.token.as_deref(), Purpose::Confirm).map_err(|(c, m)| {
                (
                    c,
                    m,
                    token_language(&st, q.token.as_deref(), Purpose::Confirm),
                )
            })?;
            let lang = st.lang_or_default(Some(&s.language));
            let store = st.store.lock().map_err(|_| {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable_text",
                    lang.clone(),
                )
            })?;
            // An unsubscribed person's old confirmation link must not resubscribe them.
            if s.status == SubscriberStatus::Pending {
                store.confirm(s.id).map_err(|_| {
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "unavailable_text",
                        lang.clone(),
                    )
                })?;
            } else if s.status != SubscriberStatus::Confirmed {
                return Err((StatusCode::BAD_REQUEST, "link_invalid_text", lang));
            }
            Ok(lang)
        },
    )
    .await;
    match result {
        Ok(Ok(lang)) => state.message(StatusCode::OK, &lang, "confirm_ok_title", "confirm_ok_text"),
        Ok(Err((code, text, lang))) => state.message(code, &lang, "link_invalid_title", text),
        Err(e) => server_error(&state, &state.site.config.default_language, e),
    }
}

async fn unsubscribe_page(
    State(state): State<Arc<ServiceState>>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let st = state.clone();
    let token = q.token.clone();
    let checked = blocking(move || check_token(&st, token.as_deref(), Purpose::Unsubscribe)).await;
    match checked {
        Ok(Ok(s)) => {
            let lang = state.lang_or_default(Some(&s.language));
            let answer = Answer {
                title: state.string(&lang, "unsubscribe_title"),
                text: state.string(&lang, "unsubscribe_text"),
                form: "unsubscribe",
                action: format!("?token={}", q.token.unwrap_or_default()),
                ..Answer::default()
            };
            state.page(StatusCode::OK, &lang, answer)
        }
        Ok(Err((code, text))) => state.message(
            code,
            &state.site.config.default_language,
            "link_invalid_title",
            text,
        ),
        Err(e) => server_error(&state, &state.site.config.default_language, e),
    }
}

/// RFC 8058 one-click: a POST (body `List-Unsubscribe=One-Click`, or the page's
/// button) unsubscribes at once; no redirect, no cookie. The token is the authority.
async fn unsubscribe(
    State(state): State<Arc<ServiceState>>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let st = state.clone();
    let result = blocking(move || -> Result<String, (StatusCode, &'static str)> {
        let s = check_token(&st, q.token.as_deref(), Purpose::Unsubscribe)?;
        let store = st
            .store
            .lock()
            .map_err(|_| (StatusCode::SERVICE_UNAVAILABLE, "unavailable_text"))?;
        if s.status != SubscriberStatus::Unsubscribed {
            store
                .set_status(s.id, SubscriberStatus::Unsubscribed)
                .map_err(|_| (StatusCode::SERVICE_UNAVAILABLE, "unavailable_text"))?;
        }
        Ok(st.lang_or_default(Some(&s.language)))
    })
    .await;
    match result {
        Ok(Ok(lang)) => state.message(
            StatusCode::OK,
            &lang,
            "unsubscribed_title",
            "unsubscribed_text",
        ),
        Ok(Err((code, text))) => state.message(
            code,
            &state.site.config.default_language,
            "link_invalid_title",
            text,
        ),
        Err(e) => server_error(&state, &state.site.config.default_language, e),
    }
}

fn preferences_answer(
    state: &ServiceState,
    s: &crate::subscribers::Subscriber,
    token: &str,
    saved: bool,
) -> Response {
    let lang = state.lang_or_default(Some(&s.language));
    let answer = Answer {
        title: state.string(&lang, "preferences_title"),
        text: if saved {
            state.string(&lang, "preferences_saved")
        } else {
            String::new()
        },
        form: "preferences",
        action: format!("?token={token}"),
        language: s.language.clone(),
        sectors: s.sectors.clone(),
        ..Answer::default()
    };
    state.page(StatusCode::OK, &lang, answer)
}

async fn preferences_page(
    State(state): State<Arc<ServiceState>>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let st = state.clone();
    let token = q.token.clone();
    match blocking(move || check_token(&st, token.as_deref(), Purpose::Preferences)).await {
        Ok(Ok(s)) => preferences_answer(&state, &s, &q.token.unwrap_or_default(), false),
        Ok(Err((code, text))) => state.message(
            code,
            &state.site.config.default_language,
            "link_invalid_title",
            text,
        ),
        Err(e) => server_error(&state, &state.site.config.default_language, e),
    }
}

async fn preferences(
    State(state): State<Arc<ServiceState>>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !origin_allowed(&state, &headers) {
        return state.message(
            StatusCode::FORBIDDEN,
            &state.site.config.default_language,
            "fix_errors",
            "error_origin",
        );
    }
    let fields = form_fields(&body);
    let st = state.clone();
    let token = q.token.clone();
    let result = blocking(
        move || -> Result<crate::subscribers::Subscriber, (StatusCode, &'static str)> {
            let s = check_token(&st, token.as_deref(), Purpose::Preferences)?;
            let language = st.lang_or_default(first(&fields, "language").or(Some(&s.language)));
            let sectors: Vec<String> = fields
                .get("sectors")
                .map(|v| {
                    v.iter()
                        .filter(|k| st.site.config.sectors.contains_key(*k))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let store = st
                .store
                .lock()
                .map_err(|_| (StatusCode::SERVICE_UNAVAILABLE, "unavailable_text"))?;
            store
                .set_preferences(s.id, &language, &sectors)
                .map_err(|_| (StatusCode::SERVICE_UNAVAILABLE, "unavailable_text"))?;
            store
                .get(s.id)
                .ok()
                .flatten()
                .ok_or((StatusCode::BAD_REQUEST, "link_invalid_text"))
        },
    )
    .await;
    match result {
        Ok(Ok(s)) => preferences_answer(&state, &s, &q.token.unwrap_or_default(), true),
        Ok(Err((code, text))) => state.message(
            code,
            &state.site.config.default_language,
            "link_invalid_title",
            text,
        ),
        Err(e) => server_error(&state, &state.site.config.default_language, e),
    }
}

/// Serves until Ctrl-C or SIGTERM; requests under way finish first.
pub async fn serve(
    state: Arc<ServiceState>,
    listener: tokio::net::TcpListener,
) -> anyhow::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving")?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
