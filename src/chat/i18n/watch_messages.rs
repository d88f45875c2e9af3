//! The `Say`s of price watches and of settings (time zone, language, quiet
//! hours) as Fluent messages, their data escaped as in `messages`.

use super::catalog::Fluent;
use super::{Say, WatchProblem, ZoneSource, in_code, plain, shorten};

impl Fluent {
    pub(super) fn price_message(&self, what: Say<'_>) -> String {
        let reason = |reason: &str| plain(&shorten(reason, 120));
        match what {
            Say::PriceAlert {
                symbol,
                source,
                price,
                rule,
                change,
                base,
                sparkline,
            } => {
                let args = [
                    ("symbol", plain(symbol).into()),
                    ("source", plain(source).into()),
                    ("price", price.into()),
                    ("rule", rule.into()),
                    ("change", change.into()),
                    ("base", base.into()),
                ];
                let mut text = self.text("price-alert", &args);
                if !sparkline.is_empty() {
                    text.push_str("\n\n");
                    text.push_str(sparkline);
                }
                text
            }
            Say::SourceStalled {
                source,
                symbol,
                watch,
                reason: why,
            } => self.watched("source-stalled", source, symbol, watch, Some(reason(why))),
            Say::SymbolUnpriced {
                source,
                symbol,
                watch,
                reason: why,
            } => self.watched("symbol-unpriced", source, symbol, watch, Some(reason(why))),
            Say::SourceRecovered {
                source,
                symbol,
                watch,
            } => self.watched("source-recovered", source, symbol, watch, None),
            Say::SymbolPricedAgain {
                source,
                symbol,
                watch,
            } => self.watched("symbol-priced-again", source, symbol, watch, None),
            Say::WatchSet {
                id,
                symbol,
                source,
                rule,
                now,
            } => {
                let now = now.map_or(String::new(), |now| {
                    self.text("watch-set-now", &[("now", now.into())])
                });
                let args = [
                    ("id", id.to_string().into()),
                    ("symbol", plain(symbol).into()),
                    ("source", plain(source).into()),
                    ("rule", rule.into()),
                    ("now", now.into()),
                ];
                self.text("watch-set", &args)
            }
            Say::WatchRefused { problem } => match problem {
                WatchProblem::Unclear => self.text("watch-unclear", &[]),
                WatchProblem::UnknownSource { source, known: "" } => self.text(
                    "watch-no-sources",
                    &[("source", plain(&shorten(source, 40)).into())],
                ),
                WatchProblem::UnknownSource { source, known } => {
                    let args = [
                        ("source", plain(&shorten(source, 40)).into()),
                        ("known", plain(known).into()),
                    ];
                    self.text("watch-unknown-source", &args)
                }
                WatchProblem::NoPrice {
                    source,
                    symbol,
                    reason: why,
                } => {
                    let args = [
                        ("source", plain(source).into()),
                        ("symbol", plain(&shorten(symbol, 40)).into()),
                        ("reason", reason(why).into()),
                    ];
                    self.text("watch-no-price", &args)
                }
                WatchProblem::NeedsBase { source, symbol } => {
                    let args = [
                        ("source", plain(source).into()),
                        ("symbol", plain(symbol).into()),
                    ];
                    self.text("watch-needs-base", &args)
                }
            },
            Say::NoWatches => self.text("no-watches", &[]),
            Say::Watches { count } => self.text("watches", &[("count", count.into())]),
            Say::WatchLine {
                id,
                symbol,
                source,
                rule,
                last,
                stalled,
                owner,
            } => {
                let last = last.map_or(String::new(), |p| {
                    self.text("watch-line-last", &[("last", p.into())])
                });
                let stalled = if stalled {
                    self.text("watch-line-stalled", &[])
                } else {
                    String::new()
                };
                let owner = owner.map_or(String::new(), |o| {
                    self.text("line-owner", &[("owner", plain(o).into())])
                });
                let args = [
                    ("id", id.to_string().into()),
                    ("symbol", plain(symbol).into()),
                    ("source", plain(source).into()),
                    ("rule", rule.into()),
                    ("last", last.into()),
                    ("stalled", stalled.into()),
                    ("owner", owner.into()),
                ];
                self.text("watch-line", &args)
            }
            Say::NoSuchWatch { id } => {
                self.text("no-such-watch", &[("id", plain(&shorten(id, 24)).into())])
            }
            Say::NotYourWatch { id, owner } => self.text(
                "not-your-watch",
                &[
                    ("id", id.to_string().into()),
                    ("owner", plain(owner).into()),
                ],
            ),
            Say::Unwatched { id } => self.text("unwatched", &[("id", id.to_string().into())]),
            Say::WatchLimit(reached) => self.limit("watch", reached),
            // `message` sends only the watches' here.
            _ => String::new(),
        }
    }

