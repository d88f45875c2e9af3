//! A price watch as stored: whose it is, where to alert, what it watches and
//! the state its rule keeps.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{Rule, WatchState};
use crate::domain::conversation::ConversationKey;
use crate::domain::person::{Person, PersonRef};

/// A watch's number, as people see it (`unwatch 3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WatchId(pub i64);

impl std::fmt::Display for WatchId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchStatus {
    Active,
    /// A one-time watch that alerted.
    Completed,
    Cancelled,
}

impl WatchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "active" => Some(Self::Active),
            "completed" => Some(Self::Completed),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchRecord {
    pub id: WatchId,
    pub conversation: ConversationKey,
    pub owner: Option<Person>,
    pub source: String,
    pub symbol: String,
    pub currency: Option<String>,
    pub rule: Rule,
    pub repeat: bool,
    pub state: WatchState,
    pub status: WatchStatus,
    /// Its source keeps failing (its owner was told).
    pub stalled: bool,
    pub last_price: Option<Decimal>,
    pub created_at: DateTime<Utc>,
}

/// A new watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWatch<'a> {
    pub conversation: ConversationKey,
    pub owner: Option<PersonRef<'a>>,
    pub source: &'a str,
    pub symbol: &'a str,
    pub currency: Option<&'a str>,
    pub rule: Rule,
    pub repeat: bool,
    /// The price when it was set (or the base given).
    pub base: Decimal,
    /// The chat activity that asked for it, if any.
    pub activity_id: Option<&'a str>,
    /// The price it was set at, when one is known.
    pub last_price: Option<Decimal>,
}

/// What evaluating a price changed in a watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchUpdate {
    pub id: WatchId,
    pub state: WatchState,
    pub status: WatchStatus,
    pub last_price: Decimal,
}
