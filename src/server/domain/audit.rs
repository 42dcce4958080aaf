//! The audit trail of security events that organization admins read.

use crate::i18n::{Locale, td_string};
use crate::model::UserId;
use crate::model::{AppError, AuditFilter, AuditKind, AuditLine, Problem, Role};
use crate::server::auth::CurrentSession;
use crate::server::db::{self, Db, Tx};

/// What the trail says of an event, in `locale`.
pub fn event_name(kind: AuditKind, locale: Locale) -> &'static str {
    match kind {
        AuditKind::Login => td_string!(locale, audit_events.login),
        AuditKind::LoginFailed => td_string!(locale, audit_events.login_failed),
        AuditKind::PasswordResetRequested => {
            td_string!(locale, audit_events.password_reset_requested)
        }
        AuditKind::PasswordChanged => td_string!(locale, audit_events.password_changed),
        AuditKind::InvitationAccepted => td_string!(locale, audit_events.invitation_accepted),
        AuditKind::SignupApproved => td_string!(locale, audit_events.signup_approved),
        AuditKind::SignupRejected => td_string!(locale, audit_events.signup_rejected),
        AuditKind::AccessDisabled => td_string!(locale, audit_events.access_disabled),
        AuditKind::AccessEnabled => td_string!(locale, audit_events.access_enabled),
        AuditKind::SettingsChanged => td_string!(locale, audit_events.settings_changed),
        AuditKind::EmailChanged => td_string!(locale, audit_events.email_changed),
        AuditKind::NewLinkRequested => td_string!(locale, audit_events.new_link_requested),
        AuditKind::ClientsExported => td_string!(locale, audit_events.clients_exported),
        AuditKind::EmailChangeRequested => {
            td_string!(locale, audit_events.email_change_requested)
        }
        AuditKind::ProfileChanged => td_string!(locale, audit_events.profile_changed),
        AuditKind::PermissionsChanged => td_string!(locale, audit_events.permissions_changed),
        AuditKind::DocumentUploaded => td_string!(locale, audit_events.document_uploaded),
        AuditKind::DocumentDownloaded => td_string!(locale, audit_events.document_downloaded),
        AuditKind::DocumentDeleted => td_string!(locale, audit_events.document_deleted),
    }
}

/// The newest 200 events of one filter (or all); owners and admins only.
pub async fn trail(
    db: &Db,
    actor: &CurrentSession,
    filter: &str,
) -> Result<Vec<AuditLine>, AppError> {
    if !matches!(actor.role, Role::Owner | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let kinds = match AuditFilter::parse(filter) {
        Some(f) => f.kinds(),
        None if filter.is_empty() => &[],
        None => return Err(AppError::field("filter", Problem::FilterChoose)),
    };
    let local = actor.local();
    let locale = local.language.locale();
    Ok(
        db::audit::trail(&db.pool, actor.organization_id, kinds, 200)
            .await?
            .into_iter()
            .map(|l| AuditLine {
                when: local.date_time(l.created_at),
                event: match AuditKind::parse(&l.kind) {
                    Some(kind) => event_name(kind, locale),
                    None => td_string!(locale, audit_events.other),
                }
                .to_owned(),
                by: l.actor.unwrap_or_default(),
                about: l.subject.unwrap_or_default(),
                detail: match (AuditKind::parse(&l.kind), l.detail) {
                    (Some(AuditKind::SettingsChanged), Some(d)) => {
                        super::settings::SettingsRecord::text(&d, locale).unwrap_or(d)
                    }
                    (Some(AuditKind::PermissionsChanged), Some(d)) => {
                        super::permissions::PermissionsRecord::text(&d, locale).unwrap_or(d)
                    }
                    (_, detail) => detail.unwrap_or_default(),
                },
            })
            .collect(),
    )
}

/// Records an event about the person `user_id` (their password, their
/// sign-in address) in every organization they belong to, on their client
/// row there so that it also shows in their timeline; inside `tx`.
pub(super) async fn record_for_person(
    tx: &mut Tx,
    user_id: UserId,
    actor: Option<UserId>,
    kind: AuditKind,
    detail: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let rows = db::users::organizations_with_client(&mut **tx, user_id).await?;
    for (organization_id, client_id) in rows {
        let event = db::audit::Event {
            organization_id: Some(organization_id),
            actor_id: actor,
            user_id: Some(user_id),
            client_id,
            detail,
            ..db::audit::Event::new(kind)
        };
        db::audit::record_in(tx, &event, now).await?;
    }
    Ok(())
}
