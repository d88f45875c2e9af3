//! Where price fetches may go. A source's URL (configured, or reached by a
//! redirect) never reaches a loopback, private, link-local, shared or
//! metadata address unless that exact host and port is allowed in the
//! settings. Checked on the addresses a name resolves to, as the connection
//! is made (reqwest connects to what this resolver returns, so a name that
//! resolves differently the second time cannot slip past), and on every
//! redirect whose target is an address written out.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Turns a host name into addresses: the system's resolver, or one a test injects.
pub trait NameResolver: Send + Sync + 'static {
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;
}

/// The system's resolver (getaddrinfo, through tokio).
pub struct SystemResolver;

impl NameResolver for SystemResolver {
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>> {
        Box::pin(async move {
            let addresses = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addresses.map(|address| address.ip()).collect())
        })
    }
}

/// Which addresses may be fetched.
#[derive(Debug, Clone, Default)]
pub struct AddressPolicy {
    /// `host:port` pairs allowed although private or loopback.
    allowed: Vec<(String, u16)>,
}

impl AddressPolicy {
    pub fn new(allowed: &[String]) -> Self {
        Self {
            allowed: allowed
                .iter()
                .filter_map(|entry| {
                    let (host, port) = entry.rsplit_once(':')?;
                    Some((
                        host.trim_matches(['[', ']']).to_ascii_lowercase(),
                        port.parse().ok()?,
                    ))
                })
                .collect(),
        }
    }

    /// Whether `host:port` was allowed by name or address.
    pub fn allows_exactly(&self, host: &str, port: u16) -> bool {
        let host = host.trim_matches(['[', ']']).to_ascii_lowercase();
        self.allowed.iter().any(|(h, p)| *h == host && *p == port)
    }

    /// Whether an address may be reached for `host:port`.
    pub fn permits(&self, host: &str, address: IpAddr, port: u16) -> bool {
        is_public(address)
            || self.allows_exactly(host, port)
            || self.allows_exactly(&address.to_string(), port)
    }
}

/// Not loopback, private, link-local, shared (CGNAT), unspecified,
/// multicast, broadcast, documentation or metadata — for IPv6 too, including
/// IPv4-mapped and -compatible forms.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return public_v4(v4);
            }
            let segments = v6.segments();
            let compatible_v4 =
                segments[..6].iter().all(|s| *s == 0) && !v6.is_loopback() && !v6.is_unspecified();
            if compatible_v4 {
                let [a, b] = segments[6].to_be_bytes();
                let [c, d] = segments[7].to_be_bytes();
                return public_v4(Ipv4Addr::new(a, b, c, d));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (segments[0] & 0xfe00) == 0xfc00 // unique local
                || (segments[0] & 0xffc0) == 0xfe80 // link-local
                || (segments[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || segments[0] == 0x2001 && segments[1] == 0x0db8 // documentation
                || segments[0] == 0x0064 && segments[1] == 0xff9b) // NAT64 of anything
        }
    }
}

fn public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, _, _] = v4.octets();
    !(v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_multicast()
        || v4.is_broadcast()
        || v4.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space
        || (a == 192 && b == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240)
}

/// reqwest's resolver: the inner one's answers, only the permitted ones.
pub struct GuardedResolver {
    pub inner: Arc<dyn NameResolver>,
    pub policy: AddressPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let inner = Arc::clone(&self.inner);
        let policy = self.policy.clone();
        Box::pin(async move {
            let addresses = inner.lookup(host.clone()).await?;
            // The port is not known here: a name allowed with any port passes
            // its addresses; the connector's URL check sees the port.
            let permitted: Vec<SocketAddr> = addresses
                .into_iter()
                .filter(|address| {
                    is_public(*address)
                        || policy
                            .allowed
                            .iter()
                            .any(|(h, _)| *h == host.to_ascii_lowercase())
                })
                .map(|address| SocketAddr::new(address, 0))
                .collect();
            if permitted.is_empty() {
                return Err(
                    format!("{host} resolves only to addresses Herald may not fetch").into(),
                );
            }
            let addrs: Addrs = Box::new(permitted.into_iter());
            Ok(addrs)
        })
    }
}

