//! The newsletter: digests sent over real SMTP to a loopback server, parsed as they arrived.

mod support;

use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders};
use support::smtp::SmtpServer;
use support::{SITE_TOML, TestSite, md};

const SECRET: &str = "test-secret-0123456789abcdef";

fn newsletter_site(smtp: &SmtpServer, extra_toml: &str) -> TestSite {
    let toml = format!(
        "{SITE_TOML}from = \"ДИ ДИХ <news@example.org>\"\nreply_to = \"info@example.org\"\nlist_id = \"news.example.org\"\nunsubscribe_mailto = \"unsubscribe@example.org\"\n\n[newsletter.smtp]\nurl = \"{}\"\npool_size = 4\nmax_attempts = 3\n{extra_toml}\n[subscriptions]\npublic_url = \"https://example.org/subscriptions\"\n",
        smtp.url()
    );
    TestSite::new(&[
        ("site.toml", &toml),
        (
            "content/news/old.md",
            &md(
                "title: Стара новина\ndate: 2026-01-01T10:00:00",
                "Преди броя.",
            ),
        ),
        (
            "content/news/fresh.md",
            &md(
                "title: Свежа новина\ndate: 2026-02-10T10:00:00\nsectors: [ict]",
                "Нова.",
            ),
        ),
        (
            "content/news/fresh.en.md",
            &md(
                "title: Fresh news\ndate: 2026-02-10T10:00:00\nsectors: [ict]",
                "New.",
            ),
        ),
        (
            "content/news/robots.md",
            &md(
                "title: Роботи\ndate: 2026-02-12T10:00:00\nsectors: [mechatronics]",
                "Мехатроника.",
            ),
        ),
        (
            "content/events/soon.md",
            &md(
                "title: Скорошно събитие\nstart: 2026-03-05T10:00:00\nsectors: [ict]",
                "x",
            ),
        ),
        (
            "content/events/far.md",
            &md("title: Далечно събитие\nstart: 2026-09-01T10:00:00", "x"),
        ),
        (
            "content/newsletter/2026-01.md",
            &md(
                "title: Бюлетин, януари\ndate: 2026-02-01T09:00:00",
                "Първи.",
            ),
        ),
        (
            "content/newsletter/2026-02.md",
            &md(
                "title: Бюлетин, февруари\ndate: 2026-03-01T09:00:00",
                "Здравейте! [Вижте новината](/news/fresh.md).",
            ),
        ),
        (
            "content/newsletter/2026-02.en.md",
            &md(
                "title: Newsletter, February\ndate: 2026-03-01T09:00:00",
                "Hello!",
            ),
        ),
    ])
}

fn env(smtp: &SmtpServer) -> Vec<(&'static str, String)> {
    vec![
        ("DUNAV_SECRET", SECRET.to_string()),
        ("DUNAV_SMTP_URL", smtp.url()),
        ("DUNAV_RETRY_BASE_MS", "50".into()),
    ]
}

/// dunav run with the mail setup, whatever its exit status.
fn run_any(site: &TestSite, smtp: &SmtpServer, args: &[&str]) -> std::process::Output {
    let env = env(smtp);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    site.run_env(args, &pairs)
}

