//! Mail benchmark: one issue to 10,000 subscribers through a loopback SMTP
//! sink, against the sink's own rate with a bare client, plus peak memory
//! for 2,000 and 10,000 subscribers (memory should stay flat).
//!
//!     cargo bench --bench newsletter

mod common;
#[path = "../tests/support/smtp.rs"]
mod smtp;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

const WORKERS: usize = 8;

fn main() {
    let total: usize = std::env::var("DUNAV_BENCH_SUBSCRIBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dunav = common::dunav();

    let sink = smtp::SmtpServer::start_with(false);
    let message = sample_message();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for w in 0..WORKERS {
            let (port, message) = (sink.port, &message);
            scope.spawn(move || {
                blast(
                    port,
                    message,
                    total / WORKERS + usize::from(w < total % WORKERS),
                )
            });
        }
    });
    sink.wait_for(total, Duration::from_secs(300));
    let raw_rate = total as f64 / started.elapsed().as_secs_f64();
    println!("newsletter: sink alone, {WORKERS} bare SMTP connections: {raw_rate:.0} messages/s");

    for subscribers in [total / 5, total] {
        let sink = smtp::SmtpServer::start_with(false);
        let site = common::generated_site(300);
        std::fs::create_dir_all(site.path().join("content/newsletter")).unwrap();
        std::fs::write(
            site.path().join("content/newsletter/bench.md"),
            "---\ntitle: \"Бюлетин\"\ndate: 2021-06-01T09:00:00\nsince: 2021-04-01\n---\n\nЗдравейте!\n",
        )
        .unwrap();
        let csv: String = std::iter::once("email,language".to_string())
            .chain((0..subscribers).map(|i| {
                format!(
                    "reader{i}@example.org,{}",
                    if i % 3 == 0 { "en" } else { "bg" }
                )
            }))
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(site.path().join("subscribers.csv"), csv).unwrap();
        let env = [
            ("DUNAV_SECRET", "benchmark-secret-0123456789".to_string()),
            ("DUNAV_SMTP_URL", format!("smtp://127.0.0.1:{}", sink.port)),
            (
                "DUNAV_DB",
                site.path()
                    .join("bench.sqlite")
                    .to_string_lossy()
                    .into_owned(),
            ),
        ];
        let run = |args: &[&str]| {
            let out = Command::new("/usr/bin/time")
                .args(["-f", "%e %M"])
                .arg(&dunav)
                .args(args)
                .arg("--root")
                .arg(site.path())
                .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
                .output()
                .expect("/usr/bin/time dunav");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            let last = stderr.lines().last().unwrap_or("0 0").to_string();
            let mut parts = last.split_whitespace();
            let secs: f64 = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            let kb: f64 = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
            (secs, kb / 1024.0)
        };
        let csv_path = site
            .path()
            .join("subscribers.csv")
            .to_string_lossy()
            .into_owned();
        run(&["subscribers", "import", &csv_path]);
        let (secs, peak) = run(&["newsletter", "send", "bench", "--yes"]);
        assert_eq!(sink.count(), subscribers, "every subscriber got the issue");
        let rate = subscribers as f64 / secs;
        println!(
            "newsletter: dunav send to {subscribers} subscribers, pool of 8: {secs:.2} s, {rate:.0} messages/s ({:.0}% of the sink alone), peak memory {peak:.0} MB",
            100.0 * rate / raw_rate
        );
    }
}

/// A message of a digest's size (about 20 KB), as lettre would send it.
fn sample_message() -> Vec<u8> {
    let mut body =
        String::from("From: news@example.org\r\nTo: reader@example.org\r\nSubject: bench\r\n\r\n");
    for i in 0..300 {
        body.push_str(&format!(
            "line {i} of a digest that is about as long as a real one........\r\n"
        ));
    }
    body.into_bytes()
}

fn blast(port: u16, message: &[u8], count: usize) {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_nodelay(true).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut expect = |reader: &mut BufReader<TcpStream>| loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.len() < 4 || line.as_bytes()[3] != b'-' {
            break;
        }
    };
    expect(&mut reader);
    writer.write_all(b"EHLO bench\r\n").unwrap();
    expect(&mut reader);
    for i in 0..count {
        writer
            .write_all(
                format!("MAIL FROM:<news@example.org>\r\nRCPT TO:<r{i}@example.org>\r\nDATA\r\n")
                    .as_bytes(),
            )
            .unwrap();
        expect(&mut reader);
        expect(&mut reader);
        expect(&mut reader);
        writer.write_all(message).unwrap();
        writer.write_all(b"\r\n.\r\n").unwrap();
        expect(&mut reader);
    }
    writer.write_all(b"QUIT\r\n").unwrap();
}
