//! Photos as readers and subscribers get them: each image a page shows is
//! published at a few widths, in WebP and in its own format, upright, with
//! no location or camera data; every published JPEG, PNG or WebP loses its
//! metadata. What is made is kept in a cache folder by content hash.
//!
//! - `cache`: the cache folder, and what each source file was found to be;
//! - `decode`: untrusted bytes read within limits, EXIF orientation applied;
//! - `renditions`: resizing and encoding one source's renditions;
//! - `encode`: WebP, JPEG and PNG writers;
//! - `metadata`: EXIF, XMP and IPTC removed without re-encoding.
//!
//! A [`Pictures`] is made per build: pages ask it for a [`Picture`] (which
//! notes the renditions needed), and [`Pictures::make`] then makes those
//! the cache lacks, in parallel, one decoded photo per thread.

mod cache;
mod decode;
mod encode;
mod metadata;
mod renditions;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
pub use cache::ImageFacts;
use cache::{ImageCache, SourceInfo};
pub use decode::MAX_PIXELS;

/// Changes whenever what the pipeline makes changes: cached renditions of an
/// older version are not reused.
const PIPELINE_VERSION: u32 = 2;

/// `[images]` in site.toml, as the pipeline uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageSettings {
    /// Widths a page's images are published at (never wider than the original).
    pub widths: Vec<u32>,
    /// Widths for mail: 600 px, and twice that for sharp screens.
    pub mail_widths: Vec<u32>,
    /// Lossy quality of WebP and JPEG renditions, 1–100.
    pub quality: u8,
    /// Publish originals with their EXIF/XMP/IPTC data (off: removed).
    pub keep_metadata: bool,
    /// The cache folder.
    pub cache_dir: PathBuf,
}

/// The formats dunav resizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    fn of(format: image::ImageFormat) -> Format {
        match format {
            image::ImageFormat::Png => Format::Png,
            image::ImageFormat::WebP => Format::WebP,
            _ => Format::Jpeg,
        }
    }

    /// The format a file name claims, for the files dunav resizes.
    pub fn from_name(name: &str) -> Option<Format> {
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }

    /// A template's name for a format: `webp`, `jpeg`/`jpg`, `png`.
    pub fn parse(name: &str) -> Option<Format> {
        Format::from_name(&format!(".{name}"))
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }

    /// What every browser and mail client shows: JPEG for photos, PNG for
    /// images with transparency or drawn as PNG.
    fn fallback(facts: &ImageFacts) -> Format {
        match facts.format {
            Format::Png => Format::Png,
            _ if facts.alpha => Format::Png,
            _ => Format::Jpeg,
        }
    }
}

/// One published size of an image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rendition {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// What a page needs to show an image: the default size with its width and
/// height (no layout shift), `srcset`s in the fallback format and in WebP,
/// and the mail sizes. URLs are site paths, safe inside a `srcset`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Picture {
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub srcset: String,
    pub webp_srcset: String,
    /// The image as published at its own size (without its metadata).
    pub original: String,
    /// For mail: the 1200 px file (or the widest there is) and `600w 1x, 1200w 2x`.
    pub mail_src: String,
    pub mail_srcset: String,
}

/// A source's renditions wanted by this build.
struct Wanted {
    url: String,
    info: SourceInfo,
    facts: ImageFacts,
    renditions: BTreeSet<(u32, Format)>,
}

/// The images of one build: what pages asked for, made at the end.
pub struct Pictures {
    root: PathBuf,
    settings: ImageSettings,
    /// Names cached files made with these settings.
    settings_print: String,
    cache: ImageCache,
    wanted: Mutex<HashMap<PathBuf, Wanted>>,
    /// One problem per source file, reported once.
    problems: Mutex<BTreeMap<PathBuf, Diagnostic>>,
}

impl Pictures {
    pub fn new(root: &Path, settings: ImageSettings) -> Pictures {
        let print = crate::fingerprint::of(&(PIPELINE_VERSION, settings.quality));
        Pictures {
            root: root.to_path_buf(),
            cache: ImageCache::open(settings.cache_dir.clone()),
            settings_print: format!("{print:016x}"),
            settings,
            wanted: Mutex::new(HashMap::new()),
            problems: Mutex::new(BTreeMap::new()),
        }
    }

