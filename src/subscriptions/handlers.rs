//! The routes: signup, confirmation, cancellation, one-click unsubscribe and
//! preferences. Each handler checks what it was sent, does its store work on
//! a blocking thread, and answers with a page in the visitor's language.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};

use crate::mail::tokens::{CONFIRM_SECONDS, Purpose, TokenError};
use crate::store::{
    NewSignup, SignupOutcome, SignupState, Store, Subscriber, SubscriberStatus, normalise_email,
};
use crate::subscriptions::ServiceState;
use crate::subscriptions::answer::Answer;
use crate::subscriptions::limits::origin_allowed;
use crate::subscriptions::rejection::Rejection;

/// Form fields longer than this are refused.
const MAX_FIELD: usize = 512;
/// A name longer than this is no name (the longest real ones are under 100).
const MAX_NAME: usize = 120;

type Shared = State<Arc<ServiceState>>;

pub fn routes() -> Router<Arc<ServiceState>> {
    Router::new()
        .route("/subscribe", post(subscribe))
        .route("/confirm", get(confirm_page).post(confirm))
        .route("/cancel", get(cancel_page).post(cancel))
        .route("/unsubscribe", get(unsubscribe_page).post(unsubscribe))
        .route("/preferences", get(preferences_page).post(preferences))
        .route("/health", get(|| async { "ok" }))
}

#[derive(serde::Deserialize)]
struct TokenQuery {
    token: Option<String>,
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

impl ServiceState {
    /// The visitor's language: the form's choice, else their browser's, else the site's default.
    fn visitor_lang(&self, headers: &HeaderMap, chosen: Option<&str>) -> String {
        let known = |l: &str| self.site.config.languages.contains_key(l);
        if let Some(l) = chosen.filter(|l| known(l)) {
            return l.to_string();
        }
        let accepted = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        accepted
            .split(',')
            .filter_map(|part| part.split(';').next())
            .map(|tag| {
                tag.trim()
                    .split('-')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase()
            })
            .find(|l| known(l))
            .unwrap_or_else(|| self.site.config.default_language.clone())
    }

    /// The sector keys of a form that the site knows, each once.
    fn known_sectors(&self, fields: &HashMap<String, Vec<String>>) -> Vec<String> {
        let mut known: Vec<String> = Vec::new();
        for key in fields.get("sectors").into_iter().flatten() {
            if self.site.config.sectors.contains_key(key) && !known.contains(key) {
                known.push(key.clone());
            }
        }
        known
    }

    /// The store, for one operation.
    fn store(&self) -> Result<MutexGuard<'_, Store>, Rejection> {
        self.store
            .lock()
            .map_err(|_| Rejection::Unavailable("store lock poisoned".into()))
    }

    /// The subscriber a token names, once its signature and time check out.
    fn check_token(&self, token: Option<&str>, purpose: Purpose) -> Result<Subscriber, Rejection> {
        let token = token
            .filter(|t| t.len() < 200)
            .ok_or(Rejection::InvalidLink)?;
        let (id, _) = self
            .signer
            .subscriber_of(token, purpose)
            .map_err(|_| Rejection::InvalidLink)?;
        let store = self.store()?;
        let subscriber = store.get(id)?.ok_or(Rejection::InvalidLink)?;
        let now = jiff::Timestamp::now().as_second();
        match self
            .signer
            .verify(token, purpose, &subscriber.token_key, now)
        {
            Ok(_) => Ok(subscriber),
            Err(TokenError::Expired) => Err(Rejection::ExpiredLink {
                lang: self.lang_or_default(Some(&subscriber.language)),
            }),
            Err(_) => Err(Rejection::InvalidLink),
        }
    }
}

/// Runs store work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Rejection> + Send + 'static,
) -> Result<T, Rejection> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Rejection::Unavailable(format!("worker failed: {e}")))?
}

async fn subscribe(
    State(state): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = form_fields(&body);
    let lang = state.visitor_lang(&headers, first(&fields, "language"));
    let client = state.proxies.client(peer.ip(), &headers);
    match signup(&state, client, &headers, fields).await {
        Ok(()) => state.message(
            StatusCode::OK,
            &lang,
            "signup_thanks_title",
            "signup_thanks_text",
        ),
        Err(rejection) => rejection.respond(&state, &lang),
    }
}

/// Checks a signup and keeps it for confirmation; its mail is queued. The
/// answer is the same whether or not the address is on the list, and never
/// waits for the mail server.
async fn signup(
    state: &Arc<ServiceState>,
    client: IpAddr,
    headers: &HeaderMap,
    fields: HashMap<String, Vec<String>>,
) -> Result<(), Rejection> {
    if !origin_allowed(&state.allowed_origins, headers) {
        return Err(Rejection::Origin);
    }
    // A filled honeypot is a bot: answer as if all went well, keep nothing.
    if first(&fields, "website").is_some_and(|v| !v.is_empty()) {
        return Ok(());
    }
    // The newsletter's language is the one the form chose (the page's), not the browser's.
    let lang = state.lang_or_default(first(&fields, "language"));
    let new = state.signup_form(&fields, &lang, client)?;
    // Only a valid request counts against the client's budget.
    if !state.limiter.allow(client) {
        return Err(Rejection::TooMany);
    }
    let st = state.clone();
    blocking(move || {
        let outcome = st.store()?.add_signup(&new, st.cooldown, CONFIRM_SECONDS)?;
        if matches!(outcome, SignupOutcome::Queued(_)) {
            st.wake_worker();
        }
        Ok(())
    })
    .await
}

