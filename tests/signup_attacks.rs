//! The signup service under attack, over real HTTP on loopback: each test is
//! an attack a stranger could try, and checks that it fails.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use support::http::{self, get, post_form};
use support::service::{ORIGIN, SECRET, Service, urlencode};
use support::smtp::SmtpServer;

/// A confirmed subscriber, signed up in English with a sector, from `/en/`.
fn member(svc: &Service, email: &str) {
    let mails_before = svc.smtp.count();
    let r = svc.signup(email, "&sectors=ict&source=%2Fen%2F");
    assert_eq!(r.status, 200, "{}", r.body);
    let confirm = svc.link_in_mail(mails_before, "/confirm?token=");
    assert_eq!(svc.confirm(&confirm).status, 200);
}

fn export_row(svc: &Service, email: &str) -> String {
    svc.export()
        .lines()
        .find(|l| l.starts_with(email))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_stranger_cannot_rewrite_a_subscribers_data_or_consent() {
    let svc = Service::start(100);
    member(&svc, "ana@example.com");
    let before = export_row(&svc, "ana@example.com");
    assert!(
        before.contains("ana@example.com,en,,ict,confirmed"),
        "{before}"
    );
    let r = post_form(
        &svc.addr,
        "/subscribe",
        ORIGIN,
        "email=ana%40example.com&language=bg&consent=yes&source=%2Fevil%2F",
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        export_row(&svc, "ana@example.com"),
        before,
        "language, sectors and the consent record are untouched until Ana confirms"
    );
}

#[test]
fn link_scanners_opening_a_confirmation_link_confirm_nobody() {
    let svc = Service::start(100);
    svc.signup("victim@example.com", "");
    let confirm = svc.link_in_mail(0, "/confirm?token=");
    assert_eq!(get(&svc.addr, &confirm).status, 200);
    let head = http::request(&svc.addr, "HEAD", &confirm, &[], "");
    assert_eq!(head.status, 200);
    assert_eq!(svc.subscribers(), "", "GET and HEAD confirm nothing");
    assert_eq!(svc.confirm(&confirm).status, 200);
    assert!(
        svc.subscribers()
            .contains("victim@example.com\ten\tconfirmed")
    );
}

#[test]
fn one_address_gets_one_confirmation_mail_per_cooldown_and_the_same_answer() {
    let svc = Service::start(100);
    let answers: Vec<(u16, String)> = (0..5)
        .map(|_| {
            let r = svc.signup("victim@example.com", "");
            (r.status, r.body)
        })
        .collect();
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "identical answers"
    );
    // Another spelling of the same mailbox counts as the same address.
    svc.signup("Victim@EXAMPLE.com", "");
    svc.signup("other@example.com", "");
    let mails = svc.smtp.wait_for(2, Duration::from_secs(15));
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["other@example.com", "victim@example.com"]);
    // The worker took the second address after the first: nothing more is queued.
    assert!(svc.count().contains("signups awaiting confirmation\t2"));
    assert_eq!(svc.smtp.count(), 2);
}

#[test]
fn an_internationalised_domain_and_its_punycode_are_one_address() {
    let svc = Service::start(100);
    assert_eq!(svc.signup("ivan@пример.бг", "").status, 200);
    assert_eq!(svc.signup("ivan@xn--e1afmkfd.xn--90ae", "").status, 200);
    assert!(svc.count().contains("signups awaiting confirmation\t1"));
    for bad in ["ivan@[127.0.0.1]", "ｉｖａｎ@example.com", "a@127.0.0.1"] {
        assert_eq!(svc.signup(bad, "").status, 422, "{bad}");
    }
}

