//! Typed settings, loaded in layers and validated at start.
//!
//! Precedence, lowest first: the defaults built into the binary
//! (`config/default.toml`), `<config dir>/default.toml`, `<config dir>/local.toml`,
//! the environment (`PORT`, `DATABASE_URL`, the Bot Framework's `MicrosoftApp*`
//! variables, then `HERALD__SECTION__KEY`), and finally command-line flags.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::{Deserialize, Serialize};

use crate::domain::access::JobVisibility;
use crate::domain::api_key::{ApiKey, Scope, parse_digest};
use crate::domain::person::Person;
use crate::domain::rate::{DeliveryPolicy, RatePolicy};
use crate::store::Backend;

mod prices;
mod redact;
mod sections;
mod validate;

pub use redact::redact_url;
pub use sections::*;

/// The `[delivery.rate_limits]` entry for every channel not listed.
pub const OTHER_CHANNELS: &str = "other";

const BUILT_IN_DEFAULTS: &str = include_str!("../../config/default.toml");

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub bot: BotCredentials,
    pub auth: AuthSettings,
    pub api: ApiSettings,
    pub chat: ChatSettings,
    pub jobs: JobSettings,
    pub limits: LimitSettings,
    pub privacy: PrivacySettings,
    pub delivery: DeliveryConfig,
    pub scheduler: SchedulerConfig,
    pub retention: RetentionSettings,
    pub prices: PriceConfig,
    pub webchat: WebchatSettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

/// Settings that cannot be used, each problem on its own line.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the settings: {0}")]
    Load(#[source] Box<figment::Error>),
    #[error("invalid settings:\n  - {}", .0.join("\n  - "))]
    Invalid(Vec<String>),
}

impl Settings {
    /// Loads the layers from `config_dir` and the process environment, then validates.
    pub fn load(config_dir: &Path, overrides: &Overrides) -> Result<Self, ConfigError> {
        Self::load_from(
            Self::figment(config_dir, Env::raw(), Env::prefixed("HERALD__")),
            overrides,
        )
    }

    /// The layers up to (not including) the command line.
    fn figment(config_dir: &Path, raw_env: Env, herald_env: Env) -> Figment {
        Figment::new()
            .merge(Toml::string(BUILT_IN_DEFAULTS))
            .merge(Toml::file(config_dir.join("default.toml")))
            .merge(Toml::file(config_dir.join("local.toml")))
            .merge(raw_env.filter_map(|key| {
                let mapped = match key.as_str().to_ascii_lowercase().as_str() {
                    "port" => "server.port",
                    "database_url" => "database.url",
                    "microsoftappid" => "bot.app_id",
                    "microsoftapppassword" => "bot.app_password",
                    "microsoftapptenantid" => "bot.tenant_id",
                    "microsoftapptype" => "bot.app_type",
                    _ => return None,
                };
                Some(mapped.into())
            }))
            .merge(herald_env.split("__"))
    }

    fn load_from(figment: Figment, overrides: &Overrides) -> Result<Self, ConfigError> {
        let mut settings: Settings = figment
            .extract()
            .map_err(|error| ConfigError::Load(Box::new(error)))?;
        if let Some(bind) = &overrides.bind {
            // `--bind ADDR:PORT` or `--bind ADDR`.
            match bind.parse::<SocketAddr>() {
                Ok(address) => {
                    settings.server.bind = address.ip().to_string();
                    settings.server.port = address.port();
                }
                Err(_) => settings.server.bind = bind.clone(),
            }
        }
        if let Some(port) = overrides.port {
            settings.server.port = port;
        }
        if let Some(url) = &overrides.database_url {
            settings.database.url = url.clone();
        }
        settings.validate()?;
        Ok(settings)
    }

    pub fn authentication_enabled(&self) -> bool {
        !self.bot.app_id.trim().is_empty()
    }

    /// The job operators, each a person of one channel (checked by
    /// `validate`: an entry without a channel is refused there).
    pub fn job_operators(&self) -> Vec<Person> {
        self.jobs
            .operators
            .iter()
            .filter_map(|entry| Person::parse_qualified(entry).ok())
            .collect()
    }

