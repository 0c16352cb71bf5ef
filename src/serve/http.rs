//! The dev server: the site from memory, live reload over server-sent
//! events, an error overlay, and the newsletter preview.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};

use crate::content::links::percent_decode;
use crate::output::file_for_url;
use crate::serve::{ServeState, Signal, Viewing};

/// The script every served HTML page gets: reload, swap CSS, show errors.
pub const LIVE_RELOAD_JS: &str = r#"(() => {
  let overlay = null;
  const show = (text) => {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "dunav-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.92);color:#fff;padding:2rem;overflow:auto;font:15px/1.5 ui-monospace,monospace";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "<h2 style='margin-top:0;color:#ffb4a8'>dunav: the last save has errors</h2><p>The page shows the last good version. Fix the file and save again.</p>";
    const pre = document.createElement("pre");
    pre.style.whiteSpace = "pre-wrap";
    pre.textContent = text;
    overlay.appendChild(pre);
  };
  // The page this tab shows is rendered first after a change that touches many.
  const source = new EventSource("/__dunav/events?path=" + encodeURIComponent(location.pathname));
  source.addEventListener("hello", (e) => { const s = JSON.parse(e.data); if (s.error) show(s.error); });
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("css", () => {
    if (overlay) { location.reload(); return; }
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("dunav", Date.now());
      link.href = url.toString();
    }
  });
  source.addEventListener("build-error", (e) => show(JSON.parse(e.data)));
})();
"#;

const SCRIPT_TAG: &str = "<script src=\"/__dunav/live.js\" defer></script>";

pub fn router(state: Arc<ServeState>) -> Router {
    Router::new()
        .route("/__dunav/events", get(events))
        .route(
            "/__dunav/live.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    LIVE_RELOAD_JS,
                )
            }),
        )
        .route("/__dunav/newsletter/{issue}", get(newsletter_preview))
        .fallback(get(file))
        .with_state(state)
}

#[derive(serde::Deserialize)]
struct EventsQuery {
    /// The page the tab shows.
    path: Option<String>,
}

