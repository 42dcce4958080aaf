//! The audit trail: what happened, who did it, to whom.

use sqlx::AnyPool;

use super::{Db, Tx};
use crate::model::AuditKind;
use crate::model::{ClientId, OrganizationId, UserId};

/// One event. Unused references are None.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub organization_id: Option<OrganizationId>,
    pub actor_id: Option<UserId>,
    pub user_id: Option<UserId>,
    pub client_id: Option<ClientId>,
    pub kind: AuditKind,
    pub detail: Option<&'a str>,
}

impl Event<'_> {
    /// An event of `kind` about nobody yet: set the references it has with
    /// struct update syntax (`Event { client_id: …, ..Event::new(kind) }`).
    pub fn new(kind: AuditKind) -> Event<'static> {
        Event {
            organization_id: None,
            actor_id: None,
            user_id: None,
            client_id: None,
            kind,
            detail: None,
        }
    }
}

const INSERT: &str = "INSERT INTO audit_events (organization_id, actor_id, user_id, client_id, kind, detail, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Records one event on its own (a single statement, after this process's
/// write turn).
pub async fn record(db: &Db, e: &Event<'_>, now: i64) -> Result<(), sqlx::Error> {
    bind(e, now)
        .execute(&mut *db.writer().await?)
        .await
        .map(|_| ())
}

/// Records one event inside the caller's transaction.
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
        .bind(e.kind.as_str())
        .bind(e.detail)
        .bind(now)
}

/// A line of the audit trail, with the names of those involved.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Line {
    pub kind: String,
    pub actor: Option<String>,
    pub subject: Option<String>,
    pub detail: Option<String>,
    pub created_at: i64,
}

/// The organization's latest events of the given kinds (all when empty),
/// newest first.
pub async fn trail(
    pool: &AnyPool,
    organization_id: OrganizationId,
    kinds: &[AuditKind],
    limit: i64,
) -> Result<Vec<Line>, sqlx::Error> {
    // Kinds are the enum's fixed names, never user input.
    let filter = if kinds.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.as_str())).collect();
        format!("AND a.kind IN ({})", list.join(", "))
    };
    sqlx::query_as(&format!(
        "SELECT a.kind, actor.name AS actor,
                COALESCE(person.name, c.first_name || ' ' || c.last_name) AS subject,
                a.detail, a.created_at
         FROM audit_events a
         LEFT JOIN users actor ON actor.id = a.actor_id
         LEFT JOIN users person ON person.id = a.user_id
         LEFT JOIN clients c ON c.id = a.client_id
         WHERE a.organization_id = $1 {filter}
         ORDER BY a.id DESC LIMIT $2"
    ))
    .bind(organization_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
