//! A web chat person is who Herald says, never who the client claims: a
//! client that names a Teams user (or an operator's `aadObjectId`) in `from`
//! gets nothing of theirs; anonymous clients are people apart; a site holding
//! the secret names its users; the built-in page keeps its person across
//! conversations with a browser credential that `forget me` revokes. And what
//! the transcript keeps: nothing answered with an error, long texts cut, a
//! cap per conversation; and caps on WebSocket streams.

use std::time::Duration;

use futures_util::StreamExt;
use herald::domain::person::Person;
use herald::domain::ports::TriggerFilter;
use herald::domain::trigger::TriggerKind;
use serde_json::{Value, json};

use crate::helpers::{Conversation, FakeConnector, TestApp, spawn_app_with};
use crate::on_both_backends;
use crate::webchat::{Chat, SECRET, activities, request, start};

/// Posts a message claiming to be `from`; the bot's replies to it.
async fn claim(app: &TestApp, chat: &Chat, from: Value, text: &str) -> Vec<String> {
    let (status, body) = post(
        app,
        chat,
        json!({"type": "message", "text": text, "from": from}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    replies(app, chat, body["id"].as_str().unwrap()).await
}

async fn post(app: &TestApp, chat: &Chat, activity: Value) -> (u16, Value) {
    let path = format!("/conversations/{}/activities", chat.id);
    request(app, "POST", &path, Some(&chat.token), Some(activity)).await
}

async fn replies(app: &TestApp, chat: &Chat, to: &str) -> Vec<String> {
    let (all, _) = activities(app, chat, "").await;
    all.iter()
        .filter(|a| a["replyToId"] == to)
        .map(|a| a["text"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// `forget me`, confirmed on the card, from a web chat client claiming `from`.
async fn forget(app: &TestApp, chat: &Chat, from: Value) -> Vec<String> {
    let confirm = json!({"type": "message", "from": from,
        "value": {"herald": "forgetMe", "confirm": true, "lang": "en"}});
    let (status, body) = post(app, chat, confirm).await;
    assert_eq!(status, 200, "{body}");
    replies(app, chat, body["id"].as_str().unwrap()).await
}

/// The ids the transcript shows for the user's activities.
async fn user_ids(app: &TestApp, chat: &Chat) -> Vec<String> {
    let (all, _) = activities(app, chat, "").await;
    all.iter()
        .filter(|a| a["from"]["role"] == "user")
        .map(|a| a["from"]["id"].as_str().unwrap().to_owned())
        .collect()
}

on_both_backends! {
    async fn a_web_chat_client_naming_a_teams_user_cannot_cancel_forget_or_use_up_their_quota(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.limits.reminders_per_user = 3;
        }).await;
        let teams = Conversation::on_channel("ana", &app.connector.url, "msteams");
        app.say(&teams, "timezone Europe/Paris").await;
        let set = app.say(&teams, "remind me in 2 hours to call the bank").await;
        assert!(set[0].contains("call the bank"), "{set:?}");
        let ana = json!({"id": teams.user_id, "name": "Ana", "aadObjectId": "aad-ana", "role": "bot"});

        let chat = start(&app, None).await;
        let cancel = claim(&app, &chat, ana.clone(), "cancel 1").await;
        assert!(cancel[0].contains("no reminder 1"), "{cancel:?}");
        // Three reminders "as Ana" count against the web chat person, not her.
        for n in 0..3 {
            let set = claim(&app, &chat, ana.clone(), &format!("remind me in {} hours to eat", n + 3)).await;
            assert!(set[0].contains("eat"), "{set:?}");
        }
        let more = app.say(&teams, "remind me in 5 hours to pay rent").await;
        assert!(more[0].contains("pay rent") && !more[0].contains("already have"), "{more:?}");
        let done = forget(&app, &chat, ana.clone()).await;
        assert!(done[0].contains("in this channel (`webchat`)"), "{done:?}");

        // Ana's reminders, settings and Teams conversation are all still there.
        let listed = app.say(&teams, "reminders").await;
        assert!(listed[0].contains("call the bank") && listed[0].contains("pay rent"), "{listed:?}");
        let settings = app.store.user("msteams", &teams.user_id).await.unwrap().unwrap();
        assert_eq!(settings.time_zone.as_deref(), Some("Europe/Paris"));
        let key = app.store.find_conversation("msteams", &teams.id).await.unwrap().unwrap();
        let reference = app.store.conversation(key).await.unwrap().unwrap();
        assert_ne!(reference.record.service_url, "", "her reference was not scrubbed");
        let filter = TriggerFilter {
            conversation: Some(key),
            kind: Some(TriggerKind::Reminder),
            limit: 10,
            ..TriggerFilter::default()
        };
        let hers = Person { channel_id: "msteams".into(), user_id: teams.user_id.clone() };
        let reminders = app.store.list_triggers(&filter).await.unwrap();
        assert_eq!(reminders.iter().filter(|r| r.owner.as_ref() == Some(&hers)).count(), 2);
        // And the web chat transcript never showed the claimed identity.
        let (all, _) = activities(&app, &chat, "").await;
        for activity in all.iter().filter(|a| a["from"]["role"] == "user") {
            assert_ne!(activity["from"]["id"], json!(teams.user_id));
            assert!(activity["from"].get("aadObjectId").is_none(), "{activity}");
            assert!(activity["from"].get("name").is_none(), "{activity}");
        }
    }
}

on_both_backends! {
    async fn an_operators_aad_object_id_sent_in_web_chat_grants_nothing(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.jobs.visibility = herald::config::VisibilitySetting::Conversation;
            s.jobs.operators = vec!["msteams:aad-op".into(), "webchat:aad-op".into()];
        }).await;
        let teams = Conversation::on_channel("ops", &app.connector.url, "msteams");
        app.say(&teams, "run").await;
        let chat = start(&app, None).await;
        let operator = json!({"id": "aad-op", "aadObjectId": "aad-op"});
        assert_eq!(claim(&app, &chat, operator.clone(), "show").await, vec!["The job log is empty."]);
        assert_eq!(claim(&app, &chat, operator, "done 1").await, vec!["There is no job 1."]);
        // The real operator, in Teams, sees it.
        let mut real = teams.message("show");
        real["from"]["aadObjectId"] = json!("aad-op");
        app.send(&real).await;
        assert!(app.replies_to(&real)[0].contains("Job **1**"));
    }
}

on_both_backends! {
    async fn two_anonymous_web_chat_clients_cannot_see_or_change_each_others_reminders(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let a = start(&app, None).await;
        let b = start(&app, None).await;
        let nobody = json!({});
        let set = claim(&app, &a, nobody.clone(), "remind me in 1 hour to water the plants").await;
        assert!(set[0].contains("water the plants"), "{set:?}");
        let theirs = claim(&app, &b, nobody.clone(), "reminders").await;
        assert!(theirs[0].starts_with("There are no reminders here"), "{theirs:?}");
        assert!(claim(&app, &b, nobody.clone(), "cancel 1").await[0].contains("no reminder 1"));
        let (ida, idb) = (user_ids(&app, &a).await, user_ids(&app, &b).await);
        forget(&app, &b, nobody.clone()).await;
        let mine = claim(&app, &a, nobody, "reminders").await;
        assert!(mine[0].contains("water the plants"), "{mine:?}");
        assert!(ida[0].starts_with("dl_") && idb[0].starts_with("dl_"), "{ida:?} {idb:?}");
        assert_ne!(ida[0], idb[0]);
        assert!(ida.iter().all(|id| *id == ida[0]), "one person per conversation: {ida:?}");
    }
}

on_both_backends! {
    async fn only_the_secret_holder_names_the_user(db: TestDatabase) {
        let with_secret = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.webchat.secret = SECRET.to_owned().into();
        }).await;
        let site = json!({"user": {"id": "dl_site_ana", "name": "Ana"}});
        let (status, body) = request(&with_secret, "POST", "/tokens/generate", Some(SECRET), Some(site.clone())).await;
        assert_eq!(status, 200, "{body}");
        let chat = Chat {
            id: body["conversationId"].as_str().unwrap().to_owned(),
            token: body["token"].as_str().unwrap().to_owned(),
            stream_url: String::new(),
        };
        claim(&with_secret, &chat, json!({"id": "someone-else", "name": "Eve"}), "help").await;
        let (all, _) = activities(&with_secret, &chat, "").await;
        let mine = all.iter().find(|a| a["from"]["role"] == "user").unwrap();
        assert_eq!(mine["from"]["id"], "dl_site_ana");
        assert_eq!(mine["from"]["name"], "Ana");
        let bad = json!({"user": {"id": "x\u{0}y"}});
        let (status, body) = request(&with_secret, "POST", "/tokens/generate", Some(SECRET), Some(bad)).await;
        assert_eq!(status, 400, "{body}");
        with_secret.stop().await;

        // Without the secret (loopback development) the body's user is ignored.
        let open = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let (status, body) = request(&open, "POST", "/conversations", None, Some(site)).await;
        assert_eq!(status, 201, "{body}");
        let chat = Chat {
            id: body["conversationId"].as_str().unwrap().to_owned(),
            token: body["token"].as_str().unwrap().to_owned(),
            stream_url: String::new(),
        };
        claim(&open, &chat, json!({}), "help").await;
        let ids = user_ids(&open, &chat).await;
        assert!(ids[0].starts_with("dl_") && ids[0] != "dl_site_ana", "{ids:?}");
    }
}

