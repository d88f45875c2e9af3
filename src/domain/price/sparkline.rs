//! A price trend in a few characters: one Unicode block per price, from `▁`
//! (the lowest shown) to `█` (the highest).

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The trend of `prices`, oldest first (empty for fewer than two).
pub fn sparkline(prices: &[Decimal]) -> String {
    if prices.len() < 2 {
        return String::new();
    }
    let low = prices.iter().copied().fold(prices[0], Decimal::min);
    let high = prices.iter().copied().fold(prices[0], Decimal::max);
    let span = high - low;
    prices
        .iter()
        .map(|price| {
            if span.is_zero() {
                return BLOCKS[3];
            }
            // A ratio in [0, 1]: losing precision here only moves a block.
            let ratio = ((*price - low) / span).to_f64().unwrap_or(0.0);
            let at = (ratio * (BLOCKS.len() - 1) as f64).round() as usize;
            BLOCKS[at.min(BLOCKS.len() - 1)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prices(values: &[i64]) -> Vec<Decimal> {
        values.iter().map(|v| Decimal::from(*v)).collect()
    }

    #[test]
    fn the_trend_spans_the_blocks() {
        assert_eq!(
            sparkline(&prices(&[10, 20, 30, 40, 50, 60, 70, 80])),
            "▁▂▃▄▅▆▇█"
        );
        assert_eq!(sparkline(&prices(&[80, 10])), "█▁");
        assert_eq!(sparkline(&prices(&[5, 5, 5])), "▄▄▄");
        assert_eq!(sparkline(&prices(&[5])), "");
    }
}