fn run(site: &TestSite, smtp: &SmtpServer, args: &[&str]) -> std::process::Output {
    let out = run_any(site, smtp, args);
    assert!(
        out.status.success(),
        "dunav {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn import(site: &TestSite, smtp: &SmtpServer, csv: &str) {
    site.write("subscribers.csv", csv);
    run(site, smtp, &["subscribers", "import", "subscribers.csv"]);
}

fn header(raw: &[u8], name: &str) -> String {
    let m = MessageParser::default().parse(raw).unwrap();
    m.header_raw(name)
        .map(|h| h.replace("\r\n", "").trim().to_string())
        .unwrap_or_default()
}

#[test]
fn digests_arrive_as_multipart_in_each_language_with_list_headers() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp, "");
    import(
        &site,
        &smtp,
        "email,language,name\nivan@example.bg,bg,Иван Петров\nanna@example.com,en,Anna\n",
    );
    let out = run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 sent, 0 failed"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let messages = smtp.wait_for(2, Duration::from_secs(10));
    let by_to = |addr: &str| {
        messages
            .iter()
            .find(|m| m.to == [addr.to_string()])
            .unwrap()
            .data
            .clone()
    };

    let bg = by_to("ivan@example.bg");
    let parsed = MessageParser::default().parse(&bg).unwrap();
    assert_eq!(parsed.subject(), Some("Бюлетин, февруари"));
    let ct = parsed.root_part().content_type().unwrap();
    assert_eq!(
        (ct.ctype(), ct.subtype()),
        ("multipart", Some("alternative"))
    );
    let html = parsed.body_html(0).unwrap();
    let text = parsed.body_text(0).unwrap();
    assert!(
        html.contains("Свежа новина") && html.contains("Роботи") && !html.contains("Стара новина"),
        "news since the last issue"
    );
    assert!(
        html.contains("Скорошно събитие") && !html.contains("Далечно събитие"),
        "events in the next 60 days"
    );
    assert!(
        html.contains("href=\"https://example.org/news/fresh/\""),
        "absolute links"
    );
    assert!(html.contains("style=\""), "CSS inlined");
    assert!(html.contains("@media"), "media queries kept");
    assert!(
        text.contains("Свежа новина") && text.contains("https://example.org/newsletter/2026-02/"),
        "the text part names the items and links to the issue online: {text}"
    );
    assert!(
        !text.contains("https://example.org/news/fresh/"),
        "one link for all items keeps SpamAssassin's MIXED_ES quiet"
    );
    assert!(html.len() < 100 * 1024);
    assert_eq!(
        parsed.from().unwrap().first().unwrap().name(),
        Some("ДИ ДИХ")
    );
    assert_eq!(
        parsed.to().unwrap().first().unwrap().name(),
        Some("Иван Петров")
    );
    assert!(header(&bg, "Reply-To").contains("info@example.org"));
    assert!(!header(&bg, "Date").is_empty());
    assert!(header(&bg, "Message-ID").ends_with("@example.org>"));
    assert!(header(&bg, "List-Id").contains("<news.example.org>"));
    let unsubscribe = header(&bg, "List-Unsubscribe");
    assert!(
        unsubscribe.starts_with("<https://example.org/subscriptions/unsubscribe?token=u"),
        "{unsubscribe}"
    );
    assert!(unsubscribe.contains("<mailto:unsubscribe@example.org?subject=unsubscribe>"));
    assert!(!unsubscribe.contains("ivan"), "tokens carry no address");
    assert_eq!(
        header(&bg, "List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    let token_url = unsubscribe
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap();
    assert!(
        html.contains(token_url),
        "visible unsubscribe link with the same token"
    );

    let en = MessageParser::default()
        .parse(&by_to("anna@example.com"))
        .unwrap()
        .into_owned();
    assert_eq!(en.subject(), Some("Newsletter, February"));
    // The list is named in the mail's language, and a name beyond ASCII is
    // one encoded name, without quotes read into it.
    let list_id = |message: &mail_parser::Message| {
        let address = message.header("List-Id").unwrap().as_address().unwrap();
        let first = address.first().unwrap();
        (
            first.name().unwrap_or_default().to_string(),
            first.address().unwrap_or_default().to_string(),
        )
    };
    let expected = |name: &str| (name.to_string(), "news.example.org".to_string());
    assert_eq!(list_id(&en), expected("Test site"));
    let bg_parsed = MessageParser::default().parse(&bg).unwrap();
    assert_eq!(list_id(&bg_parsed), expected("Тестов сайт"));
    assert!(en.body_html(0).unwrap().contains("Fresh news"));

    let status = run(&site, &smtp, &["newsletter", "status", "2026-02"]);
    assert!(String::from_utf8_lossy(&status.stdout).contains("2 sent"));
    let again = run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    assert_eq!(smtp.count(), 2, "a second send sends nothing again");
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .contains("2026-02: every confirmed subscriber has it already; nothing was sent"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn a_missing_translation_falls_back_to_bulgarian_and_sectors_filter() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp, "");
    import(
        &site,
        &smtp,
        "email,language,sectors\nen@example.com,en,\nrobots@example.bg,bg,mechatronics\n",
    );
    run(&site, &smtp, &["newsletter", "send", "2026-01", "--yes"]);
    let messages = smtp.wait_for(2, Duration::from_secs(10));
    let en = messages
        .iter()
        .find(|m| m.to[0] == "en@example.com")
        .unwrap();
    assert_eq!(
        MessageParser::default().parse(&en.data).unwrap().subject(),
        Some("Бюлетин, януари")
    );
    run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let messages = smtp.wait_for(4, Duration::from_secs(10));
    let robots = messages
        .iter()
        .rfind(|m| m.to[0] == "robots@example.bg")
        .unwrap();
    let html = MessageParser::default()
        .parse(&robots.data)
        .unwrap()
        .body_html(0)
        .unwrap()
        .into_owned();
    assert!(
        html.contains("Роботи") && !html.contains("Свежа новина"),
        "only the chosen sector"
    );
}

#[test]
fn temporary_failures_are_retried_and_permanent_ones_suppressed() {
    let smtp = SmtpServer::start();
    smtp.reply_to_rcpt("later@example.bg", &[451]);
    // Refused whenever tried: a refusal before the issue's first message
    // went is judged once one has (in this run, or in the next one when it
    // came first), so the second run settles it either way.
    smtp.reply_to_rcpt("gone@example.bg", &[550; 4]);
    let site = newsletter_site(&smtp, "");
    import(
        &site,
        &smtp,
        "email,language\nlater@example.bg,bg\ngone@example.bg,bg\nok@example.bg,bg\n",
    );
    let out = run_any(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2 sent"), "{stdout}");
    // Done (0), or "try again later" (75) when `gone` came first and waits.
    assert!(matches!(out.status.code(), Some(0 | 75)), "{stdout}");
    run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let status = run(&site, &smtp, &["newsletter", "status", "2026-02"]);
    let counts = String::from_utf8_lossy(&status.stdout);
    assert!(counts.contains("2 sent, 1 failed"), "{counts}");
    let received: Vec<String> = smtp.messages().iter().map(|m| m.to[0].clone()).collect();
    assert!(
        received.contains(&"later@example.bg".to_string()),
        "451 retried"
    );
    assert!(!received.contains(&"gone@example.bg".to_string()));
    let list = run(&site, &smtp, &["subscribers", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("gone@example.bg\tbg\tbounced"));
    // The owner sees who did not get it, and why.
    let status = run(&site, &smtp, &["newsletter", "status", "2026-02"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("  gone@example.bg\tfailed\tpermanent error (550): 5.1.1"),
        "{status}"
    );
    assert!(!status.contains("ok@example.bg"), "{status}");
    // Once the mailbox works again, the owner restores the address, and the
    // issue it missed goes with the next send of it.
    let restored = run(&site, &smtp, &["subscribers", "restore", "gone@example.bg"]);
    assert!(String::from_utf8_lossy(&restored.stdout).contains("the 1 it missed"));
    let list = run(&site, &smtp, &["subscribers", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("gone@example.bg\tbg\tconfirmed"));
    smtp.reply_to_rcpt("gone@example.bg", &[]);
    run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let received: Vec<String> = smtp.messages().iter().map(|m| m.to[0].clone()).collect();
    assert!(
        received.contains(&"gone@example.bg".to_string()),
        "{received:?}"
    );
    let env = env(&smtp);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = site.run_env(&["subscribers", "restore", "ok@example.bg"], &pairs);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is confirmed, not bounced"));
}

/// Only one send runs on a database at a time: a second one (a cron
/// overlap) would claim what the first has in flight and send it twice.
#[test]
fn a_second_send_while_one_runs_is_refused() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp, "");
    import(&site, &smtp, "email,language\na@example.bg,bg\n");
    // The lock a running send holds, held here by the test.
    let lock = std::fs::File::create(site.root().join("data/dunav.sqlite.sending")).unwrap();
    lock.lock().unwrap();
    let env = env(&smtp);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = site.run_env(&["newsletter", "send", "2026-02", "--yes"], &pairs);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("another `dunav newsletter send` is running"),
        "{stderr}"
    );
    assert_eq!(smtp.count(), 0);
    drop(lock);
    run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    assert_eq!(smtp.count(), 1);
}

/// A refusal that blames the site (its relay, its sender) or that every
/// message meets stops the run with nobody marked bounced; once the setup is
/// fixed, the next run reaches everyone.
#[test]
fn a_server_refusing_the_site_bounces_nobody() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp, "");
    let list: String = (0..24).map(|i| format!("r{i}@example.bg,bg\n")).collect();
    import(&site, &smtp, &format!("email,language\n{list}"));
    for refusal in [
        "554 5.7.1 <x>: Relay access denied",
        "550 5.7.1 Message refused",
    ] {
        smtp.reply_to_every_rcpt(Some(refusal));
        let env = env(&smtp);
        let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = site.run_env(&["newsletter", "send", "2026-02", "--yes"], &pairs);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{refusal}: {stderr}");
        assert!(stderr.contains(&refusal[4..]), "{stderr}");
        let listed = run(&site, &smtp, &["subscribers", "list"]);
        let listed = String::from_utf8_lossy(&listed.stdout);
        assert!(!listed.contains("bounced"), "{refusal}: {listed}");
    }
    smtp.reply_to_every_rcpt(None);
    let out = run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("24 sent, 0 failed"), "{stdout}");
    assert_eq!(smtp.count(), 24);
}

