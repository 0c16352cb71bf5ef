//! Blocks other tools mark at the start of a line, as they mean them:
//!
//! - Docusaurus', VuePress' and Pandoc's containers (`:::note` … `:::`,
//!   `::: warning`, `::: {.callout-tip}`) become GitHub alerts, which dunav
//!   shows with their word; a container of another kind (`::: columns`)
//!   keeps its text without the fences.
//! - MkDocs' admonitions (`!!! note "Title"`, `??? tip`, the body indented)
//!   become the same alerts.
//! - A colon that starts a line without a space after it (`:) See you`,
//!   `:smile:`) is text: as in Hugo's goldmark, only `: ` opens a definition.
//!
//! Each line stays one line, so that line numbers hold.

use std::borrow::Cow;

pub(super) fn rewrite(markdown: &str) -> Cow<'_, str> {
    let colon_lines =
        markdown.starts_with(':') || markdown.contains("\n:") || markdown.contains("\n :");
    let admonitions = ["!!! ", "??? ", "???+ "]
        .iter()
        .any(|m| markdown.contains(m));
    if !colon_lines && !admonitions {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len() + 64);
    // Each open container's colons and whether it is an alert (a quote),
    // outermost first.
    let mut open: Vec<(usize, bool)> = Vec::new();
    let depth = |open: &[(usize, bool)]| "> ".repeat(open.iter().filter(|o| o.1).count());
    let mut code: Option<&str> = None;
    // Inside a MkDocs admonition's indented body.
    let mut admonition = false;
    for line in markdown.split_inclusive('\n') {
        let quote = depth(&open);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if admonition && code.is_none() {
            if let Some(body) = admonition_body(line) {
                push_quoted(&mut out, &format!("{quote}> "), body);
                continue;
            }
            admonition = false;
        }
        if code.is_none()
            && indent < 4
            && let Some(kind) = admonition_start(trimmed)
        {
            admonition = true;
            let ending = if line.ends_with('\n') { "\n" } else { "" };
            match kind {
                Some(kind) => out.push_str(&format!("{quote}> [!{kind}]{ending}")),
                None => out.push_str(&format!("{quote}>{ending}")),
            }
            continue;
        }
        if let Some(fence) = code {
            if trimmed.starts_with(fence) {
                code = None;
            }
            push_quoted(&mut out, &quote, line);
            continue;
        }
        if let Some(fence) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            code = Some(fence);
            push_quoted(&mut out, &quote, line);
            continue;
        }
        let ending = if line.ends_with('\n') { "\n" } else { "" };
        match (indent < 4).then(|| container_fence(trimmed)).flatten() {
            // A container's fences become the quotes' own lines (a blank
            // line would end an outer quote).
            Some(Fence::Close(colons)) if open.last().is_some_and(|o| colons >= o.0) => {
                open.pop();
                out.push_str(depth(&open).trim_end());
                out.push_str(ending);
            }
            Some(Fence::Open(colons, kind)) => {
                open.push((colons, kind.is_some()));
                match kind {
                    Some(kind) => out.push_str(&format!("{quote}> [!{kind}]{ending}")),
                    None => out.push_str(&format!("{}{ending}", quote.trim_end())),
                }
            }
            _ if indent < 4 && colon_without_space(trimmed) => {
                push_quoted(&mut out, &quote, &format!("{}\\{trimmed}", &line[..indent]));
            }
            _ => push_quoted(&mut out, &quote, line),
        }
    }
    out.into()
}

fn push_quoted(out: &mut String, quote: &str, line: &str) {
    if quote.is_empty() {
        out.push_str(line);
    } else if line.trim().is_empty() {
        out.push_str(quote.trim_end());
        out.push_str(if line.ends_with('\n') { "\n" } else { "" });
    } else {
        out.push_str(quote);
        out.push_str(line);
    }
}

enum Fence {
    /// Its colons, and the alert it stands for (`None`: a plain container).
    Open(usize, Option<&'static str>),
    Close(usize),
}

/// A line of three or more colons: a container's end when alone, its start
/// when a word follows (`:::tip Title`, `::: {.callout-note}`).
fn container_fence(line: &str) -> Option<Fence> {
    let colons = line.len() - line.trim_start_matches(':').len();
    if colons < 3 {
        return None;
    }
    let rest = line[colons..].trim();
    if rest.is_empty() {
        return Some(Fence::Close(colons));
    }
    let word = rest
        .trim_start_matches('{')
        .trim_start_matches('.')
        .trim_start_matches("callout-");
    if word.is_empty() {
        return None;
    }
    Some(Fence::Open(colons, alert_kind(word)))
}

/// The GitHub alert a container's or admonition's type stands for, by its
/// first word; `None` for a type that is no alert (`columns`, `quote`).
fn alert_kind(kind: &str) -> Option<&'static str> {
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
/// or the collapsible `??? tip`: the alert its type stands for.
fn admonition_start(line: &str) -> Option<Option<&'static str>> {
    let rest = ["!!! ", "??? ", "???+ "]
        .iter()
        .find_map(|marker| line.strip_prefix(marker))?;
    let kind = rest.trim_start();
    kind.starts_with(|c: char| c.is_ascii_alphabetic())
        .then(|| alert_kind(kind))
}

/// A line of an admonition's body, without its indent: blank, or indented
/// by four spaces or a tab.
fn admonition_body(line: &str) -> Option<&str> {
    if line.trim().is_empty() {
        return Some(line.trim_start_matches([' ', '\t']));
    }
    line.strip_prefix("    ")
        .or_else(|| line.strip_prefix('\t'))
}

/// `:x` with no space after the colon: never a definition.
fn colon_without_space(line: &str) -> bool {
    line.strip_prefix(':')
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| !c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn containers_become_alerts_line_for_line() {
        let md = "Текст.\n\n:::tip Съвет\nПърви ред.\n\n```sh\n:::\n```\n:::\n\n::: {.columns}\nКолони.\n:::\n";
        let out = rewrite(md);
        assert_eq!(
            out,
            "Текст.\n\n> [!TIP]\n> Първи ред.\n>\n> ```sh\n> :::\n> ```\n\n\n\nКолони.\n\n"
        );
        assert_eq!(out.lines().count(), md.lines().count());
    }

    #[test]
    fn nested_containers_nest_their_quotes() {
        let out = rewrite("::::warning\n:::note\nА\n:::\n::::\n");
        assert_eq!(out, "> [!WARNING]\n> > [!NOTE]\n> > А\n>\n\n");
    }

    #[test]
    fn mkdocs_admonitions_become_alerts() {
        let md = "!!! warning \"Внимание\"\n    Първи ред.\n\n        код\n\nСлед това.\n??? quote\n    Цитат.\n";
        let out = rewrite(md);
        assert_eq!(
            out,
            "> [!WARNING]\n> Първи ред.\n>\n>     код\n>\nСлед това.\n>\n> Цитат.\n"
        );
        assert_eq!(out.lines().count(), md.lines().count());
    }

    #[test]
    fn a_colon_without_a_space_is_text() {
        assert_eq!(
            rewrite("Среща\n:) Ще се видим\n: определение\n"),
            "Среща\n\\:) Ще се видим\n: определение\n"
        );
        assert_eq!(rewrite("Без двоеточия.\n"), "Без двоеточия.\n");
    }
}
