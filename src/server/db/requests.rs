//! Request keys: what a form that creates something already created
//! (`request_keys`, see the migration `0016`). A key is one person's, for
//! one purpose (`client:<organization id>`, `organization`).

use sqlx::AnyPool;

use super::Tx;
use crate::model::UserId;

/// What the request with `key` from `user_id` for `purpose` created, if it
/// ran before.
pub async fn created(
    pool: &AnyPool,
    user_id: UserId,
    purpose: &str,
    key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(Option<i64>,)> = sqlx::query_as(
        "SELECT created_id FROM request_keys
         WHERE user_id = $1 AND purpose = $2 AND request_key = $3",
    )
    .bind(user_id)
    .bind(purpose)
    .bind(key)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(id,)| id))
}

/// Claims `key` inside the transaction that creates, before it creates
/// anything. Returns false, writing nothing, when the key was claimed
/// already: by an earlier request, or by a concurrent repeat (on PostgreSQL
/// this insert waits for the other transaction to end; on SQLite writes take
/// turns), and the caller rolls back.
pub async fn claim(
    tx: &mut Tx,
    user_id: UserId,
    purpose: &str,
    key: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO request_keys (user_id, purpose, request_key, created_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, purpose, request_key) DO NOTHING",
    )
    .bind(user_id)
    .bind(purpose)
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
    purpose: &str,
    key: &str,
    created_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE request_keys SET created_id = $4
         WHERE user_id = $1 AND purpose = $2 AND request_key = $3",
    )
    .bind(user_id)
    .bind(purpose)
    .bind(key)
    .bind(created_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
