//! Real image files made in the test: a photo whose left half is red and
//! right half blue (so that turning it shows), with EXIF that tells where it
//! was taken and with what camera, and a PNG with text and EXIF chunks.

use std::io::Cursor;

use img_parts::png::{Png, PngChunk};
use img_parts::{Bytes, ImageEXIF};

/// What the test EXIF carries: none of it may reach a published file.
pub const CAMERA: &str = "DunavTestCam";
pub const SECRET_TEXT: &str = "SecretLocation-43.85N";

fn halves(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            image::Rgb([230, 20, 20])
        } else {
            image::Rgb([20, 20, 230])
        }
    })
}

/// A plain PNG of `width` × `height`, as a real file has.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    halves(width, height)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode PNG");
    out
}

/// A PNG with a text chunk and an EXIF chunk holding a GPS position.
pub fn png_with_metadata(width: u32, height: u32) -> Vec<u8> {
    let mut png = Png::from_bytes(Bytes::from(png(width, height))).expect("parse PNG");
    let text = format!("Comment\0{SECRET_TEXT}");
    png.chunks_mut()
        .insert(1, PngChunk::new(*b"tEXt", Bytes::from(text.into_bytes())));
    png.set_exif(Some(Bytes::from(exif(1))));
    let mut out = Vec::new();
    png.encoder().write_to(&mut out).expect("write PNG");
    out
}

/// A JPEG photo stored `width` × `height`, with EXIF: camera, GPS position
/// and `orientation` (6: shown turned a quarter clockwise).
pub fn jpeg_with_metadata(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let mut plain = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut plain, 90);
    encoder.set_progressive(true);
    encoder
        .encode(
            halves(width, height).as_raw(),
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("encode JPEG");
    let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(Bytes::from(plain)).expect("parse JPEG");
    jpeg.set_exif(Some(Bytes::from(exif(orientation))));
    let mut out = Vec::new();
    jpeg.encoder().write_to(&mut out).expect("write JPEG");
    // A comment segment after the EXIF: dropped too.
    out
}

/// A big-endian TIFF block: IFD0 with Make, Orientation and a GPS IFD
/// holding latitude 43°50′ N.
fn exif(orientation: u16) -> Vec<u8> {
    let mut v = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entry = |v: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        v.extend(tag.to_be_bytes());
        v.extend(kind.to_be_bytes());
        v.extend(count.to_be_bytes());
        v.extend(value);
    };
    v.extend(3u16.to_be_bytes());
    let make = format!("{CAMERA}\0");
    entry(&mut v, 0x010F, 2, make.len() as u32, 50u32.to_be_bytes());
    let o = orientation.to_be_bytes();
    entry(&mut v, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut v, 0x8825, 4, 1, 64u32.to_be_bytes());
    v.extend(0u32.to_be_bytes());
    v.extend(make.as_bytes());
    v.resize(64, 0);
    v.extend(2u16.to_be_bytes());
    entry(&mut v, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut v, 0x0002, 5, 3, 94u32.to_be_bytes());
    v.extend(0u32.to_be_bytes());
    for (numerator, denominator) in [(43u32, 1u32), (50, 1), (0, 1)] {
        v.extend(numerator.to_be_bytes());
        v.extend(denominator.to_be_bytes());
    }
    v
}

/// Whether the bytes of a published file carry anything of the test metadata.
pub fn leaks_metadata(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    // The GPS IFD's latitude (43/1, 50/1) as the EXIF wrote it.
    let latitude = [0, 0, 0, 43, 0, 0, 0, 1, 0, 0, 0, 50, 0, 0, 0, 1];
    has(CAMERA.as_bytes()) || has(SECRET_TEXT.as_bytes()) || has(&latitude)
}

/// The colour at (x, y) of an image file, decoded.
pub fn pixel(bytes: &[u8], x: u32, y: u32) -> [u8; 3] {
    let image = image::load_from_memory(bytes).expect("decode").to_rgb8();
    image.get_pixel(x, y).0
}

/// The (width, height) an image file declares.
pub fn size(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).expect("decode");
    (image.width(), image.height())
}
