//! Erasure (GDPR Art. 17): a person's rows are deleted and only a keyed hash
//! of their address is kept, so that an import cannot add them back by
//! mistake. The key is `DUNAV_ERASURE_KEY`, or else a random key this
//! database made for itself; rotating `DUNAV_SECRET` never touches it.

use hmac::{Hmac, Mac};
use rusqlite::{OptionalExtension, params};
use sha2::Sha256;

use crate::store::{Store, StoreError, normalise_email, now_text};

/// The keyed hash kept for an erased address.
pub fn erasure_hash(email: &str, key: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"erased:");
    mac.update(email.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// The key new erasure hashes are made with.
    fn erasure_key(&self) -> Result<Vec<u8>, StoreError> {
        if let Some(key) = crate::env::erasure_key() {
            return Ok(key);
        }
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'erasure_key'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(key) = stored {
            return Ok(key.into_bytes());
        }
        let key = crate::random::hex(32);
        self.conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('erasure_key', ?1)",
            params![key],
        )?;
        // Another process may have won the race: read back what is stored.
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'erasure_key'",
                [],
                |r| r.get::<_, String>(0),
            )?
            .into_bytes())
    }

    /// Every key a hash may have been made with: the erasure key, and the
    /// link secrets that keyed erasures before it existed.
    fn erasure_keys(&self) -> Result<Vec<Vec<u8>>, StoreError> {
        let mut keys = vec![self.erasure_key()?];
        keys.extend(crate::env::legacy_erasure_keys());
        Ok(keys)
    }

    /// Whether an address (already normalised) was erased.
    pub fn is_erased(&self, email: &str) -> Result<bool, StoreError> {
        for key in self.erasure_keys()? {
            let found = self
                .conn
                .query_row(
                    "SELECT 1 FROM erased WHERE email_hash = ?1",
                    params![erasure_hash(email, &key)],
                    |_| Ok(()),
                )
                .optional()?;
            if found.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Deletes a person, their signups and their delivery history, keeping
    /// only a keyed hash of the address. True if there was a subscriber.
    pub fn erase(&mut self, email: &str) -> Result<bool, StoreError> {
        let email = normalise_email(email)
            .ok_or_else(|| StoreError::Invalid(format!("\"{email}\" is not an email address")))?;
        let hash = erasure_hash(&email, &self.erasure_key()?);
        let tx = self.conn.transaction()?;
        let id: Option<i64> = tx
            .query_row(
                "SELECT id FROM subscribers WHERE email = ?1",
                params![email],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = id {
            tx.execute(
                "DELETE FROM deliveries WHERE subscriber_id = ?1",
                params![id],
            )?;
            tx.execute("DELETE FROM subscribers WHERE id = ?1", params![id])?;
        }
        tx.execute("DELETE FROM signups WHERE email = ?1", params![email])?;
        tx.execute(
            "INSERT OR IGNORE INTO erased (email_hash, erased_at) VALUES (?1, ?2)",
            params![hash, now_text()],
        )?;
        tx.commit()?;
        Ok(id.is_some())
    }
}
