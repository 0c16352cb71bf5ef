//! The files of a new site. Invented items say they are examples.

use jiff::Zoned;

use crate::cli::init::Answers;

use dunav::config::PLACEHOLDER;

fn site_toml(a: &Answers) -> String {
    let base = &a.base_url;
    format!(
        r#"# The site's settings; README.md explains every one.
base_url = "{base}"
default_language = "bg"
timezone = "Europe/Sofia"
theme = "dunav"
paginate = 10
menu = ["news", "events", "projects", "newsletter", "about"]

[languages.bg]
name = "Български"
title = "{title}"
description = "Новини, събития и проекти."
# short_name = "…"               # a badge in the header and the name mail uses
# footer = "…"                   # the footer's line (default: the title)

[languages.en]
name = "English"
title = "{title_en}"
description = "News, events and projects."

[sectors.ict]
bg = "ИКТ"
en = "ICT"

[newsletter]
# Where the signup box posts: `dunav subscriptions serve` behind your web server.
endpoint = "{base}/subscriptions/subscribe"
# Replace every change-me.invalid below before you send mail (`dunav check` reminds you).
from = "{from_name} <newsletter@{PLACEHOLDER}>"
reply_to = "info@{PLACEHOLDER}"
list_id = "newsletter.{PLACEHOLDER}"
unsubscribe_mailto = "unsubscribe@{PLACEHOLDER}"
privacy_page = "privacy"
database = "data/dunav.sqlite"

[newsletter.smtp]
# No password here: set DUNAV_SMTP_URL=smtps://user:password@host instead.
url = "smtp://127.0.0.1:25"

[subscriptions]
public_url = "{base}/subscriptions"
consent_version = "1"
"#,
        title = quoted_inside(&a.title),
        title_en = quoted_inside(&a.title_en),
        // A mailbox's name with quotes of its own would need quoting again.
        from_name = quoted_inside(&a.title.replace('"', "'")),
    )
}

/// Text for inside a double-quoted string, which TOML and YAML escape alike.
fn quoted_inside(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn page(front_matter: &str, body: &str) -> String {
    format!("---\n{}\n---\n\n{}\n", front_matter.trim(), body.trim())
}

/// Every file of a new site, by path, dated around `today`.
pub fn files(a: &Answers, today: &Zoned) -> Vec<(String, String)> {
    let day = |days: i64| {
        today
            .date()
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(today.date())
            .to_string()
    };
    let (now, week) = (day(0), day(7));
    let title = quoted_inside(&a.title);
    let title_en = quoted_inside(&a.title_en);
    let mut files = vec![
        ("site.toml".to_string(), site_toml(a)),
        (
            ".gitignore".to_string(),
            // The build's private folder and the previous output being removed, too.
            "/public\n/data\n/.dunav-cache\n.*.dunav-tmp-*\n.*.dunav-old-*\n".to_string(),
        ),
        ("static/.gitkeep".to_string(), String::new()),
        (
            "content/_index.md".to_string(),
            page(
                &format!("title: \"{title}\""),
                "Добре дошли! Тук ще намерите новините, събитията и проектите ни.",
            ),
        ),
        (
            "content/_index.en.md".to_string(),
            page(
                &format!("title: \"{title_en}\""),
                "Welcome! Here you find our news, events and projects.",
            ),
        ),
        (
            "content/about.md".to_string(),
            page(
                "title: За нас",
                "Кои сме, какво правим и как да се свържете с нас.",
            ),
        ),
        (
            "content/about.en.md".to_string(),
            page(
                "title: About",
                "Who we are, what we do and how to reach us.",
            ),
        ),
        (
            "content/privacy.md".to_string(),
            page(
                "title: Политика за поверителност",
                "За бюлетина пазим имейл адреса, езика и избраните теми, и кога и откъде сте се абонирали. Използваме ги само за бюлетина. Можете да се отпишете от всяко писмо; при поискване изтриваме данните.",
            ),
        ),
        (
            "content/privacy.en.md".to_string(),
            page(
                "title: Privacy policy",
                "For the newsletter we keep your email address, language and chosen topics, and when and where you signed up. We use them for the newsletter alone. You can unsubscribe from any issue; on request we delete the data.",
            ),
        ),
    ];
    for (folder, bg, en) in [
        ("news", "Новини", "News"),
        ("events", "Събития", "Events"),
        ("projects", "Проекти", "Projects"),
        ("newsletter", "Бюлетин", "Newsletter"),
    ] {
        files.push((
            format!("content/{folder}/_index.md"),
            page(&format!("title: {bg}"), ""),
        ));
        files.push((
            format!("content/{folder}/_index.en.md"),
            page(&format!("title: {en}"), ""),
        ));
    }
    files.extend([
        ("content/news/primer.md".to_string(), page(&format!("title: \"Пример: първата новина\"\ndate: {now}\ntags: [пример]\nsectors: [ict]"), "Това е примерна новина. Първият абзац е резюмето в списъците.\n\n<!-- more -->\n\nОстаналото е само на страницата на новината. Изтрийте този файл, когато напишете своите.")),
        ("content/news/primer.en.md".to_string(), page(&format!("title: \"Example: the first news item\"\ndate: {now}\ntags: [example]\nsectors: [ict]"), "This is an example news item. Its first paragraph is the summary in listings.\n\n<!-- more -->\n\nThe rest shows on its own page only. Delete this file once you have written your own.")),
        ("content/events/primer.md".to_string(), page(&format!("title: \"Пример: среща\"\nstart: {week}T10:00:00\nend: {week}T12:00:00\nlocation:\n  name: \"Зала 1\"\nsectors: [ict]"), "Примерно събитие след седмица. Календарният файл (.ics) се прави сам.")),
        ("content/events/primer.en.md".to_string(), page(&format!("title: \"Example: a meeting\"\nstart: {week}T10:00:00\nend: {week}T12:00:00\nlocation:\n  name: \"Room 1\"\nsectors: [ict]"), "An example event a week from now. Its calendar file (.ics) is made for you.")),
        ("content/projects/primer.md".to_string(), page(&format!("title: \"Пример: проект\"\ndate: {now}\nstatus: active\nstart: {now}\npartners: [\"Партньор\"]\nsectors: [ict]"), "Примерен проект: цели, партньори, резултати.")),
        ("content/projects/primer.en.md".to_string(), page(&format!("title: \"Example: a project\"\ndate: {now}\nstatus: active\nstart: {now}\npartners: [\"Partner\"]\nsectors: [ict]"), "An example project: aims, partners, results.")),
        ("content/newsletter/primer.md".to_string(), page(&format!("title: \"Пример: бюлетин\"\ndate: {now}T09:00:00\ndraft: true"), "Здравейте! Това е примерен брой: `dunav newsletter preview primer` го показва, а `dunav serve` го показва на /__dunav/newsletter/primer.")),
        ("content/newsletter/primer.en.md".to_string(), page(&format!("title: \"Example: a newsletter issue\"\ndate: {now}T09:00:00\ndraft: true"), "Hello! This is an example issue: `dunav newsletter preview primer` shows it.")),
    ]);
    files
}
