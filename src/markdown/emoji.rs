//! GitHub's emoji shortcodes (`:tada:` → 🎉), as GitHub and GitLab show
//! them and Hugo (`enableEmoji`), Jekyll (jemoji) and MkDocs write them.
//! Only a known code is replaced, and only in text: never in code, a URL
//! or HTML, and `10:30:45` stays a time. MkDocs Material's icon codes are
//! left out.

/// The text with its shortcodes replaced, or `None` when it has none.
pub fn with_emoji(text: &str) -> Option<String> {
    let mut rest = text.split_once(':')?.1;
    let mut out = String::new();
    // `text[..kept]` is copied to `out` before the next replacement.
    let mut kept = 0;
    let mut replaced = false;
    loop {
        let name_len = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
        let name = &rest[..name_len];
        let closed = rest[name_len..].starts_with(':');
        let emoji = (closed && !name.is_empty())
            .then(|| {
                emojis::get_by_shortcode(name)
                    .map(|emoji| emoji.as_str())
                    .or_else(|| is_mkdocs_icon(name).then_some(""))
            })
            .flatten();
        let at = text.len() - rest.len();
        match emoji {
            Some(emoji) => {
                out.push_str(&text[kept..at - 1]);
                out.push_str(emoji);
                kept = at + name_len + 1;
                replaced = true;
                // A colon that closed a code opens no other.
                match text[kept..].split_once(':') {
                    Some((_, after)) => rest = after,
                    None => break,
                }
            }
            // Not a code: its closing colon may open the next one.
            None => match rest[name_len..].split_once(':') {
                Some((_, after)) => rest = after,
                None => break,
            },
        }
    }
    if !replaced {
        return None;
    }
    out.push_str(&text[kept..]);
    Some(out)
}

/// MkDocs Material's icon codes (`:material-airballoon:`,
/// `:octicons-heart-fill-24:`, `:fontawesome-brands-github:`,
/// `:simple-python:`): drawn by its theme from its icon sets, which dunav's
/// has not; left out, where they showed as text.
fn is_mkdocs_icon(name: &str) -> bool {
    ["material-", "octicons-", "fontawesome-", "simple-"]
        .iter()
        .any(|set| name.strip_prefix(set).is_some_and(|icon| !icon.is_empty()))
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')
}

#[cfg(test)]
mod tests {
    use super::with_emoji;

    #[test]
    fn mkdocs_icon_codes_are_left_out() {
        assert_eq!(
            with_emoji("Fly :material-airballoon-outline: and :octicons-heart-fill-24: here")
                .as_deref(),
            Some("Fly  and  here")
        );
        assert_eq!(with_emoji("a :material-: b"), None);
    }

    #[test]
    fn known_codes_become_emoji_and_nothing_else_changes() {
        assert_eq!(
            with_emoji("Готово :tada: :+1:").as_deref(),
            Some("Готово 🎉 👍")
        );
        assert_eq!(with_emoji("a:zz:smile:c").as_deref(), Some("a:zz😄c"));
        assert_eq!(with_emoji(":smile::smile:").as_deref(), Some("😄😄"));
        for plain in [
            "10:30:45",
            "Час: 10:00",
            ":nosuchcode:",
            "a: b :",
            ":",
            "::",
            "x:smile",
        ] {
            assert_eq!(with_emoji(plain), None, "{plain}");
        }
    }
}
