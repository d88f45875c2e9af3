//! Conversions shared by both backends between stored columns and domain values.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::domain::conversation::{Conversation, ConversationKey, ConversationRecord};
use crate::domain::person::Person;
use crate::domain::ports::{DeadLetter, OutboxEntry, OutboxId, OutboxState, Owner, StoreError};
use crate::domain::price::{WatchId, WatchRecord, WatchState, WatchStatus};
use crate::domain::trigger::{TriggerId, TriggerKind, TriggerRecord, TriggerState};
use crate::domain::user::{QuietHours, UserRecord};

/// A `conversations` row, read the same way from both backends.
#[derive(Debug, sqlx::FromRow)]
pub struct ConversationRow {
    pub id: i64,
    pub channel_id: String,
    pub conversation_id: String,
    pub service_url: String,
    pub conversation_type: Option<String>,
    pub tenant_id: Option<String>,
    pub is_group: bool,
    pub bot_id: Option<String>,
    pub user_id: Option<String>,
    pub user_aad_object_id: Option<String>,
    pub locale: Option<String>,
    pub local_timezone: Option<String>,
    pub reference_json: String,
    pub service_url_verified: bool,
    pub unreachable_reason: Option<String>,
}

impl From<ConversationRow> for Conversation {
    fn from(row: ConversationRow) -> Self {
        Conversation {
            key: ConversationKey(row.id),
            record: ConversationRecord {
                channel_id: row.channel_id,
                conversation_id: row.conversation_id,
                service_url: row.service_url,
                conversation_type: row.conversation_type,
                tenant_id: row.tenant_id,
                is_group: row.is_group,
                bot_id: row.bot_id,
                user_id: row.user_id,
                user_aad_object_id: row.user_aad_object_id,
                locale: row.locale,
                local_timezone: row.local_timezone,
                reference_json: row.reference_json,
                service_url_verified: row.service_url_verified,
            },
            unreachable: row.unreachable_reason,
        }
    }
}

/// A `users` row.
#[derive(Debug, sqlx::FromRow)]
pub struct UserRow {
    pub channel_id: String,
    pub user_id: String,
    pub name: Option<String>,
    pub time_zone: Option<String>,
    pub language: Option<String>,
    pub locale: Option<String>,
    pub local_timezone: Option<String>,
    pub quiet_start: Option<i32>,
    pub quiet_end: Option<i32>,
    pub warned_offset: Option<i32>,
}

impl From<UserRow> for UserRecord {
    fn from(row: UserRow) -> Self {
        let quiet = match (row.quiet_start, row.quiet_end) {
            (Some(start), Some(end)) => Some(QuietHours {
                start: u16::try_from(start).unwrap_or(0),
                end: u16::try_from(end).unwrap_or(0),
            }),
            _ => None,
        };
        UserRecord {
            channel_id: row.channel_id,
            user_id: row.user_id,
            name: row.name,
            time_zone: row.time_zone,
            language: row.language,
            locale: row.locale,
            local_timezone: row.local_timezone,
            quiet,
            warned_offset: row.warned_offset,
        }
    }
}

/// An outbox message's owner and their settings (`sql::SELECT_OWNERS_*`):
/// the user columns are NULL when Herald has no record of them.
#[derive(Debug, sqlx::FromRow)]
pub struct OwnerRow {
    pub id: i64,
    pub owner_channel_id: Option<String>,
    pub owner_user_id: Option<String>,
    pub channel_id: Option<String>,
    pub user_id: Option<String>,
    pub name: Option<String>,
    pub time_zone: Option<String>,
    pub language: Option<String>,
    pub locale: Option<String>,
    pub local_timezone: Option<String>,
    pub quiet_start: Option<i32>,
    pub quiet_end: Option<i32>,
    pub warned_offset: Option<i32>,
}

