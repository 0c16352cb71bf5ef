//! A real SMTP server on loopback for tests and the mail benchmark: it keeps
//! every message and can answer chosen recipients with 4xx or 5xx replies.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// One message as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Default)]
struct Shared {
    messages: Mutex<Vec<Received>>,
    arrived: Condvar,
    /// Recipient → replies to give to RCPT, in order; when used up, 250.
    replies: Mutex<HashMap<String, Vec<u16>>>,
    /// Messages accepted before every later connection is dropped.
    accept_limit: Mutex<Option<usize>>,
    keep: AtomicBool,
    /// EHLO does not offer SMTPUTF8, as many relays do not.
    ascii_only: AtomicBool,
    /// The reply every RCPT gets, when set (a server refusing the sender).
    every_rcpt: Mutex<Option<String>>,
    /// How long the reply to a message's end waits (a slow server).
    accept_after: Mutex<Duration>,
}

/// The server; it stops when dropped.
pub struct SmtpServer {
    pub port: u16,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
}

impl SmtpServer {
    /// Starts on a free port. `keep` false counts messages without storing bodies (benchmarks).
    pub fn start_with(keep: bool) -> SmtpServer {
        Self::start_on(0, keep)
    }

    /// Starts on `port` (0 for a free one).
    pub fn start_on(port: u16, keep: bool) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared::default());
        shared.keep.store(keep, Ordering::SeqCst);
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (shared.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let s = s.clone();
                std::thread::spawn(move || {
                    let _ = session(stream, &s);
                });
            }
        });
        SmtpServer { port, shared, stop }
    }

    pub fn start() -> SmtpServer {
        Self::start_with(true)
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// From now on, EHLO does not offer SMTPUTF8.
    pub fn without_smtputf8(&self) {
        self.shared.ascii_only.store(true, Ordering::SeqCst);
    }

    /// RCPT TO for `address` gets these codes first (e.g. `[451]`, `[550]`).
    pub fn reply_to_rcpt(&self, address: &str, codes: &[u16]) {
        self.shared
            .replies
            .lock()
            .unwrap()
            .insert(address.to_lowercase(), codes.to_vec());
    }

    /// How many of the replies set by [`SmtpServer::reply_to_rcpt`] for
    /// `address` are still to be given.
    pub fn replies_left(&self, address: &str) -> usize {
        self.shared
            .replies
            .lock()
            .unwrap()
            .get(&address.to_lowercase())
            .map_or(0, Vec::len)
    }

    /// From now on every RCPT gets `reply` (e.g. `554 5.7.1 Relay access
    /// denied`); `None` takes recipients again.
    pub fn reply_to_every_rcpt(&self, reply: Option<&str>) {
        *self.shared.every_rcpt.lock().unwrap() = reply.map(|r| format!("{r}\r\n"));
    }

    /// From now on the server takes `delay` to accept each message, so that
    /// a sender's other connections go on while one message is in flight.
    pub fn accept_slowly(&self, delay: Duration) {
        *self.shared.accept_after.lock().unwrap() = delay;
    }

    /// After `n` accepted messages, every new command gets the connection closed.
    pub fn accept_only(&self, n: usize) {
        *self.shared.accept_limit.lock().unwrap() = Some(n);
    }

    pub fn messages(&self) -> Vec<Received> {
        self.shared.messages.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.shared.messages.lock().unwrap().len()
    }

    /// Waits (on a condition variable, not a sleep) until `n` messages arrived.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        let mut messages = self.shared.messages.lock().unwrap();
        while messages.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "only {} of {n} messages arrived",
                messages.len()
            );
            messages = self.shared.arrived.wait_timeout(messages, left).unwrap().0;
        }
        messages.clone()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn session(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    out.write_all(b"220 localhost test SMTP\r\n")?;
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if let Some(limit) = *shared.accept_limit.lock().unwrap()
            && shared.messages.lock().unwrap().len() >= limit
        {
            return Ok(());
        }
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") && shared.ascii_only.load(Ordering::SeqCst)
        {
            b"250-localhost\r\n250-8BITMIME\r\n250 PIPELINING\r\n"
        } else if upper.starts_with("EHLO") {
            b"250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if upper.starts_with("RSET") {
            from.clear();
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&line);
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            let rcpt = address(&line);
            let code = {
                let mut replies = shared.replies.lock().unwrap();
                replies
                    .get_mut(&rcpt)
                    .and_then(|codes| (!codes.is_empty()).then(|| codes.remove(0)))
            };
            // Real servers name the recipient in their refusals.
            let every = shared.every_rcpt.lock().unwrap().clone();
            let refusal = match code {
                _ if every.is_some() => every,
                Some(451) => Some(format!("451 4.3.0 <{rcpt}>: try again later\r\n")),
                Some(450) => Some(format!(
                    "450 4.2.0 <{rcpt}>: greylisted, try again later\r\n"
                )),
                Some(550) => Some(format!("550 5.1.1 <{rcpt}>: no such mailbox\r\n")),
                Some(c) if c >= 500 => Some(format!("554 5.0.0 <{rcpt}>: rejected\r\n")),
                Some(c) if c >= 400 => Some(format!("450 4.0.0 <{rcpt}>: busy\r\n")),
                _ => None,
            };
            match refusal {
                Some(text) => {
                    out.write_all(text.as_bytes())?;
                    continue;
                }
                None => {
                    to.push(rcpt);
                    b"250 OK\r\n"
                }
            }
        } else if upper.starts_with("DATA") {
            out.write_all(b"354 go ahead\r\n")?;
            let mut data = Vec::new();
            let mut raw = Vec::new();
            loop {
                raw.clear();
                if reader.read_until(b'\n', &mut raw)? == 0 {
                    return Ok(());
                }
                if raw == b".\r\n" || raw == b".\n" {
                    break;
                }
                // Dot-stuffing (RFC 5321 §4.5.2).
                let body = if raw.starts_with(b"..") {
                    &raw[1..]
                } else {
                    &raw[..]
                };
                data.extend_from_slice(body);
            }
            let keep = shared.keep.load(Ordering::SeqCst);
            let message = Received {
                from: from.clone(),
                to: std::mem::take(&mut to),
                data: if keep { data } else { Vec::new() },
            };
            let delay = *shared.accept_after.lock().unwrap();
            if !delay.is_zero() {
                std::thread::sleep(delay);
            }
            shared.messages.lock().unwrap().push(message);
            shared.arrived.notify_all();
            b"250 OK queued\r\n"
        } else if upper.starts_with("QUIT") {
            out.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            b"502 command not implemented\r\n"
        };
        out.write_all(reply)?;
    }
}

fn address(line: &str) -> String {
    let start = line.find('<').map(|i| i + 1).unwrap_or(0);
    let end = line.rfind('>').unwrap_or(line.len());
    line[start..end.max(start)].trim().to_lowercase()
}
