//! Delivers outbox notifications through the Bot Framework connector: renders
//! the message for the stored conversation and classifies the channel's answer.

use std::time::Duration;

use async_trait::async_trait;

use super::references::ReferenceCache;
use super::render::{self, Mention, Recipient};
use crate::botframework::activity::{Activity, ConversationReference};
use crate::botframework::connector::{Connector, ConnectorError, RetryAfter};
use crate::delivery::{RetryHint, SendFailure, Sender};
use crate::domain::clock::Clock;
use crate::domain::conversation::Conversation;
use crate::domain::language::Language;
use crate::domain::notification::Notification;
use crate::domain::ports::Owner;
use crate::domain::schedule::Zone;
use serde_json::Value;
use std::sync::Arc;

/// The Bot Framework channel as a delivery `Sender`.
pub struct ConnectorSender {
    connector: Connector,
    clock: Arc<dyn Clock>,
    timeout: Duration,
    /// With authentication on, only references learnt from an authenticated
    /// activity are used.
    require_verified: bool,
    /// The turns' cache of stored references.
    references: Arc<ReferenceCache>,
    /// The zone of people with none known.
    default_zone: Zone,
    /// A fired reminder's snooze buttons, in minutes.
    snoozes: Vec<u32>,
}

impl ConnectorSender {
    pub fn new(
        connector: Connector,
        clock: Arc<dyn Clock>,
        timeout: Duration,
        require_verified: bool,
        references: Arc<ReferenceCache>,
        default_zone: Zone,
        snoozes: Vec<u32>,
    ) -> Self {
        Self {
            connector,
            clock,
            timeout,
            require_verified,
            references,
            default_zone,
            snoozes,
        }
    }
}

#[async_trait]
impl Sender for ConnectorSender {
    async fn send(
        &self,
        conversation: &Conversation,
        owner: Option<&Owner>,
        notification: &Notification,
    ) -> Result<(), SendFailure> {
        if self.require_verified && !conversation.record.service_url_verified {
            return Err(SendFailure::Permanent {
                reason:
                    "the conversation's service URL was not learnt from an authenticated activity"
                        .to_owned(),
            });
        }
        let reference: ConversationReference =
            serde_json::from_str(&conversation.record.reference_json).map_err(|error| {
                SendFailure::Permanent {
                    reason: format!("stored conversation reference is unreadable: {error}"),
                }
            })?;
        let record = owner.and_then(|owner| owner.record.as_ref());
        let conversation_locale = conversation.record.locale.as_deref();
        let language = match record {
            Some(record) => record.language(conversation_locale),
            None => conversation_locale
                .and_then(Language::from_tag)
                .unwrap_or(Language::English),
        };
        // The reminder's own zone (where it was set), else its owner's.
        let zone = match notification {
            Notification::TriggerFired {
                time_zone: Some(name),
                ..
            } => Zone::parse(name).ok(),
            _ => None,
        }
        .unwrap_or_else(|| record.map_or(self.default_zone, |r| r.zone(self.default_zone).0));
        let group = conversation.record.is_group
            || matches!(
                conversation.record.conversation_type.as_deref(),
                Some("groupChat" | "channel")
            );
        let mention = match (owner, record.and_then(|r| r.name.as_deref())) {
            (Some(owner), Some(name)) if group => Some(Mention {
                id: &owner.person.user_id,
                name,
            }),
            _ => None,
        };
        let rendered = render::notification(
            notification,
            &Recipient {
                language,
                zone,
                mention,
                snoozes: &self.snoozes,
            },
        );
        let mut activity = Activity::proactive(&reference, rendered.text);
        if !rendered.attachments.is_empty() {
            activity.attachments = Some(rendered.attachments);
        }
        if !rendered.entities.is_empty() {
            activity
                .extra
                .insert("entities".to_owned(), Value::Array(rendered.entities));
        }
        self.connector
            .send_to_conversation(
                &conversation.record.service_url,
                &conversation.record.conversation_id,
                &activity,
                self.timeout,
            )
            .await
            .map(|_| ())
            .map_err(|error| {
                let failure = self.classify(error);
                if matches!(failure, SendFailure::Unreachable { .. }) {
                    // The next activity from it must find it unreachable and restore it.
                    self.references.forget(&conversation.record);
                }
                failure
            })
    }
}

impl ConnectorSender {
    fn classify(&self, error: ConnectorError) -> SendFailure {
        let reason = error.to_string();
        match error {
            ConnectorError::Status {
                status: 429,
                retry_after,
                ..
            } => SendFailure::Transient {
                reason,
                retry: RetryHint::Throttled {
                    retry_after: retry_after.map(|after| match after {
                        RetryAfter::Delay(delay) => delay,
                        RetryAfter::At(at) => (at - self.clock.now()).to_std().unwrap_or_default(),
                    }),
                },
            },
            // The bot was removed or blocked, or the conversation is gone
            // (Teams: MessageWritesBlocked, ConversationBlockedByUser,
            // BotNotInConversationRoster, ConversationNotFound).
            ConnectorError::Status {
                status: status @ (403 | 404),
                body,
                ..
            } => SendFailure::Unreachable {
                reason: unreachable_reason(status, &body),
            },
            // Still refused after the connector renewed the token once: the
            // credentials are wrong for now, and may be fixed.
            ConnectorError::Status { status, .. }
                if status >= 500 || status == 401 || status == 408 || status == 412 =>
            {
                SendFailure::Transient {
                    reason,
                    retry: RetryHint::Backoff,
                }
            }
            ConnectorError::Status { .. }
            | ConnectorError::InvalidUrl(_)
            | ConnectorError::Untrusted => SendFailure::Permanent { reason },
            ConnectorError::Timeout | ConnectorError::Transport(_) | ConnectorError::Token(_) => {
                SendFailure::Transient {
                    reason,
                    retry: RetryHint::Backoff,
                }
            }
        }
    }
}

/// `403 ConversationBlockedByUser: User blocked the conversation with the bot.`
/// from the channel's error body (`{"error": {"code", "message"}}`), or the
/// status alone when the body says nothing readable.
fn unreachable_reason(status: u16, body: &str) -> String {
    let error = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|value| value.get("error").cloned());
    let field = |name: &str| {
        error
            .as_ref()
            .and_then(|e| e.get(name))
            .and_then(|v| v.as_str())
            .map(|text| text.chars().take(200).collect::<String>())
    };
    match (field("code"), field("message")) {
        (Some(code), Some(message)) => format!("{status} {code}: {message}"),
        (Some(code), None) => format!("{status} {code}"),
        _ => format!("the channel answered {status}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_error_codes_become_the_reason() {
        let body = r#"{"error":{"code":"ConversationBlockedByUser","message":"User blocked the conversation with the bot."}}"#;
        assert_eq!(
            unreachable_reason(403, body),
            "403 ConversationBlockedByUser: User blocked the conversation with the bot."
        );
        assert_eq!(
            unreachable_reason(404, r#"{"error":{"code":"ConversationNotFound"}}"#),
            "404 ConversationNotFound"
        );
        assert_eq!(
            unreachable_reason(404, "<html>"),
            "the channel answered 404"
        );
    }
}
