//! The lead images' sizes, read from the files' headers, so that pages carry
//! their real `width` and `height` (no layout shift, no stretched photos).

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::content::Page;
use crate::render::structured::SharedImage;

/// Reads each page's lead image size (`None` for remote or unreadable images).
pub fn read_lead_image_sizes(pages: &mut [Page], files: &HashMap<String, PathBuf>) {
    pages.par_iter_mut().for_each(|page| {
        page.image_size = lead_image_size(page, files);
    });
}

/// `[sharing] image`: its absolute URL and, for a file of the site, its size.
pub fn default_share_image(
    config: &crate::config::SiteConfig,
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

/// One page's lead image size.
pub fn lead_image_size(page: &Page, files: &HashMap<String, PathBuf>) -> Option<(u32, u32)> {
    published_image_size(page.image_url.as_deref()?, files)
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
