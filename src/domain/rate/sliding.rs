//! Exact sliding windows, as a channel counts them: one more message may go at
//! `now` when, in every window, fewer than `limit` messages were sent in the
//! `period` (widened by the margin) before it. Only the latest `limit` sends
//! of each window can decide that, so a sender's log is as long as its
//! largest limit and no longer; one comparison per window decides.
//!
//! A backlog therefore leaves at the pace the windows allow, in bursts where
//! they allow bursts: 40 messages due at once in a Teams conversation go in
//! 9.5 s (7 at once, the 8th at 1.1 s, …), where GCRA per window, which has
//! to spread every window's budget evenly, needed about twice as long.

use std::collections::VecDeque;
use std::time::Duration;

use super::RateWindow;

/// The windows of one sender, each as `(limit, period + margin)` in µs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlidingWindows {
    windows: Vec<(usize, i64)>,
}

impl SlidingWindows {
    pub(super) fn new(windows: &[RateWindow], margin: Duration) -> Self {
        Self {
            windows: windows
                .iter()
                .map(|window| {
                    let period = i64::try_from((window.period + margin).as_micros());
                    (window.limit as usize, period.unwrap_or(i64::MAX))
                })
                .collect(),
        }
    }

    /// How many of the latest sends a decision needs: the largest limit.
    pub fn log_len(&self) -> usize {
        self.windows
            .iter()
            .map(|(limit, _)| *limit)
            .max()
            .unwrap_or(0)
    }

    /// After this long (µs), a send counts in no window any more.
    pub fn span_micros(&self) -> i64 {
        self.windows
            .iter()
            .map(|(_, period)| *period)
            .max()
            .unwrap_or(0)
    }

    /// Whether one more send at `now` (µs since the epoch) fits every window,
    /// given the sender's latest sends in ascending order (at least the last
    /// `log_len()` of them, or all there are). If not, the earliest instant
    /// it would fit, no other send happening meanwhile.
    ///
    /// A send recorded later than `now` (another instance's clock running a
    /// little ahead) counts as inside every window: stricter, never looser.
    pub fn admit(&self, recent: &[i64], now: i64) -> Result<(), i64> {
        let mut until = None;
        for &(limit, period) in &self.windows {
            // The `limit`-th latest send: while it is inside the window, the
            // window is full; it leaves at `sent + period`.
            let Some(&sent) = recent.len().checked_sub(limit).map(|at| &recent[at]) else {
                continue;
            };
            if now.saturating_sub(sent) < period {
                let leaves = sent.saturating_add(period);
                until = Some(until.map_or(leaves, |until: i64| until.max(leaves)));
            }
        }
        until.map_or(Ok(()), Err)
    }
}

/// One sender's latest sends, in memory: what `SlidingWindows` needs, no more.
#[derive(Debug, Clone, Default)]
pub struct SendLog {
    sends: VecDeque<i64>,
}

impl SendLog {
    /// Records a send at `now` if every window admits it; else says when.
    pub fn try_send(&mut self, windows: &SlidingWindows, now: i64) -> Result<(), i64> {
        self.admits(windows, now)?;
        self.record(windows, now);
        Ok(())
    }

    /// Whether every window admits a send at `now` (recording nothing).
    pub fn admits(&mut self, windows: &SlidingWindows, now: i64) -> Result<(), i64> {
        windows.admit(self.sends.make_contiguous(), now)
    }

    /// Records a send at `now`, keeping only what decisions need.
    pub fn record(&mut self, windows: &SlidingWindows, now: i64) {
        // In order even if the clock stepped back.
        let at = self.sends.partition_point(|sent| *sent <= now);
        self.sends.insert(at, now);
        while self.sends.len() > windows.log_len() {
            self.sends.pop_front();
        }
    }

