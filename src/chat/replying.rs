//! Sending a turn's replies: each within the conversation's send budget (the
//! same one proactive messages draw on); a reply that would have to wait
//! longer than a turn should is queued, with the rest, and delivered as soon
//! as the budget allows.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::replies::Reply;
use crate::botframework::activity::Activity;
use crate::botframework::connector::Connector;
use crate::botframework::inbound::InboundActivity;
use crate::delivery::budget::{SendBudget, SendRequest, Sending};
use crate::domain::clock::Clock;
use crate::domain::conversation::ConversationKey;
use crate::domain::notification::Notification;
use crate::domain::ports::OutboxStore;

/// The longest a reply waits for its conversation's budget inside a turn;
/// past it, the reply is queued and delivered as soon as the budget allows.
const MAX_REPLY_WAIT: Duration = Duration::from_secs(1);

/// What a turn answers through.
pub(super) struct Replier {
    pub connector: Connector,
    /// Replies draw on the conversation's send budget, as proactive messages do.
    pub budget: Arc<dyn SendBudget>,
    /// Where replies that cannot go out within the turn wait.
    pub outbox: Arc<dyn OutboxStore>,
    /// Wakes delivery when replies were queued.
    pub outbox_written: Arc<Notify>,
    pub clock: Arc<dyn Clock>,
    /// How long a reply may take; the channel itself gives up after ~15 s.
    pub timeout: Duration,
}

impl Replier {
    /// Sends the replies in order, each within the conversation's send budget;
    /// once one must wait longer than a turn should, it and the rest are
    /// queued for delivery instead. A connector that fails is logged and does
    /// not fail the turn: its state is already committed.
    pub(super) async fn send(
        &self,
        inbound: &InboundActivity,
        conversation: ConversationKey,
        messages: &[Reply],
    ) -> usize {
        let mut sent = 0;
        for (at, message) in messages.iter().enumerate() {
            if !self.reply_budget(inbound, conversation).await {
                self.queue_replies(conversation, &messages[at..]).await;
                break;
            }
            let mut reply = Activity::reply_to(&inbound.activity, message.text.clone());
            if !message.attachments.is_empty() {
                reply.attachments = Some(message.attachments.clone());
            }
            let service_url = inbound.service_url.as_str();
            let result = match inbound.activity.id.as_deref() {
                Some(id) if !id.is_empty() => {
                    self.connector
                        .reply_to_activity(
                            service_url,
                            &inbound.conversation_id,
                            id,
                            &reply,
                            self.timeout,
                        )
                        .await
                }
                _ => {
                    self.connector
                        .send_to_conversation(
                            service_url,
                            &inbound.conversation_id,
                            &reply,
                            self.timeout,
                        )
                        .await
                }
            };
            match result {
                Ok(_) => sent += 1,
                Err(error) => {
                    tracing::warn!(conversation = %inbound.conversation_id, %error, "reply not delivered");
                    break;
                }
            }
        }
        sent
    }

    /// Takes the conversation's budget for one reply, waiting for it briefly.
    async fn reply_budget(&self, inbound: &InboundActivity, conversation: ConversationKey) -> bool {
        let request = SendRequest {
            conversation,
            channel_id: &inbound.channel_id,
            sending: Sending::Reply,
        };
        for waited in [false, true] {
            match self.budget.try_take(request).await {
                Ok(Ok(())) => return true,
                Ok(Err(denied)) => {
                    let wait = (denied.until() - self.clock.now())
                        .to_std()
                        .unwrap_or_default();
                    if waited || wait > MAX_REPLY_WAIT {
                        return false;
                    }
                    tokio::time::sleep(wait).await;
                }
                Err(error) => {
                    tracing::error!(%error, "reading the send budget failed; the reply is queued");
                    return false;
                }
            }
        }
        false
    }

    /// Queues replies that could not go out within the turn, in order.
    async fn queue_replies(&self, conversation: ConversationKey, messages: &[Reply]) {
        let now = self.clock.now();
        for message in messages {
            let notification = Notification::Message {
                text: message.text.clone(),
                attachments: message.attachments.clone(),
            };
            if let Err(error) = self
                .outbox
                .queue_notification(conversation, &notification, now)
                .await
            {
                tracing::error!(%error, "a reply could be neither sent nor queued");
                return;
            }
        }
        tracing::info!(
            queued = messages.len(),
            "replies queued: the conversation's send budget is spent"
        );
        self.outbox_written.notify_one();
    }
}
