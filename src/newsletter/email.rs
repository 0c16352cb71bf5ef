//! The digest as an email: HTML (CSS inlined, `@media` kept) and text parts,
//! headers for list mail (RFC 2369, RFC 8058) and an optional DKIM signature.

use anyhow::{Context as _, anyhow};
use lettre::Message;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use tera::Value;

use crate::newsletter::digest::Digest;
use crate::site::Site;

/// Stand-ins rendered into the shared parts, replaced per subscriber; the
/// template is rendered and its CSS inlined once per language and sector choice.
pub const UNSUBSCRIBE_MARK: &str = "https://dunav.invalid/unsubscribe-mark";
pub const PREFERENCES_MARK: &str = "https://dunav.invalid/preferences-mark";

/// One issue rendered for one language (and sector choice), before personalising.
#[derive(Debug, Clone)]
pub struct EmailParts {
    pub subject: String,
    pub html: String,
    pub text: String,
    pub lang: String,
    pub archive_url: String,
}

impl EmailParts {
    /// The two parts with this subscriber's links.
    pub fn personalise(&self, unsubscribe_url: &str, preferences_url: &str) -> (String, String) {
        let fill = |s: &str| {
            s.replace(UNSUBSCRIBE_MARK, unsubscribe_url)
                .replace(PREFERENCES_MARK, preferences_url)
        };
        (fill(&self.html), fill(&self.text))
    }
}

/// Renders `email/digest.html` and `email/digest.txt` for a digest.
pub fn render(site: &Site, digest: &Digest) -> anyhow::Result<EmailParts> {
    let lib = &site.library;
    let issue = &lib.pages[digest.issue];
    let archive_url = site.config.absolute_url(&issue.url);
    let mut context = site.base_context(&digest.lang, &issue.url);
    let absolute = |i: usize| absolute_summary(&site.summaries[i], site.config.base());
    let mut issue_value =
        crate::render::context::page_full(issue, &site.summaries[digest.issue], lib, None, None);
    if let Some(map) = issue_value.as_map() {
        let mut map = map.clone();
        let content = crate::output::feeds::absolutise_links(&issue.content_html, &site.config);
        map.insert("content".into(), Value::safe_string(&content));
        issue_value = Value::from(map);
    }
    context.insert_value("issue", issue_value);
    context.insert_value(
        "news",
        Value::from(digest.news.iter().map(|&i| absolute(i)).collect::<Vec<_>>()),
    );
    context.insert_value(
        "events",
        Value::from(
            digest
                .events
                .iter()
                .map(|&i| absolute(i))
                .collect::<Vec<_>>(),
        ),
    );
    context.insert("archive_url", &archive_url);
    let index = lib
        .section(&issue.section, &issue.lang)
        .map(|s| s.url.as_str())
        .unwrap_or("/");
    context.insert("archive_index_url", &site.config.absolute_url(index));
    context.insert("unsubscribe_url", UNSUBSCRIBE_MARK);
    context.insert("preferences_url", PREFERENCES_MARK);
    context.insert("preheader", &issue.description);
    let html = site
        .tera
        .render("email/digest.html", &context)
        .map_err(|e| anyhow!("email/digest.html: {e}"))?;
    let text = site
        .tera
        .render("email/digest.txt", &context)
        .map_err(|e| anyhow!("email/digest.txt: {e}"))?;
    let inliner = css_inline::CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_at_rules(true)
        .build();
    let html = inliner.inline(&html).context("inlining the email's CSS")?;
    Ok(EmailParts {
        subject: issue.meta.title.clone(),
        html,
        text: normalise_text(&text),
        lang: digest.lang.clone(),
        archive_url,
    })
}

/// Mail clients resolve no relative links: give every URL the site's base.
fn absolute_summary(summary: &Value, base: &str) -> Value {
    let Some(map) = summary.as_map() else {
        return summary.clone();
    };
    let mut map = map.clone();
    for key in ["url", "image", "ics_url"] {
        let k: tera::value::Key<'static> = key.into();
        if let Some(v) = map
            .get(&k)
            .and_then(|v| v.as_str())
            .filter(|v| v.starts_with('/'))
        {
            let absolute = format!("{base}{v}");
            map.insert(k, Value::from(absolute));
        }
    }
    Value::from(map)
}

