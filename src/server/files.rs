//! Documents over plain HTTP (routes of their own, not server functions:
//! a file is streamed, never held whole in memory):
//! - `POST /accounts/{id}/documents`: staff upload a file to an account
//!   (`multipart/form-data`, field `file`); back to the account page.
//! - `POST /documents/upload`: a client uploads a file to their own account
//!   (while Uploads is theirs); back to their dashboard.
//! - `GET /documents/{id}/download`: the file, to staff of its organization
//!   and members of its account, as an attachment of its stored type.
//!
//! The pages work without JavaScript: an upload answers with a redirect to
//! the page it came from, naming the problem (`?problem=file_type`) or the
//! new file (`?uploaded=<id>`).

use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::model::{AccountId, AppError, Problem};
use crate::server::AppState;
use crate::server::auth::session;
use crate::server::domain::documents::{self, Destination};

/// The largest upload body read: twice the largest file, so that a file up to
/// twice too large is read up to the cap and refused with its reason
/// ([`documents::MAX_BYTES`], counted while it arrives); a larger body is
/// refused at once (413) from its declared length.
pub const MAX_UPLOAD_BODY: usize = 2 * documents::MAX_BYTES as usize + 64 * 1024;

/// `POST /accounts/{id}/documents`.
pub async fn staff_upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(account): Path<i64>,
    form: Multipart,
) -> Response {
    let back = format!("/accounts/{account}");
    upload(state, headers, Some(AccountId(account)), form, &back).await
}

/// `POST /documents/upload`.
pub async fn client_upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    upload(state, headers, None, form, "/dashboard").await
}

async fn upload(
    state: AppState,
    headers: HeaderMap,
    account: Option<AccountId>,
    mut form: Multipart,
    back: &str,
) -> Response {
    let current = match session::signed_in_or_refusal(&state.sessions, &headers, "upload").await {
        Ok(s) => s,
        Err(refusal) => return refusal,
    };
    let to: Destination = match documents::destination(&state.db, &current, account).await {
        Ok(to) => to,
        Err(e) => return refusal(&e),
    };
    let refused = |problem: &Problem| {
        Redirect::to(&format!("{back}?problem={}", problem.upload_name())).into_response()
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
    let account = to.account_id;
    let uploaded = documents::upload(
        &state.db,
        &state.storage,
        &current,
        to,
        &name,
        Box::pin(field),
        state.now(),
    )
    .await;
    match uploaded {
        Ok(id) => {
            crate::api::ssr::announce_account(&state, current.organization_id, account).await;
            Redirect::to(&format!("{back}?uploaded={id}")).into_response()
        }
        Err(e) => failed_upload(e, refused),
    }
}

/// The answer to an upload that failed: back to its page through
/// `refused`, naming the file's problem, or the error's status for any
/// other error.
pub(crate) fn failed_upload(e: AppError, refused: impl Fn(&Problem) -> Response) -> Response {
    match e {
        AppError::Invalid(errors) => refused(
            &errors
                .into_iter()
                .next()
                .map_or(Problem::FileType, |e| e.problem),
        ),
        e => refusal(&e),
    }
}

/// `GET /documents/{id}/download`.
pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let current = match session::signed_in_or_refusal(&state.sessions, &headers, "download").await {
        Ok(s) => s,
        Err(refusal) => return refusal,
    };
    let doc = match documents::for_download(&state.db, &current, id, state.now()).await {
        Ok(doc) => doc,
        Err(e) => return refusal(&e),
    };
    let stream = match state.storage.get(&doc.storage_key).await {
        Ok(stream) => stream,
        Err(e) => {
            tracing::error!(error = %e, document_id = id, "a recorded file could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let content_type = HeaderValue::from_str(&doc.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&doc.name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_LENGTH, HeaderValue::from(doc.size_bytes)),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// `attachment` with the file's name twice (RFC 6266): an ASCII fallback
/// for old browsers and the exact UTF-8 name (RFC 8187 encoding).
pub fn content_disposition(name: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    /// Characters RFC 8187 lets through unencoded (`attr-char`).
    const ATTR: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'!')
        .remove(b'#')
        .remove(b'$')
        .remove(b'&')
        .remove(b'+')
        .remove(b'-')
        .remove(b'.')
        .remove(b'^')
        .remove(b'_')
        .remove(b'`')
        .remove(b'|')
        .remove(b'~');
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, ATTR)
    )
}

/// The status answering an error of a plain file route (logged when it is
/// the server's fault).
pub(crate) fn refusal(e: &AppError) -> Response {
    if e.status().is_server_error() {
        tracing::error!(error = %e, "a file route failed");
    }
    e.status().into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_named_in_ascii_and_in_utf8() {
        assert_eq!(
            content_disposition("Relevé 2026 \"final\".pdf"),
            "attachment; filename=\"Relev_ 2026 _final_.pdf\"; \
             filename*=UTF-8''Relev%C3%A9%202026%20%22final%22.pdf"
        );
    }
}
