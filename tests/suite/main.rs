//! Herald's integration suite: one binary, every test against SQLite and, when
//! `HERALD_TEST_POSTGRES_URL` is set, against PostgreSQL too.

mod helpers;

mod api;
mod api_access;
mod auth;
mod bad_input;
mod budget;
mod cli;
mod copy;
mod delivery;
mod direct_line;
mod durability;
mod egress;
mod housekeeping;
mod instances;
mod jobs;
mod limits;
mod migration;
mod open_limits;
mod prices;
mod privacy;
mod readings;
mod reminders;
mod round_trips;
mod scheduler;
mod store;
mod teams;
mod triggers_api;
mod upload;
mod webchat;
mod webchat_identity;
