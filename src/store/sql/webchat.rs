//! Herald's web chat conversations on every dialect: their tokens and browser
//! credentials, and the numbered activities clients read back from a
//! watermark.

use chrono::{DateTime, Utc};

use super::webchat_files::Appended;
use crate::domain::ports::{
    NewWebchatAttachment, StoreError, WebchatBrowser, WebchatSession, WebchatStore, WebchatToken,
    WebchatUser,
};
use crate::store::dialect::{RowsAffected, at};
use crate::store::rows::StoredInstant;

pub const ADD_WEBCHAT_BROWSER: &str = "INSERT INTO webchat_browsers
         (credential_sha256, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)";

pub const ADD_WEBCHAT_TOKEN: &str =
    "INSERT INTO webchat_tokens (token_sha256, conversation_id, expires_at)
     SELECT $1, id, $3 FROM webchat_conversations WHERE id = $2";

pub const CLEAR_WEBCHAT_ACTIVITIES: &str =
    "DELETE FROM webchat_activities WHERE conversation_id = $1";

pub const CREATE_WEBCHAT_CONVERSATION: &str = "INSERT INTO webchat_conversations
         (id, user_id, user_name, created_at, updated_at) VALUES ($1, $3, $4, $2, $2)";

pub const INSERT_WEBCHAT_ACTIVITY: &str = "INSERT INTO webchat_activities
         (conversation_id, seq, activity_json, created_at) VALUES ($1, $2, $3, $4)";

pub const LATEST_WEBCHAT_CONVERSATION: &str = "SELECT id FROM webchat_conversations
     WHERE user_id = $1 ORDER BY updated_at DESC, id LIMIT 1";

/// Numbers the next activity: the row lock orders concurrent appends.
pub const NEXT_WEBCHAT_SEQ: &str = "UPDATE webchat_conversations
     SET last_seq = last_seq + 1, updated_at = $2 WHERE id = $1 RETURNING last_seq";

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

pub const PRUNE_WEBCHAT_BROWSERS: &str = "DELETE FROM webchat_browsers WHERE last_used_at < $1";

pub const PRUNE_WEBCHAT_TOKENS: &str = "DELETE FROM webchat_tokens WHERE expires_at <= $1";

pub const START_WEBCHAT_CONVERSATION: &str = "UPDATE webchat_conversations
     SET started_at = $2, updated_at = $2 WHERE id = $1 AND started_at IS NULL";

pub const WEBCHAT_ACTIVITIES: &str = "SELECT seq, activity_json FROM webchat_activities
     WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";

pub const WEBCHAT_BROWSER: &str = "UPDATE webchat_browsers SET last_used_at = $2
     WHERE credential_sha256 = $1 RETURNING user_id";

pub const WEBCHAT_LAST_SEQ: &str = "SELECT last_seq FROM webchat_conversations WHERE id = $1";

pub const WEBCHAT_SESSION: &str = "SELECT id, COALESCE(user_id, 'dl_' || id) AS user_id,
         user_name FROM webchat_conversations WHERE id = $1";

/// A token's conversation and person (a conversation made before people were
/// bound speaks as a person of its own, as the migration made them).
/// Tokens expired after `$2` are still found (and told apart as expired).
pub const WEBCHAT_TOKEN: &str = "SELECT t.conversation_id,
         COALESCE(c.user_id, 'dl_' || c.id) AS user_id, c.user_name, t.expires_at
     FROM webchat_tokens t JOIN webchat_conversations c ON c.id = t.conversation_id
     WHERE t.token_sha256 = $1 AND t.expires_at > $2";

/// A web chat conversation and its person: `(conversation id, user id, name)`.
fn webchat_session(
    (conversation_id, user_id, user_name): (String, String, Option<String>),
) -> WebchatSession {
    WebchatSession {
        conversation_id,
        user_id,
        user_name,
        expires_at: None,
    }
}

/// A token's conversation, person and expiry.
fn webchat_token_session<T: StoredInstant>(
    (conversation_id, user_id, user_name, expires_at): (String, String, Option<String>, T),
) -> Result<WebchatSession, StoreError> {
    Ok(WebchatSession {
        expires_at: Some(expires_at.into_utc()?),
        ..webchat_session((conversation_id, user_id, user_name))
    })
}

