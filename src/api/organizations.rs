//! Creating organizations and switching between them.

use leptos::prelude::*;

use crate::model::AppError;

/// Creates an organization owned by the caller and makes it current.
/// `request_key` is the form's ([`super::forms::new_request_key`]): sent again, it finds
/// the organization the first request created.
#[server(prefix = "/api", endpoint = "create_organization")]
pub async fn create_organization(
    organization_name: String,
    organization_slug: String,
    #[server(default)] request_key: String,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use super::ssr::require_staff;

        use crate::server::domain::accounts;

        let (state, current) = require_staff().await?;
        let organization_id = accounts::create_organization(
            &state.db,
            &current,
            state.config.dev_mailbox,
            &organization_name,
            &organization_slug,
            &request_key,
            state.now(),
        )
        .await?;
        super::ssr::start_session(&state, current.user_id, organization_id).await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// Makes another of the caller's organizations current. The session id
/// changes with it, as at every change of privilege.
#[server(prefix = "/api", endpoint = "switch_organization")]
pub async fn switch_organization(organization_id: i64) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let organization_id = crate::model::OrganizationId(organization_id);
        use super::ssr::require_staff;

        use crate::server::domain::accounts;

        let (state, current) = require_staff().await?;
        accounts::staff_role_in(&state.db, current.user_id, organization_id).await?;
        super::ssr::start_session(&state, current.user_id, organization_id).await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}
