//! Importing clients from a CSV file: the preview, its column mapping,
//! starting, following and cancelling the import. The file itself is
//! uploaded to `POST /clients/import/upload` (`server::import`).

use leptos::prelude::*;

use crate::model::{AppError, ImportView};

/// One import of the caller's organization: its preview or its progress.
#[server(prefix = "/api", endpoint = "get_import")]
pub async fn get_import(import_id: i64) -> Result<ImportView, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::import::view(&state.db, &current, import_id).await
    })
    .await
}

/// The organization's latest imports, newest first.
#[server(prefix = "/api", endpoint = "list_imports")]
pub async fn list_imports() -> Result<Vec<ImportView>, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::import::recent(&state.db, &current).await
    })
    .await
}

/// Chooses what each column holds: `mapping` is the fields in column
/// order (`mapping[0]=first_name&mapping[1]=email…` in a form).
#[server(prefix = "/api", endpoint = "remap_import")]
pub async fn remap_import(
    import_id: i64,
    #[server(default)] mapping: Vec<String>,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let mapping = mapping.join(",");
        crate::server::domain::import::remap(&state.db, &current, import_id, &mapping).await?;
        announce(&state, &current, import_id).await;
        Ok(())
    })
    .await
}

/// Starts an import: `update_existing`, `invite` and `good_rows_only` are
/// checkboxes (present when ticked).
#[server(prefix = "/api", endpoint = "start_import")]
pub async fn start_import(
    import_id: i64,
    #[server(default)] update_existing: Option<String>,
    #[server(default)] invite: Option<String>,
    #[server(default)] good_rows_only: Option<String>,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::domain::import::{StartOptions, start};

        let (state, current) = super::ssr::require_staff().await?;
        let options = StartOptions {
            update_existing: update_existing.is_some(),
            invite: invite.is_some(),
            good_rows_only: good_rows_only.is_some(),
        };
        start(&state.db, &current, import_id, options, state.now()).await?;
        state.jobs.wake();
        announce(&state, &current, import_id).await;
        Ok(())
    })
    .await
}

/// Stops a running import, or drops a preview; what it wrote stays.
#[server(prefix = "/api", endpoint = "cancel_import")]
pub async fn cancel_import(import_id: i64) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::import::cancel(&state.db, &current, import_id, state.now()).await?;
        announce(&state, &current, import_id).await;
        Ok(())
    })
    .await
}

/// Tells the organization's open pages that an import moved on.
#[cfg(feature = "ssr")]
async fn announce(
    state: &crate::server::AppState,
    current: &crate::server::auth::CurrentSession,
    id: i64,
) {
    use crate::server::events::Event;
    state
        .events
        .publish(Event::import(current.organization_id, id))
        .await;
}
