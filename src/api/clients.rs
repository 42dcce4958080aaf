//! The client list.

use leptos::prelude::*;

use crate::model::{AppError, ClientPage};

pub const PAGE_SIZE: i64 = 50;

/// One page (1-based) of the caller's organization's clients, newest first.
#[server(prefix = "/api", endpoint = "list_clients")]
pub async fn list_clients(page: i64) -> Result<ClientPage, AppError> {
    super::ssr::answer(async move {
        use crate::model::ClientRow;
        use crate::server::db;

        let (state, current) = super::ssr::require_staff().await?;
        let offset = (page.max(1) - 1) * PAGE_SIZE;
        let (rows, total) =
            db::clients::page(&state.db.pool, current.organization_id, PAGE_SIZE, offset).await?;
        Ok(ClientPage {
            rows: rows
                .into_iter()
                .map(|r| ClientRow {
                    id: r.id,
                    first_name: r.first_name,
                    last_name: r.last_name,
                    email: r.email,
                    created: crate::server::domain::time::format_date(r.created_at),
                })
                .collect(),
            total,
        })
    })
    .await
}
