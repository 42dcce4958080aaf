//! Forgotten passwords: a reset link by email (the shortest reset lifetime of
//! the person's organizations, once, only the newest), or a fresh invitation
//! for someone invited who never activated.

use crate::model::UserId;
use crate::model::{AppError, AuditKind, EmailKind, Problem};
use crate::server::auth::token::keyed_hash;
use crate::server::auth::{CurrentSession, password};
use crate::server::db::{self, Db};
use crate::server::domain::accounts::SignedIn;
use crate::server::domain::clients::Expiry;
use crate::server::domain::rules;

const HOUR_MS: i64 = 60 * 60 * 1000;

/// Handles "Forgot your password?". Returns whether an email was queued
/// (the caller answers the same either way:
/// `forgot.sent` in the catalog).
pub async fn request(db: &Db, email: &str, now: i64) -> Result<bool, AppError> {
    let email = rules::email(email).map_err(|p| AppError::field("email", p))?;
    if let Some(user) = db::users::by_email(&db.pool, &email).await?
        && user.password_hash.is_some()
    {
        return reset_for(db, user.id, None, now).await;
    }
    // Invited but never activated: a new link to their invitation is what
    // they need. A link never revives an expired invitation behind the
    // organization's back: only an organization that invites by itself
    // renews one, and the renewal shows in the client's timeline.
    let invited: Vec<_> = db::clients::invited_with_email(&db.pool, &email)
        .await?
        .into_iter()
        .filter(|c| c.auto_invite || c.invitation_expires_at.is_some_and(|at| at > now))
        .collect();
    if invited.is_empty() {
        tracing::info!("password reset asked for an address without an account");
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    for c in &invited {
        let expired = c.invitation_expires_at.is_none_or(|at| at <= now);
        let expiry = if expired { Expiry::Renew } else { Expiry::Keep };
        super::clients::invite_in(
            &mut tx,
            c.organization_id,
            c.id,
            &c.email,
            None,
            expiry,
            now,
        )
        .await?;
        if expired {
            let event = db::audit::Event {
                organization_id: Some(c.organization_id),
                client_id: Some(c.id),
                ..db::audit::Event::new(AuditKind::NewLinkRequested)
            };
            db::audit::record_in(&mut tx, &event, now).await?;
        }
    }
    tx.commit().await?;
    tracing::info!(
        clients = invited.len(),
        "password reset answered with a new invitation link"
    );
    Ok(true)
}

/// "Send a password reset" on a client's page, for `client`, a person the
/// actor may send one to (from `clients::target` with `Action::SendReset`).
pub async fn request_for_client(
    db: &Db,
    actor: &CurrentSession,
    client: db::clients::ClientListRow,
    now: i64,
) -> Result<(), AppError> {
    let Some(user_id) = client.user_id else {
        return Err(AppError::Conflict(Problem::NotActivated));
    };
    if client.disabled_at.is_some() {
        return Err(AppError::Conflict(Problem::ClientAccessDisabled));
    }
    reset_for(db, user_id, Some(actor.user_id), now).await?;
    Ok(())
}

async fn reset_for(
    db: &Db,
    user_id: UserId,
    actor: Option<UserId>,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = db.begin().await?;
    let Some((organization_id, client_id)) = db::users::home(&mut tx, user_id).await? else {
        tracing::info!(user_id = %user_id, "password reset not sent: no active membership");
        return Ok(false);
    };
    let hours = db::resets::lifetime_hours(&mut *tx, user_id).await?;
    let reset_id = db::resets::create(&mut tx, user_id, actor, now, now + hours * HOUR_MS).await?;
    let email = db::users::email_of(&mut tx, user_id).await?;
    let key = format!("password_reset:{reset_id}");
    let mail = db::outbox::NewEmail {
        organization_id,
        kind: EmailKind::PasswordReset,
        recipient: &email,
        idempotency_key: &key,
        about: db::outbox::About {
            client_id,
            reset_id: Some(reset_id),
            ..Default::default()
        },
    };
    db::outbox::enqueue(&mut tx, &mail, now).await?;
    super::audit::record_for_person(
        &mut tx,
        user_id,
        actor,
        AuditKind::PasswordResetRequested,
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %user_id, reset_id = reset_id, "password reset sent");
    Ok(true)
}

fn link_closed() -> AppError {
    AppError::Conflict(Problem::ResetLinkUnusable)
}

/// Whether a reset link can still be used; looking never uses it.
pub async fn link_usable(db: &Db, secret: &[u8], token: &str, now: i64) -> Result<bool, AppError> {
    Ok(
        db::resets::usable(&db.pool, &keyed_hash(secret, token), now)
            .await?
            .is_some(),
    )
}

/// Sets the new password from a reset link: the link is used up, every
/// session of the person ends, and a "your password was changed" email goes
/// out. Returns who to sign in, and where (their first active organization).
pub async fn complete(
    db: &Db,
    secret: &[u8],
    token: &str,
    new_password: String,
    now: i64,
) -> Result<SignedIn, AppError> {
    let hash_of_token = keyed_hash(secret, token);
    let Some((user_id, email)) = db::resets::usable(&db.pool, &hash_of_token, now).await? else {
        return Err(link_closed());
    };
    let new_password =
        rules::password(&new_password, &email).map_err(|p| AppError::field("password", p))?;
    let hash = password::hash(new_password.into_string()).await?;
    let mut tx = db.begin().await?;
    if db::resets::consume(&mut tx, &hash_of_token, now).await? != Some(user_id) {
        return Err(link_closed());
    }
    db::users::set_password(&mut tx, user_id, &hash).await?;
    db::sessions::end_all(&mut tx, user_id).await?;
    let Some((organization_id, client_id)) = db::users::home(&mut tx, user_id).await? else {
        // Reached only if the portal closed (or access was turned off) since
        // the link was sent: the password is not changed.
        let closed = db::users::closed_portals(&mut *tx, user_id).await?;
        tx.rollback().await?;
        return Err(AppError::Conflict(match closed.into_iter().next() {
            Some(organization) => Problem::PortalClosed { organization },
            None => Problem::AccessDisabledEverywhere,
        }));
    };
    let role = db::users::membership_role(&mut *tx, organization_id, user_id)
        .await?
        .ok_or_else(|| AppError::internal("a membership without a known role"))?;
    let key = format!("password_changed:{user_id}:{now}");
    let mail = db::outbox::NewEmail {
        organization_id,
        kind: EmailKind::PasswordChanged,
        recipient: &email,
        idempotency_key: &key,
        about: db::outbox::About {
            client_id,
            ..Default::default()
        },
    };
    db::outbox::enqueue(&mut tx, &mail, now).await?;
    super::audit::record_for_person(
        &mut tx,
        user_id,
        None,
        AuditKind::PasswordChanged,
        None,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %user_id, "password reset completed");
    Ok(SignedIn {
        user_id,
        organization_id,
        role,
    })
}
