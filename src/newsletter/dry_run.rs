//! Who would receive an issue, by language, without sending it
//! (`newsletter send --dry-run`, and `status`'s count of who is waiting).

use std::collections::HashMap;
use std::path::Path;

use crate::build::Site;
use crate::content::digest;
use crate::newsletter::NewsletterError;
use crate::newsletter::sender::issue_key;
use crate::store::{Store, SubscriberStatus};

/// How many would receive the issue, by language, without sending.
pub fn dry_run(site: &Site, db: &Path, issue: &str) -> Result<Vec<DryRunGroup>, NewsletterError> {
    let store = Store::open(db)?;
    let done = store.finished(issue_key(issue))?;
    let mut groups: HashMap<(String, String), usize> = HashMap::new();
    for s in store.list(Some(SubscriberStatus::Confirmed))? {
        if done.contains(&s.id) {
            continue;
        }
        let page = digest::find_issue(&site.library, &site.config, issue, &s.language)?;
        let sent_in = site.library.pages[page].lang.clone();
        *groups.entry((s.language, sent_in)).or_default() += 1;
    }
    let mut out: Vec<DryRunGroup> = groups
        .into_iter()
        .map(|((reader, sent_in), count)| DryRunGroup {
            reader,
            sent_in,
            count,
        })
        .collect();
    out.sort_by(|a, b| (&a.reader, &a.sent_in).cmp(&(&b.reader, &b.sent_in)));
    Ok(out)
}

/// Subscribers of one language still waiting for an issue, and the language
/// they would get it in (the default one where the issue has no translation).
#[derive(Debug)]
pub struct DryRunGroup {
    pub reader: String,
    pub sent_in: String,
    pub count: usize,
}
