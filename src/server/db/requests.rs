//! Request keys: what a form that creates something already created
//! (`request_keys`, see the migration `0016`).

use sqlx::AnyPool;

use super::Tx;
use crate::model::UserId;

/// What the request with `key` from `user_id` created, if it ran before.
pub async fn created(
    pool: &AnyPool,
    user_id: UserId,
    key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(Option<i64>,)> = sqlx::query_as(
        "SELECT created_id FROM request_keys WHERE user_id = $1 AND request_key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(id,)| id))
}

/// Claims `key` for `user_id` inside the transaction that creates, before
/// it creates anything. Returns false, writing nothing, when the key was
/// claimed already: by an earlier request, or by a concurrent repeat (on
/// PostgreSQL this insert waits for the other transaction to end; on SQLite
/// writes take turns), and the caller rolls back.
pub async fn claim(tx: &mut Tx, user_id: UserId, key: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO request_keys (user_id, request_key, created_at)
         VALUES ($1, $2, $3)
         ON CONFLICT (user_id, request_key) DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records what the request that claimed `key` created.
pub async fn record(
    tx: &mut Tx,
    user_id: UserId,
    key: &str,
    created_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE request_keys SET created_id = $3 WHERE user_id = $1 AND request_key = $2")
        .bind(user_id)
        .bind(key)
        .bind(created_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
