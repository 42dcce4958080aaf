//! Everything that runs only on the server: configuration, start-up, the
//! database layer, authentication and the domain rules behind the server
//! functions in [`crate::api`].

pub mod auth;
pub mod clock;
pub mod config;
pub mod dates;
pub mod db;
pub mod domain;
pub mod events;
pub mod export;
pub mod files;
pub mod form_files;
pub mod import;
pub mod jobs;
pub mod live;
pub mod mail;
pub mod page_language;
pub mod security;
pub mod site;
pub mod startup;
pub mod storage;
pub mod throttle;

pub use clock::Clock;
pub use startup::AppState;

/// Tunes the process's allocator for the server; call it first in `main`,
/// before any other thread starts (glibc's `mallopt` is not safe to call
/// while other threads allocate).
///
/// Blocks of 4 MiB or more go straight back to the system when freed. glibc
/// otherwise raises its threshold after the first such free and keeps later
/// 19 MiB password-hashing blocks in its heap for good (measured with
/// `cargo bench --bench activations`: memory stayed at the burst's peak).
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: called before other threads exist (see above); mallopt
        // changes a tuning value of glibc's allocator and touches no memory
        // of ours.
        let set = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20) };
        if set != 1 {
            eprintln!("porchlight: could not set the allocator's mmap threshold");
        }
    }
}
