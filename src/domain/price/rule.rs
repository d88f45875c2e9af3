//! How a watch moves as prices arrive. By default a watch alerts once and is
//! done. With `repeat` it alerts, then waits until the price has crossed back
//! by the hysteresis margin before it may alert again, and never alerts more
//! often than the cooldown allows — so a price wobbling around the threshold
//! does not set off a storm of alerts.

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

use super::Rule;

/// When a repeating watch may alert again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RearmPolicy {
    /// How far back across the threshold the price must go, as a fraction
    /// of it (0.01: 1%).
    pub hysteresis: Decimal,
    /// The least time between two alerts of one watch.
    pub cooldown: Duration,
}

/// What a watch remembers between prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchState {
    /// The price relative rules compare with.
    pub base: Decimal,
    /// The lowest price seen since the watch started.
    pub low: Decimal,
    /// Whether it may alert (a repeating watch disarms after alerting).
    pub armed: bool,
    pub last_alert_at: Option<DateTime<Utc>>,
}

/// What crossed what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alert {
    pub price: Decimal,
    /// The price the rule compared with (`below 30000`: 30000; `drops 20%`
    /// from 100: 80; a new low: the previous low).
    pub threshold: Decimal,
    pub base: Decimal,
}

/// What one price did to a watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub alert: Option<Alert>,
    pub state: WatchState,
    /// The watch is done (a one-time watch that alerted).
    pub finished: bool,
}

pub fn evaluate(
    rule: Rule,
    repeat: bool,
    state: WatchState,
    price: Decimal,
    now: DateTime<Utc>,
    policy: RearmPolicy,
) -> Evaluation {
    let hundred = Decimal::from(100);
    let one = Decimal::ONE;
    let (hit, threshold) = match rule {
        Rule::Below { price: limit } => (price < limit, limit),
        Rule::Above { price: limit } => (price > limit, limit),
        Rule::Drops { percent } => {
            let limit = state.base * (one - percent / hundred);
            (price <= limit, limit)
        }
        Rule::Rises { percent } => {
            let limit = state.base * (one + percent / hundred);
            (price >= limit, limit)
        }
        Rule::Changes { percent } => {
            let moved = ((price - state.base) / state.base).abs() * hundred;
            let limit = if price < state.base {
                state.base * (one - percent / hundred)
            } else {
                state.base * (one + percent / hundred)
            };
            (moved >= percent, limit)
        }
        Rule::NewLow => (price < state.low, state.low),
    };
    let mut next = state;
    next.low = state.low.min(price);
    let cooled = state
        .last_alert_at
        .is_none_or(|at| now - at >= policy.cooldown);
    if hit && state.armed && (cooled || !repeat) {
        next.last_alert_at = Some(now);
        // A new low re-arms by itself: the next lower price is news.
        next.armed = repeat && rule == Rule::NewLow;
        return Evaluation {
            alert: Some(Alert {
                price,
                threshold,
                base: state.base,
            }),
            state: next,
            finished: !repeat,
        };
    }
    if !state.armed && repeat && crossed_back(rule, state, price, policy.hysteresis) {
        next.armed = true;
    }
    Evaluation {
        alert: None,
        state: next,
        finished: false,
    }
}

