//! `/api/v1/triggers`: external systems schedule timers and reminders for
//! conversations Herald knows; they fire proactively in that conversation.
//! Also the scheduler waking for an earlier trigger (from another instance:
//! `instances.rs`).

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use herald::domain::clock::Clock;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use crate::helpers::{FakeConnector, TestApp, call_api, spawn_app, spawn_app_with};
use crate::on_both_backends;

async fn request(
    app: &TestApp,
    method: &str,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> (u16, Value, HeaderMap) {
    let answer = call_api(app, method, &format!("/api/v1{path}"), None, body, headers).await;
    (answer.status, answer.body, answer.headers)
}

fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// A create body for conversation `id` of the Emulator.
fn trigger(id: &str, text: &str, schedule: Value) -> Value {
    json!({"conversation": {"channelId": "emulator", "id": id}, "text": text, "schedule": schedule})
}

on_both_backends! {
    async fn external_systems_schedule_reminders_that_fire_in_the_conversation(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("A");
        app.say(&a, "hello").await;
        let now = app.clock.now();

        let body = trigger(&a.id, "Stand-up in 5 minutes", json!({"at": iso(now + Duration::minutes(5))}));
        let (status, created, headers) = request(&app, "POST", "/triggers", Some(&body), &[]).await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_i64().unwrap();
        assert_eq!(headers["location"], format!("/api/v1/triggers/{id}").as_str());
        assert_eq!(created["kind"], "timer");
        assert_eq!(created["state"], "active");
        assert_eq!(at(created["nextFireAt"].as_str().unwrap()), now + Duration::minutes(5));
        assert_eq!(created["conversation"]["id"], a.id.as_str());

        app.advance(Duration::minutes(4));
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(app.connector.to(&a.id).iter().all(|r| !r.is_proactive()), "not due yet");
        app.advance(Duration::minutes(1));
        let fired = app
            .connector
            .wait_for("the reminder", |r| r.is_proactive() && r.conversation_id == a.id)
            .await;
        assert_eq!(fired.text(), "⏰ Stand-up in 5 minutes");
        let (_, after, _) = request(&app, "GET", &format!("/triggers/{id}"), None, &[]).await;
        assert_eq!((after["state"].as_str(), after["fireCount"].as_u64()), (Some("completed"), Some(1)));
        assert_eq!(after["nextFireAt"], Value::Null);

        let every = trigger(&a.id, "water", json!({"every": "2h", "start": "2026-11-22T11:00:00Z", "count": 3}));
        let (status, created, _) = request(&app, "POST", "/triggers", Some(&every), &[]).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["kind"], "reminder");
        assert_eq!(created["schedule"]["every"], "2h");
        assert_eq!(created["schedule"]["count"], 3);
        assert_eq!(at(created["nextFireAt"].as_str().unwrap()), at("2026-11-22T11:00:00Z"));
        let cron = trigger(&a.id, "stand-up", json!({"cron": "0 9 * * MON-FRI", "timezone": "Europe/Lisbon"}));
        let (status, created, _) = request(&app, "POST", "/triggers", Some(&cron), &[]).await;
        assert_eq!(status, 201, "{created}");
        // 2026-11-22 is a Sunday: Monday 09:00 in Lisbon (UTC in winter).
        assert_eq!(at(created["nextFireAt"].as_str().unwrap()), at("2026-11-23T09:00:00Z"));

        // Every other Monday, counted from the week of `start`: not the 23rd.
        let fortnightly = trigger(
            &a.id,
            "water the plants",
            json!({"cron": "0 9 * * MON", "timezone": "Europe/Lisbon", "weeks": 2, "start": "2026-11-30T00:00:00Z"}),
        );
        let (status, created, _) = request(&app, "POST", "/triggers", Some(&fortnightly), &[]).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["schedule"]["weeks"], 2);
        assert_eq!(at(created["nextFireAt"].as_str().unwrap()), at("2026-11-30T09:00:00Z"));
        let listed = app.say(&a, "reminders").await;
        assert!(listed[0].contains("every other Monday at 09:00"), "{listed:?}");
    }
}

