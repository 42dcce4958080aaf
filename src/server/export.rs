//! `GET /clients/export.csv`: the client list as a CSV file for signed-in
//! staff, with the list's own search and filters in the query
//! (`q`, `status`, `plan`, `staff`, `sort`). The file is written by
//! [`crate::server::domain::export`] while it downloads: a task reads the
//! members from the database and hands the body a few chunks at a time.

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::server::AppState;
use crate::server::auth::session;
use crate::server::domain::clients::ListRequest;
use crate::server::domain::export;

/// The list's filters, as its address carries them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExportQuery {
    q: String,
    status: String,
    plan: String,
    staff: String,
    sort: String,
}

/// Chunks waiting between the database task and the download: how far the
/// reading may run ahead of a slow download.
const CHUNKS_AHEAD: usize = 4;

pub async fn clients_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> Response {
    let current =
        match session::staff_or_refusal(&state.sessions, &headers, "/clients/export.csv").await {
            Ok(s) => s,
            Err(refusal) => return refusal,
        };
    let request = ListRequest {
        page: 1,
        search: query.q,
        status: query.status,
        plan: query.plan,
        staff: query.staff,
        sort: query.sort,
    };
    let now = state.now();
    let name = export::file_name(&current, now);
    let (sender, receiver) =
        tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(CHUNKS_AHEAD);
    tokio::spawn(async move {
        let emit = |chunk: Vec<u8>| {
            let sender = sender.clone();
            async move { sender.send(Ok(Bytes::from(chunk))).await.is_ok() }
        };
        if let Err(e) = export::clients_csv(&state.db, &current, &request, now, emit).await {
            tracing::error!(error = %e, "export failed");
            // The download ends with an error rather than looking complete.
            let _ = sender
                .send(Err(std::io::Error::other("the export failed")))
                .await;
        }
    });
    let chunks = futures::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    });
    let body = Body::from_stream(chunks);
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}
