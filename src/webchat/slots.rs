//! Caps on open WebSocket streams. A stream outlives its request (the
//! connection cap's permit goes at the upgrade), and one conversation can
//! mint many tokens, so streams have caps of their own: a total
//! (`webchat.max_streams`, apart from the connection cap so idle chat pages
//! never starve `/api/messages`), and a small one per conversation, beyond
//! which the conversation's oldest stream is closed (a reload opens a new
//! one before the old one is noticed gone).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

pub struct StreamSlots {
    total: Arc<Semaphore>,
    per_conversation: usize,
    open: Mutex<HashMap<String, VecDeque<(u64, CancellationToken)>>>,
    next: AtomicU64,
    me: std::sync::Weak<StreamSlots>,
}

/// An open stream's place; closing it (dropping) frees the place.
pub struct Slot {
    slots: Arc<StreamSlots>,
    conversation_id: String,
    number: u64,
    /// Cancelled when a newer stream of the conversation pushes this one out.
    pub closed: CancellationToken,
    _permit: OwnedSemaphorePermit,
}

impl StreamSlots {
    pub fn new(total: usize, per_conversation: usize) -> Arc<Self> {
        Arc::new_cyclic(|me| Self {
            total: Arc::new(Semaphore::new(total)),
            per_conversation: per_conversation.max(1),
            open: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
            me: me.clone(),
        })
    }

    /// A place for a new stream of `conversation_id`, closing the
    /// conversation's oldest beyond its cap; `None` when every place is taken.
    pub fn take(&self, conversation_id: &str) -> Option<Slot> {
        let permit = Arc::clone(&self.total).try_acquire_owned().ok()?;
        let slots = self.me.upgrade()?;
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        let closed = CancellationToken::new();
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let streams = open.entry(conversation_id.to_owned()).or_default();
        streams.push_back((number, closed.clone()));
        while streams.len() > self.per_conversation {
            if let Some((_, oldest)) = streams.pop_front() {
                oldest.cancel();
            }
        }
        Some(Slot {
            slots,
            conversation_id: conversation_id.to_owned(),
            number,
            closed,
            _permit: permit,
        })
    }

    /// Streams open now.
    pub fn open_streams(&self) -> usize {
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.values().map(VecDeque::len).sum()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(streams) = open.get_mut(&self.conversation_id) {
            streams.retain(|(number, _)| *number != self.number);
            if streams.is_empty() {
                open.remove(&self.conversation_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conversation_beyond_its_cap_loses_its_oldest_stream() {
        let slots = StreamSlots::new(10, 2);
        let first = slots.take("a").unwrap();
        let second = slots.take("a").unwrap();
        assert!(!first.closed.is_cancelled());
        let third = slots.take("a").unwrap();
        assert!(first.closed.is_cancelled(), "the oldest is closed");
        assert!(!second.closed.is_cancelled() && !third.closed.is_cancelled());
        let other = slots.take("b").unwrap();
        assert!(
            !other.closed.is_cancelled(),
            "other conversations are not touched"
        );
        drop(first);
        assert_eq!(slots.open_streams(), 3);
    }

    #[test]
    fn the_total_is_a_hard_cap_and_places_come_back() {
        let slots = StreamSlots::new(2, 5);
        let a = slots.take("a").unwrap();
        let _b = slots.take("b").unwrap();
        assert!(slots.take("c").is_none());
        drop(a);
        assert!(slots.take("c").is_some());
    }
}
