//! Who a web chat conversation speaks as. A client can write anything in an
//! activity's `from`, so the person is bound when the conversation (or its
//! token) is made, and every activity speaks as that binding:
//! - a caller holding the Direct Line secret names the user (`user.id` in the
//!   body), as a site that signs its users in does;
//! - Herald's own page presents a browser credential Herald issued it (kept
//!   here as a digest, revoked by `forget me`), so a reload or a new
//!   conversation in that browser is the same person;
//! - anyone else is a new person, with an id chosen at random.

use serde::Deserialize;

use super::{WebChat, digest, random};
use crate::domain::ports::StoreError;

/// The header the built-in page sends its browser credential in (or `new`),
/// and in which Herald answers with a newly issued one.
pub const BROWSER_HEADER: &str = "herald-browser";

/// A user id or name longer than this is refused.
const MAX_FIELD_CHARS: usize = 100;

/// The person a new conversation speaks as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub id: String,
    pub name: Option<String>,
    /// A browser credential issued with it, to hand to the page.
    pub browser: Option<String>,
    /// The browser's person's latest conversation: the page resumes it, so
    /// that a lost token or a new tab finds the same reminders and history.
    pub resume: Option<String>,
}

/// `user` as Direct Line's start and token bodies carry it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OfferedUser {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// Why a secret holder's user could not be bound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("user.{field}: {problem}")]
pub struct BadUser {
    pub field: &'static str,
    pub problem: &'static str,
}

fn field(value: Option<&str>, name: &'static str) -> Result<Option<String>, BadUser> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > MAX_FIELD_CHARS {
        return Err(BadUser {
            field: name,
            problem: "must be at most 100 characters",
        });
    }
    if value.chars().any(char::is_control) {
        return Err(BadUser {
            field: name,
            problem: "must not contain control characters",
        });
    }
    Ok(Some(value.to_owned()))
}

impl WebChat {
    /// The person for a conversation being made: the secret holder's
    /// `offered` user when `trusted`, else the page's browser credential's
    /// person (`browser`: its value, or `new`), else a new one.
    pub async fn person_for(
        &self,
        trusted: bool,
        offered: Option<&OfferedUser>,
        browser: Option<&str>,
    ) -> Result<Result<Bound, BadUser>, StoreError> {
        if trusted {
            let offered = offered.cloned().unwrap_or_default();
            let id = match field(offered.id.as_deref(), "id") {
                Ok(id) => id,
                Err(bad) => return Ok(Err(bad)),
            };
            let name = match field(offered.name.as_deref(), "name") {
                Ok(name) => name,
                Err(bad) => return Ok(Err(bad)),
            };
            if let Some(id) = id {
                return Ok(Ok(Bound {
                    id,
                    name,
                    browser: None,
                    resume: None,
                }));
            }
        }
        let now = self.clock.now();
        if let Some(credential) = browser.map(str::trim).filter(|c| !c.is_empty()) {
            if credential != "new" {
                if let Some(known) = self.store.webchat_browser(&digest(credential), now).await? {
                    return Ok(Ok(Bound {
                        id: known.user_id,
                        name: None,
                        browser: None,
                        resume: known.latest_conversation,
                    }));
                }
            }
            // New, unknown or revoked: a new person, and a credential for them.
            let id = new_user_id()?;
            let credential = random(32)?;
            self.store
                .add_webchat_browser(&digest(&credential), &id, now)
                .await?;
            return Ok(Ok(Bound {
                id,
                name: None,
                browser: Some(credential),
                resume: None,
            }));
        }
        Ok(Ok(Bound {
            id: new_user_id()?,
            name: None,
            browser: None,
            resume: None,
        }))
    }
}

/// `dl_` and 16 random characters: Web Chat's convention for ids it makes.
fn new_user_id() -> Result<String, StoreError> {
    Ok(format!("dl_{}", random(12)?))
}
