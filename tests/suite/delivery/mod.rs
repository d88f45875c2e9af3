//! Proactive delivery from the outbox: retries with backoff on the injected
//! clock, `Retry-After` (and backoff without it), a connector failing half the
//! time, dead letters for what can never succeed and their API, unreachable
//! conversations (403, the bot removed or uninstalled) and `/metrics`.
//!
//! The helpers shared by the topics live here; each topic is a module.

use chrono::Duration;
use herald::domain::ports::{OutboxEntry, OutboxId, OutboxState};

use crate::helpers::TestApp;

mod dead_letters;
mod retries;
mod unreachable;

async fn wait_for_state(app: &TestApp, id: OutboxId, state: OutboxState) -> OutboxEntry {
    app.wait_for_outbox(id, state.as_str(), |e| e.state == state)
        .await
}

async fn wait_for_attempts(app: &TestApp, id: OutboxId, attempts: u32) {
    app.wait_for_outbox(id, "attempted", |e| e.attempts >= attempts)
        .await;
}

/// Steps the clock by `step` until `done` holds (or 30 s of real time pass).
async fn drive(app: &TestApp, step: Duration, what: &str, done: impl AsyncFnPredicate) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done.holds(app).await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out driving the clock until {what}"
        );
        app.advance(step);
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// A condition on the app that needs to await (the store, the API).
trait AsyncFnPredicate {
    async fn holds(&self, app: &TestApp) -> bool;
}

/// Every outbox row up to `last` is in `state`.
struct AllOutbox {
    last: i64,
    state: OutboxState,
}

impl AsyncFnPredicate for AllOutbox {
    async fn holds(&self, app: &TestApp) -> bool {
        for id in 1..=self.last {
            match app.store.outbox_entry(OutboxId(id)).await.unwrap() {
                Some(entry) if entry.state == self.state => {}
                _ => return false,
            }
        }
        true
    }
}

async fn metrics_text(app: &TestApp) -> (u16, String) {
    let response = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}
