//! Shortcodes other generators run and dunav does not, found so that the
//! editor is told where each one is.

use std::borrow::Cow;
use std::ops::RangeInclusive;

/// The shortcodes a page brought from Hugo (`{{< figure … >}}`, `{{% … %}}`)
/// or Zola (`{{ youtube(id="…") }}`, `{% note() %}`) has outside code: dunav
/// publishes them as text, so the editor is told where each one is.
pub(super) fn shortcodes(markdown: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut fences = Fences::default();
    for (i, line) in markdown.lines().enumerate() {
        // mdBook's includes stand in code blocks too: a listing's only line.
        found.extend(mdbook_include(line).map(|code| (i + 1, code.to_string())));
        if !fences.is_code(line) {
            found.extend(shortcodes_in(line).into_iter().map(|code| (i + 1, code)));
            found.extend(snippet_import(line).map(|code| (i + 1, code.to_string())));
            found.extend(markdown_include(line).map(|code| (i + 1, code.to_string())));
        }
    }
    found
}

/// Follows fenced code blocks line by line: what is in them (the fences
/// too) is code, never a shortcode or a tag to rewrite. As CommonMark reads
/// them: a fence is three or more backticks or tildes, and only a run of as
/// many or more of the same closes it (a ```` ````md ```` block may show a
/// ```` ``` ```` one).
#[derive(Default)]
pub struct Fences(Option<(char, usize, usize)>);

impl Fences {
    pub fn is_code(&mut self, line: &str) -> bool {
        // Any indent: a fence in a list item or an admonition's body is
        // indented by its container, and no pass here follows those.
        let text = line.trim_start();
        let indent = line.len() - text.len();
        let run = fence_run(text);
        if let Some((open, count, open_indent)) = self.0 {
            // Four columns deeper than its opening, a fence is code in the
            // block (a page showing how to nest fences), as CommonMark reads it.
            let closes = indent < open_indent + 4
                && run
                    .is_some_and(|(c, n, rest)| c == open && n >= count && rest.trim().is_empty());
            if closes {
                self.0 = None;
            }
            return true;
        }
        self.0 = run
            .filter(|(c, _, info)| *c == '~' || !info.contains('`'))
            .map(|(c, n, _)| (c, n, indent));
        self.0.is_some()
    }

    pub fn is_open(&self) -> bool {
        self.0.is_some()
    }
}

/// A line's leading run of three or more backticks or tildes: the
/// character, how many, and the rest of the line.
fn fence_run(text: &str) -> Option<(char, usize, &str)> {
    let c = text.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = text.len() - text.trim_start_matches(c).len();
    (n >= 3).then(|| (c, n, &text[n..]))
}

/// VitePress' code snippet import, `<<< @/snippets/x.js` on a line of
/// its own (indented less than code): dunav does not read the file.
fn snippet_import(line: &str) -> Option<&str> {
    let text = line.trim_end();
    let indent = text.len() - text.trim_start_matches(' ').len();
    let path = text.trim_start().strip_prefix("<<<")?.trim_start();
    (indent < 4 && ["@/", "./", "../", "/"].iter().any(|p| path.starts_with(p)))
        .then_some(text.trim_start())
}

/// VitePress' include of another Markdown file, `<!--@include: ./x.md-->`:
/// a comment to CommonMark, so the file's text was left out silently.
fn markdown_include(line: &str) -> Option<&str> {
    let text = line.trim();
    (text.starts_with("<!--@include:") && text.ends_with("-->")).then_some(text)
}

/// mdBook's include of another file's lines, `{{#include ../listings/x.rs}}`
/// (`#rustdoc_include`, `#playground` alike), on a line of its own: its text
/// was published as written and the file's left out.
fn mdbook_include(line: &str) -> Option<&str> {
    let text = line.trim();
    let name = text.strip_prefix("{{#")?.split_whitespace().next()?;
    (matches!(name, "include" | "rustdoc_include" | "playground") && text.ends_with("}}"))
        .then_some(text)
}

