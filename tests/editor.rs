//! An editor's day, run as the editor runs it: `init`, `new`, `check`,
//! `serve`, `build` and the newsletter commands of the real binary, each
//! step's output read back.

mod support;

use std::process::{Output, Stdio};
use std::time::Duration;

use support::http::get;
use support::server::{Server, events_after_hello, wait_event};
use support::smtp::SmtpServer;
use support::{SITE_TOML, TestSite, md, plain_png};

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn serve(site: &TestSite) -> Server {
    let mut command = site.command(&["serve", "--port", "0"], &[]);
    command.stderr(Stdio::null());
    Server::start(command)
}

#[test]
fn init_writes_a_site_of_its_own_that_builds_and_checks_clean() {
    let parent = TestSite::new(&[]);
    let out = parent.run(&[
        "init",
        "mysite",
        "--base-url",
        "https://mysite.example",
        "--title",
        "Читалище Светлина",
        "--title-en",
        "Svetlina Community Centre",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = TestSite {
        dir: tempfile::TempDir::new_in(parent.root()).unwrap(),
    };
    std::fs::remove_dir(site.root()).unwrap();
    std::fs::rename(parent.root().join("mysite"), site.root()).unwrap();
    for page in ["about", "privacy"] {
        for suffix in ["md", "en.md"] {
            let file = site.root().join(format!("content/{page}.{suffix}"));
            assert!(file.is_file(), "{} written", file.display());
        }
    }

    let check = site.run(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    let warnings = stderr(&check);
    assert!(
        warnings.contains("`newsletter.from`: still the placeholder from `dunav init`"),
        "the placeholders are flagged until filled in: {warnings}"
    );
    assert!(
        !warnings.contains("error"),
        "template links all lead somewhere: {warnings}"
    );

    site.build(&[]);
    for page in ["index.html", "en/index.html", "en/about/index.html"] {
        let html = site.read(page);
        for hub in ["ДИ ДИХ", "DI DIH", "Дунавски", "Danube", "Русе"] {
            assert!(!html.contains(hub), "{page} carries {hub}");
        }
    }
    assert!(site.read("index.html").contains("Читалище Светлина"));
    let ignored = site.read_source(".gitignore");
    for pattern in [
        "/public",
        "/.dunav-cache",
        ".*.dunav-tmp-*",
        ".*.dunav-old-*",
    ] {
        assert!(
            ignored.lines().any(|l| l == pattern),
            "git ignores {pattern}: the output, the cache, the build's folders beside them"
        );
    }
    let english = site.read("en/index.html");
    assert!(english.contains("Svetlina Community Centre"));
    assert!(
        english.contains("href=\"/en/privacy/\""),
        "the consent links to the English privacy page"
    );

    let send = site.run_env(
        &["newsletter", "send", "primer", "--to", "me@example.org"],
        &[("DUNAV_SECRET", "test-secret-0123456789abcdef")],
    );
    assert!(!send.status.success());
    assert!(
        stderr(&send).contains("change-me.invalid"),
        "mail refuses the placeholder: {}",
        stderr(&send)
    );
    // Every key still to fill in, each by its own name, at once.
    for key in ["newsletter.from", "newsletter.list_id"] {
        assert!(stderr(&send).contains(key), "{key}: {}", stderr(&send));
    }
    assert!(!stderr(&send).contains("[newsletter] base_url"));
}

#[test]
fn init_without_an_address_leaves_a_placeholder_that_check_flags() {
    let parent = TestSite::new(&[]);
    let out = parent.run(&["init", "plain"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("edit site.toml: base_url"),
        "{}",
        stdout(&out)
    );
    let check = parent
        .command(&["check"], &[])
        .current_dir(parent.root().join("plain"))
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("site.toml:2: `base_url`: still the placeholder from `dunav init`"),
        "{}",
        stderr(&check)
    );
}

/// `init` refuses what `build` would (an address with a path, an empty
/// title) and writes a title's quotes as written.
#[test]
fn init_refuses_what_build_would_and_keeps_quotes() {
    let parent = TestSite::new(&[]);
    let out = parent.run(&["init", "a", "--base-url", "https://example.org/path/"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("has a path"), "{}", stderr(&out));
    let out = parent.run(&["init", "b", "--title", " "]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("title may not be empty"),
        "{}",
        stderr(&out)
    );
    let out = parent.run(&[
        "init",
        "c",
        "--base-url",
        "https://example.org",
        "--title",
        "Сайт \"Русе\"",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let build = parent
        .command(&["build"], &[])
        .current_dir(parent.root().join("c"))
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", stderr(&build));
    let home = std::fs::read_to_string(parent.root().join("c/public/index.html")).unwrap();
    assert!(home.contains("<title>Сайт &quot;Русе&quot;"), "{home}");
}

#[test]
fn check_follows_the_links_templates_write() {
    let site = TestSite::new(&[
        ("content/_index.md", &md("title: Начало", "Здравейте.")),
        ("content/_index.en.md", &md("title: Home", "Hello.")),
        (
            "content/about.md",
            &md("title: За нас", "Текст.\n\n<a href=\"/nikade/\">никъде</a>"),
        ),
    ]);
    let base = site.root().join("themes/dunav/templates/base.html");
    let html = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        &base,
        html.replacen(
            "</footer>",
            "<a href=\"/kontakti/\">Контакти</a></footer>",
            1,
        ),
    )
    .unwrap();
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(
            "public/404.html: links to /kontakti/, which the site does not have (on 404.html and"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/about.md:7: links to /nikade/, which the site does not have"),
        "a link in a page's raw HTML is the page's: {err}"
    );
    assert!(!site.public().exists());
}

#[test]
fn a_translation_starts_from_the_original_and_links_to_it() {
    let site = TestSite::new(&[(
        "content/news/priem.md",
        &md(
            "title: \"Прием на проекти\"\ndate: 2026-11-20\ntags: [покана]\nsectors: [ict]",
            "Първи абзац.",
        ),
    )]);
    let out = site.run(&[
        "new",
        "--translate",
        "content/news/priem.md",
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "content/news/priem.en.md");
    let draft = site.read_source("content/news/priem.en.md");
    assert!(
        draft.contains("title: \"Прием на проекти\"   # TRANSLATE"),
        "{draft}"
    );
    assert!(draft.contains("sectors: [ict]"), "{draft}");
    assert!(
        draft.contains("Първи абзац."),
        "the text to translate: {draft}"
    );

    site.write(
        "content/news/priem.en.md",
        &draft
            .replace("\"Прием на проекти\"", "\"Call for projects\"")
            .replace("draft: true\n", ""),
    );
    site.build(&[]);
    assert!(
        site.read("news/priem/index.html")
            .contains("hreflang=\"en\" href=\"https://example.org/en/news/priem/\""),
    );
    assert!(
        site.read("en/news/priem/index.html")
            .contains("Call for projects")
    );

    let again = site.run(&[
        "new",
        "--translate",
        "content/news/priem.md",
        "--lang",
        "en",
    ]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("content/news/priem.en.md exists already"));

    // A page written in English first gets its Bulgarian as the plain `.md`.
    site.write(
        "content/news/visit.en.md",
        &md("title: A visit\ndate: 2026-11-21", "English first."),
    );
    let out = site.run(&[
        "new",
        "--translate",
        "content/news/visit.en.md",
        "--lang",
        "bg",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "content/news/visit.md");
    assert!(
        site.read_source("content/news/visit.md")
            .contains("English first.")
    );
    // A page from Zola or Hugo, with TOML front matter: `draft` goes
    // before its tables, and the draft builds (as a draft).
    site.write(
        "content/news/zola.md",
        "+++\ntitle = \"От Zola\"\ndate = 2026-11-22\ndraft = false\n\n[extra]\nnote = \"x\"\n+++\nТекст от Zola.\n",
    );
    let out = site.run(&["new", "--translate", "content/news/zola.md", "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let toml = site.read_source("content/news/zola.en.md");
    assert!(toml.starts_with("+++\n# Translated from zola.md"), "{toml}");
    assert!(
        toml.contains("draft = true\ntitle = \"От Zola\"   # TRANSLATE\n"),
        "{toml}"
    );
    assert!(
        !toml.contains("draft = false") && toml.contains("Текст от Zola."),
        "{toml}"
    );
    let drafts = site.run(&["build", "--drafts"]);
    assert!(drafts.status.success(), "{}", stderr(&drafts));
    assert!(site.read("en/news/zola/index.html").contains("От Zola"));
    // Into its own language, nothing to do.
    let same = site.run(&[
        "new",
        "--translate",
        "content/news/priem.md",
        "--lang",
        "bg",
    ]);
    assert!(!same.status.success());
    assert!(
        stderr(&same).contains("is in `bg` already"),
        "{}",
        stderr(&same)
    );
}

#[test]
fn check_looks_at_drafts_and_scheduled_pages_and_says_which() {
    let site = TestSite::new(&[
        ("content/news/_index.md", &md("title: Новини", "")),
        (
            "content/news/chernova.md",
            &md(
                "title: Чернова\ndate: 2026-11-20\ndraft: true",
                "[Връзка](/news/nyama.md)",
            ),
        ),
        (
            "content/news/utre.md",
            &md("title: Утре\ndate: 2026-12-20", "Скоро."),
        ),
    ]);
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/news/chernova.md:7: (draft) broken link"),
        "{err}"
    );
    let out = site.run(&["check", "--published-only"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let out = site.build(&[]);
    assert!(
        stdout(&out).contains("left out 1 draft and 1 page dated in the future"),
        "{}",
        stdout(&out)
    );
}

/// A draft's front matter problems (a snippet under Hugo's
/// `build: {render: never}`, a bad tag) fail `check` and a build with
/// `--drafts`, marked as a draft's; a build that leaves drafts out warns.
#[test]
fn a_drafts_front_matter_problems_fail_only_what_shows_drafts() {
    let site = TestSite::new(&[
        (
            "content/shared/_index.md",
            "---\ncascade:\n  build:\n    render: never\n---\n",
        ),
        (
            "content/shared/snippet.md",
            "---\nweight: heavy\n---\n\nЧаст.\n",
        ),
        (
            "content/news/chernova.md",
            &md(
                "title: Чернова\ndate: 2026-11-20\ndraft: true\ntags: [\"★\"]",
                "Текст.",
            ),
        ),
        (
            "content/news/gotova.md",
            &md("title: Готова\ndate: 2026-11-20", "Текст."),
        ),
    ]);
    let out = site.build(&[]);
    let err = stderr(&out);
    assert!(
        err.contains(
            "warning: content/shared/snippet.md:2: (draft) `weight`: expected a whole number"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/news/chernova.md:5: (draft) `tags`"),
        "{err}"
    );
    assert!(site.exists("news/gotova/index.html"));
    assert!(!site.exists("news/chernova/index.html"));
    for args in [&["check"][..], &["build", "--drafts"]] {
        let out = site.run(args);
        assert!(!out.status.success(), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("error: content/shared/snippet.md:2: (draft) `weight`"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn menu_entries_must_name_a_page_and_a_failed_build_says_nothing_was_written() {
    let toml = SITE_TOML.replace(
        "paginate = 2\n",
        "paginate = 2\nmenu = [\"news\", \"kontakti\"]\n",
    );
    let site = TestSite::new(&[
        ("site.toml", &toml),
        ("content/news/_index.md", &md("title: Новини", "")),
    ]);
    let err = site.build_fails(&[]);
    assert!(
        err.contains("site.toml:5: `menu`: \"kontakti\" names no section or page"),
        "{err}"
    );
    assert!(
        err.contains("write content/kontakti/_index.md or content/kontakti.md"),
        "{err}"
    );
    assert!(err.trim_end().ends_with("nothing was written"), "{err}");
    assert!(!site.public().exists());

    // A file's name as written in content/ names its page or section too.
    site.write(
        "site.toml",
        &SITE_TOML.replace(
            "paginate = 2\n",
            "paginate = 2\nmenu = [\"news/_index.md\", \"kontakti.md\"]\n",
        ),
    );
    // Named by a file that is not there, the help names the file to write.
    let err = site.build_fails(&[]);
    assert!(err.contains("or content/kontakti.md,"), "{err}");
    assert!(!err.contains(".md.md"), "{err}");
    site.write("content/kontakti.md", &md("title: Контакти", "Телефон."));
    site.build(&[]);
    let home = site.read("index.html");
    assert!(
        home.contains(r#"<a href="/news/""#) && home.contains(r#"<a href="/kontakti/""#),
        "{home}"
    );
}

#[test]
fn a_second_page_with_the_same_title_gets_a_name_of_its_own() {
    let site = TestSite::new(&[]);
    let first = site.run(&["new", "events", "Семинар"]);
    let second = site.run(&["new", "events", "Семинар"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(stdout(&first).trim(), "content/events/seminar.md");
    assert_eq!(stdout(&second).trim(), "content/events/seminar-2.md");
    assert!(site.root().join("content/events/seminar-2.md").is_file());
}

#[test]
fn yaml_slips_get_a_plain_hint_and_one_run_reports_them_all() {
    let site = TestSite::new(&[
        (
            "content/news/dvoetochie.md",
            &md("title: Нова: статия\ndate: 2026-11-20", "x"),
        ),
        (
            "content/news/tab.md",
            "---\ntitle: Табулация\nlocation:\n\tname: Зала\n---\nx\n",
        ),
    ]);
    let err = site.build_fails(&[]);
    assert!(err.contains("content/news/dvoetochie.md:2"), "{err}");
    assert!(err.contains("must be quoted"), "{err}");
    assert!(err.contains("content/news/tab.md:4"), "{err}");
    assert!(err.contains("indent with spaces"), "{err}");
}

#[test]
fn serve_shows_the_errors_until_the_first_good_build_then_the_site() {
    let site = TestSite::new(&[
        ("content/_index.md", &md("title: Начало", "Здравейте.")),
        ("content/news/a.md", &md("title: Първа\ndate: nope", "x")),
    ]);
    let server = serve(&site);
    let page = get(&server.addr, "/");
    assert_eq!(page.status, 503);
    assert!(page.body.contains("/__dunav/live.js"), "{}", page.body);
    assert_eq!(get(&server.addr, "/news/a/").status, 503);
    let (hello, rx) = events_after_hello(&server.addr, "/__dunav/events");
    assert!(hello.contains("content/news/a.md"), "{hello}");

    site.write(
        "content/news/a.md",
        &md("title: Първа\ndate: 2026-11-20", "x"),
    );
    wait_event(&rx, "reload");
    let page = get(&server.addr, "/news/a/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Първа"));
}

#[test]
fn each_language_has_its_not_found_page_and_every_page_a_language_switch() {
    let site = TestSite::new(&[
        ("content/_index.md", &md("title: Начало", "Здравейте.")),
        ("content/_index.en.md", &md("title: Home", "Hello.")),
        ("content/news/_index.md", &md("title: Новини", "")),
        ("content/news/_index.en.md", &md("title: News", "")),
        (
            "content/news/samo.md",
            &md("title: Само на български\ndate: 2026-11-20", "x"),
        ),
    ]);
    site.build(&[]);
    let english = site.read("en/404.html");
    assert!(english.contains("<html lang=\"en\""), "{english}");
    assert!(english.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!english.contains("rel=\"canonical\""), "{english}");
    assert!(
        !english.contains("title=\"This page is not translated"),
        "{english}"
    );
    assert!(english.contains("href=\"/en/\""), "a way back: {english}");
    assert!(site.read("404.html").contains("<html lang=\"bg\""));

    let only_bg = site.read("news/samo/index.html");
    assert!(
        only_bg.contains("href=\"/en/news/\" hreflang=\"en\""),
        "no translation: the switch leads to the English section: {only_bg}"
    );

    let server = serve(&site);
    let missing = get(&server.addr, "/en/nowhere/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html lang=\"en\""));
    let missing = get(&server.addr, "/nikade/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html lang=\"bg\""));
}

#[test]
fn a_same_day_event_gives_its_date_once_and_its_calendar_a_real_stamp() {
    let event = "title: Семинар\nstart: 2026-12-03T10:00:00\nend: 2026-12-03T12:00:00\nupdated: 2026-11-20T09:30:00";
    let site = TestSite::new(&[
        ("content/events/seminar.md", &md(event, "x")),
        (
            "content/events/seminar.en.md",
            &md(&event.replace("Семинар", "Seminar"), "x"),
        ),
    ]);
    site.build(&[]);
    let bg = site.read("events/seminar/index.html");
    assert!(
        bg.contains("3 декември 2026 г., 10:00</time>–<time"),
        "{bg}"
    );
    assert!(bg.contains(">12:00 ч.</time>"), "{bg}");
    assert!(!bg.contains("3 декември 2026 г., 12:00"), "{bg}");
    let en = site.read("en/events/seminar/index.html");
    assert!(en.contains("3 December 2026, 10:00</time>–<time"), "{en}");

    let ics = site.read("events/seminar/seminar.ics");
    assert!(ics.contains("DTSTART:20261203T080000Z"), "{ics}");
    assert!(
        ics.contains("DTSTAMP:20261120T073000Z"),
        "the stamp is when the page changed, not the start: {ics}"
    );
}

#[test]
fn lead_images_carry_their_real_size() {
    let site = TestSite::new(&[(
        "content/news/snimka.md",
        &md(
            "title: Снимка\ndate: 2026-11-20\nimage: snimka.png\nimage_alt: Зала",
            "x",
        ),
    )]);
    std::fs::write(
        site.root().join("content/news/snimka.png"),
        plain_png(800, 450),
    )
    .unwrap();
    site.build(&[]);
    let html = site.read("news/snimka/index.html");
    assert!(html.contains("width=\"800\" height=\"450\""), "{html}");
    assert!(!html.contains("width=\"1200\""), "{html}");
}

fn newsletter_site(smtp: &SmtpServer) -> TestSite {
    let toml = format!(
        "{SITE_TOML}from = \"Тест <news@example.org>\"\nlist_id = \"news.example.org\"\n\n[newsletter.smtp]\nurl = \"{}\"\n\n[subscriptions]\npublic_url = \"https://example.org/subscriptions\"\n",
        smtp.url()
    );
    TestSite::new(&[
        ("site.toml", &toml),
        (
            "content/news/n.md",
            &md(
                "title: Новина в броя\ndate: 2026-11-10\nsectors: [ict]",
                "x",
            ),
        ),
        (
            "content/projects/robot.md",
            &md(
                "title: Проект Робот\ndate: 2025-01-10\nupdated: 2026-11-12\nstatus: active\nsectors: [ict]",
                "x",
            ),
        ),
        (
            "content/projects/staro.md",
            &md(
                "title: Стар проект\ndate: 2025-01-10\nstatus: completed\nsectors: [ict]",
                "x",
            ),
        ),
        (
            "content/newsletter/2026-10.md",
            &md("title: Октомври\ndate: 2026-11-01T09:00:00", "Предишен."),
        ),
        (
            "content/newsletter/2026-11.md",
            &md(
                "title: Ноември\ndate: 2026-11-25T09:00:00\ndraft: true",
                "Здравейте!",
            ),
        ),
        (
            "content/newsletter/2026-12.md",
            &md("title: Декември\ndate: 2026-12-20T09:00:00", "Скоро."),
        ),
    ])
}

fn mail_env(smtp: &SmtpServer) -> [(&'static str, String); 2] {
    [
        ("DUNAV_SECRET", "test-secret-0123456789abcdef".to_string()),
        ("DUNAV_SMTP_URL", smtp.url()),
    ]
}

fn run_mail(site: &TestSite, smtp: &SmtpServer, args: &[&str]) -> Output {
    let env = mail_env(smtp);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    site.run_env(args, &pairs)
}

#[test]
fn drafts_are_previewed_not_sent_and_the_digest_has_projects() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp);
    site.write(
        "people.csv",
        "email,language,sectors\nana@example.bg,bg,ict\n",
    );
    let out = run_mail(&site, &smtp, &["subscribers", "import", "people.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let preview = run_mail(&site, &smtp, &["newsletter", "preview", "2026-11"]);
    assert!(preview.status.success(), "{}", stderr(&preview));
    // By default in the site's git-ignored cache, not a fixed name in /tmp.
    let default_dir = site.root().join(".dunav-cache/preview/2026-11-bg");
    assert!(
        default_dir.join("digest.html").is_file(),
        "{}",
        stdout(&preview)
    );
    let out_dir = site.root().join("preview");
    let preview = run_mail(
        &site,
        &smtp,
        &[
            "newsletter",
            "preview",
            "2026-12",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(preview.status.success(), "{}", stderr(&preview));
    let december = std::fs::read_to_string(out_dir.join("digest.txt")).unwrap();
    assert!(
        december.contains("Новина в броя"),
        "the November draft was never sent: December's window starts at October's issue: {december}"
    );

    let unattended = run_mail(&site, &smtp, &["newsletter", "send", "2026-10"]);
    assert!(!unattended.status.success(), "no terminal, no --yes");
    assert!(
        stderr(&unattended).contains("add --yes"),
        "{}",
        stderr(&unattended)
    );

    for issue in ["2026-11", "2026-12"] {
        let out = run_mail(&site, &smtp, &["newsletter", "send", issue, "--yes"]);
        assert!(!out.status.success(), "{issue} must not go out");
        assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    }
    assert_eq!(smtp.count(), 0, "nothing went out");

    let copy = run_mail(
        &site,
        &smtp,
        &[
            "newsletter",
            "send",
            "2026-11",
            "--to",
            "editor@example.org",
        ],
    );
    assert!(copy.status.success(), "{}", stderr(&copy));
    let sent = run_mail(
        &site,
        &smtp,
        &["newsletter", "send", "2026-11", "--force", "--yes"],
    );
    assert!(sent.status.success(), "{}", stderr(&sent));
    let messages = smtp.wait_for(2, Duration::from_secs(10));
    let to_ana = messages
        .iter()
        .find(|m| m.to == ["ana@example.bg".to_string()])
        .expect("the digest reached ana");
    let parsed = mail_parser::MessageParser::default()
        .parse(&to_ana.data)
        .expect("a mail");
    let text = parsed.body_text(0).expect("a plain-text part").into_owned();
    assert!(text.contains("Новина в броя"), "{text}");
    assert!(
        text.contains("Проект Робот"),
        "a project updated in the window: {text}"
    );
    assert!(!text.contains("Стар проект"), "{text}");
    assert!(
        text.contains("бюлетина на Тестов сайт."),
        "the footer names the site: {text}"
    );

    let status = run_mail(&site, &smtp, &["newsletter", "status", "2099-01"]);
    assert!(!status.status.success());
    assert!(
        stderr(&status).contains("no newsletter issue content/newsletter/2099-01.md")
            && stderr(&status).contains("issues: 2026-12, 2026-11, 2026-10"),
        "{}",
        stderr(&status)
    );
}

#[test]
fn small_things_a_new_user_meets() {
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dunav"))
        .args(["new", "news", "Нещо"])
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.starts_with("error: no site in"), "{err}");
    assert!(!err.contains("error: error"), "{err}");

    let site = TestSite::new(&[(
        "content/news/a.md",
        &md("title: А\ndate: 2026-11-20\ntags: 5", "x"),
    )]);
    let help = stdout(&site.run(&["subscribers", "list", "--help"]));
    assert!(
        help.contains("pending, confirmed, unsubscribed, bounced"),
        "{help}"
    );

    let slip = site.run(&["new", "event", "Семинар"]);
    assert!(!slip.status.success());
    assert!(
        stderr(&slip).contains("did you mean `events`?"),
        "{}",
        stderr(&slip)
    );
    assert!(!site.root().join("content/event").exists());

    // From a folder inside the site, as git and cargo find their root.
    let out = site
        .command(&["check"], &[])
        .current_dir(site.root().join("content/news"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(
        err.contains("content/news/a.md:4: `tags`: expected a list of strings"),
        "{err}"
    );
    assert!(
        err.trim_end().ends_with("1 error(s) in the site's files"),
        "check writes nothing, so it does not say so: {err}"
    );
}
