//! governor's time source: Herald's clock (injected, so tests step it), in
//! nanoseconds since the epoch. Every in-memory rate limit uses it — the send
//! budget, the price sources' request budgets, the API callers' and the
//! conversations' turn rates.

use std::hash::Hash;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::Clock as _;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::domain::clock::Clock;

#[derive(Clone)]
pub struct HeraldTime(pub Arc<dyn Clock>);

impl governor::clock::Clock for HeraldTime {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        let nanos = self.0.now().timestamp_nanos_opt().unwrap_or(0);
        Nanos::from(u64::try_from(nanos).unwrap_or(0))
    }
}

/// A rate limit per key (a caller, a conversation) on Herald's clock.
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