    /// The image published at site path `url` from `source`, with its
    /// renditions noted for [`Pictures::make`]; `None` for a format that is
    /// passed through (SVG, GIF) or a file that cannot be read (a problem is noted).
    pub fn picture(&self, url: &str, source: &Path) -> Option<Picture> {
        if Format::from_name(url).is_none() {
            if is_undecoded_photo(url) {
                self.note_warning(
                    source,
                    "published as it is: dunav resizes and cleans only JPEG, PNG and WebP, so this file keeps any location or camera data it has",
                );
            }
            return None;
        }
        let (info, facts) = self.facts(source)?;
        let fallback = Format::fallback(&facts);
        let widths = fit(&self.settings.widths, facts.width);
        let mail = fit(&self.settings.mail_widths, facts.width);
        let mut wanted: Vec<(u32, Format)> = Vec::new();
        for &w in &widths {
            wanted.push((w, fallback));
            wanted.push((w, Format::WebP));
        }
        wanted.extend(mail.iter().map(|&w| (w, fallback)));
        self.want(url, source, info, facts, &wanted);
        let made = |w: u32, f: Format| rendition(url, &facts, w, f);
        // The fallback lists the mail widths too: browsers get more choice,
        // and feeds and mail pick the 1200 px file from it.
        let mut fallback_widths: Vec<u32> = widths.iter().chain(&mail).copied().collect();
        fallback_widths.sort_unstable();
        fallback_widths.dedup();
        let srcset = |f: Format, widths: &[u32]| {
            widths
                .iter()
                .map(|&w| format!("{} {w}w", made(w, f).url))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let widest = made(*widths.last()?, fallback);
        let mail_widest = made(*mail.last()?, fallback);
        let mail_srcset = match mail.as_slice() {
            [one, two, ..] => format!(
                "{} 1x, {} 2x",
                made(*one, fallback).url,
                made(*two, fallback).url
            ),
            _ => format!("{} 1x", mail_widest.url),
        };
        Some(Picture {
            srcset: srcset(fallback, &fallback_widths),
            webp_srcset: srcset(Format::WebP, &widths),
            original: srcset_safe(url),
            src: widest.url,
            width: widest.width,
            height: widest.height,
            mail_src: mail_widest.url,
            mail_srcset,
        })
    }

    /// One rendition `width` pixels wide (at most the original's) in
    /// `format` (else the fallback), for a template's `resize_image`.
    pub fn resized(
        &self,
        url: &str,
        source: &Path,
        width: u32,
        format: Option<Format>,
    ) -> Result<Rendition, String> {
        if Format::from_name(url).is_none() {
            return Err(format!("{url} is not a JPEG, PNG or WebP file"));
        }
        let (info, facts) = self
            .facts(source)
            .ok_or_else(|| format!("{url} is not a JPEG, PNG or WebP image dunav can read"))?;
        let width = width.clamp(1, facts.width);
        let format = match format {
            None => Format::fallback(&facts),
            // JPEG has no transparency: such an image stays a PNG.
            Some(Format::Jpeg) if facts.alpha => Format::Png,
            Some(other) => other,
        };
        self.want(url, source, info, facts, &[(width, format)]);
        Ok(rendition(url, &facts, width, format))
    }

    fn facts(&self, source: &Path) -> Option<(SourceInfo, ImageFacts)> {
        match self.cache.source(source) {
            Ok(info) => match info.image {
                Some(facts) => Some((info, facts)),
                None => {
                    self.note_warning(
                        source,
                        "its bytes are another image format than its name says: published as it is, not resized",
                    );
                    None
                }
            },
            Err(reason) => {
                self.note_problem(source, &reason);
                None
            }
        }
    }

    fn want(
        &self,
        url: &str,
        source: &Path,
        info: SourceInfo,
        facts: ImageFacts,
        renditions: &[(u32, Format)],
    ) {
        let mut wanted = self.wanted.lock().unwrap_or_else(|e| e.into_inner());
        let entry = wanted
            .entry(source.to_path_buf())
            .or_insert_with(|| Wanted {
                url: url.to_string(),
                info,
                facts,
                renditions: BTreeSet::new(),
            });
        entry.renditions.extend(renditions.iter().copied());
    }

    fn note_problem(&self, source: &Path, reason: &str) {
        let shown = source.strip_prefix(&self.root).unwrap_or(source);
        let problem = Diagnostic::error(shown, format!("cannot publish this image: {reason}"))
            .with_help("replace the file with a JPEG, PNG or WebP image that opens in a viewer");
        self.note(source, problem);
    }

    fn note_warning(&self, source: &Path, message: &str) {
        let shown = source.strip_prefix(&self.root).unwrap_or(source);
        let warning = Diagnostic::warning(shown, message)
            .with_help("export it as JPEG (photos) or PNG (drawings) and use that file");
        self.note(source, warning);
    }

    fn note(&self, source: &Path, problem: Diagnostic) {
        self.problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(source.to_path_buf())
            .or_insert(problem);
    }

    /// Makes every wanted rendition the cache lacks, in parallel (none when
    /// `plan_only`); returns each rendition's site path with its file in the cache.
    pub fn make(&self, plan_only: bool) -> Vec<(String, PathBuf)> {
        let wanted = self.wanted.lock().unwrap_or_else(|e| e.into_inner());
        let mut sources: Vec<(&PathBuf, &Wanted)> = wanted.iter().collect();
        sources.sort_by(|a, b| a.0.cmp(b.0));
        self.refuse_shared_names(&sources);
        sources
            .par_iter()
            .with_max_len(1)
            .flat_map_iter(|(source, wanted)| self.make_one(source, wanted, plan_only))
            .collect()
    }

    /// One source's renditions (those the cache lacks made first): site path
    /// and cache file of each; none when they cannot be made.
    fn make_one(&self, source: &Path, wanted: &Wanted, plan_only: bool) -> Vec<(String, PathBuf)> {
        // The others are made from it: its width names them in the cache.
        let widest = wanted.renditions.iter().map(|r| r.0).max().unwrap_or(0);
        let files: Vec<(String, PathBuf, u32, Format)> = wanted
            .renditions
            .iter()
            .map(|&(w, f)| {
                let made = rendition(&wanted.url, &wanted.facts, w, f);
                let path = self.cached_file(&wanted.info.hash, &format!("{w}w-{widest}"), f);
                (site_path(&made.url), path, w, f)
            })
            .collect();
        let missing: Vec<(u32, Format, &Path)> = files
            .iter()
            .filter(|(_, path, _, _)| !path.exists())
            .map(|(_, path, w, f)| (*w, *f, path.as_path()))
            .collect();
        if !missing.is_empty() && !plan_only {
            let quality = self.settings.quality;
            let hash = &wanted.info.hash;
            let made = renditions::make(
                source,
                hash,
                &wanted.facts,
                (&missing, widest),
                quality,
                &self.cache,
            );
            if let Err(reason) = made {
                self.note_problem(source, &reason);
                return Vec::new();
            }
        }
        files
            .into_iter()
            .map(|(site, path, _, _)| (site, path))
            .collect()
    }

    /// The cache file of a source's `kind` (`480w`, `original`) made with these settings.
    fn cached_file(&self, hash: &str, kind: &str, format: Format) -> PathBuf {
        let name = format!("{}-{kind}.{}", self.settings_print, format.extension());
        self.cache.path(hash, &name)
    }

    /// `photo.jpg` and `photo.png` beside each other would both make
    /// `photo-480w.webp`: the second is an error, not a silent overwrite.
    fn refuse_shared_names(&self, sources: &[(&PathBuf, &Wanted)]) {
        let mut named: HashMap<String, &Path> = HashMap::new();
        for (source, wanted) in sources {
            let stem = wanted
                .url
                .rsplit_once('.')
                .map_or(wanted.url.as_str(), |(s, _)| s);
            if let Some(first) = named.insert(stem.to_lowercase(), source.as_path()) {
                let first = first.strip_prefix(&self.root).unwrap_or(first).display();
                let shown = source.strip_prefix(&self.root).unwrap_or(source);
                let problem = Diagnostic::error(
                    shown,
                    format!("cannot publish this image: its resized copies would take the names of those of {first}"),
                )
                .with_help("rename one of the two files");
                self.note(source, problem);
            }
        }
    }

    /// The file to publish for the image `source`: a copy without its
    /// metadata, made once into the cache (the file itself for other
    /// formats, or when `keep_metadata` is set).
    pub fn clean_original(&self, source: &Path) -> PathBuf {
        let name = source.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if Format::from_name(name).is_none() || self.settings.keep_metadata {
            if is_undecoded_photo(name) && !self.settings.keep_metadata {
                self.note_warning(
                    source,
                    "published as it is: dunav cleans only JPEG, PNG and WebP, so this file keeps any location or camera data it has",
                );
            }
            return source.to_path_buf();
        }
        let Ok(info) = self
            .cache
            .source(source)
            .inspect_err(|r| self.note_problem(source, r))
        else {
            return source.to_path_buf();
        };
        let Some(facts) = info.image else {
            return source.to_path_buf();
        };
        let path = self.cached_file(&info.hash, "original", facts.format);
        if path.exists() {
            return path;
        }
        let quality = self.settings.quality;
        match renditions::clean(source, &info.hash, &facts, quality, &self.cache, &path) {
            Ok(()) => path,
            Err(reason) => {
                self.note_problem(source, &reason);
                source.to_path_buf()
            }
        }
    }

    /// The problems publishing `files` would meet as images (unreadable,
    /// not an image, truncated), with those met so far; nothing is made.
    /// A build that stops before publishing still reports them all at once.
    pub fn inspect<'f>(
        &self,
        files: impl IntoParallelIterator<Item = &'f PathBuf>,
    ) -> Vec<Diagnostic> {
        files.into_par_iter().for_each(|file| {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            // Kept as it is, a file is published as it is, unread.
            if Format::from_name(name).is_some() && !self.settings.keep_metadata {
                self.cache
                    .source(file)
                    .inspect_err(|r| self.note_problem(file, r))
                    .ok();
            }
        });
        self.problems()
    }

