//! What an activity says about whether Herald may still write to its
//! conversation: the bot removed (`conversationUpdate` with the bot among
//! `membersRemoved`) or uninstalled (`installationUpdate` with action
//! `remove`) — or, from a person talking or the bot being added, that the
//! conversation is alive again.

use chrono::{DateTime, Utc};

use super::references::ReferenceCache;
use crate::botframework::activity::types;
use crate::botframework::inbound::InboundActivity;
use crate::domain::conversation::{ConversationKey, ConversationRecord};
use crate::domain::lifecycle::Action;
use crate::domain::ports::{ConversationStore, StoreError};
use crate::service::Triggers;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Herald can no longer write here, for this reason.
    Gone(&'static str),
    /// Someone is here and the bot with them.
    Alive,
    Nothing,
}

pub fn signal(inbound: &InboundActivity) -> Signal {
    let activity = &inbound.activity;
    let bot_id = activity.recipient.as_ref().and_then(|r| r.id.as_deref());
    let names_bot = |members: &Option<Vec<_>>| {
        members
            .iter()
            .flatten()
            .any(|member: &crate::botframework::activity::ChannelAccount| {
                bot_id.is_some() && member.id.as_deref() == bot_id
            })
    };
    match inbound.kind.as_str() {
        types::MESSAGE | types::EVENT | types::INVOKE => Signal::Alive,
        types::CONVERSATION_UPDATE if names_bot(&activity.members_removed) => {
            Signal::Gone("the bot was removed from the conversation")
        }
        types::CONVERSATION_UPDATE if names_bot(&activity.members_added) => Signal::Alive,
        types::INSTALLATION_UPDATE => match activity.extra.get("action").and_then(|a| a.as_str()) {
            Some("remove" | "remove-upgrade") => Signal::Gone("the app was uninstalled"),
            Some("add" | "add-upgrade") => Signal::Alive,
            _ => Signal::Nothing,
        },
        _ => Signal::Nothing,
    }
}

/// The bot was removed or uninstalled: stop writing to the conversation.
pub(super) async fn mark_unreachable(
    conversations: &dyn ConversationStore,
    references: &ReferenceCache,
    record: &ConversationRecord,
    conversation: ConversationKey,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let marked = conversations
        .mark_unreachable(conversation, reason, now)
        .await?;
    references.forget(record);
    tracing::info!(
        conversation = %record.conversation_id,
        reason,
        paused_triggers = marked.paused_triggers,
        dead_letters = marked.dead_messages,
        "conversation unreachable; its triggers are paused"
    );
    Ok(())
}

/// The conversation speaks again: write to it again and resume what Herald paused.
pub(super) async fn restore(
    conversations: &dyn ConversationStore,
    references: &ReferenceCache,
    triggers: &Triggers,
    record: &ConversationRecord,
    conversation: ConversationKey,
) -> Result<(), StoreError> {
    let paused = conversations.mark_reachable(conversation).await?;
    references.forget(record);
    for id in &paused {
        triggers.apply(*id, Action::Resume).await?;
    }
    tracing::info!(
        conversation = %record.conversation_id,
        resumed = paused.len(),
        "conversation reachable again"
    );
    Ok(())
}
