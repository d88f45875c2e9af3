//! Price watches in chat: set one (echoing how it was understood, after one
//! fetch proves the source knows the symbol), list them, stop one. A watch
//! belongs to whoever set it: others in the conversation see it listed but
//! cannot stop it.

use super::bot::Bot;
use super::i18n::{Say, WatchProblem};
use super::owners::{OwnerNames, someone_elses};
use super::replies::Replies;
use super::speaker::Speaker;
use crate::botframework::inbound::InboundActivity;
use crate::domain::command::JobRef;
use crate::domain::conversation::ConversationKey;
use crate::domain::ports::StoreError;
use crate::domain::price::{self, WatchId, WatchStatus, show};
use crate::prices::{Asker, WatchOutcome};

/// Watches a listing shows.
const LISTED: u32 = 25;

impl Bot {
    pub(super) async fn set_watch(
        &self,
        inbound: &InboundActivity,
        conversation: ConversationKey,
        speaker: &Speaker,
        text: &str,
    ) -> Result<Replies, StoreError> {
        let request = match price::command::parse(text) {
            Some(Ok(request)) => request,
            Some(Err(_)) | None => {
                return Ok(Replies::one(speaker.say(Say::WatchRefused {
                    problem: WatchProblem::Unclear,
                })));
            }
        };
        let owner = speaker.person();
        let asker = Asker {
            conversation,
            owner,
            activity_id: inbound.activity.id.as_deref().filter(|id| !id.is_empty()),
            limits: self.settings.watch_limits,
        };
        let source = request
            .source
            .as_deref()
            .unwrap_or(self.prices.default_source())
            .to_owned();
        let reply = match self.prices.watch(asker, &request).await? {
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
                let known = self.prices.source_names().join(", ");
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

    pub(super) async fn list_watches(
        &self,
        conversation: ConversationKey,
        speaker: &Speaker,
    ) -> Result<Replies, StoreError> {
        let watches = self.store.list_watches(conversation, LISTED).await?;
        if watches.is_empty() {
            return Ok(Replies::one(speaker.say(Say::NoWatches)));
        }
        let mut names = OwnerNames::new(self.store.as_ref(), speaker.person());
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

    pub(super) async fn unwatch(
        &self,
        conversation: ConversationKey,
        speaker: &Speaker,
        id: &JobRef,
    ) -> Result<Replies, StoreError> {
        let id = match id {
            JobRef::Id(id) => WatchId(id.get()),
            JobRef::OutOfRange(digits) => {
                return Ok(Replies::one(speaker.say(Say::NoSuchWatch { id: digits })));
            }
            JobRef::Missing => return Ok(Replies::one(speaker.say(Say::NoSuchWatch { id: "?" }))),
        };
        let watch = self.store.watch(id).await?.filter(|watch| {
            watch.conversation == conversation && watch.status == WatchStatus::Active
        });
        let Some(watch) = watch else {
            let id = id.to_string();
            return Ok(Replies::one(speaker.say(Say::NoSuchWatch { id: &id })));
        };
        if let Some(name) =
            someone_elses(self.store.as_ref(), speaker.person(), watch.owner.as_ref()).await?
        {
            return Ok(Replies::one(speaker.say(Say::NotYourWatch {
                id: watch.id.0,
                owner: &name,
            })));
        }
        self.store.cancel_watch(watch.id, self.clock.now()).await?;
        Ok(Replies::one(speaker.say(Say::Unwatched { id: watch.id.0 })))
    }
}
