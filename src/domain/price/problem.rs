//! Why a price source gave no price: the source's own failures (down, slow,
//! throttling, answering nonsense) and a symbol's (no price in an answer
//! that is otherwise fine).

use serde::{Deserialize, Serialize};

/// Why a fetch gave no price. Kept in the notifications that tell people
/// (each language says it in its own words); its `Display` is for logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail", rename_all = "camelCase")]
pub enum FetchError {
    #[error("the source answered {0}")]
    Status(u16),
    #[error("the source is throttling requests")]
    Throttled,
    #[error("the source did not answer in time")]
    Timeout,
    #[error("cannot reach the source: {0}")]
    Unreachable(String),
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the answer is not JSON")]
    NotJson,
    #[error("no price at {0} in the answer")]
    NoPrice(String),
    #[error("the price in the answer is not usable: {0}")]
    BadPrice(String),
    #[error("refused: {0}")]
    Forbidden(String),
    #[error("over its request budget, or backing off after failures")]
    Waiting,
    #[error("this source only takes pushed prices")]
    PushOnly,
}

impl FetchError {
    /// A failure of the source itself (down, slow, throttling, answering
    /// nonsense), rather than of one symbol it does not know.
    pub fn is_the_source_s(&self) -> bool {
        !matches!(
            self,
            Self::NoPrice(_) | Self::BadPrice(_) | Self::Waiting | Self::PushOnly
        )
    }
}
