//! The bot's own token for the connector (OAuth 2.0 client credentials),
//! cached until shortly before it expires and fetched once for all concurrent
//! senders.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::read_limited;
use crate::domain::clock::Clock;

/// The scope of tokens for the Bot Framework connector.
pub const CONNECTOR_SCOPE: &str = "https://api.botframework.com/.default";
/// A token is renewed this long before it expires.
const RENEW_BEFORE_EXPIRY: chrono::Duration = chrono::Duration::minutes(5);

#[derive(Debug, Clone, thiserror::Error)]
pub enum TokenError {
    #[error("the token endpoint failed: {0}")]
    Endpoint(String),
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<i64>,
}

struct Cached {
    token: SecretString,
    renew_at: DateTime<Utc>,
}

pub struct TokenProvider {
    http: reqwest::Client,
    endpoint: String,
    client_id: String,
    client_secret: SecretString,
    clock: Arc<dyn Clock>,
    cached: tokio::sync::Mutex<Option<Cached>>,
}

impl TokenProvider {
    pub fn new(
        http: reqwest::Client,
        endpoint: String,
        client_id: String,
        client_secret: SecretString,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            http,
            endpoint,
            client_id,
            client_secret,
            clock,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// A valid token; concurrent callers share one fetch (they wait on the lock).
    pub async fn token(&self) -> Result<SecretString, TokenError> {
        let mut cached = self.cached.lock().await;
        if let Some(current) = cached.as_ref() {
            if self.clock.now() < current.renew_at {
                return Ok(current.token.clone());
            }
        }
        let fresh = self.fetch().await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Forgets the cached token (the connector answered 401 with it).
    pub async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }

    async fn fetch(&self) -> Result<Cached, TokenError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose_secret()),
            ("scope", CONNECTOR_SCOPE),
        ];
        let response = self
            .http
            .post(&self.endpoint)
            .form(&form)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| TokenError::Endpoint(e.to_string()))?;
        let status = response.status();
        let body = read_limited(response, 64 * 1024)
            .await
            .map_err(TokenError::Endpoint)?;
        if !status.is_success() {
            return Err(TokenError::Endpoint(format!("HTTP {status}")));
        }
        let answer: TokenResponse = serde_json::from_slice(&body)
            .map_err(|e| TokenError::Endpoint(format!("unreadable answer: {e}")))?;
        let lifetime =
            chrono::Duration::seconds(answer.expires_in.unwrap_or(3600).clamp(60, 86_400));
        let renew_at =
            self.clock.now() + (lifetime - RENEW_BEFORE_EXPIRY).max(chrono::Duration::seconds(30));
        tracing::debug!(
            expires_in = lifetime.num_seconds(),
            "connector token acquired"
        );
        Ok(Cached {
            token: SecretString::from(answer.access_token),
            renew_at,
        })
    }
}
