//! The signup service over real HTTP, with confirmation mail through a loopback SMTP server.

mod support;

use std::time::Duration;

use mail_parser::MessageParser;
use support::http::{self, get, post_form};
use support::server::Server;
use support::smtp::SmtpServer;
use support::{SITE_TOML, TestSite, md};

use support::service::{ORIGIN, SECRET, Service};

#[test]
fn signup_confirm_receive_and_one_click_unsubscribe() {
    let svc = Service::start(100);
    let r = svc.signup(
        "Reader@Example.com",
        "&sectors=ict&sectors=space&source=https%3A%2F%2Fexample.org%2Fen%2F",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("<html lang=\"en\">") && r.body.contains("Check your inbox"),
        "answer in the visitor's language"
    );
    assert!(r.body.contains("/style.css"), "styled like the site");
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert!(r.header("content-security-policy").is_some());
    assert_eq!(
        svc.subscribers(),
        "",
        "nobody is subscribed before confirming"
    );
    assert!(svc.count().contains("signups awaiting confirmation\t1"));

    let confirm = svc.link_in_mail(0, "/confirm?token=");
    let mail = &svc.smtp.messages()[0];
    assert_eq!(mail.to, ["reader@example.com"]);
    assert!(
        !confirm.contains("reader"),
        "no readable address in the token"
    );
    let page = get(&svc.addr, &confirm);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("<form method=\"post\"")
            && page.body.contains("Confirm my subscription"),
        "opening the link shows a button: {}",
        page.body
    );
    assert_eq!(
        svc.subscribers(),
        "",
        "a link scanner's GET confirms nobody"
    );
    let r = svc.confirm(&confirm);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Subscription confirmed"));
    assert!(
        svc.subscribers()
            .contains("reader@example.com\ten\tconfirmed")
    );

    let out = svc.site.run_env(
        &["newsletter", "send", "2026-02", "--yes"],
        &[
            ("DUNAV_SECRET", SECRET),
            ("DUNAV_SMTP_URL", &svc.smtp.url()),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = svc.unsubscribe_in_mail(1);
    assert!(path.starts_with("/unsubscribe?token="), "{path}");

    let page = get(&svc.addr, &path);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<form method=\"post\""),
        "a GET only shows a button"
    );
    assert!(
        svc.subscribers().contains("confirmed"),
        "link scanners do not unsubscribe anyone"
    );

    // RFC 8058: the mailbox provider posts this body, with no cookie and no origin.
    let r = http::request(
        &svc.addr,
        "POST",
        &path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "List-Unsubscribe=One-Click",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("location").is_none() && r.header("set-cookie").is_none());
    assert!(
        svc.subscribers()
            .contains("reader@example.com\ten\tunsubscribed")
    );
    let export = String::from_utf8_lossy(&svc.site.run_env(&["subscribers", "export"], &[]).stdout)
        .into_owned();
    assert!(
        export.contains(",/en/,v7,"),
        "consent source and version recorded: {export}"
    );
}

#[test]
fn forged_altered_and_expired_tokens_are_refused() {
    let svc = Service::start(100);
    svc.signup("someone@example.com", "");
    let confirm = svc.link_in_mail(0, "/confirm?token=");
    let token = confirm.split("token=").nth(1).unwrap().to_string();
    let mut altered = token.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'A' { 'B' } else { 'A' });
    for bad in [
        altered.as_str(),
        "c1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "garbage",
        "",
    ] {
        let r = get(&svc.addr, &format!("/confirm?token={bad}"));
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
        let r = svc.confirm(&format!("/confirm?token={bad}"));
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    let as_unsubscribe = token.replacen('c', "u", 1);
    assert_eq!(
        http::request(
            &svc.addr,
            "POST",
            &format!("/unsubscribe?token={as_unsubscribe}"),
            &[],
            "List-Unsubscribe=One-Click"
        )
        .status,
        400
    );

    let (id, key) = svc.signup_row("someone@example.com");
    let signer = dunav::mail::tokens::Signer::new(SECRET.as_bytes());
    let expired = signer.sign(dunav::mail::tokens::Purpose::Confirm, id, 1_000, &key);
    let r = svc.confirm(&format!("/confirm?token={expired}"));
    assert_eq!(r.status, 410, "{}", r.body);
    assert!(r.body.contains("expired"));
    assert_eq!(svc.subscribers(), "");
    assert_eq!(
        svc.confirm(&confirm).status,
        200,
        "the real one still works"
    );
    let subscribed = svc.export();
    assert!(subscribed.contains("someone@example.com"));
    assert_eq!(
        svc.confirm(&confirm).status,
        200,
        "pressed again: confirmed already"
    );
    assert_eq!(svc.export(), subscribed, "and nothing applied twice");
}

