//! The rules settings must follow; every broken one is reported at once.

use std::net::IpAddr;

use secrecy::ExposeSecret;

use super::{ConfigError, Settings};
use crate::botframework::auth::TrustedHosts;
use crate::domain::api_key::{Scope, parse_digest};
use crate::domain::person::Person;
use crate::store::Backend;

impl Settings {
    /// Checks every rule and reports all problems at once.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        for operator in &self.jobs.operators {
            if let Err(error) = Person::parse_qualified(operator) {
                problems.push(format!("jobs.operators: {error}"));
            }
        }
        for allowed in &self.webchat.upload_content_types {
            if let Some(problem) = crate::webchat::unfit_to_allow(allowed) {
                problems.push(format!(
                    "webchat.upload_content_types: {allowed:?} {problem}"
                ));
            }
        }
        if let Err(setting) = self.chat.times.defaults() {
            problems.push(format!(
                "{setting} must be a time of day as HH:MM, such as 09:00"
            ));
        }
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
            (1..=3).contains(&self.chat.snooze_minutes.len())
                && self
                    .chat
                    .snooze_minutes
                    .iter()
                    .all(|m| (1..=1440).contains(m)),
            "chat.snooze_minutes must hold one to three durations of 1 to 1440 minutes",
        );
        check(
            (1..=1_000_000).contains(&self.webchat.max_streams)
                && (1..=100).contains(&self.webchat.max_streams_per_conversation),
            "webchat.max_streams must be between 1 and 1000000, webchat.max_streams_per_conversation between 1 and 100",
        );
        check(
            (10..=1_000_000).contains(&self.webchat.max_transcript_activities),
            "webchat.max_transcript_activities must be between 10 and 1000000",
        );
        check(
            (1..=3650).contains(&self.webchat.browser_idle_days),
            "webchat.browser_idle_days must be between 1 and 3650",
        );
        check(
            (60..=86_400).contains(&self.webchat.token_lifetime_secs),
            "webchat.token_lifetime_secs must be between 60 and 86400",
        );
        let uploads = &self.webchat;
        check(
            (1..=20).contains(&uploads.max_upload_files),
            "webchat.max_upload_files must be between 1 and 20",
        );
        // An upload is held in memory whole until it is checked and stored.
        check(
            (1024..=64 * 1024 * 1024).contains(&uploads.max_upload_bytes)
                && (1..=uploads.max_upload_bytes).contains(&uploads.max_upload_file_bytes),
            "webchat.max_upload_bytes must be between 1024 and 67108864, and webchat.max_upload_file_bytes between 1 and webchat.max_upload_bytes",
        );
        check(
            (1..=600).contains(&uploads.upload_read_timeout_secs),
            "webchat.upload_read_timeout_secs must be between 1 and 600",
        );
        check(
            (10..=86_400).contains(&uploads.attachment_link_secs),
            "webchat.attachment_link_secs must be between 10 and 86400",
        );
        let secret = self.webchat.secret.expose_secret();
        check(
            secret.is_empty() || secret.len() >= 32,
            "webchat.secret must be at least 32 characters (or empty: loopback development only)",
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
            (1..=16).contains(&self.delivery.concurrent_rounds),
            "delivery.concurrent_rounds must be between 1 and 16",
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
            self.delivery.rate_limit_margin_ms <= 10_000,
            "delivery.rate_limit_margin_ms must be at most 10000",
        );
        check(
            crate::domain::schedule::Zone::parse(&self.chat.default_timezone).is_ok(),
            "chat.default_timezone must be an IANA zone name such as Europe/Lisbon or UTC",
        );
        check(
            (1..=10_000).contains(&self.limits.reminder_text_chars)
                && self.limits.reminder_text_chars <= self.chat.max_text_chars,
            "limits.reminder_text_chars must be between 1 and 10000, and at most chat.max_text_chars",
        );
        check(
            self.limits.reminders_per_user >= 1 && self.limits.reminders_per_conversation >= 1,
            "limits.reminders_per_user and limits.reminders_per_conversation must be at least 1",
        );
        check(
            self.limits.watches_per_user >= 1 && self.limits.watches_per_conversation >= 1,
            "limits.watches_per_user and limits.watches_per_conversation must be at least 1",
        );
        check(
            (1..=86_400).contains(&self.limits.min_repeat_secs),
            "limits.min_repeat_secs must be between 1 and 86400",
        );
        if let Err(problem) = self.delivery_policy() {
            check(false, &problem);
        }
        check(
            self.delivery.send_timeout_ms / 1000 < self.delivery.lease_secs,
            "delivery.lease_secs must be longer than delivery.send_timeout_ms",
        );
        check(
            (1..=100_000).contains(&self.scheduler.batch_size),
            "scheduler.batch_size must be between 1 and 100000",
        );
        check(
            self.scheduler.concurrent_batches <= 16,
            "scheduler.concurrent_batches must be between 0 (automatic) and 16",
        );
        check(
            (1..=3600).contains(&self.scheduler.max_sleep_secs),
            "scheduler.max_sleep_secs must be between 1 and 3600",
        );
        check(
            self.retention.outbox_days >= 1 && self.retention.idempotency_key_hours >= 1,
            "retention periods must be at least 1",
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
        problems.extend(self.price_problems());
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems))
        }
    }
}

fn is_http_url(value: &str) -> bool {
    url::Url::parse(value)
        .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
}
