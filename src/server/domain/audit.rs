//! The audit trail of security events that organization admins read.

use crate::model::{AppError, AuditFilter, AuditKind, AuditLine, Role};
use crate::server::auth::CurrentSession;
use crate::server::dates::format_datetime;
use crate::server::db::{self, Db};

/// What the trail says of an event.
fn describe(kind: Option<AuditKind>) -> &'static str {
    match kind {
        Some(AuditKind::Login) => "Signed in",
        Some(AuditKind::LoginFailed) => "Sign-in failed",
        Some(AuditKind::PasswordResetRequested) => "Password reset requested",
        Some(AuditKind::PasswordChanged) => "Password changed with a reset link",
        Some(AuditKind::InvitationAccepted) => "Invitation accepted",
        Some(AuditKind::SignupApproved) => "Sign-up approved",
        Some(AuditKind::SignupRejected) => "Sign-up rejected",
        Some(AuditKind::AccessDisabled) => "Access disabled",
        Some(AuditKind::AccessEnabled) => "Access enabled",
        Some(AuditKind::SettingsChanged) => "Settings changed",
        Some(AuditKind::EmailChanged) => "Email changed",
        Some(AuditKind::NewLinkRequested) => "New invitation link asked for",
        None => "Other",
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
        None => return Err(AppError::field("filter", "Choose a kind of event.")),
    };
    Ok(
        db::audit::trail(&db.pool, actor.organization_id, kinds, 200)
            .await?
            .into_iter()
            .map(|l| AuditLine {
                when: format_datetime(l.created_at),
                event: describe(AuditKind::parse(&l.kind)).to_owned(),
                by: l.actor.unwrap_or_default(),
                about: l.subject.unwrap_or_default(),
                detail: l.detail.unwrap_or_default(),
            })
            .collect(),
    )
}
