//! `[images]`: how photos are published.

use serde::{Deserialize, Serialize};

/// `[images]`: the widths and quality of resized photos, and their metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImagesConfig {
    /// Widths, in pixels, each image is published at (never wider than the original).
    pub widths: Vec<u32>,
    /// Quality of the WebP and JPEG files, 1–100.
    pub quality: u8,
    /// Publish the originals' EXIF, XMP and IPTC data (GPS position, camera serial).
    pub keep_metadata: bool,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: vec![480, 960, 1600],
            quality: 80,
            keep_metadata: false,
        }
    }
}

impl ImagesConfig {
    /// What is wrong with the values, as (key, message).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if !(1..=100).contains(&self.quality) {
            problems.push(("images.quality", "must be between 1 and 100".to_string()));
        }
        if self.widths.is_empty() || self.widths.iter().any(|w| !(16..=8192).contains(w)) {
            problems.push((
                "images.widths",
                "must list widths between 16 and 8192 pixels, e.g. [480, 960, 1600]".to_string(),
            ));
        }
        problems
    }
}