/// Whether the price went back across the threshold by the margin.
fn crossed_back(rule: Rule, state: WatchState, price: Decimal, margin: Decimal) -> bool {
    let hundred = Decimal::from(100);
    let one = Decimal::ONE;
    match rule {
        Rule::Below { price: limit } => price >= limit * (one + margin),
        Rule::Above { price: limit } => price <= limit * (one - margin),
        Rule::Drops { percent } => price >= state.base * (one - percent / hundred) * (one + margin),
        Rule::Rises { percent } => price <= state.base * (one + percent / hundred) * (one - margin),
        Rule::Changes { percent } => {
            let moved = ((price - state.base) / state.base).abs() * hundred;
            moved <= percent * (one - margin)
        }
        Rule::NewLow => true,
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn start() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    const POLICY: RearmPolicy = RearmPolicy {
        hysteresis: Decimal::from_parts(1, 0, 0, false, 2),
        cooldown: Duration::minutes(10),
    };

    fn fresh(base: &str) -> WatchState {
        WatchState {
            base: d(base),
            low: d(base),
            armed: true,
            last_alert_at: None,
        }
    }

    /// Feeds prices a minute apart; returns the prices that alerted.
    fn run(
        rule: Rule,
        repeat: bool,
        base: &str,
        prices: &[&str],
        minutes_apart: i64,
    ) -> Vec<String> {
        let mut state = fresh(base);
        let mut alerts = Vec::new();
        for (i, price) in prices.iter().enumerate() {
            let now = start() + Duration::minutes(minutes_apart * i as i64);
            let evaluation = evaluate(rule, repeat, state, d(price), now, POLICY);
            if let Some(alert) = evaluation.alert {
                alerts.push(alert.price.to_string());
            }
            state = evaluation.state;
            if evaluation.finished {
                break;
            }
        }
        alerts
    }

    #[test]
    fn each_rule_fires_when_its_line_is_crossed() {
        assert_eq!(
            run(
                Rule::Below { price: d("30000") },
                false,
                "32000",
                &["31000", "30000", "29999.99"],
                1
            ),
            ["29999.99"]
        );
        assert_eq!(
            run(
                Rule::Above { price: d("200") },
                false,
                "190",
                &["199", "200", "200.5"],
                1
            ),
            ["200.5"]
        );
        assert_eq!(
            run(
                Rule::Drops { percent: d("20") },
                false,
                "100",
                &["90", "80.01", "80"],
                1
            ),
            ["80"]
        );
        assert_eq!(
            run(
                Rule::Rises { percent: d("10") },
                false,
                "100",
                &["105", "110"],
                1
            ),
            ["110"]
        );
        assert_eq!(
            run(
                Rule::Changes { percent: d("5") },
                false,
                "100",
                &["103", "94.9"],
                1
            ),
            ["94.9"]
        );
        assert_eq!(
            run(Rule::Changes { percent: d("5") }, false, "100", &["105"], 1),
            ["105"]
        );
        assert_eq!(
            run(Rule::NewLow, false, "100", &["101", "100", "99.5"], 1),
            ["99.5"]
        );
    }

    #[test]
    fn a_one_time_watch_alerts_once_and_finishes() {
        let evaluation = evaluate(
            Rule::Below { price: d("10") },
            false,
            fresh("12"),
            d("9"),
            start(),
            POLICY,
        );
        assert!(evaluation.alert.is_some());
        assert!(evaluation.finished);
    }

    #[test]
    fn an_oscillating_price_does_not_cause_a_storm() {
        // Around 30000, an hour apart (beyond the cooldown): alerts only when
        // the price came back above 30300 (1%) in between.
        let prices = [
            "29990", "30010", "29990", "30010", "29990", "30400", "29900", "30100", "29950",
        ];
        let alerts = run(
            Rule::Below { price: d("30000") },
            true,
            "31000",
            &prices,
            60,
        );
        assert_eq!(alerts, ["29990", "29900"]);
    }

    #[test]
    fn a_rearmed_watch_still_waits_for_the_cooldown() {
        // A minute apart: re-armed by 30400, but the second alert waits until
        // ten minutes after the first.
        let mut prices = vec!["29990", "30400", "29900"];
        prices.extend(["29800"; 8]);
        let alerts = run(Rule::Below { price: d("30000") }, true, "31000", &prices, 1);
        assert_eq!(alerts, ["29990", "29800"]);
    }

    #[test]
    fn repeating_relative_watches_keep_their_base() {
        let alerts = run(
            Rule::Drops { percent: d("10") },
            true,
            "100",
            &["89", "95", "99.9", "88"],
            60,
        );
        // Re-armed only above 90 × 1.01 = 90.9.
        assert_eq!(alerts, ["89", "88"]);
        let lows = run(Rule::NewLow, true, "100", &["99", "98", "98.5", "97"], 60);
        assert_eq!(lows, ["99", "98", "97"]);
    }
}
