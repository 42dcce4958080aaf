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
        logo_url: s.logo_url,
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

/// An empty address (no logo) or an https URL of at most 500 characters.
fn logo_url(value: &str) -> Result<String, &'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    match url::Url::parse(v) {
        Ok(u) if u.scheme() == "https" && u.host_str().is_some() && v.len() <= 500 => {
            Ok(u.to_string())
        }
        _ => Err("Use an https:// address of an image, or leave this empty."),
    }
}

/// The settings form as submitted.
pub struct SettingsForm {
    pub auto_invite: bool,
    pub invitation_lifetime_days: String,
    pub accent_color: String,
    pub logo_url: String,
}

/// Saves the settings; owners and admins only. Recorded in the audit trail.
pub async fn save(db: &Db, actor: &CurrentSession, form: SettingsForm) -> Result<(), AppError> {
    if !matches!(actor.role, Role::Owner | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let mut v = Validator::default();
    let days = v.take(
        "invitation_lifetime_days",
        lifetime(&form.invitation_lifetime_days),
    );
    let accent = v.take("accent_color", color(&form.accent_color));
    let logo = v.take("logo_url", logo_url(&form.logo_url));
    let (Some(days), Some(accent), Some(logo)) = (days, accent, logo) else {
        return Err(v.into_error());
    };
    let settings = db::orgs::NewSettings {
        auto_invite: form.auto_invite,
        invitation_lifetime_days: days,
        accent_color: accent,
        logo_url: logo,
    };
    let now = now_ms();
    let mut tx = db.begin().await?;
    db::orgs::save_settings(&mut tx, actor.organization_id, &settings).await?;
    let detail = format!(
        "auto_invite={}, invitation_lifetime_days={}, accent_color={}, logo_url={}",
        settings.auto_invite,
        settings.invitation_lifetime_days,
        settings.accent_color,
        settings.logo_url
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
