//! Builds activities as the Emulator sends them, for one conversation.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A conversation as a channel would address it.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// Emulator-style: `<uuid-ish>|livechat`.
    pub id: String,
    pub user_id: String,
    pub service_url: String,
    pub channel_id: String,
}

impl Conversation {
    pub fn new(name: &str, service_url: &str) -> Self {
        let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        Self {
            id: format!("{name}-{n}|livechat"),
            user_id: format!("user-{name}"),
            service_url: service_url.to_owned(),
            channel_id: "emulator".to_owned(),
        }
    }

    /// A conversation of another channel (`msteams`, …).
    pub fn on_channel(name: &str, service_url: &str, channel_id: &str) -> Self {
        Self {
            channel_id: channel_id.to_owned(),
            ..Self::new(name, service_url)
        }
    }

    pub fn next_activity_id() -> String {
        format!("act-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed))
    }

    /// The fields every activity of this conversation carries.
    pub fn activity(&self, kind: &str) -> Value {
        json!({
            "type": kind,
            "id": Self::next_activity_id(),
            "timestamp": "2026-11-22T10:00:00.000Z",
            "localTimezone": "Europe/Lisbon",
            "serviceUrl": self.service_url,
            "channelId": self.channel_id,
            "from": {"id": self.user_id, "name": "Ana", "role": "user"},
            "conversation": {"id": self.id},
            "recipient": {"id": "herald-bot", "name": "Herald", "role": "bot"},
            "locale": "en-US",
        })
    }

    pub fn message(&self, text: &str) -> Value {
        let mut activity = self.activity("message");
        activity["text"] = json!(text);
        activity
    }

    pub fn event(&self, name: &str, value: Value) -> Value {
        let mut activity = self.activity("event");
        activity["name"] = json!(name);
        activity["value"] = value;
        activity
    }

    pub fn members_added(&self, members: Value) -> Value {
        let mut activity = self.activity("conversationUpdate");
        activity["membersAdded"] = members;
        activity
    }

    /// The bot taken out of the conversation, as Teams reports it.
    pub fn bot_removed(&self) -> Value {
        let mut activity = self.activity("conversationUpdate");
        activity["membersRemoved"] = json!([{"id": "herald-bot"}]);
        activity
    }

    /// Teams' `installationUpdate` (`add` or `remove`).
    pub fn installation(&self, action: &str) -> Value {
        let mut activity = self.activity("installationUpdate");
        activity["action"] = json!(action);
        activity
    }
}
