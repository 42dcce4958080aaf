//! Forgotten passwords and reset links.

use leptos::prelude::*;

use crate::model::AppError;

/// "Forgot your password?": the same answer whoever asks (the page says
/// `forgot.sent` in the catalog).
#[server(prefix = "/api", endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::domain::reset;

        let state = crate::server::AppState::from_context()?;
        super::ssr::rate_limit(&state, "reset", &email).await?;
        if reset::request(&state.db, &email, state.now()).await? {
            state.mail.wake();
        }
        super::ssr::after_plain_post("/forgot?sent");
        Ok(())
    })
    .await
}

/// Whether a reset link can still be used; looking never uses it.
#[server(prefix = "/api", endpoint = "reset_link")]
pub async fn reset_link(token: String) -> Result<bool, AppError> {
    super::ssr::answer(async move {
        let state = crate::server::AppState::from_context()?;
        let secret = state.config.secret.expose();
        crate::server::domain::reset::link_usable(&state.db, secret, &token, state.now()).await
    })
    .await
}

/// Sets a new password from a reset link and signs the person in; every
/// other session of theirs ends.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let state = crate::server::AppState::from_context()?;
        let signed_in = crate::server::domain::reset::complete(
            &state.db,
            state.config.secret.expose(),
            &token,
            password,
            state.now(),
        )
        .await?;
        state.mail.wake();
        super::ssr::start_session(&state, signed_in.user_id, signed_in.organization_id).await?;
        leptos_axum::redirect(signed_in.home());
        Ok(())
    })
    .await
}

/// "Send a password reset" on an active client's page.
#[server(prefix = "/api", endpoint = "send_password_reset")]
pub async fn send_password_reset(client_id: i64) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let client_id = crate::model::ClientId(client_id);
        use crate::server::domain::authority::Action;
        use crate::server::domain::{clients, reset};

        let (state, current) = super::ssr::require_staff().await?;
        let client = clients::target(&state.db, &current, client_id, Action::SendReset).await?;
        // Limited per client of this organization, apart from the public
        // "Forgot your password?" limit (which anyone could use up): staff
        // cannot flood someone's inbox, and nobody outside can stop them.
        let key = format!("{}:{client_id}", current.organization_id);
        super::ssr::rate_limit(&state, "admin-reset", &key).await?;
        reset::request_for_client(&state.db, &current, client, state.now()).await?;
        state.mail.wake();
        super::ssr::announce_client(&state, current.organization_id, client_id).await;
        Ok(())
    })
    .await
}
