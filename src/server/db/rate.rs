//! Throttling counts (`rate_events`): one row per attempt, in buckets that
//! are keyed hashes of what is counted.

use sqlx::AnyPool;

use super::Db;

/// Records one attempt in `bucket` at `now`; returns its id.
pub async fn record(db: &Db, bucket: &str, now: i64) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO rate_events (bucket, at) VALUES ($1, $2) RETURNING id")
            .bind(bucket)
            .bind(now)
            .fetch_one(&mut *db.writer().await?)
            .await?;
    Ok(id)
}

/// Attempts recorded in `bucket` after `since`.
pub async fn count(pool: &AnyPool, bucket: &str, since: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND at > $2")
            .bind(bucket)
            .bind(since)
            .fetch_one(pool)
            .await?;
    Ok(n)
}

/// Takes back attempts that turned out not to count.
pub async fn forget(db: &Db, ids: &[i64]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(&format!(
        "DELETE FROM rate_events WHERE id IN ({})",
        super::id_list(ids)
    ))
    .execute(&mut *db.writer().await?)
    .await
    .map(|_| ())
}

/// Forgets attempts older than `before`.
pub async fn forget_before(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM rate_events WHERE at < $1")
        .bind(before)
        .execute(&mut *db.writer().await?)
        .await
        .map(|r| r.rows_affected())
}
