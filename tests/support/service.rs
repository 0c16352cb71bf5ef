//! The signup service as a child process on a free port, with a loopback
//! SMTP server for its mail and helpers that act as a visitor would.
#![allow(dead_code)]

use std::process::Stdio;

use crate::support::http::{self, post_form};
use crate::support::server::Server;
use crate::support::smtp::SmtpServer;
use crate::support::{SITE_TOML, TestSite, md};

pub const SECRET: &str = "service-secret-0123456789abcdef";
pub const ORIGIN: &str = "https://example.org";

pub struct Service {
    pub site: TestSite,
    pub smtp: SmtpServer,
    pub server: Server,
    pub addr: String,
}

impl Service {
    /// The service with this rate limit and the usual settings.
    pub fn start(rate_limit: u32) -> Service {
        Self::start_with(&format!("rate_limit_per_minute = {rate_limit}\n"), &[])
    }

    /// The service with extra `[subscriptions]` settings and environment.
    pub fn start_with(subscriptions: &str, env: &[(&str, &str)]) -> Service {
        let smtp = SmtpServer::start();
        let toml = format!(
            "{SITE_TOML}from = \"ДИ ДИХ <news@example.org>\"\n\n[subscriptions]\npublic_url = \"https://example.org/subscriptions\"\nconsent_version = \"v7\"\n{subscriptions}"
        );
        let site = TestSite::new(&[
            ("site.toml", &toml),
            (
                "content/news/a.md",
                &md("title: Новина\ndate: 2026-02-10T10:00:00", "Текст."),
            ),
            (
                "content/newsletter/2026-02.md",
                &md("title: Бюлетин\ndate: 2026-03-01T09:00:00", "Здравейте."),
            ),
        ]);
        let server = Self::launch(&site, &smtp.url(), env);
        let addr = server.addr.clone();
        Service {
            site,
            smtp,
            server,
            addr,
        }
    }

    /// Stops the service process, for a test that starts its own on the same site.
    pub fn stop(&mut self) {
        let _ = self.server.child.kill();
        let _ = self.server.child.wait();
    }

    /// Starts the service process for `site` (again, after a restart).
    pub fn launch(site: &TestSite, smtp_url: &str, env: &[(&str, &str)]) -> Server {
        let mut all = vec![("DUNAV_SECRET", SECRET), ("DUNAV_SMTP_URL", smtp_url)];
        all.extend_from_slice(env);
        let mut command =
            site.command(&["subscriptions", "serve", "--listen", "127.0.0.1:0"], &all);
        command.stderr(Stdio::inherit());
        Server::start(command)
    }

    /// [`Service::launch`] with the service's stderr going to `log`.
    pub fn launch_logged(
        site: &TestSite,
        smtp_url: &str,
        env: &[(&str, &str)],
        log: &std::path::Path,
    ) -> Server {
        let mut all = vec![("DUNAV_SECRET", SECRET), ("DUNAV_SMTP_URL", smtp_url)];
        all.extend_from_slice(env);
        let mut command =
            site.command(&["subscriptions", "serve", "--listen", "127.0.0.1:0"], &all);
        command.stderr(std::fs::File::create(log).unwrap());
        Server::start(command)
    }

    pub fn signup(&self, email: &str, extra: &str) -> http::Response {
        post_form(
            &self.addr,
            "/subscribe",
            ORIGIN,
            &format!("email={}&language=en&consent=yes{extra}", urlencode(email)),
        )
    }

    /// Presses the confirmation page's button.
    pub fn confirm(&self, path: &str) -> http::Response {
        http::request(
            &self.addr,
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            "",
        )
    }

    pub fn count(&self) -> String {
        let out = self.site.run(&["subscribers", "count"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The id and token key of the signup waiting for `email`.
    pub fn signup_row(&self, email: &str) -> (i64, String) {
        self.db()
            .query_row(
                "SELECT id, token_key FROM signups WHERE email = ?1",
                [email],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    }

    /// The database, opened beside the service (as an attacker with no access would not).
    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.site.root().join("data/dunav.sqlite")).unwrap()
    }

    pub fn subscribers(&self) -> String {
        let out = self.site.run(&["subscribers", "list"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn export(&self) -> String {
        String::from_utf8_lossy(&self.site.run(&["subscribers", "export"]).stdout).into_owned()
    }

    /// The raw bytes of the n-th mail that arrived, once it has.
    fn mail(&self, n: usize) -> Vec<u8> {
        self.smtp
            .wait_for(n + 1, std::time::Duration::from_secs(15))
            .swap_remove(n)
            .data
    }

    /// The path of the n-th mail's List-Unsubscribe link, e.g. `/cancel?token=…`.
    pub fn unsubscribe_in_mail(&self, n: usize) -> String {
        let data = self.mail(n);
        let parsed = mail_parser::MessageParser::default().parse(&data).unwrap();
        let header = parsed
            .header_raw("List-Unsubscribe")
            .expect("List-Unsubscribe")
            .replace("\r\n", "");
        let url = header
            .trim()
            .trim_start_matches('<')
            .split('>')
            .next()
            .unwrap_or_default();
        url.trim_start_matches("https://example.org/subscriptions")
            .to_string()
    }

    /// The path of the link in the n-th mail that arrived, e.g. `/confirm?token=…`.
    pub fn link_in_mail(&self, n: usize, path: &str) -> String {
        let data = self.mail(n);
        let parsed = mail_parser::MessageParser::default().parse(&data).unwrap();
        let text = parsed.body_text(0).unwrap().into_owned();
        let start = text
            .find(&format!("https://example.org/subscriptions{path}"))
            .expect("a link in the mail");
        let url = text[start..].split_whitespace().next().unwrap().to_string();
        url.trim_start_matches("https://example.org/subscriptions")
            .to_string()
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
