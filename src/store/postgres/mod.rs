//! The storage port on PostgreSQL, for one or several Herald instances sharing
//! a database: row locks (`FOR UPDATE`, `SKIP LOCKED`) keep their work apart.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::{OpenError, PostgresStore, StoreOptions};

mod dialect;
mod jobs;
mod listen;
mod outbox;
mod prices;
mod triggers;

pub use listen::TRIGGERS_CHANNEL;
pub use listen::WEBCHAT_CHANNEL;
pub use listen::{ChangeWakers, WebchatWaker, watch_changes};

/// How long a pooled connection may sit idle before it is pinged on use.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl PostgresStore {
    pub async fn connect(options: &StoreOptions) -> Result<Self, OpenError> {
        let connect = PgConnectOptions::from_str(&options.url).map_err(OpenError::InvalidUrl)?;
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(2))
            .acquire_timeout(Duration::from_secs(10))
            // A ping is a round trip: checked on every acquire, it doubled a
            // turn's exchanges with the server. Only a connection idle long
            // enough to have been cut (a restarted server, a firewall's idle
            // timeout) is checked before use.
            .test_before_acquire(false)
            .before_acquire(|connection, meta| {
                Box::pin(async move {
                    if meta.idle_for >= IDLE_BEFORE_PING {
                        connection.ping().await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(connect)
            .await
            .map_err(OpenError::Connect)?;
        // One pool serves reads and writes: row locks, not a lone writer, keep
        // PostgreSQL's writers apart.
        Ok(Self {
            writer: pool.clone(),
            reader: pool,
        })
    }

    pub async fn migrate(&self) -> Result<(), OpenError> {
        MIGRATOR.run(&self.writer).await.map_err(OpenError::Migrate)
    }
}
