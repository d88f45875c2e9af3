//! What pause, resume and cancel do to a trigger in each state. Pure rules;
//! `scheduler::control` applies them with a compare-and-set on the state.

use chrono::{DateTime, Utc};

use super::ports::StateChange;
use super::trigger::{TriggerKind, TriggerRecord, TriggerState};

/// A change a user or an API client asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Stop firing, keeping the schedule.
    Pause,
    /// Fire again from the next occurrence after now.
    Resume,
    /// Stop for good.
    Cancel,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pause => "pause",
            Self::Resume => "resume",
            Self::Cancel => "cancel",
        }
    }
}

/// What an action amounts to for one trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Already in the requested state: nothing to do (actions are idempotent).
    Unchanged,
    Change(StateChange),
    /// Not possible in the trigger's state; the reason is for the requester.
    Refused(String),
}

/// Decides what `action` does to `trigger` at `now`.
pub fn decide(trigger: &TriggerRecord, action: Action, now: DateTime<Utc>) -> Decision {
    use TriggerState::{Active, Cancelled, Completed, Failed, Paused};
    let change = |to: TriggerState, next_fire_at: Option<DateTime<Utc>>| {
        Decision::Change(StateChange {
            id: trigger.id,
            from: trigger.state,
            to,
            next_fire_at,
        })
    };
    let scheduled = trigger.kind != TriggerKind::Job;
    match (action, trigger.state) {
        (Action::Pause | Action::Resume, _) if !scheduled => Decision::Refused(format!(
            "job {} has no schedule to pause or resume",
            trigger.id
        )),
        (Action::Pause, Paused) | (Action::Resume, Active) | (Action::Cancel, Cancelled) => {
            Decision::Unchanged
        }
        (_, Completed | Failed) => Decision::Refused(format!(
            "trigger {} is {} and cannot change",
            trigger.id,
            trigger.state.as_str()
        )),
        (Action::Pause | Action::Resume, Cancelled) => {
            Decision::Refused(format!("trigger {} is cancelled", trigger.id))
        }
        (Action::Pause, Active) => change(Paused, None),
        (Action::Cancel, Active | Paused) => change(Cancelled, None),
        (Action::Resume, Paused) => {
            // Occurrences that passed while paused are skipped, not caught up.
            let next = trigger.schedule.as_ref().and_then(|spec| {
                let fired = u32::try_from(trigger.fire_count).unwrap_or(u32::MAX);
                spec.to_schedule(trigger.created_at)
                    .ok()?
                    .next_after(now, fired)
            });
            match next {
                Some(next) => change(Active, Some(next)),
                None => change(Completed, None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::conversation::ConversationKey;
    use crate::domain::instants::utc;
    use crate::domain::schedule::ScheduleSpec;
    use crate::domain::trigger::TriggerId;

    fn trigger(state: TriggerState, schedule: &str, fire_count: u64) -> TriggerRecord {
        TriggerRecord {
            id: TriggerId::new(5).unwrap(),
            kind: TriggerKind::Reminder,
            state,
            conversation: ConversationKey(1),
            channel_id: "emulator".to_owned(),
            conversation_id: "c".to_owned(),
            owner: None,
            text: Some("tea".to_owned()),
            schedule: Some(serde_json::from_str::<ScheduleSpec>(schedule).unwrap()),
            time_zone: None,
            next_fire_at: None,
            fire_count,
            last_error: None,
            created_at: utc("2026-12-01T00:00:00Z"),
            updated_at: utc("2026-12-01T00:00:00Z"),
            completed_at: None,
        }
    }

    const HOURLY: &str = r#"{"every":"1h","start":"2026-12-01T09:00:00Z"}"#;

    #[test]
    fn resuming_continues_from_the_next_occurrence_after_now() {
        let paused = trigger(TriggerState::Paused, HOURLY, 3);
        let Decision::Change(change) = decide(&paused, Action::Resume, utc("2026-12-03T14:20:00Z"))
        else {
            panic!("resume changes a paused trigger");
        };
        assert_eq!(change.to, TriggerState::Active);
        assert_eq!(change.from, TriggerState::Paused);
        assert_eq!(change.next_fire_at, Some(utc("2026-12-03T15:00:00Z")));
    }

    #[test]
    fn resuming_a_schedule_that_ended_meanwhile_completes_it() {
        let paused = trigger(TriggerState::Paused, r#"{"at":"2026-12-02T09:00:00Z"}"#, 0);
        let Decision::Change(change) = decide(&paused, Action::Resume, utc("2026-12-03T00:00:00Z"))
        else {
            panic!("a change");
        };
        assert_eq!(change.to, TriggerState::Completed);
        assert_eq!(change.next_fire_at, None);
    }

    #[test]
    fn pause_and_cancel_clear_the_due_time_and_repeat_harmlessly() {
        let now = utc("2026-12-03T00:00:00Z");
        let active = trigger(TriggerState::Active, HOURLY, 0);
        assert!(matches!(
            decide(&active, Action::Pause, now),
            Decision::Change(StateChange {
                to: TriggerState::Paused,
                next_fire_at: None,
                ..
            })
        ));
        assert!(matches!(
            decide(&active, Action::Cancel, now),
            Decision::Change(StateChange {
                to: TriggerState::Cancelled,
                next_fire_at: None,
                ..
            })
        ));
        assert_eq!(
            decide(
                &trigger(TriggerState::Paused, HOURLY, 0),
                Action::Pause,
                now
            ),
            Decision::Unchanged
        );
        assert_eq!(
            decide(
                &trigger(TriggerState::Cancelled, HOURLY, 0),
                Action::Cancel,
                now
            ),
            Decision::Unchanged
        );
    }

    #[test]
    fn finished_triggers_and_jobs_refuse_what_they_cannot_do() {
        let now = utc("2026-12-03T00:00:00Z");
        for state in [TriggerState::Completed, TriggerState::Failed] {
            for action in [Action::Pause, Action::Resume, Action::Cancel] {
                assert!(matches!(
                    decide(&trigger(state, HOURLY, 1), action, now),
                    Decision::Refused(_)
                ));
            }
        }
        assert!(matches!(
            decide(
                &trigger(TriggerState::Cancelled, HOURLY, 1),
                Action::Resume,
                now
            ),
            Decision::Refused(_)
        ));
        let mut job = trigger(TriggerState::Active, HOURLY, 0);
        job.kind = TriggerKind::Job;
        job.schedule = None;
        assert!(matches!(
            decide(&job, Action::Pause, now),
            Decision::Refused(_)
        ));
        assert!(matches!(
            decide(&job, Action::Cancel, now),
            Decision::Change(_)
        ));
    }
}
