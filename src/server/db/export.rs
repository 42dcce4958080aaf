//! The client list as a file: every member the list shows, read a few
//! hundred accounts at a time (each page its own short query, so a slow
//! download holds no connection and no read snapshot between pages).

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

/// Where an export stands: the last account read, in list order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cursor(Option<i64>);

/// The next page of the export of `q` (read with `filter`, from
/// [`Filter::new`]): the members of the next `accounts` accounts after
/// `cursor` in list order, account by account, owners first; with a search
/// or a status filter, the members that match. `q.limit` and `q.offset`
/// are not used. An empty page means the end.
pub async fn next_page(
    db: &Db,
    q: &ListQuery<'_>,
    filter: &Filter,
    cursor: &mut Cursor,
    accounts: i64,
) -> Result<Vec<ExportRow>, sqlx::Error> {
    let (id, from) = filter.accounts();
    let (order, after) = if q.oldest_first {
        ("ASC", ">")
    } else {
        ("DESC", "<")
    };
    let start = cursor
        .0
        .unwrap_or(if q.oldest_first { i64::MIN } else { i64::MAX });
    let ids: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT DISTINCT {id} {from} AND {id} {after} $6 ORDER BY {id} {order} LIMIT $7"
    ))
    .bind(q.organization_id)
    .bind(&filter.param)
    .bind(q.now)
    .bind(q.plan.map_or(0, |p| p.0))
    .bind(q.staff.map_or(0, |s| s.0))
    .bind(start)
    .bind(accounts)
    .fetch_all(&db.pool)
    .await?;
    let Some(&(last,)) = ids.last() else {
        return Ok(Vec::new());
    };
    cursor.0 = Some(last);
    let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();
    let members = if filter.by_member {
        filter.members.as_str()
    } else {
        "c.organization_id = $1 AND $2 = '' AND $3 >= 0"
    };
    sqlx::query_as(&format!(
        "{COLUMNS}, p.name AS plan, s.name AS assigned_staff, c.last_invited_at,
            m.created_at AS activated_at
         FROM clients c {JOINS}
         LEFT JOIN plans p ON p.id = ca.plan_id
         LEFT JOIN users s ON s.id = ca.assigned_staff_id
         LEFT JOIN memberships m ON m.organization_id = c.organization_id AND m.user_id = c.user_id
         WHERE {members} AND c.account_id IN ({})
         ORDER BY c.account_id {order}, c.place DESC, c.id",
        super::id_list(&ids)
    ))
    .bind(q.organization_id)
    .bind(if filter.by_member {
        filter.param.as_str()
    } else {
        ""
    })
    .bind(q.now)
    .fetch_all(&db.pool)
    .await
}
