//! The SQL store's statements and code, written once for SQLite and PostgreSQL
//! (sqlx passes `$n` through to both): each concern's in its own file, with
//! the port it implements on every dialect. What differs per database is
//! the dialect's (`store::dialect`) or, for a statement tuned per database,
//! the backend's.

/// Implements a storage port for `SqlStore<DB>` on every dialect. The bounds
/// say what every statement needs of the database: to run on a connection
/// and on a pool, and to bind and decode the plain types both databases
/// treat alike. sqlx's traits do not follow from `DB: Dialect`, so a generic
/// implementation must state them; they are stated once, here.
macro_rules! on_every_dialect {
    (impl $port:path { $($item:item)* }) => {
        #[async_trait::async_trait]
        impl<DB> $port for $crate::store::SqlStore<DB>
        where
            DB: $crate::store::dialect::Dialect,
            for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
            for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
            for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> i32: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> bool: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> String: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            for<'q> Option<String>: sqlx::Encode<'q, DB>,
            for<'q> Option<&'q str>: sqlx::Encode<'q, DB>,
            for<'q> Option<i64>: sqlx::Encode<'q, DB>,
            for<'q> Option<i32>: sqlx::Encode<'q, DB>,
            for<'q> Option<DB::Instant>: sqlx::Encode<'q, DB>,
            for<'q> &'q str: sqlx::ColumnIndex<DB::Row>,
            usize: sqlx::ColumnIndex<DB::Row>,
        {
            $($item)*
        }
    };
}

mod people;

/// Records an activity as handled; affects no row when it already was within the window ($4).
pub const STAMP_ACTIVITY: &str =
    "INSERT INTO handled_activities (conversation_key, activity_id, handled_at)
         VALUES ($1, $2, $3)
         ON CONFLICT (conversation_key, activity_id)
         DO UPDATE SET handled_at = excluded.handled_at
         WHERE handled_activities.handled_at < $4";

/// Inserts a conversation or refreshes its reference; returns its key.
pub const UPSERT_CONVERSATION: &str =
    "INSERT INTO conversations (channel_id, conversation_id, service_url,
                 conversation_type, tenant_id, is_group, bot_id, user_id, user_aad_object_id,
                 locale, local_timezone, reference_json, service_url_verified,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $14, $13, $13)
             ON CONFLICT (channel_id, conversation_id) DO UPDATE SET
                 service_url = excluded.service_url,
                 conversation_type = excluded.conversation_type,
                 tenant_id = excluded.tenant_id,
                 is_group = excluded.is_group,
                 bot_id = excluded.bot_id,
                 user_id = excluded.user_id,
                 user_aad_object_id = excluded.user_aad_object_id,
                 locale = excluded.locale,
                 local_timezone = excluded.local_timezone,
                 reference_json = excluded.reference_json,
                 service_url_verified = excluded.service_url_verified,
                 updated_at = excluded.updated_at
             RETURNING id, unreachable_reason IS NOT NULL";

macro_rules! select_conversation {
    () => {
        "SELECT id, channel_id, conversation_id, service_url,
             conversation_type, tenant_id, is_group, bot_id, user_id, user_aad_object_id, locale,
             local_timezone, reference_json, service_url_verified, unreachable_reason
         FROM conversations"
    };
}

/// One conversation by key.
pub const SELECT_CONVERSATION: &str = concat!(select_conversation!(), " WHERE id = $1");

/// The conversations of a claimed batch (SQLite: keys as a JSON array).
pub const SELECT_CONVERSATIONS_JSON: &str = concat!(
    select_conversation!(),
    " WHERE id IN (SELECT value FROM json_each($1))"
);

/// The conversations of a claimed batch (PostgreSQL: keys as an array).
pub const SELECT_CONVERSATIONS_ANY: &str = concat!(select_conversation!(), " WHERE id = ANY($1)");

