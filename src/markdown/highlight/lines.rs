//! Code block options as Zola, Hugo and Docusaurus write them after the
//! language: line numbers, a first line number, marked lines and hidden lines.
//!
//! - Zola: ```` ```rust,linenos,linenostart=20,hl_lines=1 3-5,hide_lines=2 ````
//! - Hugo: ```` ```go {linenos=table,hl_lines=[8,"15-17"],linenostart=199} ````
//! - Docusaurus and VitePress: ```` ```js {1,4-6} showLineNumbers ````
//!
//! Unknown options (a `title=`, Hugo's `style=`) are left alone.

use std::fmt::Write as _;
use std::ops::RangeInclusive;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockOptions {
    pub line_numbers: bool,
    /// The number shown on the first line.
    pub first_number: usize,
    /// Lines counted from 1 at the block's first line, whatever `first_number` is.
    pub marked: Vec<RangeInclusive<usize>>,
    pub hidden: Vec<RangeInclusive<usize>>,
    /// Shown above the block: Docusaurus' and MkDocs' `title="app.js"`,
    /// VitePress' `[app.js]`.
    pub title: Option<String>,
}

impl Default for BlockOptions {
    fn default() -> Self {
        BlockOptions {
            line_numbers: false,
            first_number: 1,
            marked: Vec::new(),
            hidden: Vec::new(),
            title: None,
        }
    }
}

impl BlockOptions {
    /// Docusaurus' magic comments, `// highlight-next-line` and
    /// `// highlight-start` … `// highlight-end` (in any language's comment:
    /// `#`, `<!-- -->`, `/* */`, `--`), mark lines as `{2-3}` does and leave
    /// the code: the code without them, when it had any.
    /// VitePress' (Shiki's) notation at a line's end, `// [!code highlight]`,
    /// `[!code ++]`, `[!code --]`, `[!code focus]`, `[!code error]` (and
    /// `[!code highlight:3]` for three lines), marks its line(s) the same way.
    pub fn take_magic_comments(&mut self, code: &str) -> Option<String> {
        if !code.contains("highlight-") && !code.contains("[!code ") {
            return None;
        }
        let mut kept = String::with_capacity(code.len());
        let mut shown = 0;
        let (mut next_line, mut open) = (false, None);
        let mut found = false;
        for line in code.split_inclusive('\n') {
            if let Some((code_part, lines)) = shiki_marker(line) {
                shown += 1;
                next_line = false;
                self.marked.push(shown..=shown + lines - 1);
                kept.push_str(code_part);
                kept.push_str(&line[line.trim_end_matches(['\n', '\r']).len()..]);
                found = true;
                continue;
            }
            match magic_comment(line) {
                Some("highlight-next-line") => next_line = true,
                Some("highlight-start") => open = Some(shown + 1),
                Some(_) => {
                    if let Some(from) = open.take().filter(|from| *from <= shown) {
                        self.marked.push(from..=shown);
                    }
                }
                None => {
                    shown += 1;
                    if std::mem::take(&mut next_line) {
                        self.marked.push(shown..=shown);
                    }
                    kept.push_str(line);
                    continue;
                }
            }
            found = true;
        }
        found.then_some(kept)
    }

    /// The language a fence's info string names: `rust` of `rust,linenos`,
    /// `ts` of VitePress' `ts:line-numbers`; none for options alone.
    pub fn language(info: &str) -> Option<&str> {
        let (word, _) = split_info(info);
        word.split(':').next().filter(|lang| !lang.is_empty())
    }

