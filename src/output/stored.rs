//! Outputs kept in memory (the dev server's): pages compressed as they are
//! written (a 10,000-page site's HTML is about 330 MB as it is), other files
//! as they are, and the image cache's files by path.

use std::collections::HashMap;
use std::path::PathBuf;

use axum::body::Bytes;

/// One served output.
pub enum Stored {
    Plain(Bytes),
    /// An HTML or XML page, LZ4-compressed.
    Packed(Bytes),
    /// A file of the image cache, read when asked for.
    OnDisk(PathBuf),
}

impl Stored {
    /// Keeps `bytes` as `path` needs: text pages compressed, the rest as they are.
    pub fn pack(path: &str, bytes: Vec<u8>) -> Stored {
        let text = path.ends_with(".html") || path.ends_with(".xml");
        if !text || bytes.len() < 1024 {
            return Stored::Plain(bytes.into());
        }
        Stored::Packed(lz4_flex::compress_prepend_size(&bytes).into())
    }

    /// The output's bytes, as the site has them.
    pub fn bytes(&self) -> std::io::Result<Bytes> {
        match self {
            Stored::Plain(bytes) => Ok(bytes.clone()),
            Stored::Packed(packed) => lz4_flex::decompress_size_prepended(packed)
                .map(Bytes::from)
                .map_err(std::io::Error::other),
            Stored::OnDisk(file) => std::fs::read(file).map(Bytes::from),
        }
    }
}

/// Outputs by site path (`news/x/index.html`).
pub type StoredFiles = HashMap<String, Stored>;
