//! `POST /clients/import/upload`: a CSV file sent from the import page's
//! form (`multipart/form-data`, field `file`), read into a new import's
//! preview; the browser is then sent to the preview
//! (`/clients/import/<id>`), or back to the form with the problem
//! (`/clients/import?problem=<name>`). It works without JavaScript.
//! `GET /clients/import/<id>/skipped.csv`: the rows an import skipped.

use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::model::{AppError, Problem};
use crate::server::AppState;
use crate::server::auth::session;
use crate::server::domain::import;

/// The largest upload body: the file and the form around it.
pub const MAX_UPLOAD_BODY: usize = import::MAX_BYTES + 64 * 1024;

/// Back to the import page, saying what was wrong with the file.
fn refused(problem: &Problem) -> Response {
    Redirect::to(&format!(
        "/clients/import?problem={}",
        problem.upload_name()
    ))
    .into_response()
}

pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let current = match session::staff_or_refusal(&state.sessions, &headers, "import upload").await
    {
        Ok(s) => s,
        Err(refusal) => return refusal,
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // A body cut short or past the limit.
            Err(_) => return refused(&Problem::ImportTooLarge),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("clients.csv").to_owned();
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    // Counted while it arrives, not after.
                    if bytes.len() + chunk.len() > import::MAX_BYTES {
                        return refused(&Problem::ImportTooLarge);
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(_) => return refused(&Problem::ImportTooLarge),
            }
        }
        file = Some((name, bytes));
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refused(&Problem::ImportEmpty);
    };
    match import::upload(&state.db, &current, &name, &bytes, state.now()).await {
        Ok(id) => Redirect::to(&format!("/clients/import/{id}")).into_response(),
        Err(AppError::Invalid(errors)) => match errors.into_iter().next() {
            Some(e) => refused(&e.problem),
            None => refused(&Problem::ImportNotCsv),
        },
        Err(e) => {
            tracing::error!(error = %e, "import upload failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn skipped(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let current = match session::staff_or_refusal(&state.sessions, &headers, "skipped rows").await {
        Ok(s) => s,
        Err(refusal) => return refusal,
    };
    match import::skipped_csv(&state.db, &current, id).await {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!(
                        "attachment; filename=\"skipped-rows-{id}.csv\""
                    ))
                    .unwrap_or(HeaderValue::from_static("attachment")),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "skipped rows file failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
