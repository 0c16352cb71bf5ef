//! A dunav server run as a child process: started on a free port, its
//! address read from what it prints, killed when the test is done with it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// A running server; dropping it kills the process.
pub struct Server {
    pub child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `command` (which listens on port 0; its stderr is the caller's
    /// choice) and reads its address from
    /// the first line it prints with `http://`; the rest of its output is
    /// drained so that it never writes into a full or closed pipe.
    pub fn start(mut command: Command) -> Server {
        let mut child = command
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        let addr = loop {
            line.clear();
            let read = stdout
                .read_line(&mut line)
                .expect("read the server's output");
            assert!(read > 0, "the server exited before saying where it listens");
            if let Some(rest) = line.split("http://").nth(1) {
                break rest.split('/').next().unwrap_or_default().to_string();
            }
        };
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Server { child, addr }
    }

    /// The server's port.
    pub fn port(&self) -> &str {
        self.addr.rsplit(':').next().unwrap_or_default()
    }
}

/// Server-sent events as (event, data), read from `path` as they come; the
/// first, `hello`, has been received when this returns.
pub fn events(addr: &str, path: &str) -> Receiver<(String, String)> {
    events_after_hello(addr, path).1
}

/// Like [`events`], with the data of the `hello` event (the server's state on connecting).
pub fn events_after_hello(addr: &str, path: &str) -> (String, Receiver<(String, String)>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("request");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let (mut event, mut data) = (String::new(), String::new());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            let l = line.trim_end_matches(['\r', '\n']).to_string();
            line.clear();
            if let Some(e) = l.strip_prefix("event:") {
                event = e.trim().to_string();
            } else if let Some(d) = l.strip_prefix("data:") {
                data = d.strip_prefix(' ').unwrap_or(d).to_string();
            } else if l.is_empty()
                && !event.is_empty()
                && tx
                    .send((std::mem::take(&mut event), std::mem::take(&mut data)))
                    .is_err()
            {
                return;
            }
        }
    });
    let (first, hello) = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("a hello event");
    assert_eq!(first, "hello");
    (hello, rx)
}

/// Waits for the next event called `wanted`, skipping others; its data.
pub fn wait_event(rx: &Receiver<(String, String)>, wanted: &str) -> String {
    loop {
        let (event, data) = rx
            .recv_timeout(Duration::from_secs(15))
            .unwrap_or_else(|_| panic!("no `{wanted}` event"));
        if event == wanted {
            return data;
        }
    }
}
