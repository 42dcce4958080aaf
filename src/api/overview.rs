//! The staff overview.

use leptos::prelude::*;

use crate::model::{AppError, Overview};

/// The organization's onboarding funnel, invitations per week and what needs
/// attention; staff only (`Forbidden` for clients and collaborators).
#[server(prefix = "/api", endpoint = "overview")]
pub async fn get_overview() -> Result<Overview, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::overview::get(&state.db, &current, state.now()).await
    })
    .await
}
