//! Throttling: sign-in failures per account and per client address, and
//! request rates for resets, new links and sign-ups. Counts live in the
//! database (`rate_events`), so every server process sees the same numbers.

use crate::model::AppError;
use crate::server::auth::token::keyed_hash;
use crate::server::db::Db;

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

async fn count(db: &Db, bucket: &str, limit: Limit, now: i64) -> Result<i64, AppError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND at > $2")
            .bind(bucket)
            .bind(now - limit.window_secs * 1000)
            .fetch_one(&db.pool)
            .await?;
    Ok(n)
}

async fn record(db: &Db, bucket: &str, now: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO rate_events (bucket, at) VALUES ($1, $2)")
        .bind(bucket)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Refuses when any of `(what, key, limit)` is used up.
pub async fn check(
    db: &Db,
    secret: &[u8],
    counts: &[(&str, &str, Limit)],
    now: i64,
) -> Result<(), AppError> {
    for (what, key, limit) in counts {
        if count(db, &bucket(secret, what, key), *limit, now).await? >= limit.max {
            tracing::info!(what, "throttled");
            return Err(AppError::TooManyAttempts);
        }
    }
    Ok(())
}

/// Counts one event for each `(what, key)`.
pub async fn note(
    db: &Db,
    secret: &[u8],
    counts: &[(&str, &str)],
    now: i64,
) -> Result<(), AppError> {
    for (what, key) in counts {
        record(db, &bucket(secret, what, key), now).await?;
    }
    Ok(())
}

/// A request that counts whether or not it succeeds: refused when a limit is
/// used up, counted otherwise.
pub async fn take(
    db: &Db,
    secret: &[u8],
    counts: &[(&str, &str, Limit)],
    now: i64,
) -> Result<(), AppError> {
    check(db, secret, counts, now).await?;
    let keys: Vec<(&str, &str)> = counts.iter().map(|(w, k, _)| (*w, *k)).collect();
    note(db, secret, &keys, now).await
}

/// Forgets events older than a day.
pub async fn forget_old(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM rate_events WHERE at < $1")
        .bind(now - 24 * 3600 * 1000)
        .execute(&db.pool)
        .await
        .map(|r| r.rows_affected())
}
