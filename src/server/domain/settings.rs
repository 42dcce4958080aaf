//! Organization settings.

use crate::model::{
    AppError, ApproverChoice, AuditKind, Language, OrganizationSettings, Permissions,
    PortalSection, Problem, Role, SettingsSection, Validator,
};
use crate::server::auth::CurrentSession;
use crate::server::dates;
use crate::server::db::{self, Db};
use crate::server::domain::rules;

/// The organization's settings as the settings pages show them, with the
/// owners and admins who may approve applications; `can_edit` for owners
/// and admins.
pub async fn get(db: &Db, actor: &CurrentSession) -> Result<OrganizationSettings, AppError> {
    let s = db::orgs::settings(&db.pool, actor.organization_id).await?;
    let permissions = s.permissions();
    let chosen: Vec<i64> = db::signups::approvers(&db.pool, actor.organization_id)
        .await?
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    let approvers = db::signups::possible_approvers(&db.pool, actor.organization_id)
        .await?
        .into_iter()
        .map(|(id, name)| ApproverChoice {
            id,
            name,
            chosen: chosen.contains(&id),
        })
        .collect();
    Ok(OrganizationSettings {
        signup_mode: s.signup_mode,
        signup_approval: s.signup_approval,
        collaborator_seats: s.collaborator_seats,
        reset_lifetime_hours: s.reset_lifetime_hours,
        default_language: Language::parse(&s.default_language).unwrap_or(Language::English),
        time_zone: s.time_zone,
        approvers,
        name: s.name,
        slug: s.slug,
        auto_invite: s.auto_invite != 0,
        invitation_lifetime_days: s.invitation_lifetime_days,
        accent_color: s.accent_color,
        logo_url: s.logo_url,
        can_edit: matches!(actor.role, Role::Owner | Role::Admin),
        portal_enabled: s.portal_enabled != 0,
        permissions,
    })
}

fn lifetime(value: &str) -> Result<i64, Problem> {
    match value.trim().parse::<i64>() {
        Ok(days @ 1..=365) => Ok(days),
        _ => Err(Problem::DaysRange),
    }
}

fn color(value: &str) -> Result<String, Problem> {
    let v = value.trim().to_lowercase();
    let ok = v.len() == 7 && v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(v)
    } else {
        Err(Problem::ColourFormat)
    }
}

/// An empty address (no logo) or an https URL ([`rules::https_address`]).
fn logo_url(value: &str) -> Result<String, Problem> {
    match rules::https_address(value) {
        Ok(address) => Ok(address.map(String::from).unwrap_or_default()),
        Err(_) => Err(Problem::LogoAddress),
    }
}

/// A settings section's form as submitted. Only the fields of `section` are
/// read; a missing field reads as an empty one (an unticked checkbox, no
/// seat limit) and fails its rule when it is required.
pub struct SettingsForm {
    pub section: SettingsSection,
    pub portal_enabled: bool,
    /// What clients may use by default (the Permissions section's switches).
    pub permissions: Permissions,
    /// The portal's address, `/o/<slug>` ([`rules::slug`]).
    pub slug: String,
    pub auto_invite: bool,
    pub invitation_lifetime_days: String,
    pub accent_color: String,
    pub logo_url: String,
    /// off | clients | collaborators | both (empty: off).
    pub signup_mode: String,
    /// automatic | approver (empty: automatic).
    pub signup_approval: String,
    /// Comma-separated user ids.
    pub approvers: String,
    /// Empty for no limit.
    pub collaborator_seats: String,
    /// 1–24; empty for the default, 6.
    pub reset_lifetime_hours: String,
    /// "en" or "fr".
    pub default_language: String,
    /// An IANA name such as America/Toronto.
    pub time_zone: String,
}

fn reset_hours(value: &str) -> Result<i64, Problem> {
    match value.trim() {
        "" => Ok(6),
        v => match v.parse::<i64>() {
            Ok(h @ 1..=24) => Ok(h),
            _ => Err(Problem::HoursRange),
        },
    }
}

fn default_language(value: &str) -> Result<Language, Problem> {
    Language::parse(value.trim()).ok_or(Problem::LanguageChoose)
}

fn time_zone(value: &str) -> Result<String, Problem> {
    dates::time_zone(value).ok_or(Problem::TimeZoneName)
}

fn signup_mode(value: &str) -> Result<String, Problem> {
    match value {
        "" | "off" => Ok("off".into()),
        "clients" | "collaborators" | "both" => Ok(value.into()),
        _ => Err(Problem::SignupModeChoose),
    }
}

fn seats(value: &str) -> Result<Option<i64>, Problem> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<i64>() {
        Ok(n @ 0..=100_000) => Ok(Some(n)),
        _ => Err(Problem::SeatsRange),
    }
}