async fn events(
    State(state): State<Arc<ServeState>>,
    Query(query): Query<EventsQuery>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let viewing = query
        .path
        .map(|path| Viewing::start(&state, file_for_url(&percent_decode(&path))));
    let receiver = state.signals.subscribe();
    let hello = {
        let served = state.served.read().unwrap_or_else(|e| e.into_inner());
        serde_json::json!({ "version": served.version, "error": served.error }).to_string()
    };
    let first = stream::once(async move { Ok(Event::default().event("hello").data(hello)) });
    // The tab counts as viewing its page for as long as its stream is open.
    let rest = stream::unfold((receiver, viewing), |(mut receiver, viewing)| async move {
        let event = match receiver.recv().await {
            Ok(Signal::Reload(v)) => Event::default()
                .event("reload")
                .id(v.to_string())
                .data(v.to_string()),
            Ok(Signal::Css(v)) => Event::default()
                .event("css")
                .id(v.to_string())
                .data(v.to_string()),
            Ok(Signal::Error(text)) => Event::default()
                .event("build-error")
                .data(serde_json::to_string(&text).unwrap_or_default()),
            // A slow tab missed some signals: one reload covers them all.
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                Event::default().event("reload").data("lagged")
            }
            Ok(Signal::Shutdown) | Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                return None;
            }
        };
        Some((Ok(event), (receiver, viewing)))
    });
    Sse::new(futures_util::StreamExt::chain(first, rest))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn respond(path: &str, bytes: Bytes, status: StatusCode) -> Response {
    let mime = if path.ends_with("atom.xml") {
        "application/atom+xml"
            .parse()
            .unwrap_or(mime_guess::mime::TEXT_XML)
    } else {
        mime_guess::from_path(path).first_or_octet_stream()
    };
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text"
        || mime.essence_str() == "application/xml"
        || mime.essence_str() == "application/atom+xml"
        || mime.essence_str() == "application/javascript"
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body = if is_html {
        let html = String::from_utf8_lossy(&bytes);
        match html.rfind("</body>") {
            Some(i) => Bytes::from(format!("{}{SCRIPT_TAG}{}", &html[..i], &html[i..])),
            None => Bytes::from(format!("{html}{SCRIPT_TAG}")),
        }
    } else {
        bytes
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn file(State(state): State<Arc<ServeState>>, uri: Uri) -> Response {
    let path = percent_decode(uri.path());
    if path.split('/').any(|p| p == "..") {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let key = path.trim_start_matches('/').to_string();
    let index = file_for_url(&path);
    wait_until_rendered(&state, &[&index, &format!("{key}/index.html")]).await;
    let served = state.served.read().unwrap_or_else(|e| e.into_inner());
    if let Some(stored) = served.files.get(&index) {
        return match stored.bytes() {
            Ok(bytes) => respond(&index, bytes, StatusCode::OK),
            Err(_) => StatusCode::NOT_FOUND.into_response(),
        };
    }
    // A folder without its slash: send the browser to the slash, as web servers do.
    if served.files.contains_key(&format!("{key}/index.html")) {
        return Redirect::permanent(&format!("{}/", uri.path())).into_response();
    }
    // Until the site first builds there is nothing to show but the error;
    // the page carries the live-reload script, so the tab recovers by itself.
    if served.files.is_empty() {
        let page = Bytes::from_static(
            b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dunav: the site does not build yet</title></head><body><p>The site does not build yet; the errors are shown above. Fix them and save: this page reloads by itself.</p></body></html>",
        );
        return respond("index.html", page, StatusCode::SERVICE_UNAVAILABLE);
    }
    // Each language has its own not-found page (`/en/404.html`), else the default one.
    let language_404 = key
        .split_once('/')
        .map(|(first, _)| format!("{first}/404.html"))
        .filter(|p| served.files.contains_key(p));
    let not_found = language_404.unwrap_or_else(|| "404.html".into());
    match served.files.get(&not_found).and_then(|s| s.bytes().ok()) {
        Some(bytes) => respond("404.html", bytes, StatusCode::NOT_FOUND),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// Waits while any of `outputs` changed and is still being rendered; they
/// are rendered ahead of the rest (see [`crate::serve::requests`]).
async fn wait_until_rendered(state: &ServeState, outputs: &[&str]) {
    loop {
        // Made before looking, so that a notice sent in between is not missed.
        let settled = state.settled.notified();
        let pending: Vec<String> = {
            let served = state.served.read().unwrap_or_else(|e| e.into_inner());
            outputs
                .iter()
                .filter(|o| served.put_off.contains(**o))
                .map(|o| o.to_string())
                .collect()
        };
        if pending.is_empty() {
            return;
        }
        state.requests.ask(pending);
        settled.await;
    }
}

#[derive(serde::Deserialize)]
struct PreviewQuery {
    lang: Option<String>,
}

async fn newsletter_preview(
    State(state): State<Arc<ServeState>>,
    UrlPath(issue): UrlPath<String>,
    Query(q): Query<PreviewQuery>,
) -> Response {
    let (root, base_url) = {
        let served = state.served.read().unwrap_or_else(|e| e.into_inner());
        (served.root.clone(), served.base_url.clone())
    };
    let result = tokio::task::spawn_blocking(move || -> Result<String, String> {
        // Previews are rare: a fresh load keeps the rebuilder's site to itself.
        let options = crate::build::BuildOptions {
            future: true,
            drafts: true,
            base_url: Some(base_url),
            ..crate::build::BuildOptions::new(root)
        };
        let site = crate::build::load(&options).map_err(|f| f.0.to_string())?;
        let lang = q
            .lang
            .unwrap_or_else(|| site.config.default_language.clone());
        // Only the parts: a preview needs no sender identity and is never signed.
        let parts = crate::newsletter::sample::sample_parts(&site, &issue, &lang, "PREVIEW")
            .map_err(|e| e.to_string())?;
        Ok(parts.html)
    })
    .await;
    match result {
        Ok(Ok(html)) => Html(html).into_response(),
        Ok(Err(e)) => (StatusCode::NOT_FOUND, e).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
