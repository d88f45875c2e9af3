//! Protocol ⇄ domain: turns an incoming activity into domain calls and replies,
//! and renders proactive notifications for the connector.

mod admission;
mod asked;
mod bot;
mod cards;
mod dispatch;
mod forget;
pub mod i18n;
mod input;
mod jobs;
mod locks;
mod owners;
mod people;
pub mod proactive;
mod reachability;
mod received;
mod references;
mod reminder_buttons;
mod reminder_changes;
mod reminder_text;
mod reminders;
pub mod render;
mod replies;
mod replying;
mod settings;
mod speaker;
mod turn;
mod watches;

pub use admission::ServiceUrlPolicy;
pub use bot::{Bot, BotParts, BotSettings, ChatPorts};
pub use input::strip_mentions;
pub use references::ReferenceCache;
pub use reminders::ReminderLimits;
pub use turn::{TurnError, TurnOutcome, TurnStatus};
