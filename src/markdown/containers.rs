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

use super::alerts::{Fence, admonition_start, container_fence};

pub(super) fn rewrite(markdown: &str) -> Cow<'_, str> {
    rewrite_in(markdown, 0)
}

/// Quotes in quotes are read this deep for containers, no deeper: each
/// level is a call, and a hostile page could nest thousands.
const MAX_QUOTE_DEPTH: usize = 8;

/// `rewrite` of text `depth` quotes deep.
fn rewrite_in(markdown: &str, depth: usize) -> Cow<'_, str> {
    // A colon at the start of a line (after its indent or quote marks), or
    // an admonition.
    let starts_with_colon = |text: &str| text.trim_start_matches([' ', '\t', '>']).starts_with(':');
    let colon_lines = starts_with_colon(markdown)
        || markdown
            .match_indices('\n')
            .any(|(i, _)| starts_with_colon(&markdown[i + 1..]));
    let admonitions = markdown.contains("!!!") || markdown.contains("???");
    if !colon_lines && !admonitions {
        return markdown.into();
    }
    let quotes = match depth < MAX_QUOTE_DEPTH {
        true => in_quotes(markdown, depth),
        false => markdown.into(),
    };
    match quotes {
        Cow::Owned(quotes_rewritten) => rewrite_lines(&quotes_rewritten).into(),
        Cow::Borrowed(_) => rewrite_lines(markdown).into(),
    }
}

fn rewrite_lines(markdown: &str) -> String {
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut rewriter = Rewriter {
        out: String::with_capacity(markdown.len() + 64),
        ..Rewriter::default()
    };
    for (i, line) in lines.iter().enumerate() {
        rewriter.line(line, &lines[i + 1..]);
    }
    rewriter.out
}

/// A quote's text (`> :::tip` …) rewritten as a page's own is, its quote
/// marks kept: a container or admonition may be quoted.
fn in_quotes(markdown: &str, depth: usize) -> Cow<'_, str> {
    let quoted = |line: &str| {
        let text = line.trim_start_matches(' ');
        let inner = text
            .strip_prefix('>')
            .filter(|_| line.len() - text.len() < 4)?;
        let inner = inner.strip_prefix(' ').unwrap_or(inner);
        Some(line.len() - inner.len())
    };
    let opens_a_block = |line: &str| {
        quoted(line).is_some_and(|at| {
            let inner = line[at..].trim_start();
            container_fence(inner).is_some() || admonition_start(inner).is_some()
        })
    };
    if !markdown.lines().any(opens_a_block) {
        return markdown.into();
    }
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut fences = super::Fences::default();
    let mut i = 0;
    while i < lines.len() {
        let run = lines[i..]
            .iter()
            .take_while(|l| quoted(l).is_some())
            .count();
        if fences.is_code(lines[i]) || run == 0 {
            out.push_str(lines[i]);
            i += 1;
            continue;
        }
        let run = &lines[i..i + run];
        let marks: Vec<usize> = run.iter().filter_map(|l| quoted(l)).collect();
        let inner: String = run.iter().zip(&marks).map(|(l, &at)| &l[at..]).collect();
        let rewritten = rewrite_in(&inner, depth + 1);
        if rewritten.split_inclusive('\n').count() == run.len() {
            for ((line, &at), text) in run.iter().zip(&marks).zip(rewritten.split_inclusive('\n')) {
                out.push_str(&line[..at]);
                out.push_str(text);
            }
        } else {
            run.iter().for_each(|line| out.push_str(line));
        }
        i += run.len();
    }
    out.into()
}

/// What the lines so far left open.
#[derive(Default)]
struct Rewriter {
    out: String,
    /// Each open container, outermost first: whether it is an alert (a quote).
    open: Vec<bool>,
    /// An open fenced code block: its character and how many.
    code: Option<(char, usize)>,
    /// An open block of raw HTML: what ends it (`""`: a blank line).
    html: Option<&'static str>,
    /// How many MkDocs admonitions' indented bodies this line is in.
    admonition: usize,
    /// The last line with words was a paragraph's: a `:` line after it
    /// could be read as its definition.
    after_text: bool,
    /// In a list, where lines indented four spaces are its items' text.
    in_list: bool,
    /// The column of the last list item's text.
    list_content: usize,
    /// Fenced code open inside a quote, list item or admonition.
    nested_fence: Option<(char, usize)>,
    /// The indent of the outermost open container (a list item's text):
    /// its lines keep it, with their quote marks after it.
    container_indent: usize,
}