#[test]
fn a_server_that_defers_through_every_attempt_gets_the_message_on_the_next_run() {
    let smtp = SmtpServer::start();
    // max_attempts = 3 in this site: three 451s use up the run's attempts.
    smtp.reply_to_rcpt("busy@example.bg", &[451, 451, 451]);
    let site = newsletter_site(&smtp, "");
    import(
        &site,
        &smtp,
        "email,language\nbusy@example.bg,bg\nok@example.bg,bg\n",
    );
    let out = run_any(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 sent, 0 failed, 1 deferred"), "{stdout}");
    // sendmail's EX_TEMPFAIL: neither done nor failed.
    assert_eq!(out.status.code(), Some(75), "{stdout}");
    assert!(
        stdout.contains("run `dunav newsletter send 2026-02` again later"),
        "{stdout}"
    );
    let out = run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2 sent, 0 failed, 0 deferred"), "{stdout}");
    assert!(out.status.success(), "{stdout}");
    let received: Vec<String> = smtp.messages().iter().map(|m| m.to[0].clone()).collect();
    assert_eq!(
        received
            .iter()
            .filter(|to| *to == "busy@example.bg")
            .count(),
        1
    );
    assert_eq!(
        received.iter().filter(|to| *to == "ok@example.bg").count(),
        1
    );
}

/// A message the server still defers when tried more than five days after
/// its first deferral is given up, after that try: however long between
/// sends (a weekly cron), a held message is never given up untried.
#[test]
fn a_message_deferred_for_days_is_tried_once_more_then_given_up() {
    let smtp = SmtpServer::start();
    smtp.reply_to_rcpt("busy@example.bg", &[451; 6]);
    let site = newsletter_site(&smtp, "");
    import(&site, &smtp, "email,language\nbusy@example.bg,bg\n");
    let out = run_any(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    assert_eq!(out.status.code(), Some(75));
    // A week later.
    let db = rusqlite::Connection::open(site.root().join("data/dunav.sqlite")).unwrap();
    let week_ago = jiff::Timestamp::now().as_second() - 7 * 86_400;
    db.execute("UPDATE deliveries SET held_since = ?1", [week_ago])
        .unwrap();
    let out = run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 sent, 1 failed, 0 deferred"), "{stdout}");
    let status = run(&site, &smtp, &["newsletter", "status", "2026-02"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("deferred by the server for more than 5 days, given up"),
        "{status}"
    );
    // Tried in the second run too: the server's six deferrals are used up.
    assert_eq!(smtp.replies_left("busy@example.bg"), 0);
}

#[test]
fn an_address_the_server_cannot_take_fails_alone_and_the_issue_goes_on() {
    let smtp = SmtpServer::start();
    smtp.without_smtputf8();
    let site = newsletter_site(&smtp, "");
    let csv: String = std::iter::once("email,language\nиван@пример.бг,bg".to_string())
        .chain((0..12).map(|i| format!("person{i}@example.bg,bg")))
        .collect::<Vec<_>>()
        .join("\n");
    import(&site, &smtp, &csv);
    let out = run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("12 sent, 1 failed, 0 deferred"),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(smtp.count(), 12);
    let list = run(&site, &smtp, &["subscribers", "list"]);
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("\tconfirmed"),
        "not marked bounced: another server may take it"
    );
    assert!(!String::from_utf8_lossy(&list.stdout).contains("bounced"));
}

#[test]
fn a_stopped_run_resumes_and_delivers_each_address_once() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp, "");
    let csv: String = std::iter::once("email,language".to_string())
        .chain((0..40).map(|i| format!("person{i}@example.bg,bg")))
        .collect::<Vec<_>>()
        .join("\n");
    import(&site, &smtp, &csv);
    smtp.accept_only(15);
    let env = env(&smtp);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = site.run_env(&["newsletter", "send", "2026-02", "--yes"], &pairs);
    assert!(
        !out.status.success(),
        "the run stops when the server goes away"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("run `dunav newsletter send 2026-02` again to resume")
    );
    let first = smtp.count();
    assert!((15..40).contains(&first), "{first}");

    let smtp2 = SmtpServer::start();
    let env2 = [
        ("DUNAV_SECRET", SECRET.to_string()),
        ("DUNAV_SMTP_URL", smtp2.url()),
    ];
    let pairs2: Vec<(&str, &str)> = env2.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = site.run_env(&["newsletter", "send", "2026-02", "--yes"], &pairs2);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut all: Vec<String> = smtp
        .messages()
        .into_iter()
        .chain(smtp2.messages())
        .map(|m| m.to[0].clone())
        .collect();
    all.sort();
    let mut unique = all.clone();
    unique.dedup();
    assert_eq!(unique.len(), 40, "nobody missed");
    assert_eq!(all.len(), 40, "nobody got it twice");
}

