//! MDX pages (Docusaurus' `.mdx`): Markdown with JavaScript modules' lines
//! and JSX components. Their `import` and `export` lines are code for the
//! bundler, never text, and are left out (as blank lines, so that line
//! numbers hold); components stay as HTML tags, which show their content.

use std::borrow::Cow;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The file's text as dunav reads it: an `.mdx` file's without its module
/// lines after the front matter (blanked, so that line numbers hold), and a
/// warning at the first.
pub fn text<'t>(file: &Path, text: &'t str) -> (Cow<'t, str>, Option<Diagnostic>) {
    let is_mdx = file
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("mdx"));
    if !is_mdx {
        return (text.into(), None);
    }
    let body_at = front_matter_end(text);
    let (body, first) = without_module_lines(&text[body_at..]);
    let Some(line) = first else {
        return (text.into(), None);
    };
    let line = text[..body_at].matches('\n').count() + line;
    let warning = Diagnostic::warning(
        file,
        "an MDX page: its `import` and `export` lines are left out, and its components (<Tabs>…) are published as HTML tags",
    )
    .at_line(line)
    .with_help("write what a component stood for in Markdown or HTML, and rename the file .md");
    (format!("{}{body}", &text[..body_at]).into(), Some(warning))
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
    for (i, line) in body.split_inclusive('\n').enumerate() {
        if !in_statement && fences.is_code(line) {
            out.push_str(line);
            continue;
        }
        let starts = line.starts_with("import ") || line.starts_with("export ");
        if !(starts || in_statement) {
            out.push_str(line);
            continue;
        }
        first.get_or_insert(i + 1);
        let opened = line.matches(['{', '(', '[']).count() as i64;
        let closed = line.matches(['}', ')', ']']).count() as i64;
        open_brackets = (open_brackets + opened - closed).max(0);
        in_statement = open_brackets > 0 || line.trim_end().ends_with([',', '=']);
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    (out, first)
}

#[cfg(test)]
mod tests {
    use super::without_module_lines;

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
