//! `dunav subscribers import FILE`: a CSV with a header row. Each line is
//! one row (a stray quote spoils only its own line), every bad row is
//! reported as `FILE:LINE: field: what is wrong`, and the rest is imported.
//! A row for an address that is already there fills in what it gives and
//! keeps what it leaves empty; what changed is printed per address.

use std::path::Path;

use anyhow::{Context, bail};
use dunav::config::SiteConfig;
use dunav::store::{NewSubscriber, Store, Subscriber, SubscriberStatus, Upsert, normalise_email};

use crate::cli::subscribers::{split_sectors, validate};

/// What the import did, for the closing line.
#[derive(Default)]
struct Tally {
    added: usize,
    updated: usize,
    unchanged: usize,
    kept_unsubscribed: usize,
    erased: usize,
    rejected: usize,
}

/// The columns of the header row.
struct Columns {
    email: usize,
    language: Option<usize>,
    name: Option<usize>,
    sectors: Option<usize>,
    status: Option<usize>,
}

pub fn run(config: &SiteConfig, store: &mut Store, file: &Path) -> anyhow::Result<()> {
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {shown}"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        bail!("{shown}: the file is empty; it needs a header row such as `email,language`");
    };
    let columns =
        columns(&cells(header).unwrap_or_default()).with_context(|| format!("{shown}:1"))?;
    let mut tally = Tally::default();
    let source = format!(
        "import:{}",
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    for (line, text) in lines {
        let row = cells(text)
            .map_err(|why| ("row", why))
            .and_then(|cells| row(config, &columns, &cells, &source));
        let new = match row {
            Ok(new) => new,
            Err((field, why)) => {
                eprintln!("{shown}:{line}: `{field}`: {why}");
                tally.rejected += 1;
                continue;
            }
        };
        apply(store, new, config, &mut tally, &format!("{shown}:{line}"))?;
    }
    println!(
        "imported {shown}: {} added, {} updated, {} unchanged, {} kept unsubscribed, {} erased before, {} rejected row(s)",
        tally.added,
        tally.updated,
        tally.unchanged,
        tally.kept_unsubscribed,
        tally.erased,
        tally.rejected
    );
    if tally.rejected > 0 {
        println!(
            "{} row(s) were not imported: see the messages above",
            tally.rejected
        );
    }
    Ok(())
}

/// The cells of one CSV line; quotes may enclose commas but not lines.
fn cells(line: &str) -> Result<Vec<String>, String> {
    // Quotes inside a quoted cell are doubled, so a line's quotes come in pairs.
    if line.matches('"').count() % 2 == 1 {
        return Err("a quote is not closed on this line".into());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    reader
        .read_record(&mut record)
        .map_err(|e| format!("not a CSV row: {e}"))?;
    Ok(record.iter().map(String::from).collect())
}

fn columns(header: &[String]) -> anyhow::Result<Columns> {
    let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let Some(email) = find("email") else {
        bail!(
            "the header row has no `email` column (found: {})",
            header.join(", ")
        );
    };
    Ok(Columns {
        email,
        language: find("language"),
        name: find("name"),
        sectors: find("sectors"),
        status: find("status"),
    })
}

/// One row as a subscriber to merge, or the field that is wrong and why.
fn row(
    config: &SiteConfig,
    columns: &Columns,
    cells: &[String],
    source: &str,
) -> Result<NewSubscriber, (&'static str, String)> {
    let get = |c: Option<usize>| {
        c.and_then(|c| cells.get(c))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    let raw = get(Some(columns.email)).unwrap_or("");
    let email = normalise_email(raw)
        .ok_or_else(|| ("email", format!("\"{raw}\" is not an email address")))?;
    let language = get(columns.language);
    let name = get(columns.name);
    let sectors = split_sectors(get(columns.sectors).unwrap_or(""));
    validate(config, language, name, &sectors)?;
    let status = match get(columns.status) {
        Some(s) => Some(
            SubscriberStatus::parse(s)
                .ok_or_else(|| ("status", format!("unknown status \"{s}\"")))?,
        ),
        None => None,
    };
    Ok(NewSubscriber {
        email,
        name: name.map(String::from),
        language: language.unwrap_or_default().to_string(),
        sectors,
        status,
        consent_source: Some(source.to_string()),
        ..Default::default()
    })
}

/// Merges a row into the store: what the row leaves empty keeps its value.
fn apply(
    store: &mut Store,
    mut new: NewSubscriber,
    config: &SiteConfig,
    tally: &mut Tally,
    at: &str,
) -> anyhow::Result<()> {
    let before = store.find(&new.email)?;
    if let Some(old) = &before {
        if new.language.is_empty() {
            new.language = old.language.clone();
        }
        if new.sectors.is_empty() {
            new.sectors = old.sectors.clone();
        }
    } else if new.language.is_empty() {
        new.language = config.default_language.clone();
    }
    match store.upsert(&new)?.0 {
        Upsert::Added => tally.added += 1,
        Upsert::Erased => {
            eprintln!(
                "{at}: `email`: {} was erased at their request; not imported",
                new.email
            );
            tally.erased += 1;
        }
        Upsert::KeptStatus => tally.kept_unsubscribed += 1,
        Upsert::Updated => {
            let (Some(old), Some(now)) = (before, store.find(&new.email)?) else {
                return Ok(());
            };
            let changes = changes(&old, &now);
            if changes.is_empty() {
                tally.unchanged += 1;
            } else {
                println!("updated {}: {}", now.email, changes.join("; "));
                tally.updated += 1;
            }
        }
    }
    Ok(())
}

/// What differs between two versions of a subscriber, in words.
fn changes(old: &Subscriber, new: &Subscriber) -> Vec<String> {
    let mut out = Vec::new();
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    if old.name != new.name {
        out.push(format!("name {} → {}", show(&old.name), show(&new.name)));
    }
    if old.language != new.language {
        out.push(format!("language {} → {}", old.language, new.language));
    }
    if old.sectors != new.sectors {
        out.push(format!(
            "sectors [{}] → [{}]",
            old.sectors.join(","),
            new.sectors.join(",")
        ));
    }
    if old.status != new.status {
        out.push(format!(
            "status {} → {}",
            old.status.as_str(),
            new.status.as_str()
        ));
    }
    out
}