#[test]
fn a_killed_sender_resends_at_most_what_was_in_flight() {
    let smtp = SmtpServer::start();
    // Slow enough to be killed half-way: 200 messages at 100 a second.
    let site = newsletter_site(&smtp, "rate = 100\n");
    let csv: String = std::iter::once("email,language".to_string())
        .chain((0..200).map(|i| format!("p{i}@example.bg,bg")))
        .collect::<Vec<_>>()
        .join("\n");
    import(&site, &smtp, &csv);
    let env = env(&smtp);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut child = site
        .command(&["newsletter", "send", "2026-02", "--yes"], &pairs)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    smtp.wait_for(40, Duration::from_secs(30));
    child.kill().unwrap(); // SIGKILL: no chance to tidy up
    child.wait().unwrap();
    let out = site.run_env(&["newsletter", "send", "2026-02", "--yes"], &pairs);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut all: Vec<String> = smtp
        .messages()
        .into_iter()
        .map(|m| m.to[0].clone())
        .collect();
    all.sort();
    let total = all.len();
    all.dedup();
    assert_eq!(all.len(), 200, "nobody missed");
    assert!(
        total - 200 <= 4,
        "{} duplicates; the bound is the pool size (4)",
        total - 200
    );
}

#[test]
fn dry_run_test_copy_and_preview() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp, "");
    import(
        &site,
        &smtp,
        "email,language,status\na@example.bg,bg,\nb@example.com,en,\nc@example.bg,bg,unsubscribed\n",
    );
    let out = run(
        &site,
        &smtp,
        &["newsletter", "send", "2026-02", "--dry-run"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("would go to 2 subscriber(s)")
            && stdout.contains("bg: 1")
            && stdout.contains("en: 1"),
        "{stdout}"
    );
    assert_eq!(smtp.count(), 0);
    run(
        &site,
        &smtp,
        &[
            "newsletter",
            "send",
            "2026-02",
            "--to",
            "editor@example.org",
            "--lang",
            "en",
        ],
    );
    let copy = smtp.wait_for(1, Duration::from_secs(10));
    assert_eq!(copy[0].to, ["editor@example.org"]);
    assert_eq!(
        MessageParser::default()
            .parse(&copy[0].data)
            .unwrap()
            .subject(),
        Some("[Test] Newsletter, February")
    );
    let out_dir = site.root().join("preview");
    let out = run(
        &site,
        &smtp,
        &[
            "newsletter",
            "preview",
            "2026-02",
            "--lang",
            "en",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("digest.eml"));
    let eml = std::fs::read(out_dir.join("digest.eml")).unwrap();
    assert_eq!(
        MessageParser::default().parse(&eml).unwrap().subject(),
        Some("Newsletter, February")
    );
    assert!(
        std::fs::read_to_string(out_dir.join("digest.txt"))
            .unwrap()
            .contains("Fresh news")
    );
    assert_eq!(smtp.count(), 1, "preview sends nothing");
}

#[test]
fn dkim_signatures_verify() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp, "");
    let key_file = site.root().join("dkim.pem");
    let txt = support::dkim::write_key(&key_file);
    import(&site, &smtp, "email,language\nsigned@example.bg,bg\n");
    let mut env = env(&smtp);
    env.push(("DUNAV_DKIM_KEY", key_file.to_string_lossy().into_owned()));
    env.push(("DUNAV_DKIM_SELECTOR", "mail".into()));
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = site.run_env(&["newsletter", "send", "2026-02", "--yes"], &pairs);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let raw = smtp.wait_for(1, Duration::from_secs(10))[0].data.clone();
    let signature = header(&raw, "DKIM-Signature");
    for h in [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "list-unsubscribe",
        "list-unsubscribe-post",
        "content-type",
    ] {
        assert!(
            signature.to_lowercase().contains(h),
            "h= covers {h}: {signature}"
        );
    }
    let result = support::dkim::verify(&raw, "example.org", &txt);
    assert!(result.starts_with("pass"), "{result}");
    // The body's MIME type is covered: a relay that rewrites it breaks the signature.
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("multipart/alternative"), "{text}");
    let altered = text.replacen("multipart/alternative", "multipart/mixed", 1);
    let result = support::dkim::verify(altered.as_bytes(), "example.org", &txt);
    assert!(!result.starts_with("pass"), "{result}");
}

