//! What a turn ends in: the status the channel is answered with, what the
//! turn did, and why one failed.

use std::time::Duration;

use crate::botframework::auth::TokenKind;
use crate::domain::ports::StoreError;

/// How the channel's request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnStatus {
    /// 200: handled (or deliberately ignored).
    Handled,
    /// 501: an `invoke` Herald does not implement, as the SDKs answer.
    NotImplemented,
}

/// Who hands Herald an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Caller {
    /// `/api/messages`, with how the channel's token was checked.
    Channel(Option<TokenKind>),
    /// Herald's own Direct Line endpoint.
    WebChat,
}

/// What a turn did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnOutcome {
    pub status: TurnStatus,
    pub replies: usize,
    pub duplicate: bool,
}

impl TurnOutcome {
    /// Handled with nothing to say.
    pub(super) fn silent() -> Self {
        Self {
            status: TurnStatus::Handled,
            replies: 0,
            duplicate: false,
        }
    }
}

/// Why a turn failed.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    /// The activity is well formed but not acceptable here.
    #[error("{field}: {problem}")]
    Refused {
        field: &'static str,
        problem: &'static str,
    },
    /// The conversation is sending faster than its limit.
    #[error("too many turns in this conversation")]
    Throttled { retry_after: Duration },
    /// An authenticated activity from a service URL Herald does not trust.
    #[error("{field}: {problem}")]
    Forbidden {
        field: &'static str,
        problem: &'static str,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}
