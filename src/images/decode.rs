//! Reading untrusted image bytes within limits: a photo is decoded with its
//! EXIF orientation applied, and a bomb or a broken file is refused before
//! it costs memory.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::images::metadata::jpeg_first_image_len;

/// No side longer than this is decoded (WebP's own limit is 16,383).
const MAX_SIDE: u32 = 16_384;
/// Phones reach 50 megapixels; a larger image is refused rather than decoded.
pub const MAX_PIXELS: u64 = 50_000_000;
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// What a header says about an image, without decoding its pixels.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    pub format: ImageFormat,
    /// As displayed: the EXIF orientation applied.
    pub width: u32,
    pub height: u32,
    pub orientation: Orientation,
    pub alpha: bool,
}

/// A decoded image, upright, with the colour profile to carry to its renditions.
pub struct Decoded {
    pub image: DynamicImage,
    pub icc: Option<Vec<u8>>,
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, String> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    Ok(reader)
}

fn decoder(bytes: &[u8]) -> Result<(ImageFormat, Box<dyn ImageDecoder + '_>), String> {
    let reader = reader(bytes)?;
    let format = reader
        .format()
        .ok_or("its bytes are not a JPEG, PNG or WebP image")?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(format!("{format:?} images are not resized"));
    }
    let decoder = reader.into_decoder().map_err(limit_message)?;
    let (w, h) = decoder.dimensions();
    // into_decoder does not charge the pixels to max_alloc: check them here.
    if u64::from(w) * u64::from(h) > MAX_PIXELS || decoder.total_bytes() > MAX_ALLOC {
        return Err(format!(
            "{w}×{h} pixels is more than the {} megapixels dunav decodes",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok((format, Box::new(decoder)))
}

fn limit_message(e: image::ImageError) -> String {
    match e {
        image::ImageError::Limits(_) => format!(
            "larger than dunav decodes ({MAX_SIDE} pixels a side, {} megapixels)",
            MAX_PIXELS / 1_000_000
        ),
        other => other.to_string(),
    }
}

/// The image's format, displayed size and orientation, from its header.
pub fn header(bytes: &[u8]) -> Result<Header, String> {
    let (format, mut decoder) = decoder(bytes)?;
    let (w, h) = decoder.dimensions();
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let turned = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let (width, height) = if turned { (h, w) } else { (w, h) };
    Ok(Header {
        format,
        width,
        height,
        orientation,
        alpha: decoder.color_type().has_alpha(),
    })
}

/// Decodes the whole image, upright, as 8-bit RGB or RGBA.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let (format, mut decoder) = decoder(bytes)?;
    // The JPEG decoder forgives a cut-off file and paints the rest grey: refuse it.
    if format == ImageFormat::Jpeg && jpeg_first_image_len(bytes).is_none() {
        return Err("the JPEG is truncated or corrupt (it has no end marker)".into());
    }
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let icc = decoder.icc_profile().map_err(|e| e.to_string())?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    let image = match image {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => image,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    };
    Ok(Decoded { image, icc })
}
