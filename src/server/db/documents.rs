//! Files shared with client accounts (`documents`) and the invoices among
//! them (`invoices`). The bytes are in the object store
//! (`server::storage`), under `storage_key`.

use sqlx::{AnyPool, FromRow};

use super::Tx;
use crate::model::{AccountId, OrganizationId, UserId};

/// A file stored whole, to record.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub organization_id: OrganizationId,
    pub account_id: AccountId,
    pub name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub storage_key: &'a str,
    pub uploaded_by: UserId,
    pub from_client: bool,
}

/// Records a stored file inside `tx`; returns its id.
pub async fn insert(tx: &mut Tx, d: &NewDocument<'_>, now: i64) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO documents (organization_id, account_id, name, content_type, size_bytes,
                                storage_key, uploaded_by, from_client, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(d.organization_id)
    .bind(d.account_id)
    .bind(d.name)
    .bind(d.content_type)
    .bind(d.size_bytes)
    .bind(d.storage_key)
    .bind(d.uploaded_by)
    .bind(i64::from(d.from_client))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// A document with its uploader's name and, for an invoice, its details.
#[derive(Debug, Clone, FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub account_id: AccountId,
    pub account_name: String,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub uploaded_by_name: String,
    /// 1 when a member of the account uploaded it.
    pub from_client: i64,
    pub seen_at: Option<i64>,
    pub created_at: i64,
    /// Set for an invoice (the columns below with it).
    pub number: Option<String>,
    pub issued_on: Option<String>,
    pub due_on: Option<String>,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub status: Option<String>,
    pub payment_url: Option<String>,
}

const DOCUMENT_COLUMNS: &str = "SELECT d.id, d.account_id, a.name AS account_name, d.name,
        d.content_type, d.size_bytes, d.storage_key, u.name AS uploaded_by_name, d.from_client,
        d.seen_at, d.created_at, i.number, i.issued_on, i.due_on, i.amount_minor, i.currency,
        i.status, i.payment_url
     FROM documents d
     JOIN client_accounts a ON a.id = d.account_id
     JOIN users u ON u.id = d.uploaded_by
     LEFT JOIN invoices i ON i.document_id = d.id";

/// Every document of one account of one organization, newest first.
pub async fn of_account(
    pool: &AnyPool,
    organization_id: OrganizationId,
    account_id: AccountId,
) -> Result<Vec<DocumentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{DOCUMENT_COLUMNS} WHERE d.organization_id = $1 AND d.account_id = $2
         ORDER BY d.created_at DESC, d.id DESC"
    ))
    .bind(organization_id)
    .bind(account_id)
    .fetch_all(pool)
    .await
}

/// One document of one organization; None for another organization's.
pub async fn get(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    organization_id: OrganizationId,
    id: i64,
) -> Result<Option<DocumentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{DOCUMENT_COLUMNS} WHERE d.organization_id = $1 AND d.id = $2"
    ))
    .bind(organization_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// How many of its members' uploads no staff member marked as seen, per
/// account of `account_ids` (accounts with none are left out).
pub async fn new_uploads(
    pool: &AnyPool,
    organization_id: OrganizationId,
    account_ids: &[i64],
) -> Result<Vec<(AccountId, i64)>, sqlx::Error> {
    if account_ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as(&format!(
        "SELECT account_id, COUNT(*) FROM documents
         WHERE organization_id = $1 AND from_client = 1 AND seen_at IS NULL
           AND account_id IN ({})
         GROUP BY account_id",
        super::id_list(account_ids)
    ))
    .bind(organization_id)
    .fetch_all(pool)
    .await
}

/// Marks a member's upload as seen; false when there was no such unseen
/// upload in the organization.
pub async fn mark_seen(
    tx: &mut Tx,
    organization_id: OrganizationId,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE documents SET seen_at = $3
         WHERE organization_id = $1 AND id = $2 AND from_client = 1 AND seen_at IS NULL",
    )
    .bind(organization_id)
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes a document (and its invoice details) inside `tx`; returns its
/// storage key, None when the organization has no such document.
pub async fn delete(
    tx: &mut Tx,
    organization_id: OrganizationId,
    id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query(
        "DELETE FROM invoices WHERE document_id IN
            (SELECT id FROM documents WHERE organization_id = $1 AND id = $2)",
    )
    .bind(organization_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let row: Option<(String,)> = sqlx::query_as(
        "DELETE FROM documents WHERE organization_id = $1 AND id = $2 RETURNING storage_key",
    )
    .bind(organization_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(k,)| k))
}

/// An invoice's details as saved.
#[derive(Debug, Clone)]
pub struct InvoiceDetails<'a> {
    pub number: &'a str,
    /// YYYY-MM-DD.
    pub issued_on: &'a str,
    pub due_on: &'a str,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub status: &'a str,
    pub payment_url: Option<&'a str>,
}

/// Makes document `id` an invoice, or changes its details, inside `tx`.
pub async fn save_invoice(tx: &mut Tx, id: i64, i: &InvoiceDetails<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invoices (document_id, number, issued_on, due_on, amount_minor, currency,
                               status, payment_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (document_id) DO UPDATE SET number = excluded.number,
             issued_on = excluded.issued_on, due_on = excluded.due_on,
             amount_minor = excluded.amount_minor, currency = excluded.currency,
             status = excluded.status, payment_url = excluded.payment_url",
    )
    .bind(id)
    .bind(i.number)
    .bind(i.issued_on)
    .bind(i.due_on)
    .bind(i.amount_minor)
    .bind(i.currency)
    .bind(i.status)
    .bind(i.payment_url)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Locks document `id` of the organization for the rest of `tx`; false
/// when it has none such.
pub async fn lock(
    tx: &mut Tx,
    backend: super::Backend,
    organization_id: OrganizationId,
    id: i64,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM documents WHERE organization_id = $1 AND id = $2 {}",
        backend.lock_rows()
    ))
    .bind(organization_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}
