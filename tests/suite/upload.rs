//! Files sent with a web chat message (`POST …/conversations/{id}/upload`,
//! Web Chat's paperclip): answered as the text would be, with a receipt;
//! kept with the activity and served back through signed, short-lived links;
//! refused whole past a limit or for a type not allowed; gone with `forget
//! me`, the transcript's cap and an idle conversation; spoken by the token's
//! person whatever `userId` says.

use serde_json::{Value, json};

use crate::helpers::multipart::{Part, form};
use crate::helpers::{FakeConnector, TestApp, spawn_app_with};
use crate::on_both_backends;
use crate::webchat::{Chat, activities, request, say, start};

/// The first bytes of a PNG, and some more: what the file holds matters not.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-not-really-an-image";

fn code(body: &Value) -> Option<&str> {
    body["error"]["code"].as_str()
}

/// A message as directlinejs puts it in the activity part: its own list of
/// attachments (local copies, no links) and whoever the page thinks it is.
fn message(text: &str) -> Value {
    json!({
        "type": "message", "text": text, "locale": "en-US",
        "from": {"id": "dl_page_guess", "name": "Page"},
        "attachments": [{"contentType": "image/png", "name": "photo.png", "thumbnailUrl": "data:,"}],
    })
}

async fn upload(app: &TestApp, chat: &Chat, query: &str, parts: &[Part]) -> (u16, Value) {
    let (content_type, body) = form(parts);
    let url = format!(
        "{}/v3/directline/conversations/{}/upload{query}",
        app.address, chat.id
    );
    let sent = app.client.post(url).bearer_auth(&chat.token);
    let response = sent.header("content-type", content_type).body(body).send();
    let response = response.await.expect("the upload reaches Herald");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Uploads `parts`, which must be accepted; the activity's id.
async fn uploaded(app: &TestApp, chat: &Chat, parts: &[Part]) -> String {
    let (status, body) = upload(app, chat, "?userId=dl_page_guess", parts).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

/// The transcript's activity `id`, and the texts of Herald's replies to it.
async fn in_transcript(app: &TestApp, chat: &Chat, id: &str) -> (Value, Vec<String>) {
    let (all, _) = activities(app, chat, "").await;
    let activity = all
        .iter()
        .find(|a| a["id"] == id)
        .cloned()
        .unwrap_or(Value::Null);
    let replies = all
        .iter()
        .filter(|a| a["replyToId"] == id)
        .map(|a| a["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    (activity, replies)
}

/// Sends `photo.png` without a word; the activity as the transcript shows it.
async fn photo_sent(app: &TestApp, chat: &Chat) -> Value {
    let parts = [
        Part::activity(&message("")),
        Part::file("photo.png", "image/png", PNG),
    ];
    let id = uploaded(app, chat, &parts).await;
    in_transcript(app, chat, &id).await.0
}

fn link(activity: &Value, index: usize) -> String {
    activity["attachments"][index]["contentUrl"]
        .as_str()
        .unwrap_or_else(|| panic!("no link in {activity}"))
        .to_owned()
}

/// Fetches a link as an `<img>` would: no token. Status, headers and bytes.
async fn fetch(app: &TestApp, url: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.client.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

on_both_backends! {
    async fn a_file_with_text_is_answered_received_and_served_back(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let chat = start(&app, None).await;
        let id = uploaded(&app, &chat, &[
            Part::activity(&message("run")),
            Part::file("../photo.png", "image/png", PNG),
            Part::file("notes.txt", "text/plain; charset=utf-8", b"hello"),
        ]).await;
        assert!(id.starts_with(&format!("{}|", chat.id)), "{id}");

        let (activity, replies) = in_transcript(&app, &chat, &id).await;
        assert_eq!(
            replies,
            vec![
                "I received your 2 files: photo.png, notes.txt.".to_owned(),
                "We're starting job 1 for you. We'll notify you when it's complete.".to_owned(),
            ],
            "the receipt, then the text answered as usual"
        );
        assert_eq!(activity["text"], "run");
        let files = activity["attachments"].as_array().unwrap();
        assert_eq!(files.len(), 2, "{activity}");
        assert_eq!(files[0]["contentType"], "image/png");
        assert_eq!(files[0]["name"], "photo.png", "no path kept");
        assert_eq!(files[1]["contentType"], "text/plain");
        let url = link(&activity, 0);
        assert_eq!(files[0]["thumbnailUrl"], url.as_str(), "an image is its own thumbnail, not the client's");
        assert!(files[1].get("thumbnailUrl").is_none(), "{activity}");
        let path = format!("{}/v3/directline/conversations/{}/attachments/", app.address, chat.id);
        assert!(url.starts_with(&path) && url.contains("?expires="), "{url}");

        let (status, headers, bytes) = fetch(&app, &url).await;
        assert_eq!(status, 200);
        assert_eq!(bytes, PNG);
        assert_eq!(headers["content-type"], "image/png");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["cache-control"], "private");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment; filename=\"photo.png\""), "{disposition}");
        let (status, headers, bytes) = fetch(&app, &link(&activity, 1)).await;
        assert_eq!((status, bytes.as_slice()), (200, &b"hello"[..]));
        assert_eq!(headers["content-type"], "text/plain");
        assert_eq!(db.count("webchat_attachments").await, 2);
    }
}

on_both_backends! {
    async fn links_are_refused_once_tampered_with_expired_or_moved(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let chat = start(&app, None).await;
        let other = start(&app, None).await;
        let activity = photo_sent(&app, &chat).await;
        let id = activity["id"].as_str().unwrap().to_owned();
        let url = link(&activity, 0);
        let (base, query) = url.split_once('?').unwrap();
        let (expires, signature) = query.split_once('&').unwrap();
        let flipped = if signature.ends_with('A') { "B" } else { "A" };
        let tampered = [
            format!("{base}?{expires}&{}{flipped}", &signature[..signature.len() - 1]),
            format!("{base}?expires=9999999999&{signature}"),
            format!("{base}?{expires}"),
            base.to_owned(),
            format!("{}?{query}", base.replace(&chat.id, &other.id)),
            format!("{}x?{query}", base),
        ];
        for url in &tampered {
            let (status, _, bytes) = fetch(&app, url).await;
            assert_eq!(status, 403, "{url}");
            assert!(!bytes.windows(4).any(|w| w == b"IHDR"), "nothing of the file: {url}");
        }
        // Expired: the same link, later. A new read of the transcript signs anew.
        app.clock.advance(chrono::Duration::minutes(11));
        let (status, _, body) = fetch(&app, &url).await;
        assert_eq!(status, 403);
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(code(&body), Some("Forbidden"), "Direct Line's shape: {body}");
        let (again, _) = in_transcript(&app, &chat, &id).await;
        let (status, _, bytes) = fetch(&app, &link(&again, 0)).await;
        assert_eq!((status, bytes.as_slice()), (200, PNG));
    }
}

/// Files of at most 1,000 bytes, two to an upload, 4 KiB in all.
fn small_uploads(settings: &mut herald::config::Settings) {
    settings.webchat.max_upload_file_bytes = 1000;
    settings.webchat.max_upload_files = 2;
    settings.webchat.max_upload_bytes = 4096;
}

on_both_backends! {
    async fn too_big_too_many_and_unallowed_types_are_refused_and_nothing_is_kept(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, small_uploads).await;
        let chat = start(&app, None).await;
        let (before, _) = activities(&app, &chat, "").await;
        let small = || Part::file("a.png", "image/png", &[7; 100]);
        let cases: Vec<(Vec<Part>, u16, &str, &str)> = vec![
            (vec![Part::file("big.png", "image/png", &[7; 1001])], 413, "MessageSizeTooBig", "big.png"),
            (vec![small(), small(), small()], 400, "BadArgument", "at most 2 files"),
            (vec![Part::activity(&message(&"x".repeat(5000))), small()], 413, "MessageSizeTooBig", "4096"),
            (vec![Part::file("page.html", "text/html", b"<script>")], 400, "BadArgument", "text/html"),
            (vec![Part::file("logo.svg", "image/svg+xml", b"<svg/>")], 400, "BadArgument", "image/svg+xml"),
            (vec![Part::file("x.bin", "application/octet-stream", b"?")], 400, "BadArgument", "application/octet-stream"),
        ];
        for (files, status, expected, says) in cases {
            let mut parts = vec![Part::activity(&message("run"))];
            parts.extend(files);
            let (answered, body) = upload(&app, &chat, "", &parts).await;
            assert_eq!((answered, code(&body)), (status, Some(expected)), "{says}: {body}");
            assert!(body["error"]["message"].as_str().unwrap().contains(says), "{body}");
        }
        // The activity part as posted activities are checked.
        let no_activity = [small()];
        let bad_json = [Part { body: b"{not json".to_vec(), ..Part::activity(&json!({})) }, small()];
        let typing = [Part::activity(&json!({"type": "typing"})), small()];
        let control = [Part::activity(&json!({"type": "message", "text": "hi", "replyToId": "a\u{1b}b"})), small()];
        for parts in [&no_activity[..], &bad_json[..], &typing[..], &control[..]] {
            let (status, body) = upload(&app, &chat, "", parts).await;
            assert_eq!((status, code(&body)), (400, Some("BadArgument")), "{body}");
        }
        // Not a form at all.
        let (status, body) = request(&app, "POST", &format!("/conversations/{}/upload", chat.id), Some(&chat.token), Some(message("run"))).await;
        assert_eq!((status, code(&body)), (400, Some("BadArgument")), "{body}");

        let (after, _) = activities(&app, &chat, "").await;
        assert_eq!(after.len(), before.len(), "no refused upload is in the transcript");
        assert_eq!(db.count("webchat_attachments").await, 0);
        assert_eq!(db.count("triggers").await, 0, "no refused upload's text was acted on");
    }
}

on_both_backends! {
    async fn uploads_have_their_own_body_limit_not_the_json_one(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |settings| {
            settings.server.max_body_bytes = 64 * 1024;
        })
        .await;
        let chat = start(&app, None).await;
        let photo = vec![42u8; 1024 * 1024];
        let id = uploaded(&app, &chat, &[
            Part::activity(&message("")),
            Part::file("big.jpg", "image/jpeg", &photo),
        ]).await;
        let (activity, replies) = in_transcript(&app, &chat, &id).await;
        assert_eq!(replies, vec!["I received your file big.jpg.".to_owned()], "files alone: the receipt only");
        let (status, _, bytes) = fetch(&app, &link(&activity, 0)).await;
        assert_eq!((status, bytes.len()), (200, photo.len()));
        // The message inside keeps the JSON limit.
        let long = Part::activity(&message(&"x".repeat(70 * 1024)));
        let (status, body) = upload(&app, &chat, "", &[long]).await;
        assert_eq!((status, code(&body)), (413, Some("MessageSizeTooBig")), "{body}");
    }
}

