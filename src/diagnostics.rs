//! Problems found in the user's files, collected across a whole run and
//! reported together, sorted by path.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Why a file's problems are marked: it is not published yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unpublished {
    Draft,
    Scheduled,
    /// Past its `expiry_date`.
    Expired,
}

impl Unpublished {
    pub fn word(self) -> &'static str {
        match self {
            Unpublished::Draft => "draft",
            Unpublished::Scheduled => "scheduled",
            Unpublished::Expired => "expired",
        }
    }
}

/// How bad a problem is: errors fail the build, warnings are only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// How many warnings of one kind `dunav build` shows before it counts the rest.
pub const SHOWN_PER_KIND: usize = 10;

/// One problem in one file, pointing at the line and field where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root.
    pub path: PathBuf,
    pub line: Option<usize>,
    pub field: Option<String>,
    pub message: String,
    /// What to do about it, shown on a second line.
    pub help: Option<String>,
    /// "draft" or "scheduled": the file is not published yet (`dunav check` looks anyway).
    pub note: Option<Unpublished>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            field: None,
            message: message.into(),
            help: None,
            note: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// What makes two problems the same kind: their field and advice (or,
    /// without advice, their message).
    fn kind(&self) -> (Option<&str>, &str) {
        let advice = self.help.as_deref().unwrap_or(&self.message);
        (self.field.as_deref(), advice)
    }

    fn sort_key(&self) -> (&Path, usize, Severity) {
        (&self.path, self.line.unwrap_or(0), self.severity)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file's name and its text reach the terminal: written escaped,
        // their control characters cannot retitle or clear it, or hide lines.
        let mut text = String::new();
        self.write_to(&mut text)?;
        for c in text.chars() {
            match c {
                '\n' | '\t' => f.write_char(c)?,
                c if c.is_control()
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
                {
                    write!(f, "\\u{{{:x}}}", c as u32)?
                }
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

impl Diagnostic {
    fn write_to(&self, f: &mut impl fmt::Write) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(note) = self.note {
            write!(f, "({}) ", note.word())?;
        }
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            let indent = " ".repeat(label.len() + 2);
            for line in help.lines() {
                write!(f, "\n{indent}{line}")?;
            }
        }
        Ok(())
    }
}

/// Every problem a run found; a run fails when any of them is an error.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// Sorts by path and line so that a report reads top to bottom.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// A build that could not finish because of problems in the user's files.
#[derive(Debug, thiserror::Error)]
#[error("{count} error(s) in the site's files", count = .0.error_count())]
pub struct BuildFailed(pub Diagnostics);

impl Diagnostics {
    /// Prints what stops a site from building: every error, by file and
    /// line, and how many warnings there are besides (a migrated site's
    /// thousands would bury the one error a save made).
    pub fn print_failure(&self) {
        self.print_errors();
        let warnings = self.warnings().count();
        if warnings > 0 {
            eprintln!("({warnings} warning(s) besides: `dunav check` lists them)");
        }
    }

    /// Prints the errors only, every one, by file and line.
    pub fn print_errors(&self) {
        let mut sorted = self.clone();
        sorted.sort();
        for d in sorted.0.iter().filter(|d| d.is_error()) {
            eprintln!("{d}");
        }
    }

    /// Prints the warnings only, by file and line.
    /// Unless `all`, a kind of warning met more than [`SHOWN_PER_KIND`]
    /// times (a migrated site's 700 `categories`) is shown that many times
    /// and then counted, so that the rest stays readable.
    pub fn print_warnings(&self, all: bool) {
        let mut sorted = self.clone();
        sorted.sort();
        let mut kinds: Vec<(&Diagnostic, usize, Vec<&Path>)> = Vec::new();
        let mut kind_of = std::collections::HashMap::new();
        for d in sorted.warnings() {
            let i = *kind_of.entry(d.kind()).or_insert_with(|| {
                kinds.push((d, 0, Vec::new()));
                kinds.len() - 1
            });
            let (_, seen, files) = &mut kinds[i];
            *seen += 1;
            if files.last() != Some(&d.path.as_path()) {
                files.push(&d.path);
            }
            if all || *seen <= SHOWN_PER_KIND {
                eprintln!("{d}");
            }
        }
        for (first, seen, files) in kinds {
            if !all && seen > SHOWN_PER_KIND {
                let what = first.field.as_ref().map_or_else(
                    || first.message.clone(),
                    |field| format!("`{field}`: {}", first.message),
                );
                eprintln!(
                    "warning: {} more like \"{what}\" in {} files (`dunav check` lists every one)",
                    seen - SHOWN_PER_KIND,
                    files.len()
                );
            }
        }
    }
}

/// The known word closest to a misspelt one, if it is close enough to be
/// what was meant (an edit distance of at most 2, and less than half the word).
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    // `News` for `news` is a slip too: compared in lower case, but the
    // word as written is no suggestion of itself.
    let lower = word.to_lowercase();
    known
        .iter()
        .filter(|k| **k != word)
        .map(|k| (edit_distance(&lower, k), *k))
        .filter(|(d, k)| *d <= 2 && *d * 2 < k.chars().count().max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn close_misspellings_are_recognised() {
        let known = ["title", "date", "tags", "sectors", "summary"];
        assert_eq!(did_you_mean("titel", &known), Some("title"));
        assert_eq!(did_you_mean("secotrs", &known), Some("sectors"));
        assert_eq!(did_you_mean("venue_floor", &known), None);
        assert_eq!(did_you_mean("tag", &known), Some("tags"));
        assert_eq!(did_you_mean("x", &known), None);
        assert_eq!(did_you_mean("Tags", &known), Some("tags"));
        assert_eq!(did_you_mean("tags", &known), None);
    }

    #[test]
    fn control_characters_reach_the_terminal_escaped() {
        let d =
            super::Diagnostic::error("content/a\u{1b}[2Jb.md", "bad \u{1b}]0;PWNED\u{7}\u{202e}x")
                .with_help("two\nlines");
        assert_eq!(
            d.to_string(),
            "error: content/a\\u{1b}[2Jb.md: bad \\u{1b}]0;PWNED\\u{7}\\u{202e}x\n       two\n       lines"
        );
    }
}
