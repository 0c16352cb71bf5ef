//! Rendered bodies kept between builds in `.dunav-cache/markdown`, by a key
//! of everything a body is made from: its file's text and place, the link
//! targets and images of the whole site (their fingerprint), and the
//! settings (site.toml, the theme's ids). Rendering Markdown is the largest
//! part of loading a site that did not change; a kept body reads back in a
//! fraction of the time. The file carries a stamp of the binary that wrote
//! it ([`crate::kept`]) and holds the bodies of the last build only.

use std::collections::HashMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};

use bytes::Bytes;

use crate::content::body::RenderedBody;
use crate::content::html_text::HtmlText;
use crate::content::page::Page;
use crate::diagnostics::Unpublished;
use crate::kept::Kept;

const KIND: &[u8; 8] = b"DUNAVMD1";

/// The bodies a previous build kept, each as its record's bytes: the
/// length of the fields' JSON, the JSON, then the HTML.
pub struct KeptBodies {
    path: PathBuf,
    /// The file as read, if its records are whole.
    file: Option<Kept>,
    entries: HashMap<u128, Bytes>,
}

impl KeptBodies {
    /// What the last build kept at `path` (nothing unless `reuse`); a
    /// missing, foreign or damaged file holds nothing: it is only a cache.
    pub fn load(path: &Path, reuse: bool) -> KeptBodies {
        let read = reuse
            .then(|| Kept::read(path, KIND))
            .flatten()
            .and_then(|kept| {
                let records = crate::kept::records(kept.body())?;
                let entries = records
                    .into_iter()
                    .map(|(key, bytes)| (u128::from_le_bytes(key), kept.shared(bytes)))
                    .collect();
                Some((kept, entries))
            });
        let (file, entries) = read.map_or((None, HashMap::new()), |(k, e)| (Some(k), e));
        KeptBodies {
            path: path.to_path_buf(),
            file,
            entries,
        }
    }

    /// The body kept under `key`, with its record's bytes (to keep it again
    /// as it is); `page_key` is the in-process cache's key for it. Its HTML
    /// stays in the file's memory.
    pub fn get(&self, key: u128, page_key: (u64, u64)) -> Option<(RenderedBody, Bytes)> {
        let record = self.entries.get(&key)?;
        let json_len = u32::from_le_bytes(record.get(..4)?.try_into().ok()?) as usize;
        let json = record.get(4..4 + json_len)?;
        let mut body: RenderedBody = serde_json::from_slice(json).ok()?;
        body.key = page_key;
        body.content_html = HtmlText::shared(record.slice(4 + json_len..));
        Some((body, record.clone()))
    }

    /// Keeps `bodies` (this build's, each with its key and, when it was
    /// kept before, its record) for the next build: the new ones are added
    /// to the file, which is written anew when most of it is no longer used.
    pub fn save<'b>(
        self,
        bodies: impl Iterator<Item = (u128, &'b RenderedBody, Option<&'b Bytes>)> + Clone,
    ) -> std::io::Result<()> {
        let mut used = crate::kept::Used::default();
        for (_, _, record) in bodies.clone() {
            used.add(record.map(Bytes::len));
        }
        let fresh = bodies.clone().filter(|(_, _, record)| record.is_none());
        let fresh = |out: &mut dyn std::io::Write| {
            for (key, body, _) in fresh {
                crate::kept::write_record(out, key.to_le_bytes(), &encode(body)?)?;
            }
            Ok(())
        };
        let file = self.file.as_ref();
        crate::kept::keep_records(&self.path, KIND, file, used, fresh, |out| {
            for (key, body, record) in bodies {
                let key = key.to_le_bytes();
                match record {
                    Some(record) => crate::kept::write_record(out, key, record)?,
                    None => crate::kept::write_record(out, key, &encode(body)?)?,
                }
            }
            Ok(())
        })
    }
}

/// A body's record: the length of its fields' JSON, the JSON, the HTML.
fn encode(body: &RenderedBody) -> std::io::Result<Vec<u8>> {
    let json = serde_json::to_vec(body)?;
    let html = body.content_html.text();
    let json_len = u32::try_from(json.len()).map_err(std::io::Error::other)?;
    let mut record = Vec::with_capacity(4 + json.len() + html.len());
    record.extend(json_len.to_le_bytes());
    record.extend(json);
    record.extend(html.as_bytes());
    Ok(record)
}

/// The key of a page's body: everything rendering it reads. `links_print`
/// covers the site's link targets and images, `settings` site.toml and the
/// theme's ids (see [`super::Rendering::settings_print`]).
pub fn key(page: &Page, links_print: u64, settings: u64) -> u128 {
    crate::fingerprint::wide(|mut hash| {
        (
            &page.file,
            page.source_hash,
            &page.url,
            &page.lang,
            page.body_line,
            page.unpublished_note().map(Unpublished::word),
            links_print,
            settings,
        )
            .hash(&mut hash)
    })
}
