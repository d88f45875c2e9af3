//! Who may see and complete which jobs.
//!
//! The seed lets every conversation see and complete the whole job log (one
//! conversation plays the job system). That stays the default in Emulator mode;
//! the restricted policy limits a conversation to its own jobs, except for
//! operators named in the configuration — each as a person of one channel, so
//! that an id claimed in another channel (web chat lets a client say anything
//! in `from`) grants nothing.

use std::collections::HashSet;

use super::conversation::ConversationKey;
use super::person::{Person, PersonRef};

/// How far the job log is visible from a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobVisibility {
    /// Every conversation sees and may complete every job (the seed's behaviour).
    All,
    /// A conversation sees only its own jobs; operators see all.
    OwnConversation,
}

/// The person and conversation behind a turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requester<'a> {
    pub conversation: ConversationKey,
    /// The channel the activity came from.
    pub channel_id: &'a str,
    /// The channel's `from.id`.
    pub user_id: Option<&'a str>,
    /// Teams' Azure AD object id, when the channel sends one.
    pub aad_object_id: Option<&'a str>,
}

/// The access rule in force.
#[derive(Debug, Clone)]
pub struct JobAccess {
    visibility: JobVisibility,
    operators: HashSet<Person>,
}

impl JobAccess {
    pub fn new(visibility: JobVisibility, operators: impl IntoIterator<Item = Person>) -> Self {
        Self {
            visibility,
            operators: operators.into_iter().collect(),
        }
    }

    /// The conversation a requester is confined to, or `None` when they may see all jobs.
    pub fn scope(&self, requester: &Requester<'_>) -> Option<ConversationKey> {
        match self.visibility {
            JobVisibility::All => None,
            JobVisibility::OwnConversation if self.is_operator(requester) => None,
            JobVisibility::OwnConversation => Some(requester.conversation),
        }
    }

    fn is_operator(&self, requester: &Requester<'_>) -> bool {
        [requester.user_id, requester.aad_object_id]
            .into_iter()
            .flatten()
            .filter(|id| !id.is_empty())
            .any(|id| {
                self.operators
                    .contains(&PersonRef::new(requester.channel_id, id).to_owned())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requester(user: &str) -> Requester<'_> {
        Requester {
            conversation: ConversationKey(5),
            channel_id: "msteams",
            user_id: Some(user),
            aad_object_id: Some("aad-1"),
        }
    }

    #[test]
    fn everyone_sees_everything_by_default() {
        let access = JobAccess::new(JobVisibility::All, []);
        assert_eq!(access.scope(&requester("u1")), None);
    }

    #[test]
    fn restricted_requesters_see_their_own_conversation() {
        let access = JobAccess::new(JobVisibility::OwnConversation, [teams("ops")]);
        assert_eq!(access.scope(&requester("u1")), Some(ConversationKey(5)));
    }

    #[test]
    fn operators_are_recognised_by_user_id_or_aad_object_id() {
        let by_id = JobAccess::new(JobVisibility::OwnConversation, [teams("ops")]);
        assert_eq!(by_id.scope(&requester("ops")), None);
        let by_aad = JobAccess::new(JobVisibility::OwnConversation, [teams("aad-1")]);
        assert_eq!(by_aad.scope(&requester("u1")), None);
    }

    #[test]
    fn an_operator_of_one_channel_is_no_one_in_another() {
        let access = JobAccess::new(JobVisibility::OwnConversation, [teams("aad-1")]);
        let claimed_in_webchat = Requester {
            channel_id: "webchat",
            ..requester("aad-1")
        };
        assert_eq!(access.scope(&claimed_in_webchat), Some(ConversationKey(5)));
    }

    fn teams(id: &str) -> Person {
        Person::new("msteams", id)
    }

    #[test]
    fn an_empty_id_never_matches() {
        let access = JobAccess::new(JobVisibility::OwnConversation, [teams("")]);
        let anonymous = Requester {
            conversation: ConversationKey(1),
            channel_id: "msteams",
            user_id: Some(""),
            aad_object_id: None,
        };
        assert_eq!(access.scope(&anonymous), Some(ConversationKey(1)));
    }
}
