//! The shortcodes Hugo and Zola ship with, as what they stand for, so that a
//! page brought from either shows its links, figures and videos:
//!
//! - Hugo `{{< ref "x.md" >}}` and `{{< relref "/news/x.md#part" >}}`: the
//!   content path, resolved as any link to a page is.
//! - Hugo `{{< figure src="…" alt="…" caption="…" >}}`: a `<figure>`.
//! - Hugo `{{< youtube ID >}}`, `{{< vimeo ID >}}`, Zola `{{ youtube(id="ID") }}`
//!   and `{{ vimeo(id="ID") }}`: the player in an `<iframe>` with a title.
//! - Hugo `{{< highlight go "linenos=table" >}}` … `{{< /highlight >}}`: a
//!   fenced code block with those options.
//! - Hugo `{{< details summary="…" >}}` … `{{< /details >}}`: `<details>`
//!   around Markdown.
//!
//! Every other shortcode is left as written, and pointed out (see
//! `shortcodes`). Each line stays one line, so that line numbers hold.

use std::borrow::Cow;

use super::escaped_calls::{HUGO_ESCAPE_MARKS, escaped_call};
use super::highlight::escape_html;

pub(super) fn expand(markdown: &str) -> Cow<'_, str> {
    let has_call = |text: &str| text.contains("{{") || text.contains("{%/*");
    if !has_call(markdown) {
        return markdown.into();
    }
    let joined = join_multiline_calls(markdown);
    let line = |line: &str| has_call(line).then(|| expand_line(line, false));
    let expanded = super::shortcodes::rewrite_outside_fences(&joined, highlight_block, line);
    if !expanded.contains("/*") {
        return expanded.into();
    }
    // In code, an escaped call is shown as the call, one over several lines too.
    let in_code = |line: &str| {
        let expanded = has_call(line).then(|| expand_line(line, true));
        // A mark no call on this line paired: one end of a call over lines.
        let unpaired = expanded.as_deref().is_none_or(|e| e == line)
            && HUGO_ESCAPE_MARKS
                .iter()
                .any(|(mark, _)| line.contains(mark));
        if !unpaired {
            return expanded;
        }
        let shown = HUGO_ESCAPE_MARKS
            .iter()
            .fold(line.to_string(), |text, (mark, shown)| {
                text.replace(mark, shown)
            });
        Some(shown)
    };
    super::shortcodes::rewrite_inside_fences(&expanded, in_code).into()
}

/// Lines a call may span (Hugo's `{{< figure` with one parameter a line).
const MAX_CALL_LINES: usize = 20;

/// The Markdown with each Hugo call written over several lines (outside
/// code) on its first line, and empty lines in place of the others, so that
/// it is read as one and line numbers hold.
fn join_multiline_calls(markdown: &str) -> Cow<'_, str> {
    // Most pages with a call have it on one line: nothing to copy.
    let opens_unclosed = |l: &str| {
        let l = l.trim_start();
        (l.starts_with("{{<") && !l.contains(">}}")) || (l.starts_with("{{%") && !l.contains("%}}"))
    };
    if !markdown.lines().any(opens_unclosed) {
        return markdown.into();
    }
    let lines: Vec<&str> = markdown.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut fences = super::shortcodes::Fences::default();
    let mut i = 0;
    let mut changed = false;
    while i < lines.len() {
        let line = lines[i];
        let in_code = fences.is_code(line);
        let open = ["{{<", "{{%"]
            .iter()
            .find(|o| line.trim_start().starts_with(**o));
        let call_end = open.filter(|_| !in_code).and_then(|open| {
            let close = if *open == "{{<" { ">}}" } else { "%}}" };
            (!line.contains(close))
                .then(|| {
                    (i + 1..lines.len().min(i + MAX_CALL_LINES)).find(|&j| lines[j].contains(close))
                })
                .flatten()
        });
        let Some(end) = call_end else {
            out.push_str(line);
            i += 1;
            continue;
        };
        let words: Vec<&str> = lines[i..=end].iter().map(|l| l.trim()).collect();
        // The call keeps its first line's indent (a list item's).
        out.push_str(&line[..line.len() - line.trim_start().len()]);
        out.push_str(&words.join(" "));
        out.push_str(&"\n".repeat(end - i + 1));
        changed = true;
        i = end + 1;
    }
    if changed { out.into() } else { markdown.into() }
}

