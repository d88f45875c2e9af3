//! What firing a due trigger does: the message it queues and what becomes of
//! the trigger. Pure rules; the store applies them in its firing transaction.
//!
//! Misfires (Herald was down, the machine slept): a one-shot fires once, late,
//! and its message carries both instants so it can say how late; a recurring
//! trigger fires once for the whole missed window and continues from its next
//! future occurrence — never a burst of catch-up firings. A price poll
//! follows the same rules; what it does is a poll, not a message.

use chrono::{DateTime, Duration, Utc};

use super::notification::Notification;
use super::ports::{AfterFiring, DuePoll, DueTrigger, Fired, Firing, FiringPlanner};
use super::trigger::TriggerKind;

/// How long a claimed price poll holds its trigger: well past a fetch's
/// time limit times the few currencies a symbol is polled in, so no other
/// scheduler runs it twice, and short enough that a poll cut off by a crash
/// runs again soon.
pub const POLL_LEASE: Duration = Duration::minutes(2);

/// The scheduler's firing rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct FiringRules {
    /// Past this lateness a firing is worded as a missed reminder; `None`
    /// (the default) never does.
    pub misfire_grace: Option<Duration>,
}

impl FiringPlanner for FiringRules {
    fn plan(&self, due: &DueTrigger, now: DateTime<Utc>) -> Firing {
        let spec = match &due.schedule {
            Ok(spec) => spec,
            Err(problem) => return failed(problem),
        };
        // Stored specs are complete; `due_at` only stands in for a missing
        // interval start.
        let schedule = match spec.to_schedule(due.due_at) {
            Ok(schedule) => schedule,
            Err(error) => return failed(&format!("the stored schedule is unreadable: {error}")),
        };
        let fired = u32::try_from(due.fire_count.saturating_add(1)).unwrap_or(u32::MAX);
        let then = match schedule.next_after(now.max(due.due_at), fired) {
            Some(next) => AfterFiring::Reschedule(next),
            None => AfterFiring::Complete,
        };
        if due.kind == TriggerKind::PricePoll {
            return poll(due, now, then);
        }
        if due.conversation.is_none() {
            return failed("the trigger belongs to no conversation");
        }
        let notification = Notification::TriggerFired {
            trigger_id: due.id.get(),
            text: due.text.clone().unwrap_or_default(),
            due_at: due.due_at,
            fired_at: now,
            time_zone: due.time_zone.clone(),
            missed: self
                .misfire_grace
                .is_some_and(|grace| now - due.due_at > grace),
        };
        Firing {
            fired: Some(Fired::Message(notification)),
            then,
        }
    }
}

/// A price poll: its trigger held for the poll's lease (not past its next
/// occurrence), the occurrence after kept for when the poll is done.
fn poll(due: &DueTrigger, now: DateTime<Utc>, then: AfterFiring) -> Firing {
    let (Some(source), Some(symbol)) = (&due.source, &due.text) else {
        return failed("a price poll without its source and symbol");
    };
    let next = match then {
        AfterFiring::Reschedule(next) => Some(next),
        AfterFiring::Complete => None,
        AfterFiring::Fail(reason) => return failed(&reason),
    };
    let lease = now + POLL_LEASE;
    let claimed_until = next.map_or(lease, |next| next.min(lease));
    Firing {
        fired: Some(Fired::Poll(DuePoll {
            trigger: due.id,
            source: source.clone(),
            symbol: symbol.clone(),
            claimed_until,
            next,
        })),
        then: AfterFiring::Reschedule(claimed_until),
    }
}

