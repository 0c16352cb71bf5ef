//! The service's answer pages, rendered with the site's theme.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::subscriptions::ServiceState;

/// What an answer page says.
#[derive(Serialize, Default)]
pub struct Answer {
    pub title: String,
    pub text: String,
    pub errors: Vec<String>,
    /// "", "confirm", "unsubscribe" or "preferences".
    pub form: &'static str,
    pub action: String,
    pub language: String,
    pub sectors: Vec<String>,
}

impl Answer {
    pub fn message(title: String, text: String) -> Answer {
        Answer {
            title,
            text,
            ..Answer::default()
        }
    }
}

impl ServiceState {
    /// An interface string in a language.
    pub fn string(&self, lang: &str, key: &str) -> String {
        self.site.string(lang, key)
    }

    /// A page with a title and a text from the interface strings.
    pub fn message(&self, status: StatusCode, lang: &str, title: &str, text: &str) -> Response {
        let answer = Answer::message(self.string(lang, title), self.string(lang, text));
        self.page(status, lang, answer)
    }

    /// A page that explains and offers one button (`form`: confirm, cancel or
    /// unsubscribe), which posts back with the token; its strings are
    /// `{form}_title` and `{form}_text`.
    pub fn button_page(&self, lang: &str, form: &'static str, token: &str) -> Response {
        let answer = Answer {
            title: self.string(lang, &format!("{form}_title")),
            text: self.string(lang, &format!("{form}_text")),
            form,
            action: format!("?token={token}"),
            ..Answer::default()
        };
        self.page(StatusCode::OK, lang, answer)
    }

    /// The answer page in `lang`; plain text if the theme's template fails.
    pub fn page(&self, status: StatusCode, lang: &str, answer: Answer) -> Response {
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
}
