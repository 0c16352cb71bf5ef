//! Adds phone-sized photos to a generated benchmark site: `N` JPEGs of
//! 4000×3000 (12 megapixels) under `static/photos/`, each the lead image of
//! one news page. Made here rather than stored: no binary files in the repo.
//!
//!     cargo run --release --example photo_corpus -- SITE_DIR 200

use std::path::Path;

use rayon::prelude::*;

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(site), Some(count)) = (args.get(1), args.get(2)) else {
        anyhow::bail!("usage: photo_corpus SITE_DIR COUNT");
    };
    let site = Path::new(site);
    let count: usize = count.parse()?;
    let mut pages: Vec<_> = std::fs::read_dir(site.join("content/news"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".md") && !name.contains(".en.") && !name.starts_with('_')
        })
        .collect();
    pages.sort();
    anyhow::ensure!(pages.len() >= count, "only {} news pages", pages.len());
    let photos = site.join("static/photos");
    std::fs::create_dir_all(&photos)?;
    pages[..count]
        .par_iter()
        .enumerate()
        .try_for_each(|(i, page)| -> anyhow::Result<()> {
            let name = format!("photo-{i:04}.jpg");
            std::fs::write(photos.join(&name), photo(i as u32)?)?;
            let text = std::fs::read_to_string(page)?;
            let with_image = text.replacen(
                "---\n",
                &format!("---\nimage: /photos/{name}\nimage_alt: \"Снимка {i}\"\n"),
                1,
            );
            std::fs::write(page, with_image)?;
            Ok(())
        })?;
    println!("{count} photos of {WIDTH}×{HEIGHT} in {}", photos.display());
    Ok(())
}

/// A photo-like picture: smooth light with fine grain, as a phone's JPEG
/// at quality 92 (about 2–4 MB), different for each `seed`.
fn photo(seed: u32) -> anyhow::Result<Vec<u8>> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let mut pixels = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let grain = (state & 15) as i32 - 8;
            let light = |base: u32, scale: u32| -> u8 {
                let v = (base + (x * scale + y * (scale + seed % 7)) / 60) % 256;
                (v as i32 + grain).clamp(0, 255) as u8
            };
            pixels.extend([light(40, 3), light(90, 2), light(160, 1)]);
        }
    }
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 92);
    encoder.set_progressive(true);
    encoder.encode(
        &pixels,
        WIDTH as u16,
        HEIGHT as u16,
        jpeg_encoder::ColorType::Rgb,
    )?;
    Ok(out)
}
