//! How deep a theme's templates nest through `include` and `extends`, found
//! from their text before Tera renders them: Tera renders each level on the
//! stack, and a chain a couple of hundred deep overflowed it, aborting the
//! build (and `serve`) with no file named. Real themes nest a few levels.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The most levels of `include` and `extends` one template may go through.
pub const MAX_NESTING: usize = 50;

/// The first template whose chain of includes and extends is deeper than
/// [`MAX_NESTING`], as an error naming the chain.
pub fn nesting_problem(
    root: &Path,
    theme: &Path,
    sources: &[(String, String)],
) -> Option<Diagnostic> {
    let uses: HashMap<&str, Vec<String>> = sources
        .iter()
        .map(|(name, text)| (name.as_str(), used_templates(text)))
        .collect();
    let mut deepest: HashMap<&str, Vec<String>> = HashMap::new();
    for (name, _) in sources {
        let chain = chain_from(name, &uses, &mut deepest, &mut Vec::new());
        if chain.len() > MAX_NESTING {
            let shown: Vec<&str> = chain.iter().take(4).map(String::as_str).collect();
            let file = theme.join("templates").join(name);
            return Some(
                Diagnostic::error(
                    file.strip_prefix(root).unwrap_or(&file),
                    format!(
                        "includes and extends nest {} levels deep ({} → …); dunav renders at most {MAX_NESTING}",
                        chain.len(),
                        shown.join(" → ")
                    ),
                )
                .with_help("include the innermost template directly instead of through a chain"),
            );
        }
    }
    None
}

/// The longest chain of templates from `name` down, `name` first. A cycle
/// (which Tera reports itself) ends the chain where it closes.
fn chain_from<'a>(
    name: &'a str,
    uses: &'a HashMap<&'a str, Vec<String>>,
    deepest: &mut HashMap<&'a str, Vec<String>>,
    visiting: &mut Vec<&'a str>,
) -> Vec<String> {
    if let Some(chain) = deepest.get(name) {
        return chain.clone();
    }
    // Deeper than the limit is enough to know: the walk stops there.
    if visiting.contains(&name) || visiting.len() > MAX_NESTING {
        return Vec::new();
    }
    visiting.push(name);
    let mut longest = Vec::new();
    for used in uses.get(name).into_iter().flatten() {
        let Some((key, _)) = uses.get_key_value(used.as_str()) else {
            continue;
        };
        let chain = chain_from(key, uses, deepest, visiting);
        if chain.len() > longest.len() {
            longest = chain;
        }
    }
    visiting.pop();
    let mut chain = Vec::with_capacity(longest.len() + 1);
    chain.push(name.to_string());
    chain.extend(longest);
    deepest.insert(name, chain.clone());
    chain
}

/// The templates a template's `{% include "…" %}` and `{% extends "…" %}` name.
fn used_templates(text: &str) -> Vec<String> {
    let mut used = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find("%}") else { break };
        let tag = rest[..end].trim_matches(|c: char| c == '-' || c.is_whitespace());
        rest = &rest[end..];
        let Some(args) = tag
            .strip_prefix("include")
            .or_else(|| tag.strip_prefix("extends"))
        else {
            continue;
        };
        let args = args.trim_start();
        let Some(quote) = args
            .chars()
            .next()
            .filter(|q| matches!(q, '"' | '\'' | '`'))
        else {
            continue;
        };
        if let Some(close) = args[1..].find(quote) {
            used.push(args[1..1 + close].to_string());
        }
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(depth: usize) -> Vec<(String, String)> {
        let mut sources: Vec<(String, String)> = (0..depth)
            .map(|i| {
                (
                    format!("c{i}.html"),
                    format!("{{%- include \"c{}.html\" -%}}", i + 1),
                )
            })
            .collect();
        sources.push((format!("c{depth}.html"), "end".into()));
        sources.push((
            "page.html".into(),
            "{% extends 'base.html' %}{% block content %}{% include \"c0.html\" %}{% endblock %}"
                .into(),
        ));
        sources.push((
            "base.html".into(),
            "{% block content %}{% endblock %}".into(),
        ));
        sources
    }

    #[test]
    fn a_chain_deeper_than_the_limit_is_named() {
        let root = Path::new("/site");
        let theme = Path::new("/site/themes/t");
        assert!(nesting_problem(root, theme, &chain(10)).is_none());
        let problem = nesting_problem(root, theme, &chain(MAX_NESTING + 5)).unwrap();
        assert!(
            problem
                .message
                .contains("c0.html → c1.html → c2.html → c3.html → …"),
            "{problem:?}"
        );
        assert!(
            problem.path.starts_with("themes/t/templates"),
            "{problem:?}"
        );
        // A cycle is Tera's to report: no endless walk here.
        let cycle = vec![
            ("a.html".to_string(), "{% include \"b.html\" %}".to_string()),
            ("b.html".to_string(), "{% include \"a.html\" %}".to_string()),
        ];
        assert!(nesting_problem(root, theme, &cycle).is_none());
    }
}
