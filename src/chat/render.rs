//! Proactive messages as the channel shows them, in their recipient's language
//! and zone: a job's completion, a fired reminder with its Snooze and Done
//! buttons (an Adaptive Card of `Action.Submit` actions, which Teams, the
//! Emulator and Web Chat all send back as a message carrying a `value`), and a
//! reply that waited for the send budget. In a group conversation a reminder
//! mentions its owner (a mention entity), so that they are notified.

use chrono::Duration;
use serde_json::{Value, json};

use super::cards;
use super::i18n::{self, Catalog, Say};
use super::reminder_text::BUTTON;
use crate::domain::language::Language;
use crate::domain::notification::Notification;
use crate::domain::price::{change_percent, show};
use crate::domain::schedule::Zone;

/// Lateness worth telling: below it a firing counts as on time.
const NOTEWORTHY_LATENESS: Duration = Duration::minutes(1);

/// Who a proactive message is for.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    pub language: Language,
    /// The zone times are shown in.
    pub zone: Zone,
    /// Whom to mention (in group conversations).
    pub mention: Option<Mention<'a>>,
    /// A fired reminder's snooze buttons, in minutes (`chat.snooze_minutes`).
    pub snoozes: &'a [u32],
}

#[derive(Debug, Clone, Copy)]
pub struct Mention<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// A message ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub text: String,
    pub attachments: Vec<Value>,
    /// Mention entities.
    pub entities: Vec<Value>,
}

pub fn notification(notification: &Notification, to: &Recipient<'_>) -> Rendered {
    let catalog = i18n::catalog(to.language);
    match notification {
        Notification::JobCompleted { job_id } => Rendered {
            text: catalog.say(Say::JobCompletedNotice(*job_id)),
            attachments: Vec::new(),
            entities: Vec::new(),
        },
        Notification::Message { text, attachments } => Rendered {
            text: text.clone(),
            attachments: attachments.clone(),
            entities: Vec::new(),
        },
        Notification::PriceAlert {
            source,
            symbol,
            currency,
            rule,
            price,
            base,
            sparkline,
            ..
        } => {
            let change = change_percent(*base, *price);
            let sign = if change > rust_decimal::Decimal::ZERO {
                "+"
            } else {
                ""
            };
            text_only(catalog.say(Say::PriceAlert {
                symbol,
                source,
                price: &show(*price, currency.as_deref()),
                rule: &catalog.rule(rule, currency.as_deref()),
                change: &format!("{sign}{}%", change.normalize()),
                base: &show(*base, currency.as_deref()),
                sparkline,
            }))
        }
        Notification::SourceStalled {
            source,
            symbol,
            watch_id,
            problem,
        } => text_only(catalog.say(Say::SourceStalled {
            source,
            symbol,
            watch: *watch_id,
            reason: &catalog.problem(problem),
        })),
        Notification::SourceRecovered {
            source,
            symbol,
            watch_id,
        } => text_only(catalog.say(Say::SourceRecovered {
            source,
            symbol,
            watch: *watch_id,
        })),
        Notification::SymbolUnpriced {
            source,
            symbol,
            watch_id,
            problem,
        } => text_only(catalog.say(Say::SymbolUnpriced {
            source,
            symbol,
            watch: *watch_id,
            reason: &catalog.problem(problem),
        })),
        Notification::SymbolPricedAgain {
            source,
            symbol,
            watch_id,
        } => text_only(catalog.say(Say::SymbolPricedAgain {
            source,
            symbol,
            watch: *watch_id,
        })),
        // Handled by the prices worker; never sent to a person.
        Notification::TriggerFired {
            trigger_id,
            text,
            due_at,
            fired_at,
            missed,
            ..
        } => {
            let late = *fired_at - *due_at;
            let due = format!(
                "{} ({})",
                catalog.moment(to.zone.local(*due_at), to.zone.local(*fired_at).date()),
                to.zone.name()
            );
            let late = (late >= NOTEWORTHY_LATENESS || *missed).then_some((due.as_str(), late));
            let mut rendered = Rendered {
                text: catalog.say(Say::Fired {
                    text,
                    late,
                    missed: *missed,
                }),
                attachments: vec![buttons(catalog, *trigger_id, to.snoozes)],
                entities: Vec::new(),
            };
            if let Some(mention) = to.mention {
                let name: String = mention
                    .name
                    .chars()
                    .filter(|c| !matches!(c, '<' | '>' | '&'))
                    .take(100)
                    .collect();
                let tag = format!("<at>{name}</at>");
                rendered.text = format!("{tag} {}", rendered.text);
                rendered.entities.push(json!({
                    "type": "mention",
                    "text": tag,
                    "mentioned": {"id": mention.id, "name": name},
                }));
            }
            rendered
        }
    }
}

