//! governor's time source: Herald's clock (injected, so tests step it), in
//! nanoseconds since the epoch. Every in-memory rate limit uses it — the send
//! budget and the price sources' request budgets.

use std::sync::Arc;

use governor::nanos::Nanos;

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