/// A day, in milliseconds.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Saves one section of the settings (`form.section`); owners and admins
/// only. Switching the portal off ends its clients' and collaborators'
/// sessions; switching it on gives the invitations whose email waited a
/// full lifetime from now. The other sections keep their values. Invalid fields are refused
/// together, at their fields, and nothing is written. Recorded in the audit
/// trail with the settings as saved.
pub async fn save(
    db: &Db,
    actor: &CurrentSession,
    form: SettingsForm,
    now: i64,
) -> Result<(), AppError> {
    if !matches!(actor.role, Role::Owner | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let org = actor.organization_id;
    // Read the section's choices first (outside the transaction: the pool
    // is not used while it is open), then the settings under lock.
    let possible: Vec<i64> = if form.section == SettingsSection::Signup {
        db::signups::possible_approvers(&db.pool, org)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    } else {
        Vec::new()
    };
    let mut tx = db.begin().await?;
    let current = db::orgs::settings_for_update(&mut tx, db.backend, org).await?;
    let mut approvers: Vec<i64> = db::signups::approvers(&mut *tx, org)
        .await?
        .into_iter()
        .map(|(id, ..)| id)
        .collect();
    let permissions = current.permissions();
    let mut settings = db::orgs::NewSettings {
        auto_invite: current.auto_invite != 0,
        invitation_lifetime_days: current.invitation_lifetime_days,
        accent_color: current.accent_color,
        logo_url: current.logo_url,
        signup_mode: current.signup_mode,
        signup_approval: current.signup_approval,
        collaborator_seats: current.collaborator_seats,
        reset_lifetime_hours: current.reset_lifetime_hours,
        default_language: Language::parse(&current.default_language).unwrap_or(Language::English),
        time_zone: current.time_zone,
        portal_enabled: current.portal_enabled != 0,
        permissions,
    };
    let mut slug = current.slug;
    let mut new_slug = None;
    let mut v = Validator::default();
    match form.section {
        SettingsSection::Portal => {
            settings.portal_enabled = form.portal_enabled;
            // Only a new address is checked: one taken before a rule
            // existed (a word since reserved) may stay.
            if form.slug.trim() != slug {
                new_slug = v.take("slug", rules::slug(&form.slug));
            }
        }
        SettingsSection::Permissions => {
            settings.permissions = form.permissions;
        }
        SettingsSection::Invitations => {
            let days = v.take(
                "invitation_lifetime_days",
                lifetime(&form.invitation_lifetime_days),
            );
            settings.auto_invite = form.auto_invite;
            if let Some(days) = days {
                settings.invitation_lifetime_days = days;
            }
        }
        SettingsSection::Branding => {
            let accent = v.take("accent_color", color(&form.accent_color));
            let logo = v.take("logo_url", logo_url(&form.logo_url));
            if let (Some(accent), Some(logo)) = (accent, logo) {
                settings.accent_color = accent;
                settings.logo_url = logo;
            }
        }
        SettingsSection::Passwords => {
            if let Some(hours) = v.take(
                "reset_lifetime_hours",
                reset_hours(&form.reset_lifetime_hours),
            ) {
                settings.reset_lifetime_hours = hours;
            }
        }
        SettingsSection::Language => {
            let language = v.take("default_language", default_language(&form.default_language));
            let zone = v.take("time_zone", time_zone(&form.time_zone));
            if let (Some(language), Some(zone)) = (language, zone) {
                settings.default_language = language;
                settings.time_zone = zone;
            }
        }
        // Plans are added and removed one by one (`client_accounts`), forms
        // saved one by one (`forms`).
        SettingsSection::Plans | SettingsSection::Forms => {
            return Err(AppError::field("section", Problem::SettingsSectionChoose));
        }
        SettingsSection::Signup => {
            let mode = v.take("signup_mode", signup_mode(&form.signup_mode));
            let seats = v.take("collaborator_seats", seats(&form.collaborator_seats));
            let chosen: Vec<i64> = v
                .take(
                    "approvers",
                    rules::id_list(&form.approvers, possible.len())
                        .map_err(|_| Problem::ApproversFromList),
                )
                .unwrap_or_default()
                .into_iter()
                .filter(|id| possible.contains(id))
                .collect();
            let approval = v.take(
                "signup_approval",
                match form.signup_approval.as_str() {
                    "" | "automatic" => Ok("automatic".to_owned()),
                    "approver" if chosen.is_empty() => Err(Problem::ApproversChoose),
                    "approver" => Ok("approver".to_owned()),
                    _ => Err(Problem::ApprovalChoose),
                },
            );
            if let (Some(mode), Some(seats), Some(approval)) = (mode, seats, approval) {
                settings.signup_mode = mode;
                settings.collaborator_seats = seats;
                settings.signup_approval = approval;
                approvers = chosen;
            }
        }
    }
    if !v.is_empty() {
        tx.rollback().await?;
        return Err(v.into_error());
    }
    if let Some(new_slug) = new_slug {
        // Claimed in this transaction: of two organizations taking the same
        // address at once, one gets it.
        if !db::orgs::claim_slug(&mut tx, org, &new_slug, now).await? {
            tx.rollback().await?;
            return Err(AppError::field("slug", Problem::SlugTaken));
        }
        db::orgs::change_slug(&mut tx, org, &new_slug, now).await?;
        slug = new_slug;
    }
    match (current.portal_enabled != 0, settings.portal_enabled) {
        (true, false) => {
            db::sessions::end_portal_users(&mut tx, org).await?;
        }
        (false, true) => {
            let lifetime = settings.invitation_lifetime_days * DAY_MS;
            db::invitations::renew_held(&mut tx, org, now, lifetime).await?;
        }
        _ => {}
    }
    db::orgs::save_settings(&mut tx, org, &settings).await?;
    if form.section == SettingsSection::Signup {
        db::signups::set_approvers(&mut tx, org, &approvers).await?;
    }
    let detail = SettingsRecord {
        auto_invite: settings.auto_invite,
        invitation_lifetime_days: settings.invitation_lifetime_days,
        accent_color: settings.accent_color.clone(),
        logo_url: settings.logo_url.clone(),
        signup: settings.signup_mode.clone(),
        approval: settings.signup_approval.clone(),
        approvers: approvers.clone(),
        collaborator_seats: settings.collaborator_seats,
        reset_lifetime_hours: settings.reset_lifetime_hours,
        language: settings.default_language,
        time_zone: settings.time_zone.clone(),
        portal_enabled: settings.portal_enabled,
        slug,
        permissions: settings.permissions.switched_on(),
    }
    .to_stored();
    let event = db::audit::Event {
        organization_id: Some(org),
        actor_id: Some(actor.user_id),
        detail: Some(&detail),
        ..db::audit::Event::new(AuditKind::SettingsChanged)
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The settings as saved, recorded with the audit event of the change
/// (`audit_events.detail`, as JSON) and worded for the audit trail in the
/// reader's language ([`SettingsRecord::text`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SettingsRecord {
    pub auto_invite: bool,
    /// Days.
    pub invitation_lifetime_days: i64,
    pub accent_color: String,
    /// Empty for none.
    pub logo_url: String,
    /// off | clients | collaborators | both
    pub signup: String,
    /// automatic | approver
    pub approval: String,
    /// The approvers' user ids.
    pub approvers: Vec<i64>,
    /// None: no limit.
    pub collaborator_seats: Option<i64>,
    /// Hours.
    pub reset_lifetime_hours: i64,
    pub language: Language,
    /// IANA name.
    pub time_zone: String,
    /// Records made before the portal switch read as on.
    #[serde(default = "switched_on")]
    pub portal_enabled: bool,
    /// The portal address (`/o/<slug>`); empty in records made before it
    /// could change.
    #[serde(default)]
    pub slug: String,
    /// The permission switches that are on; records made before they
    /// existed read as the default.
    #[serde(default = "default_permissions")]
    pub permissions: Vec<PortalSection>,
}

fn default_permissions() -> Vec<PortalSection> {
    Permissions::DEFAULT.switched_on()
}

fn switched_on() -> bool {
    true
}

impl SettingsRecord {
    /// As stored (JSON).
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The record in words, in `locale`; None for a detail that is not a
    /// record (one stored before records were).
    pub fn text(stored: &str, locale: crate::i18n::Locale) -> Option<String> {
        use crate::i18n::td_string;
        let r: SettingsRecord = serde_json::from_str(stored).ok()?;
        let yes_no = |b: bool| {
            if b {
                td_string!(locale, common.yes)
            } else {
                td_string!(locale, common.no)
            }
        };
        // A value this server does not know shows as it was saved.
        let signup = match r.signup.as_str() {
            "off" => td_string!(locale, audit.signup_off),
            "clients" => td_string!(locale, audit.signup_clients),
            "collaborators" => td_string!(locale, audit.signup_collaborators),
            "both" => td_string!(locale, audit.signup_both),
            other => other,
        };
        let approval = match r.approval.as_str() {
            "automatic" => td_string!(locale, audit.approval_automatic),
            "approver" => td_string!(locale, audit.approval_approver),
            other => other,
        };
        let none = td_string!(locale, audit.none);
        Some(td_string!(
            locale,
            audit.settings_record,
            auto = yes_no(r.auto_invite),
            days = r.invitation_lifetime_days,
            accent = &r.accent_color,
            logo = if r.logo_url.is_empty() {
                none
            } else {
                r.logo_url.as_str()
            },
            signup,
            approval,
            approvers = r.approvers.len(),
            seats = r.collaborator_seats.map_or_else(
                || td_string!(locale, audit.no_limit).to_owned(),
                |n| n.to_string()
            ),
            hours = r.reset_lifetime_hours,
            language = r.language.own_name(),
            zone = &r.time_zone,
            portal = yes_no(r.portal_enabled),
            slug = if r.slug.is_empty() {
                none
            } else {
                r.slug.as_str()
            },
            permissions = if r.permissions.is_empty() {
                none.to_owned()
            } else {
                r.permissions
                    .iter()
                    .map(|s| s.label(locale))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ))
    }
}