/// A new job: active, waiting for completion, nothing due.
pub const INSERT_JOB: &str =
    "INSERT INTO triggers (kind, state, conversation_key, owner_channel_id, owner_user_id,
                 created_at, updated_at)
             VALUES ('job', 'active', $1, $4, $2, $3, $3)
             RETURNING id";

/// Marks a trigger completed.
pub const COMPLETE_TRIGGER: &str =
    "UPDATE triggers SET state = 'completed', completed_at = $2, updated_at = $2
             WHERE id = $1";

/// Queues a job's completion notice; (trigger_id, occurrence) is unique, so at most once.
pub const QUEUE_COMPLETION_NOTICE: &str =
    "INSERT INTO outbox (conversation_key, trigger_id, occurrence, payload, state,
                 next_attempt_at, created_at)
             VALUES ($1, $2, 'completed', $3, 'pending', $4, $4)
             RETURNING id";

/// The channel accepted the message.
pub const MARK_SENT: &str =
    "UPDATE outbox SET state = 'sent', sent_at = $2, attempts = attempts + 1,
                 claimed_until = NULL
             WHERE id = $1";

/// A round's accepted messages at once (SQLite: ids as a JSON array).
pub const MARK_SENT_JSON: &str =
    "UPDATE outbox SET state = 'sent', sent_at = $2, attempts = attempts + 1,
                 claimed_until = NULL
             WHERE id IN (SELECT value FROM json_each($1))";

/// A round's accepted messages at once (PostgreSQL: ids as an array).
pub const MARK_SENT_ANY: &str =
    "UPDATE outbox SET state = 'sent', sent_at = $2, attempts = attempts + 1,
                 claimed_until = NULL
             WHERE id = ANY($1)";

/// A failed attempt; due again at $2.
pub const SCHEDULE_RETRY: &str =
    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
                 claimed_until = NULL
             WHERE id = $1 AND state = 'pending'";

/// Given up on, with the reason.
pub const MARK_DEAD: &str =
    "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = $2,
                 claimed_until = NULL
             WHERE id = $1";

/// One outbox row, for inspection.
pub const SELECT_OUTBOX_ENTRY: &str =
    "SELECT conversation_key, trigger_id, state, attempts, last_error, created_at, sent_at
             FROM outbox WHERE id = $1";

/// Forgets activity ids handled before $1.
pub const PRUNE_HANDLED_ACTIVITIES: &str = "DELETE FROM handled_activities WHERE handled_at < $1";

/// Open jobs of a conversation.
pub const COUNT_OPEN_JOBS_IN_CONVERSATION: &str = "SELECT COUNT(*) FROM triggers
     WHERE kind = 'job' AND state = 'active' AND conversation_key = $1";

/// Open jobs a person (`$1` channel, `$2` user id) started, in any conversation.
pub const COUNT_OPEN_JOBS_OF_USER: &str = "SELECT COUNT(*) FROM triggers
     WHERE kind = 'job' AND state = 'active' AND owner_channel_id = $1 AND owner_user_id = $2";

/// Conversations unused since `$1`, with nothing scheduled or waiting to be sent.
macro_rules! idle_conversations {
    () => {
        "(SELECT c.id FROM conversations c
          WHERE c.updated_at < $1
            AND NOT EXISTS (SELECT 1 FROM triggers t
                            WHERE t.conversation_key = c.id AND t.state IN ('active', 'paused'))
            AND NOT EXISTS (SELECT 1 FROM outbox o
                            WHERE o.conversation_key = c.id AND o.state = 'pending')
            AND NOT EXISTS (SELECT 1 FROM price_watches w
                            WHERE w.conversation_key = c.id AND w.state = 'active'))"
    };
}

