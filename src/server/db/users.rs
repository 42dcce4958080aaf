use sqlx::{AnyPool, FromRow};

use super::Tx;
use crate::model::{AuditKind, Language, Role};
use crate::model::{ClientId, OrganizationId, UserId};

#[derive(Debug, Clone, FromRow)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
}

pub async fn insert(
    tx: &mut Tx,
    email: &str,
    name: &str,
    password_hash: &str,
    now: i64,
) -> Result<UserId, sqlx::Error> {
    let (id,): (UserId,) = sqlx::query_as(
        "INSERT INTO users (email, email_lower, name, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(email)
    .bind(email.to_lowercase())
    .bind(name)
    .bind(password_hash)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Gives a user the username chosen at sign-up.
pub async fn set_username(tx: &mut Tx, user_id: UserId, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET username = $1, username_lower = $2 WHERE id = $3")
        .bind(username)
        .bind(username.to_lowercase())
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

pub async fn by_email(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    email: &str,
) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as("SELECT id, email, name, password_hash FROM users WHERE email_lower = $1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(db)
        .await
}

/// Records a sign-in inside `tx`: the user's last login and a `login`
/// event in the organization they signed in to.
pub async fn record_login(
    tx: &mut Tx,
    user_id: UserId,
    organization_id: OrganizationId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    let event = super::audit::Event {
        organization_id: Some(organization_id),
        user_id: Some(user_id),
        ..super::audit::Event::new(AuditKind::Login)
    };
    super::audit::record_in(tx, &event, now).await
}

/// Adds a membership unless the person already has one in that organization
/// (in whatever role).
pub async fn add_membership(
    tx: &mut Tx,
    organization_id: OrganizationId,
    user_id: UserId,
    role: Role,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO memberships (organization_id, user_id, role, created_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (organization_id, user_id) DO NOTHING",
    )
    .bind(organization_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The organization a person lands in after signing in: their oldest
/// membership they may use ([`membership_usable`]).
pub async fn first_active_membership(
    pool: &AnyPool,
    user_id: UserId,
) -> Result<Option<(OrganizationId, Role)>, sqlx::Error> {
    let row: Option<(OrganizationId, String)> = sqlx::query_as(concat!(
        "SELECT m.organization_id, m.role FROM memberships m
         WHERE m.user_id = $1 AND ",
        membership_usable!(),
        " ORDER BY m.created_at, m.id LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(org, role)| Role::parse(&role).map(|r| (org, r))))
}

/// The person's membership in the organization at `slug` (its current
/// address), when they may use it ([`membership_usable`]).
pub async fn usable_membership_at(
    pool: &AnyPool,
    user_id: UserId,
    slug: &str,
) -> Result<Option<(OrganizationId, Role)>, sqlx::Error> {
    let row: Option<(OrganizationId, String)> = sqlx::query_as(concat!(
        "SELECT m.organization_id, m.role FROM memberships m
         JOIN organizations o ON o.id = m.organization_id
         WHERE m.user_id = $1 AND o.slug = $2 AND ",
        membership_usable!()
    ))
    .bind(user_id)
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(org, role)| Role::parse(&role).map(|r| (org, r))))
}

/// The language to write to the owner of an email address about one
/// organization, as a SQL expression over `$email_lower` (the lower-cased
/// address), `$client_language` (their client record's language there, NULL
/// for none) and `$organization_language` (the organization's default):
/// their account's choice, else their client record's, else the
/// organization's. Every email takes its language from this one expression.
macro_rules! recipient_language {
    ($email_lower:literal, $client_language:literal, $organization_language:literal) => {
        concat!(
            "COALESCE((SELECT ru.language FROM users ru WHERE ru.email_lower = ",
            $email_lower,
            "), ",
            $client_language,
            ", ",
            $organization_language,
            ")"
        )
    };
}
pub(super) use recipient_language;

/// The SQL condition on `memberships m` of a membership its person may use
/// now: not disabled, and either staff (owner, admin, staff) or a client or
/// collaborator of an organization whose client portal is on. A live
/// session, where sign-in and a reset land, and the organization switch all
/// read it, so switching the portal off shuts its clients out everywhere
/// at once.
macro_rules! membership_usable {
    () => {
        "m.disabled_at IS NULL AND (m.role IN ('owner', 'admin', 'staff')
          OR EXISTS (SELECT 1 FROM organizations po
                     WHERE po.id = m.organization_id AND po.portal_enabled = 1))"
    };
}
pub(super) use membership_usable;

/// The language to write to `email` in about `organization_id` (see
/// [`recipient_language`]): "en", "fr", or a tag this server may not know.
pub async fn language_for(
    tx: &mut Tx,
    organization_id: OrganizationId,
    email: &str,
) -> Result<String, sqlx::Error> {
    let (language,): (String,) = sqlx::query_as(concat!(
        "SELECT ",
        recipient_language!("$1", "c.language", "o.default_language"),
        " FROM organizations o
          LEFT JOIN clients c ON c.organization_id = o.id AND c.email_lower = $1
          WHERE o.id = $2"
    ))
    .bind(email.trim().to_lowercase())
    .bind(organization_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(language)
}

/// Keeps `language` as the person's own choice.
pub async fn set_language(
    db: &super::Db,
    user_id: UserId,
    language: Language,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
        .bind(language.as_str())
        .bind(user_id)
        .execute(&mut *db.writer().await?)
        .await
        .map(|_| ())
}

/// Where a person's reset email is branded and logged: their first
/// organization they may use ([`membership_usable`]) and their client row
/// there, if they have one. None when they may use none.
pub async fn home(
    tx: &mut Tx,
    user_id: UserId,
) -> Result<Option<(OrganizationId, Option<ClientId>)>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT m.organization_id,
                (SELECT c.id FROM clients c
                 WHERE c.user_id = m.user_id AND c.organization_id = m.organization_id)
         FROM memberships m WHERE m.user_id = $1 AND ",
        membership_usable!(),
        " ORDER BY m.id LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Every organization of the person, as (organization, their client row
/// there if any), disabled memberships included.
pub async fn organizations_with_client(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    user_id: UserId,
) -> Result<Vec<(OrganizationId, Option<ClientId>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.organization_id,
                (SELECT c.id FROM clients c
                 WHERE c.user_id = m.user_id AND c.organization_id = m.organization_id)
         FROM memberships m WHERE m.user_id = $1 ORDER BY m.id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// The sign-in email address of a person.
pub async fn email_of(tx: &mut Tx, user_id: UserId) -> Result<String, sqlx::Error> {
    let (email,): (String,) = sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(email)
}

/// Replaces a person's password hash (a PHC string).
pub async fn set_password(
    tx: &mut Tx,
    user_id: UserId,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// True when `email` belongs to an identity that has a password.
pub async fn has_account(tx: &mut Tx, email: &str) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE email_lower = $1 AND password_hash IS NOT NULL",
    )
    .bind(email.to_lowercase())
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

/// Names of the organizations where the person's access is disabled.
pub async fn disabled_organizations(
    pool: &AnyPool,
    user_id: UserId,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.organization_id
         WHERE m.user_id = $1 AND m.disabled_at IS NOT NULL ORDER BY o.name",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// The names of the organizations whose client portal is off where the
/// person is an enabled client or collaborator.
pub async fn closed_portals(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    user_id: UserId,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT o.name FROM memberships m JOIN organizations o ON o.id = m.organization_id
         WHERE m.user_id = $1 AND m.disabled_at IS NULL AND o.portal_enabled = 0
           AND m.role NOT IN ('owner', 'admin', 'staff')
         ORDER BY o.name",
    )
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// The person's role in one organization, if they are a member there.
pub async fn membership_role(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    organization_id: OrganizationId,
    user_id: UserId,
) -> Result<Option<Role>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2")
            .bind(organization_id)
            .bind(user_id)
            .fetch_optional(db)
            .await?;
    Ok(row.and_then(|(r,)| Role::parse(&r)))
}

/// The role in one organization of whoever owns `email`, if they are a
/// member there.
pub async fn member_role_by_email(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    organization_id: OrganizationId,
    email: &str,
) -> Result<Option<Role>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organization_id = $1 AND u.email_lower = $2",
    )
    .bind(organization_id)
    .bind(email.to_lowercase())
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(r,)| Role::parse(&r)))
}
