//! Markup of GitHub-flavoured pieces pulldown-cmark leaves bare: an
//! alert's word, a task box's name, and the ids a page's own HTML takes.

use pulldown_cmark::Event;

/// The ids a body's own HTML writes (`<div id="intro">`).
pub(super) fn raw_ids(markdown: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = markdown;
    while let Some(at) = rest.find(" id=") {
        rest = &rest[at + 4..];
        let Some(quote) = rest.chars().next().filter(|q| matches!(q, '"' | '\'')) else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            ids.push(rest[1..1 + end].to_string());
        }
    }
    ids
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
