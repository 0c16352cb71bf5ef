//! `dunav serve`: the editing loop. A watcher notices saved files, the
//! rebuilder redoes only what they touch, and the dev server shows the result
//! from memory and tells open tabs to reload (server-sent events).

pub mod http;
pub mod rebuild;
pub mod requests;
pub mod search;
pub mod watch;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use tokio::sync::{Notify, broadcast};

/// What open browser tabs are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Outputs changed: reload the page.
    Reload(u64),
    /// Only stylesheets changed: swap them in without a reload.
    Css(u64),
    /// The last rebuild failed; the text names file, line and field.
    Error(String),
    /// The server is stopping: end every event stream so shutdown need not wait for tabs.
    Shutdown,
}

/// The site as served: every output in memory, and the last error if any.
#[derive(Default)]
pub struct Served {
    pub files: crate::output::StoredFiles,
    pub error: Option<String>,
    pub version: u64,
    /// The site folder, for the newsletter preview.
    pub root: PathBuf,
    /// The dev server's own address, as the site's base URL.
    pub base_url: String,
    /// Outputs that changed but are still being rendered: the pages open in
    /// a browser are rendered and shown first, and a request for one of
    /// these waits for the rest (see [`ServeState::settled`]).
    pub put_off: HashSet<String>,
}

/// Shared between the HTTP handlers and the rebuild thread.
pub struct ServeState {
    pub served: RwLock<Served>,
    pub signals: broadcast::Sender<Signal>,
    /// The outputs open in browser tabs (by output path), with how many tabs show each.
    pub viewing: Mutex<HashMap<String, usize>>,
    /// Told when the outputs put off are in place.
    pub settled: Notify,
    /// Outputs put off that requests wait for, to be rendered ahead of the rest.
    pub requests: requests::Requests,
}

impl ServeState {
    pub fn new() -> Arc<ServeState> {
        let (signals, _) = broadcast::channel(64);
        Arc::new(ServeState {
            served: RwLock::new(Served::default()),
            signals,
            viewing: Mutex::new(HashMap::new()),
            settled: Notify::new(),
            requests: requests::Requests::default(),
        })
    }

    /// The outputs open in browser tabs now.
    pub fn viewed(&self) -> HashSet<String> {
        self.viewing
            .lock()
            .map(|v| v.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// One tab's page, counted in [`ServeState::viewing`] while its event stream lasts.
pub struct Viewing {
    state: Arc<ServeState>,
    output: String,
}

impl Viewing {
    pub fn start(state: &Arc<ServeState>, output: String) -> Viewing {
        if let Ok(mut viewing) = state.viewing.lock() {
            *viewing.entry(output.clone()).or_default() += 1;
        }
        Viewing {
            state: state.clone(),
            output,
        }
    }
}

impl Drop for Viewing {
    fn drop(&mut self) {
        if let Ok(mut viewing) = self.state.viewing.lock()
            && let Some(count) = viewing.get_mut(&self.output)
        {
            *count -= 1;
            if *count == 0 {
                viewing.remove(&self.output);
            }
        }
    }
}

/// Where and what to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub listen: SocketAddr,
}
