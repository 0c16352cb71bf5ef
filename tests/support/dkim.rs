//! A DKIM key for tests and an offline verifier of a received message.
#![allow(dead_code)]

use std::path::Path;

use base64::Engine;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};

/// A fresh RSA key written to `file`; returns the DNS TXT record that publishes it.
pub fn write_key(file: &Path) -> String {
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
    let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap();
    std::fs::write(file, pem.as_bytes()).unwrap();
    let public = key.to_public_key().to_public_key_der().unwrap();
    format!(
        "v=DKIM1; k=rsa; p={}",
        base64::engine::general_purpose::STANDARD.encode(public.as_bytes())
    )
}

/// Verifies a raw message's DKIM signature for `domain` with selector `mail`
/// against `txt`; returns cfdkim's summary ("pass" when it verifies).
pub fn verify(raw: &[u8], domain: &str, txt: &str) -> String {
    let parsed = mailparse::parse_mail(raw).unwrap();
    let logger = slog::Logger::root(slog::Discard, slog::o!());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let resolver = StaticTxt {
        name: format!("mail._domainkey.{domain}"),
        txt: txt.to_string(),
    };
    let result = runtime
        .block_on(cfdkim::verify_email_with_resolver(
            &logger,
            domain,
            &parsed,
            std::sync::Arc::new(resolver),
        ))
        .unwrap();
    format!("{} {}", result.summary(), result.with_detail())
}

struct StaticTxt {
    name: String,
    txt: String,
}

impl cfdkim::dns::Lookup for StaticTxt {
    fn lookup_txt<'a>(
        &'a self,
        name: &'a str,
    ) -> futures::future::BoxFuture<'a, Result<Vec<String>, cfdkim::DKIMError>> {
        Box::pin(async move {
            assert_eq!(name, self.name);
            Ok(vec![self.txt.clone()])
        })
    }
}
