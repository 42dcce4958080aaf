//! Self sign-up: applications, their confirmation links and approvers.

use sqlx::{AnyPool, FromRow};

use super::Tx;
use crate::model::SignupStatus;
use crate::model::{OrganizationId, UserId};

/// An application with what its pages and emails show.
#[derive(Debug, Clone, FromRow)]
pub struct Signup {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub organization_slug: String,
    pub accent_color: String,
    pub logo_url: String,
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    pub email: String,
    pub role: String,
    pub password_hash: String,
    pub status: String,
    pub created_at: i64,
    pub reason: Option<String>,
    /// The organization's time zone (IANA name).
    pub time_zone: String,
}

impl Signup {
    /// Where it stands; None for a state this server does not know.
    pub fn status(&self) -> Option<SignupStatus> {
        SignupStatus::parse(&self.status)
    }
}

const VIEW: &str = "SELECT s.id, s.organization_id, o.name AS organization_name,
        o.slug AS organization_slug, o.accent_color, o.logo_url, s.first_name, s.last_name,
        s.username, s.email, s.role, s.password_hash, s.status, s.created_at, s.reason,
        o.time_zone
     FROM signups s JOIN organizations o ON o.id = s.organization_id";

/// An application that holds its username: not yet decided.
const OPEN: &str = "s.status IN ('unconfirmed', 'pending')";

/// What an application is made of.
pub struct NewSignup<'a> {
    pub organization_id: OrganizationId,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub username: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
}

pub async fn insert(tx: &mut Tx, s: &NewSignup<'_>, now: i64) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO signups (organization_id, first_name, last_name, username, username_lower,
                              email, email_lower, role, password_hash, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'unconfirmed', $10) RETURNING id",
    )
    .bind(s.organization_id)
    .bind(s.first_name)
    .bind(s.last_name)
    .bind(s.username)
    .bind(s.username.to_lowercase())
    .bind(s.email)
    .bind(s.email.to_lowercase())
    .bind(s.role)
    .bind(s.password_hash)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// True when an account or an undecided application has this username, in any case.
pub async fn username_taken(pool: &AnyPool, username: &str) -> Result<bool, sqlx::Error> {
    let lower = username.to_lowercase();
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT (SELECT COUNT(*) FROM users WHERE username_lower = $1)
              + (SELECT COUNT(*) FROM signups s WHERE s.username_lower = $1 AND {OPEN})"
    ))
    .bind(lower)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// The undecided application of this email in this organization, if any.
pub async fn open_for_email(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    organization_id: OrganizationId,
    email: &str,
) -> Result<Option<(i64, Option<SignupStatus>)>, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as(&format!(
        "SELECT s.id, s.status FROM signups s
         WHERE s.organization_id = $1 AND s.email_lower = $2 AND {OPEN}
         ORDER BY s.id DESC LIMIT 1"
    ))
    .bind(organization_id)
    .bind(email.to_lowercase())
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(id, status)| (id, SignupStatus::parse(&status))))
}

/// Undecided applications of one email in any organization, newest first:
/// sign-in explains them to the applicant.
pub async fn of_email(pool: &AnyPool, email: &str) -> Result<Vec<Signup>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{VIEW} WHERE s.email_lower = $1 AND s.status IN ('pending', 'rejected')
         ORDER BY s.id DESC"
    ))
    .bind(email.trim().to_lowercase())
    .fetch_all(pool)
    .await
}