#[test]
fn behind_a_trusted_proxy_each_visitor_has_their_own_limit() {
    let svc = Service::start_with(
        "rate_limit_per_minute = 2\ntrusted_proxies = [\"127.0.0.1\"]\n",
        &[],
    );
    let from = |client: &str, email: &str| {
        http::request(
            &svc.addr,
            "POST",
            "/subscribe",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", ORIGIN),
                ("X-Forwarded-For", client),
            ],
            &format!("email={email}%40example.com&consent=yes"),
        )
        .status
    };
    assert_eq!(from("203.0.113.1", "a1"), 200);
    assert_eq!(from("203.0.113.1", "a2"), 200);
    assert_eq!(from("203.0.113.1", "a3"), 429, "one visitor over the limit");
    assert_eq!(from("203.0.113.2", "b1"), 200, "does not stop another");
    // An IPv6 /64 is one client; another /64 is another.
    assert_eq!(from("2001:db8:1:2::1", "c1"), 200);
    assert_eq!(from("2001:db8:1:2::ffff", "c2"), 200);
    assert_eq!(
        from("2001:db8:1:2:3::7", "c3"),
        429,
        "a /64 cannot walk around the limit"
    );
    assert_eq!(from("2001:db8:1:3::1", "d1"), 200);
}

#[test]
fn forwarding_headers_from_anyone_else_are_ignored() {
    let svc = Service::start(2);
    let spoofed = |n: u32| {
        http::request(
            &svc.addr,
            "POST",
            "/subscribe",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", ORIGIN),
                ("X-Forwarded-For", &format!("198.51.100.{n}")),
                ("Forwarded", &format!("for=198.51.100.{n}")),
            ],
            &format!("email=s{n}%40example.com&consent=yes"),
        )
        .status
    };
    assert_eq!((spoofed(1), spoofed(2), spoofed(3)), (200, 200, 429));
}

#[test]
fn requests_that_fail_validation_do_not_use_up_the_limit() {
    let svc = Service::start(2);
    for _ in 0..5 {
        let r = http::request(
            &svc.addr,
            "POST",
            "/subscribe",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            "email=a%40example.com&consent=yes",
        );
        assert_eq!(r.status, 403);
        assert_eq!(svc.signup("not an address", "").status, 422);
    }
    assert_eq!(svc.signup("ok1@example.com", "").status, 200);
    assert_eq!(svc.signup("ok2@example.com", "").status, 200);
    assert_eq!(svc.signup("ok3@example.com", "").status, 429);
}

/// A mail server that accepts connections and never says a word.
fn silent_mail_server() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://127.0.0.1:{}", listener.local_addr().unwrap().port());
    (listener, url)
}

#[test]
fn members_and_strangers_get_the_same_answer_while_the_mail_server_hangs() {
    let (_silent, url) = silent_mail_server();
    let mut svc = Service::start(100);
    member(&svc, "member@example.com");
    svc.stop();
    let hanging = Service::launch(&svc.site, &url, &[]);
    let signup = |email: &str| {
        let mut stream = TcpStream::connect(&hanging.addr).unwrap();
        // A signup that waited for the SMTP transaction would not answer in time.
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let body = format!("email={email}&language=en&consent=yes");
        write!(
            stream,
            "POST /subscribe HTTP/1.1\r\nHost: x\r\nOrigin: {ORIGIN}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream
            .read_to_string(&mut answer)
            .expect("an answer while the mail server hangs");
        answer
            .split_once("\r\n\r\n")
            .map(|(h, b)| (h.lines().next().unwrap_or("").to_string(), b.to_string()))
            .unwrap()
    };
    let stranger = signup("stranger%40example.com");
    let known = signup("member%40example.com");
    assert!(stranger.0.contains("200"), "{stranger:?}");
    assert_eq!(stranger, known, "the same answer, with nothing to time");
}

#[test]
fn a_rejecting_mail_server_changes_no_answer_and_logs_no_address() {
    let mut svc = Service::start(100);
    svc.stop();
    let log = svc.site.root().join("service.log");
    let logged = Service::launch_logged(&svc.site, &svc.smtp.url(), &[], &log);
    svc.smtp.reply_to_rcpt("victim@example.com", &[550]);
    let signup = |email: &str| {
        post_form(
            &logged.addr,
            "/subscribe",
            ORIGIN,
            &format!("email={}&consent=yes", support::service::urlencode(email)),
        )
    };
    let refused = signup("victim@example.com");
    assert_eq!(
        refused.status, 200,
        "a 550 is the worker's business, not the visitor's"
    );
    let other = signup("other@example.com");
    assert_eq!((refused.status, &refused.body), (other.status, &other.body));
    // The other mail arrives after the refused one was tried: the log line is written by then.
    svc.smtp.wait_for(1, Duration::from_secs(15));
    drop(logged);
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("failed: "), "the failure is logged: {log}");
    assert!(!log.contains("victim@"), "without the address: {log}");
}

