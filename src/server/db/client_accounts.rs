//! Client accounts (`client_accounts`): a person, a household or a company,
//! with its members (`clients.account_id`, `clients.place`); and the plan
//! names an account may be on (`plans`).

use sqlx::{AnyPool, FromRow};

use super::{Backend, Tx};
use crate::model::{
    AccountId, ClientId, OrganizationId, Overrides, Permissions, Place, PlanId, UserId,
};

/// An account with its plan's and assigned staff member's names.
#[derive(Debug, Clone, FromRow)]
pub struct AccountRow {
    pub id: AccountId,
    pub name: String,
    pub plan_id: Option<PlanId>,
    pub plan: Option<String>,
    pub assigned_staff_id: Option<UserId>,
    pub assigned_staff: Option<String>,
    pub created_at: i64,
    /// The account's own permission choices (NULL: the organization's;
    /// [`AccountRow::overrides`]).
    pub allow_profile: Option<i64>,
    pub allow_documents: Option<i64>,
    pub allow_uploads: Option<i64>,
    pub allow_invoices: Option<i64>,
    pub allow_payments: Option<i64>,
}

impl AccountRow {
    /// The account's own choices of what its members may use.
    pub fn overrides(&self) -> Overrides {
        Overrides::from_stored([
            self.allow_profile,
            self.allow_documents,
            self.allow_uploads,
            self.allow_invoices,
            self.allow_payments,
        ])
    }
}

const ACCOUNT_COLUMNS: &str = "SELECT a.id, a.name, a.plan_id, p.name AS plan,
        a.assigned_staff_id, u.name AS assigned_staff, a.created_at,
        a.allow_profile, a.allow_documents, a.allow_uploads, a.allow_invoices, a.allow_payments
     FROM client_accounts a
     LEFT JOIN plans p ON p.id = a.plan_id
     LEFT JOIN users u ON u.id = a.assigned_staff_id";

/// Creates an account with no member yet (its first owner is inserted in
/// the same transaction).
pub async fn insert(
    tx: &mut Tx,
    organization_id: OrganizationId,
    name: &str,
    now: i64,
) -> Result<AccountId, sqlx::Error> {
    let (id,): (AccountId,) = sqlx::query_as(
        "INSERT INTO client_accounts (organization_id, name, name_lower, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(organization_id)
    .bind(name)
    .bind(name.to_lowercase())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Up to `limit` accounts whose `name_lower` the migration that made
/// accounts left empty (the accounts made from the clients before
/// accounts), as (id, name).
pub async fn without_name_lower(
    pool: &AnyPool,
    limit: i64,
) -> Result<Vec<(AccountId, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM client_accounts WHERE name_lower IS NULL LIMIT $1")
        .bind(limit)
        .fetch_all(pool)
        .await
}

/// Sets an account's lower-cased name (lower-cased by Rust).
pub async fn set_name_lower(
    tx: &mut Tx,
    id: AccountId,
    name_lower: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE client_accounts SET name_lower = $1 WHERE id = $2")
        .bind(name_lower)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// One account of one organization; None for another organization's.
pub async fn get(
    pool: &AnyPool,
    organization_id: OrganizationId,
    id: AccountId,
) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{ACCOUNT_COLUMNS} WHERE a.organization_id = $1 AND a.id = $2"
    ))
    .bind(organization_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The accounts `ids` of one organization (any order).
pub async fn by_ids(
    pool: &AnyPool,
    organization_id: OrganizationId,
    ids: &[i64],
) -> Result<Vec<AccountRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as(&format!(
        "{ACCOUNT_COLUMNS} WHERE a.organization_id = $1 AND a.id IN ({})",
        super::id_list(ids)
    ))
    .bind(organization_id)
    .fetch_all(pool)
    .await
}

/// Up to `limit` accounts of one organization whose name, or a member's
/// name or email, holds `words` (lower-cased), newest first, as (id, name).
pub async fn find(
    pool: &AnyPool,
    organization_id: OrganizationId,
    words: &str,
    limit: i64,
) -> Result<Vec<(AccountId, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.name FROM client_accounts a
         WHERE a.organization_id = $1 AND a.id IN (
             SELECT c.account_id FROM clients c
             WHERE c.organization_id = $1 AND c.search_text LIKE $2 ESCAPE '\\')
         ORDER BY a.id DESC LIMIT $3",
    )
    .bind(organization_id)
    .bind(super::clients::like_pattern(words))
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Locks an account of one organization for the rest of `tx` (on
/// PostgreSQL; SQLite's transaction holds the write lock already) and
/// returns its name; None when the organization has no such account (any
/// more). Rules that keep an account's members in order (an owner left)
/// read them after this.
pub async fn lock(
    tx: &mut Tx,
    backend: Backend,
    organization_id: OrganizationId,
    id: AccountId,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT name FROM client_accounts WHERE id = $1 AND organization_id = $2 {}",
        backend.lock_rows()
    ))
    .bind(id)
    .bind(organization_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(name,)| name))
}

