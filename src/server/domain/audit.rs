//! The audit trail of security events that organization admins read.

use crate::model::{AppError, AuditLine, Role};
use crate::server::auth::CurrentSession;
use crate::server::dates::format_datetime;
use crate::server::db::{self, Db};

/// The trail's filters: a name, its label, and the event kinds it shows.
pub const FILTERS: &[(&str, &[&str])] = &[
    ("sign-ins", &["login"]),
    ("failed-sign-ins", &["login_failed"]),
    (
        "passwords",
        &["password_reset_requested", "password_changed"],
    ),
    (
        "invitations",
        &["invitation_accepted", "signup_approved", "signup_rejected"],
    ),
    ("access", &["access_disabled", "access_enabled"]),
    ("settings", &["settings_changed"]),
];

fn describe(kind: &str) -> &'static str {
    match kind {
        "login" => "Signed in",
        "login_failed" => "Sign-in failed",
        "password_reset_requested" => "Password reset requested",
        "password_changed" => "Password changed with a reset link",
        "invitation_accepted" => "Invitation accepted",
        "signup_approved" => "Sign-up approved",
        "signup_rejected" => "Sign-up rejected",
        "access_disabled" => "Access disabled",
        "access_enabled" => "Access enabled",
        "settings_changed" => "Settings changed",
        "email_changed" => "Email changed",
        "new_link_requested" => "New invitation link asked for",
        _ => "Other",
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
    let kinds: &[&str] = match FILTERS.iter().find(|(name, _)| *name == filter) {
        Some((_, kinds)) => kinds,
        None if filter.is_empty() => &[],
        None => return Err(AppError::field("filter", "Choose a kind of event.")),
    };
    Ok(
        db::audit::trail(&db.pool, actor.organization_id, kinds, 200)
            .await?
            .into_iter()
            .map(|l| AuditLine {
                when: format_datetime(l.created_at),
                event: describe(&l.kind).to_owned(),
                by: l.actor.unwrap_or_default(),
                about: l.subject.unwrap_or_default(),
                detail: l.detail.unwrap_or_default(),
            })
            .collect(),
    )
}
