//! Use cases: what chat and `/api/v1` both do with reminders, timers, jobs
//! and watches, written once between the edges and the domain. Each takes
//! only the storage ports it uses; the limits are checked by the store in
//! the transaction that creates, so two requests at once cannot pass a cap.

pub mod jobs;
pub mod triggers;
pub mod watches;

pub use jobs::{JobCaller, Jobs};
pub use triggers::{Controlled, CreateError, TriggerRequest, Triggers};
pub use watches::Watches;
