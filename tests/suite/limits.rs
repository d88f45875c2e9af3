//! Limits against abuse: open jobs, turns per conversation, and what slow or
//! bloated clients get from the listener.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{FakeConnector, TestApp, spawn_app_with};
use crate::on_both_backends;

on_both_backends! {
    async fn open_jobs_are_capped_politely(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| s.limits.jobs_per_conversation = 2).await;
        let a = app.conversation("cap");
        app.say(&a, "run").await;
        app.say(&a, "run").await;
        let refused = app.say(&a, "run").await;
        assert!(refused[0].starts_with("This conversation already has 2 open jobs"), "{}", refused[0]);
        app.say(&a, "done 1").await;
        assert_eq!(app.say(&a, "run").await, vec!["We're starting job 3 for you. We'll notify you when it's complete."]);
    }
}

on_both_backends! {
    async fn a_flooding_conversation_is_throttled_and_others_are_not(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| s.limits.turns_per_conversation_per_minute = 5).await;
        let a = app.conversation("flood");
        for _ in 0..5 {
            app.send(&a.message("run")).await;
        }
        let response = app.client.post(app.messages_url()).json(&a.message("run")).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 429);
        let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry_after));
        let b = app.conversation("calm");
        let log = app.say(&b, "show").await;
        assert!(log[0].starts_with("**Job log** (5 jobs)"), "the throttled turn stored nothing: {}", log[0]);
        // The rate is timed on Herald's clock: a minute on it, the flood may talk again.
        app.advance(chrono::Duration::seconds(60));
        let response = app.client.post(app.messages_url()).json(&a.message("show")).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
    }
}

fn authority(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection (or 10 s pass); returns what came.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return String::from_utf8_lossy(&received).into_owned(),
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => panic!(
                "the server kept the connection open: {}",
                String::from_utf8_lossy(&received)
            ),
        }
    }
}

on_both_backends! {
    async fn slow_and_bloated_clients_are_cut_off(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| {
            s.server.header_read_timeout_secs = 1;
            s.server.body_read_timeout_secs = 1;
            s.server.max_header_bytes = 8192;
        })
        .await;
        let address = authority(&app);

        // Slow-loris: headers that never end.
        let mut slow = TcpStream::connect(&address).await.unwrap();
        slow.write_all(b"POST /api/messages HTTP/1.1\r\nHost: herald\r\nX-Slow: 1\r\n").await.unwrap();
        let answer = read_until_closed(&mut slow).await;
        assert!(!answer.contains(" 200 "), "{answer}");

        // Headers far beyond the limit.
        let mut bloated = TcpStream::connect(&address).await.unwrap();
        let huge = format!("GET /healthz HTTP/1.1\r\nHost: herald\r\nX-Big: {}\r\n\r\n", "a".repeat(64 * 1024));
        let _ = bloated.write_all(huge.as_bytes()).await;
        let answer = read_until_closed(&mut bloated).await;
        assert!(answer.starts_with("HTTP/1.1 431"), "{answer:?}");

        // A body that stops half-way.
        let mut stalled = TcpStream::connect(&address).await.unwrap();
        stalled
            .write_all(b"POST /api/messages HTTP/1.1\r\nHost: herald\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"type\":")
            .await
            .unwrap();
        let mut buffer = vec![0u8; 1024];
        let n = tokio::time::timeout(Duration::from_secs(10), stalled.read(&mut buffer)).await.expect("an answer").unwrap();
        let answer = String::from_utf8_lossy(&buffer[..n]);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

        // Meanwhile Herald serves everyone else.
        let health = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
        assert_eq!(health.status().as_u16(), 200);
    }
}

on_both_backends! {
    async fn connections_beyond_the_cap_are_closed_at_once(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |s| s.server.max_connections = 2).await;
        let address = authority(&app);
        let _first = TcpStream::connect(&address).await.unwrap();
        let _second = TcpStream::connect(&address).await.unwrap();
        // Give the listener a moment to accept both.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut third = TcpStream::connect(&address).await.unwrap();
        let _ = third.write_all(b"GET /healthz HTTP/1.1\r\nHost: herald\r\n\r\n").await;
        let answer = read_until_closed(&mut third).await;
        assert!(answer.is_empty(), "served beyond the cap: {answer}");
        drop((_first, _second));
        tokio::time::sleep(Duration::from_millis(200)).await;
        let health = reqwest::get(format!("{}/healthz", app.address)).await.unwrap();
        assert_eq!(health.status().as_u16(), 200, "room again once they closed");
    }
}

