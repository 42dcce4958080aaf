//! What clients may see and do in the portal: the organization's switches
//! (Settings → Client permissions, saved with the other settings) and each
//! account's own choices over them. Every client page and server function
//! of a section asks [`require`]; staff are never limited.

use crate::i18n::{Locale, td_string};
use crate::model::{AccountId, AppError, AuditKind, Overrides, Permissions, PortalSection, Role};
use crate::server::auth::CurrentSession;
use crate::server::db::{self, Db};

/// What `me` may use in their current organization: their account's
/// choices over the organization's. Staff may use everything; a client
/// with no account there (none can be made) nothing.
pub async fn of(db: &Db, me: &CurrentSession) -> Result<Permissions, AppError> {
    if me.role.is_staff() {
        return Ok(Permissions::ALL);
    }
    Ok(
        db::client_accounts::permissions_of(&db.pool, me.organization_id, me.user_id)
            .await?
            .map_or(Permissions::NONE, |(org, own)| own.over(org)),
    )
}

/// Refuses (forbidden, 403) a client whose permissions do not allow
/// `section`; staff pass.
pub async fn require(db: &Db, me: &CurrentSession, section: PortalSection) -> Result<(), AppError> {
    if of(db, me).await?.allows(section) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// An account's choice for one section as a form sends it: `default` (the
/// organization's), `on` or `off`.
///
/// Errors: a field error on the section's name for any other value.
fn choice(section: PortalSection, value: &str) -> Result<Option<bool>, AppError> {
    match value.trim() {
        "" | "default" => Ok(None),
        "on" => Ok(Some(true)),
        "off" => Ok(Some(false)),
        _ => Err(AppError::field(
            section.as_str(),
            crate::model::Problem::PermissionChoose,
        )),
    }
}

/// Saves what the members of account `id` may use: per section (in
/// [`PortalSection::ALL`] order) `default`, `on` or `off`. Owners and admins
/// only, as for the organization's own switches; recorded in the audit
/// trail.
///
/// Errors: forbidden to anyone else; a field error for a value that is none
/// of those; not found for another organization's account.
pub async fn set_for_account(
    db: &Db,
    actor: &CurrentSession,
    id: AccountId,
    choices: &[String; 5],
    now: i64,
) -> Result<(), AppError> {
    if !matches!(actor.role, Role::Owner | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let org = actor.organization_id;
    let mut overrides = Overrides::default();
    for (section, value) in PortalSection::ALL.iter().zip(choices) {
        overrides.set(*section, choice(*section, value)?);
    }
    let mut tx = db.begin().await?;
    let Some(account_name) = db::client_accounts::lock(&mut tx, db.backend, org, id).await? else {
        return Err(AppError::NotFound);
    };
    db::client_accounts::set_overrides(&mut tx, org, id, overrides).await?;
    let detail = PermissionsRecord {
        account: account_name,
        overrides,
    }
    .to_stored();
    let event = db::audit::Event {
        organization_id: Some(org),
        actor_id: Some(actor.user_id),
        detail: Some(&detail),
        ..db::audit::Event::new(AuditKind::PermissionsChanged)
    };
    db::audit::record_in(&mut tx, &event, now).await?;
    tx.commit().await?;
    tracing::info!(account_id = %id, organization_id = %org, "account permissions saved");
    Ok(())
}

/// An account's permissions as saved, recorded with the audit event
/// (`audit_events.detail`, as JSON) and worded for the trail
/// ([`PermissionsRecord::text`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PermissionsRecord {
    /// The account's name when saved.
    pub account: String,
    pub overrides: Overrides,
}

impl PermissionsRecord {
    /// As stored (JSON).
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The record in words, in `locale` ("Smith household: Profile off,
    /// Uploads on; the rest as the organization's"); None for a detail that
    /// is not a record.
    pub fn text(stored: &str, locale: Locale) -> Option<String> {
        let r: PermissionsRecord = serde_json::from_str(stored).ok()?;
        let own: Vec<String> = PortalSection::ALL
            .iter()
            .filter_map(|s| {
                r.overrides.get(*s).map(|on| {
                    let state = if on {
                        td_string!(locale, permissions.on)
                    } else {
                        td_string!(locale, permissions.off)
                    };
                    format!("{} {state}", s.label(locale))
                })
            })
            .collect();
        Some(if own.is_empty() {
            td_string!(locale, permissions.record_all_default, account = r.account).to_owned()
        } else {
            td_string!(
                locale,
                permissions.record,
                account = r.account,
                choices = own.join(", ")
            )
            .to_owned()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_choice_is_default_on_or_off() {
        assert_eq!(choice(PortalSection::Profile, "default"), Ok(None));
        assert_eq!(choice(PortalSection::Profile, ""), Ok(None));
        assert_eq!(choice(PortalSection::Profile, "on"), Ok(Some(true)));
        assert_eq!(choice(PortalSection::Profile, "off"), Ok(Some(false)));
        assert!(choice(PortalSection::Uploads, "yes").is_err());
    }

    #[test]
    fn a_record_reads_in_words() {
        let mut overrides = Overrides::default();
        overrides.set(PortalSection::Uploads, Some(true));
        overrides.set(PortalSection::Profile, Some(false));
        let stored = PermissionsRecord {
            account: "Smith household".into(),
            overrides,
        }
        .to_stored();
        let text = PermissionsRecord::text(&stored, Locale::en).unwrap();
        assert!(text.starts_with("Smith household"), "{text}");
        assert!(text.contains("Profile off"), "{text}");
        assert!(text.contains("Uploads on"), "{text}");
        assert_eq!(PermissionsRecord::text("not json", Locale::en), None);
    }
}