/// True when `plan` is one of the organization's plans, inside `tx`.
pub async fn plan_exists(
    tx: &mut Tx,
    organization_id: OrganizationId,
    plan: PlanId,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM plans WHERE id = $1 AND organization_id = $2")
            .bind(plan)
            .bind(organization_id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(n > 0)
}

/// True when `user` is an owner, admin or staff member of the organization
/// with access (an account may be assigned to them), inside `tx`.
pub async fn assignable(
    tx: &mut Tx,
    organization_id: OrganizationId,
    user: UserId,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM memberships WHERE organization_id = $1 AND user_id = $2
         AND disabled_at IS NULL AND role IN ('owner', 'admin', 'staff')",
    )
    .bind(organization_id)
    .bind(user)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

/// What staff may change of an account.
#[derive(Debug, Clone)]
pub struct Details<'a> {
    pub name: &'a str,
    pub plan_id: Option<PlanId>,
    pub assigned_staff_id: Option<UserId>,
}

/// Saves an account's name, plan and assigned staff member.
pub async fn set_details(
    tx: &mut Tx,
    organization_id: OrganizationId,
    id: AccountId,
    details: &Details<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE client_accounts SET name = $1, name_lower = $6, plan_id = $2,
            assigned_staff_id = $3
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(details.name)
    .bind(details.plan_id)
    .bind(details.assigned_staff_id)
    .bind(id)
    .bind(organization_id)
    .bind(details.name.to_lowercase())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// A member as the account's rules see them.
#[derive(Debug, Clone, FromRow)]
pub struct Member {
    pub id: ClientId,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub place: String,
    /// Set once they activated.
    pub user_id: Option<UserId>,
    pub disabled_at: Option<i64>,
}

impl Member {
    pub fn place(&self) -> Place {
        Place::parse(&self.place).unwrap_or(Place::Owner)
    }
}

/// The members of an account, owners first, inside `tx` (which then writes
/// from them).
pub async fn members_in(tx: &mut Tx, account_id: AccountId) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, first_name, last_name, email, place, user_id, disabled_at FROM clients
         WHERE account_id = $1 ORDER BY place DESC, id",
    )
    .bind(account_id)
    .fetch_all(&mut **tx)
    .await
}