/// The fence's info string and closing line of a `{{< highlight … >}}` block.
fn highlight_block(lines: &[&str], at: usize) -> Option<(String, usize)> {
    let call = Call::whole_line(lines[at])?;
    if call.name != "highlight" {
        return None;
    }
    let end = (at + 1..lines.len()).find(|&j| {
        let closing = lines[j].trim();
        [
            "{{< /highlight >}}",
            "{{% /highlight %}}",
            "{{</highlight>}}",
        ]
        .contains(&closing)
    })?;
    let mut info = call.positional.join(" ");
    for (name, value) in &call.named {
        info.push_str(&format!(" {name}={value}"));
    }
    Some((info, end))
}

/// A line with each known shortcode outside code spans replaced (none in
/// `in_code`), and each escaped call shown as the call.
fn expand_line(line: &str, in_code: bool) -> String {
    let mut out = String::with_capacity(line.len());
    let mut from = 0;
    // Where the next of each mark is, found again only once passed: each
    // search from every call to the line's end made a long line's time
    // grow with its square.
    let mut marks: [(&str, Option<Option<usize>>); 2] = [("{{", None), ("{%/*", None)];
    let mut next = |from: usize| {
        for (mark, found) in &mut marks {
            let passed = match found {
                None => true,
                Some(at) => at.is_some_and(|at| at < from),
            };
            if passed {
                *found = Some(line[from..].find(*mark).map(|i| from + i));
            }
        }
        marks.iter().filter_map(|(_, found)| found.flatten()).min()
    };
    let code = super::CodeSpans::of(line);
    while let Some(at) = next(from) {
        out.push_str(&line[from..at]);
        let in_code_span = in_code || code.contains(at);
        if let Some((shown, len)) = escaped_call(&line[at..], in_code_span) {
            out.push_str(&shown);
            from = at + len;
            continue;
        }
        match Call::at(&line[at..]).filter(|_| !in_code_span) {
            Some((call, len)) if let Some(html) = call.expansion() => {
                // A ref outside a link's address or an attribute stands in
                // the text: there it is a link named by its path.
                let is_ref = matches!(call.name.as_str(), "ref" | "relref");
                let in_address =
                    super::shortcodes::is_address(&line[..at]) || line[..at].ends_with('<');
                let path = call
                    .get("path")
                    .or(call.positional.first().map(String::as_str));
                match path {
                    Some(path) if is_ref && !in_address => {
                        out.push_str(&format!("[{path}]({html})"));
                    }
                    _ => out.push_str(&html),
                }
                from = at + len;
            }
            _ => {
                out.push_str(&line[at..at + 2]);
                from = at + 2;
            }
        }
    }
    out.push_str(&line[from..]);
    out
}