on_both_backends! {
    async fn a_retry_with_the_same_idempotency_key_creates_nothing_new(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("A");
        app.say(&a, "hello").await;
        let body = trigger(&a.id, "once only", json!({"at": "2026-11-22T12:00:00Z"}));
        let key = [("Idempotency-Key", "order-7f3a")];

        let (status, first, headers) = request(&app, "POST", "/triggers", Some(&body), &key).await;
        assert_eq!(status, 201, "{first}");
        assert!(headers.get("idempotent-replayed").is_none());
        let (status, again, headers) = request(&app, "POST", "/triggers", Some(&body), &key).await;
        assert_eq!(status, 201);
        assert_eq!(again["id"], first["id"]);
        assert_eq!(headers["idempotent-replayed"], "true");
        // The same request written otherwise (fields reordered, spaced) is the same request.
        let rewritten = format!(
            r#"{{ "schedule": {{ "at": "2026-11-22T12:00:00Z" }},
                 "text": "once only", "conversation": {{"id": "{}", "channelId": "emulator"}} }}"#,
            a.id
        );
        let response = app.client.post(format!("{}/api/v1/triggers", app.address))
            .header("content-type", "application/json")
            .header("Idempotency-Key", "order-7f3a")
            .body(rewritten)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        assert_eq!(response.headers()["idempotent-replayed"], "true");
        assert_eq!(response.json::<Value>().await.unwrap()["id"], first["id"]);

        let other = trigger(&a.id, "something else", json!({"at": "2026-11-22T12:00:00Z"}));
        let (status, refused, _) = request(&app, "POST", "/triggers", Some(&other), &key).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (422, Some("idempotency_key_reused")));
        let (_, listed, _) = request(&app, "GET", "/triggers", None, &[]).await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);

        // Concurrent retries: still one trigger.
        let body = trigger(&a.id, "raced", json!({"at": "2026-11-22T12:00:00Z"}));
        let racers: Vec<_> = (0..8)
            .map(|_| request(&app, "POST", "/triggers", Some(&body), &[("Idempotency-Key", "race")]))
            .collect();
        let mut ids = Vec::new();
        for (status, created, _) in futures_join(racers).await {
            assert_eq!(status, 201, "{created}");
            ids.push(created["id"].as_i64().unwrap());
        }
        ids.dedup();
        assert_eq!(ids.len(), 1, "{ids:?}");
    }
}

async fn futures_join<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut outputs = Vec::new();
    let mut set = Vec::new();
    for future in futures {
        set.push(Box::pin(future));
    }
    // Polled together, so the requests overlap on the server.
    let mut pending: Vec<_> = set.into_iter().map(Some).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for slot in pending.iter_mut() {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(output) => {
                        outputs.push(output);
                        *slot = None;
                    }
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    outputs
}

