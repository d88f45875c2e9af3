//! Rate-limit policy: how many messages a channel accepts in each sliding
//! window, and the GCRA parameters that keep every window within its limit.
//!
//! A single GCRA (generic cell rate algorithm) with burst `N` and rate `N/T`
//! admits `N` at once and then `N` more over the next `T`: nearly `2N` in one
//! sliding window. Herald therefore runs one GCRA per window with parameters
//! derived so that the window can never hold more than its limit:
//!
//! GCRA with burst `b` and emission interval `e` admits at most
//! `b + ceil(T/e) - 1` cells in any half-open interval of length `T` (the
//! burst at its start, then one every `e`). Choosing `e = T / (N - b + 1)`,
//! rounded up, makes that at most `N`.
//!
//! The burst trades against the sustained rate (`1/e`). Per conversation, the
//! shortest window gets half its limit as its burst (a turn's replies go out
//! at once), and each longer window the limit of the window before it (capped
//! at half its own): a backlog then flows at the pace of the shorter windows
//! until the longer one's share is used, instead of at the hourly window's
//! pace from the start. The global budget gets a fiftieth of its limit as its
//! burst (one delivery round may send a few at once), keeping 98% of its
//! sustained rate, which is what matters there.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use super::schedule::parse_duration;

/// The most windows one policy may have.
const MAX_WINDOWS: usize = 8;
/// The longest window: a day.
const MAX_PERIOD: Duration = Duration::from_secs(86_400);

/// At most `limit` messages in any sliding `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateWindow {
    pub limit: u32,
    pub period: Duration,
}

impl RateWindow {
    /// Reads `7/1s`, `60/30s`, `1800/1h`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (limit, period) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}`: expected COUNT/PERIOD, such as 7/1s or 1800/1h"))?;
        let limit: u32 = limit
            .trim()
            .parse()
            .ok()
            .filter(|limit| *limit >= 1)
            .ok_or_else(|| format!("`{text}`: the count must be a whole number of at least 1"))?;
        let period = parse_duration(period)
            .map_err(|problem| format!("`{text}`: {problem}"))?
            .to_std()
            .ok()
            .filter(|period| !period.is_zero() && *period <= MAX_PERIOD)
            .ok_or_else(|| format!("`{text}`: the period must be between 1s and 1d"))?;
        Ok(Self { limit, period })
    }
}

impl fmt::Display for RateWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let period = chrono::Duration::from_std(self.period).unwrap_or_default();
        write!(
            f,
            "{}/{}",
            self.limit,
            super::schedule::format_duration(period)
        )
    }
}

/// The windows one sender must stay within, shortest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatePolicy {
    windows: Vec<RateWindow>,
    /// Added to every window's period when deriving its GCRA: messages
    /// spaced for `period + margin` still fit `period` when the network
    /// delivers some of them up to `margin` late (the channel counts arrivals).
    margin: Duration,
}

impl RatePolicy {
    pub fn new(mut windows: Vec<RateWindow>) -> Result<Self, String> {
        if windows.is_empty() {
            return Err("a rate limit needs at least one window".to_owned());
        }
        if windows.len() > MAX_WINDOWS {
            return Err(format!("a rate limit has at most {MAX_WINDOWS} windows"));
        }
        windows.sort_by_key(|window| window.period);
        if windows
            .windows(2)
            .any(|pair| pair[0].period == pair[1].period)
        {
            return Err("two windows of a rate limit have the same period".to_owned());
        }
        Ok(Self {
            windows,
            margin: Duration::ZERO,
        })
    }

    /// The same windows, kept with a margin for network jitter.
    pub fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Reads a list such as `["7/1s", "8/2s", "60/30s", "1800/1h"]`.
    pub fn parse<S: AsRef<str>>(windows: &[S]) -> Result<Self, String> {
        let windows = windows
            .iter()
            .map(|window| RateWindow::parse(window.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(windows)
    }

    pub fn windows(&self) -> &[RateWindow] {
        &self.windows
    }

    /// The longest window: after it, nothing sent before counts any more.
    pub fn longest(&self) -> Duration {
        self.windows.last().map_or(Duration::ZERO, |w| w.period)
    }

    /// GCRA parameters per window for a sender that may send in bursts (a
    /// conversation): see the module's documentation.
    pub fn bursty(&self) -> Vec<Gcra> {
        let mut shorter_limit = u32::MAX;
        self.windows
            .iter()
            .map(|window| {
                let burst = window.limit.div_ceil(2).min(shorter_limit);
                shorter_limit = window.limit;
                Gcra::for_window(*window, burst, self.margin)
            })
            .collect()
    }

    /// GCRA parameters per window for a steady sender (the global budget):
    /// a small burst, nearly the full sustained rate.
    pub fn steady(&self) -> Vec<Gcra> {
        self.windows
            .iter()
            .map(|window| Gcra::for_window(*window, window.limit.div_ceil(50), self.margin))
            .collect()
    }
}

/// What delivery must stay within: each channel's per-conversation policy, one
/// for channels not listed, and the bot's global budget over all conversations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryPolicy {
    channels: BTreeMap<String, RatePolicy>,
    other_channels: RatePolicy,
    global: RatePolicy,
}

impl DeliveryPolicy {
    /// Every policy is kept with `margin` for network jitter.
    pub fn new(
        channels: BTreeMap<String, RatePolicy>,
        other_channels: RatePolicy,
        global: RatePolicy,
        margin: Duration,
    ) -> Self {
        Self {
            channels: channels
                .into_iter()
                .map(|(name, policy)| (name, policy.with_margin(margin)))
                .collect(),
            other_channels: other_channels.with_margin(margin),
            global: global.with_margin(margin),
        }
    }