    /// The options in a fence's info string, after its language.
    pub fn parse(info: &str) -> Self {
        let mut options = BlockOptions::default();
        let (lang, rest) = split_info(info);
        // VitePress' `ts:line-numbers` (`=5` to start at 5), `ts:no-line-numbers`.
        if let Some((_, numbers)) = lang.split_once(':') {
            let (name, start) = numbers.split_once('=').unwrap_or((numbers, ""));
            options.apply(
                name,
                if name == "no-line-numbers" {
                    "false"
                } else {
                    "true"
                },
            );
            if let Ok(start) = start.parse() {
                options.first_number = start;
            }
        }
        for (name, value) in settings(rest) {
            match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
                Some(label) if value.is_empty() => options.title = Some(label.trim().to_string()),
                _ => options.apply(&name.to_ascii_lowercase(), value.trim()),
            }
        }
        options.title = options.title.filter(|t| !t.is_empty());
        options
    }

    fn apply(&mut self, name: &str, value: &str) {
        match name {
            "title" => self.title = Some(value.trim_matches(['"', '\'']).trim().to_string()),
            "linenos" | "linenumbers" | "shownumbers" | "showlinenumbers" | "line-numbers"
            | "no-line-numbers" => {
                self.line_numbers = !matches!(value, "false" | "no" | "off" | "0");
            }
            // MkDocs' `linenums="5"`: numbers, from 5; `"0"` none.
            "linenums" => match value.trim_matches(['"', '\'']).parse() {
                Ok(0) => self.line_numbers = false,
                Ok(n) => (self.line_numbers, self.first_number) = (true, n),
                Err(_) => self.line_numbers = true,
            },
            "linenostart" => {
                if let Ok(n) = value.trim_matches('"').parse() {
                    self.first_number = n;
                }
            }
            "hl_lines" | "highlight" | "mark" | "mark_lines" => self.marked.extend(ranges(value)),
            "hide_lines" => self.hidden.extend(ranges(value)),
            // Docusaurus's bare `{1,4-6}`, gathered by `settings` under this name.
            "" => self.marked.extend(ranges(value)),
            _ => {}
        }
    }

    /// No option that changes how the block is written.
    pub fn is_plain(&self) -> bool {
        !self.line_numbers && self.marked.is_empty() && self.hidden.is_empty()
    }

    /// A stable text of the options, for the highlight memo's key.
    pub fn key(&self) -> String {
        format!("{self:?}")
    }

    fn is_marked(&self, line: usize) -> bool {
        self.marked.iter().any(|r| r.contains(&line))
    }

    fn is_hidden(&self, line: usize) -> bool {
        self.hidden.iter().any(|r| r.contains(&line))
    }

    /// The `<pre>`'s extra attributes: a class, and where its numbers start.
    pub fn pre_attributes(&self) -> String {
        let mut out = String::new();
        if self.line_numbers {
            out.push_str(" data-linenos");
            if self.first_number != 1 {
                // The counter is incremented before the first line shows it.
                let _ = write!(
                    out,
                    " style=\"counter-reset: line {}\"",
                    self.first_number as i64 - 1
                );
            }
        }
        out
    }
}

/// `name=value` pairs of an info string's options. Commas and spaces inside
/// `[...]` or quotes belong to the value; Zola's `hl_lines=1 3-5` goes on past
/// a space; bare numbers in braces (`{1,4-6}`) are one nameless value.
fn settings(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut nameless = String::new();
    for (token, in_braces) in tokens(text) {
        let is_lines = !token.is_empty() && token.chars().all(|c| c.is_ascii_digit() || c == '-');
        let continues = out.last().is_some_and(|(name, _)| {
            matches!(name.as_str(), "hl_lines" | "hide_lines" | "mark_lines") && is_lines
        });
        if let Some((name, value)) = token.split_once('=') {
            out.push((name.trim().to_string(), value.to_string()));
        } else if continues && !in_braces {
            if let Some((_, value)) = out.last_mut() {
                value.push(' ');
                value.push_str(&token);
            }
        } else if is_lines && in_braces {
            nameless.push_str(&token);
            nameless.push(' ');
        } else {
            out.push((token, String::new()));
        }
    }
    if !nameless.is_empty() {
        out.push((String::new(), nameless));
    }
    out
}

