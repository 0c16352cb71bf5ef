//! Subscribers: adding and merging with consent, confirming, preferences,
//! leaving, and erasure that keeps only a keyed hash.

use rusqlite::{OptionalExtension, params};

use crate::store::{Store, StoreError, normalise_email, now_text};

/// Where a subscriber stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriberStatus {
    Pending,
    Confirmed,
    Unsubscribed,
    Bounced,
}

impl SubscriberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriberStatus::Pending => "pending",
            SubscriberStatus::Confirmed => "confirmed",
            SubscriberStatus::Unsubscribed => "unsubscribed",
            SubscriberStatus::Bounced => "bounced",
        }
    }

    pub fn parse(text: &str) -> Option<SubscriberStatus> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "pending" => SubscriberStatus::Pending,
            "confirmed" | "" => SubscriberStatus::Confirmed,
            "unsubscribed" => SubscriberStatus::Unsubscribed,
            "bounced" => SubscriberStatus::Bounced,
            _ => return None,
        })
    }
}

/// One subscriber and their consent record.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Subscriber {
    pub id: i64,
    pub email: String,
    pub name: Option<String>,
    pub language: String,
    pub sectors: Vec<String>,
    pub status: SubscriberStatus,
    pub created_at: String,
    pub consent_at: Option<String>,
    pub consent_source: Option<String>,
    pub consent_version: Option<String>,
    pub consent_ip: Option<String>,
    pub confirmed_at: Option<String>,
    pub unsubscribed_at: Option<String>,
    /// Random per subscriber; part of every token's signature, never sent.
    #[serde(skip)]
    pub token_key: String,
}

/// What adding or importing a subscriber did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Added,
    Updated,
    /// Left as it was, every field: unsubscribed or bounced people stay so
    /// without new consent, and what they last chose stays theirs.
    KeptStatus,
    /// The address was erased before and cannot be added by import.
    Erased,
}

/// A new subscriber's details and consent.
#[derive(Debug, Clone, Default)]
pub struct NewSubscriber {
    pub email: String,
    pub name: Option<String>,
    pub language: String,
    pub sectors: Vec<String>,
    pub status: Option<SubscriberStatus>,
    pub consent_source: Option<String>,
    pub consent_version: Option<String>,
    pub consent_ip: Option<String>,
}