/// One shortcode call: its name and arguments.
#[derive(Debug, PartialEq)]
struct Call {
    name: String,
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Call {
    /// The call a text starts with, and its length: Hugo's `{{< name args >}}`
    /// or `{{% name args %}}`, Zola's `{{ name(key="value") }}`.
    fn at(text: &str) -> Option<(Call, usize)> {
        for (open, close) in [("{{<", ">}}"), ("{{%", "%}}")] {
            if let Some(inner) = text.strip_prefix(open) {
                let end = inner.find(close)?;
                let call = Call::parse(inner[..end].trim(), false)?;
                return Some((call, open.len() + end + close.len()));
            }
        }
        let inner = text.strip_prefix("{{")?;
        let end = inner.find("}}")?;
        let body = inner[..end].trim().strip_suffix(')')?;
        let (name, args) = body.split_once('(')?;
        let mut call = Call::parse(args, true)?;
        call.name = name.trim().to_string();
        Some((call, 2 + end + 2))
    }

    fn whole_line(line: &str) -> Option<Call> {
        let trimmed = line.trim();
        Call::at(trimmed).and_then(|(call, len)| (len == trimmed.len()).then_some(call))
    }

    /// `name "positional" key="value"`, or Zola's `key="value", key=3` (with
    /// `args_only`, the name given apart).
    fn parse(text: &str, args_only: bool) -> Option<Call> {
        let mut call = Call {
            name: String::new(),
            positional: Vec::new(),
            named: Vec::new(),
        };
        let mut rest = text;
        if !args_only {
            let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
            call.name = rest[..end].to_string();
            rest = &rest[end..];
        }
        if call.name.starts_with('/') && call.name != "/details" {
            return None;
        }
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
            if rest.is_empty() {
                return Some(call);
            }
            let (argument, after) = word(rest)?;
            if let Some(value_text) = after.trim_start().strip_prefix('=') {
                let (value, after) = word(value_text.trim_start())?;
                call.named.push((argument, value));
                rest = after;
            } else {
                call.positional.push(argument);
                rest = after;
            }
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// What the call stands for, or `None` for a shortcode dunav does not know.
    fn expansion(&self) -> Option<String> {
        let first = self.positional.first().map(String::as_str);
        match self.name.as_str() {
            "ref" | "relref" => {
                let path = self.get("path").or(first)?;
                Some(content_link(&in_language(path, self.get("lang"))))
            }
            "figure" => self.get("src").map(|src| self.figure(src)),
            "youtube" => {
                let id = self.get("id").or(first)?;
                let ok = id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                ok.then(|| {
                    let src = format!("https://www.youtube-nocookie.com/embed/{id}");
                    player(&src, self.get("title").unwrap_or("YouTube"))
                })
            }
            "vimeo" => {
                let id = self.get("id").or(first)?;
                id.chars().all(|c| c.is_ascii_digit()).then(|| {
                    let src = format!("https://player.vimeo.com/video/{id}");
                    player(&src, self.get("title").unwrap_or("Vimeo"))
                })
            }
            "details" => Some(self.details()),
            "/details" => Some(format!("{}</details>-->", super::MARKDOWN_TAG)),
            _ => None,
        }
    }

    /// Hugo's `details`: its content stays Markdown, as the tag is carried
    /// in a comment (see [`super::MARKDOWN_TAG`]) to the renderer.
    fn details(&self) -> String {
        // hugo-book's own: `{{% details "Title" open %}}` or `title=`.
        let positional = |at: usize| self.positional.get(at).map(String::as_str);
        let written = self.get("summary").or(self.get("title")).or(positional(0));
        let (summary, _) = inline_markdown(written.unwrap_or("Details"));
        let open = match (self.get("open"), positional(1)) {
            (Some("true"), _) | (None, Some("open")) => " open",
            _ => "",
        };
        let class = self
            .get("class")
            .map_or(String::new(), |c| format!(" class=\"{}\"", escape_html(c)));
        format!(
            "{}<details{class}{open}><summary>{summary}</summary>-->",
            super::MARKDOWN_TAG
        )
    }

    /// Hugo's figure: the image (in its link), its title and caption below.
    fn figure(&self, src: &str) -> String {
        let caption = self.get("caption").map(inline_markdown);
        // Hugo's own figure takes the caption's words when no alt is given.
        let alt = match (self.get("alt"), &caption) {
            (Some(alt), _) => alt.to_string(),
            (None, Some((_, words))) => words.clone(),
            (None, None) => String::new(),
        };
        let caption = caption.map(|(html, _)| html);
        // Marked so that the renderer checks the file and shows it as a
        // picture of resized copies, as it does a Markdown image.
        let mut img = format!(
            "<img {} src=\"{}\" alt=\"{}\"",
            super::FIGURE_IMAGE_MARK,
            escape_html(src),
            escape_html(&alt)
        );
        for size in ["width", "height"] {
            if let Some(value) = self
                .get(size)
                .filter(|v| v.chars().all(|c| c.is_ascii_digit()))
            {
                img.push_str(&format!(" {size}=\"{value}\""));
            }
        }
        img.push_str(" loading=\"lazy\" decoding=\"async\">");
        if let Some(link) = self.get("link") {
            let mut attributes = format!("href=\"{}\"", escape_html(link));
            for name in ["target", "rel"] {
                if let Some(value) = self.get(name) {
                    attributes.push_str(&format!(" {name}=\"{}\"", escape_html(value)));
                }
            }
            img = format!("<a {attributes}>{img}</a>");
        }
        let class = self
            .get("class")
            .map(|c| format!(" class=\"{}\"", escape_html(c)))
            .unwrap_or_default();
        let title = self
            .get("title")
            .map(|t| format!("<strong>{}</strong> ", escape_html(t)));
        // The photo's credit follows the caption, linked when Hugo's
        // `attrlink` is given.
        let credit = self.get("attr").map(|attr| match self.get("attrlink") {
            Some(link) => format!(
                " <a href=\"{}\">{}</a>",
                escape_html(link),
                escape_html(attr)
            ),
            None => format!(" {}", escape_html(attr)),
        });
        let figcaption = match (title, caption, credit) {
            (None, None, None) => String::new(),
            (title, caption, credit) => format!(
                "<figcaption>{}{}{}</figcaption>",
                title.unwrap_or_default(),
                caption.unwrap_or_default(),
                credit.unwrap_or_default()
            ),
        };
        format!("<figure{class}>{img}{figcaption}</figure>")
    }
}

/// A quoted (`"…"`, `'…'`, `` `…` ``) or bare word, and the text after it.
fn word(text: &str) -> Option<(String, &str)> {
    let quote = text.chars().next()?;
    if quote == '"' {
        // Hugo's quoted values take `\"` and `\\` escapes.
        let mut value = String::new();
        let mut chars = text.char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => value.extend(chars.next().map(|(_, escaped)| escaped)),
                '"' => return Some((value, &text[i + 1..])),
                c => value.push(c),
            }
        }
        return None;
    }
    if matches!(quote, '\'' | '`') {
        let end = text[1..].find(quote)? + 1;
        return Some((text[1..end].to_string(), &text[end + 1..]));
    }
    let end = text
        .find(|c: char| c.is_whitespace() || c == ',' || c == '=')
        .unwrap_or(text.len());
    (end > 0).then(|| (text[..end].to_string(), &text[end..]))
}

