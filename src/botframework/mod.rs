//! The Bot Framework protocol: activity types and the connector REST client.
//! Knows nothing of jobs or reminders.

pub mod activity;
pub mod auth;
pub mod connector;
pub mod inbound;
