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
/// headers a mailbox provider acts on, and the body's MIME type, cannot be
/// altered in transit (see vendor/lettre/DUNAV-PATCH.md for Content-Type).
const SIGNED_HEADERS: [&str; 11] = [
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
    "Content-Type",
];

/// A DKIM configuration from a PEM key (RSA in PKCS#1 or PKCS#8, or Ed25519 in PKCS#8).
pub fn dkim_config(pem: &str, selector: &str, domain: &str) -> Result<DkimConfig, MailError> {
    if !is_selector(selector) {
        return Err(MailError::Dkim(format!(
            "DUNAV_DKIM_SELECTOR {selector:?} is not a selector: letters, digits and hyphens, \
             in parts joined by dots (e.g. `mail2026`)"
        )));
    }
    let key = signing_key(pem)?;
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

/// A selector is a domain name's labels (RFC 6376 §3.1): whatever else it
/// holds would be written into the signature's header as it is.
fn is_selector(selector: &str) -> bool {
    !selector.is_empty()
        && selector.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// The PEM blocks of a file: each one's label and text, its lines included.
fn pem_blocks(pem: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in pem.lines() {
        let trimmed = line.trim();
        if let Some(label) = trimmed
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        {
            open = Some((label.to_string(), String::new()));
        }
        if let Some((_, text)) = &mut open {
            text.push_str(trimmed);
            text.push('\n');
        }
        if trimmed.starts_with("-----END ") {
            blocks.extend(open.take());
        }
    }
    blocks
}

/// RSA keys shorter than this are refused by verifiers (RFC 8301 §3.2).
const MIN_RSA_BITS: usize = 1024;

/// The signing key in `pem`, refused with what it is when it is not a
/// private RSA or Ed25519 key: a key of another kind was read as Ed25519
/// and signed every message with a signature no one could verify.
fn signing_key(pem: &str) -> Result<DkimSigningKey, MailError> {
    use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, LineEnding};
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::traits::PublicKeyParts;
    let refused = |what: &str| {
        MailError::Dkim(format!(
            "the key is {what}; DKIM signs with an unencrypted private RSA (2048 bits) \
             or Ed25519 key in PEM form"
        ))
    };
    // A file may hold the certificate too: the private key's block is read.
    let blocks = pem_blocks(pem);
    let (label, pem) = blocks
        .iter()
        .find(|(label, _)| label.contains("PRIVATE KEY"))
        .or(blocks.first())
        .map(|(label, block)| (label.as_str(), block.as_str()))
        .ok_or_else(|| MailError::Dkim("not a PEM RSA or Ed25519 private key".into()))?;
    if label.contains("PUBLIC KEY") || label == "CERTIFICATE" {
        return Err(refused("a public key or certificate, not the private key"));
    }
    if label.contains("ENCRYPTED") || pem.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(refused(
            "encrypted with a passphrase (`openssl pkey -in key.pem -out plain.pem` saves it without)",
        ));
    }
    let rsa = match label {
        "RSA PRIVATE KEY" => Some(
            rsa::RsaPrivateKey::from_pkcs1_pem(pem)
                .map_err(|e| MailError::Dkim(format!("cannot read the RSA key: {e}")))?,
        ),
        "PRIVATE KEY" => rsa::RsaPrivateKey::from_pkcs8_pem(pem).ok(),
        other => return Err(refused(&format!("a {other}"))),
    };
    if let Some(key) = rsa {
        let bits = key.size() * 8;
        if bits < MIN_RSA_BITS {
            return Err(refused(&format!(
                "RSA of {bits} bits, which receivers refuse"
            )));
        }
        // lettre reads RSA keys only in PKCS#1 form.
        let pkcs1 = key
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|e| MailError::Dkim(e.to_string()))?;
        return DkimSigningKey::new(&pkcs1, DkimSigningAlgorithm::Rsa)
            .map_err(|e| MailError::Dkim(format!("{e:?}")));
    }
    use base64::Engine;
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| MailError::Dkim("not a PEM RSA or Ed25519 private key".into()))?;
    // An Ed25519 PKCS#8 key (RFC 8410) starts with its algorithm's
    // identifier (1.3.101.112), then the 32-byte seed lettre wants; a
    // version 2 key adds its public key after it.
    const ED25519_OID: [u8; 5] = [0x06, 0x03, 0x2b, 0x65, 0x70];
    let is_ed25519 = der.len() >= 48 && der[7..12] == ED25519_OID && der[14..16] == [0x04, 0x20];
    if !is_ed25519 {
        return Err(refused("neither RSA nor Ed25519 (an EC key?)"));
    }
    let seed = base64::engine::general_purpose::STANDARD.encode(&der[16..48]);
    DkimSigningKey::new(&seed, DkimSigningAlgorithm::Ed25519)
        .map_err(|e| MailError::Dkim(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};

    fn refusal(pem: &str) -> String {
        match dkim_config(pem, "mail", "example.org") {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted: {pem}"),
        }
    }

    #[test]
    fn only_private_rsa_and_ed25519_keys_sign() {
        let small = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 512).unwrap();
        let pem = small.to_pkcs8_pem(LineEnding::LF).unwrap();
        assert!(refusal(&pem).contains("RSA of 512 bits"));
        let public = small
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        assert!(refusal(&public).contains("a public key"));
        let encrypted =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert!(refusal(encrypted).contains("passphrase"));
        let ec = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n";
        assert!(refusal(ec).contains("EC PRIVATE KEY"));
        let not_ed25519 = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            "A".repeat(92)
        );
        assert!(refusal(&not_ed25519).contains("neither RSA nor Ed25519"));
        // The key after a certificate in the same file.
        let rsa = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 1024).unwrap();
        let key = rsa.to_pkcs8_pem(LineEnding::LF).unwrap();
        let both = format!(
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n{}",
            *key
        );
        assert!(dkim_config(&both, "mail", "example.org").is_ok());
        // RFC 8410 §10.3's example key.
        let ed25519 = "-----BEGIN PRIVATE KEY-----\n\
                       MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n\
                       -----END PRIVATE KEY-----\n";
        assert!(dkim_config(ed25519, "mail", "example.org").is_ok());
        let rsa = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 1024).unwrap();
        let pem = rsa.to_pkcs8_pem(LineEnding::LF).unwrap();
        assert!(dkim_config(&pem, "mail", "example.org").is_ok());
    }

    #[test]
    fn a_selector_is_a_domain_names_labels() {
        for good in ["mail", "mail2026", "s1.news-x"] {
            assert!(is_selector(good), "{good}");
        }
        for bad in ["", "s; x=1", "a..b", "-a", "мейл"] {
            assert!(!is_selector(bad), "{bad}");
        }
    }
}
