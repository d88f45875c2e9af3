//! Web chat files on both backends, written once: the statements are
//! `sql`'s, and the code is generic over the sqlx database, since files hold
//! only text, numbers and bytes, which both backends bind alike (the
//! instants, which they do not, stay out of it).

use async_trait::async_trait;
use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Pool, Type};

use super::sql;
use super::{PostgresStore, SqliteStore};
use crate::domain::ports::{
    NewWebchatAttachment, StoreError, WebchatAttachment, WebchatAttachments,
};

/// A store of one backend, and the pool its reads go to.
pub trait ReadPool {
    type Db: Database;

    fn read_pool(&self) -> &Pool<Self::Db>;
}

impl ReadPool for SqliteStore {
    type Db = sqlx::Sqlite;

    fn read_pool(&self) -> &Pool<sqlx::Sqlite> {
        &self.reader
    }
}

impl ReadPool for PostgresStore {
    type Db = sqlx::Postgres;

    fn read_pool(&self) -> &Pool<sqlx::Postgres> {
        &self.reader
    }
}

/// An activity just appended, with the files it came with.
#[derive(Debug, Clone, Copy)]
pub struct Appended<'a> {
    pub conversation_id: &'a str,
    pub seq: i64,
    pub attachments: &'a [NewWebchatAttachment<'a>],
    /// The transcript's cap, in activities.
    pub keep: u32,
}

impl<'a> Appended<'a> {
    pub fn new(
        conversation_id: &'a str,
        seq: i64,
        attachments: &'a [NewWebchatAttachment<'a>],
        keep: u32,
    ) -> Self {
        Self {
            conversation_id,
            seq,
            attachments,
            keep,
        }
    }
}

/// The file statements of a backend. Every sqlx database that binds text,
/// numbers and bytes as both backends do has them: the bounds that say so
/// are stated once, on the one implementation below.
#[async_trait]
pub trait FileStatements: Database {
    /// In the append's transaction, once its activity is in: the files,
    /// then the transcript's cap (the oldest activities go with theirs).
    async fn attach_and_trim(
        connection: &mut Self::Connection,
        appended: &Appended<'_>,
    ) -> Result<(), StoreError>;

    async fn attachment(
        pool: &Pool<Self>,
        conversation_id: &str,
        attachment_id: &str,
    ) -> Result<Option<WebchatAttachment>, StoreError>;
}

#[async_trait]
impl<DB> FileStatements for DB
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'r> (String, String, Vec<u8>): FromRow<'r, DB::Row>,
{
    async fn attach_and_trim(
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
            sqlx::query(sql::INSERT_WEBCHAT_ATTACHMENT)
                .bind(file.id)
                .bind(conversation_id)
                .bind(seq)
                .bind(file.name)
                .bind(file.content_type)
                .bind(file.content)
                .execute(&mut *connection)
                .await?;
        }
        for statement in sql::TRIM_WEBCHAT {
            sqlx::query(statement)
                .bind(conversation_id)
                .bind(i64::from(keep))
                .bind(seq)
                .execute(&mut *connection)
                .await?;
        }
        Ok(())
    }

    async fn attachment(
        pool: &Pool<DB>,
        conversation_id: &str,
        attachment_id: &str,
    ) -> Result<Option<WebchatAttachment>, StoreError> {
        let row: Option<(String, String, Vec<u8>)> = sqlx::query_as(sql::WEBCHAT_ATTACHMENT)
            .bind(conversation_id)
            .bind(attachment_id)
            .fetch_optional(pool)
            .await?;
        Ok(row.map(|(name, content_type, content)| WebchatAttachment {
            name,
            content_type,
            content,
        }))
    }
}

#[async_trait]
impl<S> WebchatAttachments for S
where
    S: ReadPool + Send + Sync,
    S::Db: FileStatements,
{
    async fn webchat_attachment(
        &self,
        conversation_id: &str,
        attachment_id: &str,
    ) -> Result<Option<WebchatAttachment>, StoreError> {
        S::Db::attachment(self.read_pool(), conversation_id, attachment_id).await
    }
}
