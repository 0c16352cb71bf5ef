//! MDX pages (Docusaurus' `.mdx`): Markdown with JavaScript modules' lines
//! and JSX components. Their `import` and `export` lines are code for the
//! bundler, never text, and are left out (as blank lines, so that line
//! numbers hold); components stay as HTML tags, which show their content.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;

/// The body as dunav renders it: an `.mdx` file's without its module lines,
/// which are warned of once, at the first.
pub fn body(file: &Path, body: &str, body_line: usize, problems: &mut Vec<Diagnostic>) -> Arc<str> {
    let is_mdx = file
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("mdx"));
    if !is_mdx {
        return body.into();
    }
    let (text, first) = without_module_lines(body);
    if let Some(line) = first {
        problems.push(
            Diagnostic::warning(
                file,
                "an MDX page: its `import` and `export` lines are left out, and its components (<Tabs>…) are published as HTML tags",
            )
            .at_line(body_line + line - 1)
            .with_help("write what a component stood for in Markdown or HTML, and rename the file .md"),
        );
    }
    text.into()
}

/// The text with each `import`/`export` statement outside code blanked,
/// and the body line of the first.
fn without_module_lines(body: &str) -> (String, Option<usize>) {
    let mut out = String::with_capacity(body.len());
    let mut fences = crate::markdown::Fences::default();
    let mut in_statement = false;
    let mut first = None;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        if fences.is_code(line) {
            out.push_str(line);
            continue;
        }
        let starts = line.starts_with("import ") || line.starts_with("export ");
        if starts || in_statement {
            first.get_or_insert(i + 1);
            // `import {` … `} from '…'` spans lines until its source.
            let text = line.trim_end();
            in_statement = !(text.contains(" from ")
                || text.starts_with("} from")
                || text.ends_with(';')
                || (starts && !text.ends_with('{') && !text.ends_with(',')));
            if line.ends_with('\n') {
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
    }
    (out, first)
}

#[cfg(test)]
mod tests {
    use super::without_module_lines;

    #[test]
    fn module_lines_are_blanked_outside_code() {
        let mdx = "import Tabs from '@theme/Tabs';\nimport {\n  A,\n  B,\n} from './x';\n\n# Заглавие\n\n```js\nimport x from 'y';\n```\n\nexport const meta = {a: 1};\nТекст import от началото.\n";
        let (text, first) = without_module_lines(mdx);
        assert_eq!(first, Some(1));
        assert_eq!(
            text,
            "\n\n\n\n\n\n# Заглавие\n\n```js\nimport x from 'y';\n```\n\n\nТекст import от началото.\n"
        );
        assert_eq!(without_module_lines("# Само текст\n").1, None);
    }
}
