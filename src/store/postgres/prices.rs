//! PostgreSQL's way of writing a price evaluation: one statement for the
//! watches and one for the alerts, each unnesting arrays of the values.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgConnection;

use crate::domain::ports::{QueuedMessage, StoreError};
use crate::domain::price::WatchUpdate;

fn instant(at: DateTime<Utc>) -> DateTime<Utc> {
    at
}

/// In the caller's transaction: a page of watches' new states and their
/// alerts (`payloads[i]` is `alerts[i]`'s notification), in that order.
pub(super) async fn write_evaluation(
    connection: &mut PgConnection,
    updates: &[WatchUpdate],
    alerts: &[QueuedMessage],
    payloads: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    // A page of watches is written in two statements, not one per watch.
    if !updates.is_empty() {
        let ids: Vec<i64> = updates.iter().map(|u| u.id.0).collect();
        let states: Vec<&str> = updates.iter().map(|u| u.status.as_str()).collect();
        let armed: Vec<bool> = updates.iter().map(|u| u.state.armed).collect();
        let lows: Vec<String> = updates.iter().map(|u| u.state.low.to_string()).collect();
        let prices: Vec<String> = updates.iter().map(|u| u.last_price.to_string()).collect();
        let alerted: Vec<Option<DateTime<Utc>>> =
            updates.iter().map(|u| u.state.last_alert_at).collect();
        sqlx::query(
            "UPDATE price_watches w SET state = u.state, armed = u.armed, low = u.low,
                 last_price = u.last_price, last_alert_at = u.last_alert_at, updated_at = $1
             FROM UNNEST($2::BIGINT[], $3::TEXT[], $4::BOOLEAN[], $5::TEXT[], $6::TEXT[],
                         $7::TIMESTAMPTZ[])
                  AS u (id, state, armed, low, last_price, last_alert_at)
             WHERE w.id = u.id AND w.state = 'active'",
        )
        .bind(instant(now))
        .bind(&ids)
        .bind(&states)
        .bind(&armed)
        .bind(&lows)
        .bind(&prices)
        .bind(&alerted)
        .execute(&mut *connection)
        .await?;
    }
    if !alerts.is_empty() {
        let conversations: Vec<i64> = alerts.iter().map(|a| a.conversation.0).collect();
        let channels: Vec<Option<&str>> = alerts
            .iter()
            .map(|a| a.owner.as_ref().map(|o| o.channel_id.as_str()))
            .collect();
        let owners: Vec<Option<&str>> = alerts
            .iter()
            .map(|a| a.owner.as_ref().map(|o| o.user_id.as_str()))
            .collect();
        // In the order of the watches, so ids follow it.
        sqlx::query(
            "INSERT INTO outbox (conversation_key, owner_channel_id, owner_user_id, payload,
                                 state, next_attempt_at, created_at)
             SELECT m.conversation_key, m.owner_channel_id, m.owner_user_id, m.payload,
                    'pending', $1, $1
             FROM UNNEST($2::BIGINT[], $5::TEXT[], $3::TEXT[], $4::TEXT[]) WITH ORDINALITY
                  AS m (conversation_key, owner_channel_id, owner_user_id, payload, position)
             ORDER BY m.position",
        )
        .bind(instant(now))
        .bind(&conversations)
        .bind(&owners)
        .bind(payloads)
        .bind(&channels)
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}
