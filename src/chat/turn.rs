//! One turn: an activity from a channel in, the domain consulted, the state
//! committed, the replies sent, and a status for the channel.

use std::hash::BuildHasher;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::bot::{Bot, ServiceUrlPolicy};
use super::forget;
use super::i18n::{self, Say};
use super::input::strip_mentions;
use super::reachability::{self, Signal};
use super::received;
use super::references::record_of;
use super::replies::{Replies, Reply};
use super::speaker::Speaker;
use crate::botframework::activity::types;
use crate::botframework::auth::TokenKind;
use crate::botframework::inbound::{InboundActivity, is_loopback};
use crate::domain::command::{Command, JobRef};
use crate::domain::conversation::{ConversationKey, INTERNAL_CHANNEL};
use crate::domain::language::Language;
use crate::domain::person::PersonRef;
use crate::domain::ports::StoreError;
use crate::rate_limit::check_key;

/// How the channel's request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnStatus {
    /// 200: handled (or deliberately ignored).
    Handled,
    /// 501: an `invoke` Herald does not implement, as the SDKs answer.
    NotImplemented,
}

/// Who hands Herald an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    /// `/api/messages`, with how the channel's token was checked.
    Channel(Option<TokenKind>),
    /// Herald's own Direct Line endpoint.
    WebChat,
}

/// What a turn did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnOutcome {
    pub status: TurnStatus,
    pub replies: usize,
    pub duplicate: bool,
}

