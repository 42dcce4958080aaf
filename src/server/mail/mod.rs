//! Outgoing email: templates, transports and the outbox worker.

pub mod templates;
pub mod transport;
pub mod worker;

pub use transport::Transport;
pub use worker::{Worker, WorkerSettings};
