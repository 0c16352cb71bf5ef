//! TeX between dollars (pulldown-cmark's math): kept as written, no
//! Markdown escapes taken out of it, in the delimiters MathJax and KaTeX
//! look for by default; two prices on a line stay text.

use std::borrow::Cow;

use pulldown_cmark::Event;

/// Display math from a `$$` alone on its line to the next such line, as a
/// fenced ```` ```math ```` block (GitHub's own form, rendered as display
/// math). Markdown reads `$$` as an inline span: a line of `=` or `-` in it
/// made the text above a heading, `- b` a list, a blank line ended it, and
/// its `\\` lost a backslash. Obsidian, GitHub and MathJax read the lines
/// as TeX. The lines stay where they were, for messages.
pub(in crate::markdown) fn display_blocks_as_fences(markdown: &str) -> Cow<'_, str> {
    if !markdown.contains("$$") {
        return markdown.into();
    }
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let is_delimiter = |line: &str| line.trim() == "$$";
    let mut fences = crate::markdown::Fences::default();
    let mut html = crate::markdown::HtmlBlocks::default();
    // A `$$` opened on a line of its own text (`$$ E = mc^2`) and not yet
    // closed: the next `$$` line closes it, and opens nothing.
    let mut open_inline = false;
    let mut out = String::new();
    let mut changed = false;
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at];
        at += 1;
        let in_code = fences.is_code(line);
        let in_html = html.is_html(line);
        // Indented code shows `$$` as written.
        let indented = line.starts_with("    ") || line.starts_with('\t');
        let close = (!in_code && !in_html && !indented && !open_inline && is_delimiter(line))
            .then(|| closing_line(&lines[at..]))
            .flatten();
        let Some(close) = close.map(|offset| at + offset) else {
            if !in_code && line.matches("$$").count() % 2 == 1 {
                open_inline = !open_inline;
            }
            out.push_str(line);
            continue;
        };
        let tex = &lines[at..close];
        let fence = "`".repeat(3 + longest_backtick_run(tex));
        let indent = &line[..line.len() - line.trim_start().len()];
        out.push_str(&format!("{indent}{fence}math{}", line_ending(line)));
        tex.iter().for_each(|l| out.push_str(l));
        out.push_str(&format!("{indent}{fence}{}", line_ending(lines[close])));
        at = close + 1;
        changed = true;
    }
    match changed {
        true => out.into(),
        false => markdown.into(),
    }
}

/// Where the math that opened before `lines` closes: the first line that is
/// `$$` alone. None when a line before it has a `$$` of its own (another
/// math's, `\\end{aligned}$$`) or a fence (code), which the math would
/// swallow: those `$$` are left to Markdown, as they were written.
fn closing_line(lines: &[&str]) -> Option<usize> {
    for (i, line) in lines.iter().enumerate() {
        let text = line.trim();
        if text == "$$" {
            return Some(i);
        }
        if text.contains("$$") || text.starts_with("```") || text.starts_with("~~~") {
            return None;
        }
    }
    None
}

fn line_ending(line: &str) -> &str {
    &line[line.trim_end_matches(['\n', '\r']).len()..]
}

/// The longest run of backticks that starts a line, so that the fence
/// around them is longer.
fn longest_backtick_run(lines: &[&str]) -> usize {
    lines
        .iter()
        .map(|l| l.trim_start().len() - l.trim_start().trim_start_matches('`').len())
        .max()
        .unwrap_or(0)
}

/// Whether a body has TeX between dollars: a `$$`, or a `$…$` on one line
/// that holds a TeX command, `^`, `{`, a subscript (`a_1`) or a single
/// letter (`$x$`). Only then are dollars math (`$…$` and `$$…$$`, as
/// GitHub, Obsidian and Hugo's passthrough read them): a page of prices
/// and shell variables (`$5 and $10`, `$HOME/$USER`, `[$5 plan](…)`) keeps
/// its dollars as text and its links whole.
pub(in crate::markdown) fn has_tex(markdown: &str) -> bool {
    if !markdown.contains('$') {
        return false;
    }
    markdown.contains("$$")
        || markdown.lines().any(|line| {
            line.split('$').skip(1).step_by(2).any(|span| {
                let subscript = span
                    .split('_')
                    .skip(1)
                    .any(|after| after.starts_with(|c: char| c.is_ascii_digit() || c == '{'));
                let letter = span.len() == 1 && span.chars().all(|c| c.is_ascii_alphabetic());
                !span.starts_with(' ')
                    && !span.ends_with(' ')
                    && (span.contains(['\\', '^', '{']) || subscript || letter)
            })
        })
}

/// `event` with its math delimited as the browser's typesetter finds it,
/// and a `$…$` that was two prices made text again.
pub(super) fn delimited<'a>(event: Event<'a>, source: &str, offset: usize) -> Event<'a> {
    match event {
        Event::InlineMath(tex) if is_a_price(source, offset, &tex) => {
            Event::Text(format!("${tex}$").into())
        }
        Event::InlineMath(tex) => Event::InlineMath(format!("\\({tex}\\)").into()),
        Event::DisplayMath(tex) => Event::DisplayMath(format!("\\[{tex}\\]").into()),
        other => other,
    }
}

/// Whether the `$…$` at `offset` is two prices (`$5/$10`), not math: its
/// closing `$` has a digit after it, which Pandoc's rule reads as text.
fn is_a_price(source: &str, offset: usize, tex: &str) -> bool {
    let after = offset + 1 + tex.len();
    source.get(offset..).is_some_and(|s| !s.starts_with("$$"))
        && source.get(offset + 1..after) == Some(tex)
        && source.get(after..).is_some_and(|rest| {
            rest.starts_with('$') && rest[1..].starts_with(|c: char| c.is_ascii_digit())
        })
}

/// The TeX of delimited inline math, without its `\(` `\)`.
pub(super) fn tex_of(delimited: &str) -> &str {
    delimited
        .strip_prefix("\\(")
        .and_then(|t| t.strip_suffix("\\)"))
        .unwrap_or(delimited)
}
