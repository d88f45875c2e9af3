//! API keys for external systems: who may call `/api/v1`, with which scopes,
//! and how often.
//!
//! Keys are random (`hk_` + 256 bits), shown once when generated, and stored
//! only as SHA-256 digests: a fast hash suffices for secrets this long. A
//! presented key is hashed and compared with every configured digest in
//! constant time. Without configured keys the API is open only on a loopback
//! listener (development), and closed elsewhere.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::Quota;
use ring::rand::{SecureRandom, SystemRandom};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::domain::api_key::{ApiKey, Scope};
use crate::domain::clock::Clock;
use crate::rate_limit::{KeyedLimiter, check_key, keyed_limiter};

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub name: String,
}

/// Why a call was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unauthorized,
    Forbidden(Scope),
    RateLimited { retry_after: Duration },
}

pub struct ApiAccess {
    keys: Vec<ApiKey>,
    /// No keys and a loopback listener: development mode.
    open: bool,
    limiter: KeyedLimiter<String>,
}

impl ApiAccess {
    /// Callers' rates are timed on `clock`.
    pub fn new(
        keys: Vec<ApiKey>,
        loopback: bool,
        requests_per_minute: NonZeroU32,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            open: keys.is_empty() && loopback,
            keys,
            limiter: keyed_limiter(Quota::per_minute(requests_per_minute), clock),
        }
    }

    /// Checks the presented key (the request's bearer token) for `scope`, then
    /// the caller's rate.
    pub fn authorize(&self, presented: Option<&str>, scope: Scope) -> Result<Caller, Refusal> {
        let caller = if self.open {
            Caller {
                name: "development".to_owned(),
            }
        } else {
            let presented = presented.ok_or(Refusal::Unauthorized)?;
            let key = self.find(presented).ok_or(Refusal::Unauthorized)?;
            if !key.scopes.contains(&scope) {
                return Err(Refusal::Forbidden(scope));
            }
            Caller {
                name: key.name.clone(),
            }
        };
        check_key(&self.limiter, &caller.name)
            .map_err(|retry_after| Refusal::RateLimited { retry_after })?;
        Ok(caller)
    }

    /// Forgets the rate state of callers that have been quiet (housekeeping).
    pub fn forget_quiet_callers(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    /// Compares the digest with every key, without stopping early.
    fn find(&self, presented: &str) -> Option<&ApiKey> {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let mut found = None;
        for key in &self.keys {
            if bool::from(key.sha256.ct_eq(&digest)) {
                found = Some(key);
            }
        }
        found
    }
}

/// A new random key and its digest (hex), for `herald api-key`.
pub fn generate_key() -> Result<(String, String), ring::error::Unspecified> {
    let mut secret = [0u8; 32];
    SystemRandom::new().fill(&mut secret)?;
    let key = format!("hk_{}", URL_SAFE_NO_PAD.encode(secret));
    let digest = hex::encode(Sha256::digest(key.as_bytes()));
    Ok((key, digest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::api_key::parse_digest;
    use crate::domain::clock::ManualClock;
    use crate::domain::instants::utc;

    fn test_clock() -> Arc<ManualClock> {
        Arc::new(ManualClock::new(utc("2026-12-07T10:00:00Z")))
    }

    fn access(limit: u32) -> (ApiAccess, String) {
        let (key, digest) = generate_key().unwrap();
        let keys = vec![ApiKey {
            name: "jobs".into(),
            sha256: parse_digest(&digest).unwrap(),
            scopes: vec![Scope::JobsWrite],
        }];
        (
            ApiAccess::new(keys, true, NonZeroU32::new(limit).unwrap(), test_clock()),
            key,
        )
    }

    #[test]
    fn keys_are_random_and_stored_as_digests() {
        let (a, digest_a) = generate_key().unwrap();
        let (b, _) = generate_key().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("hk_") && a.len() > 40);
        assert_eq!(digest_a.len(), 64);
        assert!(parse_digest("zz").is_none());
    }

    #[test]
    fn a_valid_key_with_the_scope_is_let_through() {
        let (access, key) = access(100);
        // A key without its `Bearer` scheme never gets here: see `http::bearer_token`.
        let caller = access.authorize(Some(&key), Scope::JobsWrite).unwrap();
        assert_eq!(caller.name, "jobs");
        assert_eq!(
            access.authorize(Some(&key), Scope::JobsRead),
            Err(Refusal::Forbidden(Scope::JobsRead))
        );
        assert_eq!(
            access.authorize(Some("hk_wrong"), Scope::JobsWrite),
            Err(Refusal::Unauthorized)
        );
        assert_eq!(
            access.authorize(None, Scope::JobsWrite),
            Err(Refusal::Unauthorized)
        );
    }

    #[test]
    fn each_key_has_its_rate() {
        let (access, key) = access(2);
        assert!(access.authorize(Some(&key), Scope::JobsWrite).is_ok());
        assert!(access.authorize(Some(&key), Scope::JobsWrite).is_ok());
        match access.authorize(Some(&key), Scope::JobsWrite) {
            Err(Refusal::RateLimited { retry_after }) => assert!(retry_after > Duration::ZERO),
            other => panic!("expected a rate limit, got {other:?}"),
        }
    }

    #[test]
    fn a_callers_rate_comes_back_as_herald_s_clock_moves() {
        let (key, digest) = generate_key().unwrap();
        let keys = vec![ApiKey {
            name: "jobs".into(),
            sha256: parse_digest(&digest).unwrap(),
            scopes: vec![Scope::JobsWrite],
        }];
        let clock = test_clock();
        let access = ApiAccess::new(keys, true, NonZeroU32::new(1).unwrap(), clock.clone());
        assert!(access.authorize(Some(&key), Scope::JobsWrite).is_ok());
        match access.authorize(Some(&key), Scope::JobsWrite) {
            Err(Refusal::RateLimited { retry_after }) => {
                assert_eq!(
                    retry_after,
                    Duration::from_secs(60),
                    "one a minute, timed on the test clock"
                );
            }
            other => panic!("expected a rate limit, got {other:?}"),
        }
        clock.advance(chrono::Duration::seconds(60));
        assert!(access.authorize(Some(&key), Scope::JobsWrite).is_ok());
    }

    #[test]
    fn without_keys_the_api_is_open_only_on_loopback() {
        let limit = NonZeroU32::new(10).unwrap();
        assert!(
            ApiAccess::new(vec![], true, limit, test_clock())
                .authorize(None, Scope::JobsWrite)
                .is_ok()
        );
        assert_eq!(
            ApiAccess::new(vec![], false, limit, test_clock()).authorize(None, Scope::JobsWrite),
            Err(Refusal::Unauthorized)
        );
    }
}