/// Pruning idle conversations with their history, in one transaction; the
/// last statement's count is the number of conversations removed.
pub const PRUNE_IDLE_CONVERSATIONS: [&str; 5] = [
    concat!(
        "DELETE FROM outbox WHERE conversation_key IN ",
        idle_conversations!()
    ),
    concat!(
        "DELETE FROM price_watches WHERE conversation_key IN ",
        idle_conversations!()
    ),
    concat!(
        "DELETE FROM handled_activities WHERE conversation_key IN ",
        idle_conversations!()
    ),
    concat!(
        "DELETE FROM triggers WHERE conversation_key IN ",
        idle_conversations!()
    ),
    concat!(
        "DELETE FROM conversations WHERE id IN ",
        idle_conversations!()
    ),
];

/// A trigger with its conversation's names; `TriggerRow` reads it.
macro_rules! select_trigger {
    () => {
        "SELECT t.id, t.kind, t.state, t.conversation_key, c.channel_id, c.conversation_id,
                t.owner_channel_id, t.owner_user_id, t.text, t.schedule_json, t.time_zone, t.next_fire_at,
                t.fire_count, t.last_error, t.created_at, t.updated_at, t.completed_at
         FROM triggers t JOIN conversations c ON c.id = t.conversation_key"
    };
}

/// One trigger by id.
pub const SELECT_TRIGGER: &str = concat!(select_trigger!(), " WHERE t.id = $1");

/// A page of triggers: filters are NULL when not wanted; ids after `$4`;
/// Herald's own (price polls, on the internal channel) only when `$8`.
/// (`CAST` types the NULLs for PostgreSQL and reads the same on SQLite.)
pub const LIST_TRIGGERS: &str = concat!(
    select_trigger!(),
    " WHERE (CAST($1 AS BIGINT) IS NULL OR t.conversation_key = $1)
        AND (CAST($2 AS TEXT) IS NULL OR t.kind = $2)
        AND (CAST($3 AS TEXT) IS NULL OR t.state = $3)
        AND t.id > $4
        AND (CAST($6 AS TEXT) IS NULL OR c.channel_id = $6)
        AND (CAST($7 AS TEXT) IS NULL OR c.conversation_id = $7)
        AND ($8 OR c.channel_id <> 'herald')
      ORDER BY t.id
      LIMIT $5"
);

/// A conversation's key by the channel's names.
pub const FIND_CONVERSATION: &str =
    "SELECT id FROM conversations WHERE channel_id = $1 AND conversation_id = $2";

/// A new scheduled trigger; `$2` is its state, `$10` when it completed (if it
/// has no occurrence at all).
pub const INSERT_TRIGGER: &str = "INSERT INTO triggers (kind, state, conversation_key,
                 owner_channel_id, owner_user_id, text, schedule_json, time_zone, next_fire_at,
                 created_at, updated_at, completed_at)
             VALUES ($1, $2, $3, $11, $4, $5, $6, $7, $8, $9, $9, $10)
             RETURNING id";

/// The request an idempotency key was first used with.
pub const SELECT_IDEMPOTENCY_KEY: &str =
    "SELECT request_sha256, trigger_id FROM idempotency_keys WHERE key = $1";

/// Records an idempotency key; affects no row when it is taken.
pub const INSERT_IDEMPOTENCY_KEY: &str =
    "INSERT INTO idempotency_keys (key, request_sha256, trigger_id, created_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO NOTHING";

/// A state change, only from the state the caller saw.
pub const CHANGE_TRIGGER_STATE: &str = "UPDATE triggers SET state = $3, next_fire_at = $4,
                 updated_at = $5, paused_by = NULL,
                 completed_at = CASE WHEN $3 IN ('completed', 'cancelled', 'failed')
                                     THEN $5 ELSE NULL END
             WHERE id = $1 AND state = $2";

/// When the scheduler next has work.
pub const NEXT_TRIGGER_DUE: &str =
    "SELECT MIN(next_fire_at) FROM triggers WHERE state = 'active' AND next_fire_at IS NOT NULL";

/// Delivered and dead-lettered messages older than `$1`.
pub const PRUNE_OUTBOX: &str = "DELETE FROM outbox WHERE state <> 'pending' AND created_at < $1";

