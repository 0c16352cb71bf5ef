//! Removing what a photo tells besides its picture (EXIF with GPS position
//! and camera serial, XMP, IPTC, comments, embedded second images) without
//! re-encoding it: segments and chunks are kept by a list of what drawing
//! needs, never removed by a list of what is known to leak.

use image::metadata::Orientation;
use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

/// A file without its metadata, and the orientation its EXIF gave.
pub struct Stripped {
    pub bytes: Vec<u8>,
    pub orientation: Orientation,
}

/// The length of the first JPEG image through its end marker, so that what
/// follows (a phone's second image or gain map with its own EXIF and GPS, a
/// motion photo's video) is cut; `None` for a truncated or corrupt file.
pub fn jpeg_first_image_len(d: &[u8]) -> Option<usize> {
    if d.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2;
    let mut in_scan = false;
    while i < d.len() {
        if in_scan {
            i += d[i..].iter().position(|&b| b == 0xFF)?;
            let marker = *d.get(i + 1)?;
            match marker {
                0x00 | 0xD0..=0xD7 => i += 2,
                0xFF => i += 1,
                _ => in_scan = false,
            }
            continue;
        }
        if d[i] != 0xFF {
            return None;
        }
        let mut j = i + 1;
        while *d.get(j)? == 0xFF {
            j += 1;
        }
        let marker = d[j];
        if marker == 0xD9 {
            return Some(j + 1);
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            i = j + 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*d.get(j + 1)?, *d.get(j + 2)?]));
        if len < 2 {
            return None;
        }
        i = j + 1 + len;
        in_scan = marker == 0xDA;
    }
    None
}

/// A 26-byte EXIF block holding only the orientation: a turned JPEG stays
/// upright without being re-encoded, and says nothing else.
fn orientation_only_exif(orientation: Orientation) -> Vec<u8> {
    let mut v = b"MM\0\x2a\0\0\0\x08".to_vec();
    v.extend_from_slice(&1u16.to_be_bytes());
    v.extend_from_slice(&0x0112u16.to_be_bytes());
    v.extend_from_slice(&3u16.to_be_bytes());
    v.extend_from_slice(&1u32.to_be_bytes());
    v.extend_from_slice(&u16::from(orientation.to_exif()).to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&0u32.to_be_bytes());
    v
}

/// What drawing a JPEG needs: its tables, frame, scans, JFIF header, colour
/// profile and Adobe colour transform. Everything else (EXIF and XMP, IPTC,
/// C2PA, comments, markers nobody defined) goes.
fn keeps_jpeg_segment(marker: u8, contents: &[u8]) -> bool {
    match marker {
        markers::APP0 => contents.starts_with(b"JFIF\0"),
        markers::APP2 => contents.starts_with(b"ICC_PROFILE\0"),
        // Some RGB and CMYK JPEGs cannot be decoded without it.
        markers::APP14 => contents.starts_with(b"Adobe"),
        // SOF0–SOF15 (0xC4 is DHT, 0xCC is DAC: tables too), DQT, DNL, DRI, SOS.
        0xC0..=0xCF | 0xDA..=0xDD => true,
        _ => false,
    }
}

/// A JFIF header without the thumbnail it may carry (of the uncropped photo).
fn without_thumbnail(segment: &img_parts::jpeg::JpegSegment) -> img_parts::jpeg::JpegSegment {
    const HEADER: usize = 14;
    let contents = segment.contents();
    if segment.marker() != markers::APP0 || contents.len() <= HEADER {
        return segment.clone();
    }
    let mut header = contents[..HEADER].to_vec();
    header[12] = 0;
    header[13] = 0;
    img_parts::jpeg::JpegSegment::new_with_contents(markers::APP0, header.into())
}

pub fn strip_jpeg(input: &[u8]) -> Result<Stripped, String> {
    let end = jpeg_first_image_len(input)
        .ok_or("the JPEG is truncated or corrupt (it has no end marker)")?;
    let mut jpeg =
        Jpeg::from_bytes(Bytes::copy_from_slice(&input[..end])).map_err(|e| e.to_string())?;
    let orientation = jpeg
        .exif()
        .and_then(|e| Orientation::from_exif_chunk(&e))
        .unwrap_or(Orientation::NoTransforms);
    let kept: Vec<_> = jpeg
        .segments()
        .iter()
        .filter(|s| keeps_jpeg_segment(s.marker(), s.contents()))
        .map(without_thumbnail)
        .collect();
    *jpeg.segments_mut() = kept;
    if orientation != Orientation::NoTransforms {
        jpeg.set_exif(Some(orientation_only_exif(orientation).into()));
    }
    let mut bytes = Vec::with_capacity(end);
    jpeg.encoder()
        .write_to(&mut bytes)
        .map_err(|e| e.to_string())?;
    let bytes = without_late_segments(&bytes).ok_or("the JPEG is corrupt")?;
    Ok(Stripped { bytes, orientation })
}