on_both_backends! {
    async fn the_receipt_speaks_the_persons_language(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        for (locale, receipt) in [
            ("fr-FR", "J'ai bien reçu ton fichier a\\_b.pdf."),
            ("pt-PT", "Recebi o seu ficheiro a\\_b.pdf."),
            ("pt-BR", "Recebi o seu arquivo a\\_b.pdf."),
        ] {
            let chat = start(&app, None).await;
            let activity = json!({"type": "message", "text": "", "locale": locale});
            let id = uploaded(&app, &chat, &[
                Part::activity(&activity),
                Part::file("a_b.pdf", "application/pdf", b"%PDF-1.4"),
            ]).await;
            let (_, replies) = in_transcript(&app, &chat, &id).await;
            assert_eq!(replies, vec![receipt.to_owned()], "{locale}: names shown as text");
        }
    }
}

on_both_backends! {
    async fn forget_me_deletes_the_files(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let chat = start(&app, None).await;
        let url = link(&photo_sent(&app, &chat).await, 0);
        let (status, body) = request(&app, "POST", &format!("/conversations/{}/activities", chat.id),
            Some(&chat.token), Some(json!({
                "type": "message",
                "value": {"herald": "forgetMe", "confirm": true, "lang": "en"},
            }))).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(db.count("webchat_attachments").await, 0);
        let (status, _, bytes) = fetch(&app, &url).await;
        assert_eq!(status, 404, "a link still signed finds nothing");
        assert!(!bytes.windows(4).any(|w| w == b"IHDR"));
    }
}