/// Idempotency keys older than `$1`.
pub const PRUNE_IDEMPOTENCY_KEYS: &str = "DELETE FROM idempotency_keys WHERE created_at < $1";

/// Claims that ended: a sender that crashed holding them.
pub const RELEASE_EXPIRED_CLAIMS: &str = "UPDATE outbox SET claimed_until = NULL
     WHERE state = 'pending' AND claimed_until IS NOT NULL AND claimed_until <= $1";

/// Counts for monitoring.
pub const GAUGES: &str = "SELECT
         (SELECT COUNT(*) FROM triggers WHERE state = 'active'),
         (SELECT COUNT(*) FROM triggers WHERE state = 'paused'),
         (SELECT COUNT(*) FROM outbox WHERE state = 'pending'),
         (SELECT COUNT(*) FROM outbox WHERE state = 'dead')";

/// A message the send budget held back: due again later, unclaimed, no attempt counted.
pub const POSTPONE_OUTBOX: &str = "UPDATE outbox SET next_attempt_at = $2, claimed_until = NULL
     WHERE id = $1 AND state = 'pending'";

/// A message held for quiet hours: like a postponed one, but the
/// conversation's later messages do not wait for it.
pub const HOLD_OUTBOX: &str = "UPDATE outbox SET next_attempt_at = $2, held_until = $2,
         claimed_until = NULL
     WHERE id = $1 AND state = 'pending'";

/// Dead letters with their conversations' names, after a cursor.
pub const LIST_DEAD_LETTERS: &str = "SELECT o.id, o.conversation_key, o.trigger_id, o.state,
         o.attempts, o.last_error, o.created_at, o.sent_at, c.channel_id, c.conversation_id
     FROM outbox o LEFT JOIN conversations c ON c.id = o.conversation_key
     WHERE o.state = 'dead' AND o.id > $1
       AND (CAST($2 AS BIGINT) IS NULL OR o.conversation_key = $2)
     ORDER BY o.id
     LIMIT $3";

/// A dead letter queued again, as if new.
pub const RETRY_DEAD_LETTER: &str = "UPDATE outbox SET state = 'pending', attempts = 0,
         next_attempt_at = $2, claimed_until = NULL, last_error = NULL
     WHERE id = $1 AND state = 'dead'";

/// Marks a conversation unreachable, keeping the first reason and instant.
pub const MARK_CONVERSATION_UNREACHABLE: &str =
    "UPDATE conversations SET unreachable_reason = $2, unreachable_since = $3
     WHERE id = $1 AND unreachable_reason IS NULL";

/// Pauses an unreachable conversation's timers and reminders, as Herald's own pause.
pub const PAUSE_UNREACHABLE_TRIGGERS: &str = "UPDATE triggers
     SET state = 'paused', paused_by = 'unreachable', next_fire_at = NULL, updated_at = $2
     WHERE conversation_key = $1 AND state = 'active' AND kind <> 'job'";

/// Turns an unreachable conversation's pending messages into dead letters.
pub const DEAD_LETTER_CONVERSATION: &str = "UPDATE outbox
     SET state = 'dead', last_error = $2, claimed_until = NULL
     WHERE conversation_key = $1 AND state = 'pending'";

/// Clears a conversation's unreachable mark.
pub const MARK_CONVERSATION_REACHABLE: &str =
    "UPDATE conversations SET unreachable_reason = NULL, unreachable_since = NULL WHERE id = $1";

/// The triggers Herald paused because their conversation was unreachable.
pub const TRIGGERS_PAUSED_UNREACHABLE: &str = "SELECT id FROM triggers
     WHERE conversation_key = $1 AND state = 'paused' AND paused_by = 'unreachable'
     ORDER BY id";

/// A conversation's latest sends, newest first, as many as its windows need.
pub const RECENT_SENDS: &str =
    "SELECT sent_us FROM send_log WHERE scope = $1 ORDER BY sent_us DESC LIMIT $2";

