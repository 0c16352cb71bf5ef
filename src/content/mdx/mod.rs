//! MDX pages (Docusaurus' `.mdx`): Markdown with JavaScript modules' lines
//! and JSX components. Their `import` and `export` lines are code for the
//! bundler, never text, and are left out (as blank lines, so that line
//! numbers hold); tabs and components that wrap Markdown are read as
//! Markdown (see `blocks`), and other components stay as HTML tags, which
//! show their content.

mod blocks;
mod jsx;
mod vue;

use std::borrow::Cow;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The file's text as dunav reads it: an `.mdx` file's without its module
/// lines after the front matter (blanked, so that line numbers hold), a
/// Markdown file's without its Vue blocks, and a warning at the first.
pub fn text<'t>(file: &Path, text: &'t str) -> (Cow<'t, str>, Option<Diagnostic>) {
    let is_mdx = file
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("mdx"));
    let body_at = front_matter_end(text);
    // Docusaurus reads its `.md` files as MDX too: one that starts with
    // an `import` is one.
    if !is_mdx && !starts_with_import(&text[body_at..]) {
        return vue_page(file, text, body_at);
    }
    let (body, first) = without_module_lines(&text[body_at..]);
    let body = as_html(&blocks::as_markdown(&tabs_as_markdown(&body)));
    let warning = first.map(|_| Diagnostic::warning(
        file,
        "an MDX page: its `import` and `export` lines are left out, its tabs (<Tabs>, <TabItem>) are shown one after another, callouts (<Aside>, <Admonition>, <Note>…) are alerts, other components on lines of their own (<Steps>, <Card>) are left out around their content, and the rest are published as HTML tags",
    )
    .with_help("write what a component stood for in Markdown or HTML; without `import` and `export` lines (in a .md file) the page is plain Markdown"));
    rewritten(text, body_at, &body, first.zip(warning))
}

/// A Markdown page's text without its Vue blocks (VitePress' `<script
/// setup>`, `<style scoped>`), and a warning at the first.
fn vue_page<'t>(file: &Path, text: &'t str, body_at: usize) -> (Cow<'t, str>, Option<Diagnostic>) {
    let (body, first) = vue::without_vue_blocks(&text[body_at..]);
    let Some(line) = first else {
        return (text.into(), None);
    };
    // Its components are closed where they are written (`<VPTeamMembers
    // :members="members" />`), as an MDX page's are.
    let body = as_html(&body);
    let warning = Diagnostic::warning(
        file,
        "a Vue block (<script setup>, <style scoped>) of a VitePress page: left out, as code for VitePress' bundler",
    )
    .with_help("write what it showed in Markdown or HTML");
    rewritten(text, body_at, &body, Some((line, warning)))
}

/// The front matter with the rewritten body, and the warning at its line
/// in the body (from 1) counted in the file.
fn rewritten<'t>(
    text: &str,
    body_at: usize,
    body: &str,
    warning: Option<(usize, Diagnostic)>,
) -> (Cow<'t, str>, Option<Diagnostic>) {
    let lines_before = text[..body_at].matches('\n').count();
    let warning = warning.map(|(line, warning)| warning.at_line(lines_before + line));
    (format!("{}{body}", &text[..body_at]).into(), warning)
}

/// Whether the body's first line with text is a JavaScript module's
/// `import … from "…"` (or `import "…"`), which is never Markdown.
fn starts_with_import(body: &str) -> bool {
    let Some(line) = body
        .lines()
        .map(str::trim_end)
        .find(|l| !l.trim().is_empty())
    else {
        return false;
    };
    let line = line.trim_end_matches(';');
    let quoted = |text: &str| {
        text.len() >= 2
            && (text.starts_with('\'') && text.ends_with('\'')
                || text.starts_with('"') && text.ends_with('"'))
    };
    line.strip_prefix("import ").is_some_and(|rest| {
        quoted(rest)
            || rest
                .rsplit_once(" from ")
                .is_some_and(|(_, source)| quoted(source))
    })
}

/// Where the text after a `---` or `+++` front matter starts (0 without one).
fn front_matter_end(text: &str) -> usize {
    let Some(fence) = ["---", "+++"]
        .into_iter()
        .find(|f| text.lines().next().is_some_and(|l| l.trim_end() == *f))
    else {
        return 0;
    };
    let mut at = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        at += line.len();
        if i > 0 && line.trim_end() == fence {
            return at;
        }
    }
    0
}

