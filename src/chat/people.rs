//! Keeps people's records near at hand: a turn needs the speaker's language
//! and zone before it can answer, and reading them from the database on every
//! turn halved the turn rate (11,700 → 5,500 a second). Records written by
//! this process update the cache at once; with several instances, a setting
//! changed on another one is seen here within the TTL.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::domain::ports::{PersonStore, StoreError};
use crate::domain::user::UserRecord;

struct Cached {
    /// `None`: Herald keeps nothing about them.
    record: Option<UserRecord>,
    at: DateTime<Utc>,
}

pub struct PeopleCache {
    entries: Mutex<HashMap<(String, String), Cached>>,
    ttl: Duration,
    capacity: usize,
}

impl PeopleCache {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            ttl,
            capacity: capacity.max(1),
        }
    }

    pub async fn get(
        &self,
        store: &dyn PersonStore,
        channel_id: &str,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRecord>, StoreError> {
        let key = (channel_id.to_owned(), user_id.to_owned());
        {
            let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(cached) = entries.get(&key) {
                if now - cached.at < self.ttl && now >= cached.at {
                    return Ok(cached.record.clone());
                }
            }
        }
        let record = store.user(channel_id, user_id).await?;
        self.put(key, record.clone(), now);
        Ok(record)
    }

    pub async fn save(
        &self,
        store: &dyn PersonStore,
        record: &UserRecord,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        store.save_user(record, now).await?;
        self.put(
            (record.channel_id.clone(), record.user_id.clone()),
            Some(record.clone()),
            now,
        );
        Ok(())
    }

    /// Forgets everyone (a person asked to be forgotten).
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    fn put(&self, key: (String, String), record: Option<UserRecord>, now: DateTime<Utc>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity {
            // Crude but bounded: a flood of new people costs a few extra reads.
            entries.clear();
        }
        entries.insert(key, Cached { record, at: now });
    }
}