/// Records one send in a conversation's log.
pub const LOG_SEND: &str = "INSERT INTO send_log (scope, sent_us) VALUES ($1, $2)";

/// A conversation's sends that count in no window any more.
pub const FORGET_OLD_SENDS: &str = "DELETE FROM send_log WHERE scope = $1 AND sent_us <= $2";

/// Every log's sends that count in no window any more (housekeeping).
pub const PRUNE_SEND_LOG: &str = "DELETE FROM send_log WHERE sent_us <= $1";

/// One cell of the global budget, created at zero if new, and locked (the
/// upsert takes the row lock on PostgreSQL) until the transaction ends.
pub const LOCK_SEND_BUDGET: &str =
    "INSERT INTO send_budget (scope, period_ms, tat_us) VALUES ($1, $2, 0)
     ON CONFLICT (scope, period_ms) DO UPDATE SET tat_us = send_budget.tat_us
     RETURNING tat_us";

/// Sets one cell of the send budget.
pub const SET_SEND_BUDGET: &str =
    "UPDATE send_budget SET tat_us = $3 WHERE scope = $1 AND period_ms = $2";

/// Send budget cells whose time has passed hold nothing back.
pub const PRUNE_SEND_BUDGET: &str = "DELETE FROM send_budget WHERE tat_us < $1";

/// A message for a conversation that no trigger owns, due at once.
pub const QUEUE_NOTIFICATION: &str =
    "INSERT INTO outbox (conversation_key, payload, state, next_attempt_at, created_at)
         VALUES ($1, $2, 'pending', $3, $3)
         RETURNING id";

/// Open (active or paused) reminders of a person (`$1` channel, `$3` user id)
/// anywhere, and of a conversation.
pub const COUNT_OPEN_REMINDERS: &str = "SELECT
         (SELECT COUNT(*) FROM triggers WHERE kind = 'reminder'
              AND state IN ('active', 'paused') AND owner_channel_id = $1 AND owner_user_id = $3),
         (SELECT COUNT(*) FROM triggers WHERE kind = 'reminder'
              AND state IN ('active', 'paused') AND conversation_key = $2)";

/// A trigger's new schedule, if it is still in state `$2`: active again.
pub const RESCHEDULE_TRIGGER: &str = "UPDATE triggers SET state = 'active', schedule_json = $3,
         time_zone = $4, next_fire_at = $5, updated_at = $6, completed_at = NULL,
         paused_by = NULL, last_error = NULL
     WHERE id = $1 AND state = $2";

macro_rules! select_owners {
    () => {
        "SELECT o.id, COALESCE(t.owner_channel_id, o.owner_channel_id) AS owner_channel_id,
             COALESCE(t.owner_user_id, o.owner_user_id) AS owner_user_id,
             u.channel_id, u.user_id, u.name, u.time_zone, u.language, u.locale,
             u.local_timezone, u.quiet_start, u.quiet_end, u.warned_offset
         FROM outbox o JOIN conversations c ON c.id = o.conversation_key
         LEFT JOIN triggers t ON t.id = o.trigger_id
         LEFT JOIN users u ON u.channel_id = COALESCE(t.owner_channel_id, o.owner_channel_id)
             AND u.user_id = COALESCE(t.owner_user_id, o.owner_user_id)"
    };
}

/// Whose the messages of a claimed batch are (by the trigger that queued
/// them, else the message's own owner), with their settings (SQLite: outbox
/// ids as JSON).
pub const SELECT_OWNERS_JSON: &str = concat!(
    select_owners!(),
    " WHERE o.id IN (SELECT value FROM json_each($1))"
);

/// The same on PostgreSQL (ids as an array).
pub const SELECT_OWNERS_ANY: &str = concat!(select_owners!(), " WHERE o.id = ANY($1)");

// ---- price watches ----

macro_rules! select_watch {
    () => {
        "SELECT id, conversation_key, owner_channel_id, owner_user_id, source, symbol, currency, rule_json,
             repeat, base, low, armed, state, last_price, last_alert_at, stalled, created_at
         FROM price_watches"
    };
}

