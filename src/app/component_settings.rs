//! What each component is told, read from Herald's settings: the
//! scheduler's, delivery's, the bot's, housekeeping's and the server's own
//! settings types, so that `mod.rs` only wires.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use crate::chat::{BotSettings, ReminderLimits, ServiceUrlPolicy};
use crate::config::Settings;
use crate::delivery::budget::SendBudget;
use crate::delivery::{Backoff, DeliverySettings};
use crate::domain::clock::Clock;
use crate::domain::firing::FiringRules;
use crate::domain::ports::{OpenLimits, Store};
use crate::http::server::ServerLimits;
use crate::scheduler::SchedulerSettings;
use crate::scheduler::housekeeping::{GaugeBoard, Housekeeping, Sweeper, UpkeepPorts};
use crate::web::BodyLimits;

pub(super) fn scheduler(settings: &Settings) -> SchedulerSettings {
    SchedulerSettings {
        batch_size: settings.scheduler.batch_size,
        concurrent_batches: match settings.scheduler.concurrent_batches {
            0 if settings.database.url.starts_with("postgres") => 2,
            0 => 1,
            chosen => chosen,
        },
        max_sleep: Duration::from_secs(settings.scheduler.max_sleep_secs),
        rules: FiringRules {
            misfire_grace: (settings.scheduler.misfire_grace_secs > 0).then(|| {
                chrono::Duration::seconds(
                    i64::try_from(settings.scheduler.misfire_grace_secs).unwrap_or(i64::MAX / 1000),
                )
            }),
        },
    }
}

pub(super) fn delivery(settings: &Settings) -> DeliverySettings {
    DeliverySettings {
        poll_interval: Duration::from_millis(settings.delivery.poll_interval_ms),
        batch_size: settings.delivery.batch_size,
        concurrent_rounds: settings.delivery.concurrent_rounds,
        lease: Duration::from_secs(settings.delivery.lease_secs),
        max_attempts: settings.delivery.max_attempts,
        backoff: Backoff {
            base: Duration::from_millis(settings.delivery.backoff_base_ms),
            max: Duration::from_secs(settings.delivery.backoff_max_secs),
        },
        default_zone: settings.default_zone(),
    }
}

/// The bot's settings; `authenticated`: inbound tokens are checked, so
/// service URLs must be trusted hosts (else only loopback ones are).
pub(super) fn bot(settings: &Settings, authenticated: bool) -> BotSettings {
    BotSettings {
        max_text_chars: settings.chat.max_text_chars,
        page_size: settings.chat.page_size,
        dedup_window: settings.chat.dedup_window(),
        reply_timeout: Duration::from_millis(settings.chat.reply_timeout_ms),
        turns_per_conversation_per_minute: NonZeroU32::new(
            settings.limits.turns_per_conversation_per_minute,
        )
        .unwrap_or(NonZeroU32::MIN),
        service_urls: if authenticated {
            ServiceUrlPolicy::Trusted(super::parts::trusted_hosts(settings))
        } else {
            ServiceUrlPolicy::LoopbackOnly
        },
        default_zone: settings.default_zone(),
        reminder_limits: ReminderLimits {
            text_chars: settings.limits.reminder_text_chars,
            open: OpenLimits {
                per_user: settings.limits.reminders_per_user,
                per_conversation: settings.limits.reminders_per_conversation,
            },
        },
        // Validated at start.
        times: settings.chat.times.defaults().unwrap_or_default(),
    }
}

/// Caps on open jobs, per conversation and per person.
pub(super) fn job_limits(settings: &Settings) -> OpenLimits {
    OpenLimits {
        per_conversation: settings.limits.jobs_per_conversation,
        per_user: settings.limits.jobs_per_user,
    }
}

/// Caps on open price watches, per conversation and per person.
pub(super) fn watch_limits(settings: &Settings) -> OpenLimits {
    OpenLimits {
        per_user: settings.limits.watches_per_user,
        per_conversation: settings.limits.watches_per_conversation,
    }
}

pub(super) fn housekeeping(
    settings: &Settings,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    sweepers: Vec<Sweeper>,
    gauges: Arc<GaugeBoard>,
    budget: Arc<dyn SendBudget>,
) -> Housekeeping {
    Housekeeping {
        ports: UpkeepPorts::of(&store),
        clock,
        dedup_window: settings.chat.dedup_window(),
        conversation_retention: chrono::Duration::days(i64::from(
            settings.privacy.conversation_retention_days,
        )),
        outbox_retention: chrono::Duration::days(i64::from(settings.retention.outbox_days)),
        idempotency_retention: chrono::Duration::hours(i64::from(
            settings.retention.idempotency_key_hours,
        )),
        price_history: chrono::Duration::days(i64::from(settings.prices.history_days)),
        browser_retention: chrono::Duration::days(i64::from(settings.webchat.browser_idle_days)),
        sweepers,
        gauges,
        budget,
    }
}

pub(super) fn server(settings: &Settings) -> ServerLimits {
    ServerLimits {
        header_read_timeout: Duration::from_secs(settings.server.header_read_timeout_secs),
        max_header_bytes: settings.server.max_header_bytes,
        max_connections: settings.server.max_connections,
        shutdown_grace: Duration::from_secs(settings.server.shutdown_grace_secs),
    }
}

/// The JSON request bodies' limits, for Herald's routes and web chat's.
pub(super) fn body(settings: &Settings) -> BodyLimits {
    BodyLimits {
        max_bytes: settings.server.max_body_bytes,
        read_timeout: Duration::from_secs(settings.server.body_read_timeout_secs),
    }
}
