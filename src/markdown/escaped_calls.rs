//! Calls written to be shown, as documentation writes them: Hugo's
//! `{{</* figure */>}}` and Zola's `{{/* youtube(…) */}}`, shown as the call.

use super::highlight::escape_html;

/// Hugo's escape marks, as a call over several lines in code leaves them on
/// its first and last lines, and what each shows.
pub(super) const HUGO_ESCAPE_MARKS: [(&str, &str); 4] = [
    ("{{</*", "{{<"),
    ("*/>}}", ">}}"),
    ("{{%/*", "{{%"),
    ("*/%}}", "%}}"),
];

/// Hugo's escaped call, `{{</* figure … */>}}` (how docs show a shortcode),
/// or Zola's, `{{/* youtube(id="…") */}}`, `{%/* note() */%}` and its
/// `{%/* end */%}`: the call as written without the comment marks, and the
/// length taken. Outside code its braces are entities, so that it is not
/// taken for a shortcode to point out. A Go template's comment, `{{/* a note */}}`, is no call.
pub(super) fn escaped_call(text: &str, in_code_span: bool) -> Option<(String, usize)> {
    let (open, close, marks) = [
        ("{{</*", "*/>}}", ("{{<", ">}}")),
        ("{{%/*", "*/%}}", ("{{%", "%}}")),
        ("{{/*", "*/}}", ("{{", "}}")),
        ("{%/*", "*/%}", ("{%", "%}")),
    ]
    .into_iter()
    .find(|(open, _, _)| text.starts_with(open))?;
    // The closing marks after the opening ones (`{{</*/>}}` has none).
    let end = text[open.len()..].find(close)? + open.len();
    let inner = &text[open.len()..end];
    // Hugo's marks say they hold a call; Zola's hold one only if it reads as one.
    let hugo = matches!(marks.0, "{{<" | "{{%");
    // Zola's body call closes with `{%/* end */%}`, shown beside its opening.
    let zola_end = marks.0 == "{%" && inner.trim() == "end";
    if !hugo && !zola_end && !is_zola_call(inner) {
        return None;
    }
    let shown = if in_code_span {
        format!("{}{inner}{}", marks.0, marks.1)
    } else {
        // Escaped, so that `{{</*figure*/>}}` is no `<figure>` tag.
        let call = format!("{}{inner}{}", marks.0, marks.1);
        escape_html(&call)
            .replace('{', "&#123;")
            .replace('}', "&#125;")
    };
    Some((shown, end + close.len()))
}

/// ` youtube(id="x") `: a name and its arguments in parentheses.
fn is_zola_call(inner: &str) -> bool {
    let inner = inner.trim();
    let name_end = inner.find('(').unwrap_or(0);
    name_end > 0
        && inner[..name_end]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && inner.ends_with(')')
}

/// Where the first call of another generator in a text starts and ends:
/// Hugo's `{{< … >}}` and `{{% … %}}`, Zola's `{{ x(…) }}` and `{% x(…) %}`,
/// Liquid's `{% x … %}` and `{{ x… }}`: a name right after the braces.
/// Shown as written, its quotes stay plain. Braces that open no call, or
/// none that closes, are passed over.
pub(super) fn unknown_call(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    // A closing mark not found after one opening is after none later.
    let mut absent: Vec<&str> = Vec::new();
    while let Some(at) = text[from..].find('{').map(|at| from + at) {
        let opened = &text[at..];
        let close = if opened.starts_with("{{<") {
            Some(">}}")
        } else if opened.starts_with("{{%") {
            Some("%}}")
        } else if opened.starts_with("{{") && names_a_call(&opened[2..]) {
            Some("}}")
        } else if opened.starts_with("{%") && names_a_call(&opened[2..]) {
            Some("%}")
        } else {
            None
        };
        if let Some(close) = close.filter(|close| !absent.contains(close)) {
            match opened.find(close) {
                Some(end) => return Some((at, at + end + close.len())),
                None => absent.push(close),
            }
        }
        from = at + 1;
    }
    None
}

/// Whether text after `{{` or `{%` starts with a name (`-` for Liquid's
/// whitespace control first), as a template call does.
fn names_a_call(after: &str) -> bool {
    let name = after.trim_start_matches('-').trim_start();
    name.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '_' | '"' | '\''))
}

/// The text with typographic quotes made plain again.
pub(super) fn plain_quotes(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '„' | '“' | '”' => '"',
            '‚' | '‘' | '’' => '\'',
            c => c,
        })
        .collect()
}
