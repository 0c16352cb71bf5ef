//! The SQLite database, owned here alone: migrations, subscribers with their
//! consent record, signups waiting for confirmation (with their confirmation
//! mail's queue state), erased addresses (as keyed hashes) and the
//! newsletter's delivery journal. Nothing outside this module sees its connection.

mod address;
mod deliveries;
mod erasure;
mod signups;
mod subscribers;

use std::path::Path;

use rusqlite::Connection;

pub use address::normalise_email;
pub use deliveries::{Claimed, Counts, DeliveryState, HELD_AT_MOST};
pub use erasure::erasure_hash;
pub use signups::{ConfirmationMail, NewSignup, SignupOutcome, SignupState};
pub use subscribers::{NewSubscriber, Subscriber, SubscriberStatus, Upsert};

/// Schema migrations, applied in order; the database records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: subscribers, erasures and the delivery journal.
    "CREATE TABLE subscribers (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT,
        language TEXT NOT NULL,
        sectors TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'bounced')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        consent_at TEXT,
        consent_source TEXT,
        consent_version TEXT,
        consent_ip TEXT,
        confirmed_at TEXT,
        unsubscribed_at TEXT,
        token_key TEXT NOT NULL
    );
    CREATE TABLE erased (
        email_hash TEXT PRIMARY KEY,
        erased_at TEXT NOT NULL
    );
    CREATE TABLE deliveries (
        issue TEXT NOT NULL,
        subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
        email TEXT NOT NULL,
        language TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'deferred', 'skipped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        message_id TEXT,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (issue, subscriber_id)
    );
    CREATE INDEX deliveries_state ON deliveries (issue, state);",
    // 2: claiming the next delivery by an index, in subscriber order.
    "DROP INDEX deliveries_state;
    CREATE INDEX deliveries_claim ON deliveries (issue, state, subscriber_id);",
    // 3: a signup changes nothing until it is confirmed: it waits here, with
    // its confirmation mail's place in the queue. Pending subscribers of the
    // earlier scheme could never confirm with the new links: they go.
    "CREATE TABLE signups (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL,
        name TEXT,
        language TEXT NOT NULL,
        sectors TEXT NOT NULL DEFAULT '',
        consent_at TEXT NOT NULL,
        consent_source TEXT,
        consent_version TEXT,
        consent_ip TEXT,
        token_key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        mail_state TEXT NOT NULL CHECK (mail_state IN ('queued', 'sending', 'sent', 'failed')),
        mail_attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    CREATE INDEX signups_email ON signups (email, created_at);
    CREATE INDEX signups_mail ON signups (mail_state, next_attempt_at);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    DELETE FROM subscribers WHERE status = 'pending';",
    // 4: a confirmed or withdrawn signup's link keeps working until it
    // expires (a mail client's one-click unsubscribe may come after the
    // confirmation, or twice); only its key and outcome are kept, not the address.
    "CREATE TABLE closed_signups (
        id INTEGER PRIMARY KEY,
        token_key TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        language TEXT NOT NULL,
        subscriber_id INTEGER REFERENCES subscribers(id) ON DELETE CASCADE
    );
    CREATE INDEX closed_signups_subscriber ON closed_signups (subscriber_id);",
    // 5: when the server first deferred a delivery held between runs (Unix
    // seconds): one deferred for days is given up, as a mail server would.
    "ALTER TABLE deliveries ADD COLUMN held_since INTEGER;",
];

/// Store errors, for the CLI and the service to word.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

/// The current time as RFC 3339 UTC, the form every timestamp is stored in.
pub fn now_text() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The current time as a Unix time, for the columns compared with "now".
pub fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// The subscriber database.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating) the database, in WAL mode, and runs pending migrations.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL is durable in WAL mode except for the last commits on power loss.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }
}
