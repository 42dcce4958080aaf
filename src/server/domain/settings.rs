//! Organization settings.

use crate::model::{AppError, OrganizationSettings, Role, Validator};
use crate::server::auth::CurrentSession;
use crate::server::db::{self, Db};
use crate::server::now_ms;

pub async fn get(db: &Db, actor: &CurrentSession) -> Result<OrganizationSettings, AppError> {
    let s = db::orgs::settings(&db.pool, actor.organization_id).await?;
    Ok(OrganizationSettings {
        name: s.name,
        slug: s.slug,
        auto_invite: s.auto_invite != 0,
        invitation_lifetime_days: s.invitation_lifetime_days,
        accent_color: s.accent_color,
        can_edit: matches!(actor.role, Role::Owner | Role::Admin),
    })
}

fn lifetime(value: &str) -> Result<i64, &'static str> {
    match value.trim().parse::<i64>() {
        Ok(days @ 1..=365) => Ok(days),
        _ => Err("Enter a number of days from 1 to 365."),
    }
}

fn color(value: &str) -> Result<String, &'static str> {
    let v = value.trim().to_lowercase();
    let ok = v.len() == 7 && v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(v)
    } else {
        Err("Use a colour like #b44d12.")
    }
}

/// Saves the settings; owners and admins only. Recorded in the audit trail.
pub async fn save(
    db: &Db,
    actor: &CurrentSession,
    auto_invite: bool,
    invitation_lifetime_days: &str,
    accent_color: &str,
) -> Result<(), AppError> {
    if !matches!(actor.role, Role::Owner | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let mut v = Validator::default();
    let days = v.take(
        "invitation_lifetime_days",
        lifetime(invitation_lifetime_days),
    );
    let accent = v.take("accent_color", color(accent_color));
    let (Some(days), Some(accent)) = (days, accent) else {
        return Err(v.into_error());
    };
    let now = now_ms();
    let mut tx = db.begin().await?;
    db::orgs::save_settings(&mut tx, actor.organization_id, auto_invite, days, &accent).await?;
    let detail = format!(
        "auto_invite={auto_invite}, invitation_lifetime_days={days}, accent_color={accent}"
    );
    let event = db::audit::Event {
        organization_id: Some(actor.organization_id),
        actor_id: Some(actor.user_id),
        kind: "settings_changed",
        detail: Some(&detail),
        ..Default::default()
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(())
}
