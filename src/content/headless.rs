//! Pages without front matter, or without a `title` in it, as MkDocs,
//! Docusaurus and Hugo sites bring them: a section's `_index.md` may be text
//! alone, and a page whose text starts with a `# Heading` takes it as its
//! title (as MkDocs and Docusaurus read it), the heading leaving the text,
//! where the theme shows the title instead.

use std::borrow::Cow;

use crate::config::HeadingIds;
use crate::content::frontmatter::{self, FrontMatter, SplitFile};
use crate::diagnostics::Diagnostic;

/// The file's front matter and text; a file that does not start like front
/// matter is text alone (an Obsidian note, an mdBook chapter), titled by its
/// first `# Heading` or else by its file's name.
pub fn split(text: &str) -> Result<SplitFile<'_>, String> {
    match frontmatter::split(text) {
        Ok(split) => Ok(split),
        Err(_) if !starts_like_front_matter(text) => Ok(SplitFile::body_only(text)),
        Err(m) => Err(m),
    }
}

/// The page's text, without its first `# Heading` when that is the title
/// the front matter does not give (its error then left out).
pub fn title_from_heading<'t>(
    meta: &mut FrontMatter,
    problems: &mut Vec<Diagnostic>,
    split: &SplitFile<'t>,
    ids: HeadingIds,
) -> Cow<'t, str> {
    let body = split.body;
    if meta.lines.contains_key("title") {
        return body.into();
    }
    let (title, rest) = without_title_heading(split, ids);
    if let Some(title) = title {
        meta.title = title;
        problems.retain(|p| p.field.as_deref() != Some("title"));
    }
    rest
}

/// A page without a `title` or a heading to give it one is titled from its
/// file name, as Jekyll and Quartz title it: in a Jekyll folder (`_posts/`,
/// `_drafts/`, a collection such as `_docs/`) each word capitalised, as
/// Jekyll does (`2024-01-05-rendering-process.md` is "Rendering Process");
/// elsewhere only the first (`нова-година.md` is "Нова година", `My first
/// note.md` "My first note"), with a warning: an editor may have forgotten
/// it. News, events, projects and issues still need theirs (an error).
pub fn title_from_file_name(
    rel: &std::path::Path,
    (stem, kind): (&str, crate::content::page::PageKind),
    meta: &mut FrontMatter,
    problems: &mut Vec<Diagnostic>,
) {
    if meta.lines.contains_key("title")
        || !meta.title.is_empty()
        || kind != crate::content::page::PageKind::Page
    {
        return;
    }
    let jekyll = crate::content::paths::in_jekyll_folder(&rel.to_string_lossy());
    let words: Vec<String> = crate::content::paths::strip_date_prefix(stem)
        .split(['-', '_'])
        .filter(|word| !word.is_empty())
        .enumerate()
        .map(|(i, word)| match jekyll || i == 0 {
            true => capitalised(word),
            false => word.to_string(),
        })
        .collect();
    if words.is_empty() {
        return;
    }
    meta.title = words.join(" ");
    problems.retain(|p| p.field.as_deref() != Some("title"));
    if !jekyll {
        problems.push(
            Diagnostic::warning(
                rel,
                format!(
                    "not given; the page is titled \"{}\" from its file's name",
                    meta.title
                ),
            )
            .at_field("title")
            .at_line(1)
            .with_help("add `title:` to its front matter, or start its text with a `# Heading`"),
        );
    }
}

