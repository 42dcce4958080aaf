//! Organization settings.

// A server function takes its form's fields as arguments; this form has many.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::model::{AppError, OrganizationSettings};

#[server(prefix = "/api", endpoint = "organization_settings")]
pub async fn get_settings() -> Result<OrganizationSettings, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::settings::get(&state.db, &current).await
    })
    .await
}

/// Saves one section of the settings (`section`: portal, permissions,
/// invitations, branding, passwords, signup or language); only that
/// section's fields are read, the others keep their values. `auto_invite`,
/// `portal_enabled` and the `allow_<section>` switches are checkboxes:
/// present when ticked. Turning the portal on wakes the
/// outbox, which sends the invitations it held.
#[server(prefix = "/api", endpoint = "save_organization_settings")]
pub async fn save_settings(
    section: String,
    #[server(default)] portal_enabled: Option<String>,
    #[server(default)] slug: String,
    #[server(default)] auto_invite: Option<String>,
    #[server(default)] invitation_lifetime_days: String,
    #[server(default)] accent_color: String,
    #[server(default)] logo_url: String,
    #[server(default)] signup_mode: String,
    #[server(default)] signup_approval: String,
    #[server(default)] approvers: String,
    #[server(default)] collaborator_seats: String,
    #[server(default)] reset_lifetime_hours: String,
    #[server(default)] default_language: String,
    #[server(default)] time_zone: String,
    #[server(default)] allow_profile: Option<String>,
    #[server(default)] allow_documents: Option<String>,
    #[server(default)] allow_uploads: Option<String>,
    #[server(default)] allow_invoices: Option<String>,
    #[server(default)] allow_payments: Option<String>,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::model::{Problem, SettingsSection};
        use crate::server::domain::settings::{SettingsForm, save};

        let (state, current) = super::ssr::require_staff().await?;
        let section = SettingsSection::parse(&section)
            .ok_or_else(|| AppError::field("section", Problem::SettingsSectionChoose))?;
        let form = SettingsForm {
            section,
            portal_enabled: portal_enabled.is_some(),
            permissions: crate::model::Permissions::from_stored(
                [
                    allow_profile,
                    allow_documents,
                    allow_uploads,
                    allow_invoices,
                    allow_payments,
                ]
                .map(|ticked| i64::from(ticked.is_some())),
            ),
            slug,
            auto_invite: auto_invite.is_some(),
            invitation_lifetime_days,
            accent_color,
            logo_url,
            signup_mode,
            signup_approval,
            approvers,
            collaborator_seats,
            reset_lifetime_hours,
            default_language,
            time_zone,
        };
        save(&state.db, &current, form, state.now()).await?;
        if section == SettingsSection::Portal {
            state.mail.wake();
        }
        Ok(())
    })
    .await
}
