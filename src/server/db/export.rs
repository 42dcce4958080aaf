//! The client list as a file: every member the list shows, read as a stream
//! so that 150,000 of them never sit in memory at once.

use futures::StreamExt;
use futures::stream::BoxStream;
use sqlx::FromRow;

use super::Db;
use super::clients::{COLUMNS, ClientListRow, Filter, JOINS, ListQuery};

/// A member with what the export adds to their list row.
#[derive(Debug, Clone, FromRow)]
pub struct ExportRow {
    #[sqlx(flatten)]
    pub client: ClientListRow,
    pub plan: Option<String>,
    pub assigned_staff: Option<String>,
    /// When their latest invitation email was queued (ms).
    pub last_invited_at: Option<i64>,
    /// When they became a member of the organization: activated, joined or
    /// approved (ms).
    pub activated_at: Option<i64>,
}

/// The statement [`members`] runs for `q`: the members of the accounts the
/// list shows (those that match, when the list is searched or filtered by
/// status), account by account in list order, owners first. `q.limit` and
/// `q.offset` are not used: the export holds every page.
pub async fn members_sql(db: &Db, q: &ListQuery<'_>) -> Result<(String, String), sqlx::Error> {
    let Filter {
        members,
        plan,
        staff,
        param,
    } = Filter::new(db, q).await?;
    let order = if q.oldest_first { "ASC" } else { "DESC" };
    let sql = format!(
        "{COLUMNS}, p.name AS plan, s.name AS assigned_staff, c.last_invited_at,
            m.created_at AS activated_at
         FROM clients c {JOINS}
         JOIN client_accounts a ON a.id = c.account_id
         LEFT JOIN plans p ON p.id = a.plan_id
         LEFT JOIN users s ON s.id = a.assigned_staff_id
         LEFT JOIN memberships m ON m.organization_id = c.organization_id AND m.user_id = c.user_id
         WHERE {members} AND {plan} AND {staff}
         ORDER BY c.account_id {order}, c.place DESC, c.id"
    );
    Ok((sql, param))
}

/// Runs `sql` (from [`members_sql`], with its search parameter) as a
/// stream of rows.
pub fn members<'a>(
    db: &'a Db,
    q: &ListQuery<'_>,
    sql: &'a str,
    param: &'a str,
) -> BoxStream<'a, Result<ExportRow, sqlx::Error>> {
    sqlx::query_as(sql)
        .bind(q.organization_id)
        .bind(param)
        .bind(q.now)
        .bind(q.plan.map_or(0, |p| p.0))
        .bind(q.staff.map_or(0, |s| s.0))
        .fetch(&db.pool)
        .boxed()
}
