//! Photos as editors drop them: published at a few widths in WebP and their
//! own format, upright, without metadata; the digest's mail sizes; broken
//! files named; renditions made once and kept in the cache.

mod support;

use support::photos::{self, jpeg_with_metadata, leaks_metadata, png_with_metadata};
use support::{TestSite, md};

/// A 1×1 GIF: passed through as it is.
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

fn photo_site() -> TestSite {
    let site = TestSite::new(&[(
        "content/news/a/index.md",
        &md(
            "title: Снимки\ndate: 2026-01-01\nimage: photo.jpg\nimage_alt: Залата",
            "Текст.\n\n![Схема на лабораторията](diagram.png \"Схема\")\n\n![Икона](anim.gif)",
        ),
    )]);
    site.write_bytes(
        "content/news/a/photo.jpg",
        &jpeg_with_metadata(2000, 1500, 1),
    );
    site.write_bytes("content/news/a/diagram.png", &png_with_metadata(700, 400));
    site.write_bytes("content/news/a/anim.gif", GIF);
    site
}

fn is_webp(bytes: &[u8]) -> bool {
    bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP"
}

#[test]
fn photos_are_published_at_their_widths_in_webp_and_their_own_format() {
    let site = photo_site();
    site.build(&[]);
    for (width, height) in [(480, 360), (960, 720), (1600, 1200)] {
        let jpeg = site.read_bytes(&format!("news/a/photo-{width}w.jpg"));
        assert_eq!(&jpeg[..2], [0xFF, 0xD8]);
        assert_eq!(photos::size(&jpeg), (width, height));
        let webp = site.read_bytes(&format!("news/a/photo-{width}w.webp"));
        assert!(is_webp(&webp), "photo-{width}w.webp is no WebP");
        assert_eq!(photos::size(&webp), (width, height));
    }
    assert!(
        !site.exists("news/a/photo-2000w.jpg"),
        "the original is not made again"
    );
    // No rendition wider than the original: 700 px is the widest of the diagram.
    assert_eq!(
        photos::size(&site.read_bytes("news/a/diagram-700w.png")),
        (700, 400)
    );
    assert!(is_webp(&site.read_bytes("news/a/diagram-480w.webp")));
    assert!(!site.exists("news/a/diagram-960w.png"));

    let html = site.read("news/a/index.html");
    assert!(
        html.contains("<source type=\"image/webp\" srcset=\"/news/a/photo-480w.webp 480w, /news/a/photo-960w.webp 960w, /news/a/photo-1600w.webp 1600w\""),
        "{html}"
    );
    assert!(
        html.contains("src=\"/news/a/photo-1600w.jpg\" srcset=\"/news/a/photo-480w.jpg 480w, /news/a/photo-600w.jpg 600w, /news/a/photo-960w.jpg 960w, /news/a/photo-1200w.jpg 1200w, /news/a/photo-1600w.jpg 1600w\""),
        "{html}"
    );
    assert!(html.contains("width=\"1600\" height=\"1200\" alt=\"Залата\" fetchpriority=\"high\""));
    let body_image = html
        .split("<picture>")
        .find(|p| p.contains("diagram-480w.png"))
        .expect("the Markdown image is a picture");
    for wanted in [
        "width=\"700\" height=\"400\"",
        "alt=\"Схема на лабораторията\"",
        "title=\"Схема\"",
        "loading=\"lazy\"",
        "decoding=\"async\"",
        "/news/a/diagram-480w.webp 480w, /news/a/diagram-700w.webp 700w",
    ] {
        assert!(body_image.contains(wanted), "{wanted} in {body_image}");
    }
    // GIF and other formats are passed through untouched.
    assert!(
        html.contains("<img src=\"/news/a/anim.gif\" alt=\"Икона\""),
        "{html}"
    );
    assert_eq!(site.read_bytes("news/a/anim.gif"), GIF);
    // Listings show the card at the widths too.
    let listing = site.read("news/index.html");
    assert!(
        listing.contains("/news/a/photo-480w.webp 480w"),
        "{listing}"
    );
}

