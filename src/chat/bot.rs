//! The bot: what a turn works with, how it is built from its parts and
//! settings, and the turn itself — admitted, ordered within its
//! conversation, its reference stored, handed to its handler, its replies
//! sent. Each kind of command has its own file of plain functions.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::admission::{Admission, ServiceUrlPolicy};
use super::dispatch::{self, Handlers};
use super::forget::Forgetting;
use super::locks::ConversationLocks;
use super::reachability::{self, Signal};
use super::received;
use super::references::{ReferenceCache, record_of};
use super::reminders::{ReminderLimits, Reminders};
use super::replies::{Replies, Reply};
use super::replying::Replier;
use super::speaker::Speakers;
use super::turn::{Caller, TurnError, TurnOutcome, TurnStatus};
use super::watches::WatchDesk;
use crate::botframework::activity::types;
use crate::botframework::auth::TokenKind;
use crate::botframework::connector::Connector;
use crate::botframework::inbound::InboundActivity;
use crate::delivery::budget::SendBudget;
use crate::domain::clock::Clock;
use crate::domain::ports::{ConversationStore, OutboxStore, PersonStore, WebchatStore};
use crate::domain::schedule::Zone;
use crate::service::{Jobs, Triggers, Watches};

/// Tuning of turn handling.
#[derive(Debug, Clone)]
pub struct BotSettings {
    /// Longer messages get a polite refusal instead of being parsed.
    pub max_text_chars: usize,
    /// Jobs per `show` page.
    pub page_size: u32,
    /// How long a handled activity id is remembered.
    pub dedup_window: Duration,
    /// How long a reply may take; the channel itself gives up after ~15 s.
    pub reply_timeout: Duration,
    /// Which service URLs activities may come with.
    pub service_urls: ServiceUrlPolicy,
    /// Turns one conversation may take per minute; more get 429.
    pub turns_per_conversation_per_minute: NonZeroU32,
    /// The zone of people who set none and whose channel says none.
    pub default_zone: Zone,
    pub reminder_limits: ReminderLimits,
    /// What parts of the day and an unsaid time stand for (`chat.times`).
    pub times: crate::domain::reminder::TimeDefaults,
}

/// The storage ports a turn uses itself; the use cases bring their own.
pub struct ChatPorts {
    pub conversations: Arc<dyn ConversationStore>,
    pub people: Arc<dyn PersonStore>,
    /// Replies that cannot go out within their turn wait here.
    pub outbox: Arc<dyn OutboxStore>,
    /// Herald's own web chat transcripts, which `forget me` clears.
    pub transcripts: Arc<dyn WebchatStore>,
}

/// What the bot works with besides its ports and the clock.
pub struct BotParts {
    pub connector: Connector,
    pub references: Arc<ReferenceCache>,
    pub budget: Arc<dyn SendBudget>,
    pub triggers: Triggers,
    pub jobs: Arc<Jobs>,
    pub watches: Watches,
    /// Wakes delivery when a turn queued a message.
    pub outbox_written: Arc<Notify>,
}

/// The bot: the job log, reminders and watches over the store, answering
/// through the connector.
pub struct Bot {
    clock: Arc<dyn Clock>,
    admission: Admission,
    /// Tells whether a service URL is Herald's own web chat.
    connector: Connector,
    locks: ConversationLocks,
    references: Arc<ReferenceCache>,
    conversations: Arc<dyn ConversationStore>,
    /// Resumes the triggers Herald paused while a conversation was unreachable.
    triggers: Triggers,
    replier: Replier,
    handlers: Handlers,
}

impl Bot {
    pub fn new(
        ports: ChatPorts,
        clock: Arc<dyn Clock>,
        parts: BotParts,
        settings: BotSettings,
    ) -> Self {
        let BotParts {
            connector,
            references,
            budget,
            triggers,
            jobs,
            watches,
            outbox_written,
        } = parts;
        let handlers = Handlers {
            jobs,
            reminders: Reminders {
                triggers: triggers.clone(),
                people: Arc::clone(&ports.people),
                limits: settings.reminder_limits,
                times: settings.times,
            },
            watches: WatchDesk {
                watches,
                people: Arc::clone(&ports.people),
            },
            speakers: Speakers::new(Arc::clone(&ports.people), settings.default_zone),
            forgetting: Forgetting {
                people: ports.people,
                transcripts: ports.transcripts,
                references: Arc::clone(&references),
                connector: connector.clone(),
            },
            max_text_chars: settings.max_text_chars,
            page_size: settings.page_size,
            dedup_window: chrono::Duration::from_std(settings.dedup_window)
                .unwrap_or(chrono::Duration::MAX),
        };
        Self {
            admission: Admission::new(
                settings.service_urls,
                settings.turns_per_conversation_per_minute,
                Arc::clone(&clock),
            ),
            replier: Replier {
                connector: connector.clone(),
                budget,
                outbox: ports.outbox,
                outbox_written,
                clock: Arc::clone(&clock),
                timeout: settings.reply_timeout,
            },
            clock,
            connector,
            locks: ConversationLocks::new(1024),
            references,
            conversations: ports.conversations,
            triggers,
            handlers,
        }
    }

