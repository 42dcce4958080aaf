//! A client's own profile, while their permissions allow the Profile
//! section: their phone number and postal address, and their sign-in
//! address, which moves only once the new address confirms it (a link sent
//! there; the old address is told when it happens).

use crate::model::{
    AppError, AuditKind, ContactDetails, EmailChangePage, EmailKind, PortalSection, Problem,
    Validator,
};
use crate::server::auth::token::keyed_hash;
use crate::server::auth::{CurrentSession, password};
use crate::server::db::{self, Db, is_unique_violation};
use crate::server::domain::{permissions, rules};

/// How long a link to confirm a new address works once asked for: a day,
/// in milliseconds.
pub const EMAIL_CHANGE_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

/// `me`'s contact details in their current organization and the address
/// they asked to move to (at `now`, while it can be confirmed); None when
/// their permissions do not allow the Profile section.
pub async fn contact(
    db: &Db,
    me: &CurrentSession,
    now: i64,
) -> Result<Option<ContactDetails>, AppError> {
    if !permissions::of(db, me)
        .await?
        .allows(PortalSection::Profile)
    {
        return Ok(None);
    }
    let Some((phone, postal_address)) =
        db::clients::contact_of(&db.pool, me.organization_id, me.user_id).await?
    else {
        return Ok(None);
    };
    Ok(Some(ContactDetails {
        phone: phone.unwrap_or_default(),
        postal_address: postal_address.unwrap_or_default(),
        pending_email: db::email_changes::pending(&db.pool, me.user_id, now).await?,
    }))
}