on_both_backends! {
    async fn files_go_with_their_activity_and_with_their_conversation(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |settings| {
            settings.webchat.max_transcript_activities = 10;
        })
        .await;
        let chat = start(&app, None).await;
        photo_sent(&app, &chat).await;
        assert_eq!(db.count("webchat_attachments").await, 1);
        // Each message and its answer: the upload's activity leaves the cap.
        for _ in 0..5 {
            say(&app, &chat, "help").await;
        }
        assert_eq!(db.count("webchat_attachments").await, 0, "trimmed with its activity");

        let idle = start(&app, None).await;
        photo_sent(&app, &idle).await;
        let later = herald::domain::clock::Clock::now(app.clock.as_ref()) + chrono::Duration::seconds(1);
        app.store.prune_webchat_conversations(later).await.unwrap();
        assert_eq!(db.count("webchat_attachments").await, 0, "pruned with its conversation");
    }
}

on_both_backends! {
    async fn a_forged_user_id_changes_nothing(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let chat = start(&app, None).await;
        let said = say(&app, &chat, "help").await;
        let (plain, _) = in_transcript(&app, &chat, &said).await;
        let person = plain["from"]["id"].as_str().unwrap().to_owned();
        let forged = json!({"type": "message", "text": "run", "from": {"id": "29:victim", "role": "bot"}});
        let (status, body) = upload(&app, &chat, "?userId=29:victim", &[
            Part::activity(&forged),
            Part::file("a.png", "image/png", PNG),
        ]).await;
        assert_eq!(status, 200, "{body}");
        let (activity, _) = in_transcript(&app, &chat, body["id"].as_str().unwrap()).await;
        assert_eq!(activity["from"]["id"], person.as_str(), "the token's person: {activity}");
        assert_eq!(activity["from"]["role"], "user");
        let store = app.store.as_ref();
        let owned = store.user("webchat", "29:victim").await.unwrap();
        assert!(owned.is_none(), "nothing was kept for the claimed user");
        // Another conversation's token cannot upload here.
        let other = start(&app, None).await;
        let intruder = Chat { id: chat.id.clone(), token: other.token.clone(), stream_url: String::new() };
        let (status, body) = upload(&app, &intruder, "", &[Part::activity(&message("run"))]).await;
        assert_eq!((status, code(&body)), (403, Some("Forbidden")), "{body}");
    }
}