    /// Handles one activity (`authenticated` says how its token was checked;
    /// `None` with authentication off): stores its conversation reference,
    /// acts on it, commits, and sends the replies before returning.
    pub async fn handle(
        &self,
        inbound: InboundActivity,
        authenticated: Option<TokenKind>,
    ) -> Result<TurnOutcome, TurnError> {
        self.run(inbound, Caller::Channel(authenticated), &[]).await
    }

    /// A web chat turn. Its rate is checked first by `admit_webchat`, before
    /// web chat keeps the activity, so a throttled one is not kept.
    pub async fn handle_webchat(&self, inbound: InboundActivity) -> Result<TurnOutcome, TurnError> {
        self.run(inbound, Caller::WebChat, &[]).await
    }

    /// A web chat message that came with files (their names): answered as
    /// any message, and Herald says it received them.
    pub async fn handle_webchat_upload(
        &self,
        inbound: InboundActivity,
        files: &[String],
    ) -> Result<TurnOutcome, TurnError> {
        self.run(inbound, Caller::WebChat, files).await
    }

    /// Whether the conversation may have another turn now (its rate).
    pub fn admit_webchat(&self, inbound: &InboundActivity) -> Result<(), TurnError> {
        self.admission.rate(inbound)
    }

    /// Forgets the turn rates of conversations that have been quiet (housekeeping).
    pub fn forget_quiet_conversations(&self) {
        self.admission.forget_quiet();
    }

    async fn run(
        &self,
        inbound: InboundActivity,
        caller: Caller,
        files: &[String],
    ) -> Result<TurnOutcome, TurnError> {
        let webchat = self.connector.is_local(inbound.service_url.as_str());
        self.admission.check(&inbound, caller, webchat)?;
        let authenticated = match caller {
            Caller::Channel(kind) => kind,
            Caller::WebChat => None,
        };
        let started = Instant::now();
        let _turn = self
            .locks
            .lock(&inbound.channel_id, &inbound.conversation_id)
            .await;
        let now = self.clock.now();
        let record = record_of(&inbound, authenticated.is_some() || webchat);
        let recorded = self
            .references
            .ensure_stored(self.conversations.as_ref(), &record, now)
            .await?;
        let conversation = recorded.key;
        let (conversations, references) = (self.conversations.as_ref(), self.references.as_ref());
        match reachability::signal(&inbound) {
            Signal::Gone(reason) => {
                reachability::mark_unreachable(
                    conversations,
                    references,
                    &record,
                    conversation,
                    reason,
                    now,
                )
                .await?;
                return Ok(TurnOutcome::silent());
            }
            Signal::Alive if recorded.unreachable => {
                reachability::restore(
                    conversations,
                    references,
                    &self.triggers,
                    &record,
                    conversation,
                )
                .await?;
            }
            Signal::Alive | Signal::Nothing => {}
        }

        let handlers = &self.handlers;
        let (status, replies) = match inbound.kind.as_str() {
            types::MESSAGE => {
                let mut speaker = handlers.speakers.identify(&inbound, now).await?;
                let mut replies = if received::text_to_answer(&inbound, files) {
                    dispatch::on_message(handlers, &inbound, conversation, &mut speaker, now)
                        .await?
                } else {
                    Replies::none()
                };
                if !replies.duplicate {
                    received::acknowledge(&mut replies, &speaker, files);
                    let note = handlers
                        .speakers
                        .offset_note(&inbound, &mut speaker, now)
                        .await?;
                    if let Some(note) = note {
                        replies.messages.push(Reply {
                            text: note,
                            attachments: Vec::new(),
                        });
                    }
                }
                (TurnStatus::Handled, replies)
            }
            types::CONVERSATION_UPDATE => {
                (TurnStatus::Handled, dispatch::on_members_added(&inbound))
            }
            types::EVENT => {
                let speaker = handlers.speakers.identify(&inbound, now).await?;
                let replies =
                    dispatch::on_event(handlers, &inbound, conversation, &speaker, now).await?;
                (TurnStatus::Handled, replies)
            }
            types::INVOKE => (TurnStatus::NotImplemented, Replies::none()),
            _ => (TurnStatus::Handled, Replies::none()),
        };
        let sent = self
            .replier
            .send(&inbound, conversation, &replies.messages)
            .await;
        tracing::info!(
            channel = %inbound.channel_id,
            conversation = %inbound.conversation_id,
            activity_type = %inbound.kind,
            replies = sent,
            duplicate = replies.duplicate,
            latency_us = started.elapsed().as_micros() as u64,
            "turn"
        );
        Ok(TurnOutcome {
            status,
            replies: sent,
            duplicate: replies.duplicate,
        })
    }
}
