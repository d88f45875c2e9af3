//! A conversation's WebSocket: every activity after the client's watermark,
//! then each new one as it joins the log, as Direct Line ActivitySets
//! (`{"activities": […], "watermark": "N"}`); an empty message now and then
//! keeps proxies from closing an idle connection.

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use serde_json::json;

use super::{Slot, WebChat};

/// How often the log is read without being woken. Every append wakes the
/// streams (other instances' through PostgreSQL `NOTIFY`, and a listener
/// that lost its connection wakes them all): this only backs that up.
const LOOK_EVERY: Duration = Duration::from_secs(30);
/// How long a connection may stay silent before a heartbeat.
const HEARTBEAT: Duration = Duration::from_secs(30);

/// Runs until the client leaves, or a newer stream of the conversation takes
/// `slot`'s place (this one is then closed). Links to files are signed for
/// `origin`, the client's host.
pub async fn run(
    chat: &WebChat,
    conversation_id: &str,
    origin: &str,
    mut watermark: i64,
    mut socket: WebSocket,
    slot: Slot,
) {
    let changes = chat.changes(conversation_id);
    let mut silent = Duration::ZERO;
    loop {
        // Registered before reading, so an append during the read wakes us.
        let woken = changes.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        let mut set = match chat.after(conversation_id, watermark).await {
            Ok(set) => set,
            Err(error) => {
                tracing::warn!(%error, "web chat stream: cannot read the conversation");
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
        };
        // Past the end, `after` answers the log's real end: follow from there.
        watermark = set.watermark;
        if !set.activities.is_empty() {
            chat.sign_links(&mut set.activities, conversation_id, origin);
            let frame = json!({
                "activities": set.activities,
                "watermark": watermark.to_string(),
            });
            if socket
                .send(Message::Text(frame.to_string().into()))
                .await
                .is_err()
            {
                return;
            }
            silent = Duration::ZERO;
            // A full page may have more behind it.
            continue;
        }
        if silent >= HEARTBEAT {
            if socket.send(Message::Text("".into())).await.is_err() {
                return;
            }
            silent = Duration::ZERO;
        }
        tokio::select! {
            () = slot.closed.cancelled() => {
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
            _ = &mut woken => {}
            _ = tokio::time::sleep(LOOK_EVERY) => silent += LOOK_EVERY,
            incoming = socket.recv() => match incoming {
                // Clients send nothing on this socket but pings and the close.
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
}