#[test]
fn no_published_image_carries_location_or_camera_data() {
    let site = photo_site();
    site.write_bytes("static/img/banner.jpg", &jpeg_with_metadata(300, 100, 1));
    site.build(&[]);
    let images: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".jpg") || f.ends_with(".png") || f.ends_with(".webp"))
        .collect();
    assert!(images.len() >= 15, "{images:?}");
    for image in &images {
        let bytes = site.read_bytes(image);
        assert!(
            !leaks_metadata(&bytes),
            "{image} carries the source's metadata"
        );
    }
    // The originals are the same pictures, not re-encoded copies.
    let original = site.read_bytes("news/a/photo.jpg");
    assert_eq!(photos::size(&original), (2000, 1500));
    assert_eq!(
        photos::pixel(&original, 10, 10),
        photos::pixel(&jpeg_with_metadata(2000, 1500, 1), 10, 10)
    );
    assert_eq!(photos::size(&site.read_bytes("img/banner.jpg")), (300, 100));
}

#[test]
fn keep_metadata_publishes_the_originals_as_they_are() {
    let site = photo_site();
    site.write(
        "site.toml",
        &format!("{}\n[images]\nkeep_metadata = true\n", support::SITE_TOML),
    );
    site.build(&[]);
    assert!(leaks_metadata(&site.read_bytes("news/a/photo.jpg")));
    assert!(!leaks_metadata(&site.read_bytes("news/a/photo-480w.jpg")));
}

#[test]
fn a_turned_photo_is_published_upright() {
    let site = TestSite::new(&[(
        "content/news/b/index.md",
        &md(
            "title: Портрет\ndate: 2026-01-01\nimage: phone.jpg\nimage_alt: Телефонна снимка",
            "Текст.",
        ),
    )]);
    // Stored 80×40 (red left, blue right), shown turned a quarter clockwise: 40×80, red on top.
    site.write_bytes("content/news/b/phone.jpg", &jpeg_with_metadata(80, 40, 6));
    site.build(&[]);
    for name in ["phone-40w.jpg", "phone-40w.webp"] {
        let bytes = site.read_bytes(&format!("news/b/{name}"));
        assert_eq!(photos::size(&bytes), (40, 80), "{name}");
        let [r, _, b] = photos::pixel(&bytes, 20, 10);
        assert!(r > 150 && b < 100, "{name}: the top is red, found {r}/{b}");
        let [r, _, b] = photos::pixel(&bytes, 20, 70);
        assert!(
            b > 150 && r < 100,
            "{name}: the bottom is blue, found {r}/{b}"
        );
    }
    let html = site.read("news/b/index.html");
    assert!(html.contains("width=\"40\" height=\"80\""), "{html}");
    let original = site.read_bytes("news/b/phone.jpg");
    assert!(!leaks_metadata(&original));
    // The original keeps only its orientation, so that viewers still turn it.
    let exif = img_parts::jpeg::Jpeg::from_bytes(original.into())
        .ok()
        .and_then(|j| img_parts::ImageEXIF::exif(&j))
        .expect("an orientation-only EXIF");
    assert_eq!(
        image::metadata::Orientation::from_exif_chunk(&exif),
        Some(image::metadata::Orientation::Rotate90)
    );
}

