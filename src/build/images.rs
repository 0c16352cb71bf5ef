//! The site's images: the pipeline's settings from site.toml, and the
//! sizes of images that are not resized (the `[sharing]` default image).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::images::{ImageSettings, Pictures};
use crate::render::structured::SharedImage;

/// The cache folder of resized images, inside the site and git-ignored.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".dunav-cache").join("images")
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
    let size = published_image_size(&format!("/{}", image.trim_start_matches('/')), files);
    Some(SharedImage {
        url: config.absolute_url(image),
        alt: config.title(&config.default_language).to_string(),
        width: size.map(|(w, _)| w),
        height: size.map(|(_, h)| h),
    })
}

/// The size of the image the site publishes at `url` (a site path), read
/// from its file's header; `None` for remote or unreadable images.
fn published_image_size(url: &str, files: &HashMap<String, PathBuf>) -> Option<(u32, u32)> {
    let file = files.get(url.strip_prefix('/')?)?;
    let size = imagesize::size(file).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}