/// Every shortcode or template tag in a line, not in a code span: Hugo's
/// `{{< x >}}` and `{{% x %}}`, Zola's `{{ x(…) }}` and `{% x() %}`, Jekyll's
/// Liquid `{% x … %}` and `{{ site.x }}`. Closing tags (`{{< /x >}}`,
/// `{% endx %}`) are left out: their opening one is reported.
fn shortcodes_in(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut from = 0;
    let code = super::CodeSpans::of(line);
    while let Some(at) = line[from..].find('{').map(|i| from + i) {
        from = at + 1;
        let rest = &line[at..];
        if code.contains(at) {
            continue;
        }
        let opening = if let Some(inner) = rest.strip_prefix("{{<").or(rest.strip_prefix("{{%")) {
            !inner.trim_start().starts_with('/')
        } else if let Some(inner) = rest.strip_prefix("{%").or(rest.strip_prefix("{{")) {
            let name = inner.trim_start_matches('-').trim_start();
            name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && !name.starts_with("end")
        } else {
            false
        };
        if opening {
            // Each opening closes with its own marks: a `{% tag %}` before
            // a `{{ var }}` is two calls, not one up to the `}}`.
            let close = [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}"), ("{{", "}}")]
                .iter()
                .find(|(open, _)| rest.starts_with(open))
                .map_or("}}", |(_, close)| close);
            let end = rest.find(close).map_or(rest.len(), |e| e + close.len());
            found.push(rest[..end].to_string());
            from = at + end;
        }
    }
    found
}

/// Jekyll's link tags as links dunav resolves: `{% post_url 2024-01-02-name %}`
/// names a post by its file's name (found anywhere in the content, as a
/// wiki link's name is: posts move to a section), `{% link about.md %}` a
/// file by its path from the site's folder (`_posts/…` by its name).
/// Addresses written with Liquid are the site's paths too:
/// `{{ site.baseurl }}/x.png` and `{{ "/x.png" | relative_url }}` are `/x.png`.
pub(super) fn liquid_links<'m>(markdown: &'m str, raw: &[RangeInclusive<usize>]) -> Cow<'m, str> {
    let tags =
        markdown.contains("{%") && (markdown.contains("link") || markdown.contains("post_url"));
    let urls = markdown.contains("{{") && (markdown.contains("site.") || markdown.contains("_url"));
    if !tags && !urls {
        return markdown.into();
    }
    // What `{% raw %}` holds is text (lines of the body, from 1), and so
    // is indented code.
    let mut rewritten = String::with_capacity(markdown.len());
    let mut fences = Fences::default();
    let mut indented = IndentedCode::default();
    for (index, line) in markdown.split_inclusive('\n').enumerate() {
        let number = index + 1;
        let code = fences.is_code(line) | indented.is_code(line);
        if code || raw.iter().any(|lines| lines.contains(&number)) {
            rewritten.push_str(line);
        } else {
            rewritten.push_str(&liquid_urls_in(&liquid_links_in(line)));
        }
    }
    match rewritten == markdown {
        true => markdown.into(),
        false => rewritten.into(),
    }
}

/// Which lines are indented code: indented four columns after a blank line
/// (or more code), not inside an HTML block (`<div>` to a blank line), whose
/// indented lines are its own, nor continuing a paragraph.
struct IndentedCode {
    /// The line before was blank, or there was none.
    after_blank: bool,
    in_code: bool,
    html: HtmlBlocks,
}

impl Default for IndentedCode {
    fn default() -> Self {
        IndentedCode {
            after_blank: true,
            in_code: false,
            html: HtmlBlocks::default(),
        }
    }
}

impl IndentedCode {
    fn is_code(&mut self, line: &str) -> bool {
        let in_html = self.html.is_html(line);
        let blank = line.trim().is_empty();
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if !blank {
            self.in_code = indented && (self.in_code || self.after_blank) && !in_html;
        }
        self.after_blank = blank;
        self.in_code
    }
}

/// Which lines are in an HTML block, whose text Markdown leaves as it is:
/// from a line that starts with a tag after a blank line to the next blank
/// line, and from `<pre>` (`<script>`, `<style>`, `<textarea>`) to its
/// closing tag.
#[derive(Default)]
pub struct HtmlBlocks {
    in_block: bool,
    raw_until: Option<&'static str>,
}

impl HtmlBlocks {
    pub fn is_html(&mut self, line: &str) -> bool {
        const RAW: [(&str, &str); 4] = [
            ("<pre", "</pre>"),
            ("<script", "</script>"),
            ("<style", "</style>"),
            ("<textarea", "</textarea>"),
        ];
        let text = line.trim();
        let lower = text.to_ascii_lowercase();
        if let Some(end) = self.raw_until {
            if lower.contains(end) {
                self.raw_until = None;
            }
            return true;
        }
        if text.is_empty() {
            self.in_block = false;
            return false;
        }
        if let Some((_, end)) = RAW.iter().find(|(open, _)| lower.starts_with(open)) {
            self.raw_until = (!lower.contains(end)).then_some(*end);
            self.in_block = true;
            return true;
        }
        // A comment alone on its line (a title heading's anchor) ends there.
        let lone_comment = text.starts_with("<!--") && text.ends_with("-->");
        if !self.in_block && text.starts_with('<') && !lone_comment && !line.starts_with("    ") {
            self.in_block = true;
        }
        self.in_block
    }
}

