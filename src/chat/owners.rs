//! Who set the items a list shows (reminders, price watches): each owner's
//! name looked up once per list, and none for the speaker's own; and whether
//! an item is someone else's, by person (channel and id), never by id alone.

use std::collections::HashMap;

use crate::domain::person::{Person, PersonRef};
use crate::domain::ports::{PersonStore, StoreError};

pub(super) struct OwnerNames<'a> {
    store: &'a dyn PersonStore,
    speaker: Option<PersonRef<'a>>,
    names: HashMap<Person, Option<String>>,
}

impl<'a> OwnerNames<'a> {
    pub(super) fn new(store: &'a dyn PersonStore, speaker: Option<PersonRef<'a>>) -> Self {
        Self {
            store,
            speaker,
            names: HashMap::new(),
        }
    }

    /// The name to show for an item owned by `owner`: `None` for the
    /// speaker's own, for no owner, or for an owner without a known name.
    pub(super) async fn of(
        &mut self,
        owner: Option<&Person>,
    ) -> Result<Option<String>, StoreError> {
        let Some(owner) = owner.filter(|owner| Some(owner.as_ref()) != self.speaker) else {
            return Ok(None);
        };
        if !self.names.contains_key(owner) {
            let name = self
                .store
                .user(&owner.channel_id, &owner.user_id)
                .await?
                .and_then(|user| user.name);
            self.names.insert(owner.clone(), name);
        }
        Ok(self.names.get(owner).cloned().flatten())
    }
}

/// The name to tell the speaker when an item is not theirs to change (its
/// owner's, else their id); `None` when it is theirs or nobody's.
pub(super) async fn someone_elses(
    store: &dyn PersonStore,
    speaker: Option<PersonRef<'_>>,
    owner: Option<&Person>,
) -> Result<Option<String>, StoreError> {
    let Some(owner) = owner.filter(|owner| Some(owner.as_ref()) != speaker) else {
        return Ok(None);
    };
    Ok(Some(
        store
            .user(&owner.channel_id, &owner.user_id)
            .await?
            .and_then(|user| user.name)
            .unwrap_or_else(|| owner.user_id.clone()),
    ))
}