    /// The problems met so far, one per image file.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let problems = self.problems.lock().unwrap_or_else(|e| e.into_inner());
        problems.values().cloned().collect()
    }

    /// Saves what was learnt about the sources, for the next build, and
    /// lets go of the made files no source needs.
    pub fn save(&self) -> std::io::Result<()> {
        // Only a cache: a prune that fails leaves files, never a wrong one.
        self.cache.prune().ok();
        self.cache.save()
    }
}

impl std::fmt::Debug for Pictures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pictures")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// The width and height in the header of the file published at site path
/// `url`; `None` for a remote, unknown or unreadable image.
pub fn published_size(url: &str, files: &HashMap<String, PathBuf>) -> Option<(u32, u32)> {
    let file = files.get(url.strip_prefix('/')?)?;
    let size = imagesize::size(file).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// A photo format browsers or dunav cannot all read: published untouched, with a warning.
fn is_undecoded_photo(url: &str) -> bool {
    let extension = url
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    matches!(
        extension.as_str(),
        "heic" | "heif" | "avif" | "tif" | "tiff" | "bmp" | "jxl" | "dng"
    )
}

/// The widths wanted, for an original `original` pixels wide: those below
/// it, and the original width itself in place of any wider one.
fn fit(widths: &[u32], original: u32) -> Vec<u32> {
    let mut fitted: Vec<u32> = widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < original)
        .collect();
    if widths.iter().any(|&w| w >= original) || fitted.is_empty() {
        fitted.push(original);
    }
    fitted.sort_unstable();
    fitted.dedup();
    fitted
}

