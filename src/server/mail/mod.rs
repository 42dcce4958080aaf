//! Outgoing email: the outbox worker (`worker`: claiming and sending;
//! `leases`; `recorder`), what each email says (`compose`, `templates`), and
//! where it goes (`transport`, `smtp`).

pub mod compose;
pub mod failure;
mod leases;
mod recorder;
pub mod smtp;
pub mod templates;
pub mod transport;
pub mod worker;

pub use compose::Composer;
pub use transport::Transport;
pub use worker::{Worker, WorkerSettings};
