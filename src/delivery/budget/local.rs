//! The send budget in memory, with governor on Herald's clock: per channel,
//! one keyed limiter (by conversation) per window; one direct limiter per
//! window of the global budget. Exact within one process; several instances
//! need `SharedBudget`.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::state::{InMemoryState, NotKeyed};
use governor::{NotUntil, Quota, RateLimiter};

use super::HeraldTime;
use super::{Denied, SendBudget, SendRequest, Sending};
use crate::domain::clock::Clock;
use crate::domain::conversation::ConversationKey;
use crate::domain::ports::StoreError;
use crate::domain::rate::{DeliveryPolicy, Gcra};

type PerConversation = RateLimiter<
    ConversationKey,
    DefaultKeyedStateStore<ConversationKey>,
    HeraldTime,
    NoOpMiddleware<Nanos>,
>;
type Global = RateLimiter<NotKeyed, InMemoryState, HeraldTime, NoOpMiddleware<Nanos>>;

pub struct LocalBudget {
    channels: HashMap<String, Vec<PerConversation>>,
    other_channels: Vec<PerConversation>,
    global: Vec<Global>,
}

impl LocalBudget {
    pub fn new(policy: &DeliveryPolicy, clock: Arc<dyn Clock>) -> Self {
        let time = HeraldTime(clock);
        let per_conversation = |cells: Vec<Gcra>| -> Vec<PerConversation> {
            cells
                .iter()
                .map(|cell| {
                    RateLimiter::new(quota(cell), DefaultKeyedStateStore::default(), time.clone())
                })
                .collect()
        };
        Self {
            channels: policy
                .channels()
                .map(|(name, windows)| (name.to_owned(), per_conversation(windows.bursty())))
                .collect(),
            other_channels: per_conversation(policy.other_channels().bursty()),
            global: policy
                .global()
                .steady()
                .iter()
                .map(|cell| RateLimiter::direct_with_clock(quota(cell), time.clone()))
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

#[async_trait]
impl SendBudget for LocalBudget {
    async fn try_take(&self, request: SendRequest<'_>) -> Result<Result<(), Denied>, StoreError> {
        let windows = self
            .channels
            .get(request.channel_id)
            .unwrap_or(&self.other_channels);
        // Shortest window first: it refuses most often, and a refusal by a
        // later window leaves the earlier ones a cell short — stricter, never looser.
        for window in windows {
            if let Err(not_until) = window.check_key(&request.conversation) {
                return Ok(Err(Denied::Conversation {
                    until: until(&not_until),
                }));
            }
        }
        if request.sending == Sending::Proactive {
            for window in &self.global {
                if let Err(not_until) = window.check() {
                    return Ok(Err(Denied::Global {
                        until: until(&not_until),
                    }));
                }
            }
        }
        Ok(Ok(()))
    }

    async fn forget_idle(&self) -> Result<(), StoreError> {
        for window in self.channels.values().flatten().chain(&self.other_channels) {
            window.retain_recent();
            window.shrink_to_fit();
        }
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
    async fn governor_on_the_injected_clock_keeps_every_teams_window() {
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
        // And nearly what the hourly window allows over ten minutes, after the short ones.
        assert!(sent.len() > 300, "only {} in ten minutes", sent.len());
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