/// Checks a URL before a request or a redirect is followed: http(s) only;
/// an address written out must be permitted (names are checked as they
/// resolve); a name allowed in the settings only with its port.
pub fn check_url(url: &reqwest::Url, policy: &AddressPolicy) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "only http and https are fetched, not {}",
            url.scheme()
        ));
    }
    let Some(host) = url.host() else {
        return Err("the URL has no host".to_owned());
    };
    let port = url.port_or_known_default().unwrap_or(0);
    let address = match host {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    };
    let host_text = url.host_str().unwrap_or_default();
    match address {
        Some(address) if !policy.permits(host_text, address, port) => {
            Err(format!("{address} is not an address Herald may fetch"))
        }
        // A name allowed to be private is allowed with its own port only.
        None if policy.allowed.iter().any(|(h, _)| h == host_text)
            && !policy.allows_exactly(host_text, port) =>
        {
            Err(format!(
                "{host_text}:{port} is not an address Herald may fetch"
            ))
        }
        _ => Ok(()),
    }
}

/// The redirect policy: at most five hops, each checked like the first URL.
pub fn redirects(policy: AddressPolicy) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > 5 {
            return attempt.error("too many redirects");
        }
        match check_url(attempt.url(), &policy) {
            Ok(()) => attempt.follow(),
            Err(problem) => attempt.error(problem),
        }
    })
}

/// A resolver for tests: fixed answers, never the network.
pub struct FixedResolver(pub Vec<(String, IpAddr)>);

impl NameResolver for FixedResolver {
    fn lookup(
        &self,
        host: String,
    ) -> Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>> {
        let found: Vec<IpAddr> = self
            .0
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case(&host))
            .map(|(_, address)| *address)
            .collect();
        Box::pin(async move {
            if found.is_empty() {
                Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such host",
                ))
            } else {
                Ok(found)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for address in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "192.0.0.8",
            "198.18.0.1",
        ] {
            assert!(!is_public(ip(address)), "{address} passed");
        }
        for address in ["1.1.1.1", "93.184.216.34", "2606:4700:4700::1111"] {
            assert!(is_public(ip(address)), "{address} refused");
        }
    }

    #[test]
    fn urls_are_checked_by_scheme_address_and_allowed_port() {
        let policy =
            AddressPolicy::new(&["127.0.0.1:8080".to_owned(), "prices.lan:9000".to_owned()]);
        let check = |url: &str| check_url(&reqwest::Url::parse(url).unwrap(), &policy);
        assert!(check("http://127.0.0.1:8080/p").is_ok());
        assert!(check("http://127.0.0.1:8081/p").is_err());
        assert!(check("http://169.254.169.254/latest/meta-data").is_err());
        assert!(check("http://[::1]:8080/").is_err());
        assert!(check("file:///etc/passwd").is_err());
        assert!(check("ftp://example.com/").is_err());
        assert!(check("https://example.com/").is_ok());
        assert!(check("http://prices.lan:9000/").is_ok());
        assert!(check("http://prices.lan:22/").is_err());
    }

    #[tokio::test]
    async fn the_resolver_drops_private_answers() {
        let inner = Arc::new(FixedResolver(vec![
            ("mixed.test".to_owned(), ip("10.0.0.1")),
            ("mixed.test".to_owned(), ip("93.184.216.34")),
            ("private.test".to_owned(), ip("192.168.0.9")),
        ]));
        let resolver = GuardedResolver {
            inner,
            policy: AddressPolicy::default(),
        };
        let mixed: Vec<SocketAddr> = resolver
            .resolve("mixed.test".parse().unwrap())
            .await
            .unwrap()
            .collect();
        assert_eq!(mixed, [SocketAddr::new(ip("93.184.216.34"), 0)]);
        assert!(
            resolver
                .resolve("private.test".parse().unwrap())
                .await
                .is_err()
        );
    }
}
