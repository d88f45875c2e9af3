//! The storage port's send budget: the windows a channel allows, kept in the
//! database when several instances share one budget.

use super::StoreError;
use crate::domain::rate::{Gcra, SlidingWindows};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// One window of the send budget kept in the database: the GCRA of `scope`
/// (`bot`, or a conversation) for one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetCell<'a> {
    pub scope: &'a str,
    pub gcra: Gcra,
}

/// One send's claim on the budget kept in the database: the conversation's
/// exact windows over its log of sends, and (for a proactive message) the
/// global budget's cells.
#[derive(Debug, Clone, Copy)]
pub struct BudgetTake<'a> {
    /// Whose log: the conversation's scope.
    pub scope: &'a str,
    pub windows: &'a SlidingWindows,
    /// Empty for a reply.
    pub cells: &'a [BudgetCell<'a>],
}

/// The budget refused a send, and when it would admit it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetDenied {
    /// `None`: the conversation's windows; else which of the cells.
    pub cell: Option<usize>,
    pub until: DateTime<Utc>,
}

/// The send budget kept in the database, shared by instances.
#[async_trait]
pub trait BudgetStore: Send + Sync {
    /// Records a send in the conversation's log and advances every cell if
    /// the windows and all cells admit a message at `now`, atomically across
    /// instances; else changes nothing.
    async fn take_send_budget(
        &self,
        take: &BudgetTake<'_>,
        now: DateTime<Utc>,
    ) -> Result<Result<(), BudgetDenied>, StoreError>;

    /// Deletes send budget state that no longer holds anything back: cells
    /// whose time has passed, and logged sends at or before `log_before`.
    async fn prune_send_budget(
        &self,
        now: DateTime<Utc>,
        log_before: DateTime<Utc>,
    ) -> Result<u64, StoreError>;
}
