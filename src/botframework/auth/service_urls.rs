//! Which service URLs Herald trusts with its messages and its token.

use url::Url;

use crate::botframework::inbound::is_loopback;

/// Hosts, exact (`smba.trafficmanager.net`) or by suffix (`*.botframework.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedHosts {
    patterns: Vec<String>,
    any_loopback: bool,
}

impl TrustedHosts {
    pub fn new(patterns: impl IntoIterator<Item = String>) -> Self {
        Self {
            patterns: patterns
                .into_iter()
                .map(|p| p.trim().trim_end_matches('.').to_ascii_lowercase())
                .filter(|p| !p.is_empty())
                .collect(),
            any_loopback: false,
        }
    }

    /// Also trusts every loopback URL: the Emulator's connector runs on this machine.
    pub fn with_loopback(mut self, allowed: bool) -> Self {
        self.any_loopback = allowed;
        self
    }

    /// A pattern is either a host name or `*.` followed by a domain (which the
    /// domain itself does not match).
    pub fn is_valid_pattern(pattern: &str) -> bool {
        let host = pattern.strip_prefix("*.").unwrap_or(pattern);
        !host.is_empty()
            && !host.contains(['*', '/', ':', '@'])
            && host.contains(|c: char| c.is_ascii_alphanumeric())
    }

    /// Whether `url` may receive Herald's messages and token: https to a listed
    /// host, or http(s) to a listed loopback host.
    pub fn allows(&self, url: &Url) -> bool {
        if self.any_loopback && is_loopback(url) {
            return true;
        }
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let listed = self
            .patterns
            .iter()
            .any(|pattern| match pattern.strip_prefix("*.") {
                Some(domain) => {
                    host.len() > domain.len() + 1 && host.ends_with(&format!(".{domain}"))
                }
                None => host == *pattern,
            });
        listed && (url.scheme() == "https" || is_loopback(url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> TrustedHosts {
        TrustedHosts::new([
            "smba.trafficmanager.net".into(),
            "*.botframework.com".into(),
            "127.0.0.1".into(),
        ])
    }

    fn allows(url: &str) -> bool {
        hosts().allows(&Url::parse(url).unwrap())
    }

    #[test]
    fn listed_hosts_over_https_are_trusted() {
        assert!(allows("https://smba.trafficmanager.net/emea/"));
        assert!(allows("https://webchat.botframework.com/"));
        assert!(allows("http://127.0.0.1:4000/"));
    }

    #[test]
    fn everything_else_is_not() {
        assert!(
            !allows("http://smba.trafficmanager.net/emea/"),
            "plain http to a real host"
        );
        assert!(!allows("https://evil.trafficmanager.net/"));
        assert!(!allows("https://botframework.com.evil.net/"));
        assert!(!allows("https://evilbotframework.com/"));
        assert!(
            !allows("https://botframework.com/"),
            "the wildcard needs a subdomain"
        );
        assert!(!allows("https://127.0.0.2/"));
    }

    #[test]
    fn loopback_can_be_trusted_wholesale_for_the_emulator() {
        let hosts = hosts().with_loopback(true);
        assert!(hosts.allows(&Url::parse("http://localhost:50123/").unwrap()));
        assert!(!hosts.allows(&Url::parse("http://10.1.1.1/").unwrap()));
    }

    #[test]
    fn patterns_are_checked() {
        assert!(TrustedHosts::is_valid_pattern("*.botframework.com"));
        assert!(TrustedHosts::is_valid_pattern("smba.trafficmanager.net"));
        assert!(!TrustedHosts::is_valid_pattern("*"));
        assert!(!TrustedHosts::is_valid_pattern("*.*.com"));
        assert!(!TrustedHosts::is_valid_pattern("https://x.com"));
    }
}