impl ServiceState {
    /// A signup form's fields, checked; every problem at once.
    fn signup_form(
        &self,
        fields: &HashMap<String, Vec<String>>,
        lang: &str,
        client: IpAddr,
    ) -> Result<NewSignup, Rejection> {
        let mut errors = Vec::new();
        if fields.values().flatten().any(|v| v.len() > MAX_FIELD)
            || fields.get("sectors").is_some_and(|s| s.len() > 32)
            || first(fields, "name")
                .is_some_and(|n| n.chars().any(char::is_control) || n.chars().count() > MAX_NAME)
        {
            errors.push("error_field");
        }
        let email = first(fields, "email").and_then(normalise_email);
        if email.is_none() {
            errors.push("error_email");
        }
        if !matches!(first(fields, "consent"), Some("yes" | "on" | "1" | "true")) {
            errors.push("error_consent");
        }
        let (Some(email), true) = (email, errors.is_empty()) else {
            return Err(Rejection::Form(errors));
        };
        Ok(NewSignup {
            email,
            name: first(fields, "name")
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from),
            language: lang.to_string(),
            sectors: self.known_sectors(fields),
            consent_source: first(fields, "source").and_then(|s| self.site_path(s)),
            consent_version: Some(self.consent_version.clone()),
            consent_ip: self.record_ip.then(|| client.to_string()),
        })
    }

    /// The page a form was on, as a path on this site; anything else is not kept.
    fn site_path(&self, source: &str) -> Option<String> {
        let base = self.site.config.base();
        let path = source.strip_prefix(base).unwrap_or(source);
        let path = path.split(['?', '#']).next().unwrap_or("");
        let plain = path.starts_with('/')
            && !path.starts_with("//")
            && path.len() <= 300
            && !path.chars().any(|c| c.is_control() || c.is_whitespace());
        plain.then(|| path.to_string())
    }

    /// The signup a confirmation (or cancellation) link names, once its
    /// signature and time check out.
    fn check_signup_token(&self, token: Option<&str>, purpose: Purpose) -> Result<i64, Rejection> {
        let token = token
            .filter(|t| t.len() < 200)
            .ok_or(Rejection::InvalidLink)?;
        let (id, _) = self
            .signer
            .subscriber_of(token, purpose)
            .map_err(|_| Rejection::InvalidLink)?;
        let store = self.store()?;
        let (key, _) = store.signup_key(id)?.ok_or(Rejection::InvalidLink)?;
        let now = jiff::Timestamp::now().as_second();
        match self.signer.verify(token, purpose, &key, now) {
            Ok(_) => Ok(id),
            Err(TokenError::Expired) => Err(Rejection::ExpiredLink {
                lang: self.lang_or_default(store.signup_language(id)?.as_deref()),
            }),
            Err(_) => Err(Rejection::InvalidLink),
        }
    }
}

/// A signup link opened: a page with a button. Link scanners in mail
/// gateways open links (GET, HEAD); only the button (POST) acts.
async fn signup_page(
    state: Arc<ServiceState>,
    headers: HeaderMap,
    token: Option<String>,
    purpose: Purpose,
) -> Response {
    let st = state.clone();
    let checked_token = token.clone();
    let checked = blocking(move || {
        let id = st.check_signup_token(checked_token.as_deref(), purpose)?;
        Ok(st.lang_or_default(st.store()?.signup_language(id)?.as_deref()))
    })
    .await;
    let form = match purpose {
        Purpose::Cancel => "cancel",
        _ => "confirm",
    };
    match checked {
        Ok(lang) => state.button_page(&lang, form, &token.unwrap_or_default()),
        Err(r) => r.respond(&state, &state.visitor_lang(&headers, None)),
    }
}

async fn confirm_page(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    signup_page(state, headers, q.token, Purpose::Confirm).await
}

async fn cancel_page(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    signup_page(state, headers, q.token, Purpose::Cancel).await
}

