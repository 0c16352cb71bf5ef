//! Every environment variable dunav reads, in one place: its name, what it
//! is for, and the one function that reads it. Secrets live only here, never
//! in site.toml.

use std::path::PathBuf;

use jiff::Timestamp;

/// One `DUNAV_*` variable.
#[derive(Debug, Clone, Copy)]
pub struct Var {
    pub name: &'static str,
    pub doc: &'static str,
}

impl Var {
    /// The value, when set and not empty.
    pub fn get(&self) -> Option<String> {
        std::env::var(self.name).ok().filter(|v| !v.is_empty())
    }

    pub fn is_set(&self) -> bool {
        std::env::var_os(self.name).is_some_and(|v| !v.is_empty())
    }
}

pub const ROOT: Var = Var {
    name: "DUNAV_ROOT",
    doc: "the site's folder, as --root",
};
pub const NOW: Var = Var {
    name: "DUNAV_NOW",
    doc: "the time a build treats as now (RFC 3339, e.g. 2026-12-01T10:00:00+02:00): which events are upcoming, which pages are future",
};
pub const TIMINGS: Var = Var {
    name: "DUNAV_TIMINGS",
    doc: "print how long each phase of a build takes",
};
pub const DB: Var = Var {
    name: "DUNAV_DB",
    doc: "the subscriber database, instead of [newsletter] database",
};
pub const SMTP_URL: Var = Var {
    name: "DUNAV_SMTP_URL",
    doc: "the SMTP server with its credentials, e.g. smtps://user:password@mail.example.org",
};
pub const SECRET: Var = Var {
    name: "DUNAV_SECRET",
    doc: "signs the links in mail (confirm, unsubscribe, preferences); at least 16 characters",
};
pub const SECRET_PREVIOUS: Var = Var {
    name: "DUNAV_SECRET_PREVIOUS",
    doc: "earlier values of DUNAV_SECRET, comma-separated: links signed with them still work",
};
pub const ERASURE_KEY: Var = Var {
    name: "DUNAV_ERASURE_KEY",
    doc: "keys the hashes kept of erased addresses (default: a random key kept in the database); never change it",
};
pub const DKIM_KEY: Var = Var {
    name: "DUNAV_DKIM_KEY",
    doc: "a PEM private key file (RSA or Ed25519) to DKIM-sign every mail",
};
pub const DKIM_SELECTOR: Var = Var {
    name: "DUNAV_DKIM_SELECTOR",
    doc: "the DKIM selector of that key",
};
pub const ALLOWED_ORIGINS: Var = Var {
    name: "DUNAV_ALLOWED_ORIGINS",
    doc: "more origins the signup form may be posted from, comma-separated",
};
pub const RETRY_BASE_MS: Var = Var {
    name: "DUNAV_RETRY_BASE_MS",
    doc: "the first retry delay of a temporarily failed delivery, in ms (default 30000; doubled per attempt)",
};

pub const RENDER_TIMEOUT: Var = Var {
    name: "DUNAV_RENDER_TIMEOUT",
    doc: "seconds one page may take to render before `build` and `check` stop with an error naming it (default 60)",
};

/// Every variable, for `--help`-style listings and the README.
pub const ALL: &[Var] = &[
    ROOT,
    NOW,
    TIMINGS,
    DB,
    SMTP_URL,
    SECRET,
    SECRET_PREVIOUS,
    ERASURE_KEY,
    DKIM_KEY,
    DKIM_SELECTOR,
    ALLOWED_ORIGINS,
    RETRY_BASE_MS,
    RENDER_TIMEOUT,
];