/// Starts a conversation as the built-in page does; its id, token and the
/// browser credential Herald answered with (if it issued one).
async fn start_as_page(app: &TestApp, browser: &str) -> (u16, Chat, Option<String>) {
    let response = app
        .client
        .post(format!("{}/v3/directline/conversations", app.address))
        .header("Herald-Browser", browser)
        .json(&json!({"locale": "en-US"}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let issued = response
        .headers()
        .get("herald-browser")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = response.json().await.unwrap();
    let chat = Chat {
        id: body["conversationId"].as_str().unwrap().to_owned(),
        token: body["token"].as_str().unwrap().to_owned(),
        stream_url: body["streamUrl"].as_str().unwrap().to_owned(),
    };
    (status, chat, issued)
}

on_both_backends! {
    async fn the_built_in_page_keeps_its_person_until_forget_me_revokes_it(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let (status, first, credential) = start_as_page(&app, "new").await;
        assert_eq!(status, 201);
        let credential = credential.expect("a credential for a new browser");
        claim(&app, &first, json!({}), "remind me in 1 hour to stretch").await;

        // A reload that lost its token: the same person, in the same conversation.
        let (status, again, issued) = start_as_page(&app, &credential).await;
        assert_eq!((status, issued), (200, None));
        assert_eq!(again.id, first.id);
        assert!(claim(&app, &again, json!({}), "reminders").await[0].contains("stretch"));
        // Another browser is someone else.
        let (_, other, _) = start_as_page(&app, "new").await;
        assert_ne!(other.id, first.id);
        assert_ne!(user_ids(&app, &other).await.first(), user_ids(&app, &first).await.first());

        // `forget me` revokes the credential: the browser starts afresh.
        forget(&app, &again, json!({})).await;
        let (status, fresh, reissued) = start_as_page(&app, &credential).await;
        assert_eq!(status, 201);
        assert_ne!(fresh.id, first.id);
        assert!(reissued.is_some_and(|c| c != credential));
    }
}

on_both_backends! {
    async fn the_transcript_keeps_no_refused_request_cuts_long_texts_and_has_a_cap(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.limits.turns_per_conversation_per_minute = 3;
            s.chat.max_text_chars = 50;
            s.limits.reminder_text_chars = 50;
        }).await;
        let chat = start(&app, None).await;
        let long = "x".repeat(500);
        let too_long = claim(&app, &chat, json!({}), &long).await;
        assert!(too_long[0].contains("50"), "{too_long:?}");
        let mut refused = 0;
        for n in 0..6 {
            let (status, _) = post(&app, &chat, json!({"type": "message", "text": format!("flood {n}")})).await;
            if status == 429 {
                refused += 1;
            }
        }
        assert_eq!(refused, 4, "three turns a minute");
        let (all, watermark) = activities(&app, &chat, "").await;
        let texts: Vec<&str> = all.iter().filter(|a| a["from"]["role"] == "user").map(|a| a["text"].as_str().unwrap()).collect();
        assert_eq!(texts.len(), 3, "answered 429, not kept: {texts:?}");
        assert_eq!(texts[0].chars().count(), 51, "kept cut: {}", texts[0]);
        assert!(texts[0].ends_with('…'));
        assert_eq!(watermark, "7", "greeting, then 3 turns of 2");
        app.stop().await;

        let app = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.webchat.max_transcript_activities = 10;
        }).await;
        let chat = start(&app, None).await;
        for n in 0..6 {
            post(&app, &chat, json!({"type": "message", "text": format!("more {n}")})).await;
        }
        let (kept, watermark) = activities(&app, &chat, "").await;
        assert_eq!(watermark, "13");
        assert_eq!(kept.len(), 10, "the cap: the oldest went first");
        assert!(kept[0]["id"].as_str().unwrap().ends_with("|0000004"), "{}", kept[0]["id"]);
    }
}