/// A line with each Liquid tag between `open` and `close` outside code
/// spans replaced by what `replace` makes of it (its inner text, trimmed of
/// spaces and `-`, and where it starts and ends); `None` keeps it.
fn replace_tags(
    line: &str,
    (open, close): (&str, &str),
    replace: impl Fn(&str, usize, usize) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(line.len());
    let mut from = 0;
    let code = super::CodeSpans::of(line);
    while let Some(at) = line[from..].find(open).map(|at| from + at) {
        let Some(end) = line[at + open.len()..]
            .find(close)
            .map(|e| at + open.len() + e + close.len())
        else {
            break;
        };
        let inner = line[at + open.len()..end - close.len()]
            .trim_matches(|c: char| c == '-' || c.is_whitespace());
        out.push_str(&line[from..at]);
        match replace(inner, at, end).filter(|_| !code.contains(at)) {
            Some(replaced) => out.push_str(&replaced),
            None => out.push_str(&line[at..end]),
        }
        from = end;
    }
    out.push_str(&line[from..]);
    out
}

/// A line with each `{{ site.baseurl }}` (or `site.url`) before a `/`
/// left out, and each `{{ "/path" | relative_url }}` its path.
fn liquid_urls_in(line: &str) -> String {
    // `{{ site.url }}{{ site.baseurl }}/x`: both stand for the root.
    // `@`: a `{% link %}` or `{% post_url %}` already read (`@/x.md`).
    let before_root = |rest: &str| {
        rest.starts_with(['/', '@'])
            || rest.starts_with("{{")
                && rest
                    .find("}}")
                    .is_some_and(|e| rest[..e].contains("site.baseurl"))
    };
    replace_tags(line, ("{{", "}}"), |inner, _, end| {
        let site = matches!(
            inner,
            "site.baseurl" | "site.url" | "site.url | append: site.baseurl"
        );
        if site && before_root(&line[end..]) {
            return Some(String::new());
        }
        inner
            .split_once('|')
            .filter(|(_, filter)| {
                matches!(
                    filter.trim(),
                    "relative_url" | "absolute_url" | "prepend: site.baseurl"
                )
            })
            .map(|(path, _)| path.trim())
            // A quoted path only: `{{ page.url | relative_url }}` is a variable's.
            .filter(|path| {
                path.len() > 2
                    && (path.starts_with('"') && path.ends_with('"')
                        || path.starts_with('\'') && path.ends_with('\''))
            })
            .map(|path| &path[1..path.len() - 1])
            .filter(|path| !path.contains(['{', '}', ' ', '"', '\'']))
            // Jekyll's filters make a path from the site's root.
            .map(|path| format!("/{}", path.trim_start_matches('/')))
    })
}

/// A line with each `post_url` and `link` tag a link.
fn liquid_links_in(line: &str) -> String {
    replace_tags(line, ("{%", "%}"), |inner, at, _| {
        let (tag, argument) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let argument = argument.trim().trim_matches(['"', '\'']);
        if argument.is_empty() || argument.contains([' ', '{', '}', '(', ')', '<', '>']) {
            return None;
        }
        let target = match tag {
            "post_url" => format!("@name/{argument}"),
            "link" => jekyll_link(argument),
            _ => return None,
        };
        // In the text (not a link's address), a link named by its argument.
        // Jekyll's docs write `{{ site.baseurl }}{% post_url x %}`: the
        // site's root before the tag leaves it in the address.
        let in_address = is_address(without_site_roots(&line[..at]));
        Some(match in_address {
            true => target,
            false => format!("[{argument}]({target})"),
        })
    })
}

/// Text without the Liquid tags for the site's root it ends with
/// (`{{ site.url }}{{ site.baseurl }}`).
fn without_site_roots(mut before: &str) -> &str {
    while let Some(rest) = before.strip_suffix("}}") {
        let Some(open) = rest.rfind("{{") else {
            break;
        };
        let inner = rest[open + 2..].trim_matches(|c: char| c == '-' || c.is_whitespace());
        if !matches!(inner, "site.baseurl" | "site.url") {
            break;
        }
        before = &rest[..open];
    }
    before
}

