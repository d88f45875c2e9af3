//! The bot: what a turn works with (the store, the clock, the connector,
//! caches, limits) and how it is built from its parts and settings. The turn
//! itself is `turn.rs`; each kind of command has its own file.

use std::hash::RandomState;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use governor::Quota;
use tokio::sync::Notify;

use super::locks::ConversationLocks;
use super::people::PeopleCache;
use super::references::ReferenceCache;
use crate::botframework::auth::TrustedHosts;
use crate::botframework::connector::Connector;
use crate::botframework::inbound::InboundActivity;
use crate::delivery::budget::SendBudget;
use crate::domain::access::JobAccess;
use crate::domain::clock::Clock;
use crate::domain::conversation::ConversationKey;
use crate::domain::ports::{ActivityStamp, OpenLimits, Store};
use crate::domain::schedule::Zone;
use crate::prices::Prices;
use crate::rate_limit::{KeyedLimiter, keyed_limiter};
use crate::scheduler::control::TriggerControl;

/// Tuning of turn handling.
#[derive(Debug, Clone)]
pub struct BotSettings {
    /// Longer messages get a polite refusal instead of being parsed.
    pub max_text_chars: usize,
    /// Jobs per `show` page.
    pub page_size: u32,
    /// How long a handled activity id is remembered.
    pub dedup_window: Duration,
    /// How long a reply may take; the channel itself gives up after ~15 s.
    pub reply_timeout: Duration,
    /// Which service URLs activities may come with.
    pub service_urls: ServiceUrlPolicy,
    /// Caps on open jobs per conversation and per user.
    pub job_limits: OpenLimits,
    /// Turns one conversation may take per minute; more get 429.
    pub turns_per_conversation_per_minute: NonZeroU32,
    /// The zone of people who set none and whose channel says none.
    pub default_zone: Zone,
    pub reminder_limits: ReminderLimits,
    pub watch_limits: OpenLimits,
    /// What parts of the day and an unsaid time stand for (`chat.times`).
    pub times: crate::domain::reminder::TimeDefaults,
}

/// Which service URLs Herald accepts (and so will later send to).
#[derive(Debug, Clone)]
pub enum ServiceUrlPolicy {
    /// Authentication off: this machine only.
    LoopbackOnly,
    /// Authentication on: the trusted hosts.
    Trusted(TrustedHosts),
}

/// Reminder limits, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct ReminderLimits {
    pub text_chars: usize,
    /// Caps on open reminders, for the store to check as it adds one.
    pub open: OpenLimits,
}

/// The bot: the job log over the store, answering through the connector.
pub struct Bot {
    pub(super) store: Arc<dyn Store>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) connector: Connector,
    pub(super) access: JobAccess,
    pub(super) settings: BotSettings,
    pub(super) references: Arc<ReferenceCache>,
    /// People's records, read once a minute at most.
    pub(super) people: PeopleCache,
    /// Replies draw on the conversation's send budget, as proactive messages do.
    pub(super) budget: Arc<dyn SendBudget>,
    /// Resumes the triggers Herald paused while a conversation was unreachable.
    pub(super) triggers: TriggerControl,
    pub(super) prices: Arc<Prices>,
    pub(super) locks: ConversationLocks,
    pub(super) outbox_written: Arc<Notify>,
    /// Keyed by a digest of (channel, conversation): no allocation per turn.
    pub(super) turn_rate: KeyedLimiter<u64>,
    pub(super) rate_keys: RandomState,
}

/// What the bot works with besides the store and the clock.
pub struct BotParts {
    pub connector: Connector,
    pub access: JobAccess,
    pub references: Arc<ReferenceCache>,
    pub budget: Arc<dyn SendBudget>,
    pub triggers: TriggerControl,
    pub prices: Arc<Prices>,
    /// Wakes delivery when a turn queued a message.
    pub outbox_written: Arc<Notify>,
}

impl Bot {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        parts: BotParts,
        settings: BotSettings,
    ) -> Self {
        let BotParts {
            connector,
            access,
            references,
            budget,
            triggers,
            prices,
            outbox_written,
        } = parts;
        let turn_rate = keyed_limiter(
            Quota::per_minute(settings.turns_per_conversation_per_minute),
            Arc::clone(&clock),
        );
        Self {
            store,
            clock,
            connector,
            access,
            references,
            people: PeopleCache::new(chrono::Duration::minutes(1), 100_000),
            budget,
            triggers,
            prices,
            locks: ConversationLocks::new(1024),
            outbox_written,
            rate_keys: RandomState::new(),
            turn_rate,
            settings,
        }
    }

    /// Forgets the turn rates of conversations that have been quiet (housekeeping).
    pub fn forget_quiet_conversations(&self) {
        self.turn_rate.retain_recent();
        self.turn_rate.shrink_to_fit();
    }

    pub(super) fn stamp<'a>(
        &self,
        inbound: &'a InboundActivity,
        conversation: ConversationKey,
        now: DateTime<Utc>,
    ) -> Option<ActivityStamp<'a>> {
        let window = chrono::Duration::from_std(self.settings.dedup_window).ok()?;
        Some(ActivityStamp {
            conversation,
            activity_id: inbound.activity.id.as_deref().filter(|id| !id.is_empty())?,
            window_start: now - window,
        })
    }
}