impl Rewriter {
    fn quote(&self) -> String {
        if self.open.is_empty() {
            return String::new();
        }
        let depth = self.open.iter().filter(|alert| **alert).count();
        format!(
            "{}{}",
            " ".repeat(self.container_indent),
            "> ".repeat(depth)
        )
    }

    fn line(&mut self, line: &str, next: &[&str]) {
        let quote = self.quote();
        // In a container, a line is read from the container's indent on.
        let line = if self.open.is_empty() {
            line
        } else {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            &line[spaces.min(self.container_indent)..]
        };
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let ending = if line.ends_with('\n') { "\n" } else { "" };
        if self.admonition > 0 && self.admonition_line(line, next, &quote) {
            return;
        }
        if self.in_code_or_html(trimmed, indent) {
            return push_quoted(&mut self.out, &quote, line);
        }
        if indent == 0
            && let Some(alert) = admonition_start(trimmed)
            && body_follows(next, 1)
        {
            self.admonition = 1;
            self.after_text = false;
            return self
                .out
                .push_str(&format!("{quote}>{}{ending}", alert.mark()));
        }
        // At a line's start, or as a list item's text.
        let in_item = self.in_list && indent >= 1 && indent < self.list_content + 4;
        // At a line's start (after a list too), up to three spaces in as
        // any block's start may be, or as a list item's text.
        let fence_here =
            indent == 0 || (indent < 4 && !self.in_list) || (self.open.is_empty() && in_item);
        match fence_here.then(|| container_fence(trimmed)).flatten() {
            // A container's fences become the quotes' own lines (a blank
            // line would end an outer quote). Any run of three or more
            // colons closes the innermost, as in Pandoc.
            Some(Fence::Close) if !self.open.is_empty() => {
                self.open.pop();
                self.after_text = false;
                self.out.push_str(self.quote().trim_end());
                self.out.push_str(ending);
            }
            Some(Fence::Open(alert)) => {
                let quote = if self.open.is_empty() {
                    self.container_indent = indent;
                    " ".repeat(indent)
                } else {
                    self.quote()
                };
                self.open.push(alert.kind.is_some());
                self.after_text = false;
                match alert.kind {
                    Some(_) => self
                        .out
                        .push_str(&format!("{quote}>{}{ending}", alert.mark())),
                    None => self.out.push_str(&format!("{}{ending}", quote.trim_end())),
                }
            }
            _ => {
                let line = self.text_line(line);
                push_quoted(&mut self.out, &quote, &line);
            }
        }
    }

    /// A line of an open admonition, at the deepest level it belongs to
    /// (a nested one may start on it); `false` when it ends them all.
    fn admonition_line(&mut self, line: &str, next: &[&str], quote: &str) -> bool {
        // A blank line is a level's only when its body goes on after it;
        // else it ends the quote, so that a next admonition is one of its own.
        let level = (1..=self.admonition)
            .rev()
            .find(|&k| match dedent(line, k) {
                Some(body) if !body.trim().is_empty() => true,
                Some(_) => body_follows(next, k),
                None => false,
            });
        let Some(level) = level else {
            self.admonition = 0;
            return false;
        };
        self.admonition = level;
        let body = dedent(line, level).unwrap_or_default();
        let quote = format!("{quote}{}", "> ".repeat(level));
        if let Some(alert) = admonition_start(body)
            && body_follows(next, level + 1)
        {
            self.admonition = level + 1;
            self.after_text = false;
            let mark = alert.mark();
            let ending = if line.ends_with('\n') { "\n" } else { "" };
            self.out.push_str(&format!("{quote}>{mark}{ending}"));
            return true;
        }
        let body = self.text_line(body);
        push_quoted(&mut self.out, &quote, &body);
        true
    }