fn text_only(text: String) -> Rendered {
    Rendered {
        text,
        attachments: Vec::new(),
        entities: Vec::new(),
    }
}

/// Snooze 10 min, Snooze 1 hour (`chat.snooze_minutes`), Done.
fn buttons(catalog: &dyn Catalog, reminder: i64, snoozes: &[u32]) -> Value {
    let mut actions: Vec<Value> = snoozes
        .iter()
        .map(|minutes| {
            cards::submit(
                &catalog.say(Say::SnoozeButton { minutes: *minutes }),
                json!({"herald": BUTTON, "action": "snooze", "reminder": reminder, "minutes": minutes}),
            )
        })
        .collect();
    actions.push(cards::submit(
        &catalog.say(Say::DoneButton),
        json!({"herald": BUTTON, "action": "done", "reminder": reminder}),
    ));
    cards::card(None, actions)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn fired(text: &str, late: Duration, missed: bool) -> Notification {
        let due = at("2026-12-24T18:00:00Z");
        Notification::TriggerFired {
            trigger_id: 4,
            text: text.to_owned(),
            due_at: due,
            fired_at: due + late,
            time_zone: None,
            missed,
        }
    }

    fn to(language: Language, zone: &str) -> Recipient<'static> {
        Recipient {
            language,
            zone: Zone::parse(zone).unwrap(),
            mention: None,
            snoozes: &[10, 60],
        }
    }

    #[test]
    fn a_fired_reminder_has_its_text_and_three_buttons() {
        let rendered = notification(
            &fired("Stand-up", Duration::milliseconds(20), false),
            &to(Language::English, "Europe/Lisbon"),
        );
        assert_eq!(rendered.text, "⏰ Stand-up");
        let actions = &rendered.attachments[0]["content"]["actions"];
        assert_eq!(actions[0]["title"], "Snooze 10 min");
        assert_eq!(actions[1]["title"], "Snooze 1 hour");
        assert_eq!(actions[2]["title"], "Done");
        assert_eq!(
            actions[0]["data"],
            json!({"herald": "reminder", "action": "snooze", "reminder": 4, "minutes": 10})
        );
        assert!(rendered.entities.is_empty());
    }

    #[test]
    fn a_late_reminder_says_when_it_was_due_in_the_recipients_language() {
        let late = notification(
            &fired("Stand-up", Duration::minutes(125), false),
            &to(Language::English, "Europe/Lisbon"),
        );
        assert!(late.text.starts_with("⏰ Stand-up"), "{}", late.text);
        assert!(
            late.text.contains("today at 18:00 (Europe/Lisbon)"),
            "{}",
            late.text
        );
        assert!(late.text.contains("2 h 5 min late"), "{}", late.text);
        let missed = notification(
            &fired("Stand-up", Duration::days(3), true),
            &to(Language::French, "America/New_York"),
        );
        assert!(missed.text.starts_with("Rappel manqué"), "{}", missed.text);
        assert!(
            missed
                .text
                .contains("jeudi 24 décembre à 13:00 (America/New_York)"),
            "{}",
            missed.text
        );
        let portuguese = notification(
            &Notification::JobCompleted { job_id: 3 },
            &to(Language::BrazilianPortuguese, "UTC"),
        );
        assert_eq!(portuguese.text, "O seu job 3 acabou de terminar.");
    }

    #[test]
    fn in_a_group_the_owner_is_mentioned_and_markup_in_the_text_is_not_interpreted() {
        let recipient = Recipient {
            mention: Some(Mention {
                id: "29:ana",
                name: "Ana <b>",
            }),
            ..to(Language::English, "UTC")
        };
        let rendered = notification(
            &fired("**call** <at>Bob</at>", Duration::zero(), false),
            &recipient,
        );
        assert_eq!(
            rendered.text,
            "<at>Ana b</at> ⏰ \\*\\*call\\*\\* &lt;at&gt;Bob&lt;/at&gt;"
        );
        assert_eq!(
            rendered.entities[0],
            json!({"type": "mention", "text": "<at>Ana b</at>", "mentioned": {"id": "29:ana", "name": "Ana b"}})
        );
    }
}
