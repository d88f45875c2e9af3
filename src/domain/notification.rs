//! What a proactive message says, stored in the outbox as data and rendered in
//! the recipient's language only when it is sent.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::price::{FetchError, Rule};

/// A proactive notification. Stored as JSON; new variants may be added, so
/// readers must tolerate (and dead-letter) kinds they do not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Notification {
    /// The seed's message: a job this conversation started has completed.
    #[serde(rename_all = "camelCase")]
    JobCompleted { job_id: i64 },
    /// A timer or reminder came due.
    #[serde(rename_all = "camelCase")]
    TriggerFired {
        trigger_id: i64,
        text: String,
        /// The occurrence this message is for.
        due_at: DateTime<Utc>,
        /// When the scheduler fired it: later than `due_at` after downtime.
        fired_at: DateTime<Utc>,
        /// The zone the trigger's schedule is read in, for showing `due_at`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_zone: Option<String>,
        /// Fired past the misfire grace period: worded as a missed reminder.
        #[serde(default)]
        missed: bool,
    },
    /// A watched price crossed its line.
    #[serde(rename_all = "camelCase")]
    PriceAlert {
        watch_id: i64,
        source: String,
        symbol: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        currency: Option<String>,
        rule: Rule,
        price: Decimal,
        threshold: Decimal,
        base: Decimal,
        /// Recent prices, oldest first (Unicode blocks).
        #[serde(default)]
        sparkline: String,
    },
    /// A polled source keeps failing: its watches are stalled.
    #[serde(rename_all = "camelCase")]
    SourceStalled {
        source: String,
        symbol: String,
        watch_id: i64,
        problem: FetchError,
    },
    /// A stalled source answers again.
    #[serde(rename_all = "camelCase")]
    SourceRecovered {
        source: String,
        symbol: String,
        watch_id: i64,
    },
    /// A source answers, but no longer with a price for a watched symbol
    /// (delisted, renamed): its watches are stalled.
    #[serde(rename_all = "camelCase")]
    SymbolUnpriced {
        source: String,
        symbol: String,
        watch_id: i64,
        problem: FetchError,
    },
    /// The symbol has a price again.
    #[serde(rename_all = "camelCase")]
    SymbolPricedAgain {
        source: String,
        symbol: String,
        watch_id: i64,
    },
    /// A reply that could not go out within its turn (the conversation's
    /// send budget was spent), delivered as soon as the budget allows.
    #[serde(rename_all = "camelCase")]
    Message {
        text: String,
        /// Cards (Adaptive Cards) as the channel takes them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<serde_json::Value>,
    },
}

impl Notification {
    /// Whether it waits for its recipient's quiet hours to end: job
    /// notifications do; reminders come at the time their owner chose, and a
    /// queued reply answers someone who just spoke.
    pub fn waits_for_quiet_hours(&self) -> bool {
        matches!(
            self,
            Self::JobCompleted { .. }
                | Self::PriceAlert { .. }
                | Self::SourceStalled { .. }
                | Self::SourceRecovered { .. }
                | Self::SymbolUnpriced { .. }
                | Self::SymbolPricedAgain { .. }
        )
    }

    /// How late a firing was, if it was late at all.
    pub fn lateness(&self) -> Option<chrono::Duration> {
        match self {
            Self::TriggerFired {
                due_at, fired_at, ..
            } if fired_at > due_at => Some(*fired_at - *due_at),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_are_stored_as_tagged_json() {
        let json = serde_json::to_string(&Notification::JobCompleted { job_id: 3 }).unwrap();
        assert_eq!(json, r#"{"kind":"jobCompleted","jobId":3}"#);
        let back: Notification = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Notification::JobCompleted { job_id: 3 });
    }

    #[test]
    fn fired_triggers_keep_their_occurrence_and_lateness() {
        let due_at = DateTime::parse_from_rfc3339("2026-12-24T18:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let fired = Notification::TriggerFired {
            trigger_id: 9,
            text: "Stand-up".to_owned(),
            due_at,
            fired_at: due_at + chrono::Duration::minutes(90),
            time_zone: None,
            missed: false,
        };
        let json = serde_json::to_string(&fired).unwrap();
        assert!(
            json.starts_with(r#"{"kind":"triggerFired","triggerId":9,"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Notification>(&json).unwrap(), fired);
        assert_eq!(fired.lateness(), Some(chrono::Duration::minutes(90)));
        assert_eq!(Notification::JobCompleted { job_id: 1 }.lateness(), None);
    }
}
