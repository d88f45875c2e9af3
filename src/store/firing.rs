//! What the store reads for a firing and writes from it, the same on both
//! backends: a due row as the domain's `DueTrigger` (its schedule read, or
//! why it cannot be), and a firing's message, state and occurrence as stored.
//! A price poll's firing writes no message: the batch hands it back.

use chrono::{DateTime, Utc};

use super::rows::{StoredInstant, trigger_id, trigger_kind};
use crate::domain::conversation::ConversationKey;
use crate::domain::ports::{AfterFiring, DueTrigger, Fired, Firing, StoreError};
use crate::domain::schedule::ScheduleSpec;
use crate::domain::trigger::TriggerState;

/// A claimed trigger's columns, as both backends read them: id, kind,
/// conversation (none for a price poll), text, schedule, zone, the
/// occurrence due, firings so far, a price poll's source.
pub type DueRow<T> = (
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    T,
    i64,
    Option<String>,
);

/// The columns of `DueRow`, in its order, for the backends' batch queries.
/// One firing batch asked of a backend: what is due at `now`, at most
/// `limit` triggers, each handled as `planner` decides.
#[derive(Clone, Copy)]
pub struct DueBatch<'a> {
    pub now: DateTime<Utc>,
    pub limit: u32,
    pub planner: &'a dyn crate::domain::ports::FiringPlanner,
}

pub const DUE_COLUMNS: &str = "id, kind, conversation_key, text, schedule_json, time_zone, next_fire_at, fire_count, price_source";

/// The due trigger the domain plans. A schedule that cannot be read is the
/// planner's to fail, not a reason to stop the batch.
pub fn due_trigger<T: StoredInstant>(row: DueRow<T>) -> Result<DueTrigger, StoreError> {
    let (id, kind, conversation, text, schedule_json, time_zone, due_at, fire_count, source) = row;
    Ok(DueTrigger {
        id: trigger_id(id)?,
        kind: trigger_kind(&kind)?,
        conversation: conversation.map(ConversationKey),
        text,
        source,
        schedule: read_schedule(schedule_json.as_deref()),
        time_zone,
        due_at: due_at.into_utc()?,
        fire_count: u64::try_from(fire_count).unwrap_or(0),
    })
}

fn read_schedule(json: Option<&str>) -> Result<ScheduleSpec, String> {
    let json = json.ok_or_else(|| "the trigger has no schedule".to_owned())?;
    serde_json::from_str(json)
        .map_err(|error| format!("the stored schedule is unreadable: {error}"))
}

/// The message a firing queues, as the outbox stores it, and the
/// conversation it goes to.
pub fn payload(due: &DueTrigger, firing: &Firing) -> Result<Option<(i64, String)>, StoreError> {
    let Some(Fired::Message(notification)) = &firing.fired else {
        return Ok(None);
    };
    let conversation = due.conversation.ok_or_else(|| {
        StoreError::Corrupt(format!(
            "trigger {} has a message but no conversation",
            due.id
        ))
    })?;
    let payload = serde_json::to_string(notification)
        .map_err(|error| StoreError::Corrupt(format!("a firing's message: {error}")))?;
    Ok(Some((conversation.0, payload)))
}

/// The outbox occurrence key of a firing: its due instant in milliseconds,
/// so a trigger's occurrences are unique and sort as numbers.
pub fn occurrence_key(due_at: DateTime<Utc>) -> String {
    due_at.timestamp_millis().to_string()
}

/// The state a trigger is left in after firing, as stored.
pub fn state_after(then: &AfterFiring) -> (&'static str, Option<DateTime<Utc>>, Option<&str>) {
    match then {
        AfterFiring::Reschedule(next) => (TriggerState::Active.as_str(), Some(*next), None),
        AfterFiring::Complete => (TriggerState::Completed.as_str(), None, None),
        AfterFiring::Fail(reason) => (TriggerState::Failed.as_str(), None, Some(reason.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::firing::FiringRules;
    use crate::domain::ports::FiringPlanner;

    fn row(schedule: Option<&str>) -> DueRow<i64> {
        let (kind, text) = ("reminder".to_owned(), Some("stretch".to_owned()));
        let schedule = schedule.map(str::to_owned);
        (
            4,
            kind,
            Some(1),
            text,
            schedule,
            None,
            1_790_000_000_000,
            0,
            None,
        )
    }

    #[test]
    fn a_schedule_that_cannot_be_read_fails_its_trigger_and_says_why() {
        let now = DateTime::from_timestamp_millis(1_790_000_000_000).unwrap();
        for (stored, reason) in [
            (None, "the trigger has no schedule"),
            (Some("{not json"), "the stored schedule is unreadable"),
        ] {
            let due = due_trigger(row(stored)).unwrap();
            let firing = FiringRules::default().plan(&due, now);
            assert!(firing.fired.is_none());
            match firing.then {
                AfterFiring::Fail(why) => assert!(why.starts_with(reason), "{why}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_readable_schedule_fires_and_its_message_is_stored_as_json() {
        let now = DateTime::from_timestamp_millis(1_790_000_000_000).unwrap();
        let at = r#"{"at":"2026-09-21T12:53:20Z"}"#;
        let due = due_trigger(row(Some(at))).unwrap();
        let firing = FiringRules::default().plan(&due, now);
        let (conversation, stored) = payload(&due, &firing).unwrap().expect("a message");
        assert_eq!(conversation, 1);
        assert!(stored.contains("stretch"), "{stored}");
        assert_eq!(firing.then, AfterFiring::Complete);
    }
}
