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

/// The first shortcode or template tag in a line, not in a code span: Hugo's
/// `{{< x >}}` and `{{% x %}}`, Zola's `{{ x(…) }}` and `{% x() %}`, Jekyll's
/// Liquid `{% x … %}` and `{{ site.x }}`. Closing tags (`{{< /x >}}`,
/// `{% endx %}`) are left out: their opening one is reported.
fn shortcode_in(line: &str) -> Option<String> {
    let mut from = 0;
    while let Some(at) = line[from..].find('{').map(|i| from + i) {
        from = at + 1;
        let rest = &line[at..];
        if line[..at].matches('`').count() % 2 == 1 {
            continue;
        }
        let opening = if let Some(inner) = rest.strip_prefix("{{<").or(rest.strip_prefix("{{%")) {
            !inner.trim_start().starts_with('/')
        } else if let Some(inner) = rest.strip_prefix("{%").or(rest.strip_prefix("{{")) {
            let name = inner.trim_start_matches('-').trim_start();
            name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && !name.starts_with("end")
        } else {
            false
        };
        if opening {
            let end = rest
                .find("}}")
                .or_else(|| rest.find("%}"))
                .map_or(rest.len(), |e| e + 2);
            return Some(rest[..end].to_string());
        }
    }
    None
}

/// Jekyll's `{% highlight ruby %}` … `{% endhighlight %}` as a fenced code
/// block, line for line (so that line numbers stay): kramdown's code blocks
/// are published as code, not as text with the tags in it.
pub(super) fn liquid_highlight_as_fences(markdown: &str) -> std::borrow::Cow<'_, str> {
    if !markdown.contains("{% highlight") && !markdown.contains("{%- highlight") {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.split_inclusive('\n') {
        let (text, end) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        let tag = text
            .trim()
            .strip_prefix("{%")
            .and_then(|t| t.strip_suffix("%}"))
            .map(|t| t.trim_matches('-').trim());
        match tag.map(|t| t.split_whitespace().collect::<Vec<_>>()) {
            Some(words) if words.first() == Some(&"highlight") => {
                out.push_str("```");
                out.push_str(words.get(1).copied().unwrap_or(""));
            }
            Some(words) if words.first() == Some(&"endhighlight") => out.push_str("```"),
            _ => out.push_str(text),
        }
        out.push_str(end);
    }
    out.into()
}
