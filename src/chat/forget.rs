//! `forget me`: a confirmation card with two buttons, then deletion of what
//! Herald keeps about the person who pressed "yes" — in this channel only
//! (a person is a channel's user; the same id elsewhere is someone else), and
//! the card says so. In the language the request was made in.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::cards;
use super::references::ReferenceCache;
use super::replies::{Replies, Reply};
use super::speaker::Speakers;
use crate::botframework::connector::Connector;
use crate::botframework::inbound::InboundActivity;
use crate::domain::language::Language;
use crate::domain::person::PersonRef;
use crate::domain::ports::{Forgotten, PersonStore, StoreError, WebchatStore};

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
    let (question, yes, no) = match language {
        Language::English => (
            "Forget you in this channel? I will delete your reminders, price watches, jobs and settings here, and what I keep of our one-to-one conversation. What you have in other channels stays. This cannot be undone.",
            "Yes, forget me",
            "Cancel",
        ),
        Language::BrazilianPortuguese | Language::EuropeanPortuguese => (
            "Esquecer você neste canal? Vou apagar os seus lembretes, alertas de preço, jobs e preferências aqui, e o que guardo da nossa conversa individual. O que tiver noutros canais fica. Isto não pode ser desfeito.",
            "Sim, esqueça-me",
            "Cancelar",
        ),
        Language::French => (
            "Vous oublier dans ce canal ? Je supprimerai ici vos rappels, alertes de prix, tâches et réglages, et ce que je garde de notre conversation individuelle. Ce que vous avez dans d'autres canaux reste. C'est définitif.",
            "Oui, oubliez-moi",
            "Annuler",
        ),
    };
    let button = |title: &str, confirm: bool| {
        cards::submit(
            title,
            json!({"herald": ACTION, "confirm": confirm, "lang": language.code()}),
        )
    };
    let card = cards::card(Some(question), vec![button(yes, true), button(no, false)]);
    Reply {
        text: question.to_owned(),
        attachments: vec![card],
    }
}

pub fn cancelled(language: Language) -> String {
    match language {
        Language::English => "Alright, I have forgotten nothing.",
        Language::BrazilianPortuguese | Language::EuropeanPortuguese => "Certo, não apaguei nada.",
        Language::French => "D'accord, je n'ai rien oublié.",
    }
    .to_owned()
}

/// `channel` is the channel's id (`msteams`, `webchat` …), shown as code.
pub fn done(language: Language, forgotten: Forgotten, channel: &str) -> String {
    let items = forgotten.triggers;
    let channel: String = channel
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    match language {
        Language::English => format!(
            "Done: in this channel (`{channel}`) I deleted {items} item(s) and what I kept about you; other channels keep theirs. Talking to me again starts afresh."
        ),
        Language::BrazilianPortuguese => format!(
            "Feito: neste canal (`{channel}`) apaguei {items} item(ns) e o que guardava sobre você; os outros canais ficam como estão. Se voltar a falar comigo, começamos do zero."
        ),
        Language::EuropeanPortuguese => format!(
            "Feito: neste canal (`{channel}`) apaguei {items} item(ns) e o que guardava sobre si; os outros canais ficam como estão. Se voltar a falar comigo, começamos do zero."
        ),
        Language::French => format!(
            "C'est fait : dans ce canal (`{channel}`), j'ai supprimé {items} élément(s) et ce que je gardais de vous ; les autres canaux gardent les leurs. Si vous me reparlez, nous repartons de zéro."
        ),
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
    if !choice.confirmed {
        return Ok(Replies::one(cancelled(choice.language)));
    }
    let Some(user_id) = inbound.activity.from.as_ref().and_then(|f| f.id.as_deref()) else {
        return Ok(Replies::one(cancelled(choice.language)));
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
    Ok(Replies::one(done(
        choice.language,
        forgotten,
        &inbound.channel_id,
    )))
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
