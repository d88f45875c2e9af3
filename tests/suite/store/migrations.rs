//! Opening the store: its migrations can run twice.

use super::open;
use crate::on_both_backends;

on_both_backends! {
    async fn migrations_can_run_twice(db: TestDatabase) {
        let _first = open(&db).await;
        let second = open(&db).await;
        second.ping().await.unwrap();
    }
}
