//! Activity, ChannelAccount, ConversationAccount and ConversationReference as
//! the Bot Framework schema defines them. Fields Herald does not use are kept
//! in `extra`, so nothing a channel sends is dropped when a reference is stored.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Activity types Herald tells apart.
pub mod types {
    pub const MESSAGE: &str = "message";
    pub const CONVERSATION_UPDATE: &str = "conversationUpdate";
    pub const EVENT: &str = "event";
    pub const INVOKE: &str = "invoke";
    pub const INSTALLATION_UPDATE: &str = "installationUpdate";
}

/// A user or bot in a conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelAccount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Teams: the user's Azure AD object id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aad_object_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The conversation an activity belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationAccount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_group: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One activity, inbound or outbound.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ChannelAccount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationAccount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<ChannelAccount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members_added: Option<Vec<ChannelAccount>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members_removed: Option<Vec<ChannelAccount>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_data: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Value>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a bot needs to continue a conversation later (the SDKs'
/// `getConversationReference`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationReference {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<ChannelAccount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<ChannelAccount>,
    pub conversation: ConversationAccount,
    pub channel_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    pub service_url: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Activity {
    /// A message answering `incoming`, addressed as the SDKs address replies:
    /// sender and recipient swapped, same conversation, `replyToId` set.
    pub fn reply_to(incoming: &Activity, text: String) -> Activity {
        Activity {
            kind: Some(types::MESSAGE.to_owned()),
            service_url: incoming.service_url.clone(),
            channel_id: incoming.channel_id.clone(),
            from: incoming.recipient.clone(),
            recipient: incoming.from.clone(),
            conversation: incoming.conversation.clone(),
            reply_to_id: incoming.id.clone(),
            locale: incoming.locale.clone(),
            text_format: Some("markdown".to_owned()),
            text: Some(text),
            ..Activity::default()
        }
    }

    /// A message that continues a stored conversation (a proactive message).
    pub fn proactive(reference: &ConversationReference, text: String) -> Activity {
        Activity {
            kind: Some(types::MESSAGE.to_owned()),
            service_url: Some(reference.service_url.clone()),
            channel_id: Some(reference.channel_id.clone()),
            from: reference.bot.clone(),
            recipient: reference.user.clone(),
            conversation: Some(reference.conversation.clone()),
            locale: reference.locale.clone(),
            text_format: Some("markdown".to_owned()),
            text: Some(text),
            ..Activity::default()
        }
    }
}

/// The reply a connector gives to a sent activity.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ResourceResponse {
    #[serde(default)]
    pub id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let json = r#"{"type":"message","id":"a1","text":"hi","futureField":{"x":1},
            "from":{"id":"u","aadObjectId":"aad","tenantHint":"t"},
            "conversation":{"id":"c|livechat","isGroup":false,"extraConv":true}}"#;
        let activity: Activity = serde_json::from_str(json).unwrap();
        assert_eq!(activity.extra["futureField"]["x"], 1);
        let from = activity.from.as_ref().unwrap();
        assert_eq!(from.aad_object_id.as_deref(), Some("aad"));
        assert_eq!(from.extra["tenantHint"], "t");
        let back = serde_json::to_value(&activity).unwrap();
        assert_eq!(back["futureField"]["x"], 1);
        assert_eq!(back["conversation"]["extraConv"], true);
        assert_eq!(back["from"]["tenantHint"], "t");
    }

    #[test]
    fn replies_swap_sender_and_recipient() {
        let incoming: Activity = serde_json::from_str(
            r#"{"type":"message","id":"in-1","channelId":"emulator","serviceUrl":"http://localhost:1",
                "from":{"id":"user"},"recipient":{"id":"bot"},"conversation":{"id":"c1"},
                "locale":"pt-BR"}"#,
        )
        .unwrap();
        let reply = Activity::reply_to(&incoming, "ok".into());
        assert_eq!(reply.from.unwrap().id.as_deref(), Some("bot"));
        assert_eq!(reply.recipient.unwrap().id.as_deref(), Some("user"));
        assert_eq!(reply.reply_to_id.as_deref(), Some("in-1"));
        assert_eq!(reply.locale.as_deref(), Some("pt-BR"));
        assert_eq!(reply.conversation.unwrap().id.as_deref(), Some("c1"));
    }
}