#[test]
fn bad_forms_get_a_clear_4xx_and_answers_do_not_reveal_membership() {
    let svc = Service::start(100);
    let r = svc.signup("not an address", "");
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Enter a valid email address"), "{}", r.body);
    // Said once, as the page's title.
    assert_eq!(
        r.body.matches("Please fix the following:").count(),
        2,
        "{}",
        r.body
    );
    let r = post_form(
        &svc.addr,
        "/subscribe",
        ORIGIN,
        "email=a%40example.com&language=bg",
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("политиката за поверителност"),
        "Bulgarian answer: {}",
        r.body
    );
    let r = http::request(
        &svc.addr,
        "POST",
        "/subscribe",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "email=a%40example.com&consent=yes",
    );
    assert_eq!(r.status, 403, "no origin");
    let r = post_form(
        &svc.addr,
        "/subscribe",
        "https://evil.example",
        "email=a%40example.com&consent=yes",
    );
    assert_eq!(r.status, 403, "foreign origin");
    let long = "a".repeat(20_000);
    let r = post_form(
        &svc.addr,
        "/subscribe",
        ORIGIN,
        &format!("email={long}%40example.com&consent=yes"),
    );
    assert_eq!(r.status, 413, "body limit");
    let r = svc.signup("bot@example.com", "&website=http%3A%2F%2Fspam");
    assert_eq!(r.status, 200, "the honeypot answers like a success");
    assert!(!svc.subscribers().contains("bot@example.com"));

    let first = svc.signup("member@example.com", "");
    let confirm = svc.link_in_mail(0, "/confirm?token=");
    assert_eq!(svc.confirm(&confirm).status, 200);
    let again = svc.signup("member@example.com", "");
    assert_eq!(
        (first.status, &first.body),
        (again.status, &again.body),
        "the same answer for members and strangers"
    );
}

#[test]
fn preferences_change_language_and_sectors() {
    let svc = Service::start(100);
    svc.signup("prefs@example.com", "");
    let confirm = svc.link_in_mail(0, "/confirm?token=");
    assert_eq!(svc.confirm(&confirm).status, 200);
    let db = svc.site.root().join("data/dunav.sqlite");
    let store = dunav::store::Store::open(&db).unwrap();
    let s = store.find("prefs@example.com").unwrap().unwrap();
    let signer = dunav::mail::tokens::Signer::new(SECRET.as_bytes());
    let token = signer.sign(
        dunav::mail::tokens::Purpose::Preferences,
        s.id,
        0,
        &s.token_key,
    );
    let page = get(&svc.addr, &format!("/preferences?token={token}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"sectors\" value=\"ict\""));
    let r = post_form(
        &svc.addr,
        &format!("/preferences?token={token}"),
        ORIGIN,
        "language=bg&sectors=ict&sectors=cleantech",
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Настройките са запазени"));
    let s = store.find("prefs@example.com").unwrap().unwrap();
    assert_eq!(
        (s.language.as_str(), s.sectors.clone()),
        ("bg", vec!["ict".to_string(), "cleantech".to_string()])
    );
}

#[test]
fn five_hundred_concurrent_signups_give_five_hundred_rows() {
    // Every signup comes from this one address: the per-client cap is lifted.
    let svc = Service::start_with(
        "rate_limit_per_minute = 0\nmax_connections_per_client = 1000\n",
        &[],
    );
    let addr = svc.addr.clone();
    let threads: Vec<_> = (0..500)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                post_form(
                    &addr,
                    "/subscribe",
                    ORIGIN,
                    &format!("email=user{i}%40example.com&language=bg&consent=yes"),
                )
                .status
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        statuses.iter().all(|s| *s == 200),
        "{:?}",
        statuses.iter().filter(|s| **s != 200).collect::<Vec<_>>()
    );
    let mut stored: Vec<String> = svc
        .db()
        .prepare("SELECT email FROM signups")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    stored.sort();
    let mut expected: Vec<String> = (0..500).map(|i| format!("user{i}@example.com")).collect();
    expected.sort();
    assert_eq!(
        stored, expected,
        "every signup stored, none lost or mixed up"
    );
    // Each person got exactly one confirmation mail, addressed to them.
    let mut mailed: Vec<String> = svc
        .smtp
        .wait_for(500, Duration::from_secs(60))
        .iter()
        .flat_map(|m| m.to.clone())
        .collect();
    mailed.sort();
    assert_eq!(mailed, expected, "one confirmation per signup");
}

#[test]
fn the_rate_limit_answers_429() {
    let svc = Service::start(3);
    for i in 0..3 {
        assert_eq!(svc.signup(&format!("r{i}@example.com"), "").status, 200);
    }
    let r = svc.signup("r9@example.com", "");
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("60"));
}

