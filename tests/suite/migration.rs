//! Migrations on a database made by the version before them: the people
//! migration keeps every reminder, watch and setting with its owner, now with
//! the owner's channel, and makes each anonymous web chat conversation a
//! person of its own; the whole-second migration truncates cron firings that
//! carried milliseconds and leaves every other instant as it was.

use std::borrow::Cow;

use herald::domain::person::Person;
use herald::domain::trigger::TriggerId;
use sqlx::migrate::Migrator;

use crate::helpers::TestDatabase;
use crate::on_both_backends;
use crate::store::open;

/// The people migration.
const PEOPLE: i64 = 20261204000001;
/// The whole-second firings migration.
const WHOLE_SECONDS: i64 = 20261206000001;

/// Rows as the version before the people migration wrote them (`{now}` is an
/// instant literal).
const BEFORE_PEOPLE: &[&str] = &[
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

/// An instant as each backend stores it: epoch milliseconds in SQLite, a
/// `TIMESTAMPTZ` in PostgreSQL.
fn instant(db: &TestDatabase, epoch_ms: i64) -> String {
    if db.is_postgres() {
        format!("to_timestamp({epoch_ms} / 1000.0)")
    } else {
        epoch_ms.to_string()
    }
}

/// A database migrated up to (not including) `version`, holding `rows`
/// written as that version's predecessor wrote them.
async fn written_before(db: &TestDatabase, version: i64, rows: &[String]) {
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
            .filter(|m| m.version < version)
            .cloned()
            .collect(),
    );
    if db.is_postgres() {
        let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
        migrator.run(&pool).await.unwrap();
        for row in rows {
            sqlx::query(row).execute(&pool).await.unwrap();
        }
        pool.close().await;
    } else {
        let options: sqlx::sqlite::SqliteConnectOptions = db.url.parse().unwrap();
        let pool = sqlx::SqlitePool::connect_with(options.create_if_missing(true))
            .await
            .unwrap();
        migrator.run(&pool).await.unwrap();
        for row in rows {
            sqlx::query(row).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }
}

async fn before_people(db: &TestDatabase) {
    let now = instant(db, 0);
    let rows: Vec<String> = BEFORE_PEOPLE
        .iter()
        .map(|row| row.replace("{now}", &now))
        .collect();
    written_before(db, PEOPLE, &rows).await;
}

on_both_backends! {
    async fn the_people_migration_keeps_every_reminder_with_its_owner(db: TestDatabase) {
        before_people(&db).await;
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

on_both_backends! {
    async fn stored_cron_firings_are_truncated_to_the_second(db: TestDatabase) {
        // 2026-11-21T09:00:00.716Z, as a daily cron set at hh:mm:ss.716 stored it.
        let carried = 1_795_251_600_716_i64;
        let whole = 1_795_251_600_000_i64;
        let rows = vec![
            format!(
                "INSERT INTO conversations (id, channel_id, conversation_id, service_url,
                     reference_json, created_at, updated_at)
                     VALUES (1, 'msteams', 'teams-1', 'https://smba.example/', '{{}}', {now}, {now})",
                now = instant(&db, 0)
            ),
            format!(
                "INSERT INTO triggers (id, kind, state, conversation_key, owner_channel_id,
                     owner_user_id, text, schedule_json, time_zone, next_fire_at, created_at,
                     updated_at) VALUES
                     (1, 'reminder', 'active', 1, 'msteams', '29:1ana', 'stand-up', '{cron}',
                      'Europe/Lisbon', {carried}, {now}, {now}),
                     (2, 'reminder', 'active', 1, 'msteams', '29:1ana', 'water', '{every}',
                      NULL, {carried}, {now}, {now}),
                     (3, 'reminder', 'active', 1, 'msteams', '29:1ana', 'call', '{once}',
                      NULL, {carried}, {now}, {now})",
                cron = r#"{"cron":"0 9 * * *","timezone":"Europe/Lisbon"}"#,
                every = r#"{"every":"1h","start":"2026-11-20T10:00:00.716Z"}"#,
                once = r#"{"at":"2026-11-21T09:00:00.716Z"}"#,
                carried = instant(&db, carried),
                now = instant(&db, 0),
            ),
        ];
        written_before(&db, WHOLE_SECONDS, &rows).await;
        let store = open(&db).await;
        let next = |id| {
            let store = store.clone();
            async move {
                let record = store.trigger(TriggerId::new(id).unwrap()).await.unwrap().unwrap();
                record.next_fire_at.unwrap().timestamp_millis()
            }
        };
        assert_eq!(next(1).await, whole, "the cron firing is on its second");
        assert_eq!(next(2).await, carried, "an interval keeps its anchor's milliseconds");
        assert_eq!(next(3).await, carried, "a one-shot is the instant it was given");
    }
}
