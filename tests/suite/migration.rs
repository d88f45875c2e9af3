//! The people migration on a database made by the previous version: every
//! reminder, watch and setting keeps its owner, now with the owner's channel,
//! and each anonymous web chat conversation becomes a person of its own.

use std::borrow::Cow;

use herald::domain::person::Person;
use herald::domain::trigger::TriggerId;
use sqlx::migrate::Migrator;

use crate::helpers::TestDatabase;
use crate::on_both_backends;
use crate::store::open;

/// The first migration of this version.
const PEOPLE: i64 = 20261204000001;

/// Rows as the previous version wrote them (`{now}` is an instant literal).
const BEFORE: &[&str] = &[
    "INSERT INTO conversations (id, channel_id, conversation_id, service_url, reference_json,
         created_at, updated_at) VALUES
         (1, 'msteams', 'teams-1', 'https://smba.example/', '{}', {now}, {now}),
         (2, 'webchat', 'abc', 'http://webchat.herald.invalid/', '{}', {now}, {now})",
    "INSERT INTO triggers (id, kind, state, conversation_key, owner_user_id, text, created_at,
         updated_at) VALUES
         (1, 'reminder', 'active', 1, '29:1ana', 'call the bank', {now}, {now}),
         (2, 'reminder', 'active', 2, 'webchat-user', 'stretch', {now}, {now}),
         (3, 'job', 'active', 1, NULL, NULL, {now}, {now})",
    "INSERT INTO price_watches (id, conversation_key, owner_user_id, source, symbol, rule_json,
         repeat, base, low, armed, state, created_at, updated_at) VALUES
         (1, 1, '29:1ana', 'coingecko', 'bitcoin', '{\"kind\": \"below\", \"price\": \"30000\"}',
          FALSE, '40000', '40000', TRUE, 'active', {now}, {now})",
    "INSERT INTO users (channel_id, user_id, time_zone, created_at, updated_at) VALUES
         ('msteams', '29:1ana', 'Europe/Lisbon', {now}, {now}),
         ('webchat', 'webchat-user', 'Europe/Paris', {now}, {now})",
    "INSERT INTO webchat_conversations (id, user_id, created_at, updated_at)
         VALUES ('abc', 'webchat-user', {now}, {now})",
];

async fn previous_version(db: &TestDatabase) {
    let folder = if db.is_postgres() {
        "migrations/postgres"
    } else {
        "migrations/sqlite"
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut migrator = Migrator::new(path).await.unwrap();
    migrator.migrations = Cow::Owned(
        migrator
            .migrations
            .iter()
            .filter(|m| m.version < PEOPLE)
            .cloned()
            .collect(),
    );
    let now = if db.is_postgres() { "now()" } else { "0" };
    if db.is_postgres() {
        let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
        migrator.run(&pool).await.unwrap();
        for statement in BEFORE {
            sqlx::query(&statement.replace("{now}", now))
                .execute(&pool)
                .await
                .unwrap();
        }
        pool.close().await;
    } else {
        let options: sqlx::sqlite::SqliteConnectOptions = db.url.parse().unwrap();
        let pool = sqlx::SqlitePool::connect_with(options.create_if_missing(true))
            .await
            .unwrap();
        migrator.run(&pool).await.unwrap();
        for statement in BEFORE {
            sqlx::query(&statement.replace("{now}", now))
                .execute(&pool)
                .await
                .unwrap();
        }
        pool.close().await;
    }
}

on_both_backends! {
    async fn the_people_migration_keeps_every_reminder_with_its_owner(db: TestDatabase) {
        previous_version(&db).await;
        let store = open(&db).await;
        let owner = |id| {
            let store = store.clone();
            async move { store.trigger(TriggerId::new(id).unwrap()).await.unwrap().unwrap().owner }
        };
        assert_eq!(owner(1).await, Some(Person::new("msteams", "29:1ana")));
        assert_eq!(owner(2).await, Some(Person::new("webchat", "dl_abc")), "the anonymous one is its own");
        assert_eq!(owner(3).await, None);
        let watch = store.watch(herald::domain::price::WatchId(1)).await.unwrap().unwrap();
        assert_eq!(watch.owner, Some(Person::new("msteams", "29:1ana")));
        let kept = store.user("webchat", "dl_abc").await.unwrap().unwrap();
        assert_eq!(kept.time_zone.as_deref(), Some("Europe/Paris"), "the shared settings, copied");
        assert!(store.user("webchat", "webchat-user").await.unwrap().is_none());
        let session = store.webchat_session("abc").await.unwrap().unwrap();
        assert_eq!(session.user_id, "dl_abc");
        let teams = store.user("msteams", "29:1ana").await.unwrap().unwrap();
        assert_eq!(teams.time_zone.as_deref(), Some("Europe/Lisbon"));
    }
}
