//! Invitation links: the page behind `/activate/<token>`, activating with a
//! new password, and joining with an existing account.

use leptos::prelude::*;

use crate::model::{AppError, InvitationPage};

/// What the link's page shows. Looking never consumes the link.
#[server(prefix = "/api", endpoint = "invitation_page")]
pub async fn view_invitation(token: String) -> Result<InvitationPage, AppError> {
    super::ssr::answer(async move {
        use crate::server::AppState;
        use crate::server::auth::session;

        let state = AppState::from_context()?;
        let headers = super::ssr::request_headers().await?;
        let viewer = session::current(&state.sessions, &headers).await?;
        crate::server::domain::activation::preview(
            &state.db,
            state.config.secret.expose(),
            &token,
            viewer.as_ref(),
            state.now(),
        )
        .await
    })
    .await
}

/// Consumes an activation link: sets the password, signs the person in.
#[server(prefix = "/api", endpoint = "activate")]
pub async fn activate(token: String, password: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::AppState;

        let state = AppState::from_context()?;
        let accepted = crate::server::domain::activation::activate(
            &state.db,
            state.config.secret.expose(),
            &token,
            password,
            state.now(),
        )
        .await?;
        super::ssr::start_session(&state, accepted.user_id, accepted.organization_id).await?;
        super::ssr::announce_person(&state, accepted.user_id).await;
        leptos_axum::redirect(&accepted.landing);
        Ok(())
    })
    .await
}

/// Accepts a join invitation for the signed-in person.
#[server(prefix = "/api", endpoint = "join")]
pub async fn join(token: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_signed_in().await?;
        let accepted = crate::server::domain::activation::join(
            &state.db,
            state.config.secret.expose(),
            &token,
            current.user_id,
            &current.user_email,
            state.now(),
        )
        .await?;
        super::ssr::start_session(&state, accepted.user_id, accepted.organization_id).await?;
        super::ssr::announce_person(&state, accepted.user_id).await;
        leptos_axum::redirect(&accepted.landing);
        Ok(())
    })
    .await
}

/// "Email me a new link" from an expired invitation's page. Answers the same
/// for every link (the page says a new link is on its way if the invitation
/// can be renewed), so it tells nothing about which links exist.
#[server(prefix = "/api", endpoint = "request_new_link")]
pub async fn request_new_link(token: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::AppState;

        let state = AppState::from_context()?;
        super::ssr::rate_limit(&state, "new-link", &token).await?;
        let secret = state.config.secret.expose();
        if crate::server::domain::activation::renew_expired(&state.db, secret, &token, state.now())
            .await?
        {
            state.mail.wake();
        }
        Ok(())
    })
    .await
}
