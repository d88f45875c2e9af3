//! The `[prices]` settings: checked at start, and turned into the sources
//! and tuning price watching runs with. Header values may name environment
//! variables (`${COINGECKO_API_KEY}`), so keys stay out of the files.

use std::time::Duration;

use rust_decimal::Decimal;

use super::Settings;
use crate::domain::price::{RearmPolicy, valid_name};
use crate::prices::guard::{AddressPolicy, check_url};
use crate::prices::{PriceSettings, SourceConfig};

impl Settings {
    /// The configured sources, header values taken from `env` (validated:
    /// only a missing variable can fail here).
    pub fn price_sources(
        &self,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Vec<SourceConfig>, String> {
        self.prices
            .sources
            .iter()
            .map(|source| {
                let headers = source
                    .headers
                    .iter()
                    .map(|(name, value)| {
                        expand(value, &env)
                            .map(|value| (name.clone(), value))
                            .map_err(|variable| {
                                format!(
                                    "prices.sources `{}`: header {name} needs the environment variable {variable}",
                                    source.name
                                )
                            })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                Ok(SourceConfig {
                    name: source.name.clone(),
                    url: source.url.clone(),
                    pointer: source.pointer.clone(),
                    headers,
                    currency: source.currency.as_deref().map(str::to_ascii_lowercase),
                    interval: Duration::from_secs(source.interval_secs),
                    requests_per_minute: source.requests_per_minute,
                    lowercase_symbols: source.lowercase_symbols,
                })
            })
            .collect()
    }

    /// How watches re-arm and when a source counts as stalled.
    pub fn price_settings(&self) -> PriceSettings {
        let hysteresis = Decimal::try_from(self.prices.hysteresis_percent / 100.0)
            .unwrap_or(Decimal::ZERO)
            .round_dp(6);
        PriceSettings {
            rearm: RearmPolicy {
                hysteresis,
                cooldown: chrono::Duration::seconds(
                    i64::try_from(self.prices.cooldown_secs).unwrap_or(i64::MAX / 1000),
                ),
            },
            failures_before_stalled: self.prices.failures_before_stalled,
        }
    }

    pub fn address_policy(&self) -> AddressPolicy {
        let mut allowed = self.prices.allow_private.clone();
        // The fetch client connects to the proxy through the guarded
        // resolver: a proxy inside the network must be reachable.
        allowed.extend(self.price_proxy().and_then(|proxy| {
            let port = proxy.port_or_known_default()?;
            Some(format!("{}:{port}", proxy.host_str()?))
        }));
        AddressPolicy::new(&allowed)
    }

    /// `prices.proxy`, when set (validated).
    pub fn price_proxy(&self) -> Option<reqwest::Url> {
        let proxy = self.prices.proxy.trim();
        (!proxy.is_empty())
            .then(|| reqwest::Url::parse(proxy).ok())
            .flatten()
    }

    /// The problems of `[prices]`, each on its own.
    pub(super) fn price_problems(&self) -> Vec<String> {
        let prices = &self.prices;
        let mut problems = Vec::new();
        let mut check = |ok: bool, problem: String| {
            if !ok {
                problems.push(problem);
            }
        };
        check(
            valid_name(&prices.default_source),
            "prices.default_source must be a source name (letters, digits, - _ . :)".to_owned(),
        );
        check(
            (100..=60_000).contains(&prices.fetch_timeout_ms),
            "prices.fetch_timeout_ms must be between 100 and 60000".to_owned(),
        );
        check(
            (256..=16 * 1024 * 1024).contains(&prices.max_response_bytes),
            "prices.max_response_bytes must be between 256 and 16777216".to_owned(),
        );
        check(
            (1..=10_000).contains(&prices.failures_before_stalled),
            "prices.failures_before_stalled must be between 1 and 10000".to_owned(),
        );
        check(
            prices.hysteresis_percent.is_finite()
                && (0.0..=50.0).contains(&prices.hysteresis_percent),
            "prices.hysteresis_percent must be between 0 and 50".to_owned(),
        );
        check(
            prices.cooldown_secs <= 30 * 86_400,
            "prices.cooldown_secs must be at most 2592000 (30 days)".to_owned(),
        );
        check(
            (1..=3650).contains(&prices.history_days),
            "prices.history_days must be between 1 and 3650".to_owned(),
        );
        for entry in &prices.allow_private {
            let port = entry.rsplit_once(':').and_then(|(host, port)| {
                (!host.trim_matches(['[', ']']).is_empty()).then(|| port.parse::<u16>().ok())?
            });
            check(
                port.is_some_and(|port| port > 0),
                format!("prices.allow_private: `{entry}` must be host:port"),
            );
        }
        let proxy = prices.proxy.trim();
        if !proxy.is_empty() {
            let parsed = reqwest::Url::parse(proxy).ok();
            check(
                parsed.as_ref().is_some_and(|url| {
                    matches!(url.scheme(), "http" | "https")
                        && url.host_str().is_some()
                        && url.query().is_none()
                        && reqwest::Proxy::all(url.as_str()).is_ok()
                }),
                "prices.proxy must be an http:// or https:// proxy URL (or empty for none)"
                    .to_owned(),
            );
        }
        let policy = self.address_policy();
        let mut names = std::collections::HashSet::new();
        for source in &prices.sources {
            let name = &source.name;
            check(
                valid_name(name),
                format!("prices.sources: `{name}` is not a source name (letters, digits, - _ . :)"),
            );
            check(
                names.insert(name.to_ascii_lowercase()),
                format!("prices.sources: `{name}` is named twice"),
            );
            check(
                (1..=86_400).contains(&source.interval_secs),
                format!("prices.sources `{name}`: interval_secs must be between 1 and 86400"),
            );
            check(
                (1..=100_000).contains(&source.requests_per_minute),
                format!(
                    "prices.sources `{name}`: requests_per_minute must be between 1 and 100000"
                ),
            );
            check(
                source.currency.as_deref().is_none_or(valid_name),
                format!("prices.sources `{name}`: currency must be a code such as usd"),
            );
            for header in source.headers.keys() {
                check(
                    reqwest::header::HeaderName::from_bytes(header.as_bytes()).is_ok(),
                    format!("prices.sources `{name}`: `{header}` is not a header name"),
                );
            }
            let Some(url) = &source.url else {
                check(
                    source.pointer.is_empty() && source.headers.is_empty(),
                    format!(
                        "prices.sources `{name}`: pointer and headers need a url (a source without one only takes pushed prices)"
                    ),
                );
                continue;
            };
            check(
                url.contains("{symbol}"),
                format!("prices.sources `{name}`: url must contain {{symbol}}"),
            );
            let sample = url.replace("{symbol}", "x").replace("{currency}", "usd");
            match reqwest::Url::parse(&sample) {
                Ok(parsed) => {
                    if let Err(problem) = check_url(&parsed, &policy) {
                        check(
                            false,
                            format!(
                                "prices.sources `{name}`: {problem} (see prices.allow_private)"
                            ),
                        );
                    }
                }
                Err(error) => check(
                    false,
                    format!("prices.sources `{name}`: url is not a URL ({error})"),
                ),
            }
            check(
                source.pointer.is_empty() || source.pointer.starts_with('/'),
                format!(
                    "prices.sources `{name}`: pointer must be a JSON Pointer such as /data/price"
                ),
            );
        }
        problems
    }
}

/// A header value with `${NAME}` replaced by the variable's value; the
/// missing variable's name otherwise.
fn expand(value: &str, env: &impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = &after[..end];
        out.push_str(&env(name).ok_or_else(|| name.to_owned())?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_take_variables_from_the_environment() {
        let env = |name: &str| (name == "KEY").then(|| "s3cret".to_owned());
        assert_eq!(
            expand("Bearer ${KEY}", &env),
            Ok("Bearer s3cret".to_owned())
        );
        assert_eq!(expand("plain", &env), Ok("plain".to_owned()));
        assert_eq!(expand("${MISSING}", &env), Err("MISSING".to_owned()));
        assert_eq!(expand("half ${open", &env), Ok("half ${open".to_owned()));
    }
}
