//! The audit trail: what happened, who did it, to whom.

use sqlx::AnyPool;

use super::Tx;

/// One event. Unused references are None.
#[derive(Debug, Clone, Default)]
pub struct Event<'a> {
    pub organization_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub user_id: Option<i64>,
    pub client_id: Option<i64>,
    pub kind: &'a str,
    pub detail: Option<&'a str>,
}

const INSERT: &str = "INSERT INTO audit_events (organization_id, actor_id, user_id, client_id, kind, detail, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub async fn record(pool: &AnyPool, e: &Event<'_>, now: i64) -> Result<(), sqlx::Error> {
    bind(e, now).execute(pool).await.map(|_| ())
}

pub async fn record_in(tx: &mut Tx, e: &Event<'_>, now: i64) -> Result<(), sqlx::Error> {
    bind(e, now).execute(&mut **tx).await.map(|_| ())
}

fn bind<'q>(
    e: &Event<'q>,
    now: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(INSERT)
        .bind(e.organization_id)
        .bind(e.actor_id)
        .bind(e.user_id)
        .bind(e.client_id)
        .bind(e.kind)
        .bind(e.detail)
        .bind(now)
}