/// A news item, event, project or issue that is text alone, without a
/// heading to title it: the missing front matter is what to say, not the
/// missing `title`.
pub fn untitled_without_front_matter(
    rel: &std::path::Path,
    (text, split): (&str, &SplitFile<'_>),
    meta: &FrontMatter,
    problems: &mut Vec<Diagnostic>,
) {
    if split.has_front_matter() || !meta.title.is_empty() {
        return;
    }
    if let Err(message) = frontmatter::split(text) {
        problems.retain(|p| p.field.as_deref() != Some("title"));
        problems.push(Diagnostic::error(rel, message).at_line(1));
    }
}

fn capitalised(word: &str) -> String {
    let mut letters = word.chars();
    letters
        .next()
        .map(|first| first.to_uppercase().chain(letters).collect())
        .unwrap_or_default()
}

/// A page's text without a first `# Heading`, and the heading's words; a
/// file without front matter (an mdBook chapter) may start with a heading
/// of any level, one with front matter only with `#` (a `## Part` of a
/// Docusaurus page titled by its file is a part, which keeps its anchor).
/// The heading's id stays, on an empty anchor in its place: other pages
/// link to `chapter.md#installation`, as mdBook and MkDocs keep it.
pub fn without_title_heading<'t>(
    split: &SplitFile<'t>,
    ids: HeadingIds,
) -> (Option<String>, Cow<'t, str>) {
    let body = split.body;
    let Some(heading) = first_heading(body, !split.has_front_matter()) else {
        return (None, body.into());
    };
    let id = heading.id.unwrap_or_else(|| ids.slug(&heading.title));
    // The heading's lines stay, empty, so that line numbers hold; the
    // anchor is carried in a comment (a tag alone would start an HTML block
    // that takes the lines after it).
    let anchor = format!("{}<a id=\"{id}\"></a>-->", crate::markdown::MARKDOWN_TAG);
    let mut rest = String::with_capacity(body.len() + anchor.len());
    for (i, text) in body.split_inclusive('\n').enumerate() {
        if heading.lines.contains(&i) {
            if i == heading.lines.start && !id.is_empty() {
                rest.push_str(&anchor);
            }
            rest.push_str(&text[text.trim_end_matches(['\n', '\r']).len()..]);
        } else {
            rest.push_str(text);
        }
    }
    (Some(heading.title), rest.into())
}

/// A title heading: its words, its own id (`{#id}`) if it gives one, and
/// the indexes of its lines.
struct TitleHeading {
    title: String,
    id: Option<String>,
    lines: std::ops::Range<usize>,
}

/// The first line with words, when it is a heading (`# Heading`, `##
/// Heading` as an mdBook chapter's section starts, or underlined with
/// `===`): its words as plain text (without `{#id}`, closing `#`s and
/// Markdown's marks) and the indexes of its lines. HTML comments and empty
/// anchors (`<a id="old"></a>`, kept for old links) before it say nothing.
fn first_heading(body: &str, any_level: bool) -> Option<TitleHeading> {
    let mut lines = body.lines().enumerate().peekable();
    let mut in_comment = false;
    while let Some((_, line)) = lines.peek() {
        let line = line.trim();
        if in_comment || line.starts_with("<!--") {
            in_comment = !line.contains("-->");
            if !in_comment && !line.ends_with("-->") {
                break;
            }
        } else if !line.is_empty() && !is_empty_anchor(line) {
            break;
        }
        lines.next();
    }
    let (index, line) = lines.next()?;
    let underlined = lines.next().is_some_and(|(_, next)| {
        next.trim().starts_with('=') && next.trim().chars().all(|c| c == '=')
    });
    let level = line.len() - line.trim_start_matches('#').len();
    let (words, count) = match Some(&line[level..])
        .filter(|w| (level == 1 || any_level && level <= 6) && w.starts_with([' ', '\t']))
    {
        Some(words) => (words.trim_end().trim_end_matches('#'), 1),
        None if underlined && is_paragraph_line(line) => (line, 2),
        None => return None,
    };
    let (words, id) = match words.rfind(" {") {
        Some(at) if words.trim_end().ends_with('}') => (&words[..at], written_id(&words[at..])),
        _ => (words, None),
    };
    let title = plain_text(words.trim());
    (!title.is_empty()).then_some(TitleHeading {
        title,
        id,
        lines: index..index + count,
    })
}

/// The id an attribute list gives (`{#start .wide}`), when it is a plain one.
fn written_id(attributes: &str) -> Option<String> {
    let inner = attributes.trim().strip_prefix('{')?.strip_suffix('}')?;
    let id = inner.split_whitespace().find_map(|a| a.strip_prefix('#'))?;
    let plain = id
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    (plain && !id.is_empty()).then(|| id.to_string())
}

/// `<a id="installing"></a>`: an anchor with nothing in it.
fn is_empty_anchor(line: &str) -> bool {
    (line.strip_prefix("<a "))
        .and_then(|rest| rest.strip_suffix("></a>"))
        .is_some_and(|attributes| !attributes.contains(['<', '>']))
}

/// A line that may be a paragraph's, and so underlined a heading: not
/// indented code, a list item, a quote, a fence or a tag.
fn is_paragraph_line(line: &str) -> bool {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let numbered = digits > 0 && line[digits..].starts_with(['.', ')']);
    let marked = ["- ", "* ", "+ ", ">", "```", "~~~", "<", "|"]
        .iter()
        .any(|mark| line.starts_with(mark));
    !line.starts_with("    ") && !line.starts_with('\t') && !numbered && !marked
}

