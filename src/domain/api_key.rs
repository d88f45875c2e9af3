//! What an API key is, as configured: its name, the SHA-256 digest it is
//! kept as, and the scopes it grants. Checking a presented key and its rate
//! is `http::api::keys`; the settings read keys with `parse_digest`.

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    JobsRead,
    JobsWrite,
    TriggersRead,
    TriggersWrite,
    DeliveriesRead,
    DeliveriesWrite,
    MetricsRead,
    PricesWrite,
}

impl Scope {
    pub const ALL: [Scope; 8] = [
        Scope::JobsRead,
        Scope::JobsWrite,
        Scope::TriggersRead,
        Scope::TriggersWrite,
        Scope::DeliveriesRead,
        Scope::DeliveriesWrite,
        Scope::MetricsRead,
        Scope::PricesWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::JobsRead => "jobs:read",
            Self::JobsWrite => "jobs:write",
            Self::TriggersRead => "triggers:read",
            Self::TriggersWrite => "triggers:write",
            Self::DeliveriesRead => "deliveries:read",
            Self::DeliveriesWrite => "deliveries:write",
            Self::MetricsRead => "metrics:read",
            Self::PricesWrite => "prices:write",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == name)
    }
}

/// A configured key.
#[derive(Debug, Clone)]
pub struct ApiKey {
    pub name: String,
    pub sha256: [u8; 32],
    pub scopes: Vec<Scope>,
}

/// Reads a configured digest (64 hex digits).
pub fn parse_digest(hex_digest: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(hex_digest.trim()).ok()?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_back_and_digests_are_64_hex_digits() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
        }
        assert_eq!(Scope::parse("jobs:admin"), None);
        assert_eq!(parse_digest(&"ab".repeat(32)), Some([0xab; 32]));
        assert_eq!(parse_digest(&"ab".repeat(31)), None);
        assert_eq!(parse_digest("zz"), None);
    }
}
