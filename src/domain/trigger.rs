//! Triggers: rows of the durable trigger table. A job is a trigger with no due
//! time that waits for completion; reminders and the engine's price polls share the table.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::conversation::ConversationKey;
use super::person::Person;
use super::schedule::ScheduleSpec;

/// The short number users see and type (`done 3`). Positive, assigned by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TriggerId(i64);

impl TriggerId {
    /// Accepts only what the store can have assigned: a positive 64-bit number.
    pub fn new(value: i64) -> Option<Self> {
        (value > 0).then_some(Self(value))
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TriggerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a trigger is. The table is designed for all of them; `Job` is the seed's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerKind {
    /// Waits for an external completion (the seed's job log).
    Job,
    /// Fires once at an instant.
    Timer,
    /// A user's reminder: one-shot or recurring.
    Reminder,
    /// The engine's own: fetches a price source's symbol on an interval
    /// (one per source and symbol, whatever the number of watches on it).
    /// It belongs to no conversation, and nobody but Herald sees it.
    PricePoll,
}

impl TriggerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Job => "job",
            Self::Timer => "timer",
            Self::Reminder => "reminder",
            Self::PricePoll => "price_poll",
        }
    }
}

impl FromStr for TriggerKind {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "job" => Ok(Self::Job),
            "timer" => Ok(Self::Timer),
            "reminder" => Ok(Self::Reminder),
            "price_poll" => Ok(Self::PricePoll),
            other => Err(UnknownValue(other.to_owned())),
        }
    }
}

/// The life cycle of a trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerState {
    Active,
    Paused,
    Completed,
    Cancelled,
    Failed,
}

impl TriggerState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
        }
    }
}

impl FromStr for TriggerState {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "active" => Ok(Self::Active),
            "paused" => Ok(Self::Paused),
            "completed" => Ok(Self::Completed),
            "cancelled" => Ok(Self::Cancelled),
            "failed" => Ok(Self::Failed),
            other => Err(UnknownValue(other.to_owned())),
        }
    }
}

/// A stored value that the domain does not know (a newer schema, or corruption).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stored value `{0}`")]
pub struct UnknownValue(pub String);

/// One line of the job log, as `show` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSummary {
    pub id: TriggerId,
    pub state: TriggerState,
    /// The channel and the channel's id of the conversation the job belongs to.
    pub channel_id: String,
    pub conversation_id: String,
    pub created_at: DateTime<Utc>,
}

impl JobSummary {
    pub fn is_completed(&self) -> bool {
        self.state == TriggerState::Completed
    }
}

/// A trigger as stored, with the channel's names for its conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerRecord {
    pub id: TriggerId,
    pub kind: TriggerKind,
    pub state: TriggerState,
    pub conversation: ConversationKey,
    pub channel_id: String,
    pub conversation_id: String,
    /// Who set it (`None`: a system, through the API).
    pub owner: Option<Person>,
    /// What it says when it fires; `None` for jobs.
    pub text: Option<String>,
    /// When it fires; `None` for jobs.
    pub schedule: Option<ScheduleSpec>,
    /// The zone its times are shown in.
    pub time_zone: Option<String>,
    pub next_fire_at: Option<DateTime<Utc>>,
    pub fire_count: u64,
    /// Why it failed, for a trigger in state `failed`.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl TriggerRecord {
    /// Whether the trigger can still fire or be resumed.
    pub fn is_finished(&self) -> bool {
        matches!(
            self.state,
            TriggerState::Completed | TriggerState::Cancelled | TriggerState::Failed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_ids_are_positive() {
        assert!(TriggerId::new(0).is_none());
        assert!(TriggerId::new(-4).is_none());
        assert_eq!(TriggerId::new(7).map(TriggerId::get), Some(7));
    }

    #[test]
    fn kinds_and_states_round_trip_through_their_stored_names() {
        for kind in [
            TriggerKind::Job,
            TriggerKind::Timer,
            TriggerKind::Reminder,
            TriggerKind::PricePoll,
        ] {
            assert_eq!(kind.as_str().parse::<TriggerKind>(), Ok(kind));
        }
        for state in [
            TriggerState::Active,
            TriggerState::Paused,
            TriggerState::Completed,
            TriggerState::Cancelled,
            TriggerState::Failed,
        ] {
            assert_eq!(state.as_str().parse::<TriggerState>(), Ok(state));
        }
        assert!("exploded".parse::<TriggerState>().is_err());
    }
}
