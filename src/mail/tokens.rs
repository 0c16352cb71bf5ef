//! Signed tokens for the links in mail: confirm, unsubscribe, preferences.
//!
//! A token names a subscriber by number, not by address, and is an
//! HMAC-SHA256 over its purpose, the subscriber, its expiry and the
//! subscriber's own random key (kept in the database, never sent). So it
//! reveals no address, cannot be forged without `DUNAV_SECRET`, and cannot be
//! moved to another subscriber; erasing a subscriber voids their tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Confirm,
    Unsubscribe,
    Preferences,
}

impl Purpose {
    fn tag(self) -> &'static str {
        match self {
            Purpose::Confirm => "c",
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

/// Signs and checks tokens with the site secret.
#[derive(Clone)]
pub struct Signer {
    secret: Vec<u8>,
}

impl Signer {
    pub fn new(secret: &[u8]) -> Signer {
        Signer {
            secret: secret.to_vec(),
        }
    }

    fn mac(&self, purpose: Purpose, id: i64, expires: i64, subscriber_key: &str) -> Vec<u8> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key length");
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
        let mac = URL_SAFE_NO_PAD.encode(self.mac(purpose, id, expires, subscriber_key));
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
        let id = i64::from_str_radix(id, 36).map_err(|_| TokenError::Malformed)?;
        let expires = i64::from_str_radix(expires, 36).map_err(|_| TokenError::Malformed)?;
        Ok((id, expires))
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
        let expected = self.mac(purpose, id, expires, subscriber_key);
        if !constant_time_eq(&given, &expected) {
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
