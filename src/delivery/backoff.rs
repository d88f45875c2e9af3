//! Exponential backoff with jitter between delivery attempts.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

/// Delays grow as `base * 2^attempt` up to `max`; each is drawn at random from
/// its upper half so that many messages failing together do not retry together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The delay before the attempt that follows `failed_attempts` failures.
    pub fn delay(&self, failed_attempts: u32) -> Duration {
        let ceiling = self.ceiling(failed_attempts);
        let half = ceiling / 2;
        let spread = u64::try_from((ceiling - half).as_millis()).unwrap_or(u64::MAX);
        let jitter = if spread == 0 {
            0
        } else {
            random_u64() % (spread + 1)
        };
        half + Duration::from_millis(jitter)
    }

    /// The largest delay for that many failures.
    pub fn ceiling(&self, failed_attempts: u32) -> Duration {
        let factor = 1u32
            .checked_shl(failed_attempts.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }
}

/// A random number from the standard library's per-hasher random keys: jitter
/// needs no cryptographic quality and no extra dependency.
fn random_u64() -> u64 {
    RandomState::new().hash_one(std::time::SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: Backoff = Backoff {
        base: Duration::from_secs(1),
        max: Duration::from_secs(60),
    };

    #[test]
    fn ceilings_double_up_to_the_maximum() {
        assert_eq!(POLICY.ceiling(1), Duration::from_secs(1));
        assert_eq!(POLICY.ceiling(2), Duration::from_secs(2));
        assert_eq!(POLICY.ceiling(4), Duration::from_secs(8));
        assert_eq!(POLICY.ceiling(7), Duration::from_secs(60));
        assert_eq!(POLICY.ceiling(200), Duration::from_secs(60));
    }

    #[test]
    fn delays_stay_within_the_upper_half_of_the_ceiling() {
        for attempt in 1..12 {
            let ceiling = POLICY.ceiling(attempt);
            for _ in 0..50 {
                let delay = POLICY.delay(attempt);
                assert!(
                    delay <= ceiling && delay >= ceiling / 2,
                    "{delay:?} vs {ceiling:?}"
                );
            }
        }
    }
}
