//! The client portal's switch and front door: whether invitations may be
//! sent now, the branded sign-in page at `/o/<slug>`, and the addresses an
//! organization left behind. Who may enter while the portal is off is one
//! SQL rule, `db::users::membership_usable`; what email waits, another,
//! `db::outbox` (`HELD_NOT`).

use crate::model::{AppError, OrganizationId, PortalDoor, Problem, Role};
use crate::server::db::{self, Db};

/// Whether the portal switch concerns someone in `role`: clients and
/// collaborators, never staff (owners, admins and staff work, and are
/// invited, as usual while the portal is off). The SQL rules
/// (`membership_usable`, `HELD_NOT`) say the same with the role names.
pub fn applies_to(role: Role) -> bool {
    !role.is_staff()
}

/// Refuses an action that sends an invitation now (send, resend, invite
/// all owners, a bulk invitation) to someone in `role` while the
/// organization's portal is off, with [`Problem::PortalOff`]. Invitations
/// made on their own (a new client with automatic invitations, a guest, an
/// import) are not refused: their email waits in the outbox.
pub async fn require_on(
    db: &Db,
    organization_id: OrganizationId,
    role: Role,
) -> Result<(), AppError> {
    if !applies_to(role) {
        return Ok(());
    }
    let settings = db::orgs::settings(&db.pool, organization_id).await?;
    if settings.portal_enabled == 0 {
        return Err(AppError::Conflict(Problem::PortalOff));
    }
    Ok(())
}

/// The front door of the organization that holds or held `slug`.
///
/// Errors: not found for a slug no organization ever held.
pub async fn door(db: &Db, slug: &str) -> Result<PortalDoor, AppError> {
    let door = db::orgs::door(&db.pool, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(PortalDoor {
        organization: door.name,
        slug: door.slug,
        accent_color: door.accent_color,
        logo_url: door.logo_url,
        portal_open: door.portal_enabled != 0,
        signup_open: door.signup_mode != "off",
    })
}

/// Where a request for `/o/<slug><rest>` belongs when `slug` is an address
/// its organization left: the same path at its current slug. None for a
/// current slug, or one no organization held.
pub async fn moved(db: &Db, slug: &str, rest: &str) -> Result<Option<String>, AppError> {
    Ok(db::orgs::door(&db.pool, slug)
        .await?
        .filter(|d| d.slug != slug)
        .map(|d| format!("/o/{}{rest}", d.slug)))
}