#[test]
fn import_reports_bad_rows_merges_and_respects_erasure() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp, "");
    site.write(
        "people.csv",
        "email,language,sectors,status,name\nok@example.bg,bg,ict,,Ана\nnot-an-address,bg,,,\ndup@example.bg,bg,cleantech,,Дуп\nDUP@example.bg,en,,,\nx@example.bg,fr,,,\ny@example.bg,bg,space,,\n\"stray@example.bg,bg,,,\nz@example.bg,bg,,,\"Z\rBcc: evil@example.com\"\nlast@example.bg,,,,\n",
    );
    let out = run(&site, &smtp, &["subscribers", "import", "people.csv"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "people.csv:3: `email`: \"not-an-address\" is not an email address",
        "people.csv:6: `language`: \"fr\" is not in site.toml [languages]",
        "people.csv:7: `sectors`: unknown sector \"space\"",
        "people.csv:8: `row`: a quote is not closed on this line",
        "people.csv:9: `name`: contains a line break or another control character",
    ] {
        assert!(stderr.contains(expected), "{expected} in:\n{stderr}");
    }
    assert!(
        stdout.contains("updated dup@example.bg: language bg → en"),
        "what a merge changed, per address: {stdout}"
    );
    assert!(
        stdout.contains("3 added") && stdout.contains("5 rejected row(s)"),
        "a stray quote spoils one line, not the rest: {stdout}\n{stderr}"
    );
    let list =
        String::from_utf8_lossy(&run(&site, &smtp, &["subscribers", "list"]).stdout).into_owned();
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(list.contains("last@example.bg\tbg\tconfirmed"), "{list}");
    assert!(
        list.contains("dup@example.bg\ten\tconfirmed"),
        "duplicates merged, the later language wins: {list}"
    );
    let export =
        String::from_utf8_lossy(&run(&site, &smtp, &["subscribers", "export"]).stdout).into_owned();
    assert!(
        export.contains("dup@example.bg,en,Дуп,cleantech,"),
        "a later row keeps the name and sectors it leaves empty: {export}"
    );

    run(&site, &smtp, &["subscribers", "remove", "ok@example.bg"]);
    site.write("again.csv", "email,language\nok@example.bg,bg\n");
    run(&site, &smtp, &["subscribers", "import", "again.csv"]);
    let list =
        String::from_utf8_lossy(&run(&site, &smtp, &["subscribers", "list"]).stdout).into_owned();
    assert!(
        list.contains("ok@example.bg\tbg\tunsubscribed"),
        "not re-confirmed by import: {list}"
    );

    run(&site, &smtp, &["subscribers", "erase", "dup@example.bg"]);
    site.write("third.csv", "email,language\ndup@example.bg,bg\n");
    let out = run(&site, &smtp, &["subscribers", "import", "third.csv"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("was erased at their request"));
    let list =
        String::from_utf8_lossy(&run(&site, &smtp, &["subscribers", "list"]).stdout).into_owned();
    assert!(!list.contains("dup@"), "{list}");
    let count =
        String::from_utf8_lossy(&run(&site, &smtp, &["subscribers", "count"]).stdout).into_owned();
    assert!(count.contains("total\t2"), "{count}");
    let export =
        String::from_utf8_lossy(&run(&site, &smtp, &["subscribers", "export"]).stdout).into_owned();
    assert!(export.starts_with("email,language,name,sectors,status,created_at,consent_at"));
}

/// Rows written before today's checks (or by hand) must not stop a send:
/// a bad address fails for that person alone, a name with a line break is mailed safely.
#[test]
fn one_bad_recipient_is_recorded_and_the_send_goes_on() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp, "");
    import(
        &site,
        &smtp,
        "email,language,name\na@example.bg,bg,Ана\nb@example.bg,bg,Борис\nc@example.bg,bg,Цвета\n",
    );
    let db = rusqlite::Connection::open(site.root().join("data/dunav.sqlite")).unwrap();
    db.execute(
        "UPDATE subscribers SET email = 'not an address' WHERE email = 'b@example.bg'",
        [],
    )
    .unwrap();
    db.execute(
        "UPDATE subscribers SET name = 'Цвета\r\nBcc: evil@example.com' WHERE email = 'c@example.bg'",
        [],
    )
    .unwrap();
    drop(db);
    let out = run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("2 sent, 1 failed"), "{report}");
    let mails = smtp.wait_for(2, Duration::from_secs(10));
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["a@example.bg", "c@example.bg"]);
    for mail in &mails {
        let raw = String::from_utf8_lossy(&mail.data);
        assert!(!raw.contains("\r\nBcc:"), "no header injected:\n{raw}");
    }
    let status = run(&site, &smtp, &["newsletter", "status", "2026-02"]);
    assert!(String::from_utf8_lossy(&status.stdout).contains("2 sent, 1 failed"));
}

