//! VitePress pages are Vue components too: a `<script setup>` block (or a
//! `<script>` of `import`/`export` lines) and a `<style scoped>` block are
//! code and styles for its bundler, never text. Published, the script
//! failed in every browser (`import` in a classic script) and the scoped
//! style, which browsers apply to the whole page, restyled the theme. They
//! are left out, their lines kept empty so that line numbers hold.

use std::borrow::Cow;

/// The body without its Vue blocks, and the line (from 1) of the first.
pub(super) fn without_vue_blocks(body: &str) -> (Cow<'_, str>, Option<usize>) {
    if !body.contains("<script") && !body.contains("<style") {
        return (body.into(), None);
    }
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut out = String::with_capacity(body.len());
    let mut fences = crate::markdown::Fences::default();
    let mut first = None;
    let mut closing: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let ending = &line[line.trim_end().len()..];
        if let Some(end) = closing {
            out.push_str(ending);
            if line.contains(end) {
                closing = None;
            }
            continue;
        }
        if fences.is_code(line) {
            out.push_str(line);
            continue;
        }
        match vue_block_end(line, &lines[i + 1..]) {
            Some(end) => {
                first.get_or_insert(i + 1);
                out.push_str(ending);
                if !line.contains(end) {
                    closing = Some(end);
                }
            }
            None => out.push_str(line),
        }
    }
    (out.into(), first)
}

/// The closing tag of the Vue block `line` opens, if it opens one: a
/// `<script setup>`, a `<script>` whose first line is an `import` or
/// `export`, or a `<style scoped>` / `<style module>`, unindented.
fn vue_block_end(line: &str, after: &[&str]) -> Option<&'static str> {
    let tag_end = line.find('>')?;
    let tag = &line[..tag_end];
    let has = |attribute: &str| tag.split_whitespace().skip(1).any(|a| a == attribute);
    // A `type="module"` or `src` script is the page's own (Mermaid's embed).
    let the_pages_own = tag.contains(" type=") || tag.contains(" src=");
    let is_script =
        tag.starts_with("<script") && tag[7..].starts_with([' ', '\t']) || tag == "<script";
    if is_script && !the_pages_own {
        let module_code = std::iter::once(&&line[tag_end + 1..])
            .chain(after.iter())
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .is_some_and(|l| l.starts_with("import ") || l.starts_with("export "));
        return (has("setup") || module_code).then_some("</script>");
    }
    if tag.starts_with("<style") && (has("scoped") || has("module")) {
        return Some("</style>");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::without_vue_blocks;

    #[test]
    fn vue_blocks_are_left_out_and_other_scripts_stay() {
        let body = "<script setup>\nimport { X } from 'vitepress'\n</script>\n\n# Екип\n\n<style scoped>\n.a { color: red }\n</style>\nТекст.\n<script>\nexport default {}\n</script>\n";
        let (out, first) = without_vue_blocks(body);
        assert_eq!(out, "\n\n\n\n# Екип\n\n\n\n\nТекст.\n\n\n\n");
        assert_eq!(first, Some(1));
        for kept in [
            "<script async src=\"https://platform.twitter.com/widgets.js\"></script>\n",
            "<script>\nwindow.x = 1\n</script>\n",
            "<style>\n.a {}\n</style>\n",
            "<script type=\"module\">\nimport mermaid from 'https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs';\n</script>\n",
            "```vue\n<script setup>\nimport x from 'y'\n</script>\n```\n",
        ] {
            assert_eq!(without_vue_blocks(kept), (kept.into(), None));
        }
    }
}
