//! Outgoing email: templates, transports and the outbox worker.

pub mod smtp;
pub mod templates;
pub mod transport;
pub mod worker;

pub use transport::Transport;
pub use worker::{Worker, WorkerSettings};
