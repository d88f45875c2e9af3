//! Web chat files on every dialect: what a user uploaded with a message,
//! kept with that message's activity, trimmed with the transcript and read
//! back to be served.

use crate::domain::ports::{
    NewWebchatAttachment, StoreError, WebchatAttachment, WebchatAttachments,
};

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

/// An activity just appended, with the files it came with.
#[derive(Debug, Clone, Copy)]
pub struct Appended<'a> {
    pub conversation_id: &'a str,
    pub seq: i64,
    pub attachments: &'a [NewWebchatAttachment<'a>],
    /// The transcript's cap, in activities.
    pub keep: u32,
}

on_every_dialect! {
    impl {
        /// In the append's transaction, once its activity is in: the files,
        /// then the transcript's cap (the oldest activities go with theirs).
        pub(super) async fn attach_and_trim(
            connection: &mut DB::Connection,
            appended: &Appended<'_>,
        ) -> Result<(), StoreError> {
            let Appended {
                conversation_id,
                seq,
                attachments,
                keep,
            } = *appended;
            for file in attachments {
                sqlx::query(INSERT_WEBCHAT_ATTACHMENT)
                    .bind(file.id)
                    .bind(conversation_id)
                    .bind(seq)
                    .bind(file.name)
                    .bind(file.content_type)
                    .bind(file.content)
                    .execute(&mut *connection)
                    .await?;
            }
            for statement in TRIM_WEBCHAT {
                sqlx::query(statement)
                    .bind(conversation_id)
                    .bind(i64::from(keep))
                    .bind(seq)
                    .execute(&mut *connection)
                    .await?;
            }
            Ok(())
        }
    }
}

on_every_dialect! {
    impl WebchatAttachments {
        async fn webchat_attachment(
            &self,
            conversation_id: &str,
            attachment_id: &str,
        ) -> Result<Option<WebchatAttachment>, StoreError> {
            let row: Option<(String, String, Vec<u8>)> = sqlx::query_as(WEBCHAT_ATTACHMENT)
                .bind(conversation_id)
                .bind(attachment_id)
                .fetch_optional(&mut *self.read().await?)
                .await?;
            Ok(row.map(|(name, content_type, content)| WebchatAttachment {
                name,
                content_type,
                content,
            }))
        }
    }
}
