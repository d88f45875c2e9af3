//! Reminders by chat, end to end over HTTP with the fake connector and the
//! manual clock (Sunday 22 November 2026, 10:00 in Lisbon): set, echoed,
//! fired proactively with buttons, snoozed from the button, listed, managed,
//! in Portuguese and French, in group chats with a mention of the owner, with
//! people's settings and limits.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{Conversation, TestApp, spawn_app, spawn_app_with};
use crate::on_both_backends;

/// A message from `conversation` with another locale.
fn in_locale(conversation: &Conversation, text: &str, locale: &str) -> Value {
    let mut activity = conversation.message(text);
    activity["locale"] = json!(locale);
    activity
}

/// The reply texts to an activity, after sending it.
async fn answer(app: &TestApp, activity: &Value) -> Vec<String> {
    app.send(activity).await;
    app.replies_to(activity)
}

/// A press of a fired reminder's button, as Teams and the Emulator send it.
fn press(conversation: &Conversation, data: &Value) -> Value {
    let mut activity = conversation.activity("message");
    activity["value"] = data.clone();
    activity
}

fn proactive_to(app: &TestApp, conversation: &Conversation) -> Vec<Value> {
    app.connector
        .to(&conversation.id)
        .into_iter()
        .filter(|r| r.is_proactive())
        .map(|r| r.activity)
        .collect()
}

/// The reminder id at the end of an echo (`… (#4)`).
fn id_in(echo: &str) -> i64 {
    echo.rsplit("(#")
        .next()
        .and_then(|rest| rest.trim_end_matches(')').parse().ok())
        .unwrap_or_else(|| panic!("no id in {echo:?}"))
}