    /// A line of text, with a colon that would open a definition escaped;
    /// follows lists (whose indented lines are their items' text, not code).
    fn text_line<'l>(&mut self, line: &'l str) -> Cow<'l, str> {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            return line.into();
        }
        let indent = line.len() - trimmed.len();
        // What follows the quote marks, if any.
        let content = trimmed.trim_start_matches(['>', ' ']);
        if self.nested_fence.is_none() {
            if indent < 4 && is_list_marker(content) {
                self.in_list = true;
                self.list_content = indent + list_text_column(content).unwrap_or(2);
            } else if indent == 0 && !trimmed.starts_with('>') {
                self.in_list = false;
            }
        }
        // Indented four past a list item's text is code, as at the top.
        let code_indent = if self.in_list {
            self.list_content + 4
        } else {
            4
        };
        if self.nested_code(content, indent < code_indent) {
            self.after_text = false;
            return line.into();
        }
        let escape = self.after_text
            && indent < code_indent
            && colon_without_space(content)
            && !content
                .trim_end()
                .chars()
                .all(|c| matches!(c, ':' | '-' | '|' | ' ' | '\t'));
        self.after_text = true;
        if !escape {
            return line.into();
        }
        let at = line.len() - content.len();
        format!("{}\\{}", &line[..at], &line[at..]).into()
    }

    /// Follows fenced code inside a quote, a list item or an admonition
    /// (which the top-level tracking does not see): whether `content` is in
    /// it, its fences included.
    fn nested_code(&mut self, content: &str, may_open: bool) -> bool {
        let run = |mark: char| content.len() - content.trim_start_matches(mark).len();
        if let Some((mark, count)) = self.nested_fence {
            if run(mark) >= count && content[run(mark)..].trim().is_empty() {
                self.nested_fence = None;
            }
            return true;
        }
        for mark in ['`', '~'] {
            if may_open && run(mark) >= 3 {
                self.nested_fence = Some((mark, run(mark)));
                return true;
            }
        }
        false
    }

    /// Follows fenced code and raw HTML, where nothing is rewritten: whether
    /// this line is in either (opening or closing one counts).
    fn in_code_or_html(&mut self, trimmed: &str, indent: usize) -> bool {
        if let Some((mark, count)) = self.code {
            let run = trimmed.len() - trimmed.trim_start_matches(mark).len();
            if indent < 4 && run >= count && trimmed[run..].trim().is_empty() {
                self.code = None;
            }
            return true;
        }
        if let Some(end) = self.html {
            let ends = if end.is_empty() {
                trimmed.trim().is_empty()
            } else {
                trimmed.to_ascii_lowercase().contains(end)
            };
            if ends {
                self.html = None;
            }
            return true;
        }
        if indent >= 4 {
            return false;
        }
        for mark in ['`', '~'] {
            let run = trimmed.len() - trimmed.trim_start_matches(mark).len();
            if run >= 3 {
                self.code = Some((mark, run));
                self.after_text = false;
                return true;
            }
        }
        if let Some(end) = html_block_end(trimmed) {
            self.after_text = false;
            if end.is_empty() || !trimmed.to_ascii_lowercase().contains(end) {
                self.html = Some(end);
            }
            return true;
        }
        false
    }
}

/// `- `, `* `, `+ `, `1. ` or `1) `: a list item's start.
pub(super) fn is_list_marker(line: &str) -> bool {
    list_text_column(line).is_some()
}

/// Where a list item's text starts on its line (`-   x` at 4, `1. x` at
/// 3), when the line starts one.
fn list_text_column(line: &str) -> Option<usize> {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &line[digits..];
    let after = if digits > 0 {
        rest.strip_prefix(['.', ')'])
    } else {
        line.strip_prefix(['-', '*', '+'])
    }?;
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let spaces = after.len() - after.trim_start_matches(' ').len();
    // Five spaces or more: the text is one space in, the rest is code.
    let spaces = if spaces > 4 { 1 } else { spaces.max(1) };
    Some(line.len() - after.len() + spaces)
}

/// What ends a block of raw HTML that opens on this line (CommonMark's
/// kinds, roughly): its closing tag for `<script>`, `<style>`, `<pre>`,
/// `<textarea>` and comments, else a blank line.
fn html_block_end(line: &str) -> Option<&'static str> {
    let rest = line.strip_prefix('<')?;
    if rest.starts_with("!--") {
        return Some("-->");
    }
    let name: String = rest
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    // `<https://…>` is a link written in angle brackets, not a tag.
    let after = rest.trim_start_matches('/')[name.len()..].chars().next();
    if after.is_some_and(|c| !c.is_whitespace() && c != '>' && c != '/') {
        return None;
    }
    match name.as_str() {
        "" => None,
        "script" => Some("</script>"),
        "style" => Some("</style>"),
        "pre" => Some("</pre>"),
        "textarea" => Some("</textarea>"),
        _ => Some(""),
    }
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

/// `line` without `levels` admonition indents (four spaces or a tab each);
/// a blank line is any level's.
pub(super) fn dedent(line: &str, levels: usize) -> Option<&str> {
    if line.trim().is_empty() {
        return Some(line.trim_start_matches([' ', '\t']));
    }
    let mut rest = line;
    for _ in 0..levels {
        rest = rest
            .strip_prefix("    ")
            .or_else(|| rest.strip_prefix('\t'))?;
    }
    Some(rest)
}