/// Why a turn failed.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    /// The activity is well formed but not acceptable here.
    #[error("{field}: {problem}")]
    Refused {
        field: &'static str,
        problem: &'static str,
    },
    /// The conversation is sending faster than its limit.
    #[error("too many turns in this conversation")]
    Throttled { retry_after: Duration },
    /// An authenticated activity from a service URL Herald does not trust.
    #[error("{field}: {problem}")]
    Forbidden {
        field: &'static str,
        problem: &'static str,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Bot {
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

    /// Handles an activity of Herald's own web chat, whose Direct Line
    /// endpoint checked the client's token.
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
        self.admit(inbound)
    }

    /// Checked before anything is stored: a flood costs a hash and a compare.
    fn admit(&self, inbound: &InboundActivity) -> Result<(), TurnError> {
        let rate_key = self
            .rate_keys
            .hash_one((&inbound.channel_id, &inbound.conversation_id));
        check_key(&self.turn_rate, &rate_key)
            .map_err(|retry_after| TurnError::Throttled { retry_after })
    }

    async fn run(
        &self,
        inbound: InboundActivity,
        caller: Caller,
        files: &[String],
    ) -> Result<TurnOutcome, TurnError> {
        if inbound.channel_id == INTERNAL_CHANNEL {
            // Herald's own conversations (price polling) take no activities.
            return Err(TurnError::Refused {
                field: "channelId",
                problem: "is reserved for Herald's own work",
            });
        }
        // A channel living inside Herald (its web chat) has a service URL
        // that is Herald itself: only its own endpoint may speak for it.
        let webchat = self.connector.is_local(inbound.service_url.as_str());
        let authenticated = match caller {
            Caller::Channel(kind) => kind,
            Caller::WebChat => None,
        };
        if webchat != (caller == Caller::WebChat) {
            return Err(TurnError::Refused {
                field: "serviceUrl",
                problem: "is reserved for Herald's web chat",
            });
        }
        match (&self.settings.service_urls, authenticated) {
            _ if webchat => {}
            (ServiceUrlPolicy::LoopbackOnly, _) if !is_loopback(&inbound.service_url) => {
                return Err(TurnError::Refused {
                    field: "serviceUrl",
                    problem: "must be a loopback URL while authentication is off",
                });
            }
            (ServiceUrlPolicy::Trusted(hosts), kind) => {
                let emulator_on_loopback =
                    kind == Some(TokenKind::Emulator) && is_loopback(&inbound.service_url);
                if !emulator_on_loopback && !hosts.allows(&inbound.service_url) {
                    return Err(TurnError::Forbidden {
                        field: "serviceUrl",
                        problem: "is not a trusted service host",
                    });
                }
            }
            _ => {}
        }
        if caller != Caller::WebChat {
            self.admit(&inbound)?;
        }
        let started = Instant::now();
        let _turn = self
            .locks
            .lock(&inbound.channel_id, &inbound.conversation_id)
            .await;
        let now = self.clock.now();
        let record = record_of(&inbound, authenticated.is_some() || webchat);
        let recorded = self
            .references
            .ensure_stored(self.store.as_ref(), &record, now)
            .await?;
        let conversation = recorded.key;
        match reachability::signal(&inbound) {
            Signal::Gone(reason) => {
                self.mark_unreachable(&record, conversation, reason, now)
                    .await?;
                return Ok(TurnOutcome {
                    status: TurnStatus::Handled,
                    replies: 0,
                    duplicate: false,
                });
            }
            Signal::Alive if recorded.unreachable => self.restore(&record, conversation).await?,
            Signal::Alive | Signal::Nothing => {}
        }

        let (status, replies) = match inbound.kind.as_str() {
            types::MESSAGE => {
                let mut speaker = self.speaker(&inbound, now).await?;
                let mut replies = if received::text_to_answer(&inbound, files) {
                    self.on_message(&inbound, conversation, &mut speaker, now)
                        .await?
                } else {
                    Replies::none()
                };
                if !replies.duplicate {
                    received::acknowledge(&mut replies, &speaker, files);
                    if let Some(note) = self.offset_note(&inbound, &mut speaker, now).await? {
                        replies.messages.push(Reply {
                            text: note,
                            attachments: Vec::new(),
                        });
                    }
                }
                (TurnStatus::Handled, replies)
            }
            types::CONVERSATION_UPDATE => (TurnStatus::Handled, Self::on_members_added(&inbound)),
            types::EVENT => {
                let speaker = self.speaker(&inbound, now).await?;
                (
                    TurnStatus::Handled,
                    self.on_event(&inbound, conversation, &speaker, now).await?,
                )
            }
            types::INVOKE => (TurnStatus::NotImplemented, Replies::none()),
            _ => (TurnStatus::Handled, Replies::none()),
        };
        let sent = self
            .send_replies(&inbound, conversation, &replies.messages)
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

    async fn on_message(
        &self,
        inbound: &InboundActivity,
        conversation: ConversationKey,
        speaker: &mut Speaker,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        let value = inbound.activity.value.as_ref();
        if let Some(choice) = forget::submitted_choice(value) {
            return self.on_forget_choice(inbound, choice, now).await;
        }
        if let Some(replies) = self
            .on_reminder_button(conversation, speaker, value, now)
            .await?
        {
            return Ok(replies);
        }
        let raw = inbound.activity.text.as_deref().unwrap_or_default();
        if raw.chars().count() > self.settings.max_text_chars {
            return Ok(Replies::one(speaker.say(Say::TextTooLong {
                limit: self.settings.max_text_chars,
            })));
        }
        let text = strip_mentions(raw);
        let replies = match Command::parse(&text) {
            Command::Run => self.run_job(inbound, conversation, speaker, now).await?,
            Command::Show { page } => self.show_jobs(inbound, conversation, speaker, page).await?,
            Command::Done(JobRef::Id(id)) => {
                self.complete_job(inbound, conversation, speaker, id, now)
                    .await?
            }
            Command::Done(JobRef::OutOfRange(digits)) => {
                Replies::one(speaker.say(Say::NoSuchJob(&digits)))
            }
            Command::Done(JobRef::Missing) => Replies::one(speaker.say(Say::JobIdNeeded)),
            Command::Help => Replies::one(speaker.say(Say::Help)),
            Command::Greeting => Replies::one(speaker.say(Say::Greeting)),
            Command::ForgetMe(language) => Replies::from(forget::confirmation(language)),
            Command::Remind => {
                self.set_reminder(inbound, conversation, speaker, &text, now)
                    .await?
            }
            Command::Reminders => self.list_reminders(conversation, speaker, now).await?,
            Command::Manage { action, id } => {
                self.manage_reminder(conversation, speaker, action, &id, now)
                    .await?
            }
            Command::Snooze { id, by } => {
                self.snooze_reminder(conversation, speaker, &id, by, now)
                    .await?
            }
            Command::Edit { id, when } => {
                self.edit_reminder(conversation, speaker, &id, &when, now)
                    .await?
            }
            Command::Timezone(zone) => self.set_timezone(speaker, zone.as_deref(), now).await?,
            Command::Language(language) => self.set_language(speaker, &language, now).await?,
            Command::Quiet(setting) => self.set_quiet(speaker, setting, now).await?,
            Command::Watch => {
                self.set_watch(inbound, conversation, speaker, &text)
                    .await?
            }
            Command::Watches => self.list_watches(conversation, speaker).await?,
            Command::Unwatch(id) => self.unwatch(conversation, speaker, &id).await?,
            Command::Unrecognised => Replies::one(speaker.say(Say::Hint)),
        };
        Ok(replies)
    }

    fn on_members_added(inbound: &InboundActivity) -> Replies {
        let bot_id = inbound
            .activity
            .recipient
            .as_ref()
            .and_then(|r| r.id.as_deref());
        let newcomers: Vec<_> = inbound
            .activity
            .members_added
            .iter()
            .flatten()
            .filter(|member| member.id.as_deref() != bot_id)
            .collect();
        if newcomers.is_empty() {
            return Replies::none();
        }
        let names: Vec<&str> = newcomers
            .iter()
            .filter_map(|member| member.name.as_deref())
            .filter(|name| !name.trim().is_empty() && name.len() <= 100)
            .collect();
        let language = inbound
            .activity
            .locale
            .as_deref()
            .and_then(Language::from_tag)
            .unwrap_or(Language::English);
        Replies::one(i18n::catalog(language).say(Say::Welcome { names: &names }))
    }

    /// The answer to the forget-me card: forget the person who pressed it, or not.
    async fn on_forget_choice(
        &self,
        inbound: &InboundActivity,
        choice: forget::Choice,
        now: DateTime<Utc>,
    ) -> Result<Replies, StoreError> {
        if !choice.confirmed {
            return Ok(Replies::one(forget::cancelled(choice.language)));
        }
        let Some(user_id) = inbound.activity.from.as_ref().and_then(|f| f.id.as_deref()) else {
            return Ok(Replies::one(forget::cancelled(choice.language)));
        };
        // This person, in this channel: the same id elsewhere is someone else.
        let person = PersonRef::new(&inbound.channel_id, user_id);
        let forgotten = self.store.forget_user(person, now).await?;
        // A web chat transcript is kept by Herald itself: it goes too.
        if self.connector.is_local(inbound.service_url.as_str()) {
            self.store
                .clear_webchat_activities(&inbound.conversation_id)
                .await?;
        }
        // Scrubbed references must be written again when their conversations speak.
        self.references.clear();
        self.people.clear();
        tracing::info!(
            triggers = forgotten.triggers,
            conversations = forgotten.conversations,
            "a user was forgotten"
        );
        Ok(Replies::one(forget::done(
            choice.language,
            forgotten,
            &inbound.channel_id,
        )))
    }
}
