//! Password reset links.

use sqlx::AnyPool;

use super::Tx;
use crate::model::UserId;

/// A new reset for `user_id`; the person's earlier unused links stop working.
pub async fn create(
    tx: &mut Tx,
    user_id: UserId,
    requested_by: Option<UserId>,
    now: i64,
    expires_at: i64,
) -> Result<i64, sqlx::Error> {
    end_all(tx, user_id, now).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO password_resets (user_id, requested_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(requested_by)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Gives a reset its link (at send time). A retried send replaces the link
/// of an email that never arrived.
pub async fn set_link(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    token_hash: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE password_resets SET token_hash = $1
         WHERE id = $2 AND used_at IS NULL AND superseded_at IS NULL RETURNING expires_at",
    )
    .bind(token_hash)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(e,)| e))
}

/// The person a usable link resets, with when it expires; None for an
/// unknown, used, superseded or expired link.
pub async fn usable(
    pool: &AnyPool,
    token_hash: &str,
    now: i64,
) -> Result<Option<(UserId, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.user_id, u.email FROM password_resets r JOIN users u ON u.id = r.user_id
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.superseded_at IS NULL
           AND r.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
}

/// Uses a link: exactly one caller wins. Returns the person it resets.
pub async fn consume(
    tx: &mut Tx,
    token_hash: &str,
    now: i64,
) -> Result<Option<UserId>, sqlx::Error> {
    let row: Option<(UserId,)> = sqlx::query_as(
        "UPDATE password_resets SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND superseded_at IS NULL AND expires_at > $2
         RETURNING user_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(u,)| u))
}

/// The shortest reset lifetime (hours) among the person's organizations.
pub async fn lifetime_hours(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    user_id: UserId,
) -> Result<i64, sqlx::Error> {
    let (hours,): (Option<i64>,) = sqlx::query_as(
        "SELECT MIN(o.reset_lifetime_hours) FROM memberships m
         JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1",
    )
    .bind(user_id)
    .fetch_one(db)
    .await?;
    Ok(hours.unwrap_or(6))
}

/// Ends every unused reset link of the person (access disabled, email
/// changed): they stop working at once, and enabling the person again does
/// not bring them back.
pub async fn end_all(tx: &mut Tx, user_id: UserId, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE password_resets SET superseded_at = $1
         WHERE user_id = $2 AND used_at IS NULL AND superseded_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
