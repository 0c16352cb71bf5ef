//! DKIM signing keys (RFC 6376), read from `DUNAV_DKIM_KEY` and `DUNAV_DKIM_SELECTOR`.

use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;

use crate::mail::MailError;

/// The DKIM configuration from the environment, for mail from `domain`; `None` without a key.
pub fn from_env(domain: &str) -> Result<Option<DkimConfig>, MailError> {
    let Some((path, selector)) = crate::env::dkim()? else {
        return Ok(None);
    };
    let pem = std::fs::read_to_string(&path)
        .map_err(|e| MailError::Dkim(format!("cannot read {}: {e}", path.display())))?;
    Ok(Some(dkim_config(&pem, &selector, domain)?))
}

/// The headers DKIM signs: more than lettre's default, so that the list
/// headers a mailbox provider acts on cannot be altered in transit.
// Content-Type is left out: with lettre 0.11.23 a signature that covers the
// multipart Content-Type header fails to verify (tests/newsletter.rs, DKIM).
const SIGNED_HEADERS: [&str; 10] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "Reply-To",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "MIME-Version",
];

/// A DKIM configuration from a PEM key (RSA in PKCS#1 or PKCS#8, or Ed25519 in PKCS#8).
pub fn dkim_config(pem: &str, selector: &str, domain: &str) -> Result<DkimConfig, MailError> {
    let key = if pem.contains("BEGIN RSA PRIVATE KEY") {
        DkimSigningKey::new(pem, DkimSigningAlgorithm::Rsa)
            .map_err(|e| MailError::Dkim(format!("{e:?}")))?
    } else {
        use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
        use rsa::pkcs8::DecodePrivateKey;
        match rsa::RsaPrivateKey::from_pkcs8_pem(pem) {
            // lettre reads RSA keys only in PKCS#1 form.
            Ok(key) => {
                let pkcs1 = key
                    .to_pkcs1_pem(LineEnding::LF)
                    .map_err(|e| MailError::Dkim(e.to_string()))?;
                DkimSigningKey::new(&pkcs1, DkimSigningAlgorithm::Rsa)
                    .map_err(|e| MailError::Dkim(format!("{e:?}")))?
            }
            Err(_) => {
                // An Ed25519 PKCS#8 key ends with the 32-byte seed lettre wants.
                use base64::Engine;
                let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
                let der = base64::engine::general_purpose::STANDARD
                    .decode(b64.trim())
                    .map_err(|_| MailError::Dkim("not a PEM RSA or Ed25519 private key".into()))?;
                if der.len() < 32 {
                    return Err(MailError::Dkim(
                        "not a PEM RSA or Ed25519 private key".into(),
                    ));
                }
                let seed = base64::engine::general_purpose::STANDARD.encode(&der[der.len() - 32..]);
                DkimSigningKey::new(&seed, DkimSigningAlgorithm::Ed25519)
                    .map_err(|e| MailError::Dkim(format!("{e:?}")))?
            }
        }
    };
    let headers = SIGNED_HEADERS
        .iter()
        .map(|h| HeaderName::new_from_ascii_str(h))
        .collect();
    // relaxed/relaxed: lettre's default simple header canonicalization fails verification.
    Ok(DkimConfig::new(
        selector.to_string(),
        domain.to_string(),
        key,
        headers,
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    ))
}