/// The info string split at commas, spaces and braces outside quotes and
/// brackets, each piece with whether it was inside braces.
fn tokens(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut item = String::new();
    let mut depth = 0usize;
    let mut quote = None;
    let mut in_braces = false;
    for c in text.chars() {
        let top = quote.is_none() && depth == 0;
        match c {
            '"' | '\'' if quote.is_none() => quote = Some(c),
            c if Some(c) == quote => quote = None,
            '[' if quote.is_none() => depth += 1,
            ']' if quote.is_none() => depth = depth.saturating_sub(1),
            _ => {}
        }
        let separator = top && (c == ',' || c == '{' || c == '}' || c.is_whitespace());
        if separator {
            if !item.trim().is_empty() {
                out.push((std::mem::take(&mut item), in_braces));
            }
            item.clear();
            match c {
                '{' => in_braces = true,
                '}' => in_braces = false,
                _ => {}
            }
        } else {
            item.push(c);
        }
    }
    if !item.trim().is_empty() {
        out.push((item, in_braces));
    }
    out
}

/// Line numbers and ranges: `1 3-5`, `[8,"15-17"]`, `"2-3"`, `1,4-6`.
fn ranges(value: &str) -> Vec<RangeInclusive<usize>> {
    value
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '"' | '\''))
        .filter_map(|part| {
            let (from, to) = part.split_once('-').unwrap_or((part, part));
            let from: usize = from.trim().parse().ok()?;
            let to: usize = to.trim().parse().ok()?;
            (from <= to).then_some(from..=to)
        })
        .collect()
}

/// Wraps each line of a highlighted block in `<span class="line">`, or
/// `<mark class="line">` when marked, leaving hidden lines out. Spans that
/// syntect leaves open across a line break are closed at the line's end and
/// opened again on the next, so every line is well formed on its own.
pub fn wrap_lines(body: &str, options: &BlockOptions) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    let mut open: Vec<&str> = Vec::new();
    let mut rest = body;
    let mut number = 1;
    while !rest.is_empty() {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let (line, after) = rest.split_at(end);
        rest = after;
        // After the last line break syntect closes its spans: no line of its own.
        if !line.ends_with('\n') && line.starts_with("</") && line.ends_with('>') {
            break;
        }
        let reopened: String = open.concat();
        track_spans(line, &mut open);
        if !options.is_hidden(number) {
            let tag = if options.is_marked(number) {
                "mark"
            } else {
                "span"
            };
            let closing = "</span>".repeat(open.len());
            let (text, newline) = match line.strip_suffix('\n') {
                Some(text) => (text, "\n"),
                None => (line, ""),
            };
            let _ = write!(
                out,
                "<{tag} class=\"line\">{reopened}{text}{closing}{newline}</{tag}>"
            );
        }
        number += 1;
    }
    out
}

/// Follows the `<span ...>` and `</span>` tags of one line of syntect's
/// output, leaving `open` with the tags still open at its end.
fn track_spans<'a>(line: &'a str, open: &mut Vec<&'a str>) {
    let mut at = 0;
    while let Some(start) = line[at..].find('<').map(|i| at + i) {
        let Some(end) = line[start..].find('>').map(|i| start + i + 1) else {
            return;
        };
        let tag = &line[start..end];
        if tag.starts_with("</") {
            open.pop();
        } else {
            open.push(tag);
        }
        at = end;
    }
}

/// A line that ends in Shiki's `[!code …]` comment: the line without it,
/// and how many lines it marks (its own and those after, `:3`).
fn shiki_marker(line: &str) -> Option<(&str, usize)> {
    let text = line.trim_end();
    let at = text.rfind("[!code ")?;
    let notation = text[at + "[!code ".len()..]
        .trim_end_matches("-->")
        .trim_end_matches("*/")
        .trim_end();
    let (kind, count) = notation.strip_suffix(']')?.split_once(':').map_or_else(
        || (notation.trim_end_matches(']'), Some(1)),
        |(kind, n)| (kind, n.parse().ok()),
    );
    let count = count.filter(|n| (1..=1000).contains(n))?;
    if !["highlight", "hl", "++", "--", "focus", "error", "warning"].contains(&kind) {
        return None;
    }
    let before = text[..at].trim_end();
    let code = ["//", "#", "<!--", "/*", "--", ";", "%"]
        .iter()
        .find_map(|open| before.strip_suffix(open))?;
    Some((code.trim_end(), count))
}

