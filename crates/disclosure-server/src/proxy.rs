//! Who is asking, behind the portal's reverse proxy.
//!
//! A county serves the API behind its portal's proxy (nginx, Caddy), which connects from
//! its own address and may rewrite `Host`. Only from a peer the operator named with
//! `--trusted-proxy` are `Forwarded` (RFC 7239) or `X-Forwarded-For`/`-Host`/`-Proto` read:
//! from anyone else they are ignored, so a forged header buys nothing. The client is the
//! rightmost address of the chain that is not itself a trusted proxy (the leftmost
//! entries are whatever the client chose to send).

use std::net::{IpAddr, SocketAddr};

use axum::http::{header, HeaderMap};
use ipnet::IpNet;

/// At most this many entries, counted from the right, are read from a forwarding chain:
/// a header of a thousand entries costs no more than one of this many.
pub const MAX_CHAIN: usize = 32;

/// A `--trusted-proxy` value that is neither an address nor a CIDR block.
#[derive(Debug, thiserror::Error)]
#[error(
    "--trusted-proxy {0:?}: expected an address (10.0.0.5) or a CIDR block (10.0.0.0/8, fd00::/8)"
)]
pub struct NotACidr(pub String);

/// The reverse proxies whose forwarding headers are believed; none by default.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

/// The request as the client made it: its address, and the host and scheme it asked for
/// (for the Origin check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientView {
    pub address: IpAddr,
    /// The host (with port when not the default) the client's browser addressed.
    pub host: Option<String>,
    /// `http` or `https` when a trusted proxy said which; otherwise unknown.
    pub proto: Option<String>,
}

/// One hop of a forwarding chain, as a proxy recorded it.
#[derive(Debug, Default, Clone)]
struct Hop {
    /// `None` for `unknown`, obfuscated identifiers and garbage.
    address: Option<IpAddr>,
    host: Option<String>,
    proto: Option<String>,
}

