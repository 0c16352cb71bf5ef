//! Load benchmark for the signup service: RFC 8058 one-click unsubscribes and
//! signups from 200 concurrent keep-alive connections on loopback, with
//! requests per second, p50/p99 latency and errors.
//!
//!     cargo bench --bench subscriptions

mod common;
#[path = "../tests/support/smtp.rs"]
mod smtp;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 200;
const SECRET: &str = "benchmark-secret-0123456789";

fn main() {
    let seconds: u64 = std::env::var("DUNAV_BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let dunav = common::dunav();
    let sink = smtp::SmtpServer::start_with(false);
    let site = common::generated_site(50);
    let toml = std::fs::read_to_string(site.path().join("site.toml")).unwrap();
    let toml = toml.replace("rate_limit_per_minute = 10", "rate_limit_per_minute = 0");
    std::fs::write(site.path().join("site.toml"), toml).unwrap();
    let db = site.path().join("bench.sqlite");

    // 10,000 confirmed subscribers and their unsubscribe tokens.
    let tokens: Vec<String> = {
        let mut store = dunav::store::Store::open(&db).unwrap();
        let signer = dunav::mail::tokens::Signer::new(SECRET.as_bytes());
        (0..10_000)
            .map(|i| {
                let new = dunav::store::NewSubscriber {
                    email: format!("reader{i}@example.org"),
                    language: "bg".into(),
                    ..Default::default()
                };
                let (_, id) = store.upsert(&new).unwrap();
                let key = store.get(id).unwrap().unwrap().token_key;
                signer.sign(dunav::mail::tokens::Purpose::Unsubscribe, id, 0, &key)
            })
            .collect()
    };

    let mut child = Command::new(&dunav)
        .args([
            "subscriptions",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--root",
        ])
        .arg(site.path())
        .env("DUNAV_SECRET", SECRET)
        .env("DUNAV_SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port))
        .env("DUNAV_DB", &db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_string();
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));

    let next = AtomicUsize::new(0);
    let unsubscribe = |_: usize| {
        let i = next.fetch_add(1, Ordering::Relaxed) % tokens.len();
        (
            format!("/unsubscribe?token={}", tokens[i]),
            "List-Unsubscribe=One-Click".to_string(),
            false,
        )
    };
    // Paced at a fixed rate, latency counted from each request's planned start.
    load(
        "one-click unsubscribe, paced at 3,000/s",
        &addr,
        seconds,
        Some(3000.0),
        unsubscribe,
    );
    load(
        "one-click unsubscribe, as fast as possible",
        &addr,
        seconds,
        None,
        unsubscribe,
    );
    let signup = AtomicUsize::new(0);
    load(
        "signup (with confirmation mail), as fast as possible",
        &addr,
        seconds,
        None,
        |_| {
            let i = signup.fetch_add(1, Ordering::Relaxed);
            (
                "/subscribe".to_string(),
                format!("email=new{i}%40example.org&language=bg&consent=yes"),
                true,
            )
        },
    );
    let (rss, peak) = common::memory_mb(child.id());
    println!("subscriptions: service memory {rss:.0} MB resident, {peak:.0} MB peak");
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs `CONNECTIONS` keep-alive clients for `seconds`, each request from `request`.
fn load(
    name: &str,
    addr: &str,
    seconds: u64,
    rate: Option<f64>,
    request: impl Fn(usize) -> (String, String, bool) + Sync,
) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let errors = AtomicUsize::new(0);
    let started = Instant::now();
    let mut latencies: Vec<f64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CONNECTIONS)
            .map(|c| {
                let (request, errors) = (&request, &errors);
                scope.spawn(move || {
                    let mut times = Vec::new();
                    let mut conn = Conn::open(addr);
                    let interval = rate.map(|r| Duration::from_secs_f64(CONNECTIONS as f64 / r));
                    // Spread the connections' first requests over one interval.
                    let mut planned = Instant::now()
                        + interval
                            .map(|i| i.mul_f64(c as f64 / CONNECTIONS as f64))
                            .unwrap_or_default();
                    while Instant::now() < deadline {
                        let (path, body, origin) = request(c);
                        if interval.is_some() {
                            let now = Instant::now();
                            if planned > now {
                                std::thread::sleep(planned - now);
                            }
                        }
                        let t0 = if interval.is_some() {
                            planned
                        } else {
                            Instant::now()
                        };
                        planned += interval.unwrap_or_default();
                        match conn.post(addr, &path, &body, origin) {
                            Some(200) => times.push(t0.elapsed().as_secs_f64() * 1000.0),
                            _ => {
                                errors.fetch_add(1, Ordering::Relaxed);
                                conn = Conn::open(addr);
                            }
                        }
                    }
                    times
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    println!(
        "subscriptions: {name}: {:.0} requests/s over {CONNECTIONS} connections, p50 {:.2} ms, p99 {:.2} ms, {} errors",
        latencies.len() as f64 / elapsed,
        common::percentile(&latencies, 50.0),
        common::percentile(&latencies, 99.0),
        errors.load(Ordering::Relaxed)
    );
}

struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    fn open(addr: &str) -> Conn {
        let stream = TcpStream::connect(addr).unwrap();
        stream.set_nodelay(true).unwrap();
        Conn {
            reader: BufReader::new(stream),
        }
    }

    /// One request on the kept-alive connection; the status, or None on a broken connection.
    fn post(&mut self, addr: &str, path: &str, body: &str, origin: bool) -> Option<u16> {
        let origin = if origin {
            "Origin: https://didih.bg\r\n"
        } else {
            ""
        };
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n{origin}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        self.reader.get_mut().write_all(request.as_bytes()).ok()?;
        let mut line = String::new();
        self.reader.read_line(&mut line).ok()?;
        let status = line.split_whitespace().nth(1)?.parse().ok()?;
        let mut length = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line).ok()?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().ok()?;
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).ok()?;
        Some(status)
    }
}
