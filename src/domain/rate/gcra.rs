//! One window's GCRA (generic cell rate algorithm), as the global budget uses it.
//!
//! A single GCRA with burst `N` and rate `N/T` admits `N` at once and then `N`
//! more over the next `T`: nearly `2N` in one sliding window. GCRA with burst
//! `b` and emission interval `e` admits at most `b + ceil(T/e) - 1` cells in
//! any half-open interval of length `T` (the burst at its start, then one
//! every `e`). Choosing `e = T / (N - b + 1)`, rounded up, makes that at most
//! `N`, whatever the burst.

use std::time::Duration;

use super::RateWindow;

/// One window's GCRA: a burst and the interval between cells after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gcra {
    /// The window it keeps (its period identifies it in stored state).
    pub window: RateWindow,
    pub burst: u32,
    pub emission: Duration,
}

impl Gcra {
    /// The parameters that keep `window`, widened by `margin`, within its
    /// limit with `burst` (capped at the limit).
    pub fn for_window(window: RateWindow, burst: u32, margin: Duration) -> Self {
        let burst = burst.clamp(1, window.limit);
        let cells_after_burst = u128::from(window.limit - burst + 1);
        let nanos = (window.period + margin)
            .as_nanos()
            .div_ceil(cells_after_burst);
        Self {
            window,
            burst,
            emission: Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX)),
        }
    }

    /// How far ahead of now the theoretical arrival time may run.
    fn tolerance_micros(&self) -> i64 {
        micros(self.emission).saturating_mul(i64::from(self.burst - 1))
    }

    /// One cell at `now` (microseconds since the epoch) against the stored
    /// theoretical arrival time: the new one if admitted, else the earliest
    /// instant it would be. The same arithmetic governor uses, for state kept
    /// in a database.
    pub fn admit(&self, tat: Option<i64>, now: i64) -> Result<i64, i64> {
        let tat = tat.unwrap_or(now);
        let earliest = tat.saturating_sub(self.tolerance_micros());
        if now < earliest {
            return Err(earliest);
        }
        Ok(tat.max(now).saturating_add(micros(self.emission)))
    }
}

/// A duration in whole microseconds, rounded up so a limit is never exceeded.
fn micros(duration: Duration) -> i64 {
    i64::try_from(duration.as_nanos().div_ceil(1000)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rate::{RatePolicy, busiest_window};

    /// A sender that sends whenever every window admits, as fast as it can,
    /// stepping time by `step` µs; returns the instants it sent at.
    fn greedy(cells: &[Gcra], step: i64, until: i64) -> Vec<i64> {
        let mut state: Vec<Option<i64>> = vec![None; cells.len()];
        let mut sent = Vec::new();
        let mut now = 0;
        while now < until {
            let admitted: Result<Vec<i64>, i64> = cells
                .iter()
                .zip(&state)
                .map(|(cell, tat)| cell.admit(*tat, now))
                .collect();
            match admitted {
                Ok(next) => {
                    state = next.into_iter().map(Some).collect();
                    sent.push(now);
                }
                Err(_) => now += step,
            }
        }
        sent
    }

    #[test]
    fn a_single_gcra_with_the_limit_as_burst_breaks_the_window() {
        // What the derivation avoids: burst 7 at 7 per second.
        let naive = Gcra {
            window: RateWindow::parse("7/1s").unwrap(),
            burst: 7,
            emission: Duration::from_nanos(1_000_000_000 / 7),
        };
        let sent = greedy(&[naive], 1_000, 3_000_000);
        assert!(busiest_window(&sent, 1_000_000) > 7);
    }

    #[test]
    fn the_steady_global_budget_keeps_nearly_its_full_rate() {
        let policy = RatePolicy::parse(&["100/1s"]).unwrap();
        let cells = policy.steady();
        assert_eq!(cells[0].burst, 2);
        let sent = greedy(&cells, 100, 10_000_000);
        assert!(busiest_window(&sent, 1_000_000) <= 100);
        assert!(sent.len() >= 980, "{} in 10 s", sent.len());
    }

    #[test]
    fn every_derived_policy_holds_for_odd_limits_and_periods() {
        for (limit, seconds) in [(2, 1), (3, 7), (5, 2), (13, 10), (100, 60), (9, 3)] {
            let window = RateWindow {
                limit,
                period: Duration::from_secs(seconds),
            };
            for burst in [1, 2, limit / 2, limit] {
                let cell = Gcra::for_window(window, burst, Duration::ZERO);
                let period = i64::try_from(window.period.as_micros()).unwrap();
                let sent = greedy(&[cell], 1_000, period * 4);
                let most = busiest_window(&sent, period);
                assert!(most <= limit as usize, "{window} burst {burst}: {most}");
            }
        }
    }

    #[test]
    fn a_denied_cell_says_when_it_would_be_admitted() {
        let cell = RatePolicy::parse(&["1/1s"]).unwrap().steady()[0];
        let tat = cell.admit(None, 0).unwrap();
        assert_eq!(cell.admit(Some(tat), 10), Err(1_000_000));
        assert_eq!(cell.admit(Some(tat), 1_000_000), Ok(2_000_000));
    }
}