/// A create body for `/api/v1/triggers` in conversation `id`.
fn repeating(id: &str, schedule: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"conversation": {"channelId": "emulator", "id": id}, "text": "tick", "schedule": schedule})
}

on_both_backends! {
    async fn schedules_repeating_faster_than_the_minimum_are_refused_through_the_api(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let a = app.conversation("api-often");
        app.say(&a, "hello").await;
        for (schedule, field) in [
            (serde_json::json!({"every": "1s"}), "schedule.every"),
            (serde_json::json!({"every": "59s"}), "schedule.every"),
            (serde_json::json!({"cron": "* * * * * *"}), "schedule.cron"),
            (serde_json::json!({"cron": "*/30 * * * * *", "timezone": "Europe/Lisbon"}), "schedule.cron"),
            (serde_json::json!({"cron": "0,30 * * * * *"}), "schedule.cron"),
        ] {
            let (status, body) = app.api("POST", "/triggers", Some(&repeating(&a.id, schedule.clone()))).await;
            assert_eq!((status, body["error"]["code"].as_str()), (400, Some("invalid_schedule")), "{schedule}: {body}");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(message.starts_with(&format!("{field}: repeats more often than Herald allows (at most every 1m")), "{message}");
        }
        let (_, listed) = app.api("GET", "/triggers", None).await;
        assert_eq!(listed["items"].as_array().unwrap().len(), 0, "nothing was created");
        for schedule in [serde_json::json!({"every": "1m"}), serde_json::json!({"cron": "* * * * *"}), serde_json::json!({"cron": "0 * * * * *"})] {
            let (status, body) = app.api("POST", "/triggers", Some(&repeating(&a.id, schedule.clone()))).await;
            assert_eq!(status, 201, "{schedule}: {body}");
        }
    }
}

on_both_backends! {
    async fn reminders_repeating_faster_than_the_minimum_are_refused_in_chat(db: TestDatabase) {
        let app = spawn_app_with(&db, FakeConnector::start().await, |_| {}).await;
        let a = app.conversation("chat-often");
        let refusal = "There must be at least 1 min between two reminders, so I haven't set anything.";
        for ask in ["remind me every 10 seconds to blink", "remind me `*/10 * * * * *` to blink"] {
            let refused = app.say(&a, ask).await;
            assert!(refused[0].starts_with(refusal), "{ask}: {refused:?}");
        }
        assert!(app.say(&a, "reminders").await[0].starts_with("There are no reminders here."));
        let set = app.say(&a, "remind me every day at 9:00 to stretch").await;
        assert!(set[0].starts_with("I'll remind you every day at 09:00"), "{set:?}");
        let edited = app.say(&a, "edit 1 every 10 seconds").await;
        assert!(edited[0].starts_with(refusal), "{edited:?}");

        // The minimum is a setting, for chat and the API alike.
        let strict = spawn_app_with(&db, FakeConnector::start().await, |s| s.limits.min_repeat_secs = 600).await;
        let b = strict.conversation("strict");
        let refused = strict.say(&b, "remind me every 5 minutes to stretch").await;
        assert!(refused[0].starts_with("There must be at least 10 min between two reminders"), "{refused:?}");
        let set = strict.say(&b, "remind me every 10 minutes to stretch").await;
        assert!(set[0].starts_with("I'll remind you every 10 min"), "{set:?}");
        let (status, body) = strict.api("POST", "/triggers", Some(&repeating(&b.id, serde_json::json!({"every": "5m"})))).await;
        assert_eq!(status, 400, "{body}");
        let mut french = b.message("rappelle-moi toutes les 5 minutes de m'étirer");
        french["locale"] = serde_json::json!("fr-FR");
        strict.send(&french).await;
        assert!(strict.replies_to(&french)[0].starts_with("Il faut au moins 10 min entre deux rappels"), "{:?}", strict.replies_to(&french));
    }
}
