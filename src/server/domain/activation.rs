//! Following an invitation link: looking at it (never consumes it) and
//! accepting it (consumes it, once).

use crate::model::{AppError, AuditKind, InvitationKind, InvitationPage, Language, Problem, Role};
use crate::model::{OrganizationId, UserId};
use crate::server::auth::token::keyed_hash;
use crate::server::auth::{CurrentSession, password};
use crate::server::dates::Local;
use crate::server::db::invitations::InvitationView;
use crate::server::db::{self, Db, Tx};
use crate::server::domain::rules;
use crate::server::domain::seats::{self, Claim};

/// The invitation a link points at, as it stands at `now`. The view's
/// `expires_at` is the link's own expiry, and its `kind` the invitation's
/// kind now (an activation whose address got an account since is a join).
enum Link {
    Open(InvitationView),
    Expired(InvitationView),
    /// Not used yet, for a client or collaborator of an organization whose
    /// client portal is off: nothing is accepted until it is on again.
    PortalClosed(InvitationView),
    Closed,
}

async fn resolve(db: &Db, token_hash: &str, now: i64) -> Result<Link, AppError> {
    let Some(inv) = db::invitations::by_link(&db.pool, token_hash).await? else {
        return Ok(Link::Closed);
    };
    let role = Role::parse(&inv.role).unwrap_or(Role::Client);
    Ok(if inv.accepted_at.is_some() || inv.revoked_at.is_some() {
        Link::Closed
    } else if inv.portal_enabled == 0 && super::portal::applies_to(role) {
        // Before expiry: an expired link offers a new one, which would
        // wait anyway.
        Link::PortalClosed(inv)
    } else if inv.expires_at <= now {
        Link::Expired(inv)
    } else {
        Link::Open(inv)
    })
}

fn portal_closed(inv: InvitationView) -> AppError {
    AppError::Conflict(Problem::PortalClosed {
        organization: inv.organization_name,
    })
}

/// What the link's page shows. `signed_in_email` is the email of the person
/// viewing it, if signed in (a join invitation needs it).
pub async fn preview(
    db: &Db,
    secret: &[u8],
    token: &str,
    viewer: Option<&CurrentSession>,
    now: i64,
) -> Result<InvitationPage, AppError> {
    Ok(match resolve(db, &keyed_hash(secret, token), now).await? {
        Link::Closed => InvitationPage::Closed,
        Link::PortalClosed(inv) => InvitationPage::PortalClosed {
            organization: inv.organization_name,
        },
        Link::Expired(inv) => {
            // In the page's language: the viewer's if signed in, else the
            // invited person's (`domain::language`); in the organization's zone.
            let language = viewer.map_or_else(
                || Language::parse(&inv.language).unwrap_or(Language::English),
                |v| v.language,
            );
            InvitationPage::Expired {
                expired_on: Local::new(language, &inv.time_zone).date(inv.expires_at),
                organization: inv.organization_name,
            }
        }
        Link::Open(inv) if inv.kind() == Some(InvitationKind::Join) => InvitationPage::Join {
            organization: inv.organization_name,
            name: format!("{} {}", inv.first_name, inv.last_name),
            email: inv.email,
            signed_in_as: viewer.map(|v| v.user_email.clone()),
        },
        Link::Open(inv) => InvitationPage::Activate {
            organization: inv.organization_name,
            name: format!("{} {}", inv.first_name, inv.last_name),
            email: inv.email,
        },
    })
}

fn closed() -> AppError {
    AppError::Conflict(Problem::InvitationLinkUnusable)
}

/// A collaborator accepting keeps the seat their invitation holds, unless
/// the organization lowered its limit below what is held since.
async fn check_seat(tx: &mut Tx, inv: &InvitationView, role: Role) -> Result<(), AppError> {
    if role == Role::Collaborator && !seats::claim(tx, inv.organization_id, Claim::Held).await? {
        return Err(AppError::Conflict(Problem::SeatsFullAt {
            organization: inv.organization_name.clone(),
        }));
    }
    Ok(())
}

/// Who accepted an invitation, and where they now belong.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub user_id: UserId,
    pub organization_id: OrganizationId,
    /// Where they land: the first form waiting for them, or their
    /// dashboard.
    pub landing: String,
}