impl TrustedProxies {
    /// Reads `--trusted-proxy` values: addresses or CIDR blocks, IPv4 or IPv6.
    pub fn parse(values: &[String]) -> Result<TrustedProxies, NotACidr> {
        values
            .iter()
            .map(|value| {
                let value = value.trim();
                value
                    .parse::<IpNet>()
                    .or_else(|_| value.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| NotACidr(value.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// Whether `address` is one of the trusted proxies (an IPv4 address mapped into IPv6
    /// counts as itself).
    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client behind `peer`, the address that connected.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> ClientView {
        let own_host = || text(headers, header::HOST.as_str()).map(str::to_string);
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return ClientView {
                address: peer,
                host: own_host(),
                proto: None,
            };
        }
        let hops = forwarded_chain(headers);
        // Walk from the nearest hop outwards while the hops are trusted proxies.
        let mut nearest_trusted = peer;
        let mut chosen: Option<&Hop> = None;
        for hop in hops.iter().rev() {
            match hop.address {
                Some(address) if self.trusts(address) => nearest_trusted = address,
                Some(_) => {
                    chosen = Some(hop);
                    break;
                }
                // An entry that names no address cannot be told apart from a forged one:
                // the client is counted as the proxy that reported it.
                None => break,
            }
        }
        let x_host = || first_value(headers, "x-forwarded-host");
        let x_proto = || first_value(headers, "x-forwarded-proto");
        match chosen {
            Some(hop) => ClientView {
                address: hop.address.map(canonical).unwrap_or(nearest_trusted),
                host: hop.host.clone().or_else(x_host).or_else(own_host),
                proto: hop.proto.clone().or_else(x_proto),
            },
            None => ClientView {
                address: nearest_trusted,
                host: hops
                    .first()
                    .and_then(|hop| hop.host.clone())
                    .or_else(x_host)
                    .or_else(own_host),
                proto: hops
                    .first()
                    .and_then(|hop| hop.proto.clone())
                    .or_else(x_proto),
            },
        }
    }
}

fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The first of a comma-separated header's values (the one the first proxy set).
fn first_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = text(headers, name)?.split(',').next()?.trim();
    (!value.is_empty() && value.len() <= 255).then(|| value.to_ascii_lowercase())
}

/// The hops of `Forwarded` when present, else of `X-Forwarded-For`; only the rightmost
/// [`MAX_CHAIN`] entries of either, in order.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Hop> {
    let forwarded: Vec<&str> = headers
        .get_all(header::FORWARDED)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    if !forwarded.is_empty() {
        let elements: Vec<&str> = forwarded.iter().flat_map(|v| v.split(',')).collect();
        let start = elements.len().saturating_sub(MAX_CHAIN);
        return elements[start..]
            .iter()
            .map(|e| forwarded_element(e))
            .collect();
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    let start = entries.len().saturating_sub(MAX_CHAIN);
    entries[start..]
        .iter()
        .map(|entry| Hop {
            address: node_address(entry),
            ..Hop::default()
        })
        .collect()
}

/// One element of `Forwarded`: `for=192.0.2.60;proto=https;host=www.example.gov.cn`.
fn forwarded_element(element: &str) -> Hop {
    let mut hop = Hop::default();
    for pair in element.split(';') {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"');
        match name.trim().to_ascii_lowercase().as_str() {
            "for" => hop.address = node_address(value),
            "host" if !value.is_empty() && value.len() <= 255 => {
                hop.host = Some(value.to_ascii_lowercase())
            }
            "proto" if matches!(value.to_ascii_lowercase().as_str(), "http" | "https") => {
                hop.proto = Some(value.to_ascii_lowercase())
            }
            _ => {}
        }
    }
    hop
}

/// A node as proxies write it: `192.0.2.60`, `192.0.2.60:4711`, `[2001:db8::1]:4711`,
/// `2001:db8::1`. Anything else (`unknown`, `_hidden`, garbage) names no address.
fn node_address(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(address) = node.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = node.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    node.strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(inside, _)| inside.parse::<IpAddr>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn proxies(values: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&values.iter().map(|v| v.to_string()).collect::<Vec<_>>()).unwrap()
    }

    const PROXY: &str = "127.0.0.1";

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = proxies(&[]);
        let view = trusted.client(
            PROXY.parse().unwrap(),
            &headers(&[
                ("x-forwarded-for", "203.0.113.9"),
                ("forwarded", "for=203.0.113.9;host=evil.example;proto=https"),
                ("host", "127.0.0.1:8080"),
            ]),
        );
        assert_eq!(view.address, "127.0.0.1".parse::<IpAddr>().unwrap());
        assert_eq!(view.host.as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(view.proto, None);
    }

    #[test]
    fn the_rightmost_untrusted_address_is_the_client() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let forged_then_real = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.7, 10.1.2.3")]);
        let view = trusted.client(PROXY.parse().unwrap(), &forged_then_real);
        assert_eq!(view.address, "198.51.100.7".parse::<IpAddr>().unwrap());
        let forwarded = headers(&[(
            "forwarded",
            "for=1.2.3.4;host=evil.example, for=\"[2001:db8::7]:4711\";host=www.ningxiang.gov.cn;proto=https",
        )]);
        let view = trusted.client(PROXY.parse().unwrap(), &forwarded);
        assert_eq!(view.address, "2001:db8::7".parse::<IpAddr>().unwrap());
        assert_eq!(view.host.as_deref(), Some("www.ningxiang.gov.cn"));
        assert_eq!(view.proto.as_deref(), Some("https"));
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for_and_x_host_fills_in() {
        let trusted = proxies(&["127.0.0.0/8"]);
        let view = trusted.client(
            "::ffff:127.0.0.1".parse().unwrap(),
            &headers(&[
                ("forwarded", "for=192.0.2.60"),
                ("x-forwarded-for", "192.0.2.99"),
                ("x-forwarded-host", "www.ningxiang.gov.cn, other"),
                ("x-forwarded-proto", "https"),
                ("host", "127.0.0.1:9000"),
            ]),
        );
        assert_eq!(view.address, "192.0.2.60".parse::<IpAddr>().unwrap());
        assert_eq!(view.host.as_deref(), Some("www.ningxiang.gov.cn"));
        assert_eq!(view.proto.as_deref(), Some("https"));
    }

    #[test]
    fn garbage_and_huge_chains_fall_back_to_the_reporting_proxy() {
        let trusted = proxies(&["127.0.0.1"]);
        for value in [
            "unknown",
            "_hidden",
            "not an address",
            "999.1.1.1",
            "",
            "[::1",
        ] {
            let view = trusted.client(
                PROXY.parse().unwrap(),
                &headers(&[("x-forwarded-for", value)]),
            );
            assert_eq!(
                view.address,
                "127.0.0.1".parse::<IpAddr>().unwrap(),
                "{value:?}"
            );
        }
        let long: String = (0..1000)
            .map(|n| format!("for=10.0.{}.{}", n / 256, n % 256))
            .collect::<Vec<_>>()
            .join(", ");
        let view = trusted.client(PROXY.parse().unwrap(), &headers(&[("forwarded", &long)]));
        assert_eq!(view.address, "10.0.3.231".parse::<IpAddr>().unwrap());
        // A chain of trusted proxies only: the farthest one read (the 32nd from the
        // right, entry 968) is the client.
        let all_trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let view = all_trusted.client(PROXY.parse().unwrap(), &headers(&[("forwarded", &long)]));
        assert_eq!(view.address, "10.0.3.200".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn bad_cidrs_are_refused_with_the_value() {
        assert!(
            TrustedProxies::parse(&["10.0.0.0/8".into(), "::1".into(), "fd00::/8".into()]).is_ok()
        );
        let error = TrustedProxies::parse(&["10.0.0.0/33".into()]).unwrap_err();
        assert!(error.to_string().contains("10.0.0.0/33"));
        assert!(TrustedProxies::parse(&["proxy.example".into()]).is_err());
    }
}
