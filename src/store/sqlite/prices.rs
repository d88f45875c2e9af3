//! SQLite's way of writing a price evaluation: multi-row statements of
//! bound parameters, a few thousand rows each (it has no arrays to unnest).

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteConnection;
use sqlx::{QueryBuilder, Sqlite};

use super::ROWS_PER_STATEMENT;
use crate::domain::ports::{QueuedMessage, StoreError};
use crate::domain::price::WatchUpdate;
use crate::store::rows::to_millis;

fn instant(at: DateTime<Utc>) -> i64 {
    to_millis(at)
}

/// In the caller's transaction: a page of watches' new states and their
/// alerts (`payloads[i]` is `alerts[i]`'s notification), in that order.
pub(super) async fn write_evaluation(
    connection: &mut SqliteConnection,
    updates: &[WatchUpdate],
    alerts: &[QueuedMessage],
    payloads: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let now_ms = instant(now);
    // A page of watches is written in a few multi-row statements, not one
    // statement per watch: 100,000 alerts from one price are 50 statements.
    for chunk in updates.chunks(ROWS_PER_STATEMENT) {
        let mut update = QueryBuilder::<Sqlite>::new(
            "UPDATE price_watches SET state = u.column2, armed = u.column3, low = u.column4,
                 last_price = u.column5, last_alert_at = u.column6, updated_at = ",
        );
        update.push_bind(now_ms).push(" FROM (");
        update.push_values(chunk, |mut row, update| {
            row.push_bind(update.id.0)
                .push_bind(update.status.as_str())
                .push_bind(update.state.armed)
                .push_bind(update.state.low.to_string())
                .push_bind(update.last_price.to_string())
                .push_bind(update.state.last_alert_at.map(instant));
        });
        update.push(") AS u WHERE price_watches.id = u.column1 AND price_watches.state = 'active'");
        update
            .build()
            .persistent(false)
            .execute(&mut *connection)
            .await?;
    }
    for (chunk, payloads) in alerts
        .chunks(ROWS_PER_STATEMENT)
        .zip(payloads.chunks(ROWS_PER_STATEMENT))
    {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO outbox (conversation_key, owner_channel_id, owner_user_id, payload,
                                 state, next_attempt_at, created_at) ",
        );
        insert.push_values(chunk.iter().zip(payloads), |mut row, (alert, payload)| {
            row.push_bind(alert.conversation.0)
                .push_bind(alert.owner.as_ref().map(|o| o.channel_id.as_str()))
                .push_bind(alert.owner.as_ref().map(|o| o.user_id.as_str()))
                .push_bind(payload.as_str())
                .push("'pending'")
                .push_bind(now_ms)
                .push_bind(now_ms);
        });
        insert
            .build()
            .persistent(false)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}
