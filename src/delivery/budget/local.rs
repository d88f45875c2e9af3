//! The send budget in memory, on Herald's clock: per conversation, a log of
//! its recent sends held against its channel's exact sliding windows; for the
//! global budget, one governor limiter (GCRA) per window. Exact within one
//! process; several instances need `SharedBudget`.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use governor::nanos::Nanos;
use governor::{NotUntil, Quota};

use super::{Denied, SendBudget, SendRequest, Sending};
use crate::domain::clock::Clock;
use crate::domain::conversation::ConversationKey;
use crate::domain::ports::StoreError;
use crate::domain::rate::{ChannelWindows, DeliveryPolicy, Gcra, SendLog};
use crate::rate_limit::{HeraldTime, Limiter, limiter};

pub struct LocalBudget {
    clock: Arc<dyn Clock>,
    conversations: ChannelWindows,
    /// The recent sends of every conversation that sent lately.
    logs: Mutex<HashMap<ConversationKey, SendLog>>,
    global: Vec<Limiter>,
}

impl LocalBudget {
    pub fn new(policy: &DeliveryPolicy, clock: Arc<dyn Clock>) -> Self {
        let time = HeraldTime(Arc::clone(&clock));
        Self {
            clock,
            conversations: policy.conversation_windows(),
            logs: Mutex::default(),
            global: policy
                .global()
                .steady()
                .iter()
                .map(|cell| limiter(quota(cell), time.clone()))
                .collect(),
        }
    }
}

/// governor's quota for one derived window: the same burst and interval.
fn quota(cell: &Gcra) -> Quota {
    let burst = NonZeroU32::new(cell.burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(cell.emission.max(Duration::from_nanos(1)))
        .map_or(Quota::per_second(NonZeroU32::MIN), |quota| {
            quota.allow_burst(burst)
        })
}

fn until(not_until: &NotUntil<Nanos>) -> DateTime<Utc> {
    let nanos = i64::try_from(not_until.earliest_possible().as_u64()).unwrap_or(i64::MAX);
    DateTime::from_timestamp_nanos(nanos)
}

fn instant(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[async_trait]
impl SendBudget for LocalBudget {
    async fn try_take(&self, request: SendRequest<'_>) -> Result<Result<(), Denied>, StoreError> {
        let windows = self.conversations.of(request.channel_id);
        let now = self.clock.now().timestamp_micros();
        let mut logs = self
            .logs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let log = logs.entry(request.conversation).or_default();
        if let Err(until) = log.admits(windows, now) {
            return Ok(Err(Denied::Conversation {
                until: instant(until),
            }));
        }
        if request.sending == Sending::Proactive {
            // A refusal by a later window leaves the earlier ones a cell
            // short: stricter, never looser. The conversation's log is only
            // written once everything admitted the message.
            for window in &self.global {
                if let Err(not_until) = window.check() {
                    return Ok(Err(Denied::Global {
                        until: until(&not_until),
                    }));
                }
            }
        }
        log.record(windows, now);
        Ok(Ok(()))
    }

    async fn forget_idle(&self) -> Result<(), StoreError> {
        let now = self.clock.now().timestamp_micros();
        let mut logs = self
            .logs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        logs.retain(|_, log| !log.is_idle(self.conversations.longest_span(), now));
        logs.shrink_to_fit();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::clock::ManualClock;
    use crate::domain::rate::{RatePolicy, busiest_window};

    fn policy() -> DeliveryPolicy {
        let teams = RatePolicy::parse(&["7/1s", "8/2s", "60/30s", "1800/1h"]).unwrap();
        DeliveryPolicy::new(
            BTreeMap::from([("msteams".to_owned(), teams)]),
            RatePolicy::parse(&["1/1s"]).unwrap(),
            RatePolicy::parse(&["100/1s"]).unwrap(),
            Duration::ZERO,
        )
    }

    fn start() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    async fn take(
        budget: &LocalBudget,
        conversation: i64,
        channel_id: &str,
        sending: Sending,
    ) -> Result<(), Denied> {
        budget
            .try_take(SendRequest {
                conversation: ConversationKey(conversation),
                channel_id,
                sending,
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn on_the_injected_clock_every_teams_window_holds_and_a_backlog_goes_at_their_pace() {
        let clock = Arc::new(ManualClock::new(start()));
        let budget = LocalBudget::new(&policy(), clock.clone());
        let mut sent = Vec::new();
        // Ten minutes of a sender trying every 5 ms.
        for _ in 0..120_000 {
            if take(&budget, 1, "msteams", Sending::Reply).await.is_ok() {
                sent.push(clock.now().timestamp_micros());
            }
            clock.advance(chrono::Duration::milliseconds(5));
        }
        for (limit, seconds) in [(7, 1), (8, 2), (60, 30), (1800, 3600)] {
            let most = busiest_window(&sent, seconds * 1_000_000);
            assert!(most <= limit, "{most} in {seconds} s");
        }
        // 40 as fast as the windows allow (7 at once, then 8 in any 2 s: the
        // 40th at 9 s), then what the 30 s window allows over ten minutes.
        assert_eq!(sent[39] - sent[0], 9_000_000);
        assert!(sent.len() >= 1_200, "only {} in ten minutes", sent.len());
    }

    #[tokio::test]
    async fn a_refusal_says_when_the_budget_frees_up() {
        let clock = Arc::new(ManualClock::new(start()));
        let budget = LocalBudget::new(&policy(), clock.clone());
        assert_eq!(take(&budget, 1, "slack", Sending::Reply).await, Ok(()));
        let Err(Denied::Conversation { until }) = take(&budget, 1, "slack", Sending::Reply).await
        else {
            panic!("a second message within a second of `other`'s 1/1s");
        };
        assert_eq!(until, start() + chrono::Duration::seconds(1));
        // Another conversation has a budget of its own.
        assert_eq!(take(&budget, 2, "slack", Sending::Reply).await, Ok(()));
        clock.set(until);
        assert_eq!(take(&budget, 1, "slack", Sending::Reply).await, Ok(()));
    }

    #[tokio::test]
    async fn the_global_budget_counts_proactive_messages_only() {
        let clock = Arc::new(ManualClock::new(start()));
        let budget = LocalBudget::new(&policy(), clock.clone());
        // 100 a second, burst 2: conversations 1 and 2 get one each, the third waits.
        assert_eq!(
            take(&budget, 1, "msteams", Sending::Proactive).await,
            Ok(())
        );
        assert_eq!(
            take(&budget, 2, "msteams", Sending::Proactive).await,
            Ok(())
        );
        assert!(matches!(
            take(&budget, 3, "msteams", Sending::Proactive).await,
            Err(Denied::Global { .. })
        ));
        // Replies are not held back by it.
        assert_eq!(take(&budget, 4, "msteams", Sending::Reply).await, Ok(()));
    }
}
