//! Client imports (`imports`): an uploaded file's rows and column mapping
//! while it is a preview, then a job importing its good rows
//! (`import_rows`) batch by batch, and the rows it skipped and why
//! (`import_skips`).

use sqlx::{AnyPool, FromRow};

use super::{Backend, Tx};
use crate::model::{AccountId, ClientId, OrganizationId, PlanId, UserId};

/// An import as stored.
#[derive(Debug, Clone, FromRow)]
pub struct Import {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub created_by_name: Option<String>,
    pub file_name: String,
    /// The file's header row (JSON list), kept after the import.
    pub headers: String,
    /// The file's rows (JSON of `domain::import::Table`); emptied once the
    /// import is done.
    pub content: String,
    /// The columns' fields, comma-separated.
    pub mapping: String,
    /// The preview's figures and first problems (JSON).
    pub preview: String,
    pub status: String,
    pub update_existing: i64,
    pub invite: i64,
    pub total_rows: i64,
    pub expected: i64,
    pub position: i64,
    pub done_rows: i64,
    pub created_accounts: i64,
    pub created_members: i64,
    pub updated: i64,
    pub skipped: i64,
    pub invited: i64,
    pub created_at: i64,
}

const COLUMNS: &str = "SELECT i.id, i.organization_id, u.name AS created_by_name, i.file_name,
        i.headers, i.content, i.mapping, i.preview, i.status, i.update_existing, i.invite, i.total_rows,
        i.expected, i.position, i.done_rows, i.created_accounts, i.created_members, i.updated,
        i.skipped, i.invited, i.created_at
     FROM imports i LEFT JOIN users u ON u.id = i.created_by";

/// What a new import holds.
#[derive(Debug, Clone)]
pub struct NewImport<'a> {
    pub organization_id: OrganizationId,
    pub created_by: UserId,
    pub file_name: &'a str,
    pub headers: &'a str,
    pub content: &'a str,
    pub mapping: &'a str,
    pub preview: &'a str,
    pub total_rows: i64,
}

pub async fn insert(tx: &mut Tx, new: &NewImport<'_>, now: i64) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO imports (organization_id, created_by, file_name, headers, content, mapping,
                              preview, status, total_rows, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'preview', $8, $9) RETURNING id",
    )
    .bind(new.organization_id)
    .bind(new.created_by)
    .bind(new.file_name)
    .bind(new.headers)
    .bind(new.content)
    .bind(new.mapping)
    .bind(new.preview)
    .bind(new.total_rows)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// One import of one organization; None for another organization's.
