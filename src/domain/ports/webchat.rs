//! The storage port's web chat: conversations, their tokens and browser
//! credentials, and the transcripts clients read back from a watermark.

use super::{NewWebchatAttachment, StoreError};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Who a web chat conversation speaks as: bound when it is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebchatUser<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
}

/// What a web chat token opens: a conversation, and the person it speaks as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebchatSession {
    pub conversation_id: String,
    pub user_id: String,
    pub user_name: Option<String>,
    /// When the token it was found by expires (`None`: found without one).
    pub expires_at: Option<DateTime<Utc>>,
}

/// The person a browser credential names, and the web chat conversation
/// they spoke in last (if it is still kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebchatBrowser {
    pub user_id: String,
    pub latest_conversation: Option<String>,
}

/// A web chat token as stored: its digest, conversation and expiry.
#[derive(Debug, Clone, Copy)]
pub struct WebchatToken<'a> {
    pub sha256: &'a str,
    pub conversation_id: &'a str,
    pub expires_at: DateTime<Utc>,
}

/// Web chat conversations: their tokens, browsers and transcripts.
#[async_trait]
pub trait WebchatStore: Send + Sync {
    /// Creates a web chat conversation, speaking as `user` for good, with its
    /// first token (a digest).
    async fn create_webchat_conversation(
        &self,
        id: &str,
        user: WebchatUser<'_>,
        token: &WebchatToken<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Another token for a conversation (a refresh); false when it is gone.
    async fn add_webchat_token(&self, token: &WebchatToken<'_>) -> Result<bool, StoreError>;

    /// The conversation a token (its digest) opens, with the person it
    /// speaks as and when it expires; tokens that expired before
    /// `expired_after` are not found.
    async fn webchat_token(
        &self,
        token_sha256: &str,
        expired_after: DateTime<Utc>,
    ) -> Result<Option<WebchatSession>, StoreError>;

    /// A web chat conversation with its person; `None` when it is gone.
    async fn webchat_session(&self, id: &str) -> Result<Option<WebchatSession>, StoreError>;

    /// Keeps a browser credential (its digest) Herald issued to a person of
    /// the built-in page.
    async fn add_webchat_browser(
        &self,
        credential_sha256: &str,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The person a browser credential (its digest) is, with their latest
    /// conversation, noting its use; `None` when unknown or revoked.
    async fn webchat_browser(
        &self,
        credential_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<WebchatBrowser>, StoreError>;

    /// Forgets browser credentials unused since `before`; how many.
    async fn prune_webchat_browsers(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Marks a web chat conversation started: true the first time only.
    async fn start_webchat_conversation(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Appends an activity (JSON, without its id) with the files it came
    /// with and returns its number, keeping only the conversation's last
    /// `keep` activities (the oldest go, with their files); `None` when the
    /// conversation does not exist.
    async fn append_webchat_activity(
        &self,
        id: &str,
        activity_json: &str,
        attachments: &[NewWebchatAttachment<'_>],
        keep: u32,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError>;

    /// A conversation's activities numbered after `after`, in order.
    async fn webchat_activities(
        &self,
        id: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(i64, String)>, StoreError>;

    /// The number of a web chat conversation's last activity (0: none yet).
    async fn webchat_last_seq(&self, id: &str) -> Result<Option<i64>, StoreError>;

    /// Deletes a web chat conversation's transcript (its numbering goes on,
    /// so clients' watermarks stay valid); how many activities.
    async fn clear_webchat_activities(&self, id: &str) -> Result<u64, StoreError>;

    /// Deletes web chat conversations (transcripts, files, tokens) idle since `before`.
    async fn prune_webchat_conversations(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Forgets web chat tokens that expired before `before`; how many.
    async fn prune_webchat_tokens(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;
}
