use sqlx::{AnyPool, FromRow};

use super::Db;
use crate::model::{OrganizationId, UserId};

/// A live session joined with the person and their membership in the
/// session's organization.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub user_id: UserId,
    pub user_name: String,
    pub user_email: String,
    pub organization_id: OrganizationId,
    pub role: String,
    /// The language the person reads: their own choice, else their client
    /// record's in the session's organization, else the organization's.
    pub language: String,
    /// The organization's time zone (IANA name).
    pub time_zone: String,
}

pub async fn insert(
    db: &Db,
    token_hash: &str,
    user_id: UserId,
    organization_id: OrganizationId,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, organization_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(organization_id)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *db.writer().await?)
    .await
    .map(|_| ())
}

/// The session for `token_hash` if it has not expired and its membership
/// may still be used ([`super::users::membership_usable`]).
pub async fn find_live(
    pool: &AnyPool,
    token_hash: &str,
    now: i64,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT s.user_id, u.name AS user_name, u.email AS user_email,
                s.organization_id, m.role, ",
        super::users::recipient_language!("u.email_lower", "c.language", "o.default_language"),
        " AS language, o.time_zone
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         JOIN organizations o ON o.id = s.organization_id
         JOIN memberships m ON m.user_id = s.user_id AND m.organization_id = s.organization_id
         LEFT JOIN clients c ON c.organization_id = s.organization_id AND c.email_lower = u.email_lower
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND ",
        super::users::membership_usable!()
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *db.writer().await?)
        .await
        .map(|_| ())
}

/// Removes expired sessions; returns how many.
pub async fn delete_expired(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *db.writer().await?)
        .await
        .map(|r| r.rows_affected())
}

/// Ends the person's sessions in one organization.
pub async fn end_in_organization(
    tx: &mut super::Tx,
    user_id: UserId,
    organization_id: OrganizationId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND organization_id = $2")
        .bind(user_id)
        .bind(organization_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Ends the sessions of the organization's clients and collaborators (its
/// portal is switched off: they sign in again once it is on).
pub async fn end_portal_users(
    tx: &mut super::Tx,
    organization_id: OrganizationId,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "DELETE FROM sessions WHERE organization_id = $1 AND user_id IN (
             SELECT user_id FROM memberships
             WHERE organization_id = $1 AND role NOT IN ('owner', 'admin', 'staff'))",
    )
    .bind(organization_id)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}

/// Ends every session of the person, in every organization.
pub async fn end_all(tx: &mut super::Tx, user_id: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
