//! The audit trail.

use leptos::prelude::*;

use crate::model::{AppError, AuditLine};

/// The organization's newest security events, optionally of one kind
/// (`sign-ins`, `failed-sign-ins`, `passwords`, `invitations`, `access`,
/// `settings`); owners and admins only.
#[server(prefix = "/api", endpoint = "audit_trail")]
pub async fn audit_trail(#[server(default)] filter: String) -> Result<Vec<AuditLine>, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::audit::trail(&state.db, &current, &filter).await
    })
    .await
}