/// A variable that is missing or cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum EnvError {
    #[error("{var} is not set: {help}")]
    Missing { var: &'static str, help: String },
    #[error("{var}: {why}")]
    Invalid { var: &'static str, why: String },
}

/// The time a build measures "upcoming" and "future" against: `DUNAV_NOW`, else the clock.
pub fn now() -> Result<Timestamp, EnvError> {
    let Some(text) = NOW.get() else {
        return Ok(Timestamp::now());
    };
    text.parse::<Timestamp>()
        .or_else(|_| text.parse::<jiff::Zoned>().map(|z| z.timestamp()))
        .map_err(|e| EnvError::Invalid {
            var: NOW.name,
            why: format!("\"{text}\" is not an RFC 3339 time with an offset ({e})"),
        })
}

/// Whether "now" is the clock's (no `DUNAV_NOW`): only then does time pass.
pub fn now_is_the_clock() -> bool {
    NOW.get().is_none()
}

/// Whether build phases are timed.
pub fn timings() -> bool {
    TIMINGS.is_set()
}

/// `DUNAV_DB`, when set.
pub fn database() -> Option<PathBuf> {
    DB.get().map(PathBuf::from)
}

/// `DUNAV_SMTP_URL`, when set.
pub fn smtp_url() -> Option<String> {
    SMTP_URL.get()
}

/// The keys links in mail are signed with: the current one first, then the previous ones.
pub fn signing_secrets() -> Result<Vec<Vec<u8>>, EnvError> {
    let current = SECRET.get().ok_or_else(|| EnvError::Missing {
        var: SECRET.name,
        help: "set it to a long random string (e.g. `openssl rand -hex 32`); it signs the links in mail".into(),
    })?;
    let mut secrets = vec![current];
    secrets.extend(previous_secrets());
    for (i, secret) in secrets.iter().enumerate() {
        if secret.len() < 16 {
            let var = if i == 0 {
                SECRET.name
            } else {
                SECRET_PREVIOUS.name
            };
            return Err(EnvError::Invalid {
                var,
                why: "every secret must be at least 16 characters long".into(),
            });
        }
    }
    Ok(secrets.into_iter().map(String::into_bytes).collect())
}

/// The values of `DUNAV_SECRET_PREVIOUS`, comma-separated, blanks dropped.
fn previous_secrets() -> Vec<String> {
    SECRET_PREVIOUS
        .get()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Every value `DUNAV_SECRET` and `DUNAV_SECRET_PREVIOUS` hold, unchecked:
/// erasure hashes made before `DUNAV_ERASURE_KEY` were keyed with them, and
/// a badly set variable must not hide an erasure.
pub fn legacy_erasure_keys() -> Vec<Vec<u8>> {
    SECRET
        .get()
        .into_iter()
        .chain(previous_secrets())
        .map(String::into_bytes)
        .collect()
}

/// `DUNAV_ERASURE_KEY`, when set: the key of the hashes kept of erased addresses.
pub fn erasure_key() -> Option<Vec<u8>> {
    ERASURE_KEY.get().map(String::into_bytes)
}

/// The DKIM key file and selector, when a key is configured.
pub fn dkim() -> Result<Option<(PathBuf, String)>, EnvError> {
    let Some(path) = DKIM_KEY.get() else {
        // A selector alone means signing was meant: unsigned mail would go quietly.
        return match DKIM_SELECTOR.get() {
            Some(_) => Err(EnvError::Missing {
                var: DKIM_KEY.name,
                help: format!("{} is set, so the key is needed too", DKIM_SELECTOR.name),
            }),
            None => Ok(None),
        };
    };
    let selector = DKIM_SELECTOR.get().ok_or_else(|| EnvError::Missing {
        var: DKIM_SELECTOR.name,
        help: format!("{} is set, so the selector is needed too", DKIM_KEY.name),
    })?;
    Ok(Some((PathBuf::from(path), selector)))
}

/// Extra origins allowed to post the signup form.
pub fn allowed_origins() -> Vec<String> {
    ALLOWED_ORIGINS
        .get()
        .unwrap_or_default()
        .split(',')
        .map(|o| o.trim().trim_end_matches('/').to_string())
        .filter(|o| !o.is_empty())
        .collect()
}

/// The first retry delay of a temporary failure, in milliseconds.
pub fn retry_base_ms() -> u64 {
    RETRY_BASE_MS
        .get()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30_000)
}

/// How long one page may take to render (see `render::watchdog`).
pub fn render_timeout() -> std::time::Duration {
    let seconds = RENDER_TIMEOUT
        .get()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(60);
    std::time::Duration::from_secs(seconds)
}
