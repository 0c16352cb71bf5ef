//! `[links]`: how broken links count, and how headings' ids are spelled.

use serde::{Deserialize, Serialize};

/// `[links]`: how the link checker treats what it finds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinksConfig {
    /// A link to a page, file or `#fragment` that does not exist: an error
    /// (the default) or, for a site moving in, a warning.
    pub missing: LinkSeverity,
    /// How headings' ids are spelled (`#…` links point at them).
    #[serde(default)]
    pub heading_ids: HeadingIds,
    /// Where an alias without a leading `/` is read from.
    #[serde(default)]
    pub relative_aliases: RelativeAliases,
}

/// Where `aliases = ["old"]` (no leading `/`) redirects from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RelativeAliases {
    /// Beside the page, as Hugo reads it (`old` on `/news/new/` is `/news/old/`).
    #[default]
    Page,
    /// From the site's root, as Zola reads it (`2016/09/29/z.html`).
    Root,
}

/// How a heading's id is made from its words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadingIds {
    /// As URLs are: transliterated, one dash between words (`ruse-i-haba`).
    #[default]
    Transliterated,
    /// As GitHub and Hugo spell them (`smileys--emotion`, `нов-партньор`),
    /// for a site whose links into headings were written for those.
    Github,
    /// As Zola spells them (`what-s-next`, `i-unsound-issues-crab`).
    Zola,
}

impl HeadingIds {
    /// The id of a heading with these words.
    pub fn slug(self, words: &str) -> String {
        match self {
            HeadingIds::Transliterated => crate::translit::heading_slug(words),
            HeadingIds::Github => crate::translit::github_heading_slug(words),
            HeadingIds::Zola => crate::translit::zola_heading_slug(words),
        }
    }
}

/// How a broken link counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkSeverity {
    #[default]
    Error,
    Warning,
}
