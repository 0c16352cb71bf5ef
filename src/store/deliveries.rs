//! The delivery journal: one row per issue and subscriber, written before
//! and after each SMTP transaction, so a crashed send can be resumed.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};

use crate::store::{Store, StoreError, now_text};

/// A delivery's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    Queued,
    /// An SMTP transaction is (or was, at a crash) under way.
    Sending,
    Sent,
    Failed,
    /// A temporary failure; retried after `next_attempt_at`.
    Deferred,
    /// Not sent: the subscriber left before their turn.
    Skipped,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sending => "sending",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
            DeliveryState::Deferred => "deferred",
            DeliveryState::Skipped => "skipped",
        }
    }
}

/// The retry time of a delivery held for the next run: never due in this one.
const HELD: i64 = i64::MAX;

/// How long a delivery the server keeps deferring is held for later runs.
pub const HELD_AT_MOST: i64 = 5 * 86_400;

/// One delivery claimed for sending.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub subscriber_id: i64,
    pub email: String,
    pub language: String,
    pub attempts: i64,
}

/// Counts of an issue's deliveries by state.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    pub deferred: i64,
    pub skipped: i64,
}

impl Counts {
    pub fn total(&self) -> i64 {
        self.queued + self.sending + self.sent + self.failed + self.deferred + self.skipped
    }
}

