//! Dev-server benchmark: serves a generated tree and reports the time from
//! each write to the reload event for 50 body edits and 20 title edits, and
//! for 5 template edits the time until the page open in the (simulated) tab
//! is served changed, until a page no tab shows, asked for right after the
//! reload, is, and until every output is rendered (median, p95, max); and
//! the memory while serving.
//!
//!     cargo bench --bench serve            # 10,000 pages
//!     DUNAV_BENCH_PAGES=1000 cargo bench --bench serve
//!     DUNAV_BENCH_BINARY=/tmp/old/dunav cargo bench --bench serve   # another build

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

fn main() {
    let pages: usize = std::env::var("DUNAV_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dunav = common::dunav();
    let site = common::generated_site(pages);
    let started = Instant::now();
    let mut child = Command::new(&dunav)
        .args(["serve", "--port", "0", "--root"])
        .arg(site.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dunav serve");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut addr = String::new();
    let mut line = String::new();
    while addr.is_empty() {
        line.clear();
        if out.read_line(&mut line).unwrap() == 0 {
            panic!("dunav serve exited");
        }
        if let Some(rest) = line.split("http://").nth(1) {
            addr = rest.split('/').next().unwrap().to_string();
        }
    }
    println!(
        "serve: {pages} pages ready in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    // The server's own lines: the search index is rebuilt after saves pause.
    let (lines_tx, lines) = channel();
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                return;
            }
        }
    });
    // A tab showing the news listing, as the live-reload script announces it.
    let events = subscribe(&addr, "/news/");

    let page = site.path().join("content/news/news-00042.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let body_edits = timed_edits(&events, 50, |i| {
        let edited = original.replacen("\n---\n", &format!("\n---\n\nРедакция {i}.\n"), 1);
        std::fs::write(&page, edited).unwrap();
    });
    report(
        "content edit -> reload event over 50 edits",
        &body_edits,
        "ms",
    );
    let (rss, _) = common::memory_mb(child.id());
    println!("serve: memory while editing (search index not yet built): {rss:.0} MB resident");

    // A new title moves nothing, but every listing, term page and feed that shows it changes.
    let titled = site.path().join("content/news/news-00100.md");
    let original = std::fs::read_to_string(&titled).unwrap();
    let title_edits = timed_edits(&events, 20, |i| {
        let edited = original.replacen("title: \"", &format!("title: \"Заглавие {i} "), 1);
        std::fs::write(&titled, edited).unwrap();
    });
    report(
        "title edit -> reload event over 20 edits",
        &title_edits,
        "ms",
    );

    let template = site
        .path()
        .join("themes/dunav/templates/partials/card.html");
    let text = std::fs::read_to_string(&template).unwrap();
    // A change to every listing: the open tab's page is rendered first; a
    // page no tab shows, asked for at once, is rendered ahead of the rest;
    // the server says when every output is rendered.
    let mut viewed = Vec::new();
    let mut asked = Vec::new();
    let mut everything = Vec::new();
    for i in 0..5 {
        let t0 = Instant::now();
        let mark = format!("card-body edited-{i}");
        std::fs::write(&template, text.replace("card-body", &mark)).unwrap();
        wait_for(&events, "reload");
        assert!(
            get(&addr, "/news/").contains(&mark),
            "the open page is served changed"
        );
        viewed.push(t0.elapsed().as_secs_f64());
        assert!(
            get(&addr, "/en/news/").contains(&mark),
            "so is a page no tab shows"
        );
        asked.push(t0.elapsed().as_secs_f64());
        wait_for_every_output(&lines, "card.html changed:");
        everything.push(t0.elapsed().as_secs_f64());
    }
    viewed.sort_by(f64::total_cmp);
    asked.sort_by(f64::total_cmp);
    everything.sort_by(f64::total_cmp);
    report(
        "template edit -> open page served changed, over 5 edits",
        &viewed,
        "s",
    );
    report(
        "template edit -> another page, asked for after the reload, served changed",
        &asked,
        "s",
    );
    report("template edit -> every output rendered", &everything, "s");

    // The search index waits for saves to pause; what serve holds counts it.
    // An index begun before the first edit may have reported meanwhile: the
    // one to wait for starts after the last edit.
    while lines.try_recv().is_ok() {}
    loop {
        match lines.recv_timeout(Duration::from_secs(120)) {
            Ok(line) if line.starts_with("search index:") => break,
            Ok(_) => {}
            Err(_) => panic!("the search index was not rebuilt"),
        }
    }
    // Freed memory goes back to the system once the server has idled a moment.
    std::thread::sleep(dunav::serve::watch::IDLE_TICK * 2);
    let (rss, peak) = common::memory_mb(child.id());
    println!("serve: memory with the search index, idle: {rss:.0} MB resident, {peak:.0} MB peak");
    let _ = child.kill();
    let _ = child.wait();
}

/// Makes `count` edits, each after the previous one's reload; the times from
/// each write to its reload event, in milliseconds, sorted.
fn timed_edits(events: &Receiver<String>, count: usize, edit: impl Fn(usize)) -> Vec<f64> {
    let mut latencies = Vec::with_capacity(count);
    for i in 0..count {
        let t0 = Instant::now();
        edit(i);
        wait_for(events, "reload");
        latencies.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    latencies
}

fn report(what: &str, sorted: &[f64], unit: &str) {
    println!(
        "serve: {what}: median {:.2} {unit}, p95 {:.2} {unit}, max {:.2} {unit}",
        common::percentile(sorted, 50.0),
        common::percentile(sorted, 95.0),
        sorted.last().copied().unwrap_or(0.0)
    );
}

/// The body of a page, as a browser would fetch it.
fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response).unwrap();
    response
}

fn subscribe(addr: &str, viewing: &str) -> Receiver<String> {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /__dunav/events?path={viewing} HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            if let Some(event) = line.trim_end().strip_prefix("event: ")
                && tx.send(event.to_string()).is_err()
            {
                return;
            }
            line.clear();
        }
    });
    wait_for(&rx, "hello");
    rx
}

/// Waits for the server's line saying a rebuild for `change` updated outputs
/// (a save seen twice makes a second rebuild that updates none).
fn wait_for_every_output(lines: &Receiver<String>, change: &str) {
    loop {
        match lines.recv_timeout(Duration::from_secs(120)) {
            Ok(line) if line.contains(change) && !line.contains(": 0 output(s)") => return,
            Ok(_) => {}
            Err(_) => panic!("no rebuild of every output reported"),
        }
    }
}

fn wait_for(rx: &Receiver<String>, wanted: &str) {
    loop {
        match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(event) if event == wanted => return,
            Ok(event) if event == "build-error" => panic!("the rebuild failed"),
            Ok(_) => {}
            Err(_) => panic!("no {wanted} event"),
        }
    }
}