/// Whether text ends where a link's address starts: `](`, an attribute's
/// `="`, or a reference definition's `[name]: `.
pub(super) fn is_address(before: &str) -> bool {
    let definition = before
        .trim_end()
        .strip_suffix("]:")
        .is_some_and(|label| label.trim_start().starts_with('[') && before.ends_with([' ', '\t']));
    definition || ["](", "=\"", "='", "="].iter().any(|e| before.ends_with(e))
}

/// `{% link path %}`'s path as a link from the content folder; a post's
/// (`_posts/2024-01-02-name.md`) by its name.
fn jekyll_link(path: &str) -> String {
    let path = path.trim_start_matches('/');
    match path.strip_prefix("_posts/") {
        Some(post) => {
            let name = [".md", ".markdown"]
                .iter()
                .find_map(|ext| post.strip_suffix(ext))
                .unwrap_or(post);
            format!("@name/{name}")
        }
        None => format!("@/{path}"),
    }
}

/// Jekyll's `{% raw %}` … `{% endraw %}`, which keep Liquid from running
/// what they hold: dunav runs no Liquid, so the tags are left out (in code
/// too, as Jekyll reads them before the Markdown), and the body lines they
/// span, whose tags are meant as text, are given to leave out of warnings.
pub(super) fn liquid_raw(markdown: &str) -> (Cow<'_, str>, Vec<RangeInclusive<usize>>) {
    if !markdown.contains("raw") || !markdown.contains("{%") {
        return (markdown.into(), Vec::new());
    }
    let mut out = String::with_capacity(markdown.len());
    let mut spans = Vec::new();
    let mut opened: Option<usize> = None;
    let mut taken = false;
    let mut line_start = 0;
    for (i, line) in markdown.split_inclusive('\n').enumerate() {
        let mut from = 0;
        while let Some(at) = line[from..].find("{%").map(|at| from + at) {
            // The closing marks after the opening ones: `{%}` is no tag.
            let Some(end) = line[at + 2..].find("%}").map(|e| at + 2 + e + 2) else {
                break;
            };
            let word = line[at + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
            let after = &markdown[line_start + end..];
            let take = match word {
                // Only a pair is Jekyll's: a tag shown in a code span
                // (`{% raw %}`) or one never closed is text.
                "raw" if opened.is_none() => {
                    let in_code_span = super::in_code_span(line, at);
                    let closed_here = |text: &str| {
                        text.find("endraw")
                            .is_some_and(|e| !text[..e].contains('`'))
                    };
                    if if in_code_span {
                        closed_here(after)
                    } else {
                        after.contains("endraw")
                    } {
                        opened = Some(i + 1);
                    }
                    opened.is_some()
                }
                "endraw" => opened.take().map(|from| spans.push(from..=i + 1)).is_some(),
                _ => false,
            };
            out.push_str(&line[from..at]);
            if !take {
                out.push_str(&line[at..end]);
            }
            taken |= take;
            from = end;
        }
        out.push_str(&line[from..]);
        line_start += line.len();
    }
    if !taken {
        return (markdown.into(), spans);
    }
    (out.into(), spans)
}

/// Jekyll's `{% highlight ruby %}` … `{% endhighlight %}` (and Hexo's
/// `{% codeblock lang:ruby %}` … `{% endcodeblock %}`) as a fenced code
/// block, line for line (so that line numbers stay): kramdown's code blocks
/// are published as code, not as text with the tags in it. A tag inside a
/// fenced block (an example of Liquid) or indented as code is left alone;
/// the fence keeps the tag's indent (a list item's) and outlasts any run of
/// backticks in the code.
pub(super) fn liquid_highlight_as_fences(markdown: &str) -> Cow<'_, str> {
    let tags = ["{% highlight", "{%- highlight", "{% code"];
    if !tags.iter().any(|tag| markdown.contains(tag)) {
        return markdown.into();
    }
    rewrite_outside_fences(markdown, highlight_block, |_| None).into()
}

/// The Markdown with, outside fenced code, each block that `block` finds
/// (its fence's info string and closing line) made a fenced block, and each
/// line that `line` rewrites rewritten. Lines stay lines: numbers hold.
pub(super) fn rewrite_outside_fences(
    markdown: &str,
    block: impl Fn(&[&str], usize) -> Option<(String, usize)>,
    line: impl Fn(&str) -> Option<String>,
) -> String {
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::with_capacity(markdown.len());
    let mut fences = Fences::default();
    let mut i = 0;
    while i < lines.len() {
        if !fences.is_code(lines[i]) {
            if let Some((info, end)) = block(&lines, i) {
                push_fenced(&mut out, &lines, i, end, &info);
                i = end + 1;
                continue;
            }
            if let Some(rewritten) = line(lines[i]) {
                out.push_str(&rewritten);
                i += 1;
                continue;
            }
        }
        out.push_str(lines[i]);
        i += 1;
    }
    out
}

