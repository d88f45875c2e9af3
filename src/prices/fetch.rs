//! Fetching a price from a configured source: the URL template filled in
//! (`{symbol}`, `{currency}`), the answer read within a time and size limit,
//! the price found with a JSON Pointer, each source within its own request
//! budget and backing off while it fails or throttles.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use governor::Quota;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rust_decimal::Decimal;

use super::guard::{AddressPolicy, GuardedResolver, NameResolver, check_url, redirects};
use crate::domain::clock::Clock;
pub use crate::domain::price::FetchError;
use crate::domain::price::checked;
use crate::rate_limit::{HeraldTime, Limiter, limiter};

/// A configured source, ready to fetch from.
pub struct Source {
    config: SourceConfig,
    /// Requests a minute, on Herald's clock.
    budget: Limiter,
}

/// Who wants a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// A polling trigger: waits while the source backs off.
    Poll,
    /// A person setting a watch: tried at once.
    Asked,
}

/// How a source is configured (from `[[prices.sources]]`).
#[derive(Debug, Clone)]
pub struct SourceConfig {
    pub name: String,
    /// `https://…?ids={symbol}&vs_currencies={currency}`; `None` for a push-only source.
    pub url: Option<String>,
    /// Where the price is in the answer, e.g. `/{symbol}/{currency}`.
    pub pointer: String,
    pub headers: Vec<(String, String)>,
    /// The currency asked for when a watch names none.
    pub currency: Option<String>,
    /// How often a symbol is polled.
    pub interval: Duration,
    pub requests_per_minute: u32,
    /// The source takes only lower case ids (CoinGecko's `bitcoin`).
    pub lowercase_symbols: bool,
}

impl Source {
    pub fn new(config: SourceConfig, clock: Arc<dyn Clock>) -> Self {
        let per_minute = NonZeroU32::new(config.requests_per_minute).unwrap_or(NonZeroU32::MIN);
        Self {
            config,
            budget: limiter(Quota::per_minute(per_minute), HeraldTime(clock)),
        }
    }

    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// The currency asked for when a watch names none.
    pub fn currency(&self) -> Option<&str> {
        self.config.currency.as_deref()
    }

    /// How often a symbol is polled.
    pub fn interval(&self) -> Duration {
        self.config.interval
    }

    /// A symbol as this source spells it (some take only lower case ids).
    pub fn symbol(&self, typed: &str) -> String {
        if self.config.lowercase_symbols {
            typed.to_ascii_lowercase()
        } else {
            typed.to_owned()
        }
    }

    pub fn is_push_only(&self) -> bool {
        self.config.url.is_none()
    }

    fn fill(template: &str, symbol: &str, currency: &str, encode: bool) -> String {
        let (symbol, currency) = if encode {
            (
                utf8_percent_encode(symbol, NON_ALPHANUMERIC).to_string(),
                utf8_percent_encode(currency, NON_ALPHANUMERIC).to_string(),
            )
        } else {
            // JSON Pointer escapes (RFC 6901).
            (
                symbol.replace('~', "~0").replace('/', "~1"),
                currency.replace('~', "~0").replace('/', "~1"),
            )
        };
        template
            .replace("{symbol}", &symbol)
            .replace("{currency}", &currency)
    }
}

/// The HTTP side of fetching: one client for every source, guarded.
pub struct Fetcher {
    http: reqwest::Client,
    policy: AddressPolicy,
    max_bytes: usize,
    /// Per source: failures in a row and when it may be tried again.
    backoff: Mutex<HashMap<String, (u32, DateTime<Utc>)>>,
}