/// Saves `me`'s phone number and postal address (each empty for none,
/// checked by [`rules::phone`] and [`rules::postal_address`]) on their
/// client row in their current organization, recorded in the audit trail
/// and their timeline.
///
/// Errors: forbidden unless the Profile section is allowed; field errors
/// on `phone` and `postal_address`, together, writing nothing.
pub async fn save_contact(
    db: &Db,
    me: &CurrentSession,
    phone: &str,
    postal_address: &str,
    now: i64,
) -> Result<(), AppError> {
    permissions::require(db, me, PortalSection::Profile).await?;
    let mut v = Validator::default();
    let phone = v.take("phone", rules::phone(phone));
    let address = v.take("postal_address", rules::postal_address(postal_address));
    let (Some(phone), Some(address)) = (phone, address) else {
        return Err(v.into_error());
    };
    let org = me.organization_id;
    let mut tx = db.begin().await?;
    let Some(client_id) = db::clients::set_contact(
        &mut tx,
        org,
        me.user_id,
        phone.as_deref(),
        address.as_deref(),
    )
    .await?
    else {
        return Err(AppError::NotFound);
    };
    let event = db::audit::Event {
        organization_id: Some(org),
        actor_id: Some(me.user_id),
        user_id: Some(me.user_id),
        client_id: Some(client_id),
        ..db::audit::Event::new(AuditKind::ProfileChanged)
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    tx.commit().await?;
    tracing::info!(client_id = %client_id, "contact details saved");
    Ok(())
}

/// Asks to sign in with `new_email` from now on: `me` gives their current
/// password, and a link to confirm goes to the new address (valid
/// [`EMAIL_CHANGE_LIFETIME_MS`]; an earlier request stops working). The
/// answer is the same whether another account has the address or not;
/// confirming then says it is taken.
///
/// Errors: forbidden unless the Profile section is allowed; a field error
/// on `email` (malformed, or the address they have) or on `password`
/// (not theirs).
pub async fn request_email_change(
    db: &Db,
    me: &CurrentSession,
    new_email: &str,
    current_password: String,
    now: i64,
) -> Result<(), AppError> {
    permissions::require(db, me, PortalSection::Profile).await?;
    let new_email = rules::email(new_email).map_err(|p| AppError::field("email", p))?;
    if new_email.to_lowercase() == me.user_email.to_lowercase() {
        return Err(AppError::field("email", Problem::EmailUnchanged));
    }
    let stored = db::users::by_email(&db.pool, &me.user_email)
        .await?
        .and_then(|u| u.password_hash);
    if !password::verify(current_password, stored).await? {
        return Err(AppError::field("password", Problem::PasswordWrong));
    }
    let org = me.organization_id;
    let mut tx = db.begin().await?;
    let id = db::email_changes::create(
        &mut tx,
        me.user_id,
        org,
        &me.user_email,
        &new_email,
        now,
        now + EMAIL_CHANGE_LIFETIME_MS,
    )
    .await?;
    let key = format!("email_change:{id}");
    let mail = db::outbox::NewEmail {
        organization_id: org,
        kind: EmailKind::EmailChangeConfirm,
        recipient: &new_email,
        idempotency_key: &key,
        about: db::outbox::About {
            email_change_id: Some(id),
            ..Default::default()
        },
    };
    db::outbox::enqueue(&mut tx, &mail, now).await?;
    super::audit::record_for_person(
        &mut tx,
        me.user_id,
        Some(me.user_id),
        AuditKind::EmailChangeRequested,
        Some(&new_email),
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %me.user_id, email_change_id = id, "new address asked for");
    Ok(())
}

fn link_closed() -> AppError {
    AppError::Conflict(Problem::EmailChangeLinkUnusable)
}

/// What a confirmation link's page shows; looking never uses it.
///
/// Errors: [`Problem::EmailChangeLinkUnusable`] for a link unknown, used,
/// superseded by a newer request, or expired at `now`.
pub async fn link_page(
    db: &Db,
    secret: &[u8],
    token: &str,
    now: i64,
) -> Result<EmailChangePage, AppError> {
    let change = db::email_changes::usable(&db.pool, &keyed_hash(secret, token), now)
        .await?
        .ok_or_else(link_closed)?;
    let org = db::orgs::settings(&db.pool, change.organization_id).await?;
    Ok(EmailChangePage {
        organization: org.name,
        new_email: change.new_email,
    })
}

/// Confirms a new address with its link: the person signs in with it from
/// now on, in every organization (their client rows follow), their
/// password reset links (sent to the old address) stop working, the old
/// address is told, and the change is recorded in each organization's
/// trail. One step: of two uses of the link, one wins.
///
/// Errors: [`Problem::EmailChangeLinkUnusable`] as for [`link_page`];
/// [`Problem::EmailTakenNow`] when another account has the address now
/// (nothing changes; the link still works once it is free).
pub async fn confirm(db: &Db, secret: &[u8], token: &str, now: i64) -> Result<(), AppError> {
    let hash = keyed_hash(secret, token);
    let mut tx = db.begin().await?;
    let Some(id) = db::email_changes::consume(&mut tx, &hash, now).await? else {
        return Err(link_closed());
    };
    let change = db::email_changes::by_id(&mut *tx, id)
        .await?
        .ok_or_else(link_closed)?;
    let taken = || AppError::Conflict(Problem::EmailTakenNow);
    match db::email_changes::move_identity(&mut tx, change.user_id, &change.new_email).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => return Err(taken()),
        Err(e) => return Err(e.into()),
    }
    for (org, client_id, first, last, account) in
        db::clients::named_rows_of_user(&mut tx, change.user_id).await?
    {
        let text = db::clients::search_text(&first, &last, Some(&change.new_email), &account);
        match db::clients::set_email(&mut tx, org, client_id, Some(&change.new_email), &text).await
        {
            Ok(()) => {}
            Err(e) if is_unique_violation(&e) => return Err(taken()),
            Err(e) => return Err(e.into()),
        }
    }
    db::resets::end_all(&mut tx, change.user_id, now).await?;
    let key = format!("email_changed:{id}");
    let notice = db::outbox::NewEmail {
        organization_id: change.organization_id,
        kind: EmailKind::EmailChanged,
        recipient: &change.old_email,
        idempotency_key: &key,
        about: db::outbox::About {
            email_change_id: Some(id),
            ..Default::default()
        },
    };
    db::outbox::enqueue(&mut tx, &notice, now).await?;
    super::audit::record_for_person(
        &mut tx,
        change.user_id,
        None,
        AuditKind::EmailChanged,
        Some(&change.new_email),
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %change.user_id, email_change_id = id, "sign-in address changed");
    Ok(())
}
