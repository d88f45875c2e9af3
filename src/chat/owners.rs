//! Who set the items a list shows (reminders, price watches): each owner's
//! name looked up once per list, and none for the speaker's own.

use std::collections::HashMap;

use crate::domain::ports::{Store, StoreError};

pub(super) struct OwnerNames<'a> {
    store: &'a dyn Store,
    channel_id: &'a str,
    speaker: Option<&'a str>,
    names: HashMap<String, Option<String>>,
}

impl<'a> OwnerNames<'a> {
    pub(super) fn new(store: &'a dyn Store, channel_id: &'a str, speaker: Option<&'a str>) -> Self {
        Self {
            store,
            channel_id,
            speaker,
            names: HashMap::new(),
        }
    }

    /// The name to show for an item owned by `owner`: `None` for the
    /// speaker's own, for no owner, or for an owner without a known name.
    pub(super) async fn of(&mut self, owner: Option<&str>) -> Result<Option<String>, StoreError> {
        let Some(owner) = owner.filter(|owner| Some(*owner) != self.speaker) else {
            return Ok(None);
        };
        if !self.names.contains_key(owner) {
            let name = self
                .store
                .user(self.channel_id, owner)
                .await?
                .and_then(|user| user.name);
            self.names.insert(owner.to_owned(), name);
        }
        Ok(self.names.get(owner).cloned().flatten())
    }
}
