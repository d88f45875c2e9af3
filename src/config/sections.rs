//! The sections of the settings, as `config/default.toml` lays them out.

use std::collections::BTreeMap;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

use crate::store::SqliteSynchronous;

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
    /// Printed without its password.
    #[serde(serialize_with = "super::redact::redacted_url")]
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
    /// The zone of people who set none and whose channel says none.
    pub default_timezone: String,
    /// The snooze buttons of a fired reminder, in minutes.
    pub snooze_minutes: Vec<u32>,
    /// What parts of the day and an unsaid time stand for in reminders.
    pub times: TimeSettings,
}

/// `[chat.times]`: local times as `HH:MM`, the same in every language.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimeSettings {
    pub early_morning: String,
    pub morning: String,
    pub afternoon: String,
    pub evening: String,
    pub night: String,
    pub without_time: String,
    /// Minutes `in a few minutes` stands for.
    #[serde(default = "few_minutes")]
    pub few_minutes: u32,
    /// `end of day`, `eod`, `no fim do dia`, `en fin de journée`.
    #[serde(default = "end_of_day")]
    pub end_of_day: String,
}

const fn few_minutes() -> u32 {
    5
}

fn end_of_day() -> String {
    "17:00".to_owned()
}

impl TimeSettings {
    /// The reminder grammar's defaults; `None` names the first setting that
    /// is not a time of day.
    pub fn defaults(&self) -> Result<crate::domain::reminder::TimeDefaults, &'static str> {
        let clock = |text: &str, name| {
            chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .map(|time| {
                    use chrono::Timelike;
                    crate::domain::reminder::Clock::new(time.hour(), time.minute())
                })
                .map_err(|_| name)
        };
        Ok(crate::domain::reminder::TimeDefaults {
            early_morning: clock(&self.early_morning, "chat.times.early_morning")?,
            morning: clock(&self.morning, "chat.times.morning")?,
            afternoon: clock(&self.afternoon, "chat.times.afternoon")?,
            evening: clock(&self.evening, "chat.times.evening")?,
            night: clock(&self.night, "chat.times.night")?,
            unsaid: clock(&self.without_time, "chat.times.without_time")?,
            few_minutes: self.few_minutes,
            end_of_day: clock(&self.end_of_day, "chat.times.end_of_day")?,
        })
    }
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
    pub reminders_per_user: u32,
    pub reminders_per_conversation: u32,
    pub reminder_text_chars: usize,
    pub watches_per_user: u32,
    pub watches_per_conversation: u32,
    /// The shortest repeat of a recurring trigger (interval or cron), chat and API alike.
    pub min_repeat_secs: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacySettings {
    pub conversation_retention_days: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryConfig {
    pub enabled: bool,
    pub poll_interval_ms: u64,
    pub batch_size: u32,
    pub concurrent_rounds: u32,
    pub lease_secs: u64,
    pub max_attempts: u32,
    pub backoff_base_ms: u64,
    pub backoff_max_secs: u64,
    pub send_timeout_ms: u64,
    pub connect_timeout_ms: u64,
    /// Per conversation, by channel id; `other` for any channel not listed.
    pub rate_limits: BTreeMap<String, Vec<String>>,
    /// All proactive messages of the bot together.
    pub global_rate_limit: Vec<String>,
    /// Added to every window when pacing, for network jitter.
    pub rate_limit_margin_ms: u64,
    pub budget_store: BudgetStore,
}

/// Where the send budget's state lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BudgetStore {
    /// In the database on PostgreSQL, in memory on SQLite.
    Auto,
    /// In memory: exact for one instance.
    Memory,
    /// In the database: exact for every instance sharing it, and across restarts.
    Database,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulerConfig {
    pub enabled: bool,
    pub batch_size: u32,
    /// Batches fired at once; 0 picks per database (see config/default.toml).
    pub concurrent_batches: u32,
    pub max_sleep_secs: u64,
    pub misfire_grace_secs: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    pub outbox_days: u32,
    pub idempotency_key_hours: u32,
}

/// When Herald's own web chat (Direct Line 3.0 at `/v3/directline`, the page at `/`) runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WebchatMode {
    /// On when Herald listens on loopback only, off elsewhere.
    Auto,
    On,
    Off,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WebchatSettings {
    pub enabled: WebchatMode,
    /// The Direct Line secret: starts conversations and makes tokens. Empty:
    /// only a loopback listener starts conversations, without a secret.
    #[serde(serialize_with = "redacted")]
    pub secret: SecretString,
    pub token_lifetime_secs: u64,
    pub max_streams: usize,
    pub max_streams_per_conversation: usize,
    pub max_transcript_activities: u32,
    pub browser_idle_days: u32,
    /// Uploads (`POST …/upload`): the largest file, the most files, the
    /// largest request (its own limit: `server.max_body_bytes` is for JSON),
    /// the content types accepted, and how long the request may take.
    pub max_upload_file_bytes: usize,
    pub max_upload_files: usize,
    pub max_upload_bytes: usize,
    pub upload_content_types: Vec<String>,
    pub upload_read_timeout_secs: u64,
    /// How long a signed link to an uploaded file works.
    pub attachment_link_secs: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub filter: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceConfig {
    /// The source of a watch that names none (`watch bitcoin below 30000`).
    pub default_source: String,
    pub fetch_timeout_ms: u64,
    pub max_response_bytes: usize,
    /// Failed fetches in a row after which a source's watchers are told it
    /// stalled; polls in a row without a symbol's price, for that symbol's.
    pub failures_before_stalled: u32,
    /// How far back across its threshold a repeating watch's price must go
    /// before it may alert again, in percent of the threshold.
    pub hysteresis_percent: f64,
    /// The least time between two alerts of one repeating watch.
    pub cooldown_secs: u64,
    /// Prices older than this are pruned by housekeeping.
    pub history_days: u32,
    /// `host:port` pairs sources may fetch although private or loopback.
    pub allow_private: Vec<String>,
    /// The HTTP proxy price fetches go through; empty: none (the environment's
    /// `HTTP_PROXY` and the like are never used for them).
    #[serde(default, serialize_with = "super::redact::redacted_url")]
    pub proxy: String,
    pub sources: Vec<PriceSourceSetting>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceSourceSetting {
    pub name: String,
    /// With `{symbol}` and optionally `{currency}`; none for a push-only source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A JSON Pointer to the price, with the same placeholders.
    #[serde(default)]
    pub pointer: String,
    /// Sent with every request; `${NAME}` is replaced by the environment variable.
    #[serde(default, serialize_with = "redacted_headers")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default = "default_interval")]
    pub interval_secs: u64,
    #[serde(default = "default_requests_per_minute")]
    pub requests_per_minute: u32,
    /// Symbols are sent and stored in lower case (CoinGecko's ids are).
    #[serde(default)]
    pub lowercase_symbols: bool,
}

fn default_interval() -> u64 {
    60
}

fn default_requests_per_minute() -> u32 {
    30
}

/// Header values may hold keys: printed settings show only the names.
fn redacted_headers<S: Serializer>(
    headers: &BTreeMap<String, String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let shown: BTreeMap<&str, &str> = headers
        .iter()
        .map(|(name, value)| {
            let shown = if value.starts_with("${") && value.ends_with('}') {
                value.as_str()
            } else {
                "[redacted]"
            };
            (name.as_str(), shown)
        })
        .collect();
    shown.serialize(serializer)
}

/// A secret prints as `[redacted]` (empty when unset).
fn redacted<S: Serializer>(secret: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    if secret.expose_secret().is_empty() {
        serializer.serialize_str("")
    } else {
        serializer.serialize_str("[redacted]")
    }
}

impl ChatSettings {
    pub fn dedup_window(&self) -> Duration {
        Duration::from_secs(self.dedup_window_secs)
    }
}
