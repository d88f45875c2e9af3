//! Hostile and broken input at the channel endpoint: always a clear 4xx with a
//! JSON body or a polite reply, never a 500, and nothing stored is lost.

use serde_json::{Value, json};

use crate::helpers::{ConnectorBehaviour, FakeConnector, TestApp, spawn_app, spawn_app_with};
use crate::on_both_backends;

async fn post_raw(
    app: &TestApp,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> (u16, Value) {
    let response = app
        .client
        .post(app.messages_url())
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"]
        .as_str()
        .unwrap_or("<no JSON error body>")
}

on_both_backends! {
    async fn malformed_requests_get_clear_json_errors(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("bad");
        app.say(&a, "run").await;

        let (status, body) = post_raw(&app, "application/json", "{not json").await;
        assert_eq!((status, error_code(&body)), (400, "invalid_json"));

        let (status, body) = post_raw(&app, "text/plain", a.message("run").to_string()).await;
        assert_eq!((status, error_code(&body)), (415, "unsupported_media_type"));

        let (status, body) = post_raw(&app, "application/json", "[1,2,3]").await;
        assert_eq!((status, error_code(&body)), (400, "invalid_json"));

        let mut wrong_type = a.message("run");
        wrong_type["text"] = json!(5);
        let (status, body) = app.post(&wrong_type).await;
        assert_eq!((status, error_code(&body)), (400, "invalid_json"));

        for (field, pointer) in [("type", "/type"), ("conversation.id", "/conversation/id"), ("serviceUrl", "/serviceUrl"), ("channelId", "/channelId")] {
            let mut activity = a.message("run");
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let target = if parent.is_empty() { &mut activity } else { activity.pointer_mut(parent).unwrap() };
            target.as_object_mut().unwrap().remove(key);
            let (status, body) = app.post(&activity).await;
            assert_eq!((status, error_code(&body)), (400, "invalid_activity"), "{field}");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(message.starts_with(field), "{field}: {message}");
        }

        let oversized = format!(r#"{{"type":"message","text":"{}"}}"#, "x".repeat(300 * 1024));
        // Herald answers before reading such a body and closes the connection:
        // a client of its own keeps that connection out of the shared pool.
        let response = reqwest::Client::new()
            .post(app.messages_url())
            .header("content-type", "application/json")
            .body(oversized)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!((status, error_code(&body)), (413, "payload_too_large"));

        let mut elsewhere = a.message("run");
        elsewhere["serviceUrl"] = json!("https://attacker.example/");
        let (status, body) = app.post(&elsewhere).await;
        assert_eq!((status, error_code(&body)), (400, "refused_activity"));

        let response = app.client.get(app.messages_url()).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 405);
        assert_eq!(error_code(&response.json().await.unwrap()), "method_not_allowed");
        let response = app.client.get(format!("{}/nowhere", app.address)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 404);
        assert_eq!(error_code(&response.json().await.unwrap()), "not_found");

        // Nothing of the above created or lost a job.
        let log = app.say(&a, "show").await;
        assert!(log[0].starts_with("**Job log** (1 job)"), "{}", log[0]);
    }
}

on_both_backends! {
    async fn odd_but_valid_messages_get_polite_replies(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("odd");
        let huge = app.say(&a, &"run ".repeat(25_000)).await;
        assert_eq!(huge, vec!["That message is too long for me (the limit is 2000 characters)."]);
        let forty = app.say(&a, "done 1234567890123456789012345678901234567890").await;
        assert_eq!(forty, vec!["There is no job 123456789012345678901234…."]);
        let empty = app.say(&a, "").await;
        assert!(empty[0].starts_with("I didn't understand that."));
        let mut no_text = a.message("");
        no_text.as_object_mut().unwrap().remove("text");
        app.send(&no_text).await;
        assert_eq!(app.replies_to(&no_text).len(), 1);
        let log = app.say(&a, "show").await;
        assert_eq!(log, vec!["The job log is empty."]);
    }
}

on_both_backends! {
    async fn activities_herald_does_not_handle_are_acknowledged(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("types");
        for kind in ["typing", "messageReaction", "installationUpdate", "endOfConversation", "somethingNew"] {
            let activity = a.activity(kind);
            let (status, _) = app.post(&activity).await;
            assert_eq!(status, 200, "{kind}");
            assert!(app.replies_to(&activity).is_empty(), "{kind}");
        }
        let (status, body) = app.post(&a.activity("invoke")).await;
        assert_eq!((status, error_code(&body)), (501, "not_implemented"));
    }
}

on_both_backends! {
    async fn a_connector_that_fails_or_hangs_does_not_fail_the_turn(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector.clone(), |s| s.chat.reply_timeout_ms = 300).await;
        let a = app.conversation("down");
        connector.set_behaviour(ConnectorBehaviour::Fail(500));
        let (status, _) = app.post(&a.message("run")).await;
        assert_eq!(status, 200);
        connector.set_behaviour(ConnectorBehaviour::Hang);
        let (status, _) = app.post(&a.message("run")).await;
        assert_eq!(status, 200);
        connector.set_behaviour(ConnectorBehaviour::Accept);
        let log = app.say(&a, "show").await;
        assert!(log[0].starts_with("**Job log** (2 jobs)"), "both jobs were committed: {}", log[0]);
    }
}

