//! A signed-in person's own page, and the development mailbox.

use leptos::prelude::*;

use crate::model::{AppError, Dashboard, MailboxMessage};

/// The signed-in person's profile and organizations.
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn my_dashboard() -> Result<Dashboard, AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        crate::server::domain::me::dashboard(&state.db, me).await
    })
    .await
}

/// The development mailbox of the caller's organization: every email the
/// server "sent" while no SMTP_URL was set. Owners only: the messages hold
/// working links (a password reset for anyone), so staff and admins could
/// take over another account with them.
#[server(prefix = "/api", endpoint = "mailbox")]
pub async fn dev_mailbox() -> Result<Vec<MailboxMessage>, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let dev_mailbox = state.config.dev_mailbox;
        crate::server::domain::me::mailbox(&state.db, &current, dev_mailbox, state.now()).await
    })
    .await
}

/// Keeps `language` ("en", "fr") as the signed-in person's own choice. A
/// plain form post (before the wasm arrives) comes back to the page it was
/// sent from, now in that language.
#[server(prefix = "/api", endpoint = "choose_language")]
pub async fn choose_language(language: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        crate::server::domain::me::choose_language(&state.db, &me, &language).await
    })
    .await
}