/// The JPEG without APPn or comment segments between its scans, which
/// img-parts keeps as they are (it reads segments only up to the first scan).
fn without_late_segments(d: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(d.len());
    out.extend_from_slice(d.get(..2)?);
    let mut i = 2;
    let mut scans = 0;
    let mut in_scan = false;
    while i < d.len() {
        if in_scan {
            // Entropy-coded data, up to a marker that is neither a stuffed byte nor a restart.
            let is_marker = |j: usize| {
                d[j] == 0xFF
                    && d.get(j + 1)
                        .is_some_and(|&m| m != 0 && !(0xD0..=0xD7).contains(&m))
            };
            let end = (i..d.len()).find(|&j| is_marker(j)).unwrap_or(d.len());
            out.extend_from_slice(&d[i..end]);
            i = end;
            in_scan = false;
            continue;
        }
        if d[i] != 0xFF {
            return None;
        }
        let marker = *d.get(i + 1)?;
        if marker == 0xFF || marker == 0xD9 || (0xD0..=0xD7).contains(&marker) {
            let step = if marker == 0xFF { 1 } else { 2 };
            out.extend_from_slice(&d[i..i + step]);
            i += step;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*d.get(i + 2)?, *d.get(i + 3)?]));
        let end = i + 2 + len;
        let late_metadata = scans > 0 && matches!(marker, 0xE0..=0xEF | markers::COM);
        if !late_metadata {
            out.extend_from_slice(d.get(i..end)?);
        }
        if marker == 0xDA {
            scans += 1;
            in_scan = true;
        }
        i = end;
    }
    Some(out)
}

pub fn strip_png(input: &[u8]) -> Result<Stripped, String> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(input)).map_err(|e| e.to_string())?;
    let orientation = png
        .exif()
        .and_then(|e| Orientation::from_exif_chunk(&e))
        .unwrap_or(Orientation::NoTransforms);
    png.chunks_mut().retain(|c| {
        matches!(
            &c.kind(),
            b"IHDR"
                | b"PLTE"
                | b"IDAT"
                | b"IEND"
                | b"tRNS"
                | b"gAMA"
                | b"cHRM"
                | b"sRGB"
                | b"iCCP"
                | b"cICP"
                | b"mDCV"
                | b"cLLI"
                | b"sBIT"
                | b"pHYs"
                | b"acTL"
                | b"fcTL"
                | b"fdAT"
        )
    });
    let mut bytes = Vec::with_capacity(input.len());
    png.encoder()
        .write_to(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(Stripped { bytes, orientation })
}

pub fn strip_webp(input: &[u8]) -> Result<Stripped, String> {
    let mut webp = WebP::from_bytes(Bytes::copy_from_slice(input)).map_err(|e| e.to_string())?;
    let orientation = webp
        .exif()
        .and_then(|e| Orientation::from_exif_chunk(&e))
        .unwrap_or(Orientation::NoTransforms);
    webp.chunks_mut().retain(|c| {
        matches!(
            &c.id(),
            b"VP8 " | b"VP8L" | b"VP8X" | b"ALPH" | b"ICCP" | b"ANIM" | b"ANMF"
        )
    });
    // Recomputes the header's ICC and EXIF flags; the XMP flag is cleared below.
    webp.set_exif(None);
    for chunk in webp.chunks_mut().iter_mut().filter(|c| c.id() == *b"VP8X") {
        if let img_parts::riff::RiffContent::Data(data) = chunk.content_mut()
            && !data.is_empty()
        {
            let mut header = data.to_vec();
            header[0] &= !0b0000_0100;
            *data = header.into();
        }
    }
    let mut bytes = Vec::with_capacity(input.len());
    webp.encoder()
        .write_to(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(Stripped { bytes, orientation })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_segments_walk_a_progressive_jpeg() {
        let pixels: Vec<u8> = (0..64 * 48)
            .flat_map(|i| {
                if i % 64 < 32 {
                    [230, 20, 20]
                } else {
                    [20, 20, 230]
                }
            })
            .collect();
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
        encoder.set_progressive(true);
        encoder
            .encode(&pixels, 64, 48, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        assert_eq!(without_late_segments(&out).as_deref(), Some(out.as_slice()));
        let second_scan = out
            .windows(2)
            .enumerate()
            .filter(|(_, w)| *w == [0xFF, 0xDA])
            .nth(1)
            .map(|(i, _)| i)
            .unwrap();
        let mut sneaky = out[..second_scan].to_vec();
        sneaky.extend([0xFF, 0xFE, 0, 8]);
        sneaky.extend(b"secret");
        sneaky.extend(&out[second_scan..]);
        assert_eq!(
            without_late_segments(&sneaky).as_deref(),
            Some(out.as_slice())
        );
        let stripped = strip_jpeg(&sneaky).unwrap();
        assert_eq!(stripped.bytes, out);
    }
}