pub async fn by_id(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: i64,
) -> Result<Option<Signup>, sqlx::Error> {
    sqlx::query_as(&format!("{VIEW} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn add_link(
    conn: &mut sqlx::AnyConnection,
    signup_id: i64,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO signup_links (token_hash, signup_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(signup_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The application a confirmation link belongs to, and when the link expires.
pub async fn by_link(
    pool: &AnyPool,
    token_hash: &str,
) -> Result<Option<(Signup, i64)>, sqlx::Error> {
    let found: Option<(i64, i64)> =
        sqlx::query_as("SELECT signup_id, expires_at FROM signup_links WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(pool)
            .await?;
    let Some((id, expires_at)) = found else {
        return Ok(None);
    };
    Ok(by_id(pool, id).await?.map(|s| (s, expires_at)))
}

/// Moves an unconfirmed application on (to `pending` or `approved`). Exactly
/// one caller wins: false when it was already confirmed.
pub async fn confirm(
    tx: &mut Tx,
    id: i64,
    status: SignupStatus,
    now: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE signups SET status = $1, confirmed_at = $2,
                decided_at = CASE WHEN $1 = 'approved' THEN $2 ELSE NULL END
         WHERE id = $3 AND status = 'unconfirmed'",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Decides a pending application of the organization. False when it is not
/// pending (decided meanwhile) or belongs elsewhere.
pub async fn decide(
    tx: &mut Tx,
    organization_id: OrganizationId,
    id: i64,
    approved: bool,
    by: UserId,
    reason: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE signups SET status = $1, decided_at = $2, decided_by = $3, reason = $4
         WHERE id = $5 AND organization_id = $6 AND status = 'pending'",
    )
    .bind(
        if approved {
            SignupStatus::Approved
        } else {
            SignupStatus::Rejected
        }
        .as_str(),
    )
    .bind(now)
    .bind(by)
    .bind(reason)
    .bind(id)
    .bind(organization_id)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub async fn set_user(tx: &mut Tx, id: i64, user_id: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE signups SET user_id = $1 WHERE id = $2")
        .bind(user_id)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// The organization's applications waiting for a decision, oldest first.
pub async fn pending(
    pool: &AnyPool,
    organization_id: OrganizationId,
) -> Result<Vec<Signup>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{VIEW} WHERE s.organization_id = $1 AND s.status = 'pending' ORDER BY s.created_at, s.id"
    ))
    .bind(organization_id)
    .fetch_all(pool)
    .await
}

/// Collaborators who hold a seat: active members, people invited as
/// collaborators who have not accepted yet, and undecided applications.
pub async fn collaborator_seats_used(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    organization_id: OrganizationId,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM memberships
                 WHERE organization_id = $1 AND role = 'collaborator' AND disabled_at IS NULL)
              + (SELECT COUNT(*) FROM clients
                 WHERE organization_id = $1 AND role = 'collaborator' AND user_id IS NULL
                   AND list_state IN ('invited', 'failed'))
              + (SELECT COUNT(*) FROM signups
                 WHERE organization_id = $1 AND role = 'collaborator'
                   AND status IN ('unconfirmed', 'pending'))",
    )
    .bind(organization_id)
    .fetch_one(db)
    .await?;
    Ok(n)
}

/// The organization's approvers: (user id, name, email).
pub async fn approvers(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    organization_id: OrganizationId,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.name, u.email FROM signup_approvers a
         JOIN users u ON u.id = a.user_id
         JOIN memberships m ON m.user_id = a.user_id AND m.organization_id = a.organization_id
         WHERE a.organization_id = $1 AND m.disabled_at IS NULL AND m.role IN ('owner', 'admin')
         ORDER BY u.name",
    )
    .bind(organization_id)
    .fetch_all(db)
    .await
}

/// Members who may approve: owners and admins, (user id, name).
pub async fn possible_approvers(
    pool: &AnyPool,
    organization_id: OrganizationId,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.name FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = $1 AND m.disabled_at IS NULL AND m.role IN ('owner', 'admin')
         ORDER BY u.name",
    )
    .bind(organization_id)
    .fetch_all(pool)
    .await
}

pub async fn set_approvers(
    tx: &mut Tx,
    organization_id: OrganizationId,
    user_ids: &[i64],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM signup_approvers WHERE organization_id = $1")
        .bind(organization_id)
        .execute(&mut **tx)
        .await?;
    for user_id in user_ids {
        sqlx::query("INSERT INTO signup_approvers (organization_id, user_id) VALUES ($1, $2)")
            .bind(organization_id)
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Ends the confirmation links of unconfirmed applications to
/// `organization_id` from `email` (the client with that address lost access
/// or changed address).
pub async fn end_links(
    tx: &mut Tx,
    organization_id: OrganizationId,
    email: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE signup_links SET expires_at = $1
         WHERE expires_at > $1 AND signup_id IN (
             SELECT id FROM signups
             WHERE organization_id = $2 AND email_lower = $3 AND status = 'unconfirmed')",
    )
    .bind(now)
    .bind(organization_id)
    .bind(email.to_lowercase())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// An earlier, unconfirmed application of the same address to the
/// organization gives way to a new one (status `superseded`).
pub async fn supersede_unconfirmed(
    tx: &mut Tx,
    organization_id: OrganizationId,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE signups SET status = 'superseded'
         WHERE organization_id = $1 AND email_lower = $2 AND status = 'unconfirmed'",
    )
    .bind(organization_id)
    .bind(email.to_lowercase())
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
