//! Herald's web chat on SQLite: conversations, their numbered activities, tokens.

use chrono::{DateTime, Utc};

use crate::domain::ports::{
    NewWebchatAttachment, StoreError, WebchatBrowser, WebchatSession, WebchatToken, WebchatUser,
};
use crate::store::SqliteStore;
use crate::store::rows::to_millis;
use crate::store::rows::{webchat_session, webchat_token_session};
use crate::store::{Appended, FileStatements, sql};

fn instant(at: DateTime<Utc>) -> i64 {
    to_millis(at)
}

pub async fn create_conversation(
    store: &SqliteStore,
    id: &str,
    user: WebchatUser<'_>,
    token: &WebchatToken<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(sql::CREATE_WEBCHAT_CONVERSATION)
        .bind(id)
        .bind(instant(now))
        .bind(user.id)
        .bind(user.name)
        .execute(&mut *tx)
        .await?;
    sqlx::query(sql::ADD_WEBCHAT_TOKEN)
        .bind(token.sha256)
        .bind(token.conversation_id)
        .bind(instant(token.expires_at))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_token(store: &SqliteStore, token: &WebchatToken<'_>) -> Result<bool, StoreError> {
    let done = sqlx::query(sql::ADD_WEBCHAT_TOKEN)
        .bind(token.sha256)
        .bind(token.conversation_id)
        .bind(instant(token.expires_at))
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn token(
    store: &SqliteStore,
    token_sha256: &str,
    now: DateTime<Utc>,
) -> Result<Option<WebchatSession>, StoreError> {
    let row: Option<(String, String, Option<String>, i64)> = sqlx::query_as(sql::WEBCHAT_TOKEN)
        .bind(token_sha256)
        .bind(instant(now))
        .fetch_optional(&store.reader)
        .await?;
    row.map(webchat_token_session).transpose()
}

pub async fn session(store: &SqliteStore, id: &str) -> Result<Option<WebchatSession>, StoreError> {
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(sql::WEBCHAT_SESSION)
        .bind(id)
        .fetch_optional(&store.reader)
        .await?;
    Ok(row.map(webchat_session))
}

pub async fn add_browser(
    store: &SqliteStore,
    credential_sha256: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(sql::ADD_WEBCHAT_BROWSER)
        .bind(credential_sha256)
        .bind(user_id)
        .bind(instant(now))
        .execute(&store.writer)
        .await?;
    Ok(())
}

pub async fn browser(
    store: &SqliteStore,
    credential_sha256: &str,
    now: DateTime<Utc>,
) -> Result<Option<WebchatBrowser>, StoreError> {
    let user_id: Option<String> = sqlx::query_scalar(sql::WEBCHAT_BROWSER)
        .bind(credential_sha256)
        .bind(instant(now))
        .fetch_optional(&store.writer)
        .await?;
    let Some(user_id) = user_id else {
        return Ok(None);
    };
    let latest_conversation = sqlx::query_scalar(sql::LATEST_WEBCHAT_CONVERSATION)
        .bind(&user_id)
        .fetch_optional(&store.writer)
        .await?;
    Ok(Some(WebchatBrowser {
        user_id,
        latest_conversation,
    }))
}

pub async fn prune_browsers(store: &SqliteStore, before: DateTime<Utc>) -> Result<u64, StoreError> {
    let done = sqlx::query(sql::PRUNE_WEBCHAT_BROWSERS)
        .bind(instant(before))
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected())
}

pub async fn start(store: &SqliteStore, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let done = sqlx::query(sql::START_WEBCHAT_CONVERSATION)
        .bind(id)
        .bind(instant(now))
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn append(
    store: &SqliteStore,
    id: &str,
    activity_json: &str,
    attachments: &[NewWebchatAttachment<'_>],
    keep: u32,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    let Some(seq): Option<i64> = sqlx::query_scalar(sql::NEXT_WEBCHAT_SEQ)
        .bind(id)
        .bind(instant(now))
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Ok(None);
    };
    sqlx::query(sql::INSERT_WEBCHAT_ACTIVITY)
        .bind(id)
        .bind(seq)
        .bind(activity_json)
        .bind(instant(now))
        .execute(&mut *tx)
        .await?;
    let appended = Appended::new(id, seq, attachments, keep);
    sqlx::Sqlite::attach_and_trim(&mut tx, &appended).await?;
    tx.commit().await?;
    Ok(Some(seq))
}

pub async fn activities(
    store: &SqliteStore,
    id: &str,
    after: i64,
    limit: u32,
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(sqlx::query_as(sql::WEBCHAT_ACTIVITIES)
        .bind(id)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&store.reader)
        .await?)
}

pub async fn prune_tokens(store: &SqliteStore, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let done = sqlx::query(sql::PRUNE_WEBCHAT_TOKENS)
        .bind(instant(now))
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected())
}

pub async fn clear_activities(store: &SqliteStore, id: &str) -> Result<u64, StoreError> {
    let done = sqlx::query(sql::CLEAR_WEBCHAT_ACTIVITIES)
        .bind(id)
        .execute(&store.writer)
        .await?;
    Ok(done.rows_affected())
}

pub async fn prune_conversations(
    store: &SqliteStore,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut tx = store.writer.begin_with("BEGIN IMMEDIATE").await?;
    let mut pruned = 0;
    for statement in sql::PRUNE_WEBCHAT {
        pruned = sqlx::query(statement)
            .bind(instant(before))
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    tx.commit().await?;
    Ok(pruned)
}

pub async fn last_seq(store: &SqliteStore, id: &str) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(sql::WEBCHAT_LAST_SEQ)
        .bind(id)
        .fetch_optional(&store.reader)
        .await?)
}
