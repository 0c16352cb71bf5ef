//! `dunav subscribers export`: every subscriber with their consent record, as CSV.

use std::path::Path;

use anyhow::Context;
use dunav::store::Store;

const COLUMNS: [&str; 12] = [
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
];

pub fn run(store: &Store, out: Option<&Path>) -> anyhow::Result<()> {
    let mut writer: csv::Writer<Box<dyn std::io::Write>> = match out {
        Some(path) => csv::Writer::from_writer(Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => csv::Writer::from_writer(Box::new(std::io::stdout())),
    };
    writer.write_record(COLUMNS)?;
    for s in store.list(None)? {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let row = [
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
        ];
        writer.write_record(row.iter().map(|cell| spreadsheet_safe(cell)))?;
    }
    writer.flush()?;
    Ok(())
}

/// A cell a spreadsheet will show as text: one starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return would be read as a formula (OWASP: CSV
/// injection), so it gets a leading apostrophe.
fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_become_text() {
        assert_eq!(
            super::spreadsheet_safe("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(super::spreadsheet_safe("@sum"), "'@sum");
        assert_eq!(
            super::spreadsheet_safe("ana@example.org"),
            "ana@example.org"
        );
    }
}