on_both_backends! {
    async fn a_reminder_fires_with_buttons_and_snoozes_from_them(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("snooze");
        let echo = app.say(&a, "remind me in 5 minutes to stretch").await;
        assert_eq!(echo.len(), 1);
        assert!(echo[0].starts_with("I'll remind you today at 10:05 (Europe/Lisbon): stretch"), "{echo:?}");
        let id = id_in(&echo[0]);

        app.advance(Duration::minutes(5));
        let fired = app.connector.wait_for("the reminder", |r| r.is_proactive() && r.conversation_id == a.id).await;
        assert_eq!(fired.text(), "⏰ stretch");
        let actions = fired.activity["attachments"][0]["content"]["actions"].as_array().unwrap().clone();
        assert_eq!(fired.activity["attachments"][0]["contentType"], "application/vnd.microsoft.card.adaptive");
        let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["Snooze 10 min", "Snooze 1 hour", "Done"]);
        assert!(actions.iter().all(|a| a["type"] == "Action.Submit"));

        // Snooze 10 min, pressed on the card.
        let snoozed = answer(&app, &press(&a, &actions[0]["data"])).await;
        assert_eq!(snoozed, [format!("I'll remind you again today at 10:15 (reminder {id}).")]);
        app.advance(Duration::minutes(9));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(proactive_to(&app, &a).len(), 1, "not before the snooze ends");
        app.advance(Duration::minutes(1));
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while proactive_to(&app, &a).len() < 2 {
            assert!(tokio::time::Instant::now() < deadline, "the snoozed reminder never came");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(proactive_to(&app, &a)[1]["text"], "⏰ stretch");

        // Done acknowledges, and ends the reminder.
        let done = answer(&app, &press(&a, &actions[2]["data"])).await;
        assert_eq!(done, ["👍"]);
        assert!(app.say(&a, "reminders").await[0].contains("no reminders"), "done ends it");

        // A second reminder's buttons name that one: snoozing it moves it, not the first.
        let second = id_in(&app.say(&a, "remind me in 5 minutes to drink water").await[0]);
        assert_ne!(second, id);
        app.advance(Duration::minutes(5));
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while proactive_to(&app, &a).len() < 3 {
            assert!(tokio::time::Instant::now() < deadline, "the second reminder never came");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let fired = &proactive_to(&app, &a)[2];
        assert_eq!(fired["text"], "⏰ drink water");
        let snooze = &fired["attachments"][0]["content"]["actions"][1]["data"];
        let snoozed = answer(&app, &press(&a, snooze)).await;
        assert_eq!(snoozed, [format!("I'll remind you again today at 11:20 (reminder {second}).")]);
    }
}

on_both_backends! {
    async fn reminders_are_listed_paused_resumed_edited_and_cancelled(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("manage");
        let daily = id_in(&app.say(&a, "remind me every day at 9:00 to drink water").await[0]);
        let once = id_in(&app.say(&a, "remind me tomorrow at 18:00 to call Ana").await[0]);
        let listed = app.say(&a, "reminders").await;
        assert!(listed[0].starts_with("**Reminders** (2)"), "{listed:?}");
        assert!(listed[0].contains(&format!("**{daily}** · every day at 09:00, next tomorrow at 09:00 · drink water")), "{listed:?}");
        assert!(listed[0].contains(&format!("**{once}** · tomorrow at 18:00 · call Ana")), "{listed:?}");

        assert_eq!(app.say(&a, &format!("pause {daily}")).await, [format!("Reminder {daily} is paused. Say `resume {daily}` to go on.")]);
        assert_eq!(app.say(&a, &format!("pause {daily}")).await, [format!("Reminder {daily} is already paused.")]);
        assert!(app.say(&a, "reminders").await[0].contains("_paused_"));
        let resumed = app.say(&a, &format!("resume {daily}")).await;
        assert_eq!(resumed, [format!("Reminder {daily} is on again; next every day at 09:00, next tomorrow at 09:00.")]);

        // A bare time moves a repeating reminder's time of day.
        let edited = app.say(&a, &format!("edit {daily} at 10:30")).await;
        assert_eq!(edited, [format!("Reminder {daily} now comes every day at 10:30, next today at 10:30.")]);
        let edited = app.say(&a, &format!("edit {once} on friday at 8:00")).await;
        assert_eq!(edited, [format!("Reminder {once} now comes on Friday 27 November at 08:00.")]);
        let refused = app.say(&a, &format!("edit {once} at 25:00")).await;
        assert!(refused[0].starts_with("There is no such date or time"), "{refused:?}");

        assert_eq!(app.say(&a, &format!("cancel {once}")).await, [format!("Reminder {once} is cancelled.")]);
        assert!(!app.say(&a, "reminders").await[0].contains("call Ana"));
        assert_eq!(app.say(&a, "cancel 999").await, ["There is no reminder 999 here. Say `reminders` to see them."]);
        assert!(app.say(&a, "cancel").await[0].starts_with("Which reminder?"));

        // Another conversation sees none of them.
        let b = app.conversation("other");
        assert!(app.say(&b, &format!("cancel {daily}")).await[0].starts_with("There is no reminder"));
        assert!(app.say(&b, "reminders").await[0].starts_with("There are no reminders here."));
    }
}

on_both_backends! {
    async fn replies_come_in_portuguese_and_french_when_the_locale_says_so(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let pt = app.conversation("pt");
        let echo = answer(&app, &in_locale(&pt, "me lembre amanhã às 9h de ligar para a Ana", "pt-BR")).await;
        assert!(echo[0].starts_with("Vou te lembrar amanhã às 09:00 (Europe/Lisbon): ligar para a Ana"), "{echo:?}");
        let pt_pt = app.conversation("pt-pt");
        let echo = answer(&app, &in_locale(&pt_pt, "lembra-me em 10 minutos de alongar", "pt-PT")).await;
        assert!(echo[0].starts_with("Vou lembrá-lo hoje às 10:10 (Europe/Lisbon): alongar"), "{echo:?}");
        let fr = app.conversation("fr");
        let echo = answer(&app, &in_locale(&fr, "rappelle-moi demain à 9h d'appeler Ana", "fr-FR")).await;
        assert!(echo[0].starts_with("Je te le rappellerai demain à 09:00 (Europe/Lisbon) : appeler Ana"), "{echo:?}");
        // English commands in a French locale are understood, answered in French.
        let listed = answer(&app, &in_locale(&fr, "reminders", "fr-FR")).await;
        assert!(listed[0].starts_with("**Rappels** (1)"), "{listed:?}");
        let refused = answer(&app, &in_locale(&fr, "rappelle-moi demian à 9h d'appeler Ana", "fr-FR")).await;
        assert!(refused[0].starts_with("Je n'ai pas compris « demian » — tu voulais dire « demain » ?"), "{refused:?}");

        // The fired reminder speaks French too, buttons included.
        app.advance(Duration::hours(23));
        let fired = app.connector.wait_for("the French reminder", |r| r.is_proactive() && r.conversation_id == fr.id).await;
        assert_eq!(fired.text(), "⏰ appeler Ana");
        let titles: Vec<String> = fired.activity["attachments"][0]["content"]["actions"]
            .as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_owned()).collect();
        assert_eq!(titles, ["Reporter de 10 min", "Reporter d'1 heure", "Fait"]);
    }
}

