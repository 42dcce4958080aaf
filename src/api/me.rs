//! A signed-in person's own page, and the development mailbox.

use leptos::prelude::*;

use crate::model::{AppError, Dashboard, MailboxMessage};

/// The signed-in person's profile and organizations.
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn my_dashboard() -> Result<Dashboard, AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        crate::server::domain::me::dashboard(&state.db, me, state.now()).await
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

/// Saves the signed-in client's phone number and postal address (each
/// empty for none). Forbidden (403) unless their permissions allow the
/// Profile section.
#[server(prefix = "/api", endpoint = "save_contact")]
pub async fn save_contact(
    #[server(default)] phone: String,
    #[server(default)] postal_address: String,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        crate::server::domain::profile::save_contact(
            &state.db,
            &me,
            &phone,
            &postal_address,
            state.now(),
        )
        .await
    })
    .await
}

/// Asks to sign in with `email` from now on, confirmed by the current
/// `password`: a confirmation link goes to the new address. Limited per
/// person and per network address like every request that sends email.
/// Forbidden (403) unless the Profile section is allowed.
#[server(prefix = "/api", endpoint = "request_email_change")]
pub async fn request_email_change(email: String, password: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        super::ssr::rate_limit(&state, "email-change", &me.user_id.to_string()).await?;
        crate::server::domain::profile::request_email_change(
            &state.db,
            &me,
            &email,
            password,
            state.now(),
        )
        .await?;
        state.mail.wake();
        Ok(())
    })
    .await
}

/// What a new address's confirmation link shows; looking never uses it.
#[server(prefix = "/api", endpoint = "email_change_link")]
pub async fn email_change_link(token: String) -> Result<crate::model::EmailChangePage, AppError> {
    super::ssr::answer(async move {
        let state = crate::server::AppState::from_context()?;
        let secret = state.config.secret.expose();
        crate::server::domain::profile::link_page(&state.db, secret, &token, state.now()).await
    })
    .await
}

/// Confirms a new sign-in address with its link (a POST: the page's button).
#[server(prefix = "/api", endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let state = crate::server::AppState::from_context()?;
        let secret = state.config.secret.expose();
        crate::server::domain::profile::confirm(&state.db, secret, &token, state.now()).await?;
        state.mail.wake();
        Ok(())
    })
    .await
}

/// Moves the signed-in person to another organization they belong to (a
/// client's while its portal is on) and takes them to its home there.
#[server(prefix = "/api", endpoint = "switch_portal")]
pub async fn switch_portal(organization_id: i64) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        let org = crate::model::OrganizationId(organization_id);
        let home = crate::server::domain::me::switch_to(&state.db, &me, org).await?;
        super::ssr::start_session(&state, me.user_id, org).await?;
        leptos_axum::redirect(home);
        Ok(())
    })
    .await
}