/// A `ref` path as a link dunav resolves: from the content folder when it
/// starts with `/` (Zola's `@/`), else from the page's own folder (`@./`),
/// in a Markdown link or an HTML attribute alike.
/// Hugo's `lang="en"`: the page's translation, `x.en.md` for `x.md`.
fn in_language(path: &str, lang: Option<&str>) -> String {
    let Some(lang) =
        lang.filter(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
    else {
        return path.to_string();
    };
    let (file, fragment) = path
        .split_once('#')
        .map_or((path, ""), |(f, _)| (f, &path[f.len()..]));
    match file.strip_suffix(".md") {
        Some(stem) => format!("{stem}.{lang}.md{fragment}"),
        None => path.to_string(),
    }
}

fn content_link(path: &str) -> String {
    match path.strip_prefix('/') {
        Some(from_content) => format!("@/{from_content}"),
        None => format!("@./{path}"),
    }
}

fn player(src: &str, title: &str) -> String {
    format!(
        "<iframe class=\"video-embed\" src=\"{src}\" title=\"{}\" loading=\"lazy\" \
         allow=\"autoplay; encrypted-media; picture-in-picture; fullscreen\" allowfullscreen \
         style=\"width: 100%; aspect-ratio: 16 / 9; height: auto; border: 0\"></iframe>",
        escape_html(title)
    )
}

/// A caption's Markdown as inline HTML (Hugo renders it with `markdownify`),
/// and its words.
fn inline_markdown(text: &str) -> (String, String) {
    let events: Vec<_> = pulldown_cmark::Parser::new(text).collect();
    let words = super::plain_text(&events);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let html = html.trim_end();
    let html = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html);
    // One line: a caption read as a list or quote must not add lines.
    (html.replace('\n', " "), words)
}

#[cfg(test)]
mod tests;
