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
        on_every_dialect!(@impl [#[async_trait::async_trait]] [$port for] $($item)*);
    };
    // Helpers of the ports' implementations, on the same terms.
    (impl { $($item:item)* }) => {
        on_every_dialect!(@impl [] [] $($item)*);
    };
    (@impl [$(#[$attr:meta])?] [$($head:tt)*] $($item:item)*) => {
        $(#[$attr])?
        impl<DB> $($head)* $crate::store::SqlStore<DB>
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
            for<'q> &'q [u8]: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
            for<'q> Vec<u8>: sqlx::Decode<'q, DB> + sqlx::Type<DB>,
            for<'q> &'q str: sqlx::ColumnIndex<DB::Row>,
            usize: sqlx::ColumnIndex<DB::Row>,
        {
            $($item)*
        }
    };
}

macro_rules! select_conversation {
    () => {
        "SELECT id, channel_id, conversation_id, service_url,
             conversation_type, tenant_id, is_group, bot_id, user_id, user_aad_object_id, locale,
             local_timezone, reference_json, service_url_verified, unreachable_reason
         FROM conversations"
    };
}

/// The conversations of a claimed batch (SQLite: keys as a JSON array).
pub const SELECT_CONVERSATIONS_JSON: &str = concat!(
    select_conversation!(),
    " WHERE id IN (SELECT value FROM json_each($1))"
);

/// The conversations of a claimed batch (PostgreSQL: keys as an array).
pub const SELECT_CONVERSATIONS_ANY: &str = concat!(select_conversation!(), " WHERE id = ANY($1)");

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

/// A trigger with its conversation's names; `TriggerRow` reads it.
macro_rules! select_trigger {
    () => {
        "SELECT t.id, t.kind, t.state, t.conversation_key, c.channel_id, c.conversation_id,
                t.owner_channel_id, t.owner_user_id, t.text, t.schedule_json, t.time_zone, t.next_fire_at,
                t.fire_count, t.last_error, t.created_at, t.updated_at, t.completed_at
         FROM triggers t JOIN conversations c ON c.id = t.conversation_key"
    };
}

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

// After the statement macros above, which the concerns' statements use.
mod budget;
mod conversations;
mod jobs;
mod limits;
mod outbox;
pub(crate) use outbox::claimable_messages;
mod people;
mod prices;
mod sources;
mod triggers;
mod webchat;
mod webchat_files;
