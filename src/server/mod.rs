//! Everything that runs only on the server: configuration, start-up, the
//! database layer, authentication and the domain rules behind the server
//! functions in [`crate::api`].

pub mod auth;
pub mod config;
pub mod db;
pub mod domain;
pub mod events;
pub mod live;
pub mod mail;
pub mod security;
pub mod startup;
pub mod throttle;

pub use startup::AppState;

/// Milliseconds since the Unix epoch: the one time representation stored in
/// both databases.
pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}