    pub fn job_visibility(&self) -> JobVisibility {
        match self.jobs.visibility {
            VisibilitySetting::All => JobVisibility::All,
            VisibilitySetting::Conversation => JobVisibility::OwnConversation,
            VisibilitySetting::Auto if self.authentication_enabled() => {
                JobVisibility::OwnConversation
            }
            VisibilitySetting::Auto => JobVisibility::All,
        }
    }

    /// The API keys in force (revoked ones left out).
    pub fn api_keys(&self) -> Vec<ApiKey> {
        self.api
            .keys
            .iter()
            .filter(|key| !key.revoked)
            .filter_map(|key| {
                Some(ApiKey {
                    name: key.name.clone(),
                    sha256: parse_digest(&key.sha256)?,
                    scopes: key.scopes.iter().filter_map(|s| Scope::parse(s)).collect(),
                })
            })
            .collect()
    }

    /// Where the bot's own token comes from.
    pub fn token_endpoint(&self) -> String {
        if !self.auth.token_endpoint.is_empty() {
            return self.auth.token_endpoint.clone();
        }
        let tenant = if self.bot.app_type == "SingleTenant" {
            self.bot.tenant_id.trim()
        } else {
            "botframework.com"
        };
        format!("https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token")
    }

    /// What delivery must stay within, from `[delivery]` (validated).
    pub fn delivery_policy(&self) -> Result<DeliveryPolicy, String> {
        let mut channels = BTreeMap::new();
        let mut other = None;
        for (channel, windows) in &self.delivery.rate_limits {
            let policy = RatePolicy::parse(windows)
                .map_err(|problem| format!("delivery.rate_limits.{channel}: {problem}"))?;
            if channel == OTHER_CHANNELS {
                other = Some(policy);
            } else {
                channels.insert(channel.clone(), policy);
            }
        }
        let other = other.ok_or_else(|| {
            format!("delivery.rate_limits.{OTHER_CHANNELS} is needed, for channels not listed")
        })?;
        let global = RatePolicy::parse(&self.delivery.global_rate_limit)
            .map_err(|problem| format!("delivery.global_rate_limit: {problem}"))?;
        let margin = std::time::Duration::from_millis(self.delivery.rate_limit_margin_ms);
        Ok(DeliveryPolicy::new(channels, other, global, margin))
    }

    /// The zone of people with none known (validated).
    pub fn default_zone(&self) -> crate::domain::schedule::Zone {
        crate::domain::schedule::Zone::parse(&self.chat.default_timezone)
            .or_else(|_| crate::domain::schedule::Zone::parse("UTC"))
            .expect("UTC is a zone")
    }

    /// Whether the send budget lives in the database.
    pub fn budget_in_database(&self) -> bool {
        match self.delivery.budget_store {
            BudgetStore::Database => true,
            BudgetStore::Memory => false,
            BudgetStore::Auto => Backend::from_url(&self.database.url) == Some(Backend::Postgres),
        }
    }

    /// The shortest repeat a recurring trigger may have (`limits.min_repeat_secs`).
    pub fn min_repeat(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::try_from(self.limits.min_repeat_secs).unwrap_or(86_400))
    }

    /// The listening address (validated).
    pub fn bind_address(&self) -> SocketAddr {
        let ip = self
            .server
            .bind
            .parse()
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        SocketAddr::new(ip, self.server.port)
    }

    /// The effective settings as TOML, secrets redacted.
    pub fn to_redacted_toml(&self) -> String {
        toml::to_string_pretty(self)
            .unwrap_or_else(|error| format!("# cannot print settings: {error}\n"))
    }

    /// Built-in defaults only: what tests start from.
    pub fn defaults() -> Self {
        Figment::new()
            .merge(Toml::string(BUILT_IN_DEFAULTS))
            .extract()
            .expect("the built-in default settings are valid")
    }
}

#[cfg(test)]
mod tests;
