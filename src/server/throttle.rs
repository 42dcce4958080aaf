//! Throttling: sign-in failures per account and per client address, and
//! request rates for resets, new links and sign-ups. Counts live in the
//! database (`rate_events`), so every server process sees the same numbers.

use crate::model::AppError;
use crate::server::auth::token::keyed_hash;
use crate::server::db::{self, Db};

/// At most `max` events in `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

/// The limits the server applies (README, "Limits").
#[derive(Debug, Clone)]
pub struct Limits {
    /// Failed sign-ins per account (email as typed, whether or not it exists).
    pub login_per_account: Limit,
    /// Failed sign-ins per client address.
    pub login_per_ip: Limit,
    /// Reset, new-link and sign-up requests per email or link.
    pub requests_per_key: Limit,
    /// Reset, new-link and sign-up requests per client address.
    pub requests_per_ip: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            login_per_account: Limit {
                max: 5,
                window_secs: 300,
            },
            login_per_ip: Limit {
                max: 20,
                window_secs: 300,
            },
            requests_per_key: Limit {
                max: 5,
                window_secs: 60,
            },
            requests_per_ip: Limit {
                max: 20,
                window_secs: 60,
            },
        }
    }
}

fn bucket(secret: &[u8], what: &str, key: &str) -> String {
    keyed_hash(secret, &format!("{what}:{}", key.trim().to_lowercase()))
}

/// Attempts recorded by [`take`], which a caller may take back with
/// [`Attempt::forget`] when they turn out not to count (a sign-in whose
/// password was right).
#[derive(Debug)]
#[must_use = "an attempt counts until it is forgotten"]
pub struct Attempt {
    ids: Vec<i64>,
}

impl Attempt {
    /// Takes the attempt back: it no longer counts towards any limit.
    pub async fn forget(self, db: &Db) -> Result<(), AppError> {
        db::rate::forget(db, &self.ids).await?;
        Ok(())
    }
}

/// Counts one attempt against each `(what, key, limit)`, or refuses it with
/// [`AppError::TooManyAttempts`] when any limit is used up.
///
/// Check and record are one atomic step: the attempt is recorded first (and
/// committed), then counted with everything recorded before it. Of any number
/// of parallel attempts, each counts every attempt committed before its own
/// count, so the last one to pass has counted all that passed: at most
/// `limit.max` get through, on SQLite and PostgreSQL alike. A refused attempt
/// is taken back, so refusals do not extend the wait.
pub async fn take(
    db: &Db,
    secret: &[u8],
    counts: &[(&str, &str, Limit)],
    now: i64,
) -> Result<Attempt, AppError> {
    let buckets: Vec<String> = counts
        .iter()
        .map(|(what, key, _)| bucket(secret, what, key))
        .collect();
    let mut ids = Vec::with_capacity(counts.len());
    let checked = async {
        for b in &buckets {
            ids.push(db::rate::record(db, b, now).await?);
        }
        for (b, (what, _, limit)) in buckets.iter().zip(counts) {
            let since = now - limit.window_secs * 1000;
            if db::rate::count(&db.pool, b, since).await? > limit.max {
                tracing::info!(what, "throttled");
                return Ok(false);
            }
        }
        Ok::<_, sqlx::Error>(true)
    }
    .await;
    match checked {
        Ok(true) => Ok(Attempt { ids }),
        Ok(false) => {
            db::rate::forget(db, &ids).await?;
            Err(AppError::TooManyAttempts)
        }
        Err(e) => {
            // Whatever was recorded no longer counts (best effort: a row
            // left behind only makes the limit stricter for its window).
            if let Err(again) = db::rate::forget(db, &ids).await {
                tracing::warn!(error = %again, "could not take back a throttled attempt");
            }
            Err(e.into())
        }
    }
}

/// Forgets events older than a day.
pub async fn forget_old(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    db::rate::forget_before(db, now - 24 * 3600 * 1000).await
}