/// The text with each `import`/`export` statement outside code blanked (a
/// statement goes on while its brackets are open or a line ends with `,`),
/// and the line of the first.
fn without_module_lines(body: &str) -> (String, Option<usize>) {
    let mut out = String::with_capacity(body.len());
    let mut fences = crate::markdown::Fences::default();
    let mut open_brackets: i64 = 0;
    let mut in_statement = false;
    let mut first = None;
    // A statement starts a block (MDX reads it so): a paragraph's line
    // that begins with the word ("export of grain…") is text.
    let mut block_start = true;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        if !in_statement && fences.is_code(line) {
            out.push_str(line);
            block_start = line.trim().is_empty();
            continue;
        }
        let starts = line.starts_with("import ") || line.starts_with("export ");
        if !(starts && (block_start || is_statement(line)) || in_statement) {
            out.push_str(line);
            block_start = line.trim().is_empty();
            continue;
        }
        first.get_or_insert(i + 1);
        let opened = line.matches(['{', '(', '[']).count() as i64;
        let closed = line.matches(['}', ')', ']']).count() as i64;
        open_brackets = (open_brackets + opened - closed).max(0);
        in_statement = open_brackets > 0 || line.trim_end().ends_with([',', '=']);
        block_start = true;
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    (out, first)
}

/// A line that reads as a JavaScript module's statement wherever it is:
/// `export const …`, `export default …`, `import X from "…"`.
fn is_statement(line: &str) -> bool {
    if let Some(rest) = line.strip_prefix("export ") {
        let word = rest.split([' ', '(']).next().unwrap_or("");
        return matches!(
            word,
            "const" | "let" | "var" | "function" | "class" | "default" | "async"
        ) || rest.starts_with(['{', '*']);
    }
    line.strip_prefix("import ")
        .is_some_and(|rest| rest.contains(" from ") || rest.starts_with(['\'', '"', '{']))
}

