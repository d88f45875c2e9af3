//! Herald's side of the web chat channel: its replies and proactive
//! messages reach a conversation's log through the connector interface every
//! channel has, so they go through the outbox and the send budget alike.

use super::{BOT_ID, SERVICE_URL, WebChat};
use crate::botframework::activity::{Activity, ResourceResponse};
use crate::botframework::connector::{ConnectorError, LocalChannel};

/// Herald's activities (replies, proactive messages) join the log here.
#[async_trait::async_trait]
impl LocalChannel for WebChat {
    fn service_url(&self) -> &str {
        SERVICE_URL
    }

    async fn deliver(
        &self,
        conversation_id: &str,
        activity: &Activity,
    ) -> Result<ResourceResponse, ConnectorError> {
        let mut activity = activity.clone();
        let from = activity.from.get_or_insert_with(Default::default);
        from.id = Some(BOT_ID.to_owned());
        from.name = Some("Herald".to_owned());
        from.role = Some("bot".to_owned());
        match self.append(conversation_id, &activity, &[]).await {
            Ok(Some(id)) => Ok(ResourceResponse { id: Some(id) }),
            // The conversation is gone (pruned): as a channel would say it.
            Ok(None) => Err(ConnectorError::Status {
                status: 404,
                retry_after: None,
                body: "ConversationNotFound".to_owned(),
            }),
            Err(error) => Err(ConnectorError::Transport(error.to_string())),
        }
    }
}