/// Nothing when the activity `$10` already set a watch here.
pub const INSERT_WATCH: &str = "INSERT INTO price_watches (conversation_key, owner_channel_id,
         owner_user_id, source, symbol, currency, rule_json, repeat, base, low, armed, state,
         created_at, updated_at, activity_id, last_price)
     VALUES ($1, $12, $2, $3, $4, $5, $6, $7, $8, $8, TRUE, 'active', $9, $9, $10, $11)
     ON CONFLICT (conversation_key, activity_id) WHERE activity_id IS NOT NULL DO NOTHING
     RETURNING id";

pub const SELECT_WATCH: &str = concat!(select_watch!(), " WHERE id = $1");

/// A conversation's active watches.
pub const LIST_WATCHES: &str = concat!(
    select_watch!(),
    " WHERE conversation_key = $1 AND state = 'active' ORDER BY id LIMIT $2"
);

/// Active watches on a source's symbol, a page after `$3`.
pub const WATCHES_ON: &str = concat!(
    select_watch!(),
    " WHERE source = $1 AND symbol = $2 AND state = 'active' AND id > $3 ORDER BY id LIMIT $4"
);

/// The currencies active watches on a source's symbol want (none: no watches).
pub const WATCHED_CURRENCIES: &str = "SELECT DISTINCT currency FROM price_watches
     WHERE source = $1 AND symbol = $2 AND state = 'active'";

/// A person's (`$1` channel, `$3` user id) and a conversation's active watches.
pub const COUNT_OPEN_WATCHES: &str = "SELECT
         (SELECT COUNT(*) FROM price_watches WHERE state = 'active'
              AND owner_channel_id = $1 AND owner_user_id = $3),
         (SELECT COUNT(*) FROM price_watches WHERE state = 'active' AND conversation_key = $2)";

pub const CANCEL_WATCH: &str = "UPDATE price_watches SET state = 'cancelled', updated_at = $2
     WHERE id = $1 AND state = 'active'";

pub const INSERT_PRICE: &str =
    "INSERT INTO price_history (source, symbol, at, price, currency) VALUES ($1, $2, $3, $4, $5)";

pub const RECENT_PRICES: &str = "SELECT price FROM price_history
     WHERE source = $1 AND symbol = $2 ORDER BY at DESC LIMIT $3";

pub const PRUNE_PRICE_HISTORY: &str = "DELETE FROM price_history WHERE at < $1";

/// A source's own conversation, which its polling triggers belong to.
pub const UPSERT_SOURCE_CONVERSATION: &str = "INSERT INTO conversations (channel_id,
         conversation_id, service_url, reference_json, created_at, updated_at)
     VALUES ('herald', $1, '', '{}', $2, $2)
     ON CONFLICT (channel_id, conversation_id) DO UPDATE SET updated_at = excluded.updated_at
     RETURNING id";

/// The polling trigger of a symbol, unless one is active.
pub const INSERT_PRICE_POLL: &str = "INSERT INTO triggers (kind, state, conversation_key, text,
         schedule_json, next_fire_at, created_at, updated_at)
     VALUES ('price_watch', 'active', $1, $2, $3, $4, $5, $5)
     ON CONFLICT (conversation_key, text) WHERE kind = 'price_watch' AND state = 'active'
     DO NOTHING";

pub const STOP_PRICE_POLL: &str = "UPDATE triggers SET state = 'cancelled', next_fire_at = NULL,
         updated_at = $3, completed_at = $3
     WHERE kind = 'price_watch' AND state = 'active' AND text = $2
       AND conversation_key = (SELECT id FROM conversations
                               WHERE channel_id = 'herald' AND conversation_id = $1)";

pub const NOTE_PUSHED_SOURCE: &str = "INSERT INTO price_sources (name, pushed_at, updated_at)
     VALUES ($1, $2, $2)
     ON CONFLICT (name) DO UPDATE SET pushed_at = excluded.pushed_at, updated_at = excluded.updated_at";

