//! Organization settings.

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

/// Saves the invitation settings. `auto_invite` is the checkbox: present when ticked.
#[server(prefix = "/api", endpoint = "save_organization_settings")]
pub async fn save_settings(
    #[server(default)] auto_invite: Option<String>,
    invitation_lifetime_days: String,
    accent_color: String,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::settings::save(
            &state.db,
            &current,
            auto_invite.is_some(),
            &invitation_lifetime_days,
            &accent_color,
        )
        .await
    })
    .await
}
