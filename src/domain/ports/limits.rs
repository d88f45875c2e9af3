//! Caps on what stays open (jobs, reminders, price watches), per conversation
//! and per person. The store checks them inside the transaction that would
//! create one more, holding the conversation's and the person's scope, so two
//! requests at once can never both pass the last free place.

/// The most open items allowed; `u32::MAX` is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenLimits {
    pub per_conversation: u32,
    pub per_user: u32,
}

/// Which cap one more item would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitReached {
    Conversation(u32),
    User(u32),
}

impl OpenLimits {
    pub const NONE: OpenLimits = OpenLimits {
        per_conversation: u32::MAX,
        per_user: u32::MAX,
    };

    /// The cap one more would break, given the open counts (the person's,
    /// when there is a person, and the conversation's). The person's comes
    /// first: it is the one they can do something about.
    pub fn reached(self, owner: Option<i64>, conversation: i64) -> Option<LimitReached> {
        match owner {
            Some(open) if self.per_user != u32::MAX && open >= i64::from(self.per_user) => {
                Some(LimitReached::User(self.per_user))
            }
            _ if self.per_conversation != u32::MAX
                && conversation >= i64::from(self.per_conversation) =>
            {
                Some(LimitReached::Conversation(self.per_conversation))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{LimitReached, OpenLimits};

    const LIMITS: OpenLimits = OpenLimits {
        per_conversation: 10,
        per_user: 3,
    };

    #[test]
    fn the_persons_cap_comes_first_and_only_for_a_person() {
        assert_eq!(LIMITS.reached(Some(3), 10), Some(LimitReached::User(3)));
        assert_eq!(
            LIMITS.reached(None, 10),
            Some(LimitReached::Conversation(10))
        );
        assert_eq!(
            LIMITS.reached(Some(2), 10),
            Some(LimitReached::Conversation(10))
        );
        assert_eq!(LIMITS.reached(Some(2), 9), None);
        assert_eq!(LIMITS.reached(None, 9), None);
    }

    #[test]
    fn no_cap_is_never_reached() {
        assert_eq!(OpenLimits::NONE.reached(Some(i64::MAX), i64::MAX), None);
    }
}
