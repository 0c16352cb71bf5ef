//! What keeps the service from being used against others: the origin check
//! for form posts, the client's address as a trusted proxy reports it, and a
//! per-client rate limit whose memory stays bounded.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, header};

/// How many clients the limiter remembers at most.
const MAX_CLIENTS: usize = 65_536;
const WINDOW: Duration = Duration::from_secs(60);

/// Per-client limit on valid form posts in a minute. A client is an IPv4
/// address or an IPv6 /64: one home or phone connection gets a whole /64.
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request; false when the client is over its limit.
    pub fn allow(&self, ip: IpAddr) -> bool {
        if self.per_minute == 0 {
            return true;
        }
        let Ok(mut windows) = self.windows.lock() else {
            return true;
        };
        let now = Instant::now();
        let key = client_key(ip);
        if windows.len() >= MAX_CLIENTS && !windows.contains_key(&key) {
            make_room(&mut windows, now);
        }
        let entry = windows.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= self.per_minute
    }

    /// How many clients are remembered (for tests of the bound).
    pub fn remembered(&self) -> usize {
        self.windows.lock().map(|w| w.len()).unwrap_or(0)
    }
}

/// Drops finished windows; if every window is current, the oldest quarter.
fn make_room(windows: &mut HashMap<IpAddr, (Instant, u32)>, now: Instant) {
    windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
    if windows.len() >= MAX_CLIENTS {
        let mut starts: Vec<Instant> = windows.values().map(|(s, _)| *s).collect();
        starts.sort();
        let cutoff = starts[starts.len() / 4];
        windows.retain(|_, (start, _)| *start > cutoff);
    }
}

/// The limiter's key of an address: IPv4 as it is, IPv6 cut to its /64.
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Addresses and ranges of the reverse proxies whose forwarding headers are believed.
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// From `[subscriptions] trusted_proxies` (already validated).
    pub fn new(ranges: &[String]) -> TrustedProxies {
        TrustedProxies(
            ranges
                .iter()
                .filter_map(|r| crate::config::parse_ip_range(r))
                .collect(),
        )
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        // A dual-stack socket reports an IPv4 proxy as `::ffff:a.b.c.d`.
        let ip = ip.to_canonical();
        self.0
            .iter()
            .any(|(net, prefix)| in_range(ip, *net, *prefix))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy;
    /// then the last address in `Forwarded`/`X-Forwarded-For` that is not one
    /// of ours (the ones before it are whatever the client chose to send).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        forwarded_chain(headers)
            .into_iter()
            .rev()
            .find(|ip| !self.contains(*ip))
            .unwrap_or(peer)
    }
}

fn in_range(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// The addresses a request passed through, client first: `Forwarded` (RFC 7239)
/// if present, else `X-Forwarded-For`; entries that are not addresses are skipped.
fn forwarded_chain(headers: &HeaderMap) -> Vec<IpAddr> {
    let all = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_string())
            .collect()
    };
    let forwarded = all("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.trim().split_once('=')?;
                    k.eq_ignore_ascii_case("for").then(|| parse_node(v))?
                })
            })
            .collect();
    }
    all("x-forwarded-for")
        .iter()
        .filter_map(|v| parse_node(v))
        .collect()
}

/// `192.0.2.1`, `"[2001:db8::1]:4711"`, `192.0.2.1:80` → the address.
fn parse_node(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    if let Ok(ip) = text.parse() {
        return Some(ip);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    text.rsplit_once(':')?.0.parse().ok()
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host = rest.split('/').next().unwrap_or("");
    format!("{scheme}://{host}")
}

/// Whether a form post comes from one of the allowed origins (Origin, else Referer).
pub fn origin_allowed(allowed: &[String], headers: &HeaderMap) -> bool {
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(|o| o.trim_end_matches('/').to_string())
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .map(origin_of)
        });
    origin.is_some_and(|o| allowed.contains(&o))
}

/// Connections open per client, so that one client (a slowloris holding
/// hundreds open) cannot take every connection the service serves.
pub struct ConnectionsPerClient {
    open: std::sync::Mutex<std::collections::HashMap<IpAddr, usize>>,
    cap: usize,
}

/// One connection counted against its client until dropped.
pub struct ClientConnection {
    clients: std::sync::Arc<ConnectionsPerClient>,
    key: IpAddr,
}

impl ConnectionsPerClient {
    pub fn new(cap: usize) -> std::sync::Arc<ConnectionsPerClient> {
        std::sync::Arc::new(ConnectionsPerClient {
            open: Default::default(),
            cap,
        })
    }

    /// A place for one more connection from `ip`, if it has fewer than the cap.
    pub fn admit(self: &std::sync::Arc<Self>, ip: IpAddr) -> Option<ClientConnection> {
        let key = client_key(ip);
        let mut open = self.open.lock().ok()?;
        let count = open.entry(key).or_insert(0);
        if *count >= self.cap {
            return None;
        }
        *count += 1;
        Some(ClientConnection {
            clients: self.clone(),
            key,
        })
    }
}

impl Drop for ClientConnection {
    fn drop(&mut self) {
        if let Ok(mut open) = self.clients.open.lock()
            && let Some(count) = open.get_mut(&self.key)
        {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_trusted_proxies_name_the_client() {
        let proxies = TrustedProxies::new(&["127.0.0.1".into(), "10.0.0.0/8".into()]);
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.1.2.3")]);
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(
            proxies.client(local, &h),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // A dual-stack socket's view of the same proxy.
        let mapped: IpAddr = "::ffff:127.0.0.1".parse().unwrap();
        assert!(proxies.contains(mapped));
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(
            proxies.client(stranger, &h),
            stranger,
            "a client cannot claim another address"
        );
        let h = headers(&[("forwarded", "for=\"[2001:db8::7]:4711\";proto=https")]);
        assert_eq!(
            proxies.client(local, &h),
            "2001:db8::7".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn an_ipv6_slash_64_is_one_client_and_memory_stays_bounded() {
        let limiter = RateLimiter::new(2);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert!(limiter.allow(a));
        assert!(limiter.allow(b));
        assert!(!limiter.allow(a), "the same /64");
        for i in 0..(MAX_CLIENTS as u32 + 1000) {
            limiter.allow(IpAddr::V4(std::net::Ipv4Addr::from(i)));
        }
        assert!(limiter.remembered() <= MAX_CLIENTS);
    }
}