/// Reads a stream until the server closes it (`true`) or `wait` passes.
async fn closed_within(
    socket: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    wait: Duration,
) -> bool {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return false,
            Ok(None | Some(Err(_))) => return true,
            Ok(Some(Ok(frame))) if frame.is_close() => return true,
            Ok(Some(Ok(_))) => {}
        }
    }
}

on_both_backends! {
    async fn streams_have_a_cap_of_their_own_and_per_conversation(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.webchat.max_streams = 3;
            s.webchat.max_streams_per_conversation = 2;
        }).await;
        let a = start(&app, None).await;
        let (mut oldest, _) = tokio_tungstenite::connect_async(a.stream_url.as_str()).await.unwrap();
        let (mut second, _) = tokio_tungstenite::connect_async(a.stream_url.as_str()).await.unwrap();
        let (mut third, _) = tokio_tungstenite::connect_async(a.stream_url.as_str()).await.unwrap();
        assert!(closed_within(&mut oldest, Duration::from_secs(10)).await, "the oldest is closed");
        assert!(!closed_within(&mut second, Duration::from_millis(300)).await);
        let b = start(&app, None).await;
        let (_b1, _) = tokio_tungstenite::connect_async(b.stream_url.as_str()).await.unwrap();
        // Three open: the fourth is refused, and /api/messages still answers.
        let refused = tokio_tungstenite::connect_async(b.stream_url.as_str()).await;
        assert!(
            matches!(&refused, Err(tokio_tungstenite::tungstenite::Error::Http(r)) if r.status() == 429),
            "{refused:?}"
        );
        let c = app.conversation("still-served");
        assert!(!app.say(&c, "help").await.is_empty());
        // A closed stream gives its place back.
        drop(second);
        let _ = third.close(None).await;
        let mut reopened = None;
        for _ in 0..50 {
            if let Ok(socket) = tokio_tungstenite::connect_async(b.stream_url.as_str()).await {
                reopened = Some(socket);
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(reopened.is_some(), "a place came back");
    }
}
