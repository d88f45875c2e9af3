//! What an activity asks for, handed to the handler that answers it: a
//! message's command (or a card's button), an event, members added. The
//! handlers are plain functions over the use cases they need.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::asked::Asked;
use super::forget::{self, Forgetting};
use super::i18n::{self, Say};
use super::input::strip_mentions;
use super::reminders::Reminders;
use super::replies::Replies;
use super::speaker::{Speaker, Speakers};
use super::watches::WatchDesk;
use super::{jobs, reminder_buttons, reminder_changes, reminders, settings, watches};
use crate::botframework::inbound::InboundActivity;
use crate::domain::command::{Command, JobRef};
use crate::domain::conversation::ConversationKey;
use crate::domain::language::Language;
use crate::domain::ports::StoreError;
use crate::service::Jobs;

/// Everything the commands are answered with.
pub(super) struct Handlers {
    pub jobs: Arc<Jobs>,
    pub reminders: Reminders,
    pub watches: WatchDesk,
    pub speakers: Speakers,
    pub forgetting: Forgetting,
    /// Longer messages get a polite refusal instead of being parsed.
    pub max_text_chars: usize,
    /// Jobs per `show` page.
    pub page_size: u32,
    /// How long a handled activity id is remembered.
    pub dedup_window: chrono::Duration,
}

impl Handlers {
    fn asked<'a>(
        &self,
        inbound: &'a InboundActivity,
        conversation: ConversationKey,
        speaker: &'a Speaker,
        now: DateTime<Utc>,
    ) -> Asked<'a> {
        Asked {
            inbound,
            conversation,
            speaker,
            now,
            dedup_window: self.dedup_window,
        }
    }
}

/// A message: a card's button, or the command its text says.
pub(super) async fn on_message(
    handlers: &Handlers,
    inbound: &InboundActivity,
    conversation: ConversationKey,
    speaker: &mut Speaker,
    now: DateTime<Utc>,
) -> Result<Replies, StoreError> {
    let value = inbound.activity.value.as_ref();
    if let Some(choice) = forget::submitted_choice(value) {
        return forget::on_choice(
            &handlers.forgetting,
            &handlers.speakers,
            inbound,
            choice,
            now,
        )
        .await;
    }
    let asked = handlers.asked(inbound, conversation, speaker, now);
    if let Some(replies) = reminder_buttons::on_button(&handlers.reminders, &asked, value).await? {
        return Ok(replies);
    }
    let raw = inbound.activity.text.as_deref().unwrap_or_default();
    if raw.chars().count() > handlers.max_text_chars {
        return Ok(Replies::one(asked.say(Say::TextTooLong {
            limit: handlers.max_text_chars,
        })));
    }
    let text = strip_mentions(raw);
    let (jobs, reminders, watches) = (&*handlers.jobs, &handlers.reminders, &handlers.watches);
    let speakers = &handlers.speakers;
    Ok(match Command::parse(&text) {
        Command::Run => jobs::run(jobs, &asked).await?,
        Command::Show { page } => jobs::show(jobs, &asked, page, handlers.page_size).await?,
        Command::Done(JobRef::Id(id)) => jobs::complete(jobs, &asked, id).await?,
        Command::Done(JobRef::OutOfRange(digits)) => {
            Replies::one(asked.say(Say::NoSuchJob(&digits)))
        }
        Command::Done(JobRef::Missing) => Replies::one(asked.say(Say::JobIdNeeded)),
        Command::Help => Replies::one(asked.say(Say::Help)),
        Command::Greeting => Replies::one(asked.say(Say::Greeting)),
        Command::ForgetMe(language) => Replies::from(forget::confirmation(language)),
        Command::Remind => reminders::set(reminders, &asked, &text).await?,
        Command::Reminders => reminders::list(reminders, &asked).await?,
        Command::Manage { action, id } => {
            reminder_changes::manage(reminders, &asked, action, &id).await?
        }
        Command::Snooze { id, by } => reminder_changes::snooze(reminders, &asked, &id, by).await?,
        Command::Edit { id, when } => reminder_changes::edit(reminders, &asked, &id, &when).await?,
        Command::Watch => watches::set(watches, &asked, &text).await?,
        Command::Watches => watches::list(watches, &asked).await?,
        Command::Unwatch(id) => watches::unwatch(watches, &asked, &id).await?,
        // A setting changes the speaker: how the rest of the turn answers them.
        Command::Timezone(zone) => {
            settings::timezone(speakers, speaker, zone.as_deref(), now).await?
        }
        Command::Language(language) => {
            settings::language(speakers, speaker, &language, now).await?
        }
        Command::Quiet(setting) => settings::quiet(speakers, speaker, setting, now).await?,
        Command::Unrecognised => Replies::one(asked.say(Say::Hint)),
    })
}

/// An event: the seed's job-completed event, or nothing.
pub(super) async fn on_event(
    handlers: &Handlers,
    inbound: &InboundActivity,
    conversation: ConversationKey,
    speaker: &Speaker,
    now: DateTime<Utc>,
) -> Result<Replies, StoreError> {
    let asked = handlers.asked(inbound, conversation, speaker, now);
    jobs::on_event(&handlers.jobs, &asked).await
}

/// Members added: a welcome for the people among them, never for the bot itself.
pub(super) fn on_members_added(inbound: &InboundActivity) -> Replies {
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
