//! Delivery's Prometheus metrics: messages sent, retried, throttled,
//! dead-lettered and found unreachable, per channel, and the delivery lag
//! (queued → accepted by the channel). `/metrics` encodes them.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Duration;

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelLabel {
    channel: String,
}

/// Who held a message back.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub enum ThrottledBy {
    /// Herald's own send budget (the message waited; the channel saw nothing).
    Herald,
    /// The channel answered 429.
    Channel,
}

impl EncodeLabelValue for ThrottledBy {
    fn encode(&self, encoder: &mut LabelValueEncoder<'_>) -> Result<(), std::fmt::Error> {
        encoder.write_str(match self {
            Self::Herald => "herald",
            Self::Channel => "channel",
        })
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ThrottledLabels {
    channel: String,
    by: ThrottledBy,
}

pub struct DeliveryMetrics {
    /// Channel names used as labels as they are; any other is `other`, so a
    /// made-up channel id cannot grow the label set.
    known_channels: BTreeSet<String>,
    sent: Family<ChannelLabel, Counter>,
    retried: Family<ChannelLabel, Counter>,
    throttled: Family<ThrottledLabels, Counter>,
    dead: Family<ChannelLabel, Counter>,
    unreachable: Family<ChannelLabel, Counter>,
    lag: Family<ChannelLabel, Histogram>,
}

impl DeliveryMetrics {
    /// Registers the metrics in `registry`.
    pub fn register(
        registry: &mut Registry,
        known_channels: impl IntoIterator<Item = String>,
    ) -> Self {
        let metrics = Self {
            known_channels: known_channels.into_iter().collect(),
            sent: Family::default(),
            retried: Family::default(),
            throttled: Family::default(),
            dead: Family::default(),
            unreachable: Family::default(),
            // 10 ms to about 3 days.
            lag: Family::new_with_constructor(|| {
                Histogram::new(exponential_buckets(0.01, 4.0, 14))
            }),
        };
        registry.register(
            "herald_messages_sent",
            "Proactive messages the channel accepted",
            metrics.sent.clone(),
        );
        registry.register(
            "herald_messages_retried",
            "Proactive sends that failed and will be tried again",
            metrics.retried.clone(),
        );
        registry.register(
            "herald_messages_throttled",
            "Proactive messages held back by Herald's send budget or by the channel's 429",
            metrics.throttled.clone(),
        );
        registry.register(
            "herald_messages_dead_lettered",
            "Proactive messages given up on",
            metrics.dead.clone(),
        );
        registry.register(
            "herald_conversations_unreachable",
            "Conversations found unreachable (bot removed or blocked, conversation gone)",
            metrics.unreachable.clone(),
        );
        registry.register(
            "herald_delivery_lag_seconds",
            "From a message being queued to the channel accepting it",
            metrics.lag.clone(),
        );
        metrics
    }

    fn label(&self, channel: &str) -> ChannelLabel {
        let channel = if self.known_channels.contains(channel) {
            channel
        } else {
            "other"
        };
        ChannelLabel {
            channel: channel.to_owned(),
        }
    }

    pub fn sent(&self, channel: &str, lag: Duration) {
        let label = self.label(channel);
        self.lag.get_or_create(&label).observe(lag.as_secs_f64());
        self.sent.get_or_create(&label).inc();
    }

    pub fn retried(&self, channel: &str) {
        self.retried.get_or_create(&self.label(channel)).inc();
    }

    pub fn throttled(&self, channel: &str, by: ThrottledBy) {
        let ChannelLabel { channel } = self.label(channel);
        self.throttled
            .get_or_create(&ThrottledLabels { channel, by })
            .inc();
    }

    pub fn dead(&self, channel: &str) {
        self.dead.get_or_create(&self.label(channel)).inc();
    }

    pub fn unreachable(&self, channel: &str) {
        self.unreachable.get_or_create(&self.label(channel)).inc();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_channels_share_one_label() {
        let mut registry = Registry::default();
        let metrics = DeliveryMetrics::register(&mut registry, ["msteams".to_owned()]);
        metrics.sent("msteams", Duration::from_millis(20));
        metrics.dead("made-up-1");
        metrics.dead("made-up-2");
        metrics.throttled("msteams", ThrottledBy::Channel);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
        assert!(
            text.contains(r#"herald_messages_sent_total{channel="msteams"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"herald_messages_dead_lettered_total{channel="other"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"herald_messages_throttled_total{channel="msteams",by="channel"} 1"#),
            "{text}"
        );
        assert!(
            text.contains("herald_delivery_lag_seconds_bucket"),
            "{text}"
        );
    }
}
