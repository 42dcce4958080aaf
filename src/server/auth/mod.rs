//! Authentication: passwords, tokens and sessions.

pub mod password;
pub mod session;
pub mod token;

pub use session::{CurrentSession, SESSION_COOKIE, Sessions};
