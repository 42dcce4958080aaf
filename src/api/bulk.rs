//! Bulk invitations: preview, start, follow and cancel jobs.

// A server function takes its form's fields as arguments; this form has many.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::model::{AppError, BulkJob, BulkPreview};

/// The form's fields, shared by the preview and the start.
#[cfg(feature = "ssr")]
fn form(
    rule: String,
    ids: String,
    search: String,
    status: String,
    created_after: String,
    waiting_days: String,
    resend_pending: Option<String>,
    accounts: [String; 4],
) -> crate::server::domain::bulk::BulkForm {
    let [plan, staff, list_plan, list_staff] = accounts;
    crate::server::domain::bulk::BulkForm {
        rule,
        ids,
        search,
        status,
        created_after,
        waiting_days,
        resend_pending: resend_pending.is_some(),
        plan,
        staff,
        list_plan,
        list_staff,
    }
}

/// What inviting this selection would do; nothing is sent.
#[server(prefix = "/api", endpoint = "preview_bulk_invite")]
pub async fn preview_bulk_invite(
    rule: String,
    #[server(default)] ids: String,
    #[server(default)] search: String,
    #[server(default)] status: String,
    #[server(default)] created_after: String,
    #[server(default)] waiting_days: String,
    #[server(default)] resend_pending: Option<String>,
    #[server(default)] plan: String,
    #[server(default)] staff: String,
    #[server(default)] list_plan: String,
    #[server(default)] list_staff: String,
) -> Result<BulkPreview, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let form = form(
            rule,
            ids,
            search,
            status,
            created_after,
            waiting_days,
            resend_pending,
            [plan, staff, list_plan, list_staff],
        );
        crate::server::domain::bulk::preview(&state.db, &current, &form, state.now()).await
    })
    .await
}

/// Starts a bulk invitation job and returns its id at once. Confirming again
/// with the same `request_key` returns the same job.
#[server(prefix = "/api", endpoint = "start_bulk_invite")]
pub async fn start_bulk_invite(
    request_key: String,
    rule: String,
    #[server(default)] ids: String,
    #[server(default)] search: String,
    #[server(default)] status: String,
    #[server(default)] created_after: String,
    #[server(default)] waiting_days: String,
    #[server(default)] resend_pending: Option<String>,
    #[server(default)] plan: String,
    #[server(default)] staff: String,
    #[server(default)] list_plan: String,
    #[server(default)] list_staff: String,
    #[server(default)] intake_form: String,
) -> Result<i64, AppError> {
    super::ssr::answer(async move {
        use crate::server::events::Event;

        let (state, current) = super::ssr::require_staff().await?;
        let form = form(
            rule,
            ids,
            search,
            status,
            created_after,
            waiting_days,
            resend_pending,
            [plan, staff, list_plan, list_staff],
        );
        let now = state.now();
        let intake_form = crate::server::domain::forms::chosen(&intake_form)?;
        let (id, created) = crate::server::domain::bulk::start(
            &state.db,
            &current,
            &form,
            intake_form,
            &request_key,
            now,
        )
        .await?;
        if created {
            state.jobs.wake();
            state
                .events
                .publish(Event::job(current.organization_id, id))
                .await;
        }
        Ok(id)
    })
    .await
}

/// Stops a running job; what it queued stays queued.
#[server(prefix = "/api", endpoint = "cancel_bulk_invite")]
pub async fn cancel_bulk_invite(job_id: i64) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::events::Event;

        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::bulk::cancel(&state.db, &current, job_id, state.now()).await?;
        state
            .events
            .publish(Event::job(current.organization_id, job_id))
            .await;
        Ok(())
    })
    .await
}

/// One job and how far it got.
#[server(prefix = "/api", endpoint = "bulk_job")]
pub async fn get_bulk_job(job_id: i64) -> Result<BulkJob, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::bulk::get(&state.db, &current, job_id).await
    })
    .await
}

/// The organization's latest jobs, newest first.
#[server(prefix = "/api", endpoint = "bulk_jobs")]
pub async fn list_bulk_jobs() -> Result<Vec<BulkJob>, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::bulk::recent(&state.db, &current).await
    })
    .await
}
