//! Text that Markdown must leave as written: TeX between dollars, and
//! fences shown inside a code block.

use super::md;

/// TeX between dollars stays as written, backslashes and underscores too,
/// in the delimiters MathJax and KaTeX find; prices are text.
#[test]
fn tex_math_keeps_its_backslashes_and_prices_stay_text() {
    let r = md(
        "Формулата $\\frac{a_1}{b_2} \\\\ x_i$ е кратка.\n\n$$\n\\sum_{k=1}^n k^2 < \\infty\n$$\n\nA ticket is $5 and a year $50; $5/$10 or $x$.\n",
    );
    assert!(
        r.html
            .contains("<span class=\"math math-inline\">\\(\\frac{a_1}{b_2} \\\\ x_i\\)</span>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(
            "<span class=\"math math-display\">\\[\n\\sum_{k=1}^n k^2 &lt; \\infty\n\\]</span>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html.contains(
            "A ticket is $5 and a year $50; $5/$10 or <span class=\"math math-inline\">\\(x\\)</span>."
        ),
        "{}",
        r.html
    );
    assert!(!r.html.contains("<em>"), "{}", r.html);
}

/// A page that shows MkDocs tabs with their fences inside a code block (the
/// inner fences indented four columns): all of it is the block's code, as
/// CommonMark reads it, and the text after the block stays text. A fence
/// with options alone has no language.
#[test]
fn fences_four_columns_deeper_are_code_in_the_block() {
    let r = md(
        "``` title=\"Example\"\n=== \"C\"\n\n    ``` c\n    int a;\n    ```\n\n=== \"C++\"\n\n    ``` c++\n    int b;\n    ```\n```\n\nAfter the block.\n",
    );
    assert!(
        r.html.contains("=== &quot;C++&quot;\n\n    ``` c++"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<p>After the block.</p>"), "{}", r.html);
    assert!(!r.html.contains("<strong>"), "{}", r.html);
    assert!(!r.html.contains("data-lang=\"title"), "{}", r.html);
    assert!(r.html.contains("Example"), "{}", r.html);
}

/// A page without TeX keeps its dollars as text and its links and bold
/// whole; a page with TeX shows it in headings too, and its summary and
/// the heading's id hold the TeX's words.
#[test]
fn dollars_are_math_only_on_a_page_with_tex() {
    let r = md(
        "Choose [$5 plan](https://a.com) or [$10 plan](https://b.com), **$5** or **$10**; set $HOME/$USER, $_GET/$_POST, 10$/20$.\n",
    );
    assert!(!r.html.contains("math"), "{}", r.html);
    assert!(
        r.html.contains(
            "<a href=\"https://a.com\">$5 plan</a> or <a href=\"https://b.com\">$10 plan</a>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<strong>$5</strong> or <strong>$10</strong>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("$HOME/$USER, $_GET/$_POST, 10$/20$"),
        "{}",
        r.html
    );
    let r = md("## The formula $E=mc^2$ explained\n\nWith $a_1$ words.\n");
    assert!(
        r.html
            .contains("<span class=\"math math-inline\">\\(E=mc^2\\)</span> explained"),
        "{}",
        r.html
    );
    assert_eq!(r.toc[0].title, "The formula E=mc^2 explained");
    assert_eq!(r.toc[0].id, "the-formula-e-mc-2-explained");
    assert!(
        r.summary_text.contains("With \\(a_1\\) words."),
        "{}",
        r.summary_text
    );
}

/// Display math between `$$` lines is TeX whatever its lines look like:
/// a line of `=` or `-` made the text above a heading, `- b` a list, and a
/// blank line ended the math. In code, `$$` is code.
#[test]
fn display_math_lines_are_tex_not_markdown() {
    let r = md(
        "Multiply:\n$$\n\\begin{bmatrix}\n1 \\\\\n2\n\\end{bmatrix}\n=\n- b^2\n\n+ c_1\n$$\n\n```sh\n$$\necho $$\n$$\n```\n",
    );
    assert!(
        r.html.contains(
            "<p>Multiply:</p>\n<span class=\"math math-display\">\\[\n\\begin{bmatrix}\n1 \\\\\n2\n\\end{bmatrix}\n=\n- b^2\n\n+ c_1\n\\]</span>"
        ),
        "{}",
        r.html
    );
    assert!(!r.html.contains("<h1"), "{}", r.html);
    assert!(!r.html.contains("<li>"), "{}", r.html);
    assert!(
        r.html
            .contains("\\]</span>\n<pre class=\"code\" data-lang=\"sh\""),
        "{}",
        r.html
    );
    assert_eq!(r.html.matches("math-display").count(), 1, "{}", r.html);
}

/// mdBook's and rustdoc's hidden lines in Rust (`# fn main() {`) are left
/// out, `##` is a `#`, and attributes stay.
#[test]
fn rust_blocks_leave_out_rustdocs_hidden_lines() {
    let r = md(
        "```rust\n# fn main() {\n#[derive(Debug)]\nstruct A;\nlet s = \"\n##[x]\";\n#\n# }\n```\n\n```sh\n# a comment\n```\n",
    );
    assert!(!r.html.contains("main"), "{}", r.html);
    assert!(r.html.contains("derive"), "{}", r.html);
    assert!(!r.html.contains("##"), "{}", r.html);
    assert!(r.html.contains("a comment"), "{}", r.html);
}

/// `$$` lines pair only when nothing between them is another math's `$$`
/// or a fence, and never in code or an HTML block: those stay as written.
#[test]
fn display_math_lines_pair_only_around_tex() {
    let r = md("$$\n\\begin{aligned}\na\n\\end{aligned}$$\n\nText after.\n\n```sh\n$$\n```\n");
    assert!(r.html.contains("<p>Text after.</p>"), "{}", r.html);
    assert!(
        r.html.contains("<pre class=\"code\" data-lang=\"sh\""),
        "{}",
        r.html
    );
    assert!(!r.html.contains("```"), "{}", r.html);
    for kept in [
        "<div class=\"box\">\n$$\nx\n$$\n</div>\n",
        "Example:\n\n    $$\n    x\n    $$\n",
        "<pre>\n$$\n\nx\n$$\n</pre>\n",
    ] {
        let r = md(kept);
        assert!(!r.html.contains("```"), "{kept}: {}", r.html);
        assert!(!r.html.contains("math-display"), "{kept}: {}", r.html);
    }
    let r = md("# Title\n$$\nx\n$$\n");
    assert!(r.html.contains("math-display"), "{}", r.html);
    // A `$$` line that closes math opened on a line of text opens none.
    let r = md("$$ E = mc^2\n$$\n\nText between.\n\n$$\ny\n$$\n");
    assert!(r.html.contains("<p>Text between.</p>"), "{}", r.html);
    assert_eq!(r.html.matches("math-display").count(), 2, "{}", r.html);
}

/// On a site that never hid lines, a `# comment` in a string is code.
#[test]
fn rust_blocks_without_hidden_rust_keep_every_line() {
    let r = md("```rust\nlet toml = r#\"\n# A comment in the TOML\nkey = 1\n\"#;\n```\n");
    assert!(r.html.contains("A comment in the TOML"), "{}", r.html);
}
