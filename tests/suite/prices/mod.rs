//! Price watches end to end: set in chat (after one fetch from a price source
//! on loopback, allowed for its host and port only), polled by the trigger
//! engine with one fetch per symbol whatever the number of watchers, pushed
//! by external systems through `POST /api/v1/prices`, alerted proactively in
//! the conversation that asked — and every way a source can misbehave.
//!
//! The helpers shared by the topics live here; each topic is a module.

use serde_json::Value;

use crate::helpers::{Conversation, PriceServer, TestApp, market, spawn_app_with};

mod chat;
mod fetch_safety;
mod polling;
mod push;
mod rules;
mod stalls;

async fn app_with_market(db: &crate::helpers::TestDatabase, server: &PriceServer) -> TestApp {
    spawn_app_with(
        db,
        crate::helpers::FakeConnector::start().await,
        market(server),
    )
    .await
}

fn proactive_texts(app: &TestApp, conversation: &Conversation) -> Vec<String> {
    app.connector
        .to(&conversation.id)
        .into_iter()
        .filter(|r| r.is_proactive())
        .map(|r| r.text().to_owned())
        .collect()
}

/// Waits (up to 10 s) until `conversation` has `count` proactive messages.
async fn wait_for_alerts(app: &TestApp, conversation: &Conversation, count: usize) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let texts = proactive_texts(app, conversation);
        if texts.len() >= count {
            return texts;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{count} alerts never came to {}: {texts:?}",
            conversation.id
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Waits (up to 10 s) until no polling trigger is active.
async fn wait_for_no_polls(db: &crate::helpers::TestDatabase) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let polls = db.price_polls().await;
        if polls.iter().all(|(_, _, _, state)| state != "active") {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "polls still active: {polls:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Lets delivery run a while, for asserting that nothing more arrives.
async fn settle() {
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
}

/// The watch id at the end of an echo (`… (#4)`).
fn id_in(echo: &str) -> i64 {
    echo.rsplit("(#")
        .next()
        .and_then(|rest| rest.trim_end_matches(')').parse().ok())
        .unwrap_or_else(|| panic!("no id in {echo:?}"))
}

async fn push(app: &TestApp, body: Value) -> (u16, Value) {
    app.api("POST", "/prices", Some(&body)).await
}
