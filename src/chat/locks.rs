//! Turns of one conversation run one at a time, in arrival order; turns of
//! different conversations run in parallel.

use std::hash::{BuildHasher, RandomState};

use tokio::sync::{Mutex, MutexGuard};

/// A fixed set of locks, each conversation hashed to one: bounded memory and
/// nothing to clean up, at the price of two busy conversations occasionally
/// sharing a stripe.
pub struct ConversationLocks {
    stripes: Vec<Mutex<()>>,
    hasher: RandomState,
}

impl ConversationLocks {
    pub fn new(stripes: usize) -> Self {
        Self {
            stripes: (0..stripes.max(1)).map(|_| Mutex::new(())).collect(),
            hasher: RandomState::new(),
        }
    }

    /// Waits for the conversation's turn; tokio's mutex is fair (first come, first served).
    pub async fn lock(&self, channel_id: &str, conversation_id: &str) -> MutexGuard<'_, ()> {
        let hash = self.hasher.hash_one((channel_id, conversation_id));
        let index = (hash % self.stripes.len() as u64) as usize;
        self.stripes[index].lock().await
    }
}