on_both_backends! {
    async fn in_a_group_the_owner_is_mentioned_and_only_they_may_change_it(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let ana = app.conversation("group");
        let mut bob = ana.clone();
        bob.user_id = "user-bob".to_owned();
        let group = |conversation: &Conversation, text: &str, name: &str| {
            let mut activity = conversation.message(text);
            activity["conversation"]["isGroup"] = json!(true);
            activity["conversation"]["conversationType"] = json!("groupChat");
            activity["from"]["name"] = json!(name);
            activity
        };
        let echo = answer(&app, &group(&ana, "remind me in 10 minutes to review the draft", "Ana")).await;
        let id = id_in(&echo[0]);
        let refused = answer(&app, &group(&bob, &format!("cancel {id}"), "Bob")).await;
        assert_eq!(refused, [format!("Reminder {id} belongs to Ana; only they can change it.")]);
        let listed = answer(&app, &group(&bob, "reminders", "Bob")).await;
        assert!(listed[0].contains("· set by Ana ·"), "{listed:?}");

        app.advance(Duration::minutes(10));
        let fired = app.connector.wait_for("the group reminder", |r| r.is_proactive()).await;
        assert_eq!(fired.text(), "<at>Ana</at> ⏰ review the draft");
        assert_eq!(
            fired.activity["entities"][0],
            json!({"type": "mention", "text": "<at>Ana</at>", "mentioned": {"id": "user-group", "name": "Ana"}})
        );
    }
}

on_both_backends! {
    async fn settings_change_how_herald_reads_and_speaks(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("settings");
        assert_eq!(app.say(&a, "my timezone").await, ["Your time zone is Europe/Lisbon (from your app; set your own with `timezone Area/City`)."]);
        assert_eq!(app.say(&a, "timezone America/Sao_Paulo").await, ["Your time zone is now America/Sao_Paulo. I'll read and show times in it."]);
        let echo = app.say(&a, "remind me at 17:30 to leave").await;
        assert!(echo[0].starts_with("I'll remind you today at 17:30 (America/Sao_Paulo): leave"), "{echo:?}");
        let unknown = app.say(&a, "timezone Mars/Olympus").await;
        assert!(unknown[0].starts_with("I don't know the time zone \"Mars/Olympus\""), "{unknown:?}");
        assert_eq!(app.say(&a, "timezone sao paulo").await, ["Your time zone is now America/Sao_Paulo. I'll read and show times in it."]);

        assert_eq!(app.say(&a, "language pt").await, ["A partir de agora falo português com você."]);
        let listed = app.say(&a, "lembretes").await;
        assert!(listed[0].starts_with("**Lembretes** (1)"), "{listed:?}");
        assert!(app.say(&a, "language klingon").await[0].starts_with("Não falo \"klingon\""));

        assert!(app.say(&a, "quiet 22:00-07:00").await[0].starts_with("Horário de silêncio: 22:00–07:00."));
        assert_eq!(app.say(&a, "quiet tomorrow").await, ["Indique o horário de silêncio como `silêncio 22:00-07:00`, ou `silêncio off`."]);
        assert_eq!(app.say(&a, "silêncio off").await, ["Horário de silêncio desligado."]);

        // The reminder fires in the language now set (its buttons too), at
        // 17:30 in São Paulo: 20:30 in Lisbon, 10 h 30 after the start.
        assert_eq!(app.say(&a, "language en").await, ["From now on I'll speak English with you."]);
        app.advance(Duration::hours(10) + Duration::minutes(29));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(app.connector.received().iter().all(|r| !r.is_proactive()), "not at 17:29 in São Paulo");
        app.advance(Duration::minutes(1));
        let fired = app.connector.wait_for("the reminder", |r| r.is_proactive()).await;
        assert_eq!(fired.text(), "⏰ leave");
        let titles: Vec<&str> = fired.activity["attachments"][0]["content"]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["Snooze 10 min", "Snooze 1 hour", "Done"]);
    }
}