/// Collapses the blank lines templates leave behind.
fn normalise_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_string() + "\n"
}

/// What every message of a list carries besides its body.
pub struct ListHeaders<'a> {
    pub from: &'a Mailbox,
    pub reply_to: Option<&'a Mailbox>,
    /// `List-Id` identifier, e.g. `news.didih.bg`.
    pub list_id: &'a str,
    pub list_name: &'a str,
    pub unsubscribe_mailto: Option<&'a str>,
}

/// One subscriber's message before it is built.
pub struct Letter {
    pub to: Mailbox,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub unsubscribe_url: String,
    /// With angle brackets: `<id@domain>`.
    pub message_id: String,
}

/// One subscriber's message, signed when a DKIM key is given.
pub fn build_message(
    headers: &ListHeaders<'_>,
    letter: Letter,
    dkim: Option<&DkimConfig>,
) -> anyhow::Result<Message> {
    let Letter {
        to,
        subject,
        html,
        text,
        unsubscribe_url,
        message_id,
    } = letter;
    let mut builder = Message::builder()
        .from(headers.from.clone())
        .to(to)
        .subject(subject)
        .date_now()
        .message_id(Some(message_id));
    if let Some(reply_to) = headers.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    if !headers.list_id.is_empty() {
        let name = headers.list_name.replace(['"', '\\', '<', '>'], "");
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Id"),
            format!("\"{name}\" <{}>", headers.list_id),
        ));
    }
    let mut unsubscribe = format!("<{unsubscribe_url}>");
    if let Some(mailto) = headers.unsubscribe_mailto {
        unsubscribe.push_str(&format!(", <mailto:{mailto}?subject=unsubscribe>"));
    }
    builder = builder
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            unsubscribe,
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_string(),
        ));
    let mut message = builder
        .multipart(MultiPart::alternative_plain_html(text, html))
        .context("building the message")?;
    if let Some(config) = dkim {
        message.sign(config);
    }
    Ok(message)
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
pub fn dkim_config(pem: &str, selector: &str, domain: &str) -> anyhow::Result<DkimConfig> {
    let key = if pem.contains("BEGIN RSA PRIVATE KEY") {
        DkimSigningKey::new(pem, DkimSigningAlgorithm::Rsa)
            .map_err(|e| anyhow!("DKIM key: {e:?}"))?
    } else {
        use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
        use rsa::pkcs8::DecodePrivateKey;
        match rsa::RsaPrivateKey::from_pkcs8_pem(pem) {
            // lettre reads RSA keys only in PKCS#1 form.
            Ok(key) => {
                let pkcs1 = key
                    .to_pkcs1_pem(LineEnding::LF)
                    .map_err(|e| anyhow!("DKIM key: {e}"))?;
                DkimSigningKey::new(&pkcs1, DkimSigningAlgorithm::Rsa)
                    .map_err(|e| anyhow!("DKIM key: {e:?}"))?
            }
            Err(_) => {
                // An Ed25519 PKCS#8 key ends with the 32-byte seed lettre wants.
                use base64::Engine;
                let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
                let der = base64::engine::general_purpose::STANDARD
                    .decode(b64.trim())
                    .map_err(|_| anyhow!("DKIM key: not a PEM RSA or Ed25519 private key"))?;
                if der.len() < 32 {
                    return Err(anyhow!("DKIM key: not a PEM RSA or Ed25519 private key"));
                }
                let seed = base64::engine::general_purpose::STANDARD.encode(&der[der.len() - 32..]);
                DkimSigningKey::new(&seed, DkimSigningAlgorithm::Ed25519)
                    .map_err(|e| anyhow!("DKIM key: {e:?}"))?
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
