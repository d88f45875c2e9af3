//! Rate-limit policy: how many messages a channel accepts in each sliding
//! window, and the two ways Herald keeps within it.
//!
//! Per conversation, exactly (`sliding`): a log of the conversation's recent
//! send instants, and a message goes when every window, widened by the jitter
//! margin, holds fewer than its limit. A backlog then goes as fast as the
//! channel's windows allow and never faster.
//!
//! For the bot's global budget, a GCRA per window (`gcra`): one number of
//! state per window instead of a log of thousands of sends a second, derived
//! so that no window can hold more than its limit, with a small burst and
//! 98% of the sustained rate, which is what matters there.

mod gcra;
mod sliding;

pub use gcra::Gcra;
pub use sliding::{SendLog, SlidingWindows};

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
    /// Added to every window's period: messages spaced for `period + margin`
    /// still fit `period` when the network delivers some of them up to
    /// `margin` late (the channel counts arrivals).
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

    /// The exact sliding windows of a sender that may send in bursts (a
    /// conversation), each widened by the margin.
    pub fn sliding(&self) -> SlidingWindows {
        SlidingWindows::new(&self.windows, self.margin)
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

    /// Every channel's exact per-conversation windows.
    pub fn conversation_windows(&self) -> ChannelWindows {
        let channels: BTreeMap<String, SlidingWindows> = self
            .channels
            .iter()
            .map(|(name, policy)| (name.clone(), policy.sliding()))
            .collect();
        let other_channels = self.other_channels.sliding();
        let longest_span = channels
            .values()
            .chain([&other_channels])
            .map(SlidingWindows::span_micros)
            .max()
            .unwrap_or(0);
        ChannelWindows {
            channels,
            other_channels,
            longest_span,
        }
    }
}

/// The exact windows of a conversation of each channel.
#[derive(Debug, Clone)]
pub struct ChannelWindows {
    channels: BTreeMap<String, SlidingWindows>,
    other_channels: SlidingWindows,
    longest_span: i64,
}

impl ChannelWindows {
    /// The windows of a conversation of `channel_id`.
    pub fn of(&self, channel_id: &str) -> &SlidingWindows {
        self.channels
            .get(channel_id)
            .unwrap_or(&self.other_channels)
    }

    /// The longest any conversation's send counts in a window (µs): older
    /// sends can be forgotten.
    pub fn longest_span(&self) -> i64 {
        self.longest_span
    }
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

    pub(super) fn teams() -> RatePolicy {
        RatePolicy::parse(&["7/1s", "8/2s", "60/30s", "1800/1h"]).unwrap()
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
    fn unknown_channels_get_the_policy_for_other_channels() {
        let policy = DeliveryPolicy::new(
            BTreeMap::from([("msteams".to_owned(), teams())]),
            RatePolicy::parse(&["1/1s"]).unwrap(),
            RatePolicy::parse(&["30/1s"]).unwrap(),
            Duration::ZERO,
        );
        assert_eq!(
            policy.conversation("msteams"),
            &teams().with_margin(Duration::ZERO)
        );
        assert_eq!(policy.conversation("slack").windows()[0].limit, 1);
    }

    #[test]
    fn the_busiest_window_counts_half_open_intervals() {
        assert_eq!(busiest_window(&[0, 999, 1000, 1500], 1000), 3);
        assert_eq!(busiest_window(&[], 1000), 0);
        assert_eq!(busiest_window(&[5, 5, 5], 1), 3);
    }
}
