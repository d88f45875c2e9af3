//! Keeps each conversation's reference stored, writing only when it changed.
//!
//! Every activity carries the conversation's reference; storing it on every
//! turn would put a database write on every `show`. The cache remembers what
//! was last stored per conversation and skips identical writes. Entries expire
//! so that, with several instances, a reference another instance overwrote is
//! written back within the TTL.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::botframework::inbound::InboundActivity;
use crate::domain::conversation::{ConversationRecord, Recorded};
use crate::domain::ports::{ConversationStore, StoreError};

/// Reads the conversation reference out of an activity, as the store keeps it;
/// `verified` when the activity was authenticated.
pub fn record_of(inbound: &InboundActivity, verified: bool) -> ConversationRecord {
    let activity = &inbound.activity;
    let mut reference = inbound.conversation_reference();
    // The id of the activity that happened to be last is of no use to a
    // proactive send, and would make every turn's reference look new.
    reference.activity_id = None;
    let conversation = activity.conversation.as_ref();
    let from = activity.from.as_ref();
    ConversationRecord {
        channel_id: inbound.channel_id.clone(),
        conversation_id: inbound.conversation_id.clone(),
        service_url: reference.service_url.clone(),
        conversation_type: conversation.and_then(|c| c.conversation_type.clone()),
        tenant_id: inbound.tenant_id(),
        is_group: conversation.and_then(|c| c.is_group).unwrap_or(false),
        bot_id: activity.recipient.as_ref().and_then(|r| r.id.clone()),
        user_id: from.and_then(|f| f.id.clone()),
        user_aad_object_id: from.and_then(|f| f.aad_object_id.clone()),
        locale: activity.locale.clone(),
        local_timezone: activity.local_timezone.clone(),
        // Serialising our own types cannot fail; an empty object would still be safe.
        reference_json: serde_json::to_string(&reference).unwrap_or_else(|_| "{}".to_owned()),
        service_url_verified: verified,
    }
}

struct Stored {
    recorded: Recorded,
    fingerprint: u64,
    at: DateTime<Utc>,
}

/// What was last written per conversation.
pub struct ReferenceCache {
    entries: Mutex<HashMap<(String, String), Stored>>,
    ttl: Duration,
    capacity: usize,
}

impl ReferenceCache {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            ttl,
            capacity: capacity.max(1),
        }
    }

    /// Stores the record unless the same one was stored within the TTL; returns
    /// its key and whether it was marked unreachable.
    pub async fn ensure_stored(
        &self,
        store: &dyn ConversationStore,
        record: &ConversationRecord,
        now: DateTime<Utc>,
    ) -> Result<Recorded, StoreError> {
        let fingerprint = record.fingerprint();
        let id = (record.channel_id.clone(), record.conversation_id.clone());
        if let Some(recorded) = self.fresh(&id, fingerprint, now) {
            return Ok(recorded);
        }
        let recorded = store.record_conversation(record, now).await?;
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity {
            // Crude but bounded: a flood of new conversations costs a few extra writes.
            entries.clear();
        }
        entries.insert(
            id,
            Stored {
                recorded,
                fingerprint,
                at: now,
            },
        );
        Ok(recorded)
    }

    /// Forgets one conversation: its next activity is stored (and its
    /// reachability read) again.
    pub fn forget(&self, record: &ConversationRecord) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&(record.channel_id.clone(), record.conversation_id.clone()));
    }

    /// Forgets everything cached: the next turn of every conversation writes its reference.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    fn fresh(
        &self,
        id: &(String, String),
        fingerprint: u64,
        now: DateTime<Utc>,
    ) -> Option<Recorded> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(id)
            .filter(|s| s.fingerprint == fingerprint && now - s.at < self.ttl && now >= s.at)
            .map(|s| s.recorded)
    }
}
