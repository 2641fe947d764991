//! The client address: the connection's peer ([`PeerAddr`]), the client behind proxies,
//! and the address a per-IP bucket is keyed by.
//!
//! `X-Forwarded-For` and `Forwarded` are lists that every hop appends to: the client
//! writes whatever it likes at the left, and only the entries added by proxies the
//! service trusts are believed. So the list is read **from the right**, skipping the
//! entries of trusted proxies; the first other address is the client. The header is
//! believed only when the peer itself is a trusted proxy (or, with no
//! `trusted_proxies`, the one proxy assumed in front of the service: then the rightmost
//! entry is the client). An entry that is not an address stops the walk at the hop to
//! its right.
//!
//! IPv6 clients are bucketed by their /64 (one subscriber's network), IPv4 by the
//! address; an IPv4-mapped IPv6 address counts as IPv4.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::http::{HeaderMap, HeaderName};

/// The peer address of a connection (the `ConnectInfo` type of this service).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);

/// An address range, `10.0.0.0/8` or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl Cidr {
    /// Parses `ADDR` or `ADDR/BITS`. `None` if it is neither.
    #[must_use]
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (addr, bits) = match text.split_once('/') {
            Some((a, b)) => (a, Some(b.parse::<u8>().ok()?)),
            None => (text, None),
        };
        let net = canonical(addr.parse::<IpAddr>().ok()?);
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = bits.unwrap_or(max);
        if bits > max {
            return None;
        }
        Some(Self {
            net: mask(net, bits),
            bits,
        })
    }

    /// Whether `ip` is in the range.
    #[must_use]
    pub(crate) fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        ip.is_ipv4() == self.net.is_ipv4() && mask(ip, self.bits) == self.net
    }
}

/// IPv4-mapped IPv6 (`::ffff:a.b.c.d`) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

fn mask(ip: IpAddr, bits: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let m = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(bits))
            };
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & m))
        }
        IpAddr::V6(v6) => {
            let m = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(bits))
            };
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & m))
        }
    }
}

/// The address a per-IP bucket is keyed by: IPv4 as is, IPv6 by its /64.
#[must_use]
pub(crate) fn bucket_addr(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        v4 @ IpAddr::V4(_) => v4,
        v6 => mask(v6, 64),
    }
}

/// How the client address is found.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClientIpRule {
    /// The forwarding header, if any.
    pub header: Option<HeaderName>,
    /// Trusted proxies; empty: the one proxy in front of the service.
    pub trusted: Vec<Cidr>,
}

