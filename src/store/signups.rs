//! Signups: a form post changes no subscriber. It is kept here, with its
//! consent record and its own token key, until the person opens the mailed
//! link; only then are its language, sectors and consent applied. Each row
//! is also its confirmation mail's place in a durable queue, sent by the
//! service's mail worker, so a signup is answered at once, the same way for
//! everyone. At most one signup per address is kept per cooldown. On
//! confirmation or withdrawal a row goes, and only its key and outcome stay
//! (`closed_signups`) until its link expires: the link still answers.

use rusqlite::{OptionalExtension, params};

use crate::store::{Store, StoreError, Subscriber, now_text, unix_now};

/// A signup as the form sent it.
#[derive(Debug, Clone, Default)]
pub struct NewSignup {
    /// Already normalised.
    pub email: String,
    pub name: Option<String>,
    pub language: String,
    pub sectors: Vec<String>,
    pub consent_source: Option<String>,
    pub consent_version: Option<String>,
    pub consent_ip: Option<String>,
}

/// What became of a signup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupOutcome {
    /// Kept, its confirmation mail queued.
    Queued(i64),
    /// The address had a signup within the cooldown: nothing kept, nothing mailed.
    CoolingDown,
}

/// Where a signup stands, as its links see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupState {
    Waiting,
    Withdrawn,
    /// Confirmed into this subscriber.
    Confirmed(i64),
}

/// A confirmation mail to send.
#[derive(Debug, Clone)]
pub struct ConfirmationMail {
    pub signup: i64,
    pub email: String,
    pub name: Option<String>,
    pub language: String,
    pub token_key: String,
    pub expires_at: i64,
    pub attempts: i64,
}

impl Store {
    /// Keeps a signup and queues its mail, unless the address had one within `cooldown` seconds.
    pub fn add_signup(
        &mut self,
        new: &NewSignup,
        cooldown: i64,
        lifetime: i64,
    ) -> Result<SignupOutcome, StoreError> {
        let now = unix_now();
        let tx = self.conn.transaction()?;
        let recent: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM signups WHERE email = ?1 AND created_at > ?2 LIMIT 1",
                params![new.email, now - cooldown],
                |r| r.get(0),
            )
            .optional()?;
        if recent.is_some() {
            return Ok(SignupOutcome::CoolingDown);
        }
        tx.execute(
            // A new id, never a closed signup's, whose link still works.
            "INSERT INTO signups (id, email, name, language, sectors, consent_at, consent_source,
                consent_version, consent_ip, token_key, created_at, expires_at, mail_state)
             VALUES (1 + MAX(COALESCE((SELECT MAX(id) FROM signups), 0),
                             COALESCE((SELECT MAX(id) FROM closed_signups), 0)),
                ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'queued')",
            params![
                new.email,
                new.name,
                new.language,
                new.sectors.join(","),
                now_text(),
                new.consent_source,
                new.consent_version,
                new.consent_ip,
                crate::random::hex(16),
                now,
                now + lifetime
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(SignupOutcome::Queued(id))
    }

    /// Takes the next due confirmation mail and marks it `sending`.
    pub fn claim_confirmation(&mut self) -> Result<Option<ConfirmationMail>, StoreError> {
        let now = unix_now();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mail = tx
            .query_row(
                "SELECT id, email, name, language, token_key, expires_at, mail_attempts FROM signups
                 WHERE mail_state = 'queued' AND next_attempt_at <= ?1 AND expires_at > ?1
                 ORDER BY next_attempt_at, id LIMIT 1",
                params![now],
                |r| {
                    Ok(ConfirmationMail {
                        signup: r.get(0)?,
                        email: r.get(1)?,
                        name: r.get(2)?,
                        language: r.get(3)?,
                        token_key: r.get(4)?,
                        expires_at: r.get(5)?,
                        attempts: r.get(6)?,
                    })
                },
            )
            .optional()?;
        if let Some(mail) = &mail {
            tx.execute(
                "UPDATE signups SET mail_state = 'sending', mail_attempts = mail_attempts + 1 WHERE id = ?1",
                params![mail.signup],
            )?;
        }
        tx.commit()?;
        Ok(mail)
    }

    /// Records how a confirmation mail went: sent, retried at `retry_at`, or given up.
    pub fn confirmation_done(
        &self,
        signup: i64,
        outcome: Result<(), (&str, Option<i64>)>,
    ) -> Result<(), StoreError> {
        match outcome {
            Ok(()) => self.conn.execute(
                "UPDATE signups SET mail_state = 'sent', last_error = NULL WHERE id = ?1",
                params![signup],
            )?,
            Err((error, Some(retry_at))) => self.conn.execute(
                "UPDATE signups SET mail_state = 'queued', last_error = ?2, next_attempt_at = ?3 WHERE id = ?1",
                params![signup, error, retry_at],
            )?,
            Err((error, None)) => self.conn.execute(
                "UPDATE signups SET mail_state = 'failed', last_error = ?2 WHERE id = ?1",
                params![signup, error],
            )?,
        };
        Ok(())
    }