/// A heading's words without Markdown's marks: `**Нов** [сайт](x.md)` is
/// `Нов сайт`, as a `<title>` shows it.
fn plain_text(words: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let heading = format!("# {words}");
    let mut text = String::new();
    for event in Parser::new(&heading) {
        if let Event::Text(words) | Event::Code(words) = event {
            text.push_str(&words);
        }
    }
    text.trim().to_string()
}

fn starts_like_front_matter(text: &str) -> bool {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_end();
    // `---`, or gray-matter's `---yaml`; never a rule of dashes, unless a
    // field follows it (`----` typed for `---`: its error says so).
    let fence_with_language = first
        .strip_prefix("---")
        .is_some_and(|language| language.chars().all(|c| c.is_ascii_alphabetic()));
    let dashes_then_field = first.len() >= 3
        && first.chars().all(|c| c == '-')
        && text
            .lines()
            .skip_while(|l| l.trim().is_empty())
            .nth(1)
            .is_some_and(|next| {
                next.split_once(':').is_some_and(|(key, _)| {
                    !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_')
                })
            });
    fence_with_language || dashes_then_field || first == "+++" || first.starts_with('{')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The heading's words and lines.
    fn first_heading(body: &str, any_level: bool) -> Option<(String, std::ops::Range<usize>)> {
        super::first_heading(body, any_level).map(|h| (h.title, h.lines))
    }

    #[test]
    fn dashes_with_a_field_after_them_are_mistyped_front_matter() {
        assert!(split("----\ntitle: Typo\n----\nText.\n").is_err());
        assert!(split("-----\n\nA rule, then text.\n").is_ok());
        assert!(split("Just a note.\n").is_ok());
    }

    #[test]
    fn the_title_headings_id_stays_on_an_anchor_in_its_place() {
        let split = SplitFile::body_only("# Installation\nText.\n");
        let (title, rest) = without_title_heading(&split, HeadingIds::Transliterated);
        assert_eq!(title.as_deref(), Some("Installation"));
        assert_eq!(
            rest,
            "<!--dunav-markdown <a id=\"installation\"></a>-->\nText.\n"
        );
        let split = SplitFile::body_only("# Начало {#start .wide}\n\nText.\n");
        let (_, rest) = without_title_heading(&split, HeadingIds::Github);
        assert!(
            rest.starts_with("<!--dunav-markdown <a id=\"start\"></a>-->\n\n"),
            "{rest}"
        );
    }

    #[test]
    fn the_first_line_with_words_is_the_heading_or_nothing() {
        assert_eq!(
            first_heading("\n# Начало на `dunav` {#start}\n\nТекст.\n", true),
            Some(("Начало на dunav".to_string(), 1..2))
        );
        assert_eq!(
            first_heading("# **Нов** [сайт](x.md) и `код` #\n", true)
                .map(|t| t.0)
                .as_deref(),
            Some("Нов сайт и код")
        );
        assert_eq!(
            first_heading("Подчертано *заглавие*\n=====\n\nТекст.\n", true),
            Some(("Подчертано заглавие".to_string(), 0..2))
        );
        assert_eq!(first_heading("Текст\n---\n", true), None);
        assert_eq!(first_heading("- точка\n===\n", true), None);
        assert_eq!(
            first_heading("# Заглавие #\n", true)
                .map(|t| t.0)
                .as_deref(),
            Some("Заглавие")
        );
        assert_eq!(first_heading("Текст.\n\n# Късно\n", true), None);
        assert_eq!(
            first_heading("## Второ ниво\n", true)
                .map(|t| t.0)
                .as_deref(),
            Some("Второ ниво")
        );
        assert_eq!(first_heading("####### Седмо\n", true), None);
        assert_eq!(first_heading("## Част\n", false), None);
        assert_eq!(
            first_heading(
                "<!-- Стари заглавия.\n-->\n<a id=\"old\"></a>\n\n## Инсталиране\n",
                true
            ),
            Some(("Инсталиране".to_string(), 4..5))
        );
        assert_eq!(
            first_heading("<!-- бележка --> Текст\n# Късно\n", true),
            None
        );
        assert_eq!(
            first_heading("<a id=\"x\">Връзка</a>\n# Късно\n", true),
            None
        );
        assert_eq!(first_heading("#хаштаг\n", true), None);
    }
}
