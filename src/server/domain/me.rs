//! What signed-in people see of themselves: the staff shell, a client's
//! dashboard, and (owners on a server without SMTP) the development mailbox.

use crate::model::{
    AppError, Dashboard, Language, MailboxMessage, OrganizationChoice, Problem, Role, ShellInfo,
};
use crate::model::{ClientId, OrganizationId, UserId};
use crate::server::auth::CurrentSession;
use crate::server::db::{self, Db};

/// Messages the development mailbox shows, newest first.
const MAILBOX_SIZE: i64 = 100;

/// The staff shell's view of `me`: who they are, the organization they work
/// in, the ones they can switch to (staff memberships only). `dev_mailbox`:
/// the server keeps email in the development mailbox.
///
/// Errors: internal when the session's organization is not among them.
pub async fn shell(db: &Db, me: CurrentSession, dev_mailbox: bool) -> Result<ShellInfo, AppError> {
    let orgs = db::orgs::organizations_of(&db.pool, me.user_id, true).await?;
    let org = orgs
        .iter()
        .find(|o| o.id == me.organization_id)
        .cloned()
        .ok_or_else(|| AppError::internal("session points at an organization outside the list"))?;
    let settings = db::orgs::settings(&db.pool, me.organization_id).await?;
    Ok(ShellInfo {
        portal_enabled: settings.portal_enabled != 0,
        user_name: me.user_name,
        user_email: me.user_email,
        organization_id: org.id.0,
        organization_name: org.name,
        organization_slug: org.slug,
        role: me.role,
        language: me.language,
        sees_mailbox: sees_mailbox(dev_mailbox, me.role),
        organizations: orgs.into_iter().map(choice).collect(),
    })
}

/// A client's own page at `now`: their profile (contact details while the
/// Profile section is allowed), their account, and every organization they
/// belong to.
pub async fn dashboard(db: &Db, me: CurrentSession, now: i64) -> Result<Dashboard, AppError> {
    let account = super::client_accounts::of_person(db, &me).await?;
    let contact = super::profile::contact(db, &me, now).await?;
    let sections = if account.is_some() {
        super::permissions::of(db, &me).await?.allowed()
    } else {
        Vec::new()
    };
    let orgs = db::orgs::organizations_of(&db.pool, me.user_id, false).await?;
    let current = orgs
        .iter()
        .find(|o| o.id == me.organization_id)
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let brand = db::orgs::settings(&db.pool, me.organization_id).await?;
    Ok(Dashboard {
        name: me.user_name,
        email: me.user_email,
        organizations: orgs.into_iter().map(choice).collect(),
        current_organization: current,
        current_organization_id: me.organization_id.0,
        accent_color: brand.accent_color,
        logo_url: brand.logo_url,
        language: me.language,
        account,
        sections,
        contact,
    })
}

/// Where `me` lands in `organization_id`, one of the organizations they
/// may use now (a client's while its portal is on): `/` for staff, their
/// dashboard for a client.
///
/// Errors: not found for an organization they do not belong to (or may not
/// use now).
pub async fn switch_to(
    db: &Db,
    me: &CurrentSession,
    organization_id: OrganizationId,
) -> Result<&'static str, AppError> {
    let usable = db::orgs::organizations_of(&db.pool, me.user_id, false).await?;
    if !usable.iter().any(|o| o.id == organization_id) {
        return Err(AppError::NotFound);
    }
    let role = db::users::membership_role(&db.pool, organization_id, me.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(if role.is_staff() { "/" } else { "/dashboard" })
}

/// The client ids of everyone in `me`'s account in their current
/// organization (`me` included): the changes a client's open pages hear
/// about. Empty for someone in no account there.
pub async fn account_member_ids(db: &Db, me: &CurrentSession) -> Result<Vec<i64>, AppError> {
    let Some((account, ..)) =
        db::client_accounts::of_user(&db.pool, me.organization_id, me.user_id).await?
    else {
        return Ok(Vec::new());
    };
    Ok(
        super::client_accounts::member_ids(db, me.organization_id, account)
            .await?
            .into_iter()
            .map(|id| id.0)
            .collect(),
    )
}

/// Keeps `language` as `me`'s own choice: every page and email to them is
/// in it from now on, whichever organization they are in.
pub async fn choose_language(db: &Db, me: &CurrentSession, language: &str) -> Result<(), AppError> {
    let language = Language::parse(language.trim())
        .ok_or_else(|| AppError::field("language", Problem::LanguageFromList))?;
    db::users::set_language(db, me.user_id, language).await?;
    tracing::info!(user_id = %me.user_id, language = %language, "language chosen");
    Ok(())
}

/// The development mailbox of `me`'s organization at `now` (ms): every
/// email the server "sent" while no SMTP_URL was set.
///
/// Errors: not found when the server sends real email (`dev_mailbox`
/// false); forbidden to anyone but an owner, since the messages hold working
/// links (a password reset for anyone) that staff and admins could use to
/// take over another account.
pub async fn mailbox(
    db: &Db,
    me: &CurrentSession,
    dev_mailbox: bool,
    now: i64,
) -> Result<Vec<MailboxMessage>, AppError> {
    if !dev_mailbox {
        return Err(AppError::NotFound);
    }
    if !sees_mailbox(dev_mailbox, me.role) {
        return Err(AppError::Forbidden);
    }
    let messages = db::outbox::mailbox(&db.pool, me.organization_id, MAILBOX_SIZE).await?;
    let local = me.local();
    Ok(messages
        .into_iter()
        .map(|m| MailboxMessage {
            id: m.id,
            to: m.recipient,
            subject: m.subject,
            text: m.text_body,
            html: m.html_body,
            received: local.ago(m.created_at, now),
        })
        .collect())
}

/// Every client row of a person, as (organization, client) pairs: where
/// their sign-in or activation shows.
pub async fn client_rows(
    db: &Db,
    user_id: UserId,
) -> Result<Vec<(OrganizationId, ClientId)>, AppError> {
    Ok(db::clients::of_user(&db.pool, user_id).await?)
}

/// Only an owner opens the development mailbox, and only where there is one.
fn sees_mailbox(dev_mailbox: bool, role: Role) -> bool {
    dev_mailbox && role == Role::Owner
}

fn choice(o: db::orgs::Organization) -> OrganizationChoice {
    OrganizationChoice {
        id: o.id.0,
        name: o.name,
    }
}