/// Owners by outbox id, for a claimed batch.
pub fn owners_by_message(rows: Vec<OwnerRow>) -> HashMap<i64, Owner> {
    rows.into_iter()
        .filter_map(|row| {
            let person = Person::from_columns(row.owner_channel_id, row.owner_user_id)?;
            let record = match (row.channel_id, row.user_id) {
                (Some(channel_id), Some(recorded_id)) => Some(UserRecord::from(UserRow {
                    channel_id,
                    user_id: recorded_id,
                    name: row.name,
                    time_zone: row.time_zone,
                    language: row.language,
                    locale: row.locale,
                    local_timezone: row.local_timezone,
                    quiet_start: row.quiet_start,
                    quiet_end: row.quiet_end,
                    warned_offset: row.warned_offset,
                })),
                _ => None,
            };
            Some((row.id, Owner { person, record }))
        })
        .collect()
}

/// A `price_watches` row.
#[derive(Debug, sqlx::FromRow)]
pub struct WatchRow<T> {
    pub id: i64,
    pub conversation_key: i64,
    pub owner_channel_id: Option<String>,
    pub owner_user_id: Option<String>,
    pub source: String,
    pub symbol: String,
    pub currency: Option<String>,
    pub rule_json: String,
    pub repeat: bool,
    pub base: String,
    pub low: String,
    pub armed: bool,
    pub state: String,
    pub last_price: Option<String>,
    pub last_alert_at: Option<T>,
    pub stalled: bool,
    pub created_at: T,
}

fn decimal(text: &str, what: &str) -> Result<rust_decimal::Decimal, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("{what} `{text}`")))
}

impl<T: StoredInstant> TryFrom<WatchRow<T>> for WatchRecord {
    type Error = StoreError;

    fn try_from(row: WatchRow<T>) -> Result<Self, StoreError> {
        let rule = serde_json::from_str(&row.rule_json)
            .map_err(|error| StoreError::Corrupt(format!("watch {} rule: {error}", row.id)))?;
        Ok(WatchRecord {
            id: WatchId(row.id),
            conversation: ConversationKey(row.conversation_key),
            owner: Person::from_columns(row.owner_channel_id, row.owner_user_id),
            source: row.source,
            symbol: row.symbol,
            currency: row.currency,
            rule,
            repeat: row.repeat,
            state: WatchState {
                base: decimal(&row.base, "watch base")?,
                low: decimal(&row.low, "watch low")?,
                armed: row.armed,
                last_alert_at: row.last_alert_at.map(T::into_utc).transpose()?,
            },
            status: WatchStatus::parse(&row.state)
                .ok_or_else(|| StoreError::Corrupt(format!("watch state `{}`", row.state)))?,
            stalled: row.stalled,
            last_price: row
                .last_price
                .as_deref()
                .map(|p| decimal(p, "watch price"))
                .transpose()?,
            created_at: row.created_at.into_utc()?,
        })
    }
}

/// Conversations by their key, for a claimed batch.
pub fn conversations_by_key(rows: Vec<ConversationRow>) -> HashMap<i64, Conversation> {
    rows.into_iter()
        .map(|row| (row.id, Conversation::from(row)))
        .collect()
}

pub fn trigger_id(id: i64) -> Result<TriggerId, StoreError> {
    TriggerId::new(id).ok_or_else(|| StoreError::Corrupt(format!("trigger id {id}")))
}

pub fn trigger_state(stored: &str) -> Result<TriggerState, StoreError> {
    stored
        .parse()
        .map_err(|error| StoreError::Corrupt(format!("trigger state: {error}")))
}

pub fn attempts(stored: i32) -> u32 {
    u32::try_from(stored).unwrap_or(0)
}

/// SQLite keeps instants as UTC milliseconds.
pub fn to_millis(instant: DateTime<Utc>) -> i64 {
    instant.timestamp_millis()
}

pub fn from_millis(millis: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| StoreError::Corrupt(format!("instant {millis}")))
}

/// An instant as a backend stores it: milliseconds on SQLite, `TIMESTAMPTZ`
/// on PostgreSQL.
pub trait StoredInstant: Sized {
    fn from_utc(instant: DateTime<Utc>) -> Self;

