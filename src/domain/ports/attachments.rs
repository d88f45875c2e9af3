//! The storage port's files of web chat conversations: what a user uploaded
//! with a message, kept with that message's activity in the transcript.

use async_trait::async_trait;

use super::StoreError;

/// A file on its way into the store, with the activity it came with
/// (`Store::append_webchat_activity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewWebchatAttachment<'a> {
    /// Random, chosen by Herald: the activity's link to it names it.
    pub id: &'a str,
    /// Sanitised: no path, no control characters.
    pub name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
}

/// A stored file, as it is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebchatAttachment {
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// Reading the files back. (They are written with their activity, deleted
/// with it, with their conversation and by `forget me`: see `Store`.)
#[async_trait]
pub trait WebchatAttachments: Send + Sync {
    /// A file of conversation `conversation_id`; `None` when it is gone or
    /// belongs to another conversation.
    async fn webchat_attachment(
        &self,
        conversation_id: &str,
        attachment_id: &str,
    ) -> Result<Option<WebchatAttachment>, StoreError>;
}