/// Whether the next line with words is indented as an admonition body of
/// `level`.
fn body_follows(next: &[&str], level: usize) -> bool {
    next.iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| dedent(l, level).is_some())
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
            "Текст.\n\n> [!TIP] Съвет\n> Първи ред.\n>\n> ```sh\n> :::\n> ```\n\n\n\nКолони.\n\n"
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
            "> [!WARNING] Внимание\n> Първи ред.\n>\n>     код\n\nСлед това.\n>\n> Цитат.\n"
        );
        assert_eq!(out.lines().count(), md.lines().count());
    }

    #[test]
    fn tables_html_and_code_keep_their_colons() {
        for md in [
            "Име | Брой\n:--- | ---:\nа | 1\n",
            "<style>\n:root { --c: red; }\n</style>\n",
            "````md\n```\n:::tip\n```\n:::\n````\n",
            "<!--\n:::tip\n-->\nТекст.\n",
            "    ```\n:::tip\n",
        ] {
            let expected = if md.starts_with("    ") {
                "    ```\n> [!TIP]\n"
            } else {
                md
            };
            assert_eq!(rewrite(md), expected, "{md}");
        }
    }

    #[test]
    fn admonitions_nest() {
        let md = "!!! note\n    Едно.\n\n    !!! tip \"Вътре\"\n        Две.\n\n    Пак едно.\n";
        assert_eq!(
            rewrite(md),
            "> [!NOTE]\n> Едно.\n>\n> > [!TIP] Вътре\n> > Две.\n>\n> Пак едно.\n"
        );
    }

    #[test]
    fn admonitions_in_a_row_are_each_their_own() {
        let md = "!!! note\n    Едно.\n\n!!! warning\n    Две.\n\n> Цитат.\n";
        assert_eq!(
            rewrite(md),
            "> [!NOTE]\n> Едно.\n\n> [!WARNING]\n> Две.\n\n> Цитат.\n"
        );
    }

    #[test]
    fn only_python_markdowns_admonitions_are_read_as_them() {
        let md = "!!! Important: the office is closed\n\nТекст.\n??? note\nНе е тяло.\n";
        assert_eq!(rewrite(md), md);
    }

    #[test]
    fn any_colon_run_closes_the_innermost_container() {
        assert_eq!(
            rewrite(":::::warning\nА\n:::\nСлед.\n"),
            "> [!WARNING]\n> А\n\nСлед.\n"
        );
    }

    #[test]
    fn a_colon_line_in_a_list_a_quote_or_an_admonition_is_text() {
        assert_eq!(
            rewrite("1. Стъпка\n    :) усмивка\n"),
            "1. Стъпка\n    \\:) усмивка\n"
        );
        assert_eq!(rewrite("> Цитат\n> :) да\n"), "> Цитат\n> \\:) да\n");
        assert_eq!(
            rewrite("!!! tip\n    Ред\n    :) не\n"),
            "> [!TIP]\n> Ред\n> \\:) не\n"
        );
        // Code indented under a paragraph outside a list is left alone.
        assert_eq!(
            rewrite("Текст\n\n    :root {}\n"),
            "Текст\n\n    :root {}\n"
        );
    }

    #[test]
    fn a_container_in_a_list_item_stays_in_it() {
        let md = "- Първа\n\n  :::info В списъка\n  вътре\n  :::\n\n- Втора\n";
        assert_eq!(
            rewrite(md),
            "- Първа\n\n  > [!NOTE] В списъка\n  > вътре\n\n\n- Втора\n"
        );
    }

    #[test]
    fn code_in_a_quote_a_list_or_an_admonition_keeps_its_colons() {
        for md in [
            "> Пуснете:\n> ```\n> :wq\n> ```\n",
            "1. Vim:\n\n    ```vim\n    :set nu\n    ```\n",
            "- Стил:\n\n        :root {}\n",
        ] {
            assert_eq!(rewrite(md), md);
        }
        assert_eq!(
            rewrite("!!! tip\n    Пуснете:\n\n    ```css\n    :root { --c: red; }\n    ```\n"),
            "> [!TIP]\n> Пуснете:\n>\n> ```css\n> :root { --c: red; }\n> ```\n"
        );
    }

    #[test]
    fn a_container_in_an_item_indented_four_stays_in_it() {
        let md = "-   Първа\n\n    :::note\n    вътре\n    :::\n";
        assert_eq!(rewrite(md), "-   Първа\n\n    > [!NOTE]\n    > вътре\n\n");
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