on_both_backends! {
    async fn what_people_typed_is_echoed_as_text_never_as_markdown(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("markdown");
        let link = "[login](https://evil.example/)";
        let escaped = r"\[login\](https://evil.example/)";
        let zone = app.say(&a, &format!("timezone {link}")).await;
        assert!(zone[0].starts_with(&format!("I don't know the time zone \"{escaped}\".")), "{zone:?}");
        let language = app.say(&a, "language **x**").await;
        assert!(language[0].starts_with(r#"I don't speak "\*\*x\*\*"."#), "{language:?}");

        let mut french = a.message(&format!("fuseau {link}"));
        french["locale"] = serde_json::json!("fr-FR");
        app.send(&french).await;
        let replies = app.replies_to(&french);
        assert!(replies[0].contains(escaped) && !replies[0].contains(link), "{replies:?}");

        let welcome = a.members_added(json!([
            {"id": "user-1", "name": link},
            {"id": "user-2", "name": "<at>Boss</at> _x_\u{0}\u{202E}"},
        ]));
        app.send(&welcome).await;
        let replies = app.replies_to(&welcome);
        assert!(
            replies[0].starts_with(&format!(r"Welcome, {escaped}, &lt;at&gt;Boss&lt;/at&gt; \_x\_!")),
            "{replies:?}"
        );
    }
}

on_both_backends! {
    async fn control_and_bidi_characters_in_ids_are_refused_and_nothing_is_kept(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("ids");
        let service_url = app.connector.url.clone();
        for (field, pointer, value) in [
            ("from.id", "/from/id", json!("user\u{0}1")),
            ("from.id", "/from/id", json!("user\u{1b}[2J")),
            ("from.id", "/from/id", json!("user\n")),
            ("from.id", "/from/id", json!("user\u{202E}1")),
            ("from.aadObjectId", "/from/aadObjectId", json!("aad\u{7}")),
            ("recipient.id", "/recipient/id", json!("herald\tbot")),
            ("conversation.id", "/conversation/id", json!(format!("{}\n", a.id))),
            ("conversation.tenantId", "/conversation/tenantId", json!("t\u{2066}1")),
            ("channelId", "/channelId", json!("emulator\r\n")),
            ("id", "/id", json!("act\u{0}")),
            ("replyToId", "/replyToId", json!("x\u{85}")),
            ("serviceUrl", "/serviceUrl", json!(service_url.replacen("127.0.0.1", "127.0.\t0.1", 1))),
            ("locale", "/locale", json!("en-US\u{1b}")),
            ("localTimezone", "/localTimezone", json!("Europe/Lisbon\u{0}")),
        ] {
            let mut activity = a.message("remind me in 5 minutes to stretch");
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let target = if parent.is_empty() { &mut activity } else { activity.pointer_mut(parent).unwrap() };
            target[key] = value;
            let (status, body) = app.post(&activity).await;
            assert_eq!((status, error_code(&body)), (400, "invalid_activity"), "{field}: {body}");
            assert_eq!(body["error"]["message"], format!("{field}: contains control characters"), "{field}");
            assert!(app.replies_to(&activity).is_empty(), "{field}");
        }
        let kept = app.store.find_conversation("emulator", &a.id).await.unwrap();
        assert!(kept.is_none(), "a refused activity stored its conversation: {kept:?}");
        // Spaces and ordinary Unicode stay fine.
        let mut fine = a.message("help");
        fine["from"]["id"] = json!("29:1 Ana Lúcia");
        app.send(&fine).await;
    }
}

on_both_backends! {
    async fn control_and_bidi_characters_never_reach_a_reminder_s_text(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("texts");
        let echo = app.say(&a, "remind me in 5 minutes to pay\u{0} the\u{202E} bill\u{1b}[31m").await;
        assert!(echo[0].starts_with("I'll remind you today at 10:05 (Europe/Lisbon): pay the bill\\[31m"), "{echo:?}");
        app.advance(chrono::Duration::minutes(5));
        let fired = app.connector.wait_for("the reminder", |r| r.is_proactive() && r.conversation_id == a.id).await;
        assert_eq!(fired.text(), "⏰ pay the bill\\[31m");

        let body = json!({
            "conversation": {"channelId": "emulator", "id": a.id},
            "text": "water\u{0} the\u{2066} plants\u{7f}\n\tfirst",
            "schedule": {"at": "2026-11-22T12:00:00Z"},
        });
        let (status, created) = app.api("POST", "/triggers", Some(&body)).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["text"], "water the plants\n\tfirst");
        let mut only_controls = body.clone();
        only_controls["text"] = json!("\u{0}\u{202E}\u{1b}");
        let (status, refused) = app.api("POST", "/triggers", Some(&only_controls)).await;
        assert_eq!((status, refused["error"]["message"].as_str()), (400, Some("text: must not be empty")));
    }
}
