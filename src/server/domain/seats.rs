//! Collaborator seats: an organization may limit how many collaborators it
//! has. A seat is held by an active collaborator, a collaborator invited who
//! has not accepted yet, and an undecided collaborator application. Every way
//! a collaborator is admitted (sign-up, confirming it, approval, staff
//! inviting one, accepting an invitation) asks [`claim`] inside the
//! transaction that admits them, so two admissions at once cannot both take
//! the last seat.

use crate::model::OrganizationId;
use crate::server::db::{self, Tx};

/// Whether the person being admitted already holds a seat (an application
/// being confirmed or approved, an invitation being accepted or resent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// A new seat is taken.
    New,
    /// The seat they hold is kept: refused only when the limit was lowered
    /// below what is held.
    Held,
}

/// True when the seat may be taken (or kept). Locks the organization's seats
/// for the rest of `tx`.
pub async fn claim(
    tx: &mut Tx,
    organization_id: OrganizationId,
    claim: Claim,
) -> Result<bool, sqlx::Error> {
    let Some(limit) = db::orgs::lock_seats(tx, organization_id).await? else {
        return Ok(true);
    };
    let used = db::signups::collaborator_seats_used(&mut **tx, organization_id).await?;
    Ok(match claim {
        Claim::New => used < limit,
        Claim::Held => used <= limit,
    })
}
