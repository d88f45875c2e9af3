//! The domain: jobs and triggers, the chat command grammar, notifications and
//! the storage port. Pure code: no I/O, no framework types; `now` is an argument.

pub mod access;
pub mod api_key;
pub mod clock;
pub mod command;
pub mod conversation;
pub mod firing;
#[cfg(test)]
pub mod instants;
pub mod language;
pub mod lifecycle;
pub mod notification;
pub mod person;
pub mod ports;
pub mod price;
pub mod rate;
pub mod reminder;
pub mod schedule;
pub mod text;
pub mod trigger;
pub mod user;
pub mod zone_hints;
