//! Every way the service can turn a request down, and the page it answers
//! with: the right status, in the visitor's language, never revealing whether
//! an address is on the list.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::subscriptions::ServiceState;
use crate::subscriptions::answer::Answer;

/// Why a request was refused.
#[derive(Debug)]
pub enum Rejection {
    /// The link is damaged, forged, for another purpose, or its subscriber is gone.
    InvalidLink,
    /// A confirmation link past its seven days; its signature is good, so the
    /// answer may be in its subscriber's language.
    ExpiredLink { lang: String },
    /// A form posted from another site.
    Origin,
    /// The form has errors: interface string keys, one per problem.
    Form(Vec<&'static str>),
    /// Over the rate limit.
    TooMany,
    /// The store or the server failed; the cause is logged, not shown.
    Unavailable(String),
}

impl Rejection {
    fn status(&self) -> StatusCode {
        match self {
            Rejection::InvalidLink => StatusCode::BAD_REQUEST,
            Rejection::ExpiredLink { .. } => StatusCode::GONE,
            Rejection::Origin => StatusCode::FORBIDDEN,
            Rejection::Form(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Rejection::TooMany => StatusCode::TOO_MANY_REQUESTS,
            Rejection::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The answer page in the visitor's language `lang`.
    pub fn respond(self, state: &ServiceState, lang: &str) -> Response {
        let status = self.status();
        let lang = match &self {
            Rejection::ExpiredLink { lang } => lang.as_str(),
            _ => lang,
        };
        let s = |key: &str| state.string(lang, key);
        let answer = match &self {
            Rejection::InvalidLink => {
                Answer::message(s("link_invalid_title"), s("link_invalid_text"))
            }
            Rejection::ExpiredLink { .. } => {
                Answer::message(s("link_invalid_title"), s("link_expired_text"))
            }
            Rejection::Origin => Answer::message(s("fix_errors"), s("error_origin")),
            Rejection::Form(errors) => Answer {
                title: s("fix_errors"),
                errors: errors.iter().map(|k| s(k)).collect(),
                ..Answer::default()
            },
            Rejection::TooMany => Answer::message(s("too_many_title"), s("too_many_text")),
            Rejection::Unavailable(cause) => {
                eprintln!("error: {cause}");
                Answer::message(s("unavailable_title"), s("unavailable_text"))
            }
        };
        let mut response = state.page(status, lang, answer);
        if matches!(self, Rejection::TooMany) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        response
    }
}

impl From<crate::store::StoreError> for Rejection {
    fn from(e: crate::store::StoreError) -> Rejection {
        Rejection::Unavailable(format!("store: {e}"))
    }
}
