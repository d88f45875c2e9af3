//! What a turn decided to say, before it is addressed and sent.

use serde_json::Value;

/// One message: text, and cards (Adaptive Cards) if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub text: String,
    pub attachments: Vec<Value>,
}

/// A turn's replies, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Replies {
    pub messages: Vec<Reply>,
    /// The activity was handled before: nothing is said again.
    pub duplicate: bool,
}

impl Replies {
    pub fn one(text: String) -> Self {
        Self::from(Reply {
            text,
            attachments: Vec::new(),
        })
    }

    pub fn none() -> Self {
        Self {
            messages: Vec::new(),
            duplicate: false,
        }
    }

    pub fn duplicate() -> Self {
        Self {
            messages: Vec::new(),
            duplicate: true,
        }
    }
}

impl From<Reply> for Replies {
    fn from(reply: Reply) -> Self {
        Self {
            messages: vec![reply],
            duplicate: false,
        }
    }
}
