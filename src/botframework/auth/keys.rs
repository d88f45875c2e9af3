//! Signing keys from an OpenID metadata document and its JWKS, cached.
//!
//! Keys are fetched in the background at start, refreshed when older than a
//! day, and refreshed early when a token names an unknown `kid` — at most once
//! per `min_refresh_interval`, so a flood of made-up `kid`s cannot hammer the
//! metadata endpoint. A failed refresh keeps the last good keys; with no keys
//! at all, tokens are refused (fail closed).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::DecodingKey;
use serde::Deserialize;

use super::read_limited;
use crate::domain::clock::Clock;

const MAX_DOCUMENT_BYTES: usize = 512 * 1024;

/// One signing key and the channels it is endorsed for.
pub struct SigningKey {
    pub decoding: DecodingKey,
    /// Bot Framework keys list the channels they may sign for; AAD keys list none.
    pub endorsements: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct KeySourceSettings {
    pub metadata_url: String,
    /// Keys older than this are refreshed.
    pub max_age: Duration,
    /// The shortest time between two fetches, whatever triggers them.
    pub min_refresh_interval: Duration,
    pub timeout: Duration,
}

#[derive(Default)]
struct Cached {
    keys: HashMap<String, Arc<SigningKey>>,
    fetched_at: Option<DateTime<Utc>>,
    last_attempt: Option<DateTime<Utc>>,
}

/// The keys of one issuer.
pub struct KeySource {
    http: reqwest::Client,
    settings: KeySourceSettings,
    clock: Arc<dyn Clock>,
    cached: RwLock<Cached>,
    /// One fetch at a time; waiters then find the fresh keys.
    fetching: tokio::sync::Mutex<()>,
}

#[derive(Deserialize)]
struct Metadata {
    jwks_uri: String,
    /// When present, must allow RS256: the only algorithm Herald verifies.
    #[serde(default)]
    id_token_signing_alg_values_supported: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Jwk {
    #[serde(default)]
    kty: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default, rename = "use")]
    usage: Option<String>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    endorsements: Vec<String>,
}

impl KeySource {
    pub fn new(http: reqwest::Client, settings: KeySourceSettings, clock: Arc<dyn Clock>) -> Self {
        Self {
            http,
            settings,
            clock,
            cached: RwLock::new(Cached::default()),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// The key named `kid`, fetching keys if they are stale or the kid is new.
    pub async fn key(&self, kid: &str) -> Option<Arc<SigningKey>> {
        if self.is_stale() {
            self.refresh().await;
        }
        if let Some(key) = self.lookup(kid) {
            return Some(key);
        }
        self.refresh().await;
        self.lookup(kid)
    }

    /// Fetches the keys now (subject to the minimum interval); used at start.
    pub async fn warm_up(&self) {
        self.refresh().await;
    }

    fn lookup(&self, kid: &str) -> Option<Arc<SigningKey>> {
        let cached = self.cached.read().unwrap_or_else(|p| p.into_inner());
        cached.keys.get(kid).cloned()
    }

    fn is_stale(&self) -> bool {
        let cached = self.cached.read().unwrap_or_else(|p| p.into_inner());
        let max_age =
            chrono::Duration::from_std(self.settings.max_age).unwrap_or(chrono::Duration::MAX);
        cached
            .fetched_at
            .is_none_or(|at| self.clock.now() - at >= max_age)
    }

    fn may_fetch(&self) -> bool {
        let cached = self.cached.read().unwrap_or_else(|p| p.into_inner());
        let interval = chrono::Duration::from_std(self.settings.min_refresh_interval)
            .unwrap_or(chrono::Duration::MAX);
        cached
            .last_attempt
            .is_none_or(|at| self.clock.now() - at >= interval)
    }

    async fn refresh(&self) {
        let _one_at_a_time = self.fetching.lock().await;
        if !self.may_fetch() {
            return;
        }
        self.cached
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .last_attempt = Some(self.clock.now());
        match self.fetch().await {
            Ok(keys) => {
                tracing::info!(url = %self.settings.metadata_url, keys = keys.len(), "signing keys refreshed");
                let mut cached = self.cached.write().unwrap_or_else(|p| p.into_inner());
                cached.keys = keys;
                cached.fetched_at = Some(self.clock.now());
            }
            Err(error) => {
                tracing::warn!(url = %self.settings.metadata_url, %error, "cannot refresh signing keys; keeping the last good ones");
            }
        }
    }

    async fn fetch(&self) -> Result<HashMap<String, Arc<SigningKey>>, String> {
        let metadata: Metadata = self.get_json(&self.settings.metadata_url).await?;
        if let Some(algorithms) = &metadata.id_token_signing_alg_values_supported {
            if !algorithms.iter().any(|alg| alg == "RS256") {
                return Err("the issuer does not sign with RS256".to_owned());
            }
        }
        let jwks: Jwks = self.get_json(&metadata.jwks_uri).await?;
        let keys: HashMap<_, _> = jwks
            .keys
            .into_iter()
            .filter(|key| key.kty == "RSA" && key.usage.as_deref().is_none_or(|u| u == "sig"))
            .filter(|key| key.alg.as_deref().is_none_or(|alg| alg == "RS256"))
            .filter_map(|key| {
                let decoding =
                    DecodingKey::from_rsa_components(key.n.as_deref()?, key.e.as_deref()?).ok()?;
                Some((
                    key.kid?,
                    Arc::new(SigningKey {
                        decoding,
                        endorsements: key.endorsements,
                    }),
                ))
            })
            .collect();
        if keys.is_empty() {
            return Err("the key set holds no usable RSA signing key".to_owned());
        }
        Ok(keys)
    }

    async fn get_json<T: for<'de> Deserialize<'de>>(&self, url: &str) -> Result<T, String> {
        let response = self
            .http
            .get(url)
            .timeout(self.settings.timeout)
            .send()
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("{url}: HTTP {}", response.status()));
        }
        let body = read_limited(response, MAX_DOCUMENT_BYTES)
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        serde_json::from_slice(&body).map_err(|e| format!("{url}: {e}"))
    }
}