/// JSX that HTML would misread, outside code, as HTML reads it: a
/// `{/* comment */}` is left out (its lines kept), and a self-closing
/// component (`<Admonition type="tip" />`) is closed, where HTML would
/// nest the rest of the page in it.
fn as_html(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut fences = crate::markdown::Fences::default();
    let mut in_comment = false;
    for line in body.split_inclusive('\n') {
        if !in_comment && fences.is_code(line) {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        let code = crate::markdown::CodeSpans::of(line);
        while !rest.is_empty() {
            if in_comment {
                let Some(end) = rest.find("*/}") else {
                    out.extend(rest.matches('\n'));
                    break;
                };
                in_comment = false;
                rest = &rest[end + 3..];
                continue;
            }
            let consumed = line.len() - rest.len();
            let in_code_span = |at: usize| code.contains(consumed + at);
            let next = [
                rest.find("{/*"),
                self_closing_component(rest).map(|(at, _)| at),
                jsx::tag_with_expressions(rest).map(|(at, _)| at),
            ]
            .into_iter()
            .flatten()
            .filter(|&at| !in_code_span(at))
            .min();
            let Some(at) = next else {
                out.push_str(rest);
                break;
            };
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            if let Some(comment) = rest.strip_prefix("{/*") {
                in_comment = true;
                rest = comment;
            } else if let Some((0, end)) = self_closing_component(rest) {
                out.push_str(&closed_component(rest[..end - 2].trim_end()));
                rest = &rest[end..];
            } else if let Some((0, end)) = jsx::tag_with_expressions(rest) {
                out.push_str(&jsx::without_expression_attributes(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    out
}

/// A self-closing component (`<Icon name="x" />`, without its `/>`) closed
/// where it is written; one with an `href` (Starlight's `<LinkCard
/// title="…" href="…" description="…" />`) is a link with its words.
fn closed_component(tag: &str) -> String {
    let tag: &str = &jsx::without_expression_attributes(tag);
    // A JSX attribute's value is text, not HTML: escaped as it goes in.
    let escape = crate::markdown::escape_html;
    if let Some(href) = attribute(tag, "href") {
        let words = ["title", "label", "text"]
            .iter()
            .find_map(|name| attribute(tag, name))
            .unwrap_or(href);
        let description =
            attribute(tag, "description").map_or(String::new(), |d| format!(" — {}", escape(d)));
        return format!(
            "<a href=\"{}\">{}</a>{description}",
            escape(href),
            escape(words)
        );
    }
    let name_end = tag[1..]
        .find(|c: char| !c.is_alphanumeric() && c != '.' && c != '_')
        .map_or(tag.len(), |n| n + 1);
    format!("{tag}></{}>", &tag[1..name_end])
}

/// Docusaurus' `<Tabs>` and its `<TabItem label="…">`s, each on its own
/// line: the tabs' lines are left out (blank), each tab's label is shown in
/// bold above its content, and the content, indented inside the JSX, is
/// taken out of the indent (four spaces would make it code). As MkDocs'
/// tabs, one after another: a page without the tabs' script reads them
/// all. `<Tabs>` was published as an HTML element no browser knows.
fn tabs_as_markdown(body: &str) -> Cow<'_, str> {
    if !body.contains("<TabItem") {
        return body.into();
    }
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut out = String::with_capacity(body.len());
    let mut fences = crate::markdown::Fences::default();
    // Tabs inside a tab: each open item's indent, the innermost last.
    let mut item_indents: Vec<usize> = Vec::new();
    let ending = |line: &str| line[line.trim_end().len()..].to_string();
    for (i, line) in lines.iter().enumerate() {
        // Code's lines (a page showing how to write tabs) are no tags.
        let in_code = fences.is_code(line) && !line.trim_start().starts_with(['`', '~']);
        let tag = if in_code { "" } else { line.trim() };
        // A tab on one line: `<TabItem label="A">Text</TabItem>`.
        if let Some((label, content)) = one_line_tab(tag) {
            // A hard break: the next tab starts its own line.
            match label {
                Some(label) => out.push_str(&format!("**{label}**: {content}  ")),
                None => out.push_str(&format!("{content}  ")),
            }
            out.push_str(&ending(line));
            continue;
        }
        if is_tag(tag, "Tabs") || tag == "</Tabs>" {
            out.push_str(&ending(line));
            continue;
        } else if is_tag(tag, "TabItem") {
            let label = attribute(tag, "label").or_else(|| attribute(tag, "value"));
            let content = lines[i + 1..]
                .iter()
                .take_while(|l| l.trim() != "</TabItem>")
                .filter(|l| !l.trim().is_empty());
            item_indents.push(
                content
                    .map(|l| l.len() - l.trim_start().len())
                    .min()
                    .unwrap_or(0),
            );
            // A hard break: the label stays above the content's first line.
            out.push_str(&label.map_or(String::new(), |l| format!("**{l}**  ")));
            out.push_str(&ending(line));
            continue;
        } else if tag == "</TabItem>" {
            item_indents.pop();
            out.push_str(&ending(line));
            continue;
        }
        match item_indents.last() {
            Some(&indent) => {
                let blank = line.len() - line.trim_start_matches([' ', '\t']).len();
                out.push_str(&line[blank.min(indent)..]);
            }
            None => out.push_str(line),
        }
    }
    out.into()
}

/// A whole tab on one line: its label and its content.
fn one_line_tab(tag: &str) -> Option<(Option<&str>, &str)> {
    let inner = tag.strip_suffix("</TabItem>")?;
    let open_end = inner.find('>')?;
    let open = &inner[..=open_end];
    if !is_tag(open, "TabItem") {
        return None;
    }
    let label = attribute(open, "label").or_else(|| attribute(open, "value"));
    Some((label, inner[open_end + 1..].trim()))
}

/// `<Name …>` (not self-closing) alone on its line.
fn is_tag(line: &str, name: &str) -> bool {
    line.strip_prefix('<')
        .and_then(|rest| rest.strip_prefix(name))
        .is_some_and(|rest| {
            rest.starts_with([' ', '>']) && rest.ends_with('>') && !rest.ends_with("/>")
        })
}

/// A JSX attribute's text (see [`crate::markdown::tag_attribute`]).
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    crate::markdown::tag_attribute(tag, name)
}

/// The first `<Component … />` on a line (its name capitalised, as JSX
/// writes components): where it starts and ends.
fn self_closing_component(text: &str) -> Option<(usize, usize)> {
    jsx::tags(text).find(|&(at, end)| {
        text[at + 1..].starts_with(|c: char| c.is_ascii_uppercase())
            && text[..end - 1].ends_with('/')
    })
}

#[cfg(test)]
mod tests {
    use super::{as_html, text, without_module_lines};

    #[test]
    fn a_md_file_that_starts_with_an_import_is_read_as_mdx() {
        let page = "---\ntitle: T\n---\n\nimport Tabs from '@theme/Tabs';\n\n<Icon />\n";
        let (read, warning) = text(std::path::Path::new("a.md"), page);
        assert_eq!(read, "---\ntitle: T\n---\n\n\n\n<Icon></Icon>\n");
        assert!(warning.is_some());
        // A paragraph's line that starts with the word is its text.
        let page = "import A from 'a';\n\nWe sell grain for\nexport (mostly to Serbia).\n";
        let (read, _) = text(std::path::Path::new("a.md"), page);
        assert!(read.contains("export (mostly to Serbia)."), "{read}");
        // Prose that begins with the word is Markdown.
        for prose in [
            "import data from the old site.\n",
            "Text.\nimport x from 'y';\n",
        ] {
            let (read, warning) = text(std::path::Path::new("a.md"), prose);
            assert_eq!(read, prose);
            assert!(warning.is_none());
        }
    }

    #[test]
    fn jsx_comments_are_left_out_and_components_closed() {
        assert_eq!(
            as_html("А {/* бележка */} Б\n{/* два\nреда */}В\n"),
            "А  Б\n\nВ\n"
        );
        assert_eq!(
            as_html("<Admonition type=\"tip\" data={{a: 1}} /> Текст <b>x</b>\n"),
            "<Admonition type=\"tip\"></Admonition> Текст <b>x</b>\n"
        );
        assert_eq!(
            as_html("```jsx\n<Foo />\n```\n`<Bar />`\n"),
            "```jsx\n<Foo />\n```\n`<Bar />`\n"
        );
        assert_eq!(
            as_html("<br /> и <Icon.Star/>\n"),
            "<br /> и <Icon.Star></Icon.Star>\n"
        );
        assert_eq!(
            as_html(
                "<LinkCard title=\"A<b & Начало\" href=\"/start/\" description=\"Първи стъпки\" />\n"
            ),
            "<a href=\"/start/\">A&lt;b &amp; Начало</a> — Първи стъпки\n"
        );
        // An expression is code for MDX's bundler; its `>` ends no tag.
        assert_eq!(
            as_html(
                "<button onClick={() => alert('x')}>Натисни</button> и <span style={{a: 1}}>б</span>\n"
            ),
            "<button>Натисни</button> и <span>б</span>\n"
        );
        let code = "``{/* не */}`` и ``<Foo />``\n";
        assert_eq!(as_html(code), code);
    }

    #[test]
    fn tabs_are_labels_and_their_content() {
        let body = "<Tabs groupId=\"os\">\n  <TabItem value=\"apple\" label=\"Apple\" default>\n    This is an **apple**\n  </TabItem>\n  <TabItem value='orange'>\n\n    ```sh\n    ls\n    ```\n\n  </TabItem>\n</Tabs>\n";
        let out = super::tabs_as_markdown(body);
        assert_eq!(
            out,
            "\n**Apple**  \nThis is an **apple**\n\n**orange**  \n\n```sh\nls\n```\n\n\n\n"
        );
        assert_eq!(out.lines().count(), body.lines().count());
        let shown = "```jsx\n<Tabs>\n  <TabItem value=\"a\">\n    A\n  </TabItem>\n</Tabs>\n```\n";
        assert_eq!(super::tabs_as_markdown(shown), shown);
        let one_line = "<Tabs>\n<TabItem label=\"Звезди\">Сириус, Вега</TabItem>\n<TabItem value=\"m\">Луна</TabItem>\n</Tabs>\nСлед.\n";
        assert_eq!(
            super::tabs_as_markdown(one_line),
            "\n**Звезди**: Сириус, Вега  \n**m**: Луна  \n\nСлед.\n"
        );
        // Tabs in a tab: after the inner ones close, the outer tab's text
        // is still taken out of its indent, not left as code.
        let nested = "<Tabs>\n  <TabItem value=\"a\">\n    Преди\n    <Tabs>\n      <TabItem value=\"b\">\n        Вътре\n      </TabItem>\n    </Tabs>\n    След\n  </TabItem>\n</Tabs>\n";
        assert_eq!(
            super::tabs_as_markdown(nested),
            "\n**a**  \nПреди\n\n**b**  \nВътре\n\n\nСлед\n\n\n"
        );
    }

    #[test]
    fn module_lines_are_blanked_outside_code() {
        let mdx = "import Tabs from '@theme/Tabs';\nimport {\n  A,\n  B,\n} from './x';\n\n# Заглавие\n\n```js\nimport x from 'y';\n```\n\nexport const meta = {a: 1};\nТекст import от началото.\n";
        // Statements without semicolons end with their brackets.
        let jsx = "export function Foo() {\n  return 1\n}\n\nТекст.\nexport const H = ({c}) => (\n  <b>{c}</b>\n)\nОще.\n";
        assert_eq!(without_module_lines(jsx).0, "\n\n\n\nТекст.\n\n\n\nОще.\n");
        let (text, first) = without_module_lines(mdx);
        assert_eq!(first, Some(1));
        assert_eq!(
            text,
            "\n\n\n\n\n\n# Заглавие\n\n```js\nimport x from 'y';\n```\n\n\nТекст import от началото.\n"
        );
        assert_eq!(without_module_lines("# Само текст\n").1, None);
    }
}