    /// The per-conversation policy of a channel (by `channelId`).
    pub fn conversation(&self, channel_id: &str) -> &RatePolicy {
        self.channels
            .get(channel_id)
            .unwrap_or(&self.other_channels)
    }

    /// The policies of the channels listed, and the one for any other.
    pub fn channels(&self) -> impl Iterator<Item = (&str, &RatePolicy)> {
        self.channels
            .iter()
            .map(|(name, policy)| (name.as_str(), policy))
    }

    pub fn other_channels(&self) -> &RatePolicy {
        &self.other_channels
    }

    /// Every proactive message of the bot, all conversations together.
    pub fn global(&self) -> &RatePolicy {
        &self.global
    }
}

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

/// The most instants of `times` (sorted) that fall in one half-open window
/// `[t, t + period)`: what a channel counting a sliding window sees.
pub fn busiest_window(times: &[i64], period: i64) -> usize {
    let mut start = 0;
    let mut most = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= period {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;

    fn teams() -> RatePolicy {
        RatePolicy::parse(&["7/1s", "8/2s", "60/30s", "1800/1h"]).unwrap()
    }

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
    fn windows_read_as_count_per_period() {
        assert_eq!(
            RateWindow::parse("1800/1h"),
            Ok(RateWindow {
                limit: 1800,
                period: Duration::from_secs(3600)
            })
        );
        assert_eq!(RateWindow::parse("7/1s").unwrap().to_string(), "7/1s");
        for bad in ["7", "0/1s", "-1/1s", "7/0s", "7/2d", "x/1s", "7/1y", "7/"] {
            assert!(RateWindow::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn policies_are_sorted_and_refuse_nonsense() {
        let policy = RatePolicy::parse(&["60/30s", "7/1s"]).unwrap();
        assert_eq!(policy.windows()[0].limit, 7);
        assert_eq!(policy.longest(), Duration::from_secs(30));
        assert!(RatePolicy::parse::<&str>(&[]).is_err());
        assert!(RatePolicy::parse(&["7/1s", "9/1s"]).is_err());
        assert!(RatePolicy::parse(&["1/1s"; 9]).is_err());
    }

    #[test]
    fn teams_parameters_leave_every_window_within_its_limit() {
        let cells = teams().bursty();
        let bursts: Vec<u32> = cells.iter().map(|cell| cell.burst).collect();
        assert_eq!(bursts, vec![4, 4, 8, 60]);
        assert_eq!(cells[0].emission, Duration::from_millis(250));
        assert_eq!(cells[1].emission, Duration::from_millis(400));
        // Over two hours of sending as fast as allowed, with 1 ms steps.
        let sent = greedy(&cells, 2_000, 7_200_000_000);
        for window in teams().windows() {
            let period = i64::try_from(window.period.as_micros()).unwrap();
            let most = busiest_window(&sent, period);
            assert!(
                most <= window.limit as usize,
                "{most} messages in one {window} window"
            );
        }
        // Close to what the hourly limit allows: 1,800 an hour…
        let last_hour = sent.iter().filter(|t| **t >= 3_600_000_000).count();
        assert!(last_hour >= 1_730, "only {last_hour} in the second hour");
        // …and a backlog of 40 goes at the short windows' pace, not the hour's.
        assert!(sent[39] < 25_000_000, "the 40th after {} µs", sent[39]);
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
    fn a_limit_of_one_spaces_messages_by_the_whole_period() {
        let cells = RatePolicy::parse(&["1/1s"]).unwrap().bursty();
        assert_eq!(cells[0].emission, Duration::from_secs(1));
        let sent = greedy(&cells, 1_000, 5_000_000);
        assert_eq!(sent, vec![0, 1_000_000, 2_000_000, 3_000_000, 4_000_000]);
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
    fn with_a_margin_messages_arriving_late_still_fit() {
        let margin = Duration::from_millis(100);
        let cells = teams().with_margin(margin).bursty();
        let sent = greedy(&cells, 1_000, 120_000_000);
        // Every window widened by the margin holds its limit, so any message
        // delayed by up to the margin cannot crowd a window at the channel.
        for window in teams().windows() {
            let period = i64::try_from((window.period + margin).as_micros()).unwrap();
            assert!(
                busiest_window(&sent, period) <= window.limit as usize,
                "{window}"
            );
        }
    }

    #[test]
    fn a_denied_cell_says_when_it_would_be_admitted() {
        let cell = RatePolicy::parse(&["1/1s"]).unwrap().bursty()[0];
        let tat = cell.admit(None, 0).unwrap();
        assert_eq!(cell.admit(Some(tat), 10), Err(1_000_000));
        assert_eq!(cell.admit(Some(tat), 1_000_000), Ok(2_000_000));
    }

    #[test]
    fn unknown_channels_get_the_policy_for_other_channels() {
        let policy = DeliveryPolicy::new(
            BTreeMap::from([("msteams".to_owned(), teams())]),
            RatePolicy::parse(&["1/1s"]).unwrap(),
            RatePolicy::parse(&["30/1s"]).unwrap(),
            Duration::ZERO,
        );
        assert_eq!(policy.conversation("msteams"), &teams());
        assert_eq!(policy.conversation("slack").windows()[0].limit, 1);
    }

    #[test]
    fn the_busiest_window_counts_half_open_intervals() {
        assert_eq!(busiest_window(&[0, 999, 1000, 1500], 1000), 3);
        assert_eq!(busiest_window(&[], 1000), 0);
        assert_eq!(busiest_window(&[5, 5, 5], 1), 3);
    }
}