fn failed(reason: &str) -> Firing {
    Firing {
        fired: None,
        then: AfterFiring::Fail(reason.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::conversation::ConversationKey;
    use crate::domain::instants::utc;
    use crate::domain::trigger::{TriggerId, TriggerKind};

    fn due(schedule: &str, due_at: &str, fire_count: u64) -> DueTrigger {
        DueTrigger {
            id: TriggerId::new(4).unwrap(),
            kind: TriggerKind::Reminder,
            conversation: Some(ConversationKey(1)),
            text: Some("stretch".to_owned()),
            source: None,
            schedule: serde_json::from_str(schedule).map_err(|error| error.to_string()),
            time_zone: None,
            due_at: utc(due_at),
            fire_count,
        }
    }

    fn message(firing: &Firing) -> Notification {
        match &firing.fired {
            Some(Fired::Message(notification)) => notification.clone(),
            other => panic!("not a message: {other:?}"),
        }
    }

    fn price_poll(every: &str, due_at: &str) -> DueTrigger {
        let schedule = format!(r#"{{"every":"{every}","start":"2026-12-24T18:00:00Z"}}"#);
        let mut poll = due(&schedule, due_at, 1);
        poll.kind = TriggerKind::PricePoll;
        poll.conversation = None;
        poll.text = Some("bitcoin".to_owned());
        poll.source = Some("market".to_owned());
        poll
    }

    #[test]
    fn a_price_poll_asks_for_its_symbol_and_keeps_its_interval() {
        let now = utc("2026-12-24T18:01:00.010Z");
        let firing = FiringRules::default().plan(&price_poll("1m", "2026-12-24T18:01:00Z"), now);
        let expected = DuePoll {
            trigger: TriggerId::new(4).unwrap(),
            source: "market".to_owned(),
            symbol: "bitcoin".to_owned(),
            // The next occurrence is sooner than the lease would end.
            claimed_until: utc("2026-12-24T18:02:00Z"),
            next: Some(utc("2026-12-24T18:02:00Z")),
        };
        assert_eq!(firing.fired, Some(Fired::Poll(expected)));
        assert_eq!(
            firing.then,
            AfterFiring::Reschedule(utc("2026-12-24T18:02:00Z"))
        );
    }

    #[test]
    fn a_price_poll_holds_its_trigger_for_its_lease_and_no_longer() {
        // Due at 18:00, Herald back at 18:30: polled once, then at 19:00.
        let now = utc("2026-12-24T18:30:00Z");
        let firing = FiringRules::default().plan(&price_poll("1h", "2026-12-24T18:00:00Z"), now);
        let Some(Fired::Poll(poll)) = firing.fired else {
            panic!("a poll: {firing:?}");
        };
        assert_eq!(poll.claimed_until, now + POLL_LEASE);
        assert_eq!(poll.next, Some(utc("2026-12-24T19:00:00Z")));
        assert_eq!(firing.then, AfterFiring::Reschedule(now + POLL_LEASE));
    }

    #[test]
    fn a_price_poll_without_its_source_fails_without_polling() {
        let mut poll = price_poll("1m", "2026-12-24T18:01:00Z");
        poll.source = None;
        let firing = FiringRules::default().plan(&poll, utc("2026-12-24T18:01:00Z"));
        assert!(firing.fired.is_none());
        assert!(matches!(firing.then, AfterFiring::Fail(_)));
    }

    #[test]
    fn a_one_shot_fires_once_and_completes() {
        let rules = FiringRules::default();
        let firing = rules.plan(
            &due(
                r#"{"at":"2026-12-24T18:00:00Z"}"#,
                "2026-12-24T18:00:00Z",
                0,
            ),
            utc("2026-12-24T18:00:00.004Z"),
        );
        assert_eq!(firing.then, AfterFiring::Complete);
        let Notification::TriggerFired { text, missed, .. } = message(&firing) else {
            panic!("a fired trigger's message");
        };
        assert_eq!(text, "stretch");
        assert!(!missed);
    }

    #[test]
    fn an_interval_stays_anchored_whatever_the_lateness() {
        let rules = FiringRules::default();
        let schedule = r#"{"every":"2h","start":"2026-12-24T09:00:00Z"}"#;
        let firing = rules.plan(
            &due(schedule, "2026-12-24T11:00:00Z", 1),
            utc("2026-12-24T11:40:00Z"),
        );
        assert_eq!(
            firing.then,
            AfterFiring::Reschedule(utc("2026-12-24T13:00:00Z"))
        );
    }

    #[test]
    fn a_missed_window_fires_once_and_continues_in_the_future() {
        let rules = FiringRules::default();
        // Due at 11:00, Herald back at 18:30: one firing for 11:00…18:00, then 19:00.
        let firing = rules.plan(
            &due(
                r#"{"every":"1h","start":"2026-12-24T09:00:00Z"}"#,
                "2026-12-24T11:00:00Z",
                2,
            ),
            utc("2026-12-24T18:30:00Z"),
        );
        assert_eq!(
            firing.then,
            AfterFiring::Reschedule(utc("2026-12-24T19:00:00Z"))
        );
        assert_eq!(message(&firing).lateness(), Some(Duration::minutes(450)));
    }

    #[test]
    fn the_last_counted_firing_completes() {
        let rules = FiringRules::default();
        let schedule = r#"{"every":"1h","start":"2026-12-24T09:00:00Z","count":3}"#;
        let third = rules.plan(
            &due(schedule, "2026-12-24T11:00:00Z", 2),
            utc("2026-12-24T11:00:00Z"),
        );
        assert_eq!(third.then, AfterFiring::Complete);
        assert!(third.fired.is_some(), "the last firing still speaks");
    }

    #[test]
    fn past_the_grace_period_a_firing_is_a_missed_one() {
        let rules = FiringRules {
            misfire_grace: Some(Duration::minutes(15)),
        };
        let schedule = r#"{"at":"2026-12-24T18:00:00Z"}"#;
        let on_time = rules.plan(
            &due(schedule, "2026-12-24T18:00:00Z", 0),
            utc("2026-12-24T18:14:00Z"),
        );
        let late = rules.plan(
            &due(schedule, "2026-12-24T18:00:00Z", 0),
            utc("2026-12-24T18:16:00Z"),
        );
        let missed = |firing: &Firing| match message(firing) {
            Notification::TriggerFired { missed, .. } => missed,
            other => panic!("unexpected {other:?}"),
        };
        assert!(!missed(&on_time));
        assert!(missed(&late));
    }

    #[test]
    fn an_unreadable_schedule_fails_the_trigger_without_a_message() {
        let rules = FiringRules::default();
        let firing = rules.plan(
            &due(r#"{"every":"soon"}"#, "2026-12-24T18:00:00Z", 0),
            utc("2026-12-24T18:00:00Z"),
        );
        assert!(firing.fired.is_none());
        assert!(matches!(firing.then, AfterFiring::Fail(reason) if reason.contains("every")));
    }
}