impl ClientIpRule {
    fn trusted(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|c| c.contains(ip))
    }

    /// The client address of a request from `peer` (`None`: unknown peer, as in
    /// tests that call the router directly; the header is then believed).
    #[must_use]
    pub(crate) fn client_ip(&self, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
        let Some(name) = &self.header else {
            return peer;
        };
        if let Some(p) = peer
            && !self.trusted.is_empty()
            && !self.trusted(p)
        {
            // A direct client: whatever it wrote is not a proxy's word.
            return Some(p);
        }
        let forwarded = *name == "forwarded";
        // Every entry, left to right, over all instances of the header.
        let mut entries: Vec<Option<IpAddr>> = Vec::new();
        for value in headers.get_all(name) {
            let Ok(text) = value.to_str() else {
                entries.push(None);
                continue;
            };
            for part in text.split(',') {
                entries.push(if forwarded {
                    forwarded_for(part)
                } else {
                    parse_node(part)
                });
            }
        }
        let mut client = peer;
        for entry in entries.iter().rev() {
            match entry {
                Some(ip) => {
                    client = Some(*ip);
                    if self.trusted.is_empty() || !self.trusted(*ip) {
                        // With no list, the rightmost entry (the one proxy's) is the
                        // client; with a list, the first untrusted hop.
                        break;
                    }
                }
                // Not an address: the hop to its right is as far as the chain is known.
                None => break,
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, optionally `[v6]:port` or `v4:port`.
fn parse_node(text: &str) -> Option<IpAddr> {
    let t = text.trim().trim_matches('"');
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = t.strip_prefix('[') {
        let (addr, _) = rest.split_once(']')?;
        return addr
            .parse::<Ipv6Addr>()
            .ok()
            .map(|v6| canonical(IpAddr::V6(v6)));
    }
    let (addr, port) = t.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    addr.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The `for=` node of one `Forwarded` element (RFC 7239 §4), if it is an address.
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("for")
            .then(|| parse_node(v))?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(header: &str, trusted: &[&str]) -> ClientIpRule {
        ClientIpRule {
            header: Some(
                HeaderName::from_bytes(header.as_bytes()).unwrap_or(HeaderName::from_static("x")),
            ),
            trusted: trusted.iter().filter_map(|t| Cidr::parse(t)).collect(),
        }
    }

    fn headers(name: &'static str, values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            if let Ok(v) = v.parse() {
                h.append(name, v);
            }
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn cidrs() {
        let c = Cidr::parse("10.0.0.0/8");
        assert!(c.is_some_and(|c| c.contains(ip("10.200.1.1"))));
        assert!(c.is_some_and(|c| !c.contains(ip("11.0.0.1"))));
        assert!(c.is_some_and(|c| c.contains(ip("::ffff:10.1.2.3"))));
        assert!(Cidr::parse("2001:db8::/32").is_some_and(|c| c.contains(ip("2001:db8:1::5"))));
        assert!(Cidr::parse("192.0.2.7").is_some_and(|c| !c.contains(ip("192.0.2.8"))));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("nonsense"), None);
        assert_eq!(
            Cidr::parse("0.0.0.0/0").map(|c| c.contains(ip("8.8.8.8"))),
            Some(true)
        );
    }

    #[test]
    fn walks_from_the_right_past_trusted_hops() {
        let r = rule("x-forwarded-for", &["10.0.0.0/8"]);
        let peer = Some(ip("10.0.0.2"));
        let h = headers("x-forwarded-for", &["6.6.6.6, 203.0.113.9, 10.1.1.1"]);
        assert_eq!(r.client_ip(&h, peer), Some(ip("203.0.113.9")));
        // Split over two header lines: the same list.
        let h = headers("x-forwarded-for", &["6.6.6.6", "203.0.113.9, 10.1.1.1"]);
        assert_eq!(r.client_ip(&h, peer), Some(ip("203.0.113.9")));
        // A peer that is not a trusted proxy: its header is ignored.
        assert_eq!(
            r.client_ip(&h, Some(ip("198.51.100.1"))),
            Some(ip("198.51.100.1"))
        );
        // No list: the rightmost entry.
        let r = rule("x-forwarded-for", &[]);
        let h = headers("x-forwarded-for", &["6.6.6.6, 203.0.113.9"]);
        assert_eq!(r.client_ip(&h, peer), Some(ip("203.0.113.9")));
        // Garbage stops the walk at the hop to its right.
        let r = rule("x-forwarded-for", &["10.0.0.0/8"]);
        let h = headers("x-forwarded-for", &["203.0.113.9, garbage, 10.1.1.1"]);
        assert_eq!(r.client_ip(&h, peer), Some(ip("10.1.1.1")));
    }

    #[test]
    fn forwarded_header() {
        let r = rule("forwarded", &["10.0.0.0/8"]);
        let h = headers(
            "forwarded",
            &[r#"for=6.6.6.6, for="[2001:db8::1]:4711";proto=https, for=10.0.0.9"#],
        );
        assert_eq!(
            r.client_ip(&h, Some(ip("10.0.0.1"))),
            Some(ip("2001:db8::1"))
        );
        let h = headers("forwarded", &["for=unknown, for=10.0.0.9"]);
        assert_eq!(r.client_ip(&h, Some(ip("10.0.0.1"))), Some(ip("10.0.0.9")));
    }

    #[test]
    fn ipv6_buckets_by_64() {
        assert_eq!(
            bucket_addr(ip("2001:db8:1:2:aaaa::1")),
            ip("2001:db8:1:2::")
        );
        assert_eq!(bucket_addr(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
        assert_eq!(bucket_addr(ip("192.0.2.1")), ip("192.0.2.1"));
    }
}
