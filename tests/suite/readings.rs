//! Phrases that read two ways and phrases without a time, end to end over
//! HTTP with the fake connector and the manual clock (Sunday 22 November
//! 2026, 10:00 in Lisbon): the likelier reading is set and said, the other is
//! a button that moves the reminder; a button's data is checked like typed
//! text; a task without a time is said back with an example.

use chrono::Duration;
use serde_json::{Value, json};

use crate::helpers::{Conversation, TestApp, spawn_app};
use crate::on_both_backends;

/// The reply activity to `activity`, after sending it (one is expected).
async fn reply(app: &TestApp, activity: &Value) -> Value {
    app.send(activity).await;
    let id = activity["id"].as_str().unwrap();
    let mut replies: Vec<Value> = app
        .connector
        .received()
        .into_iter()
        .filter(|r| r.reply_to_id.as_deref() == Some(id))
        .map(|r| r.activity)
        .collect();
    assert_eq!(replies.len(), 1, "{replies:?}");
    replies.remove(0)
}

fn press(conversation: &Conversation, data: &Value) -> Value {
    let mut activity = conversation.activity("message");
    activity["value"] = data.clone();
    activity
}

/// The one button on a reply's card.
fn button(reply: &Value) -> (String, Value) {
    let card = &reply["attachments"][0];
    assert_eq!(
        card["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    let actions = card["content"]["actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["type"], "Action.Submit");
    (
        actions[0]["title"].as_str().unwrap().to_owned(),
        actions[0]["data"].clone(),
    )
}

on_both_backends! {
    async fn a_bare_hour_is_set_to_the_likelier_half_and_the_other_is_one_press_away(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("two-readings");
        // At 10:00, `at 7` alone is this evening; tomorrow morning is offered.
        let set = reply(&app, &a.message("remind me at 7 to call mom")).await;
        let text = set["text"].as_str().unwrap();
        assert!(text.starts_with("I'll remind you today at 19:00 (Europe/Lisbon): call mom"), "{text}");
        assert!(text.ends_with("If you meant tomorrow at 07:00, press the button and I'll move it."), "{text}");
        let (title, data) = button(&set);
        assert_eq!(title, "Make it tomorrow at 07:00");

        let moved = reply(&app, &press(&a, &data)).await;
        let id = data["reminder"].as_i64().unwrap();
        assert_eq!(moved["text"], format!("Reminder {id} now comes tomorrow at 07:00."));

        // It no longer fires this evening, and does tomorrow morning.
        app.advance(Duration::hours(9));
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(app.connector.to(&a.id).iter().all(|r| !r.is_proactive()), "fired at 19:00");
        app.advance(Duration::hours(12));
        let fired = app.connector.wait_for("the moved reminder", |r| r.is_proactive()).await;
        assert_eq!(fired.text(), "⏰ call mom");
    }
}

on_both_backends! {
    async fn next_friday_and_a_day_with_a_bare_hour_offer_the_other_reading(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("two-readings-days");
        // Sunday: `tomorrow at 3` is the afternoon, the small hours offered.
        let set = reply(&app, &a.message("remind me tomorrow at 3 to call the bank")).await;
        assert!(set["text"].as_str().unwrap().starts_with("I'll remind you tomorrow at 15:00"), "{set}");
        assert_eq!(button(&set).0, "Make it tomorrow at 03:00");
        // A 24-hour time, or one with its half said, reads one way: no button.
        for phrase in ["remind me tomorrow at 15:00 to pay", "remind me at 7pm to cook", "remind me tomorrow morning at 7 to run"] {
            let set = reply(&app, &a.message(phrase)).await;
            assert_eq!(set["attachments"], json!(null), "{phrase}: {set}");
        }
        // On Monday, `next friday` in English is the Friday of next week.
        app.advance(Duration::days(1));
        let set = reply(&app, &a.message("remind me next friday to pay the rent")).await;
        assert!(set["text"].as_str().unwrap().contains("on Friday 4 December at 09:00"), "{set}");
        assert_eq!(button(&set).0, "Make it on Friday 27 November at 09:00");
    }
}

on_both_backends! {
    async fn a_pressed_reading_is_checked_like_anything_typed(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let ana = app.conversation("forged");
        let set = reply(&app, &ana.message("remind me at 7 to call mom")).await;
        let (_, data) = button(&set);
        let id = data["reminder"].as_i64().unwrap();
        // Someone else in the conversation cannot move it.
        let mut bob = ana.clone();
        bob.user_id = "user-bob".to_owned();
        let refused = reply(&app, &press(&bob, &data)).await;
        assert_eq!(refused["text"], format!("Reminder {id} belongs to Ana; only they can change it."));
        // A schedule made up on the client is held to the same rules.
        let mut too_often = data.clone();
        too_often["schedule"] = json!({"every": "1s", "start": "2026-11-22T10:00:00Z"});
        let refused = reply(&app, &press(&ana, &too_often)).await;
        assert!(refused["text"].as_str().unwrap().starts_with("There must be at least"), "{refused}");
        let mut nonsense = data.clone();
        nonsense["schedule"] = json!({"cron": "not a cron"});
        let refused = reply(&app, &press(&ana, &nonsense)).await;
        assert!(refused["text"].as_str().unwrap().contains("haven't set anything"), "{refused}");
        // And the reminder is still where it was set.
        let listed = app.say(&ana, "reminders").await;
        assert!(listed[0].contains("today at 19:00"), "{listed:?}");
    }
}

on_both_backends! {
    async fn a_task_without_a_time_is_said_back_with_an_example_in_the_users_words(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("no-time");
        let said = app.say(&a, "could you remind me to call mom?").await;
        assert_eq!(said, ["I understood the task \"call mom\" but not when, so I haven't set anything. Add a time, for example `could you remind me to call mom tomorrow at 9am`."]);
        let mut pt = a.message("me lembra de ligar pra mãe mais tarde");
        pt["locale"] = json!("pt-BR");
        let said = reply(&app, &pt).await;
        assert_eq!(said["text"], "Entendi a tarefa \"ligar pra mãe\", mas não quando, por isso não marquei nada. Diga também a hora, por exemplo `me lembra de ligar pra mãe amanhã às 9h`.");
        // A misspelt time word is pointed out instead, in the speaker's language.
        let said = app.say(&a, "remind me on firday at 9am to call Ana").await;
        assert!(said[0].contains("did you mean \"friday\""), "{said:?}");
        assert!(app.say(&a, "reminders").await[0].contains("no reminders"));
    }
}
