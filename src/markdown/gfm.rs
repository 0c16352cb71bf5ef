//! Markup of GitHub-flavoured pieces pulldown-cmark leaves bare: an
//! alert's word, a task box's name, and the ids HTML writes literally.

use pulldown_cmark::Event;

/// The ids HTML writes literally (`<div id="intro">`, `id='x'`): a theme's
/// templates or a body's own HTML. Ids made from data (`id="{{ … }}"`) are
/// left out: they are the template's business.
pub fn written_ids(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices(" id=").filter_map(move |(at, _)| {
        let rest = &html[at + 4..];
        let quote = rest.chars().next().filter(|q| matches!(q, '"' | '\''))?;
        let id = &rest[1..1 + rest[1..].find(quote)?];
        (!id.is_empty() && !id.contains(['{', '}', ' '])).then_some(id)
    })
}

pub(super) fn alert_title(kind: pulldown_cmark::BlockQuoteKind, lang: &str) -> &'static str {
    use pulldown_cmark::BlockQuoteKind::*;
    match (lang, kind) {
        ("bg", Note) => "Бележка",
        ("bg", Tip) => "Съвет",
        ("bg", Important) => "Важно",
        ("bg", Warning) => "Внимание",
        ("bg", Caution) => "Предупреждение",
        (_, Note) => "Note",
        (_, Tip) => "Tip",
        (_, Important) => "Important",
        (_, Warning) => "Warning",
        (_, Caution) => "Caution",
    }
}

/// A task list's box, named for what it shows: a box without a name is a
/// form field no reader can tell apart (axe: label).
pub(super) fn task_marker<'a>(done: bool, lang: &str) -> Event<'a> {
    let name = match (lang, done) {
        ("bg", true) => "изпълнено",
        ("bg", false) => "предстои",
        (_, true) => "done",
        (_, false) => "to do",
    };
    let checked = if done { " checked" } else { "" };
    Event::InlineHtml(
        format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{name}\"> ").into(),
    )
}
