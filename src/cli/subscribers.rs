//! `dunav subscribers add|import|export|list|count|remove|erase`.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};

use dunav::config::SiteConfig;
use dunav::store::{NewSubscriber, Store, SubscriberStatus, Upsert, normalise_email};

#[derive(Debug, Args)]
pub struct SubscribersArgs {
    #[command(subcommand)]
    pub command: SubscribersCommand,
}

#[derive(Debug, Subcommand)]
pub enum SubscribersCommand {
    /// Add one subscriber (confirmed unless --status says otherwise).
    Add {
        email: String,
        #[arg(long)]
        language: Option<String>,
        #[arg(long)]
        name: Option<String>,
        /// Comma-separated sector keys.
        #[arg(long, default_value = "")]
        sectors: String,
        #[arg(long)]
        status: Option<String>,
    },
    /// Import a CSV with a header row: email, language, and optional name, sectors, status.
    Import { file: PathBuf },
    /// Write every subscriber with their consent record as CSV.
    Export {
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// One subscriber a line: email, language, status.
    List {
        #[arg(long)]
        status: Option<String>,
    },
    /// Subscribers by status.
    Count,
    /// Unsubscribe an address.
    Remove { email: String },
    /// Delete a person and their delivery history (GDPR Art. 17).
    Erase { email: String },
}

fn open(root: &Path) -> anyhow::Result<(SiteConfig, Store)> {
    let config = crate::cli::load_config(root)?;
    let db = config.database_path(root);
    let store = Store::open(&db).with_context(|| format!("opening {}", db.display()))?;
    Ok((config, store))
}

/// Checks one subscriber's fields against site.toml.
fn validate(
    config: &SiteConfig,
    language: &str,
    sectors: &[String],
    status: Option<&str>,
) -> Result<Option<SubscriberStatus>, String> {
    if !config.languages.contains_key(language) {
        return Err(format!(
            "language \"{language}\" is not in site.toml [languages]"
        ));
    }
    if let Some(bad) = sectors.iter().find(|s| !config.sectors.contains_key(*s)) {
        return Err(format!("unknown sector \"{bad}\""));
    }
    match status {
        None => Ok(None),
        Some(s) => SubscriberStatus::parse(s)
            .map(Some)
            .ok_or_else(|| format!("unknown status \"{s}\"")),
    }
}

fn split_sectors(text: &str) -> Vec<String> {
    text.split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub fn run(root: &Path, args: SubscribersArgs) -> anyhow::Result<()> {
    let (config, mut store) = open(root)?;
    match args.command {
        SubscribersCommand::Add {
            email,
            language,
            name,
            sectors,
            status,
        } => {
            let language = language.unwrap_or_else(|| config.default_language.clone());
            let sectors = split_sectors(&sectors);
            let status = validate(&config, &language, &sectors, status.as_deref())
                .map_err(|e| anyhow!(e))?;
            let new = NewSubscriber {
                email,
                name,
                language,
                sectors,
                status,
                consent_source: Some("cli".into()),
                ..Default::default()
            };
            add(&mut store, &new)?
        }
        SubscribersCommand::Import { file } => import(&config, &mut store, &file)?,
        SubscribersCommand::Export { out } => export(&store, out.as_deref())?,
        SubscribersCommand::List { status } => {
            let status = match status {
                Some(s) => Some(
                    SubscriberStatus::parse(&s).ok_or_else(|| anyhow!("unknown status \"{s}\""))?,
                ),
                None => None,
            };
            for s in store.list(status)? {
                println!("{}\t{}\t{}", s.email, s.language, s.status.as_str());
            }
        }
        SubscribersCommand::Count => {
            let counts = store.count()?;
            let total: i64 = counts.iter().map(|(_, n)| n).sum();
            for (status, n) in counts {
                println!("{status}\t{n}");
            }
            println!("total\t{total}");
        }
        SubscribersCommand::Remove { email } => {
            if store.remove(&email)? {
                println!("unsubscribed {email}");
            } else {
                bail!("no subscriber {email}");
            }
        }
        SubscribersCommand::Erase { email } => {
            let secret = dunav::env::erasure_key()?;
            let existed = store.erase(&email, &secret)?;
            println!(
                "{} {email}; a keyed hash is kept so that an import cannot add the address again",
                if existed {
                    "erased"
                } else {
                    "no subscriber, but recorded the erasure of"
                }
            );
        }
    }
    Ok(())
}

fn add(store: &mut Store, new: &NewSubscriber) -> anyhow::Result<()> {
    let secret = dunav::env::erasure_key()?;
    let email = &new.email;
    match store.upsert(new, &secret, false)? {
        (Upsert::Added, _) => println!("added {email}"),
        (Upsert::Updated, _) => println!("updated {email}"),
        (Upsert::KeptStatus, _) => {
            println!("{email} has left the list; it stays so until they sign up again")
        }
        (Upsert::Erased, _) => {
            bail!("{email} was erased at their request and cannot be added again by hand")
        }
    }
    Ok(())
}

/// Every subscriber with their consent record, as CSV.
fn export(store: &Store, out: Option<&Path>) -> anyhow::Result<()> {
    let mut writer: csv::Writer<Box<dyn std::io::Write>> = match out {
        Some(path) => csv::Writer::from_writer(Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => csv::Writer::from_writer(Box::new(std::io::stdout())),
    };
    writer.write_record([
        "email",
        "language",
        "name",
        "sectors",
        "status",
        "created_at",
        "consent_at",
        "consent_source",
        "consent_version",
        "consent_ip",
        "confirmed_at",
        "unsubscribed_at",
    ])?;
    for s in store.list(None)? {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        writer.write_record([
            s.email.clone(),
            s.language.clone(),
            o(&s.name),
            s.sectors.join(","),
            s.status.as_str().to_string(),
            s.created_at.clone(),
            o(&s.consent_at),
            o(&s.consent_source),
            o(&s.consent_version),
            o(&s.consent_ip),
            o(&s.confirmed_at),
            o(&s.unsubscribed_at),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

fn import(config: &SiteConfig, store: &mut Store, file: &Path) -> anyhow::Result<()> {
    let secret = dunav::env::erasure_key()?;
    let shown = file.display().to_string();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(file)
        .with_context(|| format!("cannot read {shown}"))?;
    let headers: Vec<String> = reader
        .headers()
        .with_context(|| format!("{shown}: no header row"))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let email_col = column("email")
        .ok_or_else(|| anyhow!("{shown}:1: the header row has no `email` column"))?;
    let (lang_col, name_col, sectors_col, status_col) = (
        column("language"),
        column("name"),
        column("sectors"),
        column("status"),
    );
    let (mut added, mut updated, mut kept, mut refused, mut bad) = (0, 0, 0, 0, 0);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                eprintln!("{shown}:{line}: {e}");
                bad += 1;
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let email = get(Some(email_col)).unwrap_or("");
        if normalise_email(email).is_none() {
            eprintln!("{shown}:{line}: `email`: \"{email}\" is not an email address");
            bad += 1;
            continue;
        }
        let language = get(lang_col)
            .unwrap_or(&config.default_language)
            .to_string();
        let sectors = split_sectors(get(sectors_col).unwrap_or(""));
        let status = match validate(config, &language, &sectors, get(status_col)) {
            Ok(s) => s,
            Err(why) => {
                eprintln!("{shown}:{line}: {why}");
                bad += 1;
                continue;
            }
        };
        let new = NewSubscriber {
            email: email.to_string(),
            name: get(name_col).map(String::from),
            language,
            sectors,
            status,
            consent_source: Some(format!(
                "import:{}",
                file.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            )),
            ..Default::default()
        };
        match store.upsert(&new, &secret, false)?.0 {
            Upsert::Added => added += 1,
            Upsert::Updated => updated += 1,
            Upsert::KeptStatus => kept += 1,
            Upsert::Erased => {
                eprintln!("{shown}:{line}: {email} was erased at their request; not imported");
                refused += 1;
            }
        }
    }
    println!(
        "imported {shown}: {added} added, {updated} merged, {kept} kept unsubscribed, {refused} erased before, {bad} bad row(s)"
    );
    if bad > 0 {
        bail!("{bad} row(s) could not be imported; see above");
    }
    Ok(())
}
