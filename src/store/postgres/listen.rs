//! Wakes this instance's scheduler when any instance creates or changes a
//! trigger: PostgreSQL `LISTEN` on the channel the store `NOTIFY`s.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::TRIGGERS_CHANNEL;

/// How long to wait before reconnecting after the listener failed.
const RECONNECT_DELAY: Duration = Duration::from_secs(5);

/// Listens until `shutdown`, signalling `wake` for each notification. A lost
/// connection also signals (notifications may have been missed meanwhile),
/// and the scheduler's bounded sleep covers any outage.
pub async fn watch_trigger_changes(url: String, wake: Arc<Notify>, shutdown: CancellationToken) {
    while !shutdown.is_cancelled() {
        match listen(&url, &wake, &shutdown).await {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(%error, "listening for trigger changes failed; retrying");
                wake.notify_one();
            }
        }
        tokio::select! {
            () = tokio::time::sleep(RECONNECT_DELAY) => {}
            () = shutdown.cancelled() => return,
        }
    }
}

async fn listen(url: &str, wake: &Notify, shutdown: &CancellationToken) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(TRIGGERS_CHANNEL).await?;
    tracing::debug!("listening for trigger changes");
    loop {
        tokio::select! {
            // `None` means the connection dropped: the next call reconnects
            // and listens again; wake anyway, a notification may be lost.
            received = listener.try_recv() => {
                received?;
                wake.notify_one();
            }
            () = shutdown.cancelled() => return Ok(()),
        }
    }
}