pub async fn get(
    pool: &AnyPool,
    organization_id: OrganizationId,
    id: i64,
) -> Result<Option<Import>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{COLUMNS} WHERE i.organization_id = $1 AND i.id = $2"
    ))
    .bind(organization_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// An organization's latest imports, newest first.
pub async fn recent(
    pool: &AnyPool,
    organization_id: OrganizationId,
    limit: i64,
) -> Result<Vec<Import>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{COLUMNS} WHERE i.organization_id = $1 ORDER BY i.id DESC LIMIT $2"
    ))
    .bind(organization_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Saves a preview's mapping and figures, while it is still a preview.
/// Returns false when it is not (it started meanwhile).
pub async fn set_preview(
    tx: &mut Tx,
    id: i64,
    mapping: &str,
    preview: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE imports SET mapping = $1, preview = $2 WHERE id = $3 AND status = 'preview'",
    )
    .bind(mapping)
    .bind(preview)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Claims a preview to start it (`status` becomes running), with its
/// options and how many rows it will write. Returns false when it is not a
/// preview any more (started twice: the second start does nothing).
pub async fn start(
    tx: &mut Tx,
    id: i64,
    update_existing: bool,
    invite: bool,
    expected: i64,
    skipped: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE imports SET status = 'running', update_existing = $1, invite = $2, expected = $3,
                skipped = $4, started_at = $5
         WHERE id = $6 AND status = 'preview'",
    )
    .bind(i64::from(update_existing))
    .bind(i64::from(invite))
    .bind(expected)
    .bind(skipped)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Adds rows for the job to write (`data`: a planned row as JSON), in
/// statements of a few hundred rows.
pub async fn add_rows(tx: &mut Tx, id: i64, rows: &[(u64, String)]) -> Result<(), sqlx::Error> {
    add_many(tx, "import_rows (import_id, line, data)", id, rows).await
}

/// Adds skipped rows (`data`: the reason and the cells as JSON).
pub async fn add_skips(tx: &mut Tx, id: i64, rows: &[(u64, String)]) -> Result<(), sqlx::Error> {
    add_many(tx, "import_skips (import_id, line, data)", id, rows).await
}

async fn add_many(
    tx: &mut Tx,
    table: &str,
    id: i64,
    rows: &[(u64, String)],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(300) {
        let values = (0..chunk.len())
            .map(|i| format!("({id}, ${}, ${})", i * 2 + 1, i * 2 + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO {table} VALUES {values}");
        let mut query = sqlx::query(&sql);
        for (line, data) in chunk {
            query = query
                .bind(i64::try_from(*line).unwrap_or(i64::MAX))
                .bind(data);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The ids of running imports, oldest first.
pub async fn running(pool: &AnyPool) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM imports WHERE status = 'running' ORDER BY id")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A running import claimed for one batch, inside `tx`: its organization,
/// who started it, its options and where it is. None when it is not
/// running (finished, cancelled) or another server holds it.
#[derive(Debug, Clone, FromRow)]
pub struct Claimed {
    pub organization_id: OrganizationId,
    pub created_by: Option<UserId>,
    pub update_existing: i64,
    pub invite: i64,
    pub position: i64,
}

pub async fn claim(tx: &mut Tx, backend: Backend, id: i64) -> Result<Option<Claimed>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT organization_id, created_by, update_existing, invite, position FROM imports
         WHERE id = $1 AND status = 'running' {}",
        backend.skip_locked()
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The next rows to write after line `after`, in file order.
pub async fn next_rows(
    tx: &mut Tx,
    id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT line, data FROM import_rows WHERE import_id = $1 AND line > $2
         ORDER BY line LIMIT $3",
    )
    .bind(id)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// What a batch did, added to the import's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub rows: i64,
    pub created_accounts: i64,
    pub created_members: i64,
    pub updated: i64,
    pub skipped: i64,
    pub invited: i64,
}

/// Moves an import on to line `position` with a batch's figures, and drops
/// the rows written.
pub async fn advance(tx: &mut Tx, id: i64, position: i64, p: &Progress) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE imports SET position = $1, done_rows = done_rows + $2,
            created_accounts = created_accounts + $3, created_members = created_members + $4,
            updated = updated + $5, skipped = skipped + $6, invited = invited + $7
         WHERE id = $8",
    )
    .bind(position)
    .bind(p.rows)
    .bind(p.created_accounts)
    .bind(p.created_members)
    .bind(p.updated)
    .bind(p.skipped)
    .bind(p.invited)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM import_rows WHERE import_id = $1 AND line <= $2")
        .bind(id)
        .bind(position)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Ends an import (`done` or `cancelled`): its remaining rows and its file
/// go. Returns false when it was already over (done or cancelled).
pub async fn finish(tx: &mut Tx, id: i64, status: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE imports SET status = $1, finished_at = $2, content = ''
         WHERE id = $3 AND status IN ('preview', 'running')",
    )
    .bind(status)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM import_rows WHERE import_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The rows an import skipped, by line, as (line, data).
pub async fn skips(pool: &AnyPool, id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT line, data FROM import_skips WHERE import_id = $1 ORDER BY line")
        .bind(id)
        .fetch_all(pool)
        .await
}

/// What an organization already holds that a file's rows are checked
/// against. Lists of names and emails are looked up a few hundred at a time:
/// its clients with these addresses, as (email, id, role).
pub async fn known_emails(
    pool: &AnyPool,
    organization_id: OrganizationId,
    emails: &[String],
) -> Result<Vec<(String, ClientId, String)>, sqlx::Error> {
    let mut found = Vec::new();
    for chunk in emails.chunks(500) {
        let sql = format!(
            "SELECT email_lower, id, role FROM clients
             WHERE organization_id = $1 AND email_lower IN ({})",
            placeholders(2, chunk.len())
        );
        let mut query = sqlx::query_as(&sql).bind(organization_id);
        for e in chunk {
            query = query.bind(e);
        }
        found.extend(query.fetch_all(pool).await?);
    }
    Ok(found)
}

/// The accounts named (lower-cased) `names`, as (lower-cased name, id),
/// and the members without an email of those accounts as
/// ((account, first, last) lower-cased, id). Lower-cased by Rust, never by
/// SQL (SQLite's LOWER folds ASCII only).
#[allow(clippy::type_complexity)]
pub async fn known_accounts(
    pool: &AnyPool,
    organization_id: OrganizationId,
    names: &[String],
) -> Result<
    (
        Vec<(String, AccountId)>,
        Vec<(String, String, String, ClientId)>,
    ),
    sqlx::Error,
> {
    let mut accounts = Vec::new();
    let mut people = Vec::new();
    for chunk in names.chunks(500) {
        let list = placeholders(2, chunk.len());
        let sql = format!(
            "SELECT name_lower, id FROM client_accounts
             WHERE organization_id = $1 AND name_lower IN ({list}) ORDER BY id"
        );
        let mut query = sqlx::query_as(&sql).bind(organization_id);
        for n in chunk {
            query = query.bind(n);
        }
        let rows: Vec<(String, AccountId)> = query.fetch_all(pool).await?;
        let sql = format!(
            "SELECT a.name_lower, c.first_name, c.last_name, c.id
             FROM clients c JOIN client_accounts a ON a.id = c.account_id
             WHERE c.organization_id = $1 AND c.email IS NULL AND a.name_lower IN ({list})"
        );
        let mut query = sqlx::query_as(&sql).bind(organization_id);
        for n in chunk {
            query = query.bind(n);
        }
        let found: Vec<(String, String, String, ClientId)> = query.fetch_all(pool).await?;
        people.extend(
            found
                .into_iter()
                .map(|(a, first, last, id)| (a, first.to_lowercase(), last.to_lowercase(), id)),
        );
        accounts.extend(rows);
    }
    Ok((accounts, people))
}

/// `$first, …` for `n` parameters.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An owner, admin or staff member of an organization, as an import checks
/// rows against them.
#[derive(Debug, Clone, FromRow)]
pub struct StaffMember {
    pub email_lower: String,
    pub name: String,
    pub id: UserId,
    pub role: String,
    /// Set when their access is off: not assignable, still not a client.
    pub disabled_at: Option<i64>,
}

/// The organization's owners, admins and staff, with or without access.
pub async fn staff(
    pool: &AnyPool,
    organization_id: OrganizationId,
) -> Result<Vec<StaffMember>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.email_lower, u.name, u.id, m.role, m.disabled_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = $1 AND m.role IN ('owner', 'admin', 'staff')",
    )
    .bind(organization_id)
    .fetch_all(pool)
    .await
}

/// A member without an email of the organization's account named
/// (lower-cased) `account`, with these first and last names (compared
/// lower-cased by Rust), inside `tx`.
pub async fn person_in(
    tx: &mut Tx,
    organization_id: OrganizationId,
    account: &str,
    first_name: &str,
    last_name: &str,
) -> Result<Option<ClientId>, sqlx::Error> {
    let rows: Vec<(ClientId, String, String)> = sqlx::query_as(
        "SELECT c.id, c.first_name, c.last_name FROM clients c
         JOIN client_accounts a ON a.id = c.account_id
         WHERE a.organization_id = $1 AND a.name_lower = $2 AND c.email IS NULL",
    )
    .bind(organization_id)
    .bind(account)
    .fetch_all(&mut **tx)
    .await?;
    let (first, last) = (first_name.to_lowercase(), last_name.to_lowercase());
    Ok(rows
        .into_iter()
        .find(|(_, f, l)| f.to_lowercase() == first && l.to_lowercase() == last)
        .map(|(id, ..)| id))
}

/// Updates an existing member's names from a file (and their search text).
pub async fn update_names(
    tx: &mut Tx,
    client_id: ClientId,
    first_name: &str,
    last_name: &str,
) -> Result<(), sqlx::Error> {
    let row: (Option<String>, String) = sqlx::query_as(
        "SELECT c.email, a.name FROM clients c JOIN client_accounts a ON a.id = c.account_id
         WHERE c.id = $1",
    )
    .bind(client_id)
    .fetch_one(&mut **tx)
    .await?;
    let text = super::clients::search_text(first_name, last_name, row.0.as_deref(), &row.1);
    sqlx::query(
        "UPDATE clients SET first_name = $1, last_name = $2, search_text = $3 WHERE id = $4",
    )
    .bind(first_name)
    .bind(last_name)
    .bind(text)
    .bind(client_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Sets an account's plan and assigned staff member where a file gives
/// them (None leaves each as it is).
pub async fn set_plan_and_staff(
    tx: &mut Tx,
    account_id: AccountId,
    plan: Option<PlanId>,
    staff: Option<UserId>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE client_accounts SET plan_id = COALESCE($1, plan_id),
            assigned_staff_id = COALESCE($2, assigned_staff_id)
         WHERE id = $3",
    )
    .bind(plan)
    .bind(staff)
    .bind(account_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The account a member belongs to, inside `tx`.
pub async fn account_of_client(tx: &mut Tx, client_id: ClientId) -> Result<AccountId, sqlx::Error> {
    let (id,): (AccountId,) = sqlx::query_as("SELECT account_id FROM clients WHERE id = $1")
        .bind(client_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(id)
}

/// For one batch of an import, inside its transaction: the owners', admins'
/// and staff's roles by (lower-cased) address among `emails`.
pub async fn staff_roles_in(
    tx: &mut Tx,
    organization_id: OrganizationId,
    emails: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT u.email_lower, m.role FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = $1 AND m.role IN ('owner', 'admin', 'staff')
           AND u.email_lower IN ({})",
        placeholders(2, emails.len())
    );
    let mut query = sqlx::query_as(&sql).bind(organization_id);
    for e in emails {
        query = query.bind(e);
    }
    query.fetch_all(&mut **tx).await
}

/// For one batch, inside its transaction: the organization's clients with
/// these (lower-cased) addresses, as (email, id, role).
pub async fn clients_with_emails_in(
    tx: &mut Tx,
    organization_id: OrganizationId,
    emails: &[String],
) -> Result<Vec<(String, ClientId, String)>, sqlx::Error> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT email_lower, id, role FROM clients
         WHERE organization_id = $1 AND email_lower IN ({})",
        placeholders(2, emails.len())
    );
    let mut query = sqlx::query_as(&sql).bind(organization_id);
    for e in emails {
        query = query.bind(e);
    }
    query.fetch_all(&mut **tx).await
}

/// For one batch, inside its transaction: the organization's accounts
/// named (lower-cased) `names`, oldest first, as (lower-cased name, id,
/// name).
pub async fn accounts_named_in(
    tx: &mut Tx,
    organization_id: OrganizationId,
    names: &[String],
) -> Result<Vec<(String, AccountId, String)>, sqlx::Error> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT name_lower, id, name FROM client_accounts
         WHERE organization_id = $1 AND name_lower IN ({}) ORDER BY id",
        placeholders(2, names.len())
    );
    let mut query = sqlx::query_as(&sql).bind(organization_id);
    for n in names {
        query = query.bind(n);
    }
    query.fetch_all(&mut **tx).await
}

/// For one batch, inside its transaction: the organization's plans and the
/// staff an account may be assigned to (with access).
pub async fn plans_and_assignable_in(
    tx: &mut Tx,
    organization_id: OrganizationId,
) -> Result<(Vec<PlanId>, Vec<UserId>), sqlx::Error> {
    let plans: Vec<(PlanId,)> = sqlx::query_as("SELECT id FROM plans WHERE organization_id = $1")
        .bind(organization_id)
        .fetch_all(&mut **tx)
        .await?;
    let staff: Vec<(UserId,)> = sqlx::query_as(
        "SELECT user_id FROM memberships WHERE organization_id = $1 AND disabled_at IS NULL
         AND role IN ('owner', 'admin', 'staff')",
    )
    .bind(organization_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok((
        plans.into_iter().map(|(p,)| p).collect(),
        staff.into_iter().map(|(u,)| u).collect(),
    ))
}

/// After a large import, refreshes PostgreSQL's statistics of the tables it
/// filled, so that the next look-ups use their indexes at once rather than
/// after autovacuum's next round; nothing on SQLite.
pub async fn refresh_statistics(db: &super::Db) -> Result<(), sqlx::Error> {
    if db.backend == Backend::Postgres {
        // writes no table: ANALYZE only updates the planner's statistics.
        sqlx::query("ANALYZE clients, client_accounts")
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}
