//! Making one source's files: its renditions (decoded once, resized from
//! the original to the widest wanted, the others from that) and its copy
//! without metadata.

use std::path::Path;

use fast_image_resize::images::Image as ResizedImage;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;

use crate::images::cache::{ImageCache, ImageFacts, content_hash};
use crate::images::encode::{self, Pixels};
use crate::images::{Format, decode, metadata};

/// Makes the `missing` renditions (width, format, cache file) of `source`,
/// each from its `widest` rendition (made again if the cache has it, so
/// that which renditions the cache holds never changes the pixels of the
/// others: a build from scratch makes the same files as one that reuses some).
pub fn make(
    source: &Path,
    hash: &str,
    facts: &ImageFacts,
    (missing, widest): (&[(u32, Format, &Path)], u32),
    quality: u8,
    cache: &ImageCache,
) -> Result<(), String> {
    let bytes = read_unchanged(source, hash)?;
    let decoded = decode::decode(&bytes)?;
    drop(bytes);
    let alpha = decoded.image.color().has_alpha();
    let pixel_type = if alpha {
        PixelType::U8x4
    } else {
        PixelType::U8x3
    };
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut resizer = Resizer::new();
    let mut base = ResizedImage::new(widest, scaled_height(facts, widest), pixel_type);
    resizer
        .resize(&decoded.image, &mut base, &options)
        .map_err(|e| e.to_string())?;
    let mut widths: Vec<u32> = missing.iter().map(|m| m.0).collect();
    widths.sort_unstable();
    widths.dedup();
    for width in widths {
        let height = scaled_height(facts, width);
        let mut smaller;
        let resized = if width == widest {
            &base
        } else {
            smaller = ResizedImage::new(width, height, pixel_type);
            resizer
                .resize(&base, &mut smaller, &options)
                .map_err(|e| e.to_string())?;
            &smaller
        };
        let pixels = Pixels {
            data: resized.buffer(),
            width,
            height,
            alpha,
        };
        for (_, format, path) in missing.iter().filter(|m| m.0 == width) {
            let encoded = encode::encode(&pixels, *format, quality, decoded.icc.as_deref())?;
            cache.store(path, &encoded).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The height of a `width`-wide rendition, rounded.
pub(super) fn scaled_height(facts: &ImageFacts, width: u32) -> u32 {
    let height = (u64::from(facts.height) * u64::from(width) + u64::from(facts.width) / 2)
        / u64::from(facts.width.max(1));
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

/// Writes `source` without its metadata to `target`: the picture's bytes
/// untouched where the format allows; a turned PNG or WebP is re-encoded
/// upright, since not every viewer turns those.
pub fn clean(
    source: &Path,
    hash: &str,
    facts: &ImageFacts,
    quality: u8,
    cache: &ImageCache,
    target: &Path,
) -> Result<(), String> {
    let bytes = read_unchanged(source, hash)?;
    let stripped = match facts.format {
        Format::Jpeg => metadata::strip_jpeg(&bytes)?,
        Format::Png => metadata::strip_png(&bytes)?,
        Format::WebP => metadata::strip_webp(&bytes)?,
    };
    let upright =
        if facts.format == Format::Jpeg || stripped.orientation == Orientation::NoTransforms {
            stripped.bytes
        } else {
            let decoded = decode::decode(&bytes)?;
            let alpha = decoded.image.color().has_alpha();
            let pixels = Pixels {
                data: decoded.image.as_bytes(),
                width: decoded.image.width(),
                height: decoded.image.height(),
                alpha,
            };
            encode::encode(&pixels, facts.format, quality, decoded.icc.as_deref())?
        };
    cache.store(target, &upright).map_err(|e| e.to_string())
}

/// The source's bytes, if they are still those its facts were read from: a
/// photo saved again during a build must not be cached under the old hash.
fn read_unchanged(source: &Path, hash: &str) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
    if content_hash(&bytes) != hash {
        return Err("the file changed during the build; build again".into());
    }
    Ok(bytes)
}
