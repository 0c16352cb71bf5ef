//! Writing renditions: lossy WebP (libwebp), progressive JPEG and PNG, each
//! with the source's colour profile so that wide-gamut photos keep their colours.

use image::{ExtendedColorType, ImageEncoder};

use crate::images::Format;

/// Pixels of one rendition: 8-bit RGB, or RGBA when `alpha`.
pub struct Pixels<'a> {
    pub data: &'a [u8],
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
}

/// Encodes `pixels` in `format` at `quality` (1–100, for the lossy formats).
pub fn encode(
    pixels: &Pixels<'_>,
    format: Format,
    quality: u8,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, String> {
    let channels = if pixels.alpha { 4 } else { 3 };
    let expected = pixels.width as usize * pixels.height as usize * channels;
    if pixels.width == 0 || pixels.height == 0 || pixels.data.len() != expected {
        return Err(format!(
            "cannot encode {}×{} pixels",
            pixels.width, pixels.height
        ));
    }
    match format {
        Format::WebP => webp(pixels, quality, icc),
        // JPEG has no transparency: such images fall back to PNG (see `Format::fallback`).
        Format::Jpeg if !pixels.alpha => jpeg(pixels, quality, icc),
        Format::Jpeg | Format::Png => png(pixels, icc),
    }
}

fn webp(pixels: &Pixels<'_>, quality: u8, icc: Option<&[u8]>) -> Result<Vec<u8>, String> {
    if pixels.width > 16_383 || pixels.height > 16_383 {
        return Err("WebP holds at most 16,383 pixels a side".into());
    }
    let encoder = if pixels.alpha {
        webp::Encoder::from_rgba(pixels.data, pixels.width, pixels.height)
    } else {
        webp::Encoder::from_rgb(pixels.data, pixels.width, pixels.height)
    };
    let mut config = webp::WebPConfig::new().map_err(|_| "libwebp refused its configuration")?;
    config.quality = f32::from(quality);
    config.method = 4;
    // encode_advanced reports errors; `encode` would panic on them.
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|e| format!("WebP encoding failed: {e:?}"))?;
    let Some(icc) = icc else {
        return Ok(memory.to_vec());
    };
    use img_parts::ImageICC;
    let mut file = img_parts::webp::WebP::from_bytes(img_parts::Bytes::copy_from_slice(&memory))
        .map_err(|e| e.to_string())?;
    file.set_icc_profile(Some(img_parts::Bytes::copy_from_slice(icc)));
    let mut out = Vec::with_capacity(memory.len() + icc.len() + 32);
    file.encoder()
        .write_to(&mut out)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

fn jpeg(pixels: &Pixels<'_>, quality: u8, icc: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let width = u16::try_from(pixels.width).map_err(|_| "too wide for JPEG")?;
    let height = u16::try_from(pixels.height).map_err(|_| "too tall for JPEG")?;
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    // Progressive: smaller, and the baseline output with optimised tables
    // is misread by image's own JPEG decoder (zune-jpeg).
    encoder.set_progressive(true);
    encoder.set_optimized_huffman_tables(true);
    if let Some(icc) = icc {
        encoder.add_icc_profile(icc).map_err(|e| e.to_string())?;
    }
    encoder
        .encode(pixels.data, width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| e.to_string())?;
    Ok(out)
}

fn png(pixels: &Pixels<'_>, icc: Option<&[u8]>) -> Result<Vec<u8>, String> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let mut encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive);
    if let Some(icc) = icc {
        // A profile the encoder cannot take only costs colour accuracy.
        let _ = encoder.set_icc_profile(icc.to_vec());
    }
    let color = if pixels.alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    };
    encoder
        .write_image(pixels.data, pixels.width, pixels.height, color)
        .map_err(|e| e.to_string())?;
    Ok(out)
}
