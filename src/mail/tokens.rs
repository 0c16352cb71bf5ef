//! Signed tokens for the links in mail: confirm, unsubscribe, preferences.
//!
//! A token names a subscriber (or, for a confirmation, a signup) by number,
//! not by address, and is an HMAC-SHA256 over its purpose, that number, its
//! expiry and the row's own random key (kept in the database, never sent).
//! So it reveals no address, cannot be forged without `DUNAV_SECRET`, and
//! cannot be moved to another row; deleting the row voids its tokens.
//! Tokens are signed with the current secret and checked against it and the
//! previous ones (`DUNAV_SECRET_PREVIOUS`), so a secret can be rotated
//! without breaking the links already mailed. Only the canonical form of a
//! token is accepted: one token, one spelling.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    /// Withdraws a signup before it is confirmed (a confirmation mail's List-Unsubscribe).
    Cancel,
    Unsubscribe,
    Preferences,
}

impl Purpose {
    fn tag(self) -> &'static str {
        match self {
            Purpose::Confirm => "c",
            Purpose::Cancel => "x",
            Purpose::Unsubscribe => "u",
            Purpose::Preferences => "p",
        }
    }
}

/// Confirmation links expire after seven days.
pub const CONFIRM_SECONDS: i64 = 7 * 24 * 3600;

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the link is damaged or was not made by this site")]
    Malformed,
    #[error("the link has expired")]
    Expired,
    #[error("the link is not valid")]
    BadSignature,
}

/// Signs tokens with the current secret and checks them against every secret it knows.
#[derive(Clone)]
pub struct Signer {
    /// The current secret first, then earlier ones still accepted.
    secrets: Vec<Vec<u8>>,
}

impl Signer {
    /// A signer with one secret.
    pub fn new(secret: &[u8]) -> Signer {
        Signer::rotating(vec![secret.to_vec()])
    }

    /// A signer that signs with `secrets[0]` and accepts tokens signed with any of them.
    pub fn rotating(secrets: Vec<Vec<u8>>) -> Signer {
        Signer { secrets }
    }

    fn mac(
        secret: &[u8],
        purpose: Purpose,
        id: i64,
        expires: i64,
        subscriber_key: &str,
    ) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(
            format!(
                "dunav-token:{}:{id}:{expires}:{subscriber_key}",
                purpose.tag()
            )
            .as_bytes(),
        );
        mac.finalize().into_bytes()[..20].to_vec()
    }

    /// A token for `id`; `expires` is a Unix time, or 0 for never.
    pub fn sign(&self, purpose: Purpose, id: i64, expires: i64, subscriber_key: &str) -> String {
        let secret = self.secrets.first().map(Vec::as_slice).unwrap_or_default();
        let mac = URL_SAFE_NO_PAD.encode(Self::mac(secret, purpose, id, expires, subscriber_key));
        format!(
            "{}{}.{}.{mac}",
            purpose.tag(),
            radix36(id as u64),
            radix36(expires as u64)
        )
    }

    /// The subscriber number a token names, before its signature is checked
    /// (which needs that subscriber's key from the database).
    pub fn subscriber_of(&self, token: &str, purpose: Purpose) -> Result<(i64, i64), TokenError> {
        let rest = token
            .strip_prefix(purpose.tag())
            .ok_or(TokenError::Malformed)?;
        let mut parts = rest.split('.');
        let (Some(id), Some(expires), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        Ok((canonical_radix36(id)?, canonical_radix36(expires)?))
    }

    /// Checks a token against the subscriber's key and the time.
    pub fn verify(
        &self,
        token: &str,
        purpose: Purpose,
        subscriber_key: &str,
        now: i64,
    ) -> Result<i64, TokenError> {
        let (id, expires) = self.subscriber_of(token, purpose)?;
        let given = token.rsplit('.').next().ok_or(TokenError::Malformed)?;
        let given = URL_SAFE_NO_PAD
            .decode(given)
            .map_err(|_| TokenError::Malformed)?;
        let signed_by_us = self
            .secrets
            .iter()
            .any(|s| constant_time_eq(&given, &Self::mac(s, purpose, id, expires, subscriber_key)));
        if !signed_by_us || URL_SAFE_NO_PAD.encode(&given) != token.rsplit('.').next().unwrap_or("")
        {
            return Err(TokenError::BadSignature);
        }
        if expires != 0 && now > expires {
            return Err(TokenError::Expired);
        }
        Ok(id)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A number written as [`radix36`] writes it, and no other way (no sign, no leading zeros).
fn canonical_radix36(text: &str) -> Result<i64, TokenError> {
    let n = u64::from_str_radix(text, 36).map_err(|_| TokenError::Malformed)?;
    if radix36(n) != text || n > i64::MAX as u64 {
        return Err(TokenError::Malformed);
    }
    Ok(n as i64)
}

fn radix36(mut n: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n == 0 {
        return "0".into();
    }
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_and_refuse_tampering() {
        let signer = Signer::new(b"secret");
        let token = signer.sign(Purpose::Unsubscribe, 42, 0, "key42");
        assert_eq!(
            signer.verify(&token, Purpose::Unsubscribe, "key42", 1),
            Ok(42)
        );
        assert_eq!(
            signer.verify(&token, Purpose::Unsubscribe, "key43", 1),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            signer.verify(&token, Purpose::Confirm, "key42", 1),
            Err(TokenError::Malformed)
        );
        let other = Signer::new(b"other");
        assert_eq!(
            other.verify(&token, Purpose::Unsubscribe, "key42", 1),
            Err(TokenError::BadSignature)
        );
        let moved = token.replacen("u16", "u17", 1);
        assert!(
            signer
                .verify(&moved, Purpose::Unsubscribe, "key42", 1)
                .is_err()
        );
    }

    #[test]
    fn only_the_canonical_spelling_is_accepted() {
        let signer = Signer::new(b"secret");
        let token = signer.sign(Purpose::Unsubscribe, 1, 0, "k");
        assert_eq!(signer.verify(&token, Purpose::Unsubscribe, "k", 1), Ok(1));
        let rest = token.strip_prefix("u1.").unwrap();
        for variant in [
            format!("u+1.{rest}"),
            format!("u01.{rest}"),
            format!("uA.{rest}"),
        ] {
            assert!(
                signer
                    .verify(&variant, Purpose::Unsubscribe, "k", 1)
                    .is_err(),
                "{variant}"
            );
        }
    }

    #[test]
    fn rotated_secrets_still_verify_old_links() {
        let old = Signer::new(b"old-secret");
        let token = old.sign(Purpose::Unsubscribe, 7, 0, "k");
        let rotated = Signer::rotating(vec![b"new-secret".to_vec(), b"old-secret".to_vec()]);
        assert_eq!(rotated.verify(&token, Purpose::Unsubscribe, "k", 1), Ok(7));
        let fresh = rotated.sign(Purpose::Unsubscribe, 7, 0, "k");
        assert_ne!(fresh, token, "new links use the new secret");
        assert!(old.verify(&fresh, Purpose::Unsubscribe, "k", 1).is_err());
    }

    #[test]
    fn confirmation_tokens_expire() {
        let signer = Signer::new(b"secret");
        let token = signer.sign(Purpose::Confirm, 1, 1000, "k");
        assert_eq!(signer.verify(&token, Purpose::Confirm, "k", 999), Ok(1));
        assert_eq!(
            signer.verify(&token, Purpose::Confirm, "k", 1001),
            Err(TokenError::Expired)
        );
    }
}