/// `dunav subscribers list | head` closes the pipe before dunav is done: it
/// stops quietly, with no panic or backtrace.
#[test]
fn a_listing_into_a_closed_pipe_stops_quietly() {
    let smtp = SmtpServer::start();
    let site = newsletter_site(&smtp, "");
    import(
        &site,
        &smtp,
        "email,language\na@example.bg,bg\nb@example.bg,bg\n",
    );
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = site
        .command(&["subscribers", "list"], &[])
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

/// Dead addresses at the head of a list (its first, test subscribers) do
/// not stop the first send: they are tried again after the rest, and
/// bounced once the issue has gone to someone. The one live address is
/// accepted slowly: a second worker with nothing left but the dead
/// addresses' retries must wait for it, not count a retry's refusal as one
/// more in a row (that stopped the send now and then).
#[test]
fn dead_addresses_at_the_head_of_a_list_do_not_stop_the_send() {
    let smtp = SmtpServer::start();
    smtp.accept_slowly(Duration::from_millis(300));
    let mut csv = String::from("email,language\n");
    for i in 0..12 {
        let dead = format!("dead{i}@example.bg");
        smtp.reply_to_rcpt(&dead, &[550; 4]);
        csv.push_str(&format!("{dead},bg\n"));
    }
    csv.push_str("alive@example.bg,bg\n");
    let site = newsletter_site(&smtp, "");
    import(&site, &smtp, &csv);
    let out = run(&site, &smtp, &["newsletter", "send", "2026-02", "--yes"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 sent"), "{stdout}");
    let status = run(&site, &smtp, &["newsletter", "status", "2026-02"]);
    let counts = String::from_utf8_lossy(&status.stdout);
    assert!(counts.contains("1 sent, 12 failed"), "{counts}");
}
