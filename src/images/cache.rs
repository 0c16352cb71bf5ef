//! The cache folder: renditions and clean originals by the source's content
//! hash and the settings, and what each source file was found to be, by its
//! size, modification time, inode and ctime, so that a rebuild reads no unchanged photo.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::images::Format;
use crate::images::decode;

/// What a source file holds, as found when it last had this size and time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceInfo {
    /// The file as it was read: a photo rewritten with its size and time
    /// put back (`exiftool -P`) has a new inode or ctime.
    stamp: crate::fingerprint::SourceStamp,
    /// Of the file's bytes: names its renditions in the cache.
    pub hash: String,
    /// `None` for a format dunav passes through untouched (a GIF named .jpg).
    pub image: Option<ImageFacts>,
}

/// An image's format and displayed size (its EXIF orientation applied).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ImageFacts {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation, 1 (upright) to 8.
    pub orientation: u8,
    pub alpha: bool,
}

const SOURCES_FILE: &str = "sources.json";

/// No image file larger than this is read (a 50 MP JPEG is about 25 MB).
const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// Makes each file written aside unique, between threads and processes.
static ASIDE: AtomicU64 = AtomicU64::new(0);

pub struct ImageCache {
    dir: PathBuf,
    sources: Mutex<HashMap<PathBuf, SourceInfo>>,
    changed: AtomicBool,
}

impl ImageCache {
    /// The cache under `dir`, with what an earlier build recorded (nothing if unreadable).
    pub fn open(dir: PathBuf) -> ImageCache {
        let sources = std::fs::read(dir.join(SOURCES_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        ImageCache {
            dir,
            sources: Mutex::new(sources),
            changed: AtomicBool::new(false),
        }
    }

    /// What `file` holds: remembered while its size and time stay, else read.
    pub fn source(&self, file: &Path) -> Result<SourceInfo, String> {
        let meta = std::fs::metadata(file).map_err(|e| e.to_string())?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(format!(
                "the file is {} MB, more than the {} MB dunav reads",
                meta.len() >> 20,
                MAX_FILE_BYTES >> 20
            ));
        }
        let stamp = crate::fingerprint::SourceStamp::of(&meta).map_err(|e| e.to_string())?;
        let known = self.lock().get(file).cloned();
        if let Some(info) = known.filter(|i| i.stamp == stamp) {
            return Ok(info);
        }
        let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
        let info = SourceInfo {
            stamp,
            hash: content_hash(&bytes),
            image: probe(&bytes)?,
        };
        self.lock().insert(file.to_path_buf(), info.clone());
        self.changed.store(true, Ordering::Relaxed);
        Ok(info)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, SourceInfo>> {
        self.sources.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Where a file made from the source with `hash` is kept.
    pub fn path(&self, hash: &str, name: &str) -> PathBuf {
        self.dir
            .join(hash.get(..2).unwrap_or("00"))
            .join(hash)
            .join(name)
    }

    /// Stores a made file: written aside, then renamed, so that a build
    /// running beside this one never reads half of it.
    pub fn store(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let n = ASIDE.fetch_add(1, Ordering::Relaxed);
        let mut aside = path.as_os_str().to_owned();
        aside.push(format!(".{}-{n}.part", std::process::id()));
        let aside = PathBuf::from(aside);
        std::fs::write(&aside, bytes)?;
        std::fs::rename(&aside, path)
    }

    /// Forgets the sources that are gone and removes the made files of
    /// contents no source has any more (a replaced photo's old sizes), so
    /// that the cache does not grow with every change. A folder changed in
    /// the last minutes is left: a build or `serve` beside this one may have
    /// just made it for a source this build has not seen.
    pub fn prune(&self) -> io::Result<()> {
        let live: std::collections::HashSet<String> = {
            let mut sources = self.lock();
            let before = sources.len();
            sources.retain(|file, _| file.exists());
            if sources.len() != before {
                self.changed.store(true, Ordering::Relaxed);
            }
            sources.values().map(|s| s.hash.clone()).collect()
        };
        let recent = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
        for shard in std::fs::read_dir(&self.dir)?.flatten() {
            if !shard.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            for made in std::fs::read_dir(shard.path())?.flatten() {
                let name = made.file_name();
                let stale = made
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t < recent);
                if stale && !live.contains(name.to_string_lossy().as_ref()) {
                    std::fs::remove_dir_all(made.path())?;
                }
            }
        }
        Ok(())
    }

    /// Records what was learnt about the sources, for the next build.
    pub fn save(&self) -> io::Result<()> {
        if !self.changed.swap(false, Ordering::Relaxed) {
            return Ok(());
        }
        let json = serde_json::to_vec(&*self.lock()).map_err(io::Error::other)?;
        self.store(&self.dir.join(SOURCES_FILE), &json)
    }
}

/// The hash that names a source's files in the cache.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The facts of an image dunav resizes; `None` for another format it passes through.
fn probe(bytes: &[u8]) -> Result<Option<ImageFacts>, String> {
    match image::guess_format(bytes) {
        Ok(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP) => {}
        Ok(_) => return Ok(None),
        Err(_) => return Err("its bytes are not an image dunav knows".into()),
    }
    let header = decode::header(bytes)?;
    // The JPEG decoder would accept a cut-off file: refuse it here, where
    // `dunav check` sees it too.
    if header.format == image::ImageFormat::Jpeg
        && crate::images::metadata::jpeg_first_image_len(bytes).is_none()
    {
        return Err("the JPEG is truncated or corrupt (it has no end marker)".into());
    }
    Ok(Some(ImageFacts {
        format: Format::of(header.format),
        width: header.width,
        height: header.height,
        orientation: header.orientation.to_exif(),
        alpha: header.alpha,
    }))
}
