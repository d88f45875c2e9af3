//! PostgreSQL's page of the job log: one round trip, the count taken by a
//! window before LIMIT applies.

use chrono::{DateTime, Utc};

use crate::domain::ports::StoreError;
use crate::store::dialect::JobPageRows;

pub(super) async fn page(
    connection: &mut sqlx::PgConnection,
    scope: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<JobPageRows<DateTime<Utc>>, StoreError> {
    // One round trip: the window count is taken before LIMIT applies.
    let rows: Vec<(i64, String, String, String, DateTime<Utc>, i64)> = sqlx::query_as(
        "SELECT t.id, t.state, c.channel_id, c.conversation_id, t.created_at,
                COUNT(*) OVER () AS total
         FROM triggers t JOIN conversations c ON c.id = t.conversation_key
         WHERE t.kind = 'job' AND ($1::BIGINT IS NULL OR t.conversation_key = $1)
         ORDER BY t.id
         LIMIT $2 OFFSET $3",
    )
    .bind(scope)
    .bind(limit)
    .bind(offset)
    .fetch_all(connection)
    .await?;
    let total = rows.first().map(|row| row.5);
    let page = rows
        .into_iter()
        .map(|(id, state, channel_id, conversation_id, created_at, _)| {
            (id, state, channel_id, conversation_id, created_at)
        })
        .collect();
    Ok((page, total))
}