    /// Mails left `sending` by a crash go back to the queue, and queued ones
    /// are due now: a restart is often the owner's fix of the mail setup.
    pub fn requeue_confirmations(&self) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE signups SET mail_state = 'queued', next_attempt_at = MIN(next_attempt_at, ?1)
             WHERE mail_state IN ('sending', 'queued')",
            params![unix_now()],
        )?)
    }

    /// When the next queued confirmation mail is due, if any.
    pub fn next_confirmation_at(&self) -> Result<Option<i64>, StoreError> {
        Ok(self.conn.query_row(
            "SELECT MIN(next_attempt_at) FROM signups WHERE mail_state = 'queued' AND expires_at > ?1",
            params![unix_now()],
            |r| r.get(0),
        )?)
    }

    /// A signup's token key and expiry, to check its link; a closed one's
    /// too, until its link expires.
    pub fn signup_key(&self, signup: i64) -> Result<Option<(String, i64)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT token_key, expires_at FROM signups WHERE id = ?1
                 UNION ALL SELECT token_key, expires_at FROM closed_signups WHERE id = ?1",
                params![signup],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The language a signup chose.
    pub fn signup_language(&self, signup: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT language FROM signups WHERE id = ?1
                 UNION ALL SELECT language FROM closed_signups WHERE id = ?1",
                params![signup],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Whether a signup waits, was withdrawn or was confirmed (and into whom).
    pub fn signup_state(&self, signup: i64) -> Result<Option<SignupState>, StoreError> {
        let waiting = self
            .conn
            .query_row(
                "SELECT 1 FROM signups WHERE id = ?1",
                params![signup],
                |_| Ok(()),
            )
            .optional()?;
        if waiting.is_some() {
            return Ok(Some(SignupState::Waiting));
        }
        let closed: Option<Option<i64>> = self
            .conn
            .query_row(
                "SELECT subscriber_id FROM closed_signups WHERE id = ?1",
                params![signup],
                |r| r.get(0),
            )
            .optional()?;
        Ok(closed.map(|subscriber| match subscriber {
            Some(id) => SignupState::Confirmed(id),
            None => SignupState::Withdrawn,
        }))
    }

    /// The address a waiting signup is for.
    fn signup_email(tx: &rusqlite::Connection, signup: i64) -> Result<Option<String>, StoreError> {
        Ok(tx
            .query_row(
                "SELECT email FROM signups WHERE id = ?1",
                params![signup],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps the links of every signup of `email` usable until they expire,
    /// as leading to `subscriber` (confirmed) or to nobody (withdrawn).
    fn close_signups(
        tx: &rusqlite::Connection,
        email: &str,
        subscriber: Option<i64>,
    ) -> Result<(), StoreError> {
        tx.execute(
            "INSERT OR REPLACE INTO closed_signups (id, token_key, expires_at, language, subscriber_id)
             SELECT id, token_key, expires_at, language, ?2 FROM signups WHERE email = ?1",
            params![email, subscriber],
        )?;
        Ok(())
    }

    /// Applies a confirmed signup: the address becomes (or stays) a confirmed
    /// subscriber with this signup's language, sectors and consent record.
    /// The signup and every other pending one of the address are deleted, so
    /// no link mailed before can be used again.
    pub fn confirm_signup(&mut self, signup: i64) -> Result<Option<Subscriber>, StoreError> {
        let now = now_text();
        let tx = self.conn.transaction()?;
        let email = Self::signup_email(&tx, signup)?;
        let Some(email) = email else {
            return Ok(None);
        };
        tx.execute(
            "INSERT INTO subscribers (email, name, language, sectors, status, created_at, updated_at,
                consent_at, consent_source, consent_version, consent_ip, confirmed_at, token_key)
             SELECT email, name, language, sectors, 'confirmed', ?2, ?2,
                consent_at, consent_source, consent_version, consent_ip, ?2, ?3
             FROM signups WHERE id = ?1
             ON CONFLICT (email) DO UPDATE SET
                name = COALESCE(excluded.name, subscribers.name),
                language = excluded.language, sectors = excluded.sectors,
                status = 'confirmed', updated_at = excluded.updated_at,
                consent_at = excluded.consent_at, consent_source = excluded.consent_source,
                consent_version = excluded.consent_version, consent_ip = excluded.consent_ip,
                confirmed_at = excluded.confirmed_at",
            params![signup, now, crate::random::hex(16)],
        )?;
        let subscriber: i64 = tx.query_row(
            "SELECT id FROM subscribers WHERE email = ?1",
            params![email],
            |r| r.get(0),
        )?;
        Self::close_signups(&tx, &email, Some(subscriber))?;
        tx.execute("DELETE FROM signups WHERE email = ?1", params![email])?;
        tx.commit()?;
        self.find(&email)
    }

    /// Withdraws a signup (and any other waiting for its address); true if there was one.
    pub fn cancel_signup(&mut self, signup: i64) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let email = Self::signup_email(&tx, signup)?;
        let Some(email) = email else {
            return Ok(false);
        };
        Self::close_signups(&tx, &email, None)?;
        tx.execute("DELETE FROM signups WHERE email = ?1", params![email])?;
        tx.commit()?;
        Ok(true)
    }

    /// Deletes signups whose link has expired, waiting or closed; returns
    /// how many waited.
    pub fn purge_expired_signups(&self) -> Result<usize, StoreError> {
        self.conn.execute(
            "DELETE FROM closed_signups WHERE expires_at <= ?1",
            params![unix_now()],
        )?;
        Ok(self.conn.execute(
            "DELETE FROM signups WHERE expires_at <= ?1",
            params![unix_now()],
        )?)
    }

    /// Signups waiting for confirmation, by state of their mail (for `subscribers count`).
    pub fn signup_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT mail_state, COUNT(*) FROM signups GROUP BY mail_state ORDER BY mail_state",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
