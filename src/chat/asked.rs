//! What a command's handler is asked with: the activity, the conversation
//! it came in, who spoke, the instant of the turn, and the stamp that keeps a
//! redelivered activity from changing anything twice.

use chrono::{DateTime, Utc};

use super::i18n::Say;
use super::speaker::Speaker;
use crate::botframework::inbound::InboundActivity;
use crate::domain::access::Requester;
use crate::domain::conversation::ConversationKey;
use crate::domain::ports::ActivityStamp;

pub(super) struct Asked<'a> {
    pub inbound: &'a InboundActivity,
    pub conversation: ConversationKey,
    pub speaker: &'a Speaker,
    pub now: DateTime<Utc>,
    /// How long a handled activity's id is remembered.
    pub dedup_window: chrono::Duration,
}

impl<'a> Asked<'a> {
    /// The speaker's words for `what`, in their language.
    pub fn say(&self, what: Say<'_>) -> String {
        self.speaker.say(what)
    }

    /// The channel's activity id, when it sent one.
    pub fn activity_id(&self) -> Option<&'a str> {
        self.inbound
            .activity
            .id
            .as_deref()
            .filter(|id| !id.is_empty())
    }

    /// Recorded with what the activity changes, so a redelivery is a replay.
    pub fn stamp(&self) -> Option<ActivityStamp<'a>> {
        Some(ActivityStamp {
            conversation: self.conversation,
            activity_id: self.activity_id()?,
            window_start: self.now.checked_sub_signed(self.dedup_window)?,
        })
    }

    /// The person and conversation behind the turn, for the job log's access rule.
    pub fn requester(&self) -> Requester<'a> {
        let from = self.inbound.activity.from.as_ref();
        Requester {
            conversation: self.conversation,
            channel_id: &self.inbound.channel_id,
            user_id: from.and_then(|f| f.id.as_deref()),
            aad_object_id: from.and_then(|f| f.aad_object_id.as_deref()),
        }
    }
}
