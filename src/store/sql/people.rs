//! People of a channel: what Herald keeps about each (settings, what their
//! activity said), and forgetting it all, on every dialect.

use chrono::{DateTime, Utc};

use crate::domain::person::PersonRef;
use crate::domain::ports::{Forgotten, PersonStore, StoreError};
use crate::domain::user::UserRecord;
use crate::store::dialect::{RowsAffected, at};
use crate::store::rows::UserRow;

/// What a person (`$1` channel, `$2` user id) owns.
macro_rules! owned_by_person {
    () => {
        "(owner_channel_id = $1 AND owner_user_id = $2)"
    };
}

/// A person's personal (one-to-one) conversations in their channel.
macro_rules! personal_conversations {
    () => {
        "(SELECT id FROM conversations WHERE channel_id = $1 AND user_id = $2 AND NOT is_group)"
    };
}

/// Forgetting a person, step by step in one transaction: `$1` is the
/// channel, `$2` the user id (the same id in another channel is someone else).
/// The user's triggers are stopped first: that waits for a firing that holds
/// them and keeps any other from starting, so the outbox delete that follows
/// sees every message a firing queued (PostgreSQL's outbox has no foreign
/// key that would otherwise catch one).
pub const FORGET_USER: [&str; 7] = [
    concat!(
        "UPDATE triggers SET state = 'cancelled', next_fire_at = NULL WHERE ",
        owned_by_person!(),
        " OR conversation_key IN ",
        personal_conversations!()
    ),
    concat!(
        "DELETE FROM outbox WHERE trigger_id IN (SELECT id FROM triggers WHERE ",
        owned_by_person!(),
        ") OR ",
        owned_by_person!(),
        " OR conversation_key IN ",
        personal_conversations!()
    ),
    concat!(
        "DELETE FROM price_watches WHERE ",
        owned_by_person!(),
        " OR conversation_key IN ",
        personal_conversations!()
    ),
    // The built-in web chat page's browser credentials: revoked.
    "DELETE FROM webchat_browsers WHERE CAST($1 AS TEXT) = 'webchat' AND user_id = $2",
    // The files they uploaded to web chat, in every conversation of theirs.
    "DELETE FROM webchat_attachments WHERE CAST($1 AS TEXT) = 'webchat' AND conversation_id IN
         (SELECT id FROM webchat_conversations WHERE COALESCE(user_id, 'dl_' || id) = $2)",
    concat!(
        "DELETE FROM handled_activities WHERE conversation_key IN ",
        personal_conversations!()
    ),
    concat!(
        "DELETE FROM triggers WHERE ",
        owned_by_person!(),
        " OR conversation_key IN ",
        personal_conversations!()
    ),
];

/// The person's settings, in their channel only.
pub const FORGET_USER_SETTINGS: &str = "DELETE FROM users WHERE channel_id = $1 AND user_id = $2";

/// Scrubs the user's personal conversation references, keeping only the key
/// (so nothing that cached it breaks) until idle pruning removes the row.
pub const SCRUB_PERSONAL_CONVERSATIONS: &str = "UPDATE conversations SET
         service_url = '', reference_json = '{}', conversation_type = NULL, tenant_id = NULL,
         bot_id = NULL, user_id = NULL, user_aad_object_id = NULL, locale = NULL,
         local_timezone = NULL, service_url_verified = FALSE, updated_at = $3
     WHERE channel_id = $1 AND user_id = $2 AND NOT is_group";

/// A person of a channel.
pub const SELECT_USER: &str = "SELECT channel_id, user_id, name, time_zone, language, locale,
         local_timezone, quiet_start, quiet_end, warned_offset
     FROM users WHERE channel_id = $1 AND user_id = $2";

/// Stores a person's record whole.
pub const UPSERT_USER: &str = "INSERT INTO users (channel_id, user_id, name, time_zone,
         language, locale, local_timezone, quiet_start, quiet_end, warned_offset,
         created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
     ON CONFLICT (channel_id, user_id) DO UPDATE SET
         name = excluded.name, time_zone = excluded.time_zone, language = excluded.language,
         locale = excluded.locale, local_timezone = excluded.local_timezone,
         quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,
         warned_offset = excluded.warned_offset, updated_at = excluded.updated_at";

on_every_dialect! {
    impl PersonStore {
        async fn user(
            &self,
            channel_id: &str,
            user_id: &str,
        ) -> Result<Option<UserRecord>, StoreError> {
            let row: Option<UserRow> = sqlx::query_as(SELECT_USER)
                .bind(channel_id)
                .bind(user_id)
                .fetch_optional(&mut *self.read().await?)
                .await?;
            Ok(row.map(UserRecord::from))
        }

        async fn save_user(&self, user: &UserRecord, now: DateTime<Utc>) -> Result<(), StoreError> {
            sqlx::query(UPSERT_USER)
                .bind(&user.channel_id)
                .bind(&user.user_id)
                .bind(&user.name)
                .bind(&user.time_zone)
                .bind(&user.language)
                .bind(&user.locale)
                .bind(&user.local_timezone)
                .bind(user.quiet.map(|q| i32::from(q.start)))
                .bind(user.quiet.map(|q| i32::from(q.end)))
                .bind(user.warned_offset)
                .bind(at::<DB>(now))
                .execute(&self.writer)
                .await?;
            Ok(())
        }

        async fn forget_user(
            &self,
            person: PersonRef<'_>,
            now: DateTime<Utc>,
        ) -> Result<Forgotten, StoreError> {
            let mut tx = DB::begin_write(&self.writer).await?;
            let mut triggers = 0;
            for statement in FORGET_USER {
                triggers = sqlx::query(statement)
                    .bind(person.channel_id)
                    .bind(person.user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            sqlx::query(FORGET_USER_SETTINGS)
                .bind(person.channel_id)
                .bind(person.user_id)
                .execute(&mut *tx)
                .await?;
            let conversations = sqlx::query(SCRUB_PERSONAL_CONVERSATIONS)
                .bind(person.channel_id)
                .bind(person.user_id)
                .bind(at::<DB>(now))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(Forgotten {
                triggers,
                conversations,
            })
        }
    }
}