/// The magic comment a line is alone: `highlight-start` of `# highlight-start`.
fn magic_comment(line: &str) -> Option<&'static str> {
    let text = line.trim();
    let inner = ["//", "#", "<!--", "/*", "--", ";", "%"]
        .iter()
        .find_map(|open| text.strip_prefix(open))?;
    let inner = inner.trim_end_matches("-->").trim_end_matches("*/").trim();
    ["highlight-next-line", "highlight-start", "highlight-end"]
        .into_iter()
        .find(|magic| *magic == inner)
}

/// A fence's info string as its first word (the language, with VitePress'
/// `:line-numbers`) and the options after it; no first word when it is an
/// option itself (MkDocs' ```` ``` title="x.yml" ````).
fn split_info(info: &str) -> (&str, &str) {
    let info = info.trim_start();
    let rest = info.trim_start_matches(|c: char| !(c.is_whitespace() || c == ',' || c == '{'));
    let word = &info[..info.len() - rest.len()];
    match word
        .split(':')
        .next()
        .is_some_and(|name| name.contains('='))
    {
        true => ("", info),
        false => (word, rest),
    }
}

/// Rust code without the lines mdBook and rustdoc hide (`# fn main() {`,
/// a `#` alone), and `##` shown as the `#` it stands for; `None` when it
/// has none. `#[derive]` and `#!` are Rust and stay. Only a block that
/// hides Rust (`# fn`, `# use`, `# }`…) is read so: a `# comment` of TOML
/// in a string, on a site that never hid lines, is code.
pub fn without_rustdoc_hidden_lines(code: &str) -> Option<String> {
    const RUST_STARTS: [&str; 12] = [
        "fn ", "use ", "}", "{", "let ", "struct ", "impl ", "mod ", "extern ", "#[", "pub ",
        "async ",
    ];
    let hidden = |line: &str| {
        let text = line.trim_start().trim_end_matches(['\n', '\r']);
        text == "#" || text.starts_with("# ")
    };
    let hides_rust = code.split_inclusive('\n').any(|line| {
        let text = line.trim_start();
        text.strip_prefix("# ").is_some_and(|rest| {
            RUST_STARTS
                .iter()
                .any(|start| rest.trim_start().starts_with(start))
        })
    });
    if !hides_rust {
        return None;
    }
    let escaped = |line: &str| line.trim_start().starts_with("##");
    let mut kept = String::with_capacity(code.len());
    for line in code.split_inclusive('\n').filter(|l| !hidden(l)) {
        match escaped(line) {
            true => kept.push_str(&line.replacen("##", "#", 1)),
            false => kept.push_str(line),
        }
    }
    Some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_vitepress_line_numbers() {
        let o = BlockOptions::parse("js title=\"src/App.js\" {1}");
        assert_eq!(
            (o.title.as_deref(), o.marked.clone()),
            (Some("src/App.js"), vec![1..=1])
        );
        let o = BlockOptions::parse("ts:line-numbers=5 [Config.ts]");
        assert_eq!(o.title.as_deref(), Some("Config.ts"));
        assert!(o.line_numbers && o.first_number == 5);
        let o = BlockOptions::parse("ts:no-line-numbers title=''");
        assert!(!o.line_numbers && o.title.is_none());
    }

    #[test]
    fn shiki_notations_mark_lines_and_leave_the_code() {
        let code = "a\nb // [!code ++]\nc # [!code highlight:2]\nd\n<p>e</p> <!-- [!code focus] -->\nf // [!code unknown]\ng // see [!code ++] in the docs\n";
        let mut options = BlockOptions::default();
        let kept = options.take_magic_comments(code);
        assert_eq!(
            kept.as_deref(),
            Some("a\nb\nc\nd\n<p>e</p>\nf // [!code unknown]\ng // see [!code ++] in the docs\n")
        );
        assert_eq!(options.marked, [2..=2, 3..=4, 5..=5]);
        // A notation's line is the line a `highlight-next-line` meant.
        let mut options = BlockOptions::default();
        options.take_magic_comments("// highlight-next-line\nb // [!code ++]\nc\n");
        assert_eq!(options.marked, [1..=1]);
    }

    #[test]
    fn docusaurus_magic_comments_mark_lines_and_leave_the_code() {
        let code = "a\n// highlight-next-line\nb\nc\n  # highlight-start\nd\ne\n<!-- highlight-end -->\nf\n";
        let mut options = BlockOptions::parse("js {1}");
        let kept = options.take_magic_comments(code);
        assert_eq!(kept.as_deref(), Some("a\nb\nc\nd\ne\nf\n"));
        assert_eq!(options.marked, [1..=1, 2..=2, 4..=5]);
        let mut plain = BlockOptions::default();
        assert_eq!(
            plain.take_magic_comments("x = 1 // highlight-next-line\n"),
            None
        );
        assert!(plain.marked.is_empty());
    }

    #[test]
    fn reads_zola_hugo_and_docusaurus_options() {
        let zola = BlockOptions::parse("rust,linenos,linenostart=20,hl_lines=1 3-5,hide_lines=2");
        assert!(zola.line_numbers);
        assert_eq!(zola.first_number, 20);
        assert_eq!(zola.marked, [1..=1, 3..=5]);
        assert_eq!(zola.hidden, [2..=2]);

        let hugo = BlockOptions::parse("go {linenos=table,hl_lines=[8,\"15-17\"],linenostart=199}");
        assert!(hugo.line_numbers);
        assert_eq!(hugo.first_number, 199);
        assert_eq!(hugo.marked, [8..=8, 15..=17]);

        let off = BlockOptions::parse("go {linenos=false, hl_lines=\"2-3 5\"}");
        assert!(!off.line_numbers);
        assert_eq!(off.marked, [2..=3, 5..=5]);

        let jekyll = BlockOptions::parse("ruby linenos mark_lines=\"1 2\"");
        assert!(jekyll.line_numbers);
        assert_eq!(jekyll.marked, [1..=1, 2..=2]);

        let docusaurus = BlockOptions::parse("js {1,4-6} title=\"a.js\" showLineNumbers");
        assert!(docusaurus.line_numbers);
        assert_eq!(docusaurus.marked, [1..=1, 4..=6]);

        assert!(BlockOptions::parse("rust").is_plain());
        assert!(BlockOptions::parse("toml title=\"site.toml\"").is_plain());
        // Options without a language.
        let o = BlockOptions::parse("title=\"mkdocs.yml\" linenums=\"1\"");
        assert_eq!(o.title.as_deref(), Some("mkdocs.yml"));
        assert!(o.line_numbers);
        let o = BlockOptions::parse("py linenums=\"5\"");
        assert_eq!((o.line_numbers, o.first_number), (true, 5));
        assert!(!BlockOptions::parse("py linenums=\"0\"").line_numbers);
        // The language the renderer highlights in, from the same reading.
        assert_eq!(BlockOptions::language("title=\"mkdocs.yml\""), None);
        assert_eq!(
            BlockOptions::language("ts:line-numbers=5 [a.ts]"),
            Some("ts")
        );
        assert_eq!(BlockOptions::language("rust,linenos"), Some("rust"));
        assert!(BlockOptions::parse("rust,hl_lines=9-3,linenostart=x").is_plain());
    }

    #[test]
    fn every_line_is_well_formed_when_a_span_crosses_lines() {
        let body = "<span class=\"a\">x\n<span class=\"b\">/* y\nz */</span>\nw\n</span>";
        let options = BlockOptions {
            marked: vec![2..=2],
            hidden: vec![4..=4],
            first_number: 1,
            line_numbers: false,
            title: None,
        };
        assert_eq!(
            wrap_lines(body, &options),
            "<span class=\"line\"><span class=\"a\">x</span>\n</span>\
             <mark class=\"line\"><span class=\"a\"><span class=\"b\">/* y</span></span>\n</mark>\
             <span class=\"line\"><span class=\"a\"><span class=\"b\">z */</span></span>\n</span>"
        );
    }
}