    /// What one watch is told when its source or symbol fails or recovers;
    /// `reason` (escaped already) when it failed.
    fn watched(
        &self,
        id: &str,
        source: &str,
        symbol: &str,
        watch: i64,
        reason: Option<String>,
    ) -> String {
        let mut args = vec![
            ("source", plain(source).into()),
            ("symbol", plain(symbol).into()),
            ("watch", watch.to_string().into()),
        ];
        if let Some(reason) = reason {
            args.push(("reason", reason.into()));
        }
        self.text(id, &args)
    }

    pub(super) fn setting_message(&self, what: Say<'_>) -> String {
        match what {
            Say::TimezoneSet { zone } => self.text("timezone-set", &[("zone", zone.into())]),
            Say::TimezoneIs { zone, source } => {
                let source = match source {
                    ZoneSource::Setting => "setting",
                    ZoneSource::Channel => "channel",
                    ZoneSource::Default => "default",
                };
                self.text(
                    "timezone-is",
                    &[("zone", zone.into()), ("source", source.into())],
                )
            }
            Say::TimezoneUnknown { typed, suggestions } => {
                let suggestions = if suggestions.is_empty() {
                    String::new()
                } else {
                    let zones: Vec<String> = suggestions
                        .iter()
                        .map(|s| format!("`{}`", in_code(s)))
                        .collect();
                    self.text(
                        "timezone-suggestions",
                        &[("zones", zones.join(", ").into())],
                    )
                };
                let args = [
                    ("typed", plain(&shorten(typed, 40)).into()),
                    ("suggestions", suggestions.into()),
                ];
                self.text("timezone-unknown", &args)
            }
            Say::LanguageSet => self.text("language-set", &[]),
            Say::LanguageUnknown { typed } => self.text(
                "language-unknown",
                &[("typed", plain(&shorten(typed, 20)).into())],
            ),
            Say::QuietSet { from, to } => {
                self.text("quiet-set", &[("from", from.into()), ("to", to.into())])
            }
            Say::QuietOff => self.text("quiet-off", &[]),
            Say::QuietInvalid => self.text("quiet-invalid", &[]),
            Say::OffsetMismatch {
                offset,
                zone,
                suggestions,
            } => {
                let suggestions = if suggestions.is_empty() {
                    String::new()
                } else {
                    let commands: Vec<String> = suggestions
                        .iter()
                        .map(|s| self.text("offset-suggestion", &[("zone", in_code(s).into())]))
                        .collect();
                    let or = format!(" {} ", self.text("list-or", &[]));
                    self.text(
                        "offset-suggestions",
                        &[("commands", commands.join(&or).into())],
                    )
                };
                let args = [
                    ("offset", offset.into()),
                    ("zone", zone.into()),
                    ("suggestions", suggestions.into()),
                ];
                self.text("offset-mismatch", &args)
            }
            Say::ForgetQuestion => self.text("forget-question", &[]),
            Say::ForgetYes => self.text("forget-yes", &[]),
            Say::ForgetNo => self.text("forget-no", &[]),
            Say::ForgetCancelled => self.text("forget-cancelled", &[]),
            Say::ForgetDone { items, channel } => {
                // Only what a channel id is made of, so the code span holds.
                let channel: String = channel
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .take(40)
                    .collect();
                let args = [("items", items.into()), ("channel", channel.into())];
                self.text("forget-done", &args)
            }
            // `message` sends only the settings' here.
            _ => String::new(),
        }
    }
}