/// The Markdown with each line inside fenced code that `line` rewrites
/// rewritten (the fences themselves are left as they are).
pub(super) fn rewrite_inside_fences(
    markdown: &str,
    line: impl Fn(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut fences = Fences::default();
    for text in markdown.split_inclusive('\n') {
        let was_open = fences.is_open();
        let in_code = fences.is_code(text) && was_open && fences.is_open();
        match in_code.then(|| line(text)).flatten() {
            Some(rewritten) => out.push_str(&rewritten),
            None => out.push_str(text),
        }
    }
    out
}

/// Lines `open + 1 .. close` as a fenced block with this info string, the
/// fences in place of the tags on lines `open` and `close` (with the opening
/// tag's indent, a list item's), outlasting any run of backticks in the code.
fn push_fenced(out: &mut String, lines: &[&str], open: usize, close: usize, info: &str) {
    let line = lines[open];
    let indent = &line[..line.len() - line.trim_start().len()];
    let longest = lines[open + 1..close]
        .iter()
        .map(|l| longest_backtick_run(l))
        .max()
        .unwrap_or(0);
    let marks = "`".repeat((longest + 1).max(3));
    out.push_str(&format!("{indent}{marks}{info}\n"));
    lines[open + 1..close].iter().for_each(|l| out.push_str(l));
    let ending = if lines[close].ends_with('\n') {
        "\n"
    } else {
        ""
    };
    out.push_str(&format!("{indent}{marks}{ending}"));
}

/// The info string and the closing line of a `{% highlight %}` block opening
/// at line `at` (indented less than code is).
fn highlight_block(lines: &[&str], at: usize) -> Option<(String, usize)> {
    // In a list item, deeper: Jekyll and Hexo read tags before Markdown.
    let code_indent = 4 + list_item_indent(&lines[..at]);
    let tag_words = |line: &str| -> Option<Vec<String>> {
        let indent = line.len() - line.trim_start().len();
        let tag = line.trim().strip_prefix("{%")?.strip_suffix("%}")?;
        (indent < code_indent).then(|| {
            tag.trim_matches('-')
                .split_whitespace()
                .map(String::from)
                .collect()
        })
    };
    let words = tag_words(lines[at])?;
    // Hexo's `{% codeblock [title] lang:js [url] %}` (or `{% code %}`) too.
    let name = words.first().map(String::as_str)?;
    if !matches!(name, "highlight" | "codeblock" | "code") {
        return None;
    }
    let closing = format!("end{name}");
    let end = (at + 1..lines.len()).find(|&j| {
        tag_words(lines[j]).is_some_and(|w| w.first().map(String::as_str) == Some(&closing))
    })?;
    // GitBook's `{% code title="x.js" %}` wraps a fenced block of its own.
    let first = lines[at + 1..end].iter().find(|l| !l.trim().is_empty());
    if name != "highlight" && first.is_some_and(|l| fence_run(l.trim_start()).is_some()) {
        return None;
    }
    // The language and its options (`ruby linenos`, `mark_lines="1 2"`) make
    // the fence's info string; of Hexo's words, the language.
    let info = match name {
        "highlight" => words[1..].join(" "),
        _ => (words.iter())
            .find_map(|w| w.strip_prefix("lang:"))
            .unwrap_or_default()
            .to_string(),
    };
    Some((info, end))
}

/// The content indent of the list item the next line belongs to (`1. `
/// is 3), or 0 outside one: the nearest line above with text that is less
/// indented than the item's content, when it is an item.
fn list_item_indent(above: &[&str]) -> usize {
    for line in above.iter().rev().filter(|l| !l.trim().is_empty()) {
        let text = line.trim_start();
        let indent = line.len() - text.len();
        let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = match digits {
            0 => ["- ", "* ", "+ "]
                .iter()
                .any(|m| text.starts_with(m))
                .then_some(2),
            n => (text[n..].starts_with(". ") || text[n..].starts_with(") ")).then_some(n + 2),
        };
        match marker {
            Some(width) => return indent + width,
            None if indent == 0 => return 0,
            None => continue,
        }
    }
    0
}

fn longest_backtick_run(line: &str) -> usize {
    line.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}