    /// Whether nothing in the log counts any more at `now`, for windows no
    /// longer than `span` µs.
    pub fn is_idle(&self, span: i64, now: i64) -> bool {
        self.sends
            .back()
            .is_none_or(|latest| now.saturating_sub(*latest) >= span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rate::tests::teams;
    use crate::domain::rate::{RatePolicy, busiest_window};

    /// A sender that sends whenever the windows admit, jumping to the instant
    /// a refusal names (and checking nothing was admissible before it).
    fn greedy(windows: &SlidingWindows, count: usize) -> Vec<i64> {
        let mut log = SendLog::default();
        let mut sent = Vec::new();
        let mut now = 0;
        while sent.len() < count {
            match log.try_send(windows, now) {
                Ok(()) => sent.push(now),
                Err(until) => {
                    assert!(until > now, "a refusal names a later instant");
                    assert!(
                        log.clone().try_send(windows, until - 1).is_err(),
                        "not before {until}"
                    );
                    now = until;
                }
            }
        }
        sent
    }

    /// A sender trying every `step` µs, whatever a refusal says.
    fn stepping(windows: &SlidingWindows, step: i64, until: i64) -> Vec<i64> {
        let mut log = SendLog::default();
        (0..until / step)
            .map(|n| n * step)
            .filter(|now| log.try_send(windows, *now).is_ok())
            .collect()
    }

    fn within(sent: &[i64], policy: &RatePolicy, margin: Duration) {
        for window in policy.windows() {
            let period = i64::try_from((window.period + margin).as_micros()).unwrap();
            let most = busiest_window(sent, period);
            assert!(
                most <= window.limit as usize,
                "{most} in one {window} window"
            );
        }
    }

    #[test]
    fn a_teams_backlog_goes_as_fast_as_every_window_allows_and_no_faster() {
        let margin = Duration::from_millis(100);
        let windows = teams().with_margin(margin).sliding();
        let sent = greedy(&windows, 2_000);
        within(&sent, &teams(), margin);
        // What the widened windows allow: 7 at once, then the 2.1 s window's
        // pace, then the 30.1 s and hourly windows'.
        assert_eq!(&sent[..8], &[0, 0, 0, 0, 0, 0, 0, 1_100_000]);
        assert_eq!(sent[39], 9_500_000);
        assert_eq!(sent[199], 94_500_000);
        assert!(sent[1_799] < 3_600_000_000, "1,800 within the first hour");
        assert!(sent[1_800] >= 3_600_100_000, "the 1,801st inside the hour");
    }

    #[test]
    fn a_sender_trying_at_any_pace_never_breaks_a_window() {
        let windows = teams().sliding();
        for step in [2_000, 7_000, 333_333] {
            let sent = stepping(&windows, step, 7_200_000_000);
            within(&sent, &teams(), Duration::ZERO);
            // Over two hours, all that the hourly window allows.
            assert!(sent.len() >= 3_590, "{} sent at step {step} µs", sent.len());
        }
    }

    #[test]
    fn odd_limits_and_periods_hold_and_are_used_in_full() {
        for (limit, seconds) in [(1, 1), (2, 1), (3, 7), (5, 2), (13, 10), (100, 60), (9, 3)] {
            let policy = RatePolicy::parse(&[format!("{limit}/{seconds}s")]).unwrap();
            let sent = greedy(&policy.sliding(), limit * 4);
            within(&sent, &policy, Duration::ZERO);
            // Each window's whole limit at its start, the next at its end.
            let period = seconds as i64 * 1_000_000;
            assert_eq!(sent[limit - 1], 0);
            assert_eq!(sent[limit], period);
        }
    }

    #[test]
    fn a_send_recorded_ahead_of_the_clock_counts_and_order_is_kept() {
        let windows = RatePolicy::parse(&["2/1s"]).unwrap().sliding();
        let mut log = SendLog::default();
        assert_eq!(log.try_send(&windows, 500_000), Ok(()));
        // The clock stepped back: the later send still counts.
        assert_eq!(log.try_send(&windows, 100_000), Ok(()));
        assert_eq!(log.try_send(&windows, 200_000), Err(1_100_000));
        assert!(!log.is_idle(windows.span_micros(), 1_400_000));
        assert!(log.is_idle(windows.span_micros(), 1_500_000));
    }
}
