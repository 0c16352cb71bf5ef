//! Who the mail is from: the From and Reply-To mailboxes, the list's
//! `List-Id`, and Message-IDs that say nothing about the recipient.

use lettre::message::Mailbox;

use crate::config::SiteConfig;
use crate::mail::MailError;

/// The sender and list identity from `[newsletter]`.
#[derive(Debug, Clone)]
pub struct ListIdentity {
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    /// `List-Id` identifier, e.g. `news.didih.bg`.
    pub list_id: String,
    /// Per language: the From name and the list's name in `List-Id` (the
    /// site's title in that language).
    names: std::collections::HashMap<String, (Option<String>, String)>,
    pub unsubscribe_mailto: Option<String>,
    /// The From address's domain: Message-IDs and DKIM use it.
    pub domain: String,
}

impl ListIdentity {
    pub fn from_config(config: &SiteConfig) -> Result<ListIdentity, MailError> {
        let n = &config.newsletter;
        let from: Mailbox = n.from.parse().map_err(|e| MailError::Config {
            field: "from",
            value: n.from.clone(),
            why: format!("{e}"),
        })?;
        let reply_to = match &n.reply_to {
            Some(r) => Some(r.parse().map_err(|e| MailError::Config {
                field: "reply_to",
                value: r.clone(),
                why: format!("{e}"),
            })?),
            None => None,
        };
        let domain = from.email.domain().to_string();
        let names = config
            .languages
            .keys()
            .map(|lang| {
                let names = (
                    from_name(config, &from, lang),
                    config.title(lang).to_string(),
                );
                (lang.clone(), names)
            })
            .collect();
        Ok(ListIdentity {
            list_id: if n.list_id.is_empty() {
                format!("newsletter.{domain}")
            } else {
                n.list_id.clone()
            },
            names,
            from,
            reply_to,
            unsubscribe_mailto: n.unsubscribe_mailto.clone(),
            domain,
        })
    }

    /// The From mailbox of mail in `lang`.
    pub fn from_in(&self, lang: &str) -> Mailbox {
        match self.names.get(lang) {
            Some((name, _)) => Mailbox::new(name.clone(), self.from.email.clone()),
            None => self.from.clone(),
        }
    }

    /// The list's name in `List-Id` of mail in `lang`.
    pub fn list_name_in(&self, lang: &str) -> &str {
        self.names.get(lang).map_or("", |(_, list)| list.as_str())
    }

    /// A new Message-ID: random, so it reveals neither the recipient nor the list's size.
    pub fn message_id(&self) -> String {
        format!(
            "<{}.{}@{}>",
            crate::random::hex(12),
            jiff::Timestamp::now().as_second(),
            self.domain
        )
    }
}

/// The From name of mail in `lang`: `from`'s own in the default language; in
/// another, the site's short name in it when `from` names the site (its
/// short name or title), so English mail does not come from a Bulgarian name.
fn from_name(config: &SiteConfig, from: &Mailbox, lang: &str) -> Option<String> {
    let default = &config.default_language;
    let name = from.name.as_deref()?;
    let names_the_site = name == config.short_name(default) || name == config.title(default);
    Some(if lang != default && names_the_site {
        config.short_name(lang).to_string()
    } else {
        name.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(from: &str) -> ListIdentity {
        let toml = format!(
            "base_url = \"https://example.org\"\ndefault_language = \"bg\"\n\n\
             [languages.bg]\ntitle = \"Дунавски хъб\"\nshort_name = \"ДИ ДИХ\"\n\n\
             [languages.en]\ntitle = \"Danube Hub\"\nshort_name = \"DI DIH\"\n\n\
             [newsletter]\nfrom = \"{from}\"\n"
        );
        ListIdentity::from_config(&SiteConfig::parse(&toml).unwrap()).unwrap()
    }

    #[test]
    fn mail_in_english_comes_from_the_sites_english_name() {
        let id = identity("ДИ ДИХ <news@example.org>");
        assert_eq!(id.from_in("bg").name.as_deref(), Some("ДИ ДИХ"));
        assert_eq!(id.from_in("en").name.as_deref(), Some("DI DIH"));
        assert_eq!(id.list_name_in("en"), "Danube Hub");
        // A person's name is nobody's translation.
        let id = identity("Мария Иванова <maria@example.org>");
        assert_eq!(id.from_in("en").name.as_deref(), Some("Мария Иванова"));
    }
}
