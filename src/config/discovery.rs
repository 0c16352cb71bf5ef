//! `[search]`, `[related]` and `[sharing]`: how readers find the site's pages.

use serde::{Deserialize, Serialize};

/// `[search]`: the search index and pages.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build the index and the search pages (`/search/`, `/en/search/`).
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[related]`: the "related news" under a page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RelatedConfig {
    /// How many related items a page shows; 0 for none.
    pub count: usize,
    /// What a shared sector counts for; a shared tag counts `tag_weight`.
    pub sector_weight: u32,
    pub tag_weight: u32,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            count: 3,
            sector_weight: 3,
            tag_weight: 1,
        }
    }
}

/// `[sharing]`: what link previews and search engines get besides each page's own.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SharingConfig {
    /// The preview image of a page without its own (a path under `static/` or a URL).
    pub image: Option<String>,
    /// The organisation's logo for search engines (a path under `static/` or a URL).
    pub logo: Option<String>,
    /// The site's account on X/Twitter, `@name`.
    pub twitter: Option<String>,
}