on_both_backends! {
    async fn bad_trigger_requests_name_the_field(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("A");
        app.say(&a, "hello").await;
        let good = trigger(&a.id, "x", json!({"at": "2026-11-22T12:00:00Z"}));
        let with = |path: &[&str], value: Value| {
            let mut body = good.clone();
            let mut target = &mut body;
            for key in &path[..path.len() - 1] {
                target = &mut target[*key];
            }
            target[path[path.len() - 1]] = value;
            body
        };
        let cases = [
            (with(&["text"], json!("   ")), "text"),
            (with(&["text"], json!("x".repeat(2001))), "text"),
            (with(&["text"], json!(7)), "text"),
            (with(&["colour"], json!("red")), "colour"),
            (with(&["kind"], json!("alarm")), "kind"),
            (with(&["schedule"], json!({"at": "2026-11-22T09:00:00Z"})), "schedule.at"),
            (with(&["schedule"], json!({"at": "tomorrow"})), "schedule.at"),
            (with(&["schedule"], json!({"every": "soon"})), "schedule.every"),
            (with(&["schedule"], json!({"every": "0s"})), "schedule.every"),
            (with(&["schedule"], json!({"cron": "61 * * * *"})), "schedule.cron"),
            (with(&["schedule"], json!({"cron": "0 9 * * *", "timezone": "Mars/Olympus"})), "schedule.timezone"),
            (with(&["schedule"], json!({"cron": "0 9 * * *", "count": 0})), "schedule.count"),
            (with(&["schedule"], json!({"cron": "0 9 * * MON", "weeks": 0})), "schedule.weeks"),
            (with(&["schedule"], json!({"every": "1d", "weeks": 2})), "schedule.weeks"),
            (with(&["schedule"], json!({"every": "1h", "until": "2026-11-22T09:00:00Z"})), "schedule"),
            (with(&["schedule"], json!({})), "schedule"),
            (with(&["schedule"], json!({"at": "2026-11-22T12:00:00Z", "every": "1h"})), "schedule"),
            (with(&["schedule", "repeat"], json!(true)), "schedule"),
            (with(&["conversation", "id"], json!("nobody-knows-this")), "conversation"),
            (with(&["conversation"], json!({"id": a.id})), "conversation"),
        ];
        for (body, field) in cases {
            let (status, answer, _) = request(&app, "POST", "/triggers", Some(&body), &[]).await;
            assert_eq!(status, 400, "{body} -> {answer}");
            let message = answer["error"]["message"].as_str().unwrap();
            assert!(message.starts_with(field) || message.contains(&format!("`{field}`")), "{field}: {message}");
        }
        let (status, answer, _) = request(&app, "POST", "/triggers", Some(&good), &[("Idempotency-Key", "")]).await;
        assert_eq!(status, 400, "{answer}");
        assert!(answer["error"]["message"].as_str().unwrap().starts_with("Idempotency-Key"));
        let response = app.client.post(format!("{}/api/v1/triggers", app.address)).body("{}").send().await.unwrap();
        assert_eq!(response.status().as_u16(), 415);
        let response = app.client.post(format!("{}/api/v1/triggers", app.address))
            .header("content-type", "application/json").body("{\"text\": ").send().await.unwrap();
        assert_eq!(response.status().as_u16(), 400);
        let answer: Value = response.json().await.unwrap();
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.starts_with("the body is not JSON: "), "{message}");
        let (_, listed, _) = request(&app, "GET", "/triggers", None, &[]).await;
        assert_eq!(listed["items"], json!([]), "nothing was created by bad requests");
    }
}

