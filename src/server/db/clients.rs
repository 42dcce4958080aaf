use sqlx::{AnyPool, FromRow};

use super::Tx;

/// A client with the facts its status is made of.
#[derive(Debug, Clone, FromRow)]
pub struct ClientListRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub role: String,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    pub user_id: Option<i64>,
    pub last_login_at: Option<i64>,
    pub invitation_kind: Option<String>,
    pub invitation_created_at: Option<i64>,
    pub invitation_expires_at: Option<i64>,
    pub invitation_revoked_at: Option<i64>,
    pub mail_status: Option<String>,
    pub mail_sent_at: Option<i64>,
    pub mail_error: Option<String>,
}

/// The client list's columns: the client, their account and their latest
/// invitation with its latest email.
const COLUMNS: &str = "SELECT c.id, c.first_name, c.last_name, c.email, c.role, c.created_at,
        c.disabled_at, c.user_id, u.last_login_at,
        i.kind AS invitation_kind, i.created_at AS invitation_created_at,
        i.expires_at AS invitation_expires_at, i.revoked_at AS invitation_revoked_at,
        e.status AS mail_status, e.sent_at AS mail_sent_at, e.last_error AS mail_error";
const JOINS: &str = "LEFT JOIN users u ON u.id = c.user_id
     LEFT JOIN invitations i ON i.id = (SELECT MAX(id) FROM invitations WHERE client_id = c.id)
     LEFT JOIN email_outbox e ON e.id = (SELECT MAX(id) FROM email_outbox WHERE invitation_id = i.id)";

/// Which clients a list shows, by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    NoEmail,
    NotInvited,
    Pending,
    Expired,
    Failed,
    Active,
    Disabled,
}

impl StatusFilter {
    /// The SQL condition on `clients c`, with `$3` the current time. It reads
    /// only the client's own columns and indexed EXISTS look-ups, so the list
    /// can pick its page of clients before joining anything. A client has at
    /// most one open invitation (a resend extends it), so "an open invitation
    /// exists" is the same as "the latest invitation is open".
    fn condition(self) -> &'static str {
        match self {
            StatusFilter::All => "TRUE",
            StatusFilter::Disabled => "c.disabled_at IS NOT NULL",
            StatusFilter::Active => "c.disabled_at IS NULL AND c.user_id IS NOT NULL",
            StatusFilter::NoEmail => "c.disabled_at IS NULL AND c.user_id IS NULL AND c.email IS NULL",
            StatusFilter::NotInvited => {
                "c.disabled_at IS NULL AND c.user_id IS NULL AND c.email IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.client_id = c.id
                                 AND i.accepted_at IS NULL AND i.revoked_at IS NULL)"
            }
            StatusFilter::Expired => {
                "c.disabled_at IS NULL AND c.user_id IS NULL
                 AND EXISTS (SELECT 1 FROM invitations i WHERE i.client_id = c.id
                             AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at <= $3)"
            }
            StatusFilter::Failed => {
                "c.disabled_at IS NULL AND c.user_id IS NULL
                 AND EXISTS (SELECT 1 FROM invitations i WHERE i.client_id = c.id
                             AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $3
                             AND (SELECT e.status FROM email_outbox e WHERE e.invitation_id = i.id
                                  ORDER BY e.id DESC LIMIT 1) = 'failed')"
            }
            StatusFilter::Pending => {
                "c.disabled_at IS NULL AND c.user_id IS NULL
                 AND EXISTS (SELECT 1 FROM invitations i WHERE i.client_id = c.id
                             AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $3
                             AND COALESCE((SELECT e.status FROM email_outbox e WHERE e.invitation_id = i.id
                                           ORDER BY e.id DESC LIMIT 1), '') <> 'failed')"
            }
        }
    }

    pub fn parse(s: &str) -> StatusFilter {
        match s {
            "no-email" => StatusFilter::NoEmail,
            "not-invited" => StatusFilter::NotInvited,
            "pending" => StatusFilter::Pending,
            "expired" => StatusFilter::Expired,
            "failed" => StatusFilter::Failed,
            "active" => StatusFilter::Active,
            "disabled" => StatusFilter::Disabled,
            _ => StatusFilter::All,
        }
    }
}

/// A page of the client list: which clients, in which order, which slice.
#[derive(Debug, Clone)]
pub struct ListQuery<'a> {
    pub organization_id: i64,
    /// Words to find in the name or email; empty for all.
    pub search: &'a str,
    pub status: StatusFilter,
    pub oldest_first: bool,
    pub limit: i64,
    pub offset: i64,
    pub now: i64,
}

