//! Price watches in chat: set one (echoing how it was understood, after one
//! fetch proves the source knows the symbol), list them, stop one. A watch
//! belongs to whoever set it: others in the conversation see it listed but
//! cannot stop it.

use std::sync::Arc;

use super::asked::Asked;
use super::i18n::{Say, WatchProblem};
use super::owners::{OwnerNames, someone_elses};
use super::replies::Replies;
use crate::domain::command::JobRef;
use crate::domain::ports::{PersonStore, StoreError};
use crate::domain::price::{self, WatchId, WatchStatus, show};
use crate::prices::WatchOutcome;
use crate::service::Watches;

/// Watches a listing shows.
const LISTED: u32 = 25;

/// What the watch commands work with.
pub(super) struct WatchDesk {
    pub watches: Watches,
    /// Owners' names, for listings and refusals.
    pub people: Arc<dyn PersonStore>,
}

/// `watch …`: the request read, the watch set, and how it was understood said back.
pub(super) async fn set(
    desk: &WatchDesk,
    asked: &Asked<'_>,
    text: &str,
) -> Result<Replies, StoreError> {
    let speaker = asked.speaker;
    let request = match price::command::parse(text) {
        Some(Ok(request)) => request,
        Some(Err(_)) | None => {
            return Ok(Replies::one(speaker.say(Say::WatchRefused {
                problem: WatchProblem::Unclear,
            })));
        }
    };
    let source = request
        .source
        .as_deref()
        .unwrap_or(desk.watches.default_source())
        .to_owned();
    let set = desk
        .watches
        .set(
            asked.conversation,
            speaker.person(),
            asked.activity_id(),
            &request,
        )
        .await?;
    let reply = match set {
        WatchOutcome::Set { watch, current } => {
            let rule = speaker
                .catalog()
                .rule(&watch.rule, watch.currency.as_deref());
            let now = current.map(|price| show(price, watch.currency.as_deref()));
            speaker.say(Say::WatchSet {
                id: watch.id.0,
                symbol: &watch.symbol,
                source: &watch.source,
                rule: &rule,
                now: now.as_deref(),
            })
        }
        WatchOutcome::Replayed => return Ok(Replies::duplicate()),
        WatchOutcome::LimitReached(reached) => speaker.say(Say::WatchLimit(reached)),
        WatchOutcome::UnknownSource => {
            let known = desk.watches.source_names().join(", ");
            speaker.say(Say::WatchRefused {
                problem: WatchProblem::UnknownSource {
                    source: &source,
                    known: &known,
                },
            })
        }
        WatchOutcome::NoPrice(problem) => speaker.say(Say::WatchRefused {
            problem: WatchProblem::NoPrice {
                source: &source,
                symbol: &request.symbol,
                reason: &speaker.catalog().problem(&problem),
            },
        }),
        WatchOutcome::NeedsBase => speaker.say(Say::WatchRefused {
            problem: WatchProblem::NeedsBase {
                source: &source,
                symbol: &request.symbol,
            },
        }),
    };
    Ok(Replies::one(reply))
}

/// `watches`: the conversation's active watches, whoever set them.
pub(super) async fn list(desk: &WatchDesk, asked: &Asked<'_>) -> Result<Replies, StoreError> {
    let speaker = asked.speaker;
    let watches = desk.watches.list(asked.conversation, LISTED).await?;
    if watches.is_empty() {
        return Ok(Replies::one(speaker.say(Say::NoWatches)));
    }
    let mut names = OwnerNames::new(desk.people.as_ref(), speaker.person());
    let mut text = speaker.say(Say::Watches {
        count: watches.len(),
    });
    text.push_str("\n\n");
    for watch in &watches {
        let owner = names.of(watch.owner.as_ref()).await?;
        let rule = speaker
            .catalog()
            .rule(&watch.rule, watch.currency.as_deref());
        let last = watch
            .last_price
            .map(|price| show(price, watch.currency.as_deref()));
        text.push_str(&speaker.say(Say::WatchLine {
            id: watch.id.0,
            symbol: &watch.symbol,
            source: &watch.source,
            rule: &rule,
            last: last.as_deref(),
            stalled: watch.stalled,
            owner: owner.as_deref(),
        }));
        text.push('\n');
    }
    Ok(Replies::one(text.trim_end().to_owned()))
}

/// `unwatch N`: stops a watch of the speaker's own.
pub(super) async fn unwatch(
    desk: &WatchDesk,
    asked: &Asked<'_>,
    id: &JobRef,
) -> Result<Replies, StoreError> {
    let speaker = asked.speaker;
    let id = match id {
        JobRef::Id(id) => WatchId(id.get()),
        JobRef::OutOfRange(digits) => {
            return Ok(Replies::one(speaker.say(Say::NoSuchWatch { id: digits })));
        }
        JobRef::Missing => return Ok(Replies::one(speaker.say(Say::NoSuchWatch { id: "?" }))),
    };
    let watch = desk.watches.get(id).await?.filter(|watch| {
        watch.conversation == asked.conversation && watch.status == WatchStatus::Active
    });
    let Some(watch) = watch else {
        let id = id.to_string();
        return Ok(Replies::one(speaker.say(Say::NoSuchWatch { id: &id })));
    };
    if let Some(name) =
        someone_elses(desk.people.as_ref(), speaker.person(), watch.owner.as_ref()).await?
    {
        return Ok(Replies::one(speaker.say(Say::NotYourWatch {
            id: watch.id.0,
            owner: &name,
        })));
    }
    desk.watches.cancel(watch.id, asked.now).await?;
    Ok(Replies::one(speaker.say(Say::Unwatched { id: watch.id.0 })))
}
