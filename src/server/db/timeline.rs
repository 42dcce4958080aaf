//! The raw facts of one client's timeline. The caller has already checked the
//! client belongs to its organization.

use crate::model::{ClientId, OrganizationId, UserId};
use sqlx::{AnyPool, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct InvitationFact {
    pub id: i64,
    pub kind: String,
    pub inviter: Option<String>,
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct EmailFact {
    pub id: i64,
    pub recipient: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct AttemptFact {
    pub outbox_id: i64,
    pub attempted_at: i64,
    pub outcome: String,
    pub detail: Option<String>,
    pub retry_at: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct EventFact {
    pub kind: String,
    pub actor: Option<String>,
    pub detail: Option<String>,
    pub created_at: i64,
}

pub async fn creator(pool: &AnyPool, client_id: ClientId) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT u.name FROM clients c LEFT JOIN users u ON u.id = c.created_by WHERE c.id = $1",
    )
    .bind(client_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(n,)| n))
}

pub async fn invitations(
    pool: &AnyPool,
    client_id: ClientId,
) -> Result<Vec<InvitationFact>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.kind, u.name AS inviter, i.email, i.created_at, i.expires_at, i.accepted_at, i.revoked_at
         FROM invitations i LEFT JOIN users u ON u.id = i.invited_by
         WHERE i.client_id = $1",
    )
    .bind(client_id)
    .fetch_all(pool)
    .await
}

pub async fn emails(pool: &AnyPool, client_id: ClientId) -> Result<Vec<EmailFact>, sqlx::Error> {
    sqlx::query_as("SELECT id, recipient, created_at FROM email_outbox WHERE client_id = $1")
        .bind(client_id)
        .fetch_all(pool)
        .await
}

pub async fn attempts(
    pool: &AnyPool,
    client_id: ClientId,
) -> Result<Vec<AttemptFact>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.outbox_id, a.attempted_at, a.outcome, a.detail, a.retry_at
         FROM email_attempts a JOIN email_outbox e ON e.id = a.outbox_id
         WHERE e.client_id = $1",
    )
    .bind(client_id)
    .fetch_all(pool)
    .await
}

/// Events about the client, and the logins of its person in this organization.
pub async fn events(
    pool: &AnyPool,
    organization_id: OrganizationId,
    client_id: ClientId,
    user_id: Option<UserId>,
) -> Result<Vec<EventFact>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.kind, u.name AS actor, a.detail, a.created_at
         FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
         WHERE a.organization_id = $1
           AND (a.client_id = $2 OR (a.kind = 'login' AND a.user_id = $3))",
    )
    .bind(organization_id)
    .bind(client_id)
    .bind(user_id.map_or(-1, |u| u.0))
    .fetch_all(pool)
    .await
}