on_both_backends! {
    async fn quiet_hours_hold_job_notifications_but_not_reminders(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("quiet");
        // 10:00 in Lisbon: quiet from 09:00 to 11:00.
        app.say(&a, "quiet 09:00-11:00").await;
        app.say(&a, "run").await;
        app.say(&a, "remind me in 1 minute to stretch").await;
        let (status, _) = app.api("POST", "/jobs/1/complete", None).await;
        assert_eq!(status, 200);
        app.advance(Duration::minutes(1));
        app.connector.wait_for("the reminder, on time", |r| r.is_proactive() && r.text() == "⏰ stretch").await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!proactive_to(&app, &a).iter().any(|m| m["text"] == "Your queued job 1 just completed."), "held in quiet hours");
        app.advance(Duration::minutes(60));
        app.connector.wait_for("the job notice after quiet hours", |r| r.is_proactive() && r.text() == "Your queued job 1 just completed.").await;
    }
}

on_both_backends! {
    async fn a_device_offset_that_disagrees_with_the_zone_is_noted_once(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("offset");
        let with_offset = |text: &str| {
            let mut activity = a.message(text);
            activity["localTimestamp"] = json!("2026-11-22T12:00:00.000+02:00");
            activity
        };
        let first = answer(&app, &with_offset("help")).await;
        assert_eq!(first.len(), 2, "{first:?}");
        assert!(first[1].starts_with("Note: your device says UTC+02:00, but I'm reading your times in Europe/Lisbon."), "{first:?}");
        assert!(first[1].contains("`timezone Europe/Athens`"), "{first:?}");
        let second = answer(&app, &with_offset("help")).await;
        assert_eq!(second.len(), 1, "said once: {second:?}");
    }
}

on_both_backends! {
    async fn limits_and_redelivery_are_respected(db: TestDatabase) {
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |s| {
            s.limits.reminders_per_user = 2;
            s.limits.reminder_text_chars = 20;
        })
        .await;
        let a = app.conversation("limits");
        let long = app.say(&a, "remind me in 5 minutes to do this rather long thing").await;
        assert!(long[0].starts_with("A reminder can say at most 20 characters"), "{long:?}");
        let once = a.message("remind me in 5 minutes to stretch");
        app.send(&once).await;
        app.send(&once).await; // redelivered by the channel
        assert_eq!(app.replies_to(&once).len(), 1);
        app.say(&a, "remind me in 6 minutes to drink").await;
        let third = app.say(&a, "remind me in 7 minutes to walk").await;
        assert!(third[0].starts_with("You already have 2 reminders"), "{third:?}");
        let listed = app.say(&a, "reminders").await;
        assert!(listed[0].starts_with("**Reminders** (2)"), "{listed:?}");
        // Typed Markdown is shown as text, not formatting.
        let b = app.conversation("markup");
        let echo = app.say(&b, "remind me in 5 minutes to **shout**").await;
        assert!(echo[0].contains("\\*\\*shout\\*\\*"), "{echo:?}");
    }
}

on_both_backends! {
    async fn every_other_monday_is_said_back_and_skips_the_week_between(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("fortnightly");
        // Sunday 22 November: tomorrow is the first Monday, then 7 December.
        let echo = app.say(&a, "remind me every other monday at 9:00 to water the plants").await;
        assert!(echo[0].starts_with("I'll remind you every other Monday at 09:00"), "{echo:?}");
        assert!(echo[0].contains("tomorrow at 09:00"), "{echo:?}");
        app.advance(Duration::hours(23));
        app.connector.wait_for("the first Monday", |r| r.is_proactive()).await;
        // The Monday between is skipped; the one after fires.
        app.advance(Duration::days(7));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(proactive_to(&app, &a).len(), 1, "fired on the Monday between");
        app.advance(Duration::days(7));
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while proactive_to(&app, &a).len() < 2 {
            assert!(tokio::time::Instant::now() < deadline, "the second Monday never came");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let listed = app.say(&a, "reminders").await;
        assert!(listed[0].contains("every other Monday at 09:00"), "{listed:?}");
        assert!(listed[0].contains("21 December"), "{listed:?}");
    }
}
