//! Shortcodes other generators run and dunav does not, found so that the
//! editor is told where each one is.

/// The shortcodes a page brought from Hugo (`{{< figure … >}}`, `{{% … %}}`)
/// or Zola (`{{ youtube(id="…") }}`, `{% note() %}`) has outside code: dunav
/// publishes them as text, so the editor is told where each one is.
pub(super) fn shortcodes(markdown: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if let Some(open) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            fence = Some(open);
            continue;
        }
        if let Some(code) = shortcode_in(line) {
            found.push((i + 1, code));
        }
    }
    found
}

/// The first shortcode in a line, not in a code span.
fn shortcode_in(line: &str) -> Option<String> {
    let mut from = 0;
    while let Some(at) = line[from..].find('{').map(|i| from + i) {
        from = at + 1;
        let rest = &line[at..];
        let in_code = line[..at].matches('`').count() % 2 == 1;
        let hugo = rest.starts_with("{{<") || rest.starts_with("{{%");
        let zola = ["{{", "{%"].iter().any(|open| {
            rest.strip_prefix(open).is_some_and(|call| {
                let call = call.trim_start();
                let name_end = call
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(call.len());
                name_end > 0 && call[name_end..].starts_with('(')
            })
        });
        if (hugo || zola) && !in_code {
            let end = rest
                .find("}}")
                .or_else(|| rest.find("%}"))
                .map_or(rest.len(), |e| e + 2);
            return Some(rest[..end].to_string());
        }
    }
    None
}
