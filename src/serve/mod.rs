//! `dunav serve`: the editing loop. A watcher notices saved files, the
//! rebuilder redoes only what they touch, and the dev server shows the result
//! from memory and tells open tabs to reload (server-sent events).

pub mod http;
pub mod memory;
pub mod rebuild;
pub mod search;
pub mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::sync::broadcast;

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
}

/// Shared between the HTTP handlers and the rebuild thread.
pub struct ServeState {
    pub served: RwLock<Served>,
    pub signals: broadcast::Sender<Signal>,
}

impl ServeState {
    pub fn new() -> Arc<ServeState> {
        let (signals, _) = broadcast::channel(64);
        Arc::new(ServeState {
            served: RwLock::new(Served::default()),
            signals,
        })
    }
}

/// Where and what to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub listen: SocketAddr,
}
