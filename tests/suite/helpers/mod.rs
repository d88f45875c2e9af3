//! Shared test machinery: databases per test, a fake channel connector, a
//! running Herald on port 0 with a manual clock, and activity builders.

mod api;
mod app;
mod binary;
mod channel;
mod connector;
mod database;
pub mod issuer;
pub mod multipart;
mod pg_wire;
mod price_server;
mod proxy;

pub use api::call_api;
pub use app::{
    TestApp, spawn_app, spawn_app_on, spawn_app_resolving, spawn_app_with, start_instant,
};
pub use binary::{HeraldProcess, herald_command, output};
pub use channel::Conversation;
pub use connector::{ConnectorBehaviour, FakeConnector};
pub use database::TestDatabase;
pub use issuer::FakeIssuer;
pub use pg_wire::RoundTrips;
pub use price_server::{PriceAnswer, PriceServer, market, price_source};
pub use proxy::RecordingProxy;

/// Declares one test that runs once per backend: `name::sqlite` and
/// `name::postgres` (the latter ignored when the suite was built without
/// `HERALD_TEST_POSTGRES_URL`; see `build.rs`).
#[macro_export]
macro_rules! on_both_backends {
    ($(#[$meta:meta])* async fn $name:ident($db:ident: TestDatabase) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$meta])*
            async fn run($db: $crate::helpers::TestDatabase) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::helpers::TestDatabase::sqlite().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(herald_postgres_tests), ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL")]
            async fn postgres() {
                run($crate::helpers::TestDatabase::postgres(module_path!()).await).await;
            }
        }
    };
}