/// The cancel button pressed, or a mail client's one-click (on the
/// confirmation mail's List-Unsubscribe): a waiting signup is withdrawn; a
/// confirmed one's subscriber unsubscribed. Pressed again, the same answer.
async fn cancel(State(state): Shared, headers: HeaderMap, Query(q): Query<TokenQuery>) -> Response {
    let st = state.clone();
    let result = blocking(move || {
        let id = st.check_signup_token(q.token.as_deref(), Purpose::Cancel)?;
        let lang = st.lang_or_default(st.store()?.signup_language(id)?.as_deref());
        let mut store = st.store()?;
        let state = store.signup_state(id)?.ok_or(Rejection::InvalidLink)?;
        let answer = match state {
            SignupState::Waiting => {
                store.cancel_signup(id)?;
                ("cancelled_title", "cancelled_text")
            }
            SignupState::Withdrawn => ("cancelled_title", "cancelled_text"),
            SignupState::Confirmed(subscriber) => {
                if store
                    .get(subscriber)?
                    .is_some_and(|s| s.status == SubscriberStatus::Confirmed)
                {
                    store.set_status(subscriber, SubscriberStatus::Unsubscribed)?;
                }
                ("unsubscribed_title", "unsubscribed_text")
            }
        };
        Ok((lang, answer))
    })
    .await;
    match result {
        Ok((lang, (title, text))) => state.message(StatusCode::OK, &lang, title, text),
        Err(r) => r.respond(&state, &state.visitor_lang(&headers, None)),
    }
}

/// The button pressed: the signup is applied, and its links die with it.
async fn confirm(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    let st = state.clone();
    let result = blocking(move || {
        let id = st.check_signup_token(q.token.as_deref(), Purpose::Confirm)?;
        let mut store = st.store()?;
        let subscriber = match store.signup_state(id)? {
            Some(SignupState::Waiting) => store.confirm_signup(id)?,
            // Pressed twice: confirmed already, unless they have left since.
            Some(SignupState::Confirmed(subscriber)) => store
                .get(subscriber)?
                .filter(|s| s.status == SubscriberStatus::Confirmed),
            Some(SignupState::Withdrawn) | None => None,
        };
        let subscriber = subscriber.ok_or(Rejection::InvalidLink)?;
        Ok(st.lang_or_default(Some(&subscriber.language)))
    })
    .await;
    match result {
        Ok(lang) => state.message(StatusCode::OK, &lang, "confirm_ok_title", "confirm_ok_text"),
        Err(r) => r.respond(&state, &state.visitor_lang(&headers, None)),
    }
}

async fn unsubscribe_page(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    let st = state.clone();
    let token = q.token.clone();
    match blocking(move || st.check_token(token.as_deref(), Purpose::Unsubscribe)).await {
        Ok(s) => {
            let lang = state.lang_or_default(Some(&s.language));
            state.button_page(&lang, "unsubscribe", &q.token.unwrap_or_default())
        }
        Err(r) => r.respond(&state, &state.visitor_lang(&headers, None)),
    }
}

/// RFC 8058 one-click: a POST (body `List-Unsubscribe=One-Click`, or the page's
/// button) unsubscribes at once; no redirect, no cookie. The token is the authority.
async fn unsubscribe(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    let st = state.clone();
    let result = blocking(move || {
        let s = st.check_token(q.token.as_deref(), Purpose::Unsubscribe)?;
        if s.status != SubscriberStatus::Unsubscribed {
            let store = st.store()?;
            store.set_status(s.id, SubscriberStatus::Unsubscribed)?;
        }
        Ok(st.lang_or_default(Some(&s.language)))
    })
    .await;
    match result {
        Ok(lang) => state.message(
            StatusCode::OK,
            &lang,
            "unsubscribed_title",
            "unsubscribed_text",
        ),
        Err(r) => r.respond(&state, &state.visitor_lang(&headers, None)),
    }
}

fn preferences_answer(state: &ServiceState, s: &Subscriber, token: &str, saved: bool) -> Response {
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
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    let st = state.clone();
    let token = q.token.clone();
    match blocking(move || st.check_token(token.as_deref(), Purpose::Preferences)).await {
        Ok(s) => preferences_answer(&state, &s, &q.token.unwrap_or_default(), false),
        Err(r) => r.respond(&state, &state.visitor_lang(&headers, None)),
    }
}

async fn preferences(
    State(state): Shared,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
    body: Bytes,
) -> Response {
    let fields = form_fields(&body);
    let visitor = state.visitor_lang(&headers, first(&fields, "language"));
    if !origin_allowed(&state.allowed_origins, &headers) {
        return Rejection::Origin.respond(&state, &visitor);
    }
    let st = state.clone();
    let token = q.token.clone();
    let result = blocking(move || {
        let s = st.check_token(token.as_deref(), Purpose::Preferences)?;
        let language = st.lang_or_default(first(&fields, "language").or(Some(&s.language)));
        let sectors = st.known_sectors(&fields);
        let store = st.store()?;
        store.set_preferences(s.id, &language, &sectors)?;
        store.get(s.id)?.ok_or(Rejection::InvalidLink)
    })
    .await;
    match result {
        Ok(s) => preferences_answer(&state, &s, &q.token.unwrap_or_default(), true),
        Err(r) => r.respond(&state, &visitor),
    }
}