/// The rendition of the image at `url`, `width` wide, in `format`.
fn rendition(url: &str, facts: &ImageFacts, width: u32, format: Format) -> Rendition {
    let stem = url.rsplit_once('.').map_or(url, |(stem, _)| stem);
    Rendition {
        url: srcset_safe(&format!("{stem}-{width}w.{}", format.extension())),
        width,
        height: renditions::scaled_height(facts, width),
    }
}

/// A URL that a `srcset` cannot misread: spaces and commas separate its entries.
fn srcset_safe(url: &str) -> String {
    url.replace('%', "%25")
        .replace(' ', "%20")
        .replace(',', "%2C")
        .replace('#', "%23")
        .replace('?', "%3F")
}

/// The site path a rendition is written at (its URL without the encoding).
fn site_path(url: &str) -> String {
    url.trim_start_matches('/')
        .replace("%3F", "?")
        .replace("%23", "#")
        .replace("%2C", ",")
        .replace("%20", " ")
        .replace("%25", "%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_exceed_the_original() {
        assert_eq!(fit(&[480, 960, 1600], 4000), vec![480, 960, 1600]);
        assert_eq!(fit(&[480, 960, 1600], 1000), vec![480, 960, 1000]);
        assert_eq!(fit(&[480, 960, 1600], 300), vec![300]);
        assert_eq!(fit(&[480, 960, 1600], 960), vec![480, 960]);
        assert_eq!(fit(&[600, 1200], 640), vec![600, 640]);
    }

    #[test]
    fn renditions_keep_the_aspect_ratio_and_a_safe_url() {
        let facts = ImageFacts {
            format: Format::Jpeg,
            width: 4000,
            height: 3000,
            orientation: 1,
            alpha: false,
        };
        let r = rendition("/news/a b,c/photo.JPG", &facts, 480, Format::WebP);
        assert_eq!((r.width, r.height), (480, 360));
        assert_eq!(r.url, "/news/a%20b%2Cc/photo-480w.webp");
        assert_eq!(site_path(&r.url), "news/a b,c/photo-480w.webp");
    }
}
