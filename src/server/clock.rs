//! The one place the server reads the time.
//!
//! Every timestamp Porchlight stores or compares comes from a [`Clock`]
//! handed down from [`crate::server::AppState`] (or given to the background
//! workers when they start): the domain rules never read the system clock
//! themselves, so tests can move time forward instead of rewriting stored
//! dates.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// A source of "now", in milliseconds since the Unix epoch (the one time
/// representation stored in both databases).
///
/// Clones share one clock: advancing one advances them all (a test's handle
/// and the running server's).
#[derive(Debug, Clone)]
pub struct Clock {
    /// None: the system's time. Some: a time that stands still (tests).
    fixed: Option<i64>,
    /// Added to the reading: how far [`Clock::advance`] moved it, in ms.
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The system's time: what the server runs on.
    pub fn system() -> Clock {
        Clock {
            fixed: None,
            offset_ms: Arc::default(),
        }
    }

    /// A clock that reads `at_ms` (milliseconds since the epoch) until it is
    /// advanced: for output that must not depend on when a test runs.
    pub fn fixed(at_ms: i64) -> Clock {
        Clock {
            fixed: Some(at_ms),
            offset_ms: Arc::default(),
        }
    }

    /// Milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        let base = self.fixed.unwrap_or_else(system_ms);
        base.saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every clone of it) forward by `by`, as the
    /// passing of time would; for tests.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX / 2);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

fn system_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_until_advanced_and_clones_move_together() {
        let clock = Clock::fixed(1_000);
        let handle = clock.clone();
        assert_eq!(clock.now_ms(), 1_000);
        handle.advance(Duration::from_secs(90));
        assert_eq!(clock.now_ms(), 91_000);
    }

    #[test]
    fn the_system_clock_reads_the_system_time_plus_what_it_was_advanced() {
        let clock = Clock::system();
        let before = system_ms();
        clock.advance(Duration::from_secs(3600));
        let read = clock.now_ms();
        assert!(read >= before + 3_600_000, "{read} vs {before}");
        assert!(read < system_ms() + 3_600_000 + 1_000);
    }
}
