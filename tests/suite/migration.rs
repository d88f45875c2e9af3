//! Migrations on a database made by the version before them: the people
//! migration keeps every reminder, watch and setting with its owner, now with
//! the owner's channel, and makes each anonymous web chat conversation a
//! person of its own; the whole-second migration truncates cron firings that
//! carried milliseconds and leaves every other instant as it was; the price
//! polls migration makes each source's polls the engine's own triggers,
//! keeping every one, and removes the made-up conversation they were in.

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
/// The price polls migration.
const PRICE_POLLS: i64 = 20261207000001;

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

on_both_backends! {
    async fn price_polls_become_the_engine_s_own_triggers_and_none_is_lost(db: TestDatabase) {
        let (now, poll_due, reminder_due) = (instant(&db, 0), 1_795_251_660_000_i64, 1_795_255_200_000_i64);
        let rows = vec![
            format!(
                "INSERT INTO conversations (id, channel_id, conversation_id, service_url,
                     reference_json, created_at, updated_at) VALUES
                     (1, 'msteams', 'teams-1', 'https://smba.example/', '{{}}', {now}, {now}),
                     (2, 'herald', 'prices/market', '', '{{}}', {now}, {now})"
            ),
            format!(
                "INSERT INTO triggers (id, kind, state, conversation_key, owner_channel_id,
                     owner_user_id, text, schedule_json, next_fire_at, fire_count, created_at,
                     updated_at) VALUES
                     (1, 'reminder', 'active', 1, 'msteams', '29:1ana', 'stand-up', '{once}',
                      {reminder}, 0, {now}, {now}),
                     (2, 'price_watch', 'active', 2, NULL, NULL, 'bitcoin', '{every}',
                      {poll}, 5, {now}, {now}),
                     (3, 'price_watch', 'cancelled', 2, NULL, NULL, 'ether', '{every}',
                      NULL, 2, {now}, {now})",
                once = r#"{"at":"2026-11-21T10:00:00Z"}"#,
                every = r#"{"every":"1m","start":"2026-11-21T08:00:00Z"}"#,
                reminder = instant(&db, reminder_due),
                poll = instant(&db, poll_due),
            ),
            format!("INSERT INTO idempotency_keys (key, request_sha256, trigger_id, created_at)
                     VALUES ('client:k1', 'digest', 1, {now})"),
            format!(
                "INSERT INTO outbox (conversation_key, trigger_id, occurrence, payload, state,
                     next_attempt_at, created_at) VALUES
                     (2, 2, '1795251600000', '{{\"kind\":\"pricePoll\",\"symbol\":\"bitcoin\"}}',
                      'pending', {now}, {now}),
                     (1, NULL, NULL, '{{\"kind\":\"jobCompleted\",\"jobId\":1}}', 'sent', {now}, {now})"
            ),
        ];
        let mut rows = rows;
        if db.is_postgres() {
            // Rows inserted with their ids, as the version before had numbered them.
            rows.push("SELECT setval(pg_get_serial_sequence('triggers', 'id'), 3)".to_owned());
        }
        written_before(&db, PRICE_POLLS, &rows).await;
        let store = open(&db).await;

        let polls = db.price_polls().await;
        let expected = [(2, "market", "bitcoin", "active"), (3, "market", "ether", "cancelled")];
        let polls: Vec<(i64, &str, &str, &str)> = polls.iter().map(|(id, source, symbol, state)| (*id, source.as_str(), symbol.as_str(), state.as_str())).collect();
        assert_eq!(polls, expected, "every poll kept, with its source and symbol");
        let next = store.next_trigger_due().await.unwrap().unwrap();
        assert_eq!(next.timestamp_millis(), poll_due, "the active poll is still due when it was");
        let reminder = store.trigger(TriggerId::new(1).unwrap()).await.unwrap().unwrap();
        assert_eq!(reminder.next_fire_at.unwrap().timestamp_millis(), reminder_due);
        assert_eq!(reminder.owner, Some(Person::new("msteams", "29:1ana")));
        assert_eq!(db.count("idempotency_keys").await, 1, "the reminder's idempotency key kept");
        assert_eq!(db.count("outbox").await, 1, "the queued poll is gone, the job's notice kept");
        assert_eq!(db.count("conversations WHERE channel_id = 'herald'").await, 0);
        assert!(store.trigger(TriggerId::new(2).unwrap()).await.unwrap().is_none(), "no conversation's trigger");

        // One active poll per source and symbol still; ids go on.
        let at = chrono::DateTime::from_timestamp_millis(poll_due).unwrap();
        assert!(!store.ensure_price_poll("market", "bitcoin", "1m", at).await.unwrap());
        assert!(store.ensure_price_poll("market", "ether", "1m", at).await.unwrap());
        let newest = db.price_polls().await.last().map(|poll| poll.0);
        assert!(newest.is_some_and(|id| id > 3), "{newest:?}");
    }
}