impl Store {
    /// Adds or merges a subscriber by hand (the CLI's add and import). An
    /// unsubscribed or bounced person is never made confirmed again here, and
    /// an erased address is not added back; that takes a confirmed signup.
    pub fn upsert(&mut self, new: &NewSubscriber) -> Result<(Upsert, i64), StoreError> {
        let email = normalise_email(&new.email).ok_or_else(|| {
            StoreError::Invalid(format!("\"{}\" is not an email address", new.email))
        })?;
        if self.is_erased(&email)? {
            return Ok((Upsert::Erased, 0));
        }
        let now = now_text();
        let sectors = new.sectors.join(",");
        let status = new.status.unwrap_or(SubscriberStatus::Confirmed);
        let tx = self.conn.transaction()?;
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, status FROM subscribers WHERE email = ?1",
                params![email],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let result = match existing {
            None => {
                let confirmed_at = (status == SubscriberStatus::Confirmed).then(|| now.clone());
                tx.execute(
                    "INSERT INTO subscribers (email, name, language, sectors, status, created_at, updated_at,
                        consent_at, consent_source, consent_version, consent_ip, confirmed_at, token_key)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6, ?7, ?8, ?9, ?10, ?11)",
                    params![
                        email, new.name, new.language, sectors, status.as_str(), now,
                        new.consent_source, new.consent_version, new.consent_ip, confirmed_at, crate::random::hex(16)
                    ],
                )?;
                (Upsert::Added, tx.last_insert_rowid())
            }
            Some((id, old_status)) => {
                let old = SubscriberStatus::parse(&old_status).unwrap_or(SubscriberStatus::Pending);
                let left = matches!(
                    old,
                    SubscriberStatus::Unsubscribed | SubscriberStatus::Bounced
                );
                if left {
                    return Ok((Upsert::KeptStatus, id));
                }
                let keep_status =
                    old == SubscriberStatus::Confirmed && status == SubscriberStatus::Pending;
                let new_status = if keep_status { old } else { status };
                tx.execute(
                    "UPDATE subscribers SET name = COALESCE(?2, name), language = ?3, sectors = ?4, status = ?5, updated_at = ?6,
                        confirmed_at = CASE WHEN ?5 = 'confirmed' AND status <> 'confirmed' THEN ?6 ELSE confirmed_at END
                     WHERE id = ?1",
                    params![id, new.name, new.language, sectors, new_status.as_str(), now],
                )?;
                (Upsert::Updated, id)
            }
        };
        tx.commit()?;
        Ok(result)
    }

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Subscriber> {
        let sectors: String = r.get("sectors")?;
        let status: String = r.get("status")?;
        Ok(Subscriber {
            id: r.get("id")?,
            email: r.get("email")?,
            name: r.get("name")?,
            language: r.get("language")?,
            sectors: sectors
                .split(',')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            status: SubscriberStatus::parse(&status).unwrap_or(SubscriberStatus::Pending),
            created_at: r.get("created_at")?,
            consent_at: r.get("consent_at")?,
            consent_source: r.get("consent_source")?,
            consent_version: r.get("consent_version")?,
            consent_ip: r.get("consent_ip")?,
            confirmed_at: r.get("confirmed_at")?,
            unsubscribed_at: r.get("unsubscribed_at")?,
            token_key: r.get("token_key")?,
        })
    }

    pub fn get(&self, id: i64) -> Result<Option<Subscriber>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT * FROM subscribers WHERE id = ?1",
                params![id],
                Self::row,
            )
            .optional()?)
    }

    pub fn find(&self, email: &str) -> Result<Option<Subscriber>, StoreError> {
        let Some(email) = normalise_email(email) else {
            return Ok(None);
        };
        Ok(self
            .conn
            .query_row(
                "SELECT * FROM subscribers WHERE email = ?1",
                params![email],
                Self::row,
            )
            .optional()?)
    }

    /// Every subscriber, or those with one status, by address.
    pub fn list(&self, status: Option<SubscriberStatus>) -> Result<Vec<Subscriber>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT * FROM subscribers WHERE (?1 IS NULL OR status = ?1) ORDER BY email",
        )?;
        let rows = stmt.query_map(params![status.map(|s| s.as_str())], Self::row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Counts by status.
    pub fn count(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT status, COUNT(*) FROM subscribers GROUP BY status ORDER BY status")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn set_status(&self, id: i64, status: SubscriberStatus) -> Result<bool, StoreError> {
        let now = now_text();
        let changed = self.conn.execute(
            "UPDATE subscribers SET status = ?2, updated_at = ?3,
                confirmed_at = CASE WHEN ?2 = 'confirmed' AND status <> 'confirmed' THEN ?3 ELSE confirmed_at END,
                unsubscribed_at = CASE WHEN ?2 = 'unsubscribed' AND status <> 'unsubscribed' THEN ?3 ELSE unsubscribed_at END
             WHERE id = ?1",
            params![id, status.as_str(), now],
        )?;
        Ok(changed > 0)
    }

    /// Confirms a pending subscriber (double opt-in). Already confirmed stays confirmed.
    pub fn confirm(&self, id: i64) -> Result<bool, StoreError> {
        let changed = self.conn.execute(
            "UPDATE subscribers SET status = 'confirmed', confirmed_at = ?2, updated_at = ?2
             WHERE id = ?1 AND status = 'pending'",
            params![id, now_text()],
        )?;
        Ok(changed > 0)
    }

    pub fn set_preferences(
        &self,
        id: i64,
        language: &str,
        sectors: &[String],
    ) -> Result<bool, StoreError> {
        let changed = self.conn.execute(
            "UPDATE subscribers SET language = ?2, sectors = ?3, updated_at = ?4 WHERE id = ?1",
            params![id, language, sectors.join(","), now_text()],
        )?;
        Ok(changed > 0)
    }

    /// Marks a subscriber unsubscribed by address (the CLI's `remove`).
    pub fn remove(&self, email: &str) -> Result<bool, StoreError> {
        match self.find(email)? {
            Some(s) => self.set_status(s.id, SubscriberStatus::Unsubscribed),
            None => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsubscribed_people_are_not_confirmed_again_by_import() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let new = NewSubscriber {
            email: "a@example.bg".into(),
            language: "bg".into(),
            ..Default::default()
        };
        let (added, id) = store.upsert(&new).unwrap();
        assert_eq!(added, Upsert::Added);
        store
            .set_status(id, SubscriberStatus::Unsubscribed)
            .unwrap();
        let changed = NewSubscriber {
            language: "en".into(),
            name: Some("A".into()),
            sectors: vec!["ict".into()],
            ..new
        };
        let (again, _) = store.upsert(&changed).unwrap();
        assert_eq!(again, Upsert::KeptStatus);
        let kept = store.get(id).unwrap().unwrap();
        assert_eq!(kept.status, SubscriberStatus::Unsubscribed);
        // Nothing else of theirs changes either.
        assert_eq!(
            (kept.language.as_str(), kept.name, kept.sectors.len()),
            ("bg", None, 0)
        );
    }

    #[test]
    fn erased_addresses_leave_only_a_hash() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let new = NewSubscriber {
            email: "a@example.bg".into(),
            language: "bg".into(),
            ..Default::default()
        };
        store.upsert(&new).unwrap();
        assert!(store.erase("A@example.bg").unwrap());
        assert!(store.find("a@example.bg").unwrap().is_none());
        let (result, _) = store.upsert(&new).unwrap();
        assert_eq!(result, Upsert::Erased);
        let stored: String = store
            .conn
            .query_row("SELECT email_hash FROM erased", [], |r| r.get(0))
            .unwrap();
        assert!(!stored.contains("example"));
    }
}