/// Puts a member in an account at a place (moving them, or changing their
/// place in the same account), with the search text of their new account.
pub async fn place_member(
    tx: &mut Tx,
    client_id: ClientId,
    account_id: AccountId,
    place: Place,
    search_text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE clients SET account_id = $1, place = $2, search_text = $3 WHERE id = $4")
        .bind(account_id)
        .bind(place.as_str())
        .bind(search_text)
        .bind(client_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Sets a member's search text (after their account was renamed).
pub async fn set_search_text(
    tx: &mut Tx,
    client_id: ClientId,
    search_text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE clients SET search_text = $1 WHERE id = $2")
        .bind(search_text)
        .bind(client_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Deletes an account left with no member and holding no document (one
/// that holds files stays, empty, with them).
pub async fn delete_if_empty(tx: &mut Tx, id: AccountId) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM client_accounts WHERE id = $1
         AND NOT EXISTS (SELECT 1 FROM clients WHERE account_id = $1)
         AND NOT EXISTS (SELECT 1 FROM documents WHERE account_id = $1)",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The account a member of `organization_id` belongs to, with their place,
/// inside `tx`.
pub async fn of_member(
    tx: &mut Tx,
    organization_id: OrganizationId,
    client_id: ClientId,
) -> Result<Option<(AccountId, String)>, sqlx::Error> {
    sqlx::query_as("SELECT account_id, place FROM clients WHERE id = $1 AND organization_id = $2")
        .bind(client_id)
        .bind(organization_id)
        .fetch_optional(&mut **tx)
        .await
}

/// The account the person `user_id` is a member of in one organization,
/// with their own place: what their dashboard shows.
pub async fn of_user(
    pool: &AnyPool,
    organization_id: OrganizationId,
    user_id: UserId,
) -> Result<Option<(AccountId, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.name, c.place FROM clients c
         JOIN client_accounts a ON a.id = c.account_id
         WHERE c.organization_id = $1 AND c.user_id = $2",
    )
    .bind(organization_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await
}

/// Saves an account's own choices of what its members may use.
pub async fn set_overrides(
    tx: &mut Tx,
    organization_id: OrganizationId,
    id: AccountId,
    overrides: Overrides,
) -> Result<(), sqlx::Error> {
    let [profile, documents, uploads, invoices, payments] = overrides.to_stored();
    sqlx::query(
        "UPDATE client_accounts SET allow_profile = $3, allow_documents = $4, allow_uploads = $5,
             allow_invoices = $6, allow_payments = $7
         WHERE organization_id = $1 AND id = $2",
    )
    .bind(organization_id)
    .bind(id)
    .bind(profile)
    .bind(documents)
    .bind(uploads)
    .bind(invoices)
    .bind(payments)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The switches that decide what the person `user_id` may use as a member
/// of their account in `organization_id`: the organization's and their
/// account's own. None when they are no member of an account there (staff).
pub async fn permissions_of(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    organization_id: OrganizationId,
    user_id: UserId,
) -> Result<Option<(Permissions, Overrides)>, sqlx::Error> {
    type Switches = (
        i64,
        i64,
        i64,
        i64,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let row: Option<Switches> = sqlx::query_as(
        "SELECT o.allow_profile, o.allow_documents, o.allow_uploads, o.allow_invoices,
                o.allow_payments, a.allow_profile, a.allow_documents, a.allow_uploads,
                a.allow_invoices, a.allow_payments
         FROM clients c
         JOIN client_accounts a ON a.id = c.account_id
         JOIN organizations o ON o.id = c.organization_id
         WHERE c.organization_id = $1 AND c.user_id = $2",
    )
    .bind(organization_id)
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(p, d, u, i, pay, ap, ad, au, ai, apay)| {
        (
            Permissions::from_stored([p, d, u, i, pay]),
            Overrides::from_stored([ap, ad, au, ai, apay]),
        )
    }))
}

/// A member as the other members see them on their dashboard.
#[derive(Debug, Clone, FromRow)]
pub struct Mate {
    pub id: ClientId,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub place: String,
    /// Set once they activated.
    pub user_id: Option<UserId>,
    pub disabled_at: Option<i64>,
}

/// Every member of an account, owners first.
pub async fn mates(pool: &AnyPool, account_id: AccountId) -> Result<Vec<Mate>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, first_name, last_name, email, place, user_id, disabled_at FROM clients
         WHERE account_id = $1 ORDER BY place DESC, first_name, last_name, id",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await
}

/// The staff of an organization an account may be assigned to (owners,
/// admins and staff whose access is on), as (id, name), by name.
pub async fn staff_choices(
    pool: &AnyPool,
    organization_id: OrganizationId,
) -> Result<Vec<(UserId, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.name FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = $1 AND m.disabled_at IS NULL
           AND m.role IN ('owner', 'admin', 'staff')
         ORDER BY u.name, u.id",
    )
    .bind(organization_id)
    .fetch_all(pool)
    .await
}

/// An organization's plans, by name, as (id, name, accounts on it).
pub async fn plans(
    pool: &AnyPool,
    organization_id: OrganizationId,
) -> Result<Vec<(PlanId, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.name,
            (SELECT COUNT(*) FROM client_accounts a WHERE a.plan_id = p.id) AS accounts
         FROM plans p WHERE p.organization_id = $1 ORDER BY p.name_lower, p.id",
    )
    .bind(organization_id)
    .fetch_all(pool)
    .await
}

/// Adds a plan name; fails with a unique violation when the organization
/// has one of that name already (compared case-insensitively).
pub async fn insert_plan(
    tx: &mut Tx,
    organization_id: OrganizationId,
    name: &str,
    now: i64,
) -> Result<PlanId, sqlx::Error> {
    let (id,): (PlanId,) = sqlx::query_as(
        "INSERT INTO plans (organization_id, name, name_lower, created_at) VALUES ($1, $2, $3, $4)
         RETURNING id",
    )
    .bind(organization_id)
    .bind(name)
    .bind(name.to_lowercase())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Removes a plan of one organization; the accounts on it are then on no
/// plan. Returns false when the organization has no such plan.
pub async fn delete_plan(
    tx: &mut Tx,
    organization_id: OrganizationId,
    id: PlanId,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE client_accounts SET plan_id = NULL WHERE organization_id = $1 AND plan_id = $2",
    )
    .bind(organization_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query("DELETE FROM plans WHERE organization_id = $1 AND id = $2")
        .bind(organization_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}
