//! Typed settings, loaded in layers and validated at start.
//!
//! Precedence, lowest first: the defaults built into the binary
//! (`config/default.toml`), `<config dir>/default.toml`, `<config dir>/local.toml`,
//! the environment (`PORT`, `DATABASE_URL`, the Bot Framework's `MicrosoftApp*`
//! variables, then `HERALD__SECTION__KEY`), and finally command-line flags.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

use crate::botframework::auth::TrustedHosts;
use crate::domain::access::JobVisibility;
use crate::http::api::keys::{ApiKey, Scope, parse_digest};
use crate::store::{Backend, SqliteSynchronous};

const BUILT_IN_DEFAULTS: &str = include_str!("../config/default.toml");

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
    pub log: LogSettings,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    pub port: u16,
    pub max_body_bytes: usize,
    pub insecure: bool,
    pub shutdown_grace_secs: u64,
    pub header_read_timeout_secs: u64,
    pub body_read_timeout_secs: u64,
    pub max_header_bytes: usize,
    pub max_connections: usize,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
    pub sqlite_synchronous: SqliteSynchronous,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BotCredentials {
    pub app_id: String,
    #[serde(serialize_with = "redacted")]
    pub app_password: SecretString,
    pub tenant_id: String,
    pub app_type: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub openid_metadata_url: String,
    pub channel_issuer: String,
    pub emulator_tokens: bool,
    pub emulator_openid_metadata_url: String,
    pub clock_skew_secs: u64,
    pub key_max_age_hours: u64,
    pub key_min_refresh_secs: u64,
    pub token_endpoint: String,
    pub trusted_service_hosts: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSettings {
    pub keys: Vec<ApiKeySetting>,
    pub requests_per_minute: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeySetting {
    pub name: String,
    /// SHA-256 of the key, hex; the key itself is never stored.
    pub sha256: String,
    pub scopes: Vec<String>,
    #[serde(default)]
    pub revoked: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChatSettings {
    pub max_text_chars: usize,
    pub page_size: u32,
    pub dedup_window_secs: u64,
    pub reply_timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VisibilitySetting {
    Auto,
    All,
    Conversation,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct JobSettings {
    pub visibility: VisibilitySetting,
    pub operators: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    pub jobs_per_conversation: u32,
    pub jobs_per_user: u32,
    pub turns_per_conversation_per_minute: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacySettings {
    pub conversation_retention_days: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryConfig {
    pub poll_interval_ms: u64,
    pub batch_size: u32,
    pub lease_secs: u64,
    pub max_attempts: u32,
    pub backoff_base_ms: u64,
    pub backoff_max_secs: u64,
    pub send_timeout_ms: u64,
    pub connect_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub filter: String,
}

/// Overrides given on the command line; they win over everything else.
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

fn redacted<S: Serializer>(secret: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    if secret.expose_secret().is_empty() {
        serializer.serialize_str("")
    } else {
        serializer.serialize_str("[redacted]")
    }
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

    /// Checks every rule and reports all problems at once.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        let mut check = |ok: bool, problem: &str| {
            if !ok {
                problems.push(problem.to_owned());
            }
        };
        let ip = self.server.bind.parse::<IpAddr>();
        check(
            ip.is_ok(),
            "server.bind must be an IP address (e.g. 127.0.0.1 or 0.0.0.0)",
        );
        check(
            (1024..=16 * 1024 * 1024).contains(&self.server.max_body_bytes),
            "server.max_body_bytes must be between 1024 and 16777216",
        );
        check(
            (1..=300).contains(&self.server.header_read_timeout_secs)
                && (1..=300).contains(&self.server.body_read_timeout_secs),
            "server.header_read_timeout_secs and server.body_read_timeout_secs must be between 1 and 300",
        );
        check(
            (8192..=1024 * 1024).contains(&self.server.max_header_bytes),
            "server.max_header_bytes must be between 8192 and 1048576",
        );
        check(
            (1..=1_000_000).contains(&self.server.max_connections),
            "server.max_connections must be between 1 and 1000000",
        );
        check(
            Backend::from_url(&self.database.url).is_some(),
            "database.url must start with sqlite:// or postgres://",
        );
        check(
            (1..=512).contains(&self.database.max_connections),
            "database.max_connections must be between 1 and 512",
        );
        check(
            (1..=100_000).contains(&self.chat.max_text_chars),
            "chat.max_text_chars must be between 1 and 100000",
        );
        check(
            (1..=50).contains(&self.chat.page_size),
            "chat.page_size must be between 1 and 50 (longer replies exceed channel limits)",
        );
        check(
            (100..=14_000).contains(&self.chat.reply_timeout_ms),
            "chat.reply_timeout_ms must be between 100 and 14000 (channels give up after ~15 s)",
        );
        check(
            self.delivery.poll_interval_ms >= 10,
            "delivery.poll_interval_ms must be at least 10",
        );
        check(
            (1..=1000).contains(&self.delivery.batch_size),
            "delivery.batch_size must be between 1 and 1000",
        );
        check(
            self.delivery.max_attempts >= 1,
            "delivery.max_attempts must be at least 1",
        );
        check(
            self.delivery.lease_secs >= 1,
            "delivery.lease_secs must be at least 1",
        );
        check(
            self.delivery.send_timeout_ms >= 100 && self.delivery.connect_timeout_ms >= 100,
            "delivery timeouts must be at least 100 ms",
        );
        check(
            self.delivery.send_timeout_ms / 1000 < self.delivery.lease_secs,
            "delivery.lease_secs must be longer than delivery.send_timeout_ms",
        );
        if self.authentication_enabled() {
            check(
                !self.bot.app_password.expose_secret().is_empty(),
                "bot.app_password (MicrosoftAppPassword) is required with an app id",
            );
            check(
                matches!(self.bot.app_type.as_str(), "MultiTenant" | "SingleTenant"),
                "bot.app_type must be MultiTenant or SingleTenant (managed identities are not supported)",
            );
            check(
                self.bot.app_type != "SingleTenant" || !self.bot.tenant_id.trim().is_empty(),
                "bot.tenant_id (MicrosoftAppTenantId) is required for a SingleTenant bot",
            );
        }
        for (url, name) in [
            (&self.auth.openid_metadata_url, "auth.openid_metadata_url"),
            (
                &self.auth.emulator_openid_metadata_url,
                "auth.emulator_openid_metadata_url",
            ),
        ] {
            check(is_http_url(url), &format!("{name} must be an http(s) URL"));
        }
        check(
            self.auth.token_endpoint.is_empty() || is_http_url(&self.auth.token_endpoint),
            "auth.token_endpoint must be empty or an http(s) URL",
        );
        check(
            self.auth.clock_skew_secs <= 3600,
            "auth.clock_skew_secs must be at most 3600",
        );
        check(
            self.auth.key_max_age_hours >= 1 && self.auth.key_min_refresh_secs >= 1,
            "auth.key_max_age_hours and auth.key_min_refresh_secs must be at least 1",
        );
        check(
            self.limits.jobs_per_conversation >= 1 && self.limits.jobs_per_user >= 1,
            "limits.jobs_per_conversation and limits.jobs_per_user must be at least 1",
        );
        check(
            (1..=36_500).contains(&self.privacy.conversation_retention_days),
            "privacy.conversation_retention_days must be between 1 and 36500",
        );
        check(
            self.limits.turns_per_conversation_per_minute >= 1,
            "limits.turns_per_conversation_per_minute must be at least 1",
        );
        check(
            (1..=100_000).contains(&self.api.requests_per_minute),
            "api.requests_per_minute must be between 1 and 100000",
        );
        let mut names = std::collections::HashSet::new();
        for key in &self.api.keys {
            check(
                !key.name.trim().is_empty() && names.insert(key.name.clone()),
                &format!(
                    "api.keys: names must be present and unique (`{}`)",
                    key.name
                ),
            );
            check(
                parse_digest(&key.sha256).is_some(),
                &format!("api.keys `{}`: sha256 must be 64 hex digits", key.name),
            );
            for scope in &key.scopes {
                check(
                    Scope::parse(scope).is_some(),
                    &format!("api.keys `{}`: unknown scope `{scope}`", key.name),
                );
            }
        }
        for pattern in &self.auth.trusted_service_hosts {
            check(
                TrustedHosts::is_valid_pattern(pattern),
                &format!("auth.trusted_service_hosts: `{pattern}` is not a host or *.domain"),
            );
        }
        if let Ok(ip) = ip {
            check(
                ip.is_loopback() || self.server.insecure || self.authentication_enabled(),
                "without authentication (no bot.app_id) Herald listens only on a loopback address; \
                 set server.insecure = true to accept unauthenticated activities elsewhere",
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems))
        }
    }

    pub fn authentication_enabled(&self) -> bool {
        !self.bot.app_id.trim().is_empty()
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

fn is_http_url(value: &str) -> bool {
    url::Url::parse(value)
        .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
}

impl ChatSettings {
    pub fn dedup_window(&self) -> Duration {
        Duration::from_secs(self.dedup_window_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // figment's own `Jail` closure returns its large error type; not ours to box.
    #[allow(clippy::result_large_err)]
    fn load(
        files: &[(&str, &str)],
        env: &[(&str, &str)],
        overrides: &Overrides,
    ) -> Result<Settings, ConfigError> {
        let mut loaded = None;
        figment::Jail::expect_with(|jail| {
            for (name, content) in files {
                jail.create_file(name, content)?;
            }
            for (key, value) in env {
                jail.set_env(key, value);
            }
            let figment =
                Settings::figment(jail.directory(), Env::raw(), Env::prefixed("HERALD__"));
            loaded = Some(Settings::load_from(figment, overrides));
            Ok(())
        });
        loaded.expect("the jail ran")
    }

    #[test]
    fn defaults_are_valid_and_emulator_friendly() {
        let settings = load(&[], &[], &Overrides::default()).unwrap();
        assert_eq!(settings.bind_address().to_string(), "127.0.0.1:3978");
        assert_eq!(settings.database.url, "sqlite://data/herald.db");
        assert_eq!(settings.job_visibility(), JobVisibility::All);
    }

    #[test]
    fn layers_apply_in_order() {
        let settings = load(
            &[(
                "local.toml",
                "[server]\nport = 4000\n[chat]\npage_size = 10\n",
            )],
            &[("PORT", "5000"), ("HERALD__CHAT__PAGE_SIZE", "7")],
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(settings.server.port, 5000, "environment beats local.toml");
        assert_eq!(settings.chat.page_size, 7);
        let flagged = load(
            &[],
            &[
                ("PORT", "5000"),
                ("DATABASE_URL", "postgres://x@localhost/db"),
            ],
            &Overrides {
                bind: Some("127.0.0.2:6000".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(
            flagged.bind_address().to_string(),
            "127.0.0.2:6000",
            "flags beat the environment"
        );
        assert_eq!(flagged.database.url, "postgres://x@localhost/db");
    }

    #[test]
    fn unsafe_or_nonsense_settings_are_refused_with_every_reason() {
        let error = load(
            &[("local.toml", "[server]\nbind = \"0.0.0.0\"\n[chat]\npage_size = 0\n[database]\nurl = \"mysql://x\"\n")],
            &[],
            &Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("loopback"), "{error}");
        assert!(error.contains("chat.page_size"), "{error}");
        assert!(error.contains("database.url"), "{error}");
    }

    #[test]
    fn insecure_allows_other_addresses() {
        let settings = load(
            &[(
                "local.toml",
                "[server]\nbind = \"0.0.0.0\"\ninsecure = true\n",
            )],
            &[],
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(settings.bind_address().ip().to_string(), "0.0.0.0");
    }

    #[test]
    fn unknown_keys_are_errors_not_silently_ignored() {
        let error = load(
            &[("local.toml", "[server]\nprot = 1\n")],
            &[],
            &Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("prot"), "{error}");
    }

    #[test]
    fn an_app_id_needs_its_password_and_a_supported_type() {
        let error = load(
            &[],
            &[
                ("MicrosoftAppId", "app"),
                ("MicrosoftAppType", "UserAssignedMSI"),
            ],
            &Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("app_password"), "{error}");
        assert!(error.contains("app_type"), "{error}");
        let single = load(
            &[],
            &[
                ("MicrosoftAppId", "app"),
                ("MicrosoftAppPassword", "pw"),
                ("MicrosoftAppType", "SingleTenant"),
                ("MicrosoftAppTenantId", "contoso"),
            ],
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(
            single.token_endpoint(),
            "https://login.microsoftonline.com/contoso/oauth2/v2.0/token"
        );
        assert_eq!(single.job_visibility(), JobVisibility::OwnConversation);
    }

    #[test]
    fn with_an_app_id_herald_may_listen_anywhere() {
        let settings = load(
            &[("local.toml", "[server]\nbind = \"0.0.0.0\"\n")],
            &[("MicrosoftAppId", "app"), ("MicrosoftAppPassword", "pw")],
            &Overrides::default(),
        )
        .unwrap();
        assert!(settings.authentication_enabled());
        assert_eq!(
            settings.token_endpoint(),
            "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
        );
    }

    #[test]
    fn secrets_never_print() {
        let settings = load(
            &[],
            &[("MicrosoftAppPassword", "hunter2")],
            &Overrides::default(),
        )
        .unwrap();
        let printed = settings.to_redacted_toml();
        assert!(!printed.contains("hunter2"));
        assert!(printed.contains("[redacted]"));
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
