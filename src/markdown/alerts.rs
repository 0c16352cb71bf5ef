//! The alerts other tools' blocks stand for: a container's fence
//! (`:::tip Title`) or an admonition's first line (`!!! note "Title"`),
//! read as their type and title, and a type read as a GitHub alert.

pub(super) enum Fence<'l> {
    Open(Alert<'l>),
    Close,
}

/// A container's or admonition's type and title, as an alert.
pub(super) struct Alert<'l> {
    /// The alert it stands for (`None`: a plain container, or an
    /// admonition of no alert's type).
    pub(super) kind: Option<&'static str>,
    /// The author's title, shown instead of the alert's word.
    pub(super) title: &'l str,
}

impl Alert<'_> {
    /// What follows a quote's `>`: ` [!TIP] Title` (read by the renderer as
    /// Obsidian's and Hugo's callouts are), or nothing.
    pub(super) fn mark(&self) -> String {
        match (self.kind, self.title.trim()) {
            (None, _) => String::new(),
            (Some(kind), "") => format!(" [!{kind}]"),
            (Some(kind), title) => format!(" [!{kind}] {title}"),
        }
    }
}

/// A line of three or more colons: a container's end when alone, its start
/// when a word follows (`:::tip Title`, `:::tip[Title]`,
/// `::: {.callout-note title="Title"}`).
pub(super) fn container_fence(line: &str) -> Option<Fence<'_>> {
    let colons = line.len() - line.trim_start_matches(':').len();
    if colons < 3 {
        return None;
    }
    let rest = line[colons..].trim();
    if rest.is_empty() {
        return Some(Fence::Close);
    }
    let word = rest
        .trim_start_matches('{')
        .trim_start_matches('.')
        .trim_start_matches("callout-");
    if word.is_empty() {
        return None;
    }
    let type_end = word
        .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(word.len());
    let after = &word[type_end..];
    let title = if rest.starts_with('{') || after.starts_with('{') {
        // Pandoc's and Quarto's `title="…"` attribute.
        after
            .split_once("title=\"")
            .and_then(|(_, value)| value.split_once('"'))
            .map_or("", |(title, _)| title)
    } else if let Some(bracketed) = after.strip_prefix('[') {
        bracketed.strip_suffix(']').unwrap_or(bracketed)
    } else {
        after
    };
    Some(Fence::Open(Alert {
        kind: alert_kind(&word[..type_end]),
        title,
    }))
}

/// The GitHub alert a container's or admonition's type stands for, by its
/// first word; `None` for a type that is no alert (`columns`, `quote`).
pub fn alert_kind(kind: &str) -> Option<&'static str> {
    let word = kind
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    match word.as_str() {
        "note" | "info" | "details" | "abstract" | "summary" | "tldr" | "question" | "help"
        | "faq" | "example" | "seealso" | "todo" => Some("NOTE"),
        "tip" | "success" | "hint" | "check" | "done" => Some("TIP"),
        "important" | "attention" => Some("IMPORTANT"),
        "warning" | "caution" => Some("WARNING"),
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => Some("CAUTION"),
        _ => None,
    }
}

/// A MkDocs (Python-Markdown) admonition's first line, `!!! note "Title"`
/// or the collapsible `??? tip`, as Python-Markdown reads it (type words,
/// then an optional quoted title): the alert its type stands for.
pub(super) fn admonition_start(line: &str) -> Option<Alert<'_>> {
    // The space after the marks is optional, as in Python-Markdown.
    let rest = ["!!!", "???+", "???"]
        .iter()
        .find_map(|marker| line.strip_prefix(marker))?;
    let rest = rest.trim();
    let (words, title) = match rest.find('"') {
        Some(at) => (&rest[..at], Some(&rest[at..])),
        None => (rest, None),
    };
    let is_word = |w: &str| {
        w.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    let words_ok = !words.trim().is_empty() && words.split_whitespace().all(is_word);
    let title_ok = title.is_none_or(|t| t.len() >= 2 && t.ends_with('"'));
    (words_ok && title_ok).then(|| Alert {
        kind: alert_kind(words.trim()),
        title: title.map_or("", |t| &t[1..t.len() - 1]),
    })
}
