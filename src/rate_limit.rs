//! Rate limits kept in memory, timed on Herald's clock (injected, so tests
//! step it). governor does the arithmetic; this module gives it Herald's
//! time and names the two shapes Herald uses: one budget (the send budget's
//! global cells, a price source's requests) and a budget per key (an API
//! caller, a conversation's turns). Delivery, HTTP, chat and prices all use
//! it, so it belongs to none of them.

use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::Clock as _;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

use crate::domain::clock::Clock;

/// governor's time source: Herald's clock, in nanoseconds since the epoch.
#[derive(Clone)]
pub struct HeraldTime(pub Arc<dyn Clock>);

impl governor::clock::Clock for HeraldTime {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        let nanos = self.0.now().timestamp_nanos_opt().unwrap_or(0);
        Nanos::from(u64::try_from(nanos).unwrap_or(0))
    }
}

/// One budget on Herald's clock.
pub type Limiter = RateLimiter<NotKeyed, InMemoryState, HeraldTime, NoOpMiddleware<Nanos>>;

/// A budget allowing `quota`, timed on `time`.
pub fn limiter(quota: Quota, time: HeraldTime) -> Limiter {
    RateLimiter::direct_with_clock(quota, time)
}

/// A budget per key (a caller, a conversation) on Herald's clock.
pub type KeyedLimiter<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, HeraldTime, NoOpMiddleware<Nanos>>;

/// A limiter allowing `quota` per key, timed on `clock`.
pub fn keyed_limiter<K: Hash + Eq + Clone>(quota: Quota, clock: Arc<dyn Clock>) -> KeyedLimiter<K> {
    RateLimiter::new(quota, DefaultKeyedStateStore::default(), HeraldTime(clock))
}

/// Takes one for `key`; when refused, how long until it may try again.
pub fn check_key<K: Hash + Eq + Clone>(limiter: &KeyedLimiter<K>, key: &K) -> Result<(), Duration> {
    limiter
        .check_key(key)
        .map_err(|not_until| not_until.wait_time_from(limiter.clock().now()))
}
