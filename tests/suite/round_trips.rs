//! A read-only turn (`show`, `reminders`, `help`) costs Herald at most two
//! round trips to its database once the conversation and its person are
//! known (the second only when a connection prepares the statement for the
//! first time). Counted on PostgreSQL's wire, where each one is a network
//! exchange (SQLite's are calls into the same process). sqlx pings each
//! connection as it goes back to its pool, after the turn's work: those
//! pings are counted apart, and a connection is not pinged before use
//! unless it sat idle.

use herald::config::BudgetStore;

use crate::helpers::{FakeConnector, RoundTrips, TestDatabase, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(herald_postgres_tests),
    ignore = "needs PostgreSQL: set HERALD_TEST_POSTGRES_URL"
)]
async fn read_only_turns_make_at_most_two_round_trips() {
    let db = TestDatabase::postgres(module_path!()).await;
    let wire = RoundTrips::in_front_of(&db.url).await;
    let app = spawn_app_with(&db, FakeConnector::start().await, |settings| {
        settings.database.url = wire.url.clone();
        // Only the turns use the database while they are counted.
        settings.scheduler.enabled = false;
        settings.delivery.enabled = false;
        // One instance's budget: a budget shared in the database adds its
        // own transaction to every message sent, replies included.
        settings.delivery.budget_store = BudgetStore::Memory;
    })
    .await;
    let here = app.conversation("round-trips");
    assert_eq!(app.say(&here, "run").await.len(), 1);
    assert_eq!(
        app.say(&here, "remind me to stretch in 1 hour").await.len(),
        1
    );
    let pings_before = wire.pings();
    for text in ["show", "reminders", "help"] {
        let before = wire.count();
        let replies = app.say(&here, text).await;
        let made = wire.count() - before;
        assert_eq!(replies.len(), 1, "`{text}`: {replies:?}");
        assert!(made >= 1 || text == "help", "`{text}` was not counted");
        assert!(made <= 2, "`{text}` made {made} round trips");
    }
    // At most one ping a statement, on release: none before use.
    let pings = wire.pings() - pings_before;
    assert!(pings <= 3, "{pings} pings for three turns");
}
