//! A person is a channel's user: `(channel id, user id)`. A bare user id names
//! no one — ids are only unique, and only vouched for, within their channel (a
//! web chat client could otherwise claim a Teams user's id) — so ownership,
//! limits, settings and `forget me` all key on the pair.

use std::fmt;

/// A person Herald knows, owned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Person {
    pub channel_id: String,
    pub user_id: String,
}

/// A person, borrowed (what a turn or a request names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PersonRef<'a> {
    pub channel_id: &'a str,
    pub user_id: &'a str,
}

/// Why a channel-qualified id (`msteams:29:1…`) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` names no channel: write it as \"<channel>:<user id>\", e.g. \"msteams:<aad object id>\" or \"emulator:<id>\""
)]
pub struct Unqualified(pub String);

impl Person {
    pub fn new(channel_id: impl Into<String>, user_id: impl Into<String>) -> Self {
        Self {
            channel_id: channel_id.into(),
            user_id: user_id.into(),
        }
    }

    pub fn as_ref(&self) -> PersonRef<'_> {
        PersonRef {
            channel_id: &self.channel_id,
            user_id: &self.user_id,
        }
    }

    /// From two stored columns: a person only when both are there.
    pub fn from_columns(channel_id: Option<String>, user_id: Option<String>) -> Option<Self> {
        Some(Self::new(channel_id?, user_id?))
    }

    /// Reads `<channel>:<user id>`. The channel is a Bot Framework channel id
    /// (`msteams`, `emulator`, `webchat`, `directline`, …): lowercase letters,
    /// digits and dashes, starting with a letter. The user id is the rest, and
    /// may hold colons itself (Teams' `29:1…`); a Teams id alone (`29:1…`)
    /// is refused, as its "channel" starts with a digit.
    pub fn parse_qualified(text: &str) -> Result<Self, Unqualified> {
        let unqualified = || Unqualified(text.to_owned());
        let (channel, user) = text.trim().split_once(':').ok_or_else(unqualified)?;
        let channel_ok = channel.starts_with(|c: char| c.is_ascii_lowercase())
            && channel
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !channel_ok || user.trim().is_empty() {
            return Err(unqualified());
        }
        Ok(Self::new(channel, user.trim()))
    }
}

impl<'a> PersonRef<'a> {
    pub fn new(channel_id: &'a str, user_id: &'a str) -> Self {
        Self {
            channel_id,
            user_id,
        }
    }

    pub fn to_owned(self) -> Person {
        Person::new(self.channel_id, self.user_id)
    }
}

impl PartialEq<PersonRef<'_>> for Person {
    fn eq(&self, other: &PersonRef<'_>) -> bool {
        self.as_ref() == *other
    }
}

impl fmt::Display for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.channel_id, self.user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_ids_keep_the_colons_of_the_user_id() {
        assert_eq!(
            Person::parse_qualified("msteams:29:1abc"),
            Ok(Person::new("msteams", "29:1abc"))
        );
        assert_eq!(
            Person::parse_qualified(" emulator:user-1 "),
            Ok(Person::new("emulator", "user-1"))
        );
    }

    #[test]
    fn ids_without_a_channel_are_refused_with_the_new_form() {
        for bare in [
            "29:1abc",
            "0e3f7a1c-5d2b-4c1e-9a8b-1234567890ab",
            "msteams:",
            ":x",
            "MSTeams:x",
        ] {
            let error = Person::parse_qualified(bare).unwrap_err();
            assert!(
                error.to_string().contains("msteams:<aad object id>"),
                "{bare}: {error}"
            );
        }
    }

    #[test]
    fn the_same_id_in_two_channels_is_two_people() {
        let teams = Person::new("msteams", "29:1abc");
        assert_ne!(teams.as_ref(), PersonRef::new("webchat", "29:1abc"));
        assert_eq!(teams, PersonRef::new("msteams", "29:1abc"));
    }
}
