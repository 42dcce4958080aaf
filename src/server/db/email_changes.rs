//! Requests to sign in with another address (`email_changes`): the link
//! goes to the new address; using it moves the person's identity and client
//! rows there.

use sqlx::{AnyPool, FromRow};

use super::Tx;
use crate::model::{OrganizationId, UserId};

/// A new request of `user_id` (asked in `organization_id`) to sign in with
/// `new_email`; their earlier unused requests stop working. Returns its id.
pub async fn create(
    tx: &mut Tx,
    user_id: UserId,
    organization_id: OrganizationId,
    old_email: &str,
    new_email: &str,
    now: i64,
    expires_at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "UPDATE email_changes SET superseded_at = $1
         WHERE user_id = $2 AND used_at IS NULL AND superseded_at IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO email_changes (user_id, organization_id, old_email, new_email, created_at,
                                    expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user_id)
    .bind(organization_id)
    .bind(old_email)
    .bind(new_email)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// A request as its emails and its page show it.
#[derive(Debug, Clone, FromRow)]
pub struct EmailChange {
    pub id: i64,
    pub user_id: UserId,
    pub organization_id: OrganizationId,
    pub old_email: String,
    pub new_email: String,
    /// The person's name.
    pub name: String,
    pub expires_at: i64,
}

const CHANGE_COLUMNS: &str = "SELECT e.id, e.user_id, e.organization_id, e.old_email,
        e.new_email, u.name, e.expires_at
     FROM email_changes e JOIN users u ON u.id = e.user_id";

/// Gives request `id` its link (at send time), inside the sending
/// transaction; None when it was used or superseded meanwhile (nothing is
/// sent). A retried send replaces the link of an email that never arrived.
pub async fn set_link(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    token_hash: &str,
) -> Result<Option<EmailChange>, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE email_changes SET token_hash = $1
         WHERE id = $2 AND used_at IS NULL AND superseded_at IS NULL",
    )
    .bind(token_hash)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    by_id(conn, id).await
}

/// Request `id`, whatever became of it.
pub async fn by_id(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: i64,
) -> Result<Option<EmailChange>, sqlx::Error> {
    sqlx::query_as(&format!("{CHANGE_COLUMNS} WHERE e.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The request a link confirms while it can: unused, the person's newest,
/// not expired at `now`. Looking never uses it.
pub async fn usable(
    pool: &AnyPool,
    token_hash: &str,
    now: i64,
) -> Result<Option<EmailChange>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{CHANGE_COLUMNS} WHERE e.token_hash = $1 AND e.used_at IS NULL
           AND e.superseded_at IS NULL AND e.expires_at > $2"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
}

/// Uses a link inside `tx`: exactly one caller wins. Returns the request's
/// id.
pub async fn consume(tx: &mut Tx, token_hash: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE email_changes SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND superseded_at IS NULL AND expires_at > $2
         RETURNING id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// The address `user_id` asked to move to and has not confirmed, while the
/// request can still be confirmed at `now`.
pub async fn pending(
    pool: &AnyPool,
    user_id: UserId,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT new_email FROM email_changes
         WHERE user_id = $1 AND used_at IS NULL AND superseded_at IS NULL AND expires_at > $2
         ORDER BY id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(e,)| e))
}

/// Moves the identity `user_id` to `email` inside `tx`.
///
/// Errors: a unique violation when another identity has that address.
pub async fn move_identity(tx: &mut Tx, user_id: UserId, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email = $1, email_lower = $2 WHERE id = $3")
        .bind(email)
        .bind(email.to_lowercase())
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
