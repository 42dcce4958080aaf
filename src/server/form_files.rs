//! Intake forms over plain HTTP:
//! - `POST /forms/{request}/files/{key}`: a client gives the file a form's
//!   file field asks for (`multipart/form-data`, field `file`); back to the
//!   form, naming the problem (`?problem=…&field=<key>`) or not.
//! - `GET /settings/forms/{id}/answers.csv`: every submission of a form, for
//!   staff.

use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::model::Problem;
use crate::server::AppState;
use crate::server::auth::session;
use crate::server::domain::forms;
use crate::server::files::{failed_upload, refusal};

/// `POST /forms/{request}/files/{key}`.
pub async fn attach(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((request, key)): Path<(i64, String)>,
    mut form: Multipart,
) -> Response {
    let current = match session::signed_in_or_refusal(&state.sessions, &headers, "form file").await
    {
        Ok(s) => s,
        Err(refusal) => return refusal,
    };
    // A key is the form's own (`f<n>`): checked before it goes into an
    // address.
    let well_formed = key
        .strip_prefix('f')
        .is_some_and(|n| !n.is_empty() && n.len() <= 6 && n.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    let back = format!("/forms/{request}");
    let refused = |problem: &Problem| {
        Redirect::to(&format!(
            "{back}?problem={}&field={key}",
            problem.upload_name()
        ))
        .into_response()
    };
    // The first field named `file` is the file; other fields are skipped.
    let field = loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => break field,
            Ok(Some(_)) => continue,
            Ok(None) => return refused(&Problem::FileEmpty),
            Err(_) => return refused(&Problem::FileCutShort),
        }
    };
    let name = field.file_name().unwrap_or("").to_owned();
    let attached = forms::attach_file(
        &state.db,
        &state.storage,
        &current,
        request,
        &key,
        &name,
        Box::pin(field),
        state.now(),
    )
    .await;
    match attached {
        Ok(account) => {
            crate::api::ssr::announce_account(&state, current.organization_id, account).await;
            Redirect::to(&format!("{back}#field-{key}")).into_response()
        }
        Err(e) => failed_upload(e, refused),
    }
}

/// `GET /settings/forms/{id}/answers.csv`.
pub async fn answers_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let current = match session::staff_or_refusal(&state.sessions, &headers, "answers").await {
        Ok(s) => s,
        Err(refusal) => return refusal,
    };
    match forms::answers_csv(&state.db, &current, id).await {
        Ok((name, bytes)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&crate::server::files::content_disposition(&name))
                        .unwrap_or(HeaderValue::from_static("attachment")),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Err(e) => refusal(&e),
    }
}
