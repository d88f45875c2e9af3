//! What a proactive message says, stored in the outbox as data and rendered in
//! the recipient's language only when it is sent.

use serde::{Deserialize, Serialize};

/// A proactive notification. Stored as JSON; new variants may be added, so
/// readers must tolerate (and dead-letter) kinds they do not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Notification {
    /// The seed's message: a job this conversation started has completed.
    #[serde(rename_all = "camelCase")]
    JobCompleted { job_id: i64 },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_are_stored_as_tagged_json() {
        let json = serde_json::to_string(&Notification::JobCompleted { job_id: 3 }).unwrap();
        assert_eq!(json, r#"{"kind":"jobCompleted","jobId":3}"#);
        let back: Notification = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Notification::JobCompleted { job_id: 3 });
    }
}
