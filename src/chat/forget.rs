//! `forget me`: a confirmation card with two buttons, then deletion of what
//! Herald keeps about the person who pressed "yes" — in this channel only
//! (a person is a channel's user; the same id elsewhere is someone else), and
//! the card says so. In the language the request was made in.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::cards;
use super::i18n::{self, Say};
use super::references::ReferenceCache;
use super::replies::{Replies, Reply};
use super::speaker::Speakers;
use crate::botframework::connector::Connector;
use crate::botframework::inbound::InboundActivity;
use crate::domain::language::Language;
use crate::domain::person::PersonRef;
use crate::domain::ports::{PersonStore, StoreError, WebchatStore};

/// The `value` of the card's buttons names this action.
const ACTION: &str = "forgetMe";

/// The person's answer on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub confirmed: bool,
    pub language: Language,
}

/// Reads an `Action.Submit` value from the card (Teams adds fields of its own).
pub fn submitted_choice(value: Option<&Value>) -> Option<Choice> {
    let value = value?.as_object()?;
    if value.get("herald")?.as_str()? != ACTION {
        return None;
    }
    Some(Choice {
        confirmed: value.get("confirm").and_then(Value::as_bool) == Some(true),
        language: value
            .get("lang")
            .and_then(Value::as_str)
            .and_then(Language::from_tag)
            .unwrap_or(Language::English),
    })
}

/// The question, as an Adaptive Card with `Action.Submit` buttons (which Teams,
/// the Emulator and Web Chat all send back as a message with a `value`).
pub fn confirmation(language: Language) -> Reply {
    let catalog = i18n::catalog(language);
    let question = catalog.say(Say::ForgetQuestion);
    let button = |title: String, confirm: bool| {
        cards::submit(
            &title,
            json!({"herald": ACTION, "confirm": confirm, "lang": language.code()}),
        )
    };
    let buttons = vec![
        button(catalog.say(Say::ForgetYes), true),
        button(catalog.say(Say::ForgetNo), false),
    ];
    let card = cards::card(Some(&question), buttons);
    Reply {
        text: question,
        attachments: vec![card],
    }
}

/// What forgetting someone reaches: their records, Herald's own web chat
/// transcripts, and the caches that hold what was read of them.
pub(super) struct Forgetting {
    pub people: Arc<dyn PersonStore>,
    pub transcripts: Arc<dyn WebchatStore>,
    pub references: Arc<ReferenceCache>,
    /// Tells whether the conversation is Herald's own web chat.
    pub connector: Connector,
}

/// The answer to the card: forget the person who pressed it, or not.
pub(super) async fn on_choice(
    forgetting: &Forgetting,
    speakers: &Speakers,
    inbound: &InboundActivity,
    choice: Choice,
    now: DateTime<Utc>,
) -> Result<Replies, StoreError> {
    let catalog = i18n::catalog(choice.language);
    let Some(user_id) = inbound
        .activity
        .from
        .as_ref()
        .and_then(|f| f.id.as_deref())
        .filter(|_| choice.confirmed)
    else {
        return Ok(Replies::one(catalog.say(Say::ForgetCancelled)));
    };
    // This person, in this channel: the same id elsewhere is someone else.
    let person = PersonRef::new(&inbound.channel_id, user_id);
    let forgotten = forgetting.people.forget_user(person, now).await?;
    // A web chat transcript is kept by Herald itself: it goes too.
    if forgetting.connector.is_local(inbound.service_url.as_str()) {
        forgetting
            .transcripts
            .clear_webchat_activities(&inbound.conversation_id)
            .await?;
    }
    // Scrubbed references must be written again when their conversations speak.
    forgetting.references.clear();
    speakers.clear();
    tracing::info!(
        triggers = forgotten.triggers,
        conversations = forgotten.conversations,
        "a user was forgotten"
    );
    Ok(Replies::one(catalog.say(Say::ForgetDone {
        items: forgotten.triggers,
        channel: &inbound.channel_id,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_buttons_carry_the_action_and_language() {
        let reply = confirmation(Language::French);
        let actions = &reply.attachments[0]["content"]["actions"];
        assert_eq!(
            actions[0]["data"],
            json!({"herald": "forgetMe", "confirm": true, "lang": "fr"})
        );
        assert_eq!(actions[1]["data"]["confirm"], false);
        assert_eq!(
            reply.attachments[0]["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
    }

    #[test]
    fn submitted_values_are_read_strictly() {
        let teams =
            json!({"herald": "forgetMe", "confirm": true, "lang": "pt", "msteams": {"x": 1}});
        assert_eq!(
            submitted_choice(Some(&teams)),
            Some(Choice {
                confirmed: true,
                language: Language::BrazilianPortuguese
            })
        );
        let stringly = json!({"herald": "forgetMe", "confirm": "true"});
        assert_eq!(
            submitted_choice(Some(&stringly)).map(|c| c.confirmed),
            Some(false)
        );
        assert_eq!(submitted_choice(Some(&json!({"herald": "other"}))), None);
        assert_eq!(submitted_choice(Some(&json!("forgetMe"))), None);
        assert_eq!(submitted_choice(None), None);
    }
}