    fn into_utc(self) -> Result<DateTime<Utc>, StoreError>;
}

impl StoredInstant for i64 {
    fn from_utc(instant: DateTime<Utc>) -> Self {
        to_millis(instant)
    }

    fn into_utc(self) -> Result<DateTime<Utc>, StoreError> {
        from_millis(self)
    }
}

impl StoredInstant for DateTime<Utc> {
    fn from_utc(instant: DateTime<Utc>) -> Self {
        instant
    }

    fn into_utc(self) -> Result<DateTime<Utc>, StoreError> {
        Ok(self)
    }
}

/// A `triggers` row joined with its conversation's names (`sql::SELECT_TRIGGER`).
#[derive(Debug, sqlx::FromRow)]
pub struct TriggerRow<T> {
    pub id: i64,
    pub kind: String,
    pub state: String,
    pub conversation_key: i64,
    pub channel_id: String,
    pub conversation_id: String,
    pub owner_channel_id: Option<String>,
    pub owner_user_id: Option<String>,
    pub text: Option<String>,
    pub schedule_json: Option<String>,
    pub time_zone: Option<String>,
    pub next_fire_at: Option<T>,
    pub fire_count: i64,
    pub last_error: Option<String>,
    pub created_at: T,
    pub updated_at: T,
    pub completed_at: Option<T>,
}

impl<T: StoredInstant> TryFrom<TriggerRow<T>> for TriggerRecord {
    type Error = StoreError;

    fn try_from(row: TriggerRow<T>) -> Result<Self, StoreError> {
        let schedule = row
            .schedule_json
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|error| {
                StoreError::Corrupt(format!("trigger {} schedule: {error}", row.id))
            })?;
        Ok(TriggerRecord {
            id: trigger_id(row.id)?,
            kind: trigger_kind(&row.kind)?,
            state: trigger_state(&row.state)?,
            conversation: ConversationKey(row.conversation_key),
            channel_id: row.channel_id,
            conversation_id: row.conversation_id,
            owner: Person::from_columns(row.owner_channel_id, row.owner_user_id),
            text: row.text,
            schedule,
            time_zone: row.time_zone,
            next_fire_at: row.next_fire_at.map(T::into_utc).transpose()?,
            fire_count: u64::try_from(row.fire_count).unwrap_or(0),
            last_error: row.last_error,
            created_at: row.created_at.into_utc()?,
            updated_at: row.updated_at.into_utc()?,
            completed_at: row.completed_at.map(T::into_utc).transpose()?,
        })
    }
}

/// An outbox row with its conversation's names (`sql::LIST_DEAD_LETTERS`).
#[derive(Debug, sqlx::FromRow)]
pub struct DeadLetterRow<T> {
    pub id: i64,
    pub conversation_key: i64,
    pub trigger_id: Option<i64>,
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: T,
    pub sent_at: Option<T>,
    pub channel_id: Option<String>,
    pub conversation_id: Option<String>,
}

impl<T: StoredInstant> TryFrom<DeadLetterRow<T>> for DeadLetter {
    type Error = StoreError;

    fn try_from(row: DeadLetterRow<T>) -> Result<Self, StoreError> {
        Ok(DeadLetter {
            entry: OutboxEntry {
                id: OutboxId(row.id),
                conversation: ConversationKey(row.conversation_key),
                trigger: row.trigger_id.map(trigger_id).transpose()?,
                state: OutboxState::parse(&row.state)?,
                attempts: attempts(row.attempts),
                last_error: row.last_error,
                created_at: row.created_at.into_utc()?,
                sent_at: row.sent_at.map(T::into_utc).transpose()?,
            },
            channel_id: row.channel_id,
            conversation_id: row.conversation_id,
        })
    }
}

pub fn trigger_kind(stored: &str) -> Result<TriggerKind, StoreError> {
    stored
        .parse()
        .map_err(|error| StoreError::Corrupt(format!("trigger kind: {error}")))
}
