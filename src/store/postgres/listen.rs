//! Hears what other instances change: PostgreSQL `LISTEN` on the channels the
//! store `NOTIFY`s — trigger changes wake this instance's scheduler, web chat
//! appends wake the streams of that conversation.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// The channel schedulers listen on; the payload is empty: a woken scheduler
/// reads the next due time itself.
pub const TRIGGERS_CHANNEL: &str = "herald_triggers";

/// The channel a web chat append is announced on; the payload is the
/// conversation's id.
pub const WEBCHAT_CHANNEL: &str = "herald_webchat";

/// How long to wait before reconnecting after the listener failed.
const RECONNECT_DELAY: Duration = Duration::from_secs(5);

/// Wakes a web chat conversation's streams: `Some(id)` when its log grew,
/// `None` when any may have (notifications were lost).
pub type WebchatWaker = Arc<dyn Fn(Option<&str>) + Send + Sync>;

/// What this instance wakes when others change things.
#[derive(Clone, Default)]
pub struct ChangeWakers {
    /// The scheduler (when it runs here): a trigger was created or changed.
    pub triggers: Option<Arc<Notify>>,
    /// Web chat streams (when web chat is on).
    pub webchat: Option<WebchatWaker>,
}

impl ChangeWakers {
    pub fn is_empty(&self) -> bool {
        self.triggers.is_none() && self.webchat.is_none()
    }

    fn channels(&self) -> Vec<&'static str> {
        let mut channels = Vec::new();
        if self.triggers.is_some() {
            channels.push(TRIGGERS_CHANNEL);
        }
        if self.webchat.is_some() {
            channels.push(WEBCHAT_CHANNEL);
        }
        channels
    }

    /// After an outage: anything may have changed meanwhile.
    fn wake_all(&self) {
        if let Some(triggers) = &self.triggers {
            triggers.notify_one();
        }
        if let Some(webchat) = &self.webchat {
            webchat(None);
        }
    }

    fn woken(&self, channel: &str, payload: &str) {
        match (channel, &self.triggers, &self.webchat) {
            (TRIGGERS_CHANNEL, Some(triggers), _) => triggers.notify_one(),
            (WEBCHAT_CHANNEL, _, Some(webchat)) => webchat(Some(payload)),
            _ => {}
        }
    }
}

/// Listens until `shutdown`. A lost connection wakes everything
/// (notifications may have been missed meanwhile); the scheduler's bounded
/// sleep and the streams' occasional look cover any outage.
pub async fn watch_changes(url: String, wakers: ChangeWakers, shutdown: CancellationToken) {
    while !shutdown.is_cancelled() {
        match listen(&url, &wakers, &shutdown).await {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(%error, "listening for other instances' changes failed; retrying");
                wakers.wake_all();
            }
        }
        tokio::select! {
            () = tokio::time::sleep(RECONNECT_DELAY) => {}
            () = shutdown.cancelled() => return,
        }
    }
}

async fn listen(
    url: &str,
    wakers: &ChangeWakers,
    shutdown: &CancellationToken,
) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen_all(wakers.channels()).await?;
    tracing::debug!("listening for other instances' changes");
    loop {
        tokio::select! {
            // `None` means the connection dropped: sqlx reconnects and
            // listens again; wake anyway, a notification may be lost.
            received = listener.try_recv() => match received? {
                Some(notification) => wakers.woken(notification.channel(), notification.payload()),
                None => wakers.wake_all(),
            },
            () = shutdown.cancelled() => return Ok(()),
        }
    }
}
