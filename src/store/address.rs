//! Email addresses as the store keeps them: one spelling per mailbox.

use unicode_normalization::UnicodeNormalization;

/// Normalises an address for storage and comparison; `None` if it is not
/// one a newsletter can be sent to.
///
/// - The domain goes through IDNA (UTS 46): `ivan@пример.бг` and
///   `ivan@xn--e1afmkfd.xn--90ae` are one address, stored in the ASCII form,
///   and full-width letters in a domain become their ASCII letters.
/// - The local part is lower-cased; characters that Unicode only keeps for
///   compatibility (full-width `ｉｖａｎ`) are refused rather than guessed at.
/// - IP literals (`a@[127.0.0.1]`), numeric top-level domains and dotless
///   domains are refused.
pub fn normalise_email(text: &str) -> Option<String> {
    let text = text.trim();
    if text.len() > 254 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (local, domain) = text.rsplit_once('@')?;
    let local: String = local.to_lowercase().nfc().collect();
    if local.nfkc().collect::<String>() != local || !local_part_ok(&local) {
        return None;
    }
    let domain = idna::domain_to_ascii_strict(domain).ok()?;
    if !domain_ok(&domain) {
        return None;
    }
    let email = format!("{local}@{domain}");
    (email.len() <= 254 && email.parse::<lettre::Address>().is_ok()).then_some(email)
}

fn local_part_ok(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
}

fn domain_ok(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.chars().any(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_mailbox_one_spelling() {
        assert_eq!(
            normalise_email("  Ivan.Petrov@Example.BG ").as_deref(),
            Some("ivan.petrov@example.bg")
        );
        let unicode = normalise_email("ivan@пример.бг").unwrap();
        assert_eq!(
            unicode,
            normalise_email("Ivan@XN--E1AFMKFD.xn--90ae").unwrap()
        );
        assert!(unicode.is_ascii(), "{unicode}");
        assert_eq!(
            normalise_email("ivan@ｅｘａｍｐｌｅ.ｃｏｍ").as_deref(),
            Some("ivan@example.com")
        );
        assert_eq!(
            normalise_email("иван@пример.бг")
                .as_deref()
                .map(|e| e.starts_with("иван@")),
            Some(true)
        );
    }

    #[test]
    fn what_is_not_a_mailbox_is_refused() {
        for bad in [
            "",
            "no-at",
            "a@b",
            "a@@b.bg",
            "a b@c.bg",
            "a@.bg",
            ".a@b.bg",
            "a@b..bg",
            "a@-b.bg",
            "a@[127.0.0.1]",
            "a@127.0.0.1",
            "ｉｖａｎ@example.com",
            "a@b.c_d.bg",
            "a\r\n@b.bg",
        ] {
            assert_eq!(normalise_email(bad), None, "{bad}");
        }
    }
}
