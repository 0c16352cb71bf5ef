//! `dunav subscribers add|import|export|list|count|remove|erase`.

mod export;
mod import;

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};
use dunav::config::SiteConfig;
use dunav::store::{NewSubscriber, Store, SubscriberStatus, Upsert};

#[derive(Debug, Args)]
pub struct SubscribersArgs {
    #[command(subcommand)]
    pub command: SubscribersCommand,
}

/// The statuses a subscriber can have.
const STATUSES: [&str; 4] = ["pending", "confirmed", "unsubscribed", "bounced"];

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
        #[arg(long, value_parser = STATUSES)]
        status: Option<String>,
    },
    /// Import a CSV with a header row: email, and optional language, name, sectors, status.
    Import { file: PathBuf },
    /// Write every subscriber with their consent record as CSV.
    Export {
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// One subscriber a line: email, language, status.
    List {
        /// Only subscribers with this status.
        #[arg(long, value_parser = STATUSES)]
        status: Option<String>,
    },
    /// Subscribers by status, and signups awaiting confirmation.
    Count,
    /// Unsubscribe an address.
    Remove { email: String },
    /// Mail a bounced address again, once its mailbox works (a bounce is
    /// the server's word, not the person's: their consent stands).
    Restore { email: String },
    /// Delete a person, their signups and their delivery history (GDPR Art. 17).
    Erase { email: String },
}

fn open(root: &Path) -> anyhow::Result<(SiteConfig, Store)> {
    let config = crate::cli::load_config(root)?;
    let db = config.database_path(root);
    let store = Store::open(&db).with_context(|| format!("opening {}", db.display()))?;
    Ok((config, store))
}

/// Checks one subscriber's fields against site.toml; the field and what is wrong.
fn validate(
    config: &SiteConfig,
    language: Option<&str>,
    name: Option<&str>,
    sectors: &[String],
) -> Result<(), (&'static str, String)> {
    if let Some(language) = language.filter(|l| !config.languages.contains_key(*l)) {
        return Err((
            "language",
            format!("\"{language}\" is not in site.toml [languages]"),
        ));
    }
    if name.is_some_and(|n| n.chars().any(char::is_control)) {
        return Err((
            "name",
            "contains a line break or another control character".into(),
        ));
    }
    if let Some(bad) = sectors.iter().find(|s| !config.sectors.contains_key(*s)) {
        return Err(("sectors", format!("unknown sector \"{bad}\"")));
    }
    Ok(())
}

fn split_sectors(text: &str) -> Vec<String> {
    text.split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn parse_status(status: Option<&str>) -> anyhow::Result<Option<SubscriberStatus>> {
    status
        .map(|s| SubscriberStatus::parse(s).ok_or_else(|| anyhow!("unknown status \"{s}\"")))
        .transpose()
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
            let sectors = split_sectors(&sectors);
            validate(&config, language.as_deref(), name.as_deref(), &sectors)
                .map_err(|(field, why)| anyhow!("--{field}: {why}"))?;
            let new = NewSubscriber {
                email,
                name,
                language: language.unwrap_or_else(|| config.default_language.clone()),
                sectors,
                status: parse_status(status.as_deref())?,
                consent_source: Some("cli".into()),
                ..Default::default()
            };
            add(&mut store, &new)?
        }
        SubscribersCommand::Import { file } => import::run(&config, &mut store, &file)?,
        SubscribersCommand::Export { out } => export::run(&store, out.as_deref())?,
        SubscribersCommand::List { status } => {
            for s in store.list(parse_status(status.as_deref())?)? {
                println!("{}\t{}\t{}", s.email, s.language, s.status.as_str());
            }
        }
        SubscribersCommand::Count => count(&store)?,
        SubscribersCommand::Restore { email } => {
            let Some(found) = store.find(&email)? else {
                bail!("no subscriber {email}");
            };
            if found.status != SubscriberStatus::Bounced {
                bail!(
                    "{email} is {}, not bounced: only a bounced address is restored by hand",
                    found.status.as_str()
                );
            }
            store.set_status(found.id, SubscriberStatus::Confirmed)?;
            let missed = store.requeue_failed_of(found.id)?;
            match missed {
                0 => println!("restored {email}: it gets the next issues"),
                n => println!(
                    "restored {email}: it gets the next issues, and the {n} it missed with the next `newsletter send` of each"
                ),
            }
        }
        SubscribersCommand::Remove { email } => {
            if !store.remove(&email)? {
                bail!("no subscriber {email}");
            }
            println!("unsubscribed {email}");
        }
        SubscribersCommand::Erase { email } => {
            let existed = store.erase(&email)?;
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
    let email = &new.email;
    match store.upsert(new)? {
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

fn count(store: &Store) -> anyhow::Result<()> {
    let counts = store.count()?;
    let total: i64 = counts.iter().map(|(_, n)| n).sum();
    for (status, n) in counts {
        println!("{status}\t{n}");
    }
    println!("total\t{total}");
    let waiting: i64 = store.signup_counts()?.iter().map(|(_, n)| n).sum();
    println!("signups awaiting confirmation\t{waiting}");
    Ok(())
}
