//! The queries behind the staff overview: the onboarding funnel, the
//! invitations of recent weeks, and the lists of what needs attention.

use sqlx::{AnyPool, FromRow};

use crate::model::{ClientId, OrganizationId};

/// The funnel's three counts: client records, those invited at least once
/// (or who joined without an invitation), those who joined.
pub async fn funnel(
    pool: &AnyPool,
    organization_id: OrganizationId,
) -> Result<(i64, i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN c.user_id IS NOT NULL
                                    OR EXISTS (SELECT 1 FROM invitations i WHERE i.client_id = c.id)
                                  THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN c.user_id IS NOT NULL THEN 1 ELSE 0 END), 0)
         FROM clients c WHERE c.organization_id = $1",
    )
    .bind(organization_id)
    .fetch_one(pool)
    .await
}

/// When each invitation created since `since` (ms) was sent, and when each
/// accepted since then was accepted: two lists of times (ms), unordered.
pub async fn invitation_times(
    pool: &AnyPool,
    organization_id: OrganizationId,
    since: i64,
) -> Result<(Vec<i64>, Vec<i64>), sqlx::Error> {
    let sent: Vec<(i64,)> = sqlx::query_as(
        "SELECT created_at FROM invitations WHERE organization_id = $1 AND created_at >= $2",
    )
    .bind(organization_id)
    .bind(since)
    .fetch_all(pool)
    .await?;
    let accepted: Vec<(i64,)> = sqlx::query_as(
        "SELECT accepted_at FROM invitations WHERE organization_id = $1 AND accepted_at >= $2",
    )
    .bind(organization_id)
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok((
        sent.into_iter().map(|(t,)| t).collect(),
        accepted.into_iter().map(|(t,)| t).collect(),
    ))
}

/// A client in a "needs attention" list, with the time that puts them there
/// (ms): when the open invitation was sent.
#[derive(Debug, Clone, FromRow)]
pub struct Waiting {
    pub id: ClientId,
    pub first_name: String,
    pub last_name: String,
    /// When the open invitation was sent (ms).
    pub since: i64,
}

/// The rule both lists share: clients of the organization in list state
/// `state` whose open invitation has not expired at `$2`, invited at or
/// before `$3`.
const OPEN_INVITATIONS: &str = "FROM clients c
     JOIN invitations i ON i.client_id = c.id AND i.accepted_at IS NULL AND i.revoked_at IS NULL
     WHERE c.organization_id = $1 AND c.list_state = $4 AND c.invitation_expires_at > $2
     GROUP BY c.id, c.first_name, c.last_name
     HAVING MAX(i.created_at) <= $3";

/// Clients in list state `state` (`failed` or `invited`) whose invitation is
/// still open at `now` and was sent at or before `sent_before` (ms): how
/// many, and the `limit` waiting longest.
pub async fn open_invitations(
    pool: &AnyPool,
    organization_id: OrganizationId,
    state: &str,
    now: i64,
    sent_before: i64,
    limit: i64,
) -> Result<(i64, Vec<Waiting>), sqlx::Error> {
    let (total,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM (SELECT c.id {OPEN_INVITATIONS}) AS open"
    ))
    .bind(organization_id)
    .bind(now)
    .bind(sent_before)
    .bind(state)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT c.id, c.first_name, c.last_name, MAX(i.created_at) AS since {OPEN_INVITATIONS}
         ORDER BY since, c.id LIMIT $5"
    ))
    .bind(organization_id)
    .bind(now)
    .bind(sent_before)
    .bind(state)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok((total, rows))
}
