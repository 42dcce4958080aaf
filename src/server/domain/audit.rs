//! The audit trail of security events that organization admins read.

use crate::i18n::{Locale, td_string};
use crate::model::{AppError, AuditFilter, AuditKind, AuditLine, Problem, Role};
use crate::server::auth::CurrentSession;
use crate::server::db::{self, Db};

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
                    (_, detail) => detail.unwrap_or_default(),
                },
            })
            .collect(),
    )
}
