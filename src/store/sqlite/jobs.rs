//! SQLite's page of the job log: one JSON row, since sqlx's SQLite driver
//! hands rows over one at a time from its worker thread.

use crate::domain::ports::StoreError;
use crate::store::dialect::{JobPageRows, JobRow};

pub(super) async fn page(
    connection: &mut sqlx::SqliteConnection,
    scope: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<JobPageRows<i64>, StoreError> {
    // sqlx's SQLite driver hands rows over one at a time from its worker
    // thread, which made a 20-row page cost more than the rest of a turn:
    // the page comes back as one JSON row instead. The count is a subquery
    // of its own on the jobs' index: taken as a window over the page's rows
    // (as PostgreSQL does) it made SQLite build and sort a temporary table,
    // twice the statement's time. Both are read in one statement, so they agree.
    let (page_json, total): (String, i64) = sqlx::query_as(
        "SELECT (SELECT json_group_array(json_array(id, state, channel_id, conversation_id, created_at))
                 FROM (SELECT t.id, t.state, c.channel_id, c.conversation_id, t.created_at
                       FROM triggers t JOIN conversations c ON c.id = t.conversation_key
                       WHERE t.kind = 'job' AND ($1 IS NULL OR t.conversation_key = $1)
                       ORDER BY t.id
                       LIMIT $2 OFFSET $3)),
                (SELECT COUNT(*) FROM triggers
                 WHERE kind = 'job' AND ($1 IS NULL OR conversation_key = $1))",
    )
    .bind(scope)
    .bind(limit)
    .bind(offset)
    .fetch_one(connection)
    .await?;
    let mut rows: Vec<JobRow<i64>> = serde_json::from_str(&page_json)
        .map_err(|error| StoreError::Corrupt(format!("job page: {error}")))?;
    rows.sort_unstable_by_key(|row| row.0);
    Ok((rows, Some(total)))
}
