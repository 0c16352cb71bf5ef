//! The site's images: the pipeline's settings from site.toml, and the
//! `[sharing]` default image with its size.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::images::{ImageSettings, Pictures};
use crate::render::structured::SharedImage;

/// The cache folder of resized images, inside the site and git-ignored.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(super::CACHE_DIR).join("images")
}

/// The build's images, set up from `[images]`.
pub fn pictures(root: &Path, config: &SiteConfig) -> Pictures {
    let images = &config.images;
    Pictures::new(
        root,
        ImageSettings {
            widths: images.widths.clone(),
            mail_widths: vec![600, 1200],
            quality: images.quality,
            keep_metadata: images.keep_metadata,
            cache_dir: cache_dir(root),
        },
    )
}

/// `[sharing] image`: its absolute URL and, for a file of the site, its size.
pub fn default_share_image(
    config: &SiteConfig,
    files: &HashMap<String, PathBuf>,
) -> Option<SharedImage> {
    let image = config.sharing.image.as_deref()?;
    // "share.png" and "/share.png" both name the file under static/.
    let size = crate::images::published_size(&format!("/{}", image.trim_start_matches('/')), files);
    Some(SharedImage {
        url: config.absolute_url(image),
        alt: config.title(&config.default_language).to_string(),
        width: size.map(|(w, _)| w),
        height: size.map(|(_, h)| h),
    })
}