pub const PUSHED_SOURCE: &str =
    "SELECT COUNT(*) FROM price_sources WHERE name = $1 AND pushed_at IS NOT NULL";

/// A fetch's outcome: failures in a row (0 after a success), the last error.
pub const RECORD_FETCH: &str = "INSERT INTO price_sources (name, failures, last_error, updated_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET
         failures = CASE WHEN $2 = 0 THEN 0 ELSE price_sources.failures + 1 END,
         last_error = excluded.last_error, updated_at = excluded.updated_at
     RETURNING CAST(failures AS BIGINT), stalled";

pub const SET_SOURCE_STALLED: &str = "UPDATE price_sources SET stalled = $2 WHERE name = $1";

/// A source's active watches, marked stalled or not; returns those changed.
/// A source that answers again leaves the watches on symbols it stopped
/// pricing stalled.
pub const SET_WATCHES_STALLED: &str = "UPDATE price_watches SET stalled = $2, updated_at = $3
     WHERE source = $1 AND state = 'active' AND stalled <> $2
         AND ($2 OR NOT EXISTS (SELECT 1 FROM price_symbol_misses m
             WHERE m.source = price_watches.source AND m.symbol = price_watches.symbol
                 AND m.currency = COALESCE(price_watches.currency, '') AND m.stalled))
     RETURNING id, conversation_key, owner_channel_id, owner_user_id, source, symbol, currency, rule_json,
         repeat, base, low, armed, state, last_price, last_alert_at, stalled, created_at";

/// A poll in which the source gave no price for a symbol in a currency
/// (`''` for the source's own): misses in a row.
pub const RECORD_SYMBOL_MISS: &str =
    "INSERT INTO price_symbol_misses (source, symbol, currency, misses, last_error, updated_at)
     VALUES ($1, $2, $3, 1, $4, $5)
     ON CONFLICT (source, symbol, currency) DO UPDATE SET
         misses = price_symbol_misses.misses + 1,
         last_error = excluded.last_error, updated_at = excluded.updated_at
     RETURNING CAST(misses AS BIGINT)";

/// The misses are over; whether they had stalled the symbol's watches.
pub const CLEAR_SYMBOL_MISSES: &str =
    "DELETE FROM price_symbol_misses WHERE source = $1 AND symbol = $2 AND currency = $3
     RETURNING stalled";

pub const MARK_SYMBOL_STALLED: &str = "UPDATE price_symbol_misses SET stalled = TRUE
     WHERE source = $1 AND symbol = $2 AND currency = $3";

pub const PRUNE_SYMBOL_MISSES: &str = "DELETE FROM price_symbol_misses WHERE updated_at < $1";

/// One symbol's active watches in one currency (`''`: those naming none),
/// marked stalled or not; returns those changed.
pub const SET_SYMBOL_WATCHES_STALLED: &str =
    "UPDATE price_watches SET stalled = $4, updated_at = $5
     WHERE source = $1 AND symbol = $2 AND COALESCE(currency, '') = $3
         AND state = 'active' AND stalled <> $4
     RETURNING id, conversation_key, owner_channel_id, owner_user_id, source, symbol, currency, rule_json,
         repeat, base, low, armed, state, last_price, last_alert_at, stalled, created_at";

pub const CREATE_WEBCHAT_CONVERSATION: &str = "INSERT INTO webchat_conversations
         (id, user_id, user_name, created_at, updated_at) VALUES ($1, $3, $4, $2, $2)";

pub const ADD_WEBCHAT_TOKEN: &str =
    "INSERT INTO webchat_tokens (token_sha256, conversation_id, expires_at)
     SELECT $1, id, $3 FROM webchat_conversations WHERE id = $2";

