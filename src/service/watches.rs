//! Price watches' use cases: set one (the price source consulted first, its
//! cap checked in the store's own transaction), list a conversation's, read
//! one, and stop one.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::domain::conversation::ConversationKey;
use crate::domain::person::PersonRef;
use crate::domain::ports::{OpenLimits, StoreError, WatchStore};
use crate::domain::price::command::WatchRequest;
use crate::domain::price::{WatchId, WatchRecord};
use crate::prices::{Asker, Prices, WatchOutcome};

pub struct Watches {
    prices: Arc<Prices>,
    store: Arc<dyn WatchStore>,
    /// Caps on open watches, for the store to check as it adds one.
    limits: OpenLimits,
}

impl Watches {
    pub fn new(prices: Arc<Prices>, store: Arc<dyn WatchStore>, limits: OpenLimits) -> Self {
        Self {
            prices,
            store,
            limits,
        }
    }

    /// Sets a watch for `owner` in `conversation`; with an activity id, at
    /// most once per activity.
    pub async fn set(
        &self,
        conversation: ConversationKey,
        owner: Option<PersonRef<'_>>,
        activity_id: Option<&str>,
        request: &WatchRequest,
    ) -> Result<WatchOutcome, StoreError> {
        let asker = Asker {
            conversation,
            owner,
            activity_id,
            limits: self.limits,
        };
        self.prices.watch(asker, request).await
    }

    /// The source a request without one is read from.
    pub fn default_source(&self) -> &str {
        self.prices.default_source()
    }

    /// The configured sources' names, to tell someone who named another.
    pub fn source_names(&self) -> Vec<&str> {
        self.prices.source_names()
    }

    /// A conversation's active watches, at most `max`.
    pub async fn list(
        &self,
        conversation: ConversationKey,
        max: u32,
    ) -> Result<Vec<WatchRecord>, StoreError> {
        self.store.list_watches(conversation, max).await
    }

    pub async fn get(&self, id: WatchId) -> Result<Option<WatchRecord>, StoreError> {
        self.store.watch(id).await
    }

    /// Stops a watch; `false` when it was stopped already.
    pub async fn cancel(&self, id: WatchId, now: DateTime<Utc>) -> Result<bool, StoreError> {
        self.store.cancel_watch(id, now).await
    }
}
