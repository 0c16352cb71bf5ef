//! Code block highlighting into CSS classes, with a light and a dark stylesheet.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

pub use lines::{BlockOptions, without_rustdoc_hidden_lines};

mod contrast;
pub mod lines;
pub mod memo;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Syntaxes load once per process: building the set costs tens of milliseconds.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

/// A highlighted `<pre>` block, and its key in the [`memo`]; unknown
/// languages are shown as plain text.
pub fn highlight_block(
    code: &str,
    lang: Option<&str>,
    options: &BlockOptions,
) -> (String, Option<memo::Key>) {
    let set = syntaxes();
    let syntax = lang.and_then(|l| set.find_syntax_by_token(known_as(l)));
    // Highlighting a three-line block takes syntect 50-250 µs: a block seen
    // before (in an earlier build, or in the page's translation) is reused.
    let key = syntax.map(|_| {
        let lang = lang.unwrap_or_default();
        if options.is_plain() {
            memo::key(code, lang)
        } else {
            memo::key(code, &format!("{lang}\0{}", options.key()))
        }
    });
    if let Some(html) = key.and_then(memo::get) {
        return (html, key);
    }
    let html = render_block(code, lang, syntax, options);
    if let Some(key) = key {
        memo::put(key, &html);
    }
    (html, key)
}

/// The name syntect knows a language by, for names other tools use
/// (Hugo's docs write `go-html-template` for their HTML templates).
fn known_as(lang: &str) -> &str {
    match lang.to_ascii_lowercase().as_str() {
        "go-html-template" | "gohtml" | "tmpl" | "gotmpl" | "handlebars" | "hbs" | "jinja"
        | "jinja2" | "tera" | "liquid" | "njk" | "nunjucks" => "html",
        "jsonc" | "json5" | "jsonl" | "ndjson" => "json",
        "console" | "shell-session" | "shellsession" | "zsh" | "fish" => "bash",
        _ => lang,
    }
}

fn render_block(
    code: &str,
    lang: Option<&str>,
    syntax: Option<&syntect::parsing::SyntaxReference>,
    options: &BlockOptions,
) -> String {
    let set = syntaxes();
    let lang_attr = lang
        .map(|l| format!(" data-lang=\"{}\"", escape_html(l)))
        .unwrap_or_default();
    let class = lang
        .map(|l| format!(" class=\"language-{}\"", escape_html(l)))
        .unwrap_or_default();
    let body = match syntax {
        Some(syntax) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
            let mut ok = true;
            for line in LinesWithEndings::from(code) {
                if generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_err()
                {
                    ok = false;
                    break;
                }
            }
            if ok {
                generator.finalize()
            } else {
                escape_html(code)
            }
        }
        None => escape_html(code),
    };
    let (body, pre_attributes) = if options.is_plain() {
        (body, String::new())
    } else {
        (lines::wrap_lines(&body, options), options.pre_attributes())
    };
    // tabindex lets keyboard users scroll a wide block (axe: scrollable-region-focusable).
    format!(
        "<pre class=\"code\"{lang_attr}{pre_attributes} tabindex=\"0\"><code{class}>{body}</code></pre>\n"
    )
}

/// Lines of blocks with options (see [`lines`]): each a block, so that a
/// marked line's tint spans the block; numbers drawn by CSS are not copied
/// with the code.
const LINES_CSS: &str = "pre.code .line { display: block; min-width: 100%; width: max-content; padding-left: 1ch; box-sizing: border-box; }
pre.code mark.line { color: inherit; background: rgb(255 196 0 / 14%); box-shadow: inset 3px 0 0 rgb(217 164 0); }
pre.code[data-linenos] { counter-reset: line; }
pre.code[data-linenos] .line::before { counter-increment: line; content: counter(line); display: inline-block; min-width: 3ch; margin-right: 1.5ch; text-align: right; user-select: none; }
";

/// The stylesheet for highlighted code: light by default, dark under `prefers-color-scheme`.
pub fn stylesheet() -> String {
    let themes = two_face::theme::extra();
    let css = |name, surface| {
        let theme = contrast::readable(themes.get(name).clone(), surface);
        css_for_theme_with_class_style(&theme, CLASS_STYLE).unwrap_or_default()
    };
    let light = css(EmbeddedThemeName::OneHalfLight, contrast::LIGHT_SURFACE);
    let dark = css(EmbeddedThemeName::OneHalfDark, contrast::DARK_SURFACE);
    format!(
        "/* Generated by dunav from the OneHalf themes. */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n{LINES_CSS}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every colour of the stylesheet reads at WCAG AA on its background.
    #[test]
    fn every_code_colour_reads_on_the_code_background() {
        let css = stylesheet();
        let (light, dark) = css.split_once("@media").unwrap();
        for (part, surface) in [
            (light, contrast::LIGHT_SURFACE),
            (dark, contrast::DARK_SURFACE),
        ] {
            for rule in part.split('}') {
                if rule.contains("background-color") && !rule.contains(".hl-code") {
                    continue;
                }
                let Some(at) = rule.find(" color: #") else {
                    continue;
                };
                let hex = &rule[at + 9..at + 15];
                let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
                let color = syntect::highlighting::Color {
                    r: channel(0),
                    g: channel(2),
                    b: channel(4),
                    a: 255,
                };
                let ratio = contrast::ratio(color, surface);
                assert!(ratio >= 4.5, "{ratio:.2} for{rule}");
            }
        }
    }

    #[test]
    fn highlights_languages_syntect_lacks() {
        let html = highlight_block(
            "[site]\ntitle = \"x\"\n",
            Some("toml"),
            &BlockOptions::default(),
        )
        .0;
        assert!(html.contains("hl-"), "{html}");
        for (lang, code) in [
            ("go-html-template", "<p>{{ .Title }}</p>"),
            ("jsonc", "{\"a\": 1 // note\n}"),
            ("console", "$ ls -la"),
            ("zsh", "echo $HOME"),
            ("fish", "set -x A 1"),
            ("nunjucks", "<p>{{ x }}</p>"),
        ] {
            let html = highlight_block(code, Some(lang), &BlockOptions::default()).0;
            assert!(html.contains("hl-"), "{lang}: {html}");
            assert!(html.contains(&format!("data-lang=\"{lang}\"")), "{html}");
        }
        let plain = highlight_block("<b>", Some("no-such-language"), &BlockOptions::default()).0;
        assert!(plain.contains("&lt;b&gt;"));
    }
}
