//! Conversations Herald may write to: what the channel told us about them.

use std::hash::{DefaultHasher, Hash, Hasher};

/// The store's key for a conversation (not the channel's id, which is long text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConversationKey(pub i64);

/// Everything needed to continue a conversation later, as learnt from the last
/// activity that arrived in it. `reference_json` is the channel's conversation
/// reference verbatim (unknown fields included); the other fields are the parts
/// Herald queries or shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConversationRecord {
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
    /// Whether the service URL came with an authenticated activity.
    pub service_url_verified: bool,
}

impl ConversationRecord {
    /// A digest of the whole record, so an unchanged reference need not be written again.
    pub fn fingerprint(&self) -> u64 {
        // DefaultHasher::new() uses fixed keys: the digest is stable within a process,
        // which is all the cache that compares them needs.
        let mut hasher = DefaultHasher::new();
        self.hash(&mut hasher);
        hasher.finish()
    }
}

/// A stored conversation with its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub key: ConversationKey,
    pub record: ConversationRecord,
    /// Why Herald may no longer write to it (the bot was removed or blocked,
    /// the conversation is gone); `None` while it is reachable.
    pub unreachable: Option<String>,
}

/// A conversation's reference as just stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub key: ConversationKey,
    /// It was marked unreachable before this activity arrived.
    pub unreachable: bool,
}
