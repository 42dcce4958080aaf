//! What every form that creates something needs from the server.

use leptos::prelude::*;

use crate::model::AppError;

/// A fresh request key for a form that creates something (see
/// `server::domain::requests`); shown with the form, sent back with it.
#[server(prefix = "/api", endpoint = "new_request_key")]
pub async fn new_request_key() -> Result<String, AppError> {
    super::ssr::answer(async move {
        super::ssr::require_signed_in().await?;
        Ok(crate::server::domain::requests::new_key())
    })
    .await
}
