//! Conversions shared by both backends between stored columns and domain values.

use chrono::{DateTime, Utc};

use crate::domain::conversation::{Conversation, ConversationKey, ConversationRecord};
use crate::domain::ports::StoreError;
use crate::domain::trigger::{TriggerId, TriggerState};

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
        }
    }
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