/// A token's conversation and person (a conversation made before people were
/// bound speaks as a person of its own, as the migration made them).
/// Tokens expired after `$2` are still found (and told apart as expired).
pub const WEBCHAT_TOKEN: &str = "SELECT t.conversation_id,
         COALESCE(c.user_id, 'dl_' || c.id) AS user_id, c.user_name, t.expires_at
     FROM webchat_tokens t JOIN webchat_conversations c ON c.id = t.conversation_id
     WHERE t.token_sha256 = $1 AND t.expires_at > $2";

pub const WEBCHAT_SESSION: &str = "SELECT id, COALESCE(user_id, 'dl_' || id) AS user_id,
         user_name FROM webchat_conversations WHERE id = $1";

pub const ADD_WEBCHAT_BROWSER: &str = "INSERT INTO webchat_browsers
         (credential_sha256, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)";

pub const WEBCHAT_BROWSER: &str = "UPDATE webchat_browsers SET last_used_at = $2
     WHERE credential_sha256 = $1 RETURNING user_id";

pub const LATEST_WEBCHAT_CONVERSATION: &str = "SELECT id FROM webchat_conversations
     WHERE user_id = $1 ORDER BY updated_at DESC, id LIMIT 1";

pub const PRUNE_WEBCHAT_BROWSERS: &str = "DELETE FROM webchat_browsers WHERE last_used_at < $1";

/// Keeps a conversation's last `$2` activities, and the files they came
/// with: `$3` is the newest number.
pub const TRIM_WEBCHAT: [&str; 2] = [
    "DELETE FROM webchat_attachments WHERE conversation_id = $1 AND seq <= $3 - $2",
    "DELETE FROM webchat_activities WHERE conversation_id = $1 AND seq <= $3 - $2",
];

/// A file, kept with the activity (`$3`) it came with.
pub const INSERT_WEBCHAT_ATTACHMENT: &str = "INSERT INTO webchat_attachments
         (id, conversation_id, seq, name, content_type, content) VALUES ($1, $2, $3, $4, $5, $6)";

/// A file of one conversation: another conversation's id finds nothing.
pub const WEBCHAT_ATTACHMENT: &str = "SELECT name, content_type, content
     FROM webchat_attachments WHERE conversation_id = $1 AND id = $2";

pub const START_WEBCHAT_CONVERSATION: &str = "UPDATE webchat_conversations
     SET started_at = $2, updated_at = $2 WHERE id = $1 AND started_at IS NULL";

/// Numbers the next activity: the row lock orders concurrent appends.
pub const NEXT_WEBCHAT_SEQ: &str = "UPDATE webchat_conversations
     SET last_seq = last_seq + 1, updated_at = $2 WHERE id = $1 RETURNING last_seq";

pub const INSERT_WEBCHAT_ACTIVITY: &str = "INSERT INTO webchat_activities
         (conversation_id, seq, activity_json, created_at) VALUES ($1, $2, $3, $4)";

pub const WEBCHAT_LAST_SEQ: &str = "SELECT last_seq FROM webchat_conversations WHERE id = $1";

pub const WEBCHAT_ACTIVITIES: &str = "SELECT seq, activity_json FROM webchat_activities
     WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";

pub const PRUNE_WEBCHAT_TOKENS: &str = "DELETE FROM webchat_tokens WHERE expires_at <= $1";

pub const CLEAR_WEBCHAT_ACTIVITIES: &str =
    "DELETE FROM webchat_activities WHERE conversation_id = $1";

/// Children first: the same statement works whether or not foreign keys cascade.
pub const PRUNE_WEBCHAT: [&str; 4] = [
    "DELETE FROM webchat_attachments WHERE conversation_id IN
         (SELECT id FROM webchat_conversations WHERE updated_at < $1)",
    "DELETE FROM webchat_activities WHERE conversation_id IN
         (SELECT id FROM webchat_conversations WHERE updated_at < $1)",
    "DELETE FROM webchat_tokens WHERE conversation_id IN
         (SELECT id FROM webchat_conversations WHERE updated_at < $1)",
    "DELETE FROM webchat_conversations WHERE updated_at < $1",
];