#[test]
fn the_service_refuses_to_start_without_a_secret() {
    let site = TestSite::new(&[("content/news/a.md", &md("title: A\ndate: 2026-01-01", "x"))]);
    let out = site.run(&["subscriptions", "serve", "--listen", "127.0.0.1:0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("DUNAV_SECRET"));
}

#[test]
fn the_confirmation_mail_is_dkim_signed_utf8_and_carries_the_list_headers() {
    let smtp = SmtpServer::start();
    let toml = format!(
        "{SITE_TOML}from = \"ДИ ДИХ <news@example.org>\"\nlist_id = \"news.example.org\"\n\n[subscriptions]\npublic_url = \"https://example.org/subscriptions\"\n"
    );
    let site = TestSite::new(&[("site.toml", &toml)]);
    let key = site.root().join("dkim.pem");
    let txt = support::dkim::write_key(&key);
    let server = Server::start(site.command(
        &["subscriptions", "serve", "--listen", "127.0.0.1:0"],
        &[
            ("DUNAV_SECRET", SECRET),
            ("DUNAV_SMTP_URL", &smtp.url()),
            ("DUNAV_DKIM_KEY", key.to_str().unwrap()),
            ("DUNAV_DKIM_SELECTOR", "mail"),
        ],
    ));
    let r = post_form(
        &server.addr,
        "/subscribe",
        ORIGIN,
        "email=ivan%40example.com&language=bg&consent=yes",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let raw = smtp.wait_for(1, Duration::from_secs(10))[0].data.clone();
    let result = support::dkim::verify(&raw, "example.org", &txt);
    assert!(result.starts_with("pass"), "{result}");
    let parsed = MessageParser::default().parse(&raw).unwrap();
    let text = parsed.body_text(0).unwrap();
    assert!(
        text.contains("абонира"),
        "Bulgarian text decoded as UTF-8: {text}"
    );
    let head = String::from_utf8_lossy(&raw);
    assert!(head.contains("MIME-Version: 1.0"), "{head}");
    assert!(head.to_lowercase().contains("charset=utf-8"), "{head}");
    assert!(head.contains("List-Id: "), "{head}");
    assert!(head.contains("List-Unsubscribe: <https://example.org/subscriptions/cancel?token="));
    let message_id = parsed.message_id().unwrap();
    assert!(!message_id.contains("confirm"), "{message_id}");
}

/// A confirmation mail that cannot go because of the site's own setup (here
/// the SMTP server is down) waits, past the attempts a recipient's deferral
/// gets, and goes once the server is back: the visitor is not to blame.
#[test]
fn a_confirmation_mail_waits_for_the_server_to_come_back() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (_site, log) =
        sign_up_with_mail_at(&format!("smtp://127.0.0.1:{port}"), "waits@example.org");
    // Three failed tries: one more than a recipient's deferral would get.
    let text = wait_for_log(&log, |text| text.matches("will retry").count() >= 3);
    assert!(!text.contains("failed:"), "{text}");
    let smtp = SmtpServer::start_on(port, true);
    let arrived = smtp.wait_for(1, Duration::from_secs(30));
    assert_eq!(arrived[0].to, vec!["waits@example.org".to_string()]);
}

/// A deferral by the visitor's own server (greylisting, a mistyped domain)
/// gets `max_attempts` tries, not the wait for the site's server to return.
#[test]
fn a_confirmation_deferred_by_the_recipient_gets_max_attempts() {
    let smtp = SmtpServer::start();
    smtp.reply_to_rcpt("typo@gmial.con", &[450, 450, 450, 450]);
    let (_site, log) = sign_up_with_mail_at(&smtp.url(), "typo@gmial.con");
    let text = wait_for_log(&log, |text| text.contains("failed:"));
    assert_eq!(text.matches("will retry").count(), 1, "{text}");
    assert_eq!(smtp.count(), 0);
}

/// A site whose service sends its mail to `smtp_url` (two attempts, 20 ms
/// apart at first), with `email` signed up; the service's log file.
fn sign_up_with_mail_at(smtp_url: &str, email: &str) -> ((TestSite, Server), std::path::PathBuf) {
    let toml = format!(
        "{SITE_TOML}from = \"ДИ ДИХ <news@example.org>\"\n\n[subscriptions]\npublic_url = \"https://example.org/subscriptions\"\n\n[newsletter.smtp]\nmax_attempts = 2\n"
    );
    let site = TestSite::new(&[("site.toml", &toml)]);
    let log = site.root().join("service.log");
    let server = Service::launch_logged(&site, smtp_url, &[("DUNAV_RETRY_BASE_MS", "20")], &log);
    let form = format!(
        "email={}&language=en&consent=yes",
        support::service::urlencode(email)
    );
    let r = post_form(&server.addr, "/subscribe", ORIGIN, &form);
    assert_eq!(r.status, 200, "{}", r.body);
    ((site, server), log)
}

/// The log's text once `done` says so (30 s at most, read every 50 ms).
fn wait_for_log(log: &std::path::Path, done: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if done(&text) {
            return text;
        }
        assert!(std::time::Instant::now() < deadline, "{text}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
