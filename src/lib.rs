//! Herald: a Bot Framework bot whose jobs, reminders and price watches live in
//! a durable trigger table and reach users as rate-limited proactive messages.
//! See DESIGN.md in the shared folder for the map; each module owns one part.

pub mod app;
pub mod botframework;
pub mod chat;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod http;
pub mod prices;
pub mod rate_limit;
pub mod scheduler;
pub mod service;
pub mod store;
pub mod teams;
pub mod web;
pub mod webchat;
