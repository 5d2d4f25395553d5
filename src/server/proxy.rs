//! The client's address behind a reverse proxy. Only a proxy listed in `TRUSTED_PROXIES` is
//! believed about `X-Forwarded-For`; anyone else could write any address there and escape the
//! per-address limits (sign-in failures, reset requests).

use std::net::IpAddr;

/// The address a request came from: the socket's peer, or, when that peer is a trusted proxy,
/// the nearest address in `X-Forwarded-For` that is not itself a trusted proxy. Proxies
/// append the address they saw, so the list is read from the right.
pub fn client_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(list) = forwarded_for else {
        return peer;
    };
    let mut nearest = peer;
    for hop in list.rsplit(',') {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else {
            // A malformed entry: nothing left of it can be trusted.
            return nearest;
        };
        if !trusted.contains(&ip) {
            return ip;
        }
        nearest = ip;
    }
    nearest
}

/// `TRUSTED_PROXIES`: addresses separated by commas or spaces.
pub fn parse_list(v: &str) -> Result<Vec<IpAddr>, String> {
    v.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpAddr>()
                .map_err(|_| format!("'{s}' is not an IP address"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let trusted = [ip("10.0.0.1")];
        let got = client_ip(ip("203.0.113.9"), Some("1.2.3.4"), &trusted);
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        // A client that forged the first entry; the proxies appended what they saw.
        let list = "6.6.6.6, 198.51.100.7, 10.0.0.2";
        assert_eq!(
            client_ip(ip("10.0.0.1"), Some(list), &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(client_ip(ip("10.0.0.1"), None, &trusted), ip("10.0.0.1"));
        assert_eq!(
            client_ip(ip("10.0.0.1"), Some("junk, 10.0.0.2"), &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_ip(ip("10.0.0.1"), Some("2001:db8::5"), &trusted),
            ip("2001:db8::5")
        );
    }

    #[test]
    fn the_list_is_read_strictly() {
        assert_eq!(
            parse_list("10.0.0.1, ::1 127.0.0.1").unwrap(),
            vec![ip("10.0.0.1"), ip("::1"), ip("127.0.0.1")]
        );
        assert!(parse_list("10.0.0.0/8").is_err());
        assert!(parse_list("").unwrap().is_empty());
    }
}