impl Fetcher {
    /// `proxy`: the configured one, if any. A proxy from the environment is
    /// never used: it would resolve and connect to names the guarded resolver
    /// never sees, loopback and internal ones included.
    pub fn new(
        resolver: Arc<dyn NameResolver>,
        policy: AddressPolicy,
        proxy: Option<&reqwest::Url>,
        timeout: Duration,
        max_bytes: usize,
    ) -> Result<Self, reqwest::Error> {
        let builder = match proxy {
            Some(proxy) => reqwest::Client::builder().proxy(reqwest::Proxy::all(proxy.as_str())?),
            None => reqwest::Client::builder().no_proxy(),
        };
        let http = builder
            .user_agent(concat!("Herald/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeout)
            .timeout(timeout)
            .dns_resolver(Arc::new(GuardedResolver {
                inner: resolver,
                policy: policy.clone(),
            }))
            .redirect(redirects(policy.clone()))
            .build()?;
        Ok(Self {
            http,
            policy,
            max_bytes,
            backoff: Mutex::new(HashMap::new()),
        })
    }

    /// One price of `symbol` from `source` (in `currency`, else the source's).
    /// A poll waits out the source's backoff; a person asking gets one try
    /// regardless (within the request budget all the same).
    pub async fn fetch(
        &self,
        source: &Source,
        symbol: &str,
        currency: Option<&str>,
        now: DateTime<Utc>,
        attempt: Attempt,
    ) -> Result<Decimal, FetchError> {
        let Some(template) = &source.config.url else {
            return Err(FetchError::PushOnly);
        };
        let backing_off = attempt == Attempt::Poll && self.backing_off(source.name(), now);
        if backing_off || source.budget.check().is_err() {
            return Err(FetchError::Waiting);
        }
        let currency = currency.or(source.currency()).unwrap_or("usd");
        let url = Source::fill(template, symbol, currency, true);
        let outcome = self.attempt(source, &url, symbol, currency).await;
        match &outcome {
            Ok(_) => self.note(source.name(), true, now),
            Err(error) if error.is_the_source_s() => self.note(source.name(), false, now),
            // The symbol's own problem: the source is fine.
            Err(_) => {}
        }
        outcome
    }

    async fn attempt(
        &self,
        source: &Source,
        url: &str,
        symbol: &str,
        currency: &str,
    ) -> Result<Decimal, FetchError> {
        let url = reqwest::Url::parse(url).map_err(|e| FetchError::Forbidden(e.to_string()))?;
        check_url(&url, &self.policy).map_err(FetchError::Forbidden)?;
        let mut request = self.http.get(url).header("accept", "application/json");
        for (name, value) in &source.config.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let mut response = request.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        if status == 429 {
            return Err(FetchError::Throttled);
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status(status));
        }
        if response
            .content_length()
            .is_some_and(|length| length > self.max_bytes as u64)
        {
            return Err(FetchError::TooLarge(self.max_bytes));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(FetchError::TooLarge(self.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        let json: serde_json::Value =
            serde_json::from_slice(&body).map_err(|_| FetchError::NotJson)?;
        let pointer = Source::fill(&source.config.pointer, symbol, currency, false);
        let value = json
            .pointer(&pointer)
            .ok_or_else(|| FetchError::NoPrice(pointer.clone()))?;
        price_of(value).map_err(FetchError::BadPrice)
    }

    fn backing_off(&self, source: &str, now: DateTime<Utc>) -> bool {
        self.backoff
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(source)
            .is_some_and(|(_, until)| now < *until)
    }

    /// Failures back a source off exponentially: 30 s, 1 min, 2 min … 30 min.
    fn note(&self, source: &str, ok: bool, now: DateTime<Utc>) {
        let mut backoff = self.backoff.lock().unwrap_or_else(|p| p.into_inner());
        if ok {
            backoff.remove(source);
            return;
        }
        let failures = backoff.get(source).map_or(0, |(n, _)| *n) + 1;
        let seconds = 30i64
            .saturating_mul(1 << failures.saturating_sub(1).min(6))
            .min(1800);
        backoff.insert(
            source.to_owned(),
            (failures, now + chrono::Duration::seconds(seconds)),
        );
    }

    /// Lets a source be tried at once (a test moved the clock, or a person asked).
    pub fn forget_backoff(&self) {
        self.backoff
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// A price from JSON: a number or a decimal string.
pub fn price_of(value: &serde_json::Value) -> Result<Decimal, String> {
    let text = match value {
        serde_json::Value::Number(number) => number.to_string(),
        serde_json::Value::String(text) => text.trim().to_owned(),
        _ => return Err("not a number".to_owned()),
    };
    let price = Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| {
            format!(
                "`{}` is not a number",
                text.chars().take(30).collect::<String>()
            )
        })?;
    checked(price).map_err(|error| error.to_string())
}

fn classify(error: reqwest::Error) -> FetchError {
    if error.is_timeout() {
        return FetchError::Timeout;
    }
    if error.is_redirect() {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message = cause.to_string();
            source = cause.source();
        }
        return FetchError::Forbidden(message);
    }
    // The innermost cause says what went wrong (refused, no such host, an
    // address Herald may not fetch); the outer ones only repeat the URL.
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message = cause.to_string();
        source = cause.source();
    }
    FetchError::Unreachable(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_filled_and_escaped() {
        assert_eq!(
            Source::fill(
                "https://x/?ids={symbol}&vs={currency}",
                "a b&c",
                "usd",
                true
            ),
            "https://x/?ids=a%20b%26c&vs=usd"
        );
        assert_eq!(
            Source::fill("/{symbol}/{currency}", "a/b~c", "usd", false),
            "/a~1b~0c/usd"
        );
    }

    #[test]
    fn prices_come_as_numbers_or_strings() {
        assert_eq!(
            price_of(&serde_json::json!(29500.12)),
            Ok(Decimal::from_str("29500.12").unwrap())
        );
        assert_eq!(
            price_of(&serde_json::json!("19.90")),
            Ok(Decimal::from_str("19.9").unwrap())
        );
        assert!(price_of(&serde_json::json!(-1)).is_err());
        assert!(price_of(&serde_json::json!("cheap")).is_err());
        assert!(price_of(&serde_json::json!({"usd": 1})).is_err());
        assert!(price_of(&serde_json::json!(null)).is_err());
    }
}