/// One page of an organization's clients and the total that match.
pub async fn page(
    pool: &AnyPool,
    q: &ListQuery<'_>,
) -> Result<(Vec<ClientListRow>, i64), sqlx::Error> {
    let pattern = if q.search.trim().is_empty() {
        String::new()
    } else {
        let escaped = q
            .search
            .trim()
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    };
    let filter = format!(
        "WHERE c.organization_id = $1
           AND ($2 = '' OR c.search_text LIKE $2 ESCAPE '\\')
           AND $3 >= 0 AND {}",
        q.status.condition()
    );
    let order = if q.oldest_first { "ASC" } else { "DESC" };
    let order_by = format!("ORDER BY c.created_at {order}, c.id {order}");
    // Pick the page's clients first, then join their invitations and emails:
    // the joins run for one page of rows, not for every client searched.
    let rows_sql = format!(
        "{COLUMNS} FROM (SELECT * FROM clients c {filter} {order_by} LIMIT $4 OFFSET $5) c {JOINS} {order_by}"
    );
    let rows = sqlx::query_as(&rows_sql)
        .bind(q.organization_id)
        .bind(&pattern)
        .bind(q.now)
        .bind(q.limit)
        .bind(q.offset)
        .fetch_all(pool)
        .await?;
    let count = format!("SELECT COUNT(*) FROM clients c {filter}");
    let (total,): (i64,) = sqlx::query_as(&count)
        .bind(q.organization_id)
        .bind(&pattern)
        .bind(q.now)
        .fetch_one(pool)
        .await?;
    Ok((rows, total))
}

/// One client of one organization; None for another organization's client.
pub async fn get(
    pool: &AnyPool,
    organization_id: i64,
    id: i64,
) -> Result<Option<ClientListRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{COLUMNS} FROM clients c {JOINS} WHERE c.organization_id = $1 AND c.id = $2"
    ))
    .bind(organization_id)
    .bind(id)
    .fetch_optional(pool)
    .await
}

pub async fn email_taken(
    pool: &AnyPool,
    organization_id: i64,
    email: &str,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM clients WHERE organization_id = $1 AND email_lower = $2",
    )
    .bind(organization_id)
    .bind(email.to_lowercase())
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut Tx,
    organization_id: i64,
    first_name: &str,
    last_name: &str,
    email: Option<&str>,
    role: &str,
    created_by: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO clients (organization_id, first_name, last_name, email, email_lower, role, created_by, created_at, search_text)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(organization_id)
    .bind(first_name)
    .bind(last_name)
    .bind(email)
    .bind(email.map(str::to_lowercase))
    .bind(role)
    .bind(created_by)
    .bind(now)
    .bind(search_text(first_name, last_name, email))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Links the client profile to the identity that accepted its invitation.
pub async fn set_user(tx: &mut Tx, client_id: i64, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE clients SET user_id = $1 WHERE id = $2")
        .bind(user_id)
        .bind(client_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Disables or enables a client's portal access in its organization: the
/// client row and, once activated, the membership. Disabling also revokes
/// pending invitations and ends the person's sessions in that organization.
pub async fn set_access(
    tx: &mut Tx,
    organization_id: i64,
    client_id: i64,
    user_id: Option<i64>,
    disabled_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE clients SET disabled_at = $1 WHERE id = $2 AND organization_id = $3")
        .bind(disabled_at)
        .bind(client_id)
        .bind(organization_id)
        .execute(&mut **tx)
        .await?;
    if let Some(now) = disabled_at {
        super::invitations::revoke_pending(tx, client_id, now).await?;
    }
    if let Some(user_id) = user_id {
        sqlx::query(
            "UPDATE memberships SET disabled_at = $1 WHERE organization_id = $2 AND user_id = $3",
        )
        .bind(disabled_at)
        .bind(organization_id)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
        if disabled_at.is_some() {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND organization_id = $2")
                .bind(user_id)
                .bind(organization_id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// What a search looks in: the lower-cased name and email, in one column.
pub fn search_text(first_name: &str, last_name: &str, email: Option<&str>) -> String {
    format!("{first_name} {last_name} {}", email.unwrap_or_default()).to_lowercase()
}

/// Sets a client's email (None removes it). `search_text` must come from
/// [`search_text`] with the client's names and the new email.
pub async fn set_email(
    tx: &mut Tx,
    organization_id: i64,
    client_id: i64,
    email: Option<&str>,
    search_text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE clients SET email = $1, email_lower = $2, search_text = $3
         WHERE id = $4 AND organization_id = $5",
    )
    .bind(email)
    .bind(email.map(str::to_lowercase))
    .bind(search_text)
    .bind(client_id)
    .bind(organization_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
