//! Intake forms (see `server::domain::forms`): building them (Settings → Forms), filling them (clients),
//! reading the answers (staff). A form's file field and the answers' CSV
//! are plain routes (`server::form_files`).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::model::AppError;
use crate::model::forms::{self, FormDetail, FormSummary, FormWaiting, SentForm};

/// The organization's forms; staff only.
#[server(prefix = "/api", endpoint = "list_forms")]
pub async fn list_forms() -> Result<Vec<FormSummary>, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::forms::list(&state.db, &current).await
    })
    .await
}

/// One form as its editor shows it; staff only.
#[server(prefix = "/api", endpoint = "get_form")]
pub async fn get_form(form_id: i64) -> Result<FormDetail, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::forms::get(&state.db, &current, form_id).await
    })
    .await
}

/// Saves a form (`form_id` 0: a new one) with its fields as JSON
/// (`[{key, label, help, kind, required, choices}]`); owners and admins
/// only. Returns its id.
#[server(prefix = "/api", endpoint = "save_form")]
pub async fn save_form(
    form_id: i64,
    title: String,
    #[server(default)] introduction: String,
    fields: String,
) -> Result<i64, AppError> {
    super::ssr::answer(async move {
        use crate::model::Problem;
        use crate::server::domain::forms::{FormInput, save};

        let (state, current) = super::ssr::require_staff().await?;
        let fields = serde_json::from_str(&fields)
            .map_err(|_| AppError::field("fields", Problem::FormFieldCount))?;
        let input = FormInput {
            title,
            introduction,
            fields,
        };
        let id = (form_id != 0).then_some(form_id);
        save(&state.db, &current, id, &input, state.now()).await
    })
    .await
}

/// The forms sent to a client, with the answers of submitted ones; staff
/// only.
#[server(prefix = "/api", endpoint = "client_forms")]
pub async fn client_forms(client_id: i64) -> Result<Vec<SentForm>, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let id = crate::model::ClientId(client_id);
        crate::server::domain::forms::sent_to(&state.db, &current, id).await
    })
    .await
}

/// The forms waiting for the signed-in client.
#[server(prefix = "/api", endpoint = "my_forms")]
pub async fn my_forms() -> Result<Vec<FormWaiting>, AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        crate::server::domain::forms::waiting(&state.db, &me).await
    })
    .await
}

/// A form sent to the signed-in client, to fill (or read once submitted).
#[server(prefix = "/api", endpoint = "form_to_fill")]
pub async fn form_to_fill(request_id: i64) -> Result<forms::FormToFill, AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        crate::server::domain::forms::to_fill(&state.db, &me, request_id).await
    })
    .await
}

/// Saves the signed-in client's answers (`answers[<key>]`; several choices
/// as `answers[<key>.<i>]`) as a draft, or submits them when `submit` is
/// given. A submitted form tells the staff's open pages.
#[server(prefix = "/api", endpoint = "save_form_answers")]
pub async fn save_form_answers(
    request_id: i64,
    #[server(default)] answers: BTreeMap<String, String>,
    #[server(default)] submit: Option<String>,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        let submit = submit.is_some();
        crate::server::domain::forms::save_answers(
            &state.db,
            &me,
            request_id,
            &answers,
            submit,
            state.now(),
        )
        .await?;
        if submit {
            super::ssr::announce_person(&state, me.user_id).await;
        }
        Ok(())
    })
    .await
}