#[test]
fn the_digest_shows_mail_sized_jpegs_at_absolute_urls() {
    let site = photo_site();
    site.write(
        "site.toml",
        &format!(
            "{}from = \"Хъб <news@example.org>\"\nunsubscribe_mailto = \"unsubscribe@example.org\"\n[subscriptions]\npublic_url = \"https://example.org/subscriptions\"\n",
            support::SITE_TOML
        ),
    );
    site.write(
        "content/newsletter/2026-02.md",
        &md(
            "title: Бюлетин\ndate: 2026-01-02T09:00:00",
            "Здравейте!\n\n![Залата](/news/a/photo.jpg)",
        ),
    );
    let out_dir = site.root().join("preview");
    let out = site.run_env(
        &[
            "newsletter",
            "preview",
            "2026-02",
            "--lang",
            "bg",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        &[("DUNAV_NOW", "2026-01-03T10:00:00Z")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(out_dir.join("digest.html")).unwrap();
    assert!(
        html.contains("src=\"https://example.org/news/a/photo-1200w.jpg\" srcset=\"https://example.org/news/a/photo-600w.jpg 1x, https://example.org/news/a/photo-1200w.jpg 2x\""),
        "{html}"
    );
    // The issue's own image: its JPEG, at most 600 px as shown, no WebP, no relative srcset.
    assert!(
        html.contains(
            "src=\"https://example.org/news/a/photo-1200w.jpg\" width=\"600\" height=\"450\""
        ),
        "{html}"
    );
    assert!(
        !html.contains(".webp") && !html.contains("<picture"),
        "{html}"
    );
    // And the files it names are what the site publishes.
    site.build(&[]);
    assert_eq!(
        photos::size(&site.read_bytes("news/a/photo-600w.jpg")),
        (600, 450)
    );
    assert_eq!(
        photos::size(&site.read_bytes("news/a/photo-1200w.jpg")),
        (1200, 900)
    );
}

/// A small PNG that declares `width` × `height` grey pixels: a
/// decompression bomb's header (its data would inflate to the full size).
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut header = width.to_be_bytes().to_vec();
    header.extend(height.to_be_bytes());
    header.extend([8, 0, 0, 0, 0]);
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [
        (&b"IHDR"[..], header),
        (
            b"IDAT",
            vec![0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        ),
        (b"IEND", Vec::new()),
    ] {
        let mut chunk = kind.to_vec();
        chunk.extend(&data);
        bytes.extend((data.len() as u32).to_be_bytes());
        bytes.extend(&chunk);
        bytes.extend(crc32(&chunk).to_be_bytes());
    }
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn broken_images_fail_the_build_naming_each_file() {
    let site = TestSite::new(&[(
        "content/news/c/index.md",
        &md(
            "title: Счупени\ndate: 2026-01-01\nimage: cut.jpg\nimage_alt: Отрязана",
            "![Текст](notes.jpg)\n\n![Бомба](bomb.png)",
        ),
    )]);
    let photo = jpeg_with_metadata(400, 300, 1);
    site.write_bytes("content/news/c/cut.jpg", &photo[..photo.len() / 2]);
    site.write("content/news/c/notes.jpg", "not a picture at all");
    site.write_bytes("content/news/c/bomb.png", &png_declaring(12_000, 9_000));
    let err = site.build_fails(&[]);
    for (file, why) in [
        ("content/news/c/cut.jpg", "truncated"),
        ("content/news/c/notes.jpg", "not an image"),
        ("content/news/c/bomb.png", "megapixels"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(file) && l.contains(why)),
            "{file}: {why} in\n{err}"
        );
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!site.public().exists(), "a failed build writes nothing");

    // With an error in a page's front matter too, one build says both; the
    // image need not be shown anywhere.
    site.write("content/news/d.md", &md("title: Д\ndate: nope", "Текст."));
    site.write("static/logo.png", "not a picture either");
    let err = site.build_fails(&[]);
    for said in [
        "content/news/d.md:3: `date`",
        "static/logo.png: cannot publish this image",
        "content/news/c/notes.jpg",
    ] {
        assert!(err.contains(said), "{said} in\n{err}");
    }
}

#[test]
fn unchanged_photos_are_not_made_again() {
    let site = photo_site();
    site.build(&[]);
    let cache = site.root().join(".dunav-cache/images");
    let made = |dir: &std::path::Path| -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.file_name() != "sources.json")
            .map(|e| {
                (
                    e.path().to_path_buf(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let first = made(&cache);
    assert!(first.len() >= 15, "{first:?}");
    let page = site.read("news/a/index.html");
    site.write(
        "content/news/a/index.md",
        &md(
            "title: Снимки\ndate: 2026-01-01\nimage: photo.jpg\nimage_alt: Залата",
            "Друг текст.\n\n![Схема на лабораторията](diagram.png \"Схема\")\n\n![Икона](anim.gif)",
        ),
    );
    site.build(&[]);
    assert_eq!(made(&cache), first, "nothing made again");
    assert_ne!(site.read("news/a/index.html"), page);
    assert!(site.exists("news/a/photo-960w.webp"));
    // Other settings make other files.
    site.write(
        "site.toml",
        &format!("{}\n[images]\nquality = 60\n", support::SITE_TOML),
    );
    site.build(&[]);
    assert!(made(&cache).len() > first.len());
}

/// The made files of a replaced photo go once no source has their content;
/// those of the photos still there stay.
#[test]
fn a_replaced_photos_old_sizes_leave_the_cache() {
    let site = photo_site();
    site.build(&[]);
    let cache = site.root().join(".dunav-cache/images");
    let contents = || -> Vec<std::path::PathBuf> {
        let mut dirs: Vec<_> = walkdir::WalkDir::new(&cache)
            .min_depth(2)
            .max_depth(2)
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.path().to_path_buf())
            .collect();
        dirs.sort();
        dirs
    };
    let before = contents();
    assert_eq!(
        before.len(),
        2,
        "photo and diagram (the GIF goes as it is): {before:?}"
    );
    // Made long enough ago that no build beside this one can be using them.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for dir in &before {
        std::fs::File::open(dir)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    site.write_bytes("content/news/a/diagram.png", &png_with_metadata(600, 300));
    site.build(&[]);
    let after = contents();
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(
        before.iter().filter(|d| after.contains(d)).count(),
        1,
        "only the diagram's old content is gone: {before:?} {after:?}"
    );
    assert!(site.exists("news/a/diagram-600w.webp") || site.exists("news/a/diagram.png"));
}

#[test]
fn resize_image_gives_templates_any_width() {
    let site = photo_site();
    let news = site.root().join("themes/dunav/templates/news.html");
    let template = std::fs::read_to_string(&news).unwrap();
    let template = template.replacen(
        "{%- if page.image %}",
        "{% set thumb = resize_image(path=\"news/a/photo.jpg\", width=300, format=\"webp\") %}<meta name=\"thumb\" content=\"{{ thumb.url }} {{ thumb.width }}x{{ thumb.height }}\">{%- if page.image %}",
        1,
    );
    std::fs::write(&news, template).unwrap();
    site.build(&[]);
    let html = site.read("news/a/index.html");
    assert!(
        html.contains("content=\"/news/a/photo-300w.webp 300x225\""),
        "{html}"
    );
    assert_eq!(
        photos::size(&site.read_bytes("news/a/photo-300w.webp")),
        (300, 225)
    );
}

#[test]
fn serve_shows_renditions_and_a_replaced_photo() {
    let site = photo_site();
    let mut command = site.command(&["serve", "--port", "0"], &[]);
    command.stderr(std::process::Stdio::null());
    let server = support::server::Server::start(command);
    let rx = support::server::events(&server.addr, "/__dunav/events");
    let webp = support::http::get(&server.addr, "/news/a/photo-480w.webp");
    assert_eq!(webp.status, 200);
    assert_eq!(webp.header("content-type"), Some("image/webp"));
    assert!(
        support::http::get(&server.addr, "/news/a/")
            .body
            .contains("photo-1600w.jpg")
    );
    // The editor replaces the photo with a smaller, wider one.
    site.write_bytes(
        "content/news/a/photo.jpg",
        &jpeg_with_metadata(1000, 500, 1),
    );
    support::server::wait_event(&rx, "reload");
    let page = support::http::get(&server.addr, "/news/a/").body;
    assert!(
        page.contains("src=\"/news/a/photo-1000w.jpg\"")
            && page.contains("width=\"1000\" height=\"500\""),
        "{page}"
    );
    assert_eq!(
        support::http::get(&server.addr, "/news/a/photo-1000w.webp").status,
        200
    );
    // A template edit renders every page again from the kept Markdown: the photos stay.
    let base = site.root().join("themes/dunav/templates/base.html");
    let template = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        &base,
        template.replacen("</body>", "<!-- edited --></body>", 1),
    )
    .unwrap();
    support::server::wait_event(&rx, "reload");
    assert!(
        support::http::get(&server.addr, "/news/a/")
            .body
            .contains("<!-- edited -->")
    );
    for file in [
        "photo-1000w.webp",
        "photo-480w.jpg",
        "diagram-700w.png",
        "photo.jpg",
    ] {
        let status = support::http::get(&server.addr, &format!("/news/a/{file}")).status;
        assert_eq!(status, 200, "{file} after a template edit");
    }
}

#[test]
fn images_whose_copies_would_share_names_are_refused() {
    let site = TestSite::new(&[(
        "content/news/e/index.md",
        &md(
            "title: Две снимки\ndate: 2026-01-01\nimage: photo.jpg\nimage_alt: Едната",
            "![Другата](photo.png)",
        ),
    )]);
    site.write_bytes("content/news/e/photo.jpg", &jpeg_with_metadata(100, 50, 1));
    site.write_bytes("content/news/e/photo.png", &support::plain_png(100, 50));
    let err = site.build_fails(&[]);
    assert!(
        err.contains("content/news/e/photo") && err.contains("rename one of the two files"),
        "{err}"
    );
    assert!(
        !err.contains("opens in a viewer"),
        "the files are fine: {err}"
    );
}

#[test]
fn check_finds_a_broken_photo_as_build_does() {
    let site = photo_site();
    let photo = jpeg_with_metadata(400, 300, 1);
    site.write_bytes("content/news/a/photo.jpg", &photo[..photo.len() - 200]);
    let out = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("content/news/a/photo.jpg") && stderr.contains("truncated"),
        "{stderr}"
    );
    assert!(
        !site
            .root()
            .join(".dunav-cache/images/sources.json")
            .exists()
    );
}

#[test]
fn formats_dunav_does_not_resize_are_published_as_they_are_with_a_warning() {
    let site = TestSite::new(&[(
        "content/news/d/index.md",
        &md(
            "title: Други формати\ndate: 2026-01-01",
            "![От iPhone](live.heic)\n\n![Всъщност GIF](moving.jpg)",
        ),
    )]);
    site.write("content/news/d/live.heic", "ftypheic... a phone's HEIC");
    site.write_bytes("content/news/d/moving.jpg", GIF);
    let out = site.build(&[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for file in ["content/news/d/live.heic", "content/news/d/moving.jpg"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("warning:") && l.contains(file)),
            "{file} in\n{stderr}"
        );
    }
    assert_eq!(site.read_bytes("news/d/moving.jpg"), GIF);
    assert!(
        site.read("news/d/index.html")
            .contains("<img src=\"/news/d/live.heic\"")
    );
}

#[test]
fn metadata_between_a_progressive_photos_scans_is_removed_too() {
    let photo = jpeg_with_metadata(64, 48, 1);
    let scans: Vec<usize> = photo
        .windows(2)
        .enumerate()
        .filter(|(_, w)| *w == [0xFF, 0xDA])
        .map(|(i, _)| i)
        .collect();
    assert!(scans.len() > 1, "a progressive JPEG has several scans");
    let comment = photos::SECRET_TEXT;
    let mut segment = vec![0xFF, 0xFE];
    segment.extend(((comment.len() + 2) as u16).to_be_bytes());
    segment.extend(comment.as_bytes());
    let mut sneaky = photo[..scans[1]].to_vec();
    sneaky.extend(&segment);
    sneaky.extend(&photo[scans[1]..]);
    assert!(leaks_metadata(&sneaky));
    let site = TestSite::new(&[(
        "content/news/f/index.md",
        &md(
            "title: Снимка\ndate: 2026-01-01\nimage: photo.jpg\nimage_alt: Залата",
            "Текст.",
        ),
    )]);
    site.write_bytes("content/news/f/photo.jpg", &sneaky);
    site.build(&[]);
    let published = site.read_bytes("news/f/photo.jpg");
    assert!(!leaks_metadata(&published));
    assert_eq!(photos::size(&published), (64, 48));
}

/// A photo whose name holds `%` is written `%25` in a link, as CommonMark
/// asks, and is still resized: its sizes are named after the file.
#[test]
fn a_photo_named_with_a_percent_sign_is_resized() {
    let site = TestSite::new(&[(
        "content/news/pct.md",
        &md(
            "title: Процент\ndate: 2026-01-05T10:00:00",
            "![Петдесет процента](50%25.png)",
        ),
    )]);
    site.write_bytes("content/news/50%.png", &photos::png(1600, 900));
    site.build(&[]);
    let page = site.read("news/pct/index.html");
    assert!(page.contains("srcset=\"/news/50%25-"), "{page}");
    assert!(
        site.files()
            .iter()
            .any(|f| f.starts_with("news/50%-") && f.ends_with(".webp"))
    );
}