#[test]
fn a_confirmation_queued_while_the_mail_server_is_down_arrives_when_it_is_back() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut svc = Service::start(100);
    svc.stop();
    let down = Service::launch(
        &svc.site,
        &format!("smtp://127.0.0.1:{port}"),
        &[("DUNAV_RETRY_BASE_MS", "100")],
    );
    let r = post_form(
        &down.addr,
        "/subscribe",
        ORIGIN,
        "email=patient%40example.com&consent=yes",
    );
    assert_eq!(r.status, 200);
    let back = SmtpServer::start_on(port, true);
    let mail = &back.wait_for(1, Duration::from_secs(20))[0];
    assert_eq!(mail.to, ["patient@example.com"]);
}

#[test]
fn a_strangers_text_in_the_name_field_never_reaches_the_confirmation_mail() {
    let svc = Service::start(100);
    let spam = "You won 1000 EUR! Claim at https://scam.example/claim";
    let r = svc.signup(
        "victim@example.com",
        &format!(
            "&name={}&sectors=ict&sectors=ict&sectors=nope",
            urlencode(spam)
        ),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let mail = &svc.smtp.wait_for(1, Duration::from_secs(15))[0];
    let head = String::from_utf8_lossy(&mail.data);
    let to = head
        .lines()
        .find(|l| l.starts_with("To:"))
        .expect("a To header");
    assert_eq!(to.trim(), "To: victim@example.com");
    assert!(!head.contains("scam.example"), "{head}");
    let long = "x".repeat(121);
    assert_eq!(
        svc.signup("other@example.com", &format!("&name={long}"))
            .status,
        422
    );
    let confirm = svc.link_in_mail(0, "/confirm?token=");
    assert_eq!(svc.confirm(&confirm).status, 200);
    let export = svc.export();
    assert!(
        export.contains(",ict,confirmed,"),
        "each sector once: {export}"
    );
}

#[test]
fn names_with_line_breaks_are_refused_everywhere() {
    let svc = Service::start(100);
    let r = post_form(
        &svc.addr,
        "/subscribe",
        ORIGIN,
        "email=n%40example.com&consent=yes&name=Ivan%0D%0ABcc%3A%20evil%40example.com",
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let out = svc.site.run(&[
        "subscribers",
        "add",
        "n@example.com",
        "--name",
        "Ivan\r\nBcc: evil@example.com",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--name: contains a line break"));
}

#[test]
fn rotating_the_secret_keeps_mailed_links_and_erasures() {
    let mut svc = Service::start(100);
    member(&svc, "reader@example.com");
    let env = [
        ("DUNAV_SECRET", SECRET),
        ("DUNAV_SMTP_URL", &svc.smtp.url() as &str),
    ];
    let out = svc
        .site
        .run_env(&["newsletter", "send", "2026-02", "--yes"], &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let issue = svc.smtp.wait_for(2, Duration::from_secs(15))[1]
        .data
        .clone();
    let text = String::from_utf8_lossy(&issue).replace("=\r\n", "");
    let start = text.find("/subscriptions/unsubscribe?token=").unwrap();
    let unsubscribe: String = text[start + "/subscriptions".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "/?=._-".contains(*c))
        .collect();
    svc.site.run(&["subscribers", "erase", "gone@example.com"]);
    svc.stop();

    let new_secret = "a-brand-new-secret-after-rotation";
    let rotated = Service::launch(
        &svc.site,
        &svc.smtp.url(),
        &[
            ("DUNAV_SECRET", new_secret),
            ("DUNAV_SECRET_PREVIOUS", SECRET),
        ],
    );
    let r = http::request(
        &rotated.addr,
        "POST",
        &unsubscribe,
        &[],
        "List-Unsubscribe=One-Click",
    );
    assert_eq!(
        r.status, 200,
        "a link mailed before the rotation still works: {}",
        r.body
    );
    assert!(
        svc.subscribers()
            .contains("reader@example.com\ten\tunsubscribed")
    );
    svc.site.write("back.csv", "email\ngone@example.com\n");
    let out = svc.site.run_env(
        &["subscribers", "import", "back.csv"],
        &[("DUNAV_SECRET", new_secret)],
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("was erased at their request"),
        "an erasure outlives the secret"
    );
}

#[test]
fn the_export_turns_formulas_into_text() {
    let svc = Service::start(100);
    member(&svc, "=cmd@example.com");
    let r = svc.signup(
        "x@example.com",
        "&source=%3DHYPERLINK(%22http%3A%2F%2Fevil%22)",
    );
    assert_eq!(r.status, 200);
    let export = svc.export();
    assert!(export.contains("'=cmd@example.com"), "{export}");
    for line in export.lines() {
        for cell in line.split(',') {
            assert!(!cell.starts_with(['=', '+', '@']), "a live formula: {cell}");
        }
    }
}

#[test]
fn bad_tokens_are_refused_alike_whether_their_number_exists_or_not() {
    let svc = Service::start(100);
    member(&svc, "reader@example.com");
    let id = svc.subscribers().lines().count();
    let existing = get(
        &svc.addr,
        &format!("/unsubscribe?token=u{id}.0.AAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    );
    let missing = get(
        &svc.addr,
        "/unsubscribe?token=uzz.0.AAAAAAAAAAAAAAAAAAAAAAAAAAA",
    );
    assert_eq!(existing.status, 400);
    assert_eq!(
        (existing.status, existing.body),
        (missing.status, missing.body)
    );
}

#[test]
fn a_confirmation_link_dies_with_its_use_even_after_leaving_and_coming_back() {
    let svc = Service::start(100);
    svc.signup("loop@example.com", "");
    let first = svc.link_in_mail(0, "/confirm?token=");
    assert_eq!(svc.confirm(&first).status, 200);
    let r = http::request(
        &svc.addr,
        "POST",
        &format!(
            "/unsubscribe?token={}",
            unsubscribe_token(&svc, "loop@example.com")
        ),
        &[],
        "List-Unsubscribe=One-Click",
    );
    assert_eq!(r.status, 200);
    svc.db()
        .execute("UPDATE signups SET created_at = 0", [])
        .unwrap();
    svc.signup("loop@example.com", "");
    svc.link_in_mail(1, "/confirm?token=");
    assert_eq!(svc.confirm(&first).status, 400, "the old link stays dead");
    assert!(
        svc.subscribers()
            .contains("loop@example.com\ten\tunsubscribed")
    );
}

fn unsubscribe_token(svc: &Service, email: &str) -> String {
    let (id, key): (i64, String) = svc
        .db()
        .query_row(
            "SELECT id, token_key FROM subscribers WHERE email = ?1",
            [email],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    dunav::mail::tokens::Signer::new(SECRET.as_bytes()).sign(
        dunav::mail::tokens::Purpose::Unsubscribe,
        id,
        0,
        &key,
    )
}

#[test]
fn signups_are_deleted_when_their_link_expires() {
    let svc = Service::start(100);
    svc.signup("late@example.com", "");
    svc.link_in_mail(0, "/confirm?token=");
    svc.db()
        .execute("UPDATE signups SET expires_at = 1", [])
        .unwrap();
    svc.signup("next@example.com", "");
    svc.link_in_mail(1, "/confirm?token=");
    let left: Vec<String> = svc
        .db()
        .prepare("SELECT email FROM signups")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(left, ["next@example.com"], "the expired signup is gone");
}

#[test]
fn slow_and_idle_connections_are_closed_and_connections_are_capped() {
    let svc = Service::start_with("request_timeout_seconds = 1\nmax_connections = 2\n", &[]);
    let closed = |mut stream: TcpStream| {
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut buf = Vec::new();
        // The server closes the connection; a read that timed out would be an error.
        stream.read_to_end(&mut buf).is_ok()
    };
    let mut slow = TcpStream::connect(&svc.addr).unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    assert!(closed(slow), "headers that never end are cut off");
    let idle = TcpStream::connect(&svc.addr).unwrap();
    assert!(closed(idle), "an idle connection is closed");

    let a = TcpStream::connect(&svc.addr).unwrap();
    let b = TcpStream::connect(&svc.addr).unwrap();
    // Both slots are taken once the server has answered on them.
    for mut s in [&a, &b] {
        s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut buf = [0u8; 64];
        assert!(s.read(&mut buf).unwrap() > 0);
    }
    let mut third = TcpStream::connect(&svc.addr).unwrap();
    let _ = third.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    third
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = Vec::new();
    let _ = third.read_to_end(&mut answer);
    assert!(answer.is_empty(), "over the cap: closed without an answer");
    drop((a, b));
}

/// A body declared too large is refused at once, before a byte of it is
/// read (it waited out the body timeout, then said 400).
#[test]
fn a_body_declared_too_large_is_refused_at_once() {
    let svc = Service::start_with("request_timeout_seconds = 30\n", &[]);
    let mut stream = TcpStream::connect(&svc.addr).unwrap();
    stream
        .write_all(
            format!(
                "POST /subscribe HTTP/1.1\r\nHost: x\r\nOrigin: {ORIGIN}\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000000000\r\n\r\n"
            )
            .as_bytes(),
        )
        .unwrap();
    // Well within the body's 30 seconds: the answer does not wait for them.
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = [0u8; 64];
    let n = stream.read(&mut answer).unwrap();
    let status = String::from_utf8_lossy(&answer[..n]);
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
}

/// One client holding connections open (a slowloris from one address)
/// takes only its own share: another client is still answered.
#[test]
fn one_client_cannot_take_every_connection() {
    let svc = Service::start_with("max_connections_per_client = 2\n", &[]);
    let answered = |mut s: &TcpStream| {
        s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut buf = [0u8; 64];
        matches!(s.read(&mut buf), Ok(n) if n > 0)
    };
    let held: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(&svc.addr).unwrap())
        .collect();
    assert!(held.iter().all(answered));
    let third = TcpStream::connect(&svc.addr).unwrap();
    assert!(!answered(&third), "a third from the same client is closed");
    // Another address on loopback is another client.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let other = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
        socket.connect(svc.addr.parse().unwrap()).await.unwrap()
    });
    let other = other.into_std().unwrap();
    other.set_nonblocking(false).unwrap();
    assert!(answered(&other), "another client is served");
    drop(held);
}

#[test]
fn someone_signed_up_by_a_stranger_withdraws_with_the_mail_clients_unsubscribe() {
    let svc = Service::start(100);
    svc.signup("victim@example.com", "");
    let confirm = svc.link_in_mail(0, "/confirm?token=");
    let path = &svc.unsubscribe_in_mail(0);
    assert!(path.starts_with("/cancel?token="), "{path}");
    assert_eq!(
        get(&svc.addr, path).status,
        200,
        "a GET only shows a button"
    );
    assert!(svc.count().contains("signups awaiting confirmation\t1"));
    let r = http::request(&svc.addr, "POST", path, &[], "List-Unsubscribe=One-Click");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(svc.count().contains("signups awaiting confirmation\t0"));
    let again = http::request(&svc.addr, "POST", path, &[], "List-Unsubscribe=One-Click");
    assert_eq!(
        again.status, 200,
        "RFC 8058 clients may retry: {}",
        again.body
    );
    assert_eq!(svc.confirm(&confirm).status, 400, "the signup is gone");
    assert_eq!(svc.subscribers(), "");
}

#[test]
fn the_confirmation_mails_unsubscribe_works_after_confirming_too() {
    let svc = Service::start(100);
    svc.signup("reader@example.com", "");
    let confirm = svc.link_in_mail(0, "/confirm?token=");
    let cancel = svc.unsubscribe_in_mail(0);
    assert_eq!(svc.confirm(&confirm).status, 200);
    assert_eq!(svc.confirm(&confirm).status, 200, "pressed twice");
    assert!(
        svc.subscribers()
            .contains("reader@example.com\ten\tconfirmed")
    );
    for _ in 0..2 {
        let r = http::request(
            &svc.addr,
            "POST",
            &cancel,
            &[],
            "List-Unsubscribe=One-Click",
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("nsubscribed"), "{}", r.body);
    }
    assert!(
        svc.subscribers()
            .contains("reader@example.com\ten\tunsubscribed"),
        "{}",
        svc.subscribers()
    );
    assert_eq!(
        svc.confirm(&confirm).status,
        400,
        "an old confirmation does not bring them back"
    );
    // The signup's address is not kept with its link.
    let kept: i64 = svc
        .db()
        .query_row("SELECT COUNT(*) FROM closed_signups", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 1);
}