/// Sets the password and creates the identity for an activation invitation.
/// The invitation is consumed in the same transaction: of two concurrent
/// submissions, exactly one succeeds.
pub async fn activate(
    db: &Db,
    secret: &[u8],
    token: &str,
    new_password: String,
    now: i64,
) -> Result<Accepted, AppError> {
    let token_hash = keyed_hash(secret, token);
    let inv = match resolve(db, &token_hash, now).await? {
        Link::Open(inv) if inv.kind() == Some(InvitationKind::Activate) => inv,
        Link::PortalClosed(inv) => return Err(portal_closed(inv)),
        _ => return Err(closed()),
    };
    let new_password =
        rules::password(&new_password, &inv.email).map_err(|p| AppError::field("password", p))?;
    let hash = password::hash(new_password.into_string()).await?;
    let role = Role::parse(&inv.role).unwrap_or(Role::Client);

    let mut tx = db.begin().await?;
    check_seat(&mut tx, &inv, role).await?;
    if !db::invitations::accept(&mut tx, inv.id, &token_hash, now).await? {
        return Err(closed());
    }
    let name = format!("{} {}", inv.first_name, inv.last_name);
    let user_id = match db::users::insert(&mut tx, &inv.email, &name, &hash, now).await {
        Ok(id) => id,
        // The address got an account since the invitation was made: it must
        // sign in and accept instead of setting a second password.
        Err(e) if db::is_unique_violation(&e) => return Err(closed()),
        Err(e) => return Err(e.into()),
    };
    db::users::add_membership(&mut tx, inv.organization_id, user_id, role, now).await?;
    db::clients::set_user(&mut tx, inv.client_id, user_id).await?;
    db::clients::refresh_state(&mut tx, inv.client_id).await?;
    let event = db::audit::Event {
        organization_id: Some(inv.organization_id),
        user_id: Some(user_id),
        client_id: Some(inv.client_id),
        ..db::audit::Event::new(AuditKind::InvitationAccepted)
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    // Activating signs the person in: it counts as their first login, in the
    // same transaction (one commit per activation).
    db::users::record_login(&mut tx, user_id, inv.organization_id, now).await?;
    let landing = super::forms::landing(&mut tx, inv.client_id).await?;
    tx.commit().await?;
    tracing::info!(
        invitation_id = inv.id,
        user_id = %user_id,
        "invitation accepted (activated)"
    );
    Ok(Accepted {
        user_id,
        organization_id: inv.organization_id,
        landing,
    })
}

/// Links the signed-in identity to the organization of a join invitation.
pub async fn join(
    db: &Db,
    secret: &[u8],
    token: &str,
    user_id: UserId,
    user_email: &str,
    now: i64,
) -> Result<Accepted, AppError> {
    let token_hash = keyed_hash(secret, token);
    let inv = match resolve(db, &token_hash, now).await? {
        Link::Open(inv) => inv,
        Link::PortalClosed(inv) => return Err(portal_closed(inv)),
        _ => return Err(closed()),
    };
    if !inv.email.eq_ignore_ascii_case(user_email) {
        return Err(AppError::Conflict(Problem::InvitationOtherAddress));
    }
    let role = Role::parse(&inv.role).unwrap_or(Role::Client);
    let mut tx = db.begin().await?;
    // A join never lowers or shadows a role the person already holds here
    // (an owner invited as a client stays the owner, and no client row is
    // linked to them).
    if let Some(held) = db::users::membership_role(&mut *tx, inv.organization_id, user_id).await? {
        return Err(AppError::Conflict(Problem::AlreadyMemberOf {
            organization: inv.organization_name,
            role: held,
        }));
    }
    check_seat(&mut tx, &inv, role).await?;
    if !db::invitations::accept(&mut tx, inv.id, &token_hash, now).await? {
        return Err(closed());
    }
    db::users::add_membership(&mut tx, inv.organization_id, user_id, role, now).await?;
    db::clients::set_user(&mut tx, inv.client_id, user_id).await?;
    db::clients::refresh_state(&mut tx, inv.client_id).await?;
    let event = db::audit::Event {
        organization_id: Some(inv.organization_id),
        user_id: Some(user_id),
        client_id: Some(inv.client_id),
        ..db::audit::Event::new(AuditKind::InvitationAccepted)
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    let landing = super::forms::landing(&mut tx, inv.client_id).await?;
    tx.commit().await?;
    tracing::info!(
        invitation_id = inv.id,
        user_id = %user_id,
        "invitation accepted (joined)"
    );
    Ok(Accepted {
        user_id,
        organization_id: inv.organization_id,
        landing,
    })
}

/// How long an expired link's "email me a new link" waits between emails.
pub const RENEW_INTERVAL_MS: i64 = 15 * 60 * 1000;

/// "Email me a new link" on an expired invitation's page: gives the
/// invitation a fresh expiry and emails a new link to the invited address
/// (never to an address the visitor chooses). At most one email per
/// invitation every 15 minutes; for any other link it does nothing. The
/// caller answers the same words in every case.
pub async fn renew_expired(
    db: &Db,
    secret: &[u8],
    token: &str,
    now: i64,
) -> Result<bool, AppError> {
    let Link::Expired(inv) = resolve(db, &keyed_hash(secret, token), now).await? else {
        return Ok(false);
    };
    if db::invitations::last_queued_at(&db.pool, inv.id)
        .await?
        .is_some_and(|at| now - at < RENEW_INTERVAL_MS)
    {
        tracing::info!(
            invitation_id = inv.id,
            "new link refused: asked too recently"
        );
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    crate::server::domain::clients::invite_in(
        &mut tx,
        inv.organization_id,
        inv.client_id,
        &inv.email,
        None,
        crate::server::domain::clients::Expiry::Renew,
        now,
    )
    .await?;
    let event = db::audit::Event {
        organization_id: Some(inv.organization_id),
        client_id: Some(inv.client_id),
        ..db::audit::Event::new(AuditKind::NewLinkRequested)
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    tx.commit().await?;
    tracing::info!(
        invitation_id = inv.id,
        "new link sent for an expired invitation"
    );
    Ok(true)
}
