use sqlx::{AnyPool, FromRow};

use super::{Backend, Tx};
use crate::model::{Language, Permissions};
use crate::model::{OrganizationId, UserId};

#[derive(Debug, Clone, FromRow)]
pub struct Organization {
    pub id: OrganizationId,
    pub slug: String,
    pub name: String,
}

/// True until first-run setup has created the installation.
pub async fn needs_setup(pool: &AnyPool) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM installation")
        .fetch_one(pool)
        .await?;
    Ok(n == 0)
}

/// Claims the single installation row; fails with a unique violation when
/// setup has already happened, even when two setups race.
pub async fn claim_installation(tx: &mut Tx, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO installation (id, created_at) VALUES (1, $1)")
        .bind(now)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Creates an organization at `slug`, claiming the slug ([`claim_slug`]);
/// None, and nothing written by this call, when the slug is held by
/// another organization or was left by one within the year.
pub async fn insert(
    tx: &mut Tx,
    slug: &str,
    name: &str,
    now: i64,
) -> Result<Option<OrganizationId>, sqlx::Error> {
    let inserted: Result<(OrganizationId,), _> = sqlx::query_as(
        "INSERT INTO organizations (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    let id = match inserted {
        Ok((id,)) => id,
        Err(e) if super::is_unique_violation(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(claim_slug(tx, id, slug, now).await?.then_some(id))
}

pub async fn by_id(
    pool: &AnyPool,
    id: OrganizationId,
) -> Result<Option<Organization>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, name FROM organizations WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// True when `slug` is held by an organization or was left by one less
/// than a year before `now` (see [`claim_slug`], which decides).
pub async fn slug_taken(pool: &AnyPool, slug: &str, now: i64) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM organization_slugs
         WHERE slug = $1 AND (retired_at IS NULL OR retired_at > $2)",
    )
    .bind(slug)
    .bind(now - SLUG_QUARANTINE_MS)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// Invitation settings of an organization: (auto_invite, invitation_lifetime_days).
pub async fn invitation_settings(
    tx: &mut super::Tx,
    id: OrganizationId,
) -> Result<(bool, i64), sqlx::Error> {
    let (auto, days): (i64, i64) = sqlx::query_as(
        "SELECT auto_invite, invitation_lifetime_days FROM organizations WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok((auto != 0, days))
}

/// The organizations where `user_id` has a membership they may use
/// ([`super::users::membership_usable`]), by name;
/// with `staff_only`, only those where the role is owner, admin or staff.
pub async fn organizations_of(
    pool: &AnyPool,
    user_id: UserId,
    staff_only: bool,
) -> Result<Vec<Organization>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT o.id, o.slug, o.name FROM organizations o
         JOIN memberships m ON m.organization_id = o.id
         WHERE m.user_id = $1 AND ",
        super::users::membership_usable!(),
        " AND ($2 = 0 OR m.role IN ('owner', 'admin', 'staff'))
         ORDER BY o.name, o.id"
    ))
    .bind(user_id)
    .bind(i64::from(staff_only))
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct SettingsRow {
    pub name: String,
    pub slug: String,
    pub auto_invite: i64,
    pub invitation_lifetime_days: i64,
    pub accent_color: String,
    pub logo_url: String,
    pub signup_mode: String,
    pub signup_approval: String,
    pub collaborator_seats: Option<i64>,
    pub reset_lifetime_hours: i64,
    /// The language the organization writes in by default ("en", "fr").
    pub default_language: String,
    /// Where its times are shown: an IANA name such as America/Toronto.
    pub time_zone: String,
    /// 1 while clients and collaborators may use the portal, 0 while it is
    /// off.
    pub portal_enabled: i64,
    /// What clients may use by default, 1 or 0 ([`SettingsRow::permissions`]).
    pub allow_profile: i64,
    pub allow_documents: i64,
    pub allow_uploads: i64,
    pub allow_invoices: i64,
    pub allow_payments: i64,
}

impl SettingsRow {
    /// What the organization's clients may use unless their account says
    /// otherwise.
    pub fn permissions(&self) -> Permissions {
        Permissions::from_stored([
            self.allow_profile,
            self.allow_documents,
            self.allow_uploads,
            self.allow_invoices,
            self.allow_payments,
        ])
    }
}

/// An organization's settings, `WHERE id = $1`.
const SETTINGS: &str = "SELECT name, slug, auto_invite, invitation_lifetime_days, accent_color,
        logo_url, signup_mode, signup_approval, collaborator_seats, reset_lifetime_hours,
        default_language, time_zone, portal_enabled,
        allow_profile, allow_documents, allow_uploads, allow_invoices, allow_payments
     FROM organizations WHERE id = $1";

/// The organization's settings, read inside `tx` and held until it ends
/// ([`Backend::lock_rows`]): two sections saved at once then apply one
/// after the other, neither undoing the other.
pub async fn settings_for_update(
    tx: &mut Tx,
    backend: Backend,
    id: OrganizationId,
) -> Result<SettingsRow, sqlx::Error> {
    sqlx::query_as(&format!("{SETTINGS} {}", backend.lock_rows()))
        .bind(id)
        .fetch_one(&mut **tx)
        .await
}

pub async fn settings(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: OrganizationId,
) -> Result<SettingsRow, sqlx::Error> {
    sqlx::query_as(SETTINGS).bind(id).fetch_one(db).await
}

/// Settings as validated for saving.
#[derive(Debug, Clone)]
pub struct NewSettings {
    pub default_language: Language,
    /// A checked IANA name.
    pub time_zone: String,
    pub auto_invite: bool,
    pub invitation_lifetime_days: i64,
    pub accent_color: String,
    pub logo_url: String,
    pub signup_mode: String,
    pub signup_approval: String,
    pub collaborator_seats: Option<i64>,
    pub reset_lifetime_hours: i64,
    pub portal_enabled: bool,
    /// What clients may use by default.
    pub permissions: Permissions,
}

pub async fn save_settings(
    tx: &mut super::Tx,
    id: OrganizationId,
    s: &NewSettings,
) -> Result<(), sqlx::Error> {
    let allow = s.permissions.to_stored();
    sqlx::query(
        "UPDATE organizations
         SET auto_invite = $1, invitation_lifetime_days = $2, accent_color = $3, logo_url = $4,
             signup_mode = $5, signup_approval = $6, collaborator_seats = $7,
             reset_lifetime_hours = $8, default_language = $9, time_zone = $10,
             portal_enabled = $12, allow_profile = $13, allow_documents = $14,
             allow_uploads = $15, allow_invoices = $16, allow_payments = $17
         WHERE id = $11",
    )
    .bind(i64::from(s.auto_invite))
    .bind(s.invitation_lifetime_days)
    .bind(&s.accent_color)
    .bind(&s.logo_url)
    .bind(&s.signup_mode)
    .bind(&s.signup_approval)
    .bind(s.collaborator_seats)
    .bind(s.reset_lifetime_hours)
    .bind(s.default_language.as_str())
    .bind(&s.time_zone)
    .bind(id)
    .bind(i64::from(s.portal_enabled))
    .bind(allow[0])
    .bind(allow[1])
    .bind(allow[2])
    .bind(allow[3])
    .bind(allow[4])
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// An organization's sign-up settings, found by its portal address.
#[derive(Debug, Clone, FromRow)]
pub struct SignupSettings {
    pub id: OrganizationId,
    pub name: String,
    pub signup_mode: String,
    pub signup_approval: String,
    pub collaborator_seats: Option<i64>,
    /// 1 on, 0 off.
    pub portal_enabled: i64,
}

pub async fn signup_settings(
    pool: &AnyPool,
    slug: &str,
) -> Result<Option<SignupSettings>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, signup_mode, signup_approval, collaborator_seats, portal_enabled
         FROM organizations WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await
}

/// Takes the organization's row lock for the rest of `tx`, so that
/// transactions that count and then take collaborator seats run one at a
/// time (on PostgreSQL a row lock; on SQLite every write transaction already
/// holds the database's write lock), and returns its seat limit.
pub async fn lock_seats(
    tx: &mut Tx,
    organization_id: OrganizationId,
) -> Result<Option<i64>, sqlx::Error> {
    let (limit,): (Option<i64>,) = sqlx::query_as(
        "UPDATE organizations SET collaborator_seats = collaborator_seats WHERE id = $1
         RETURNING collaborator_seats",
    )
    .bind(organization_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(limit)
}

/// What a year is for slugs an organization left: no one else may take them
/// for this long after (milliseconds).
pub const SLUG_QUARANTINE_MS: i64 = 365 * 24 * 60 * 60 * 1000;

/// Claims `slug` for `organization_id` as its current address, in `tx`:
/// true when it was free, the organization's own (current or left), or left
/// by another organization before `now - SLUG_QUARANTINE_MS` (whose old
/// address then stops redirecting); false when another organization holds
/// it or left it within the year. One statement claims the row, so of two
/// organizations claiming the same slug at once one wins. Does not change
/// `organizations.slug` (see [`change_slug`]).
pub async fn claim_slug(
    tx: &mut Tx,
    organization_id: OrganizationId,
    slug: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "INSERT INTO organization_slugs (slug, organization_id, retired_at) VALUES ($1, $2, NULL)
         ON CONFLICT (slug) DO UPDATE SET organization_id = $2, retired_at = NULL
         WHERE organization_slugs.organization_id = $2
            OR (organization_slugs.retired_at IS NOT NULL AND organization_slugs.retired_at <= $3)",
    )
    .bind(slug)
    .bind(organization_id)
    .bind(now - SLUG_QUARANTINE_MS)
    .execute(&mut **tx)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Moves the organization to `new_slug` (claimed first with
/// [`claim_slug`]): its current slug becomes an old one, retired at `now`,
/// which keeps redirecting.
pub async fn change_slug(
    tx: &mut Tx,
    organization_id: OrganizationId,
    new_slug: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE organization_slugs SET retired_at = $3
         WHERE organization_id = $1 AND slug <> $2 AND retired_at IS NULL",
    )
    .bind(organization_id)
    .bind(new_slug)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE organizations SET slug = $2 WHERE id = $1")
        .bind(organization_id)
        .bind(new_slug)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// An organization's front door (`/o/<slug>`), found by any slug it has
/// held: `slug` is its current one (compare it to the one asked for to
/// redirect an old address).
#[derive(Debug, Clone, FromRow)]
pub struct Door {
    pub slug: String,
    pub name: String,
    pub accent_color: String,
    pub logo_url: String,
    pub signup_mode: String,
    /// 1 on, 0 off.
    pub portal_enabled: i64,
}

/// The organization that holds or held `slug` (see [`Door`]). A slug left
/// more than a year ago and not taken since still finds its organization.
pub async fn door(pool: &AnyPool, slug: &str) -> Result<Option<Door>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.slug, o.name, o.accent_color, o.logo_url, o.signup_mode, o.portal_enabled
         FROM organization_slugs s JOIN organizations o ON o.id = s.organization_id
         WHERE s.slug = $1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await
}
