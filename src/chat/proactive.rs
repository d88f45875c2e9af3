//! Delivers outbox notifications through the Bot Framework connector: renders
//! the message for the stored conversation and classifies the channel's answer.

use std::time::Duration;

use async_trait::async_trait;

use super::render;
use crate::botframework::activity::{Activity, ConversationReference};
use crate::botframework::connector::{Connector, ConnectorError, RetryAfter};
use crate::delivery::{RetryHint, SendFailure, Sender};
use crate::domain::clock::Clock;
use crate::domain::conversation::Conversation;
use crate::domain::notification::Notification;
use std::sync::Arc;

/// The Bot Framework channel as a delivery `Sender`.
pub struct ConnectorSender {
    connector: Connector,
    clock: Arc<dyn Clock>,
    timeout: Duration,
    /// With authentication on, only references learnt from an authenticated
    /// activity are used.
    require_verified: bool,
}

impl ConnectorSender {
    pub fn new(
        connector: Connector,
        clock: Arc<dyn Clock>,
        timeout: Duration,
        require_verified: bool,
    ) -> Self {
        Self {
            connector,
            clock,
            timeout,
            require_verified,
        }
    }
}

#[async_trait]
impl Sender for ConnectorSender {
    async fn send(
        &self,
        conversation: &Conversation,
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
        let text = match notification {
            Notification::JobCompleted { job_id } => render::job_completed_notification(*job_id),
            Notification::TriggerFired {
                text,
                due_at,
                fired_at,
                time_zone,
                missed,
                ..
            } => render::trigger_fired(text, *due_at, *fired_at, time_zone.as_deref(), *missed),
        };
        let activity = Activity::proactive(&reference, text);
        self.connector
            .send_to_conversation(
                &conversation.record.service_url,
                &conversation.record.conversation_id,
                &activity,
                self.timeout,
            )
            .await
            .map(|_| ())
            .map_err(|error| self.classify(error))
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
                retry: match retry_after {
                    Some(RetryAfter::Delay(delay)) => RetryHint::After(delay),
                    Some(RetryAfter::At(at)) => {
                        RetryHint::After((at - self.clock.now()).to_std().unwrap_or(Duration::ZERO))
                    }
                    None => RetryHint::Backoff,
                },
            },
            ConnectorError::Status { status, .. }
                if status >= 500 || status == 408 || status == 412 =>
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
