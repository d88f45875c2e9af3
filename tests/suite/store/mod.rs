//! The storage port's contract, run unchanged against SQLite and PostgreSQL.
//!
//! The helpers shared by the topics (and by other suite modules: `open`,
//! `record`) live here; each topic is a module.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use herald::domain::conversation::{ConversationKey, ConversationRecord};
use herald::domain::notification::Notification;
use herald::domain::person::PersonRef;
use herald::domain::ports::{CompleteJob, Created, NewJob, OpenLimits, Store};
use herald::domain::trigger::TriggerId;
use herald::store::{SqliteSynchronous, StoreOptions};

use crate::helpers::TestDatabase;

mod conversations;
mod jobs;
mod migrations;
mod outbox;
mod retention;
mod send_budget;

pub(crate) async fn open(db: &TestDatabase) -> Arc<dyn Store> {
    let options = StoreOptions {
        url: db.url.clone(),
        max_connections: 4,
        sqlite_synchronous: SqliteSynchronous::Normal,
    };
    herald::store::open(&options, true)
        .await
        .expect("store opens")
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub(crate) fn record(conversation_id: &str) -> ConversationRecord {
    ConversationRecord {
        channel_id: "emulator".into(),
        conversation_id: conversation_id.into(),
        service_url: "http://localhost:9".into(),
        conversation_type: Some("personal".into()),
        tenant_id: None,
        is_group: false,
        bot_id: Some("bot".into()),
        user_id: Some("u1".into()),
        user_aad_object_id: None,
        locale: Some("en-US".into()),
        local_timezone: Some("Europe/Lisbon".into()),
        reference_json: format!(r#"{{"conversation":{{"id":"{conversation_id}"}}}}"#),
        service_url_verified: false,
    }
}

fn job(conversation: ConversationKey) -> NewJob<'static> {
    NewJob {
        conversation,
        owner: Some(PersonRef::new("emulator", "u1")),
        stamp: None,
        limits: OpenLimits::NONE,
    }
}

fn created(outcome: Created) -> TriggerId {
    match outcome {
        Created::Created(id) => id,
        other => panic!("not created: {other:?}"),
    }
}

fn completion(job: TriggerId, scope: Option<ConversationKey>) -> CompleteJob<'static> {
    CompleteJob {
        job,
        scope,
        stamp: None,
        notification: Notification::JobCompleted { job_id: job.get() },
    }
}
