//! Price watches: what a person asked to be told about a price (`below X`,
//! `above X`, `drops N%`, `rises N%`, `changes by N%`, a new low), how a
//! watch's state moves as prices arrive, and the small sparkline an alert
//! carries. Prices are decimals, never binary floats. Pure: no I/O, `now` is
//! an argument.

pub mod command;
mod problem;
mod rule;
mod sparkline;
mod watch;

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use problem::FetchError;
pub use rule::{Alert, Evaluation, RearmPolicy, WatchState, evaluate};
pub use sparkline::sparkline;
pub use watch::{NewWatch, WatchId, WatchRecord, WatchStatus, WatchUpdate};

/// The largest price Herald keeps (and the most decimal places it reads).
const MAX_PRICE: i64 = 1_000_000_000_000;
const MAX_SCALE: u32 = 12;

/// What a watch waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Rule {
    /// The price falls below this.
    Below { price: Decimal },
    /// The price rises above this.
    Above { price: Decimal },
    /// The price falls by this percentage from the base.
    Drops { percent: Decimal },
    /// The price rises by this percentage from the base.
    Rises { percent: Decimal },
    /// The price moves either way by this percentage from the base.
    Changes { percent: Decimal },
    /// The price is the lowest since the watch started.
    NewLow,
}

impl Rule {
    /// Whether the rule needs a base price (the price when it was set).
    pub fn is_relative(self) -> bool {
        matches!(
            self,
            Self::Drops { .. } | Self::Rises { .. } | Self::Changes { .. } | Self::NewLow
        )
    }
}

/// Why a price or percentage was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("not a number")]
    NotANumber,
    #[error("must be more than zero")]
    NotPositive,
    #[error("too large")]
    TooLarge,
    #[error("too many decimal places")]
    TooPrecise,
}

/// Reads a price as a person or a system writes it: `30000`, `19.90`,
/// `19,90` (a decimal comma), `30 000`, `30_000`; `$`, `€` and the like are
/// left to the currency.
pub fn parse_price(text: &str) -> Result<Decimal, AmountError> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '\u{a0}' | '\u{202f}' | '$' | '€' | '£' | 'R'))
        .collect();
    // One comma and no dot: a decimal comma. Otherwise commas group thousands.
    let normalised = if cleaned.matches(',').count() == 1 && !cleaned.contains('.') {
        cleaned.replace(',', ".")
    } else {
        cleaned.replace(',', "")
    };
    if normalised.is_empty()
        || !normalised.chars().all(|c| c.is_ascii_digit() || c == '.')
        || normalised.matches('.').count() > 1
    {
        return Err(AmountError::NotANumber);
    }
    let value = Decimal::from_str(&normalised).map_err(|_| AmountError::NotANumber)?;
    checked(value)
}

/// A price given as a JSON number or decimal string by an external system.
pub fn checked(value: Decimal) -> Result<Decimal, AmountError> {
    if value <= Decimal::ZERO {
        return Err(AmountError::NotPositive);
    }
    if value > Decimal::from(MAX_PRICE) {
        return Err(AmountError::TooLarge);
    }
    if value.scale() > MAX_SCALE {
        return Err(AmountError::TooPrecise);
    }
    Ok(value.normalize())
}

/// A percentage of a relative rule: above 0, at most 1,000.
pub fn parse_percent(text: &str) -> Result<Decimal, AmountError> {
    let value = parse_price(text.trim().trim_end_matches('%'))?;
    if value > Decimal::from(1000) {
        return Err(AmountError::TooLarge);
    }
    Ok(value)
}

/// A price as shown: its digits, with the currency when known (`29,500.5 USD`
/// is written `29500.5 USD`: no locale-dependent grouping in messages).
pub fn show(price: Decimal, currency: Option<&str>) -> String {
    let digits = price.normalize().to_string();
    match currency {
        Some(currency) => format!("{digits} {}", currency.to_uppercase()),
        None => digits,
    }
}

/// The change from `base` to `price`, in percent, to one decimal place.
pub fn change_percent(base: Decimal, price: Decimal) -> Decimal {
    if base.is_zero() {
        return Decimal::ZERO;
    }
    ((price - base) / base * Decimal::from(100)).round_dp(1)
}

/// A source or symbol name: short, printable, no spaces, no path tricks.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        && !name.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn prices_read_as_people_write_them() {
        assert_eq!(parse_price("30000"), Ok(d("30000")));
        assert_eq!(parse_price("19.90"), Ok(d("19.9")));
        assert_eq!(parse_price("19,90"), Ok(d("19.9")));
        assert_eq!(parse_price("30,000.50"), Ok(d("30000.5")));
        assert_eq!(parse_price("30 000"), Ok(d("30000")));
        assert_eq!(parse_price("$42"), Ok(d("42")));
        assert_eq!(parse_price("0"), Err(AmountError::NotPositive));
        assert_eq!(parse_price("-3"), Err(AmountError::NotANumber));
        assert_eq!(parse_price("1e5"), Err(AmountError::NotANumber));
        assert_eq!(parse_price("1.2.3"), Err(AmountError::NotANumber));
        assert_eq!(parse_price("99999999999999"), Err(AmountError::TooLarge));
        assert_eq!(parse_price("0.0000000000001"), Err(AmountError::TooPrecise));
        assert_eq!(parse_percent("20%"), Ok(d("20")));
        assert_eq!(parse_percent("2000"), Err(AmountError::TooLarge));
    }

    #[test]
    fn names_are_short_and_plain() {
        assert!(valid_name("coingecko"));
        assert!(valid_name("sku-123"));
        assert!(!valid_name("../etc"));
        assert!(!valid_name("a b"));
        assert!(!valid_name(""));
        assert!(!valid_name(&"x".repeat(65)));
    }

    #[test]
    fn rules_are_stored_as_tagged_json() {
        let rule = Rule::Below { price: d("30000") };
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(json, r#"{"kind":"below","price":"30000"}"#);
        assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), rule);
        assert_eq!(change_percent(d("100"), d("80")), d("-20"));
        assert_eq!(show(d("19.90"), Some("usd")), "19.9 USD");
    }
}