on_every_dialect! {
    impl WebchatStore {
        async fn create_webchat_conversation(
            &self,
            id: &str,
            user: WebchatUser<'_>,
            token: &WebchatToken<'_>,
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            sqlx::query(CREATE_WEBCHAT_CONVERSATION)
                .bind(id)
                .bind(at::<DB>(now))
                .bind(user.id)
                .bind(user.name)
                .execute(&mut *tx)
                .await?;
            sqlx::query(ADD_WEBCHAT_TOKEN)
                .bind(token.sha256)
                .bind(token.conversation_id)
                .bind(at::<DB>(token.expires_at))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        }

        async fn add_webchat_token(&self, token: &WebchatToken<'_>) -> Result<bool, StoreError> {
            let done = sqlx::query(ADD_WEBCHAT_TOKEN)
                .bind(token.sha256)
                .bind(token.conversation_id)
                .bind(at::<DB>(token.expires_at))
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected() == 1)
        }

        async fn webchat_token(
            &self,
            token_sha256: &str,
            now: DateTime<Utc>,
        ) -> Result<Option<WebchatSession>, StoreError> {
            let row: Option<(String, String, Option<String>, DB::Instant)> =
                sqlx::query_as(WEBCHAT_TOKEN)
                    .bind(token_sha256)
                    .bind(at::<DB>(now))
                    .fetch_optional(&mut *self.read().await?)
                    .await?;
            row.map(webchat_token_session).transpose()
        }

        async fn webchat_session(&self, id: &str) -> Result<Option<WebchatSession>, StoreError> {
            let row: Option<(String, String, Option<String>)> = sqlx::query_as(WEBCHAT_SESSION)
                .bind(id)
                .fetch_optional(&mut *self.read().await?)
                .await?;
            Ok(row.map(webchat_session))
        }

        async fn add_webchat_browser(
            &self,
            credential_sha256: &str,
            user_id: &str,
            now: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            sqlx::query(ADD_WEBCHAT_BROWSER)
                .bind(credential_sha256)
                .bind(user_id)
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(())
        }

        async fn webchat_browser(
            &self,
            credential_sha256: &str,
            now: DateTime<Utc>,
        ) -> Result<Option<WebchatBrowser>, StoreError> {
            let user_id: Option<String> = sqlx::query_scalar(WEBCHAT_BROWSER)
                .bind(credential_sha256)
                .bind(at::<DB>(now))
                .fetch_optional(&self.writer)
                .await?;
            let Some(user_id) = user_id else {
                return Ok(None);
            };
            let latest_conversation = sqlx::query_scalar(LATEST_WEBCHAT_CONVERSATION)
                .bind(&user_id)
                .fetch_optional(&self.writer)
                .await?;
            Ok(Some(WebchatBrowser {
                user_id,
                latest_conversation,
            }))
        }

        async fn prune_webchat_browsers(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
            let done = sqlx::query(PRUNE_WEBCHAT_BROWSERS)
                .bind(at::<DB>(before))
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected())
        }

        async fn start_webchat_conversation(
            &self,
            id: &str,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(START_WEBCHAT_CONVERSATION)
                .bind(id)
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected() == 1)
        }

        async fn append_webchat_activity(
            &self,
            id: &str,
            activity_json: &str,
            attachments: &[NewWebchatAttachment<'_>],
            keep: u32,
            now: DateTime<Utc>,
        ) -> Result<Option<i64>, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            let Some(seq): Option<i64> = sqlx::query_scalar(NEXT_WEBCHAT_SEQ)
                .bind(id)
                .bind(at::<DB>(now))
                .fetch_optional(&mut *tx)
                .await?
            else {
                return Ok(None);
            };
            sqlx::query(INSERT_WEBCHAT_ACTIVITY)
                .bind(id)
                .bind(seq)
                .bind(activity_json)
                .bind(at::<DB>(now))
                .execute(&mut *tx)
                .await?;
            let appended = Appended {
                conversation_id: id,
                seq,
                attachments,
                keep,
            };
            Self::attach_and_trim(&mut tx, &appended).await?;
            // Streams on other instances hear of it when the append commits.
            DB::announce_webchat(&mut tx, id).await?;
            tx.commit().await?;
            Ok(Some(seq))
        }

        async fn webchat_activities(
            &self,
            id: &str,
            after: i64,
            limit: u32,
        ) -> Result<Vec<(i64, String)>, StoreError> {
            Ok(sqlx::query_as(WEBCHAT_ACTIVITIES)
                .bind(id)
                .bind(after)
                .bind(i64::from(limit))
                .fetch_all(&mut *self.read().await?)
                .await?)
        }

        async fn webchat_last_seq(&self, id: &str) -> Result<Option<i64>, StoreError> {
            Ok(sqlx::query_scalar(WEBCHAT_LAST_SEQ)
                .bind(id)
                .fetch_optional(&mut *self.read().await?)
                .await?)
        }

        async fn clear_webchat_activities(&self, id: &str) -> Result<u64, StoreError> {
            let done = sqlx::query(CLEAR_WEBCHAT_ACTIVITIES)
                .bind(id)
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected())
        }

        async fn prune_webchat_conversations(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            let mut pruned = 0;
            for statement in PRUNE_WEBCHAT {
                pruned = sqlx::query(statement)
                    .bind(at::<DB>(before))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(pruned)
        }

        async fn prune_webchat_tokens(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
            let done = sqlx::query(PRUNE_WEBCHAT_TOKENS)
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(done.rows_affected())
        }
    }
}