on_both_backends! {
    async fn triggers_are_listed_by_page_and_paused_resumed_and_cancelled(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let (a, b) = (app.conversation("A"), app.conversation("B"));
        app.say(&a, "hello").await;
        app.say(&b, "hello").await;
        let mut ids = Vec::new();
        for (conversation, schedule) in [
            (&a.id, json!({"every": "1h", "start": "2026-11-22T11:00:00Z"})),
            (&a.id, json!({"at": "2026-11-22T12:00:00Z"})),
            (&b.id, json!({"at": "2026-11-22T13:00:00Z"})),
            (&b.id, json!({"cron": "*/15 * * * *"})),
            (&b.id, json!({"at": "2026-11-22T14:00:00Z"})),
        ] {
            let (status, created, _) = request(&app, "POST", "/triggers", Some(&trigger(conversation, "t", schedule)), &[]).await;
            assert_eq!(status, 201, "{created}");
            ids.push(created["id"].as_i64().unwrap());
        }
        let listed_ids = |page: &Value| page["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect::<Vec<_>>();

        let (_, page, _) = request(&app, "GET", &format!("/triggers?conversationId={}", a.id), None, &[]).await;
        assert_eq!(listed_ids(&page), ids[..2]);
        let (_, page, _) = request(&app, "GET", "/triggers?limit=2", None, &[]).await;
        assert_eq!(listed_ids(&page), ids[..2]);
        let cursor = page["nextCursor"].as_str().unwrap().to_owned();
        let (_, page, _) = request(&app, "GET", &format!("/triggers?limit=2&cursor={cursor}"), None, &[]).await;
        assert_eq!(listed_ids(&page), ids[2..4]);
        let cursor = page["nextCursor"].as_str().unwrap().to_owned();
        let (_, page, _) = request(&app, "GET", &format!("/triggers?limit=2&cursor={cursor}"), None, &[]).await;
        assert_eq!(listed_ids(&page), ids[4..]);
        assert_eq!(page["nextCursor"], Value::Null);
        let (_, page, _) = request(&app, "GET", "/triggers?kind=reminder&channelId=emulator", None, &[]).await;
        assert_eq!(listed_ids(&page), vec![ids[0], ids[3]]);

        let first = ids[0];
        let (status, paused, _) = request(&app, "POST", &format!("/triggers/{first}/pause"), None, &[]).await;
        assert_eq!((status, paused["state"].as_str()), (200, Some("paused")), "{paused}");
        assert_eq!(paused["nextFireAt"], Value::Null);
        let (status, _, _) = request(&app, "POST", &format!("/triggers/{first}/pause"), None, &[]).await;
        assert_eq!(status, 200, "pausing twice is harmless");
        let (_, page, _) = request(&app, "GET", "/triggers?state=paused", None, &[]).await;
        assert_eq!(listed_ids(&page), vec![first]);
        app.advance(Duration::minutes(150));
        let (status, resumed, _) = request(&app, "POST", &format!("/triggers/{first}/resume"), None, &[]).await;
        assert_eq!((status, resumed["state"].as_str()), (200, Some("active")));
        // Paused at 10:00, resumed at 12:30: the next hour is 13:00.
        assert_eq!(at(resumed["nextFireAt"].as_str().unwrap()), at("2026-11-22T13:00:00Z"));
        let (status, cancelled, _) = request(&app, "POST", &format!("/triggers/{first}/cancel"), None, &[]).await;
        assert_eq!((status, cancelled["state"].as_str()), (200, Some("cancelled")));
        let (status, refused, _) = request(&app, "POST", &format!("/triggers/{first}/resume"), None, &[]).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (409, Some("invalid_state")));

        assert_eq!(request(&app, "GET", "/triggers/999", None, &[]).await.0, 404);
        assert_eq!(request(&app, "POST", "/triggers/999/pause", None, &[]).await.0, 404);
        for bad in ["/triggers/abc", "/triggers/0/cancel", "/triggers?limit=0", "/triggers?limit=201",
                    "/triggers?cursor=xyz", "/triggers?kind=alarm", "/triggers?state=asleep", "/triggers?colour=red"] {
            let method = if bad.ends_with("cancel") { "POST" } else { "GET" };
            let (status, answer, _) = request(&app, method, bad, None, &[]).await;
            assert_eq!(status, 400, "{bad}: {answer}");
        }
    }
}

on_both_backends! {
    async fn the_openapi_document_describes_the_routes_served(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let (status, document, _) = request(&app, "GET", "/openapi.json", None, &[]).await;
        assert_eq!(status, 200);
        for (path, operations) in document["paths"].as_object().unwrap() {
            let path = path.replace("{id}", "1");
            let path = path.strip_prefix("/api/v1").unwrap();
            // A method the route does not take: 405 shows the route exists.
            let (status, _, _) = request(&app, "DELETE", path, None, &[]).await;
            assert_eq!(status, 405, "{path} is documented but not served");
            assert!(!operations.as_object().unwrap().contains_key("delete"));
        }
    }
}

on_both_backends! {
    async fn the_scheduler_wakes_for_a_trigger_earlier_than_the_one_it_sleeps_for(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| s.scheduler.max_sleep_secs = 3600).await;
        let a = app.conversation("A");
        app.say(&a, "hello").await;
        let now = app.clock.now();
        let later = trigger(&a.id, "in two hours", json!({"at": iso(now + Duration::hours(2))}));
        assert_eq!(request(&app, "POST", "/triggers", Some(&later), &[]).await.0, 201);
        // The scheduler now sleeps (up to an hour) for that one.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let sooner = trigger(&a.id, "in one second", json!({"at": iso(now + Duration::seconds(1))}));
        assert_eq!(request(&app, "POST", "/triggers", Some(&sooner), &[]).await.0, 201);
        // Time passes without telling the scheduler: only the wake-up on
        // creation made it sleep one second instead of an hour.
        app.clock.advance(Duration::seconds(1));
        let fired = app.connector.wait_for("the sooner trigger", |r| r.is_proactive()).await;
        assert_eq!(fired.text(), "⏰ in one second");
    }
}