impl Store {
    /// Adds every confirmed subscriber not yet in the issue's journal; returns how many.
    pub fn enqueue(&mut self, issue: &str) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "INSERT OR IGNORE INTO deliveries (issue, subscriber_id, email, language, state, updated_at)
             SELECT ?1, id, email, language, 'queued', ?2 FROM subscribers WHERE status = 'confirmed'",
            params![issue, now_text()],
        )?)
    }

    /// Marks queued deliveries of people who are no longer confirmed as skipped.
    pub fn skip_departed(&self, issue: &str) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE deliveries SET state = 'skipped', updated_at = ?2
             WHERE issue = ?1 AND state IN ('queued', 'deferred')
               AND subscriber_id IN (SELECT id FROM subscribers WHERE status <> 'confirmed')",
            params![issue, now_text()],
        )?)
    }

    /// A restored address's failed deliveries go back to the queue: the next
    /// `send` of an issue it missed sends it; returns how many.
    pub fn requeue_failed_of(&self, subscriber_id: i64) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE deliveries SET state = 'queued', attempts = 0, last_error = NULL,
               next_attempt_at = 0, updated_at = ?2, held_since = NULL
             WHERE subscriber_id = ?1 AND state = 'failed'",
            params![subscriber_id, now_text()],
        )?)
    }

    /// Deliveries left `sending` by a crash go back to the queue: the only ones that may go out twice.
    pub fn requeue_in_flight(&self, issue: &str) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE deliveries SET state = 'queued', updated_at = ?2 WHERE issue = ?1 AND state = 'sending'",
            params![issue, now_text()],
        )?)
    }

    /// Takes the next due delivery and marks it `sending`, in one transaction.
    pub fn claim(&mut self, issue: &str, now: i64) -> Result<Option<Claimed>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Two indexed look-ups rather than one sorted scan: claiming stays
        // O(log n) however many subscribers an issue has.
        let pick = |sql: &str| -> rusqlite::Result<Option<Claimed>> {
            tx.query_row(sql, params![issue, now], |r| {
                Ok(Claimed {
                    subscriber_id: r.get(0)?,
                    email: r.get(1)?,
                    language: r.get(2)?,
                    attempts: r.get(3)?,
                })
            })
            .optional()
        };
        let row = match pick(
            "SELECT subscriber_id, email, language, attempts FROM deliveries
             WHERE issue = ?1 AND state = 'queued' AND ?2 = ?2 ORDER BY subscriber_id LIMIT 1",
        )? {
            Some(row) => Some(row),
            None => pick(
                "SELECT subscriber_id, email, language, attempts FROM deliveries
                 WHERE issue = ?1 AND state = 'deferred' AND next_attempt_at <= ?2 ORDER BY subscriber_id LIMIT 1",
            )?,
        };
        if let Some(claimed) = &row {
            tx.execute(
                "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ?3
                 WHERE issue = ?1 AND subscriber_id = ?2",
                params![issue, claimed.subscriber_id, now_text()],
            )?;
        }
        tx.commit()?;
        Ok(row)
    }

    /// Records how a delivery ended.
    pub fn finish(
        &self,
        issue: &str,
        id: i64,
        state: DeliveryState,
        error: Option<&str>,
        message_id: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE deliveries SET state = ?3, last_error = COALESCE(?4, last_error),
                message_id = COALESCE(?5, message_id), updated_at = ?6
             WHERE issue = ?1 AND subscriber_id = ?2",
            params![issue, id, state.as_str(), error, message_id, now_text()],
        )?;
        Ok(())
    }

    /// Puts a delivery aside until `retry_at` after a temporary failure.
    pub fn defer(
        &self,
        issue: &str,
        id: i64,
        error: &str,
        retry_at: i64,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE deliveries SET state = 'deferred', last_error = ?3, next_attempt_at = ?4, updated_at = ?5
             WHERE issue = ?1 AND subscriber_id = ?2",
            params![issue, id, error, retry_at, now_text()],
        )?;
        Ok(())
    }

    /// Keeps a delivery the server deferred through every attempt for the
    /// next run (`deferred` until [`HELD`]: this run does not wait for it).
    /// `deferred`: the server said "try later" (4xx) through every attempt;
    /// such a delivery is given up, failed with why, when it is deferred
    /// again more than [`HELD_AT_MOST`] after its first deferral (mail
    /// servers give up after five days too: a digest weeks late is no longer
    /// news). So it is always tried once more first, however long between
    /// sends. A message the server refused is held until the operator sees
    /// to it. Returns whether the delivery was given up.
    pub fn hold(
        &self,
        issue: &str,
        id: i64,
        error: &str,
        deferred: bool,
    ) -> Result<bool, StoreError> {
        let now = deferred.then(|| jiff::Timestamp::now().as_second());
        let given_up: Option<bool> = self
            .conn
            .query_row(
            "UPDATE deliveries SET
               state = CASE WHEN held_since < ?6 - ?7 THEN 'failed' ELSE 'deferred' END,
               last_error = CASE WHEN held_since < ?6 - ?7
                 THEN 'deferred by the server for more than ' || (?7 / 86400) || ' days, given up: ' || ?3
                 ELSE ?3 END,
               next_attempt_at = ?4, updated_at = ?5,
               held_since = CASE WHEN ?6 IS NULL THEN NULL ELSE COALESCE(held_since, ?6) END
             WHERE issue = ?1 AND subscriber_id = ?2
             RETURNING state = 'failed'",
            params![issue, id, error, HELD, now_text(), now, HELD_AT_MOST],
            |r| r.get(0),
        )
            .optional()?;
        Ok(given_up == Some(true))
    }

    /// The deliveries held by the last run go back to the queue with their
    /// attempts counted anew; returns how many.
    pub fn requeue_held(&self, issue: &str) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE deliveries SET state = 'queued', attempts = 0, updated_at = ?2
             WHERE issue = ?1 AND state = 'deferred' AND next_attempt_at = ?3",
            params![issue, now_text(), HELD],
        )?)
    }

    /// Puts a claimed delivery back untouched (the server could not be reached).
    pub fn release(&self, issue: &str, id: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE deliveries SET state = 'queued', attempts = MAX(attempts - 1, 0), updated_at = ?3
             WHERE issue = ?1 AND subscriber_id = ?2",
            params![issue, id, now_text()],
        )?;
        Ok(())
    }

    /// The earliest retry time of deferred deliveries, if any.
    pub fn next_retry(&self, issue: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.conn.query_row(
            "SELECT MIN(next_attempt_at) FROM deliveries
             WHERE issue = ?1 AND state = 'deferred' AND next_attempt_at < ?2",
            params![issue, HELD],
            |r| r.get(0),
        )?)
    }

    /// Counts of an issue's deliveries by state.
    pub fn counts(&self, issue: &str) -> Result<Counts, StoreError> {
        let mut counts = Counts::default();
        let mut stmt = self
            .conn
            .prepare("SELECT state, COUNT(*) FROM deliveries WHERE issue = ?1 GROUP BY state")?;
        let rows = stmt.query_map(params![issue], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (state, n) = row?;
            match state.as_str() {
                "queued" => counts.queued = n,
                "sending" => counts.sending = n,
                "sent" => counts.sent = n,
                "failed" => counts.failed = n,
                "deferred" => counts.deferred = n,
                "skipped" => counts.skipped = n,
                _ => {}
            }
        }
        Ok(counts)
    }

    /// An issue's deliveries that failed or wait for a retry, with the
    /// server's last words: (address, state, error), by address.
    pub fn problems(&self, issue: &str) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT email, state, COALESCE(last_error, '') FROM deliveries
             WHERE issue = ?1 AND state IN ('failed', 'deferred') ORDER BY email",
        )?;
        let rows = stmt.query_map([issue], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The subscribers whose delivery of an issue is over: sent, failed or skipped.
    pub fn finished(&self, issue: &str) -> Result<HashSet<i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT subscriber_id FROM deliveries WHERE issue = ?1 AND state IN ('sent', 'failed', 'skipped')",
        )?;
        let rows = stmt.query_map([issue], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::subscribers::NewSubscriber;

    #[test]
    fn a_delivery_held_for_more_than_five_days_fails_and_a_newer_one_is_retried() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let mut ids = Vec::new();
        for email in ["old@example.bg", "new@example.bg"] {
            let new = NewSubscriber {
                email: email.into(),
                language: "bg".into(),
                ..Default::default()
            };
            ids.push(store.upsert(&new).unwrap().1);
        }
        store.enqueue("2026-11").unwrap();
        for &id in &ids {
            store.hold("2026-11", id, "450 mailbox busy", true).unwrap();
        }
        let now = jiff::Timestamp::now().as_second();
        // Held again later, the first deferral's time stays.
        store
            .conn
            .execute(
                "UPDATE deliveries SET held_since = ?1 WHERE subscriber_id = ?2",
                params![now - HELD_AT_MOST - 60, ids[0]],
            )
            .unwrap();
        assert!(
            store
                .hold("2026-11", ids[0], "450 still busy", true)
                .unwrap()
        );
        // A refused message is held, never given up by age.
        store
            .hold("2026-11", ids[1], "554 content refused", false)
            .unwrap();
        store
            .conn
            .execute(
                "UPDATE deliveries SET held_since = ?1 WHERE subscriber_id = ?2",
                params![now - HELD_AT_MOST - 60, ids[1]],
            )
            .unwrap();
        assert!(
            !store
                .hold("2026-11", ids[1], "554 content refused", false)
                .unwrap()
        );
        assert_eq!(store.requeue_held("2026-11").unwrap(), 1);
        let counts = store.counts("2026-11").unwrap();
        assert_eq!((counts.failed, counts.queued), (1, 1));
        let problems = store.problems("2026-11").unwrap();
        assert!(
            problems.iter().any(|p| p.0 == "old@example.bg"
                && p.2.contains("more than 5 days")
                && p.2.contains("450 still busy")),
            "{problems:?}"
        );
        // Restored, its five days start again.
        assert_eq!(store.requeue_failed_of(ids[0]).unwrap(), 1);
        let since: Option<i64> = store
            .conn
            .query_row(
                "SELECT held_since FROM deliveries WHERE subscriber_id = ?1",
                params![ids[0]],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(since, None);
    }
}
