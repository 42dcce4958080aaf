//! First-run setup, sign-in, sign-out and the shell's view of the signed-in person.

use leptos::prelude::*;

use crate::model::{AppError, ShellInfo};

/// Creates the first organization and its owner, then signs the owner in.
#[server(prefix = "/api", endpoint = "setup")]
pub async fn setup(
    organization_name: String,
    organization_slug: String,
    owner_name: String,
    owner_email: String,
    owner_password: String,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::AppState;

        use crate::server::domain::accounts::{self, SetupInput};

        let state = AppState::from_context()?;
        let signed_in = accounts::setup(
            &state.db,
            SetupInput {
                organization_name,
                organization_slug,
                owner_name,
                owner_email,
                owner_password,
            },
            state.now(),
        )
        .await?;
        super::ssr::start_session(&state, signed_in.user_id, signed_in.organization_id).await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// Signs in with email and password, then goes to `next` (a path on this site)
/// or the portal's start page. `organization`: the slug of the front door
/// (`/o/<slug>`) signed in at, where the person lands if they may.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
    organization: Option<String>,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::AppState;
        use crate::server::domain::accounts::{self, Throttle};

        let state = AppState::from_context()?;
        let throttle = Throttle {
            secret: state.config.secret.expose(),
            limits: &state.config.limits,
            ip: &super::ssr::client_ip().await,
        };
        let signed_in = accounts::sign_in_throttled(
            &state.db,
            &throttle,
            &email,
            password,
            organization.as_deref().filter(|s| !s.is_empty()),
            state.now(),
        )
        .await?;
        super::ssr::start_session(&state, signed_in.user_id, signed_in.organization_id).await?;
        super::ssr::announce_person(&state, signed_in.user_id).await;
        let target = crate::server::domain::redirect::after_sign_in(
            &state.config.public_url,
            next.as_deref(),
            signed_in.home(),
        );
        leptos_axum::redirect(&target);
        Ok(())
    })
    .await
}

/// Ends the session and returns to the sign-in page.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    super::ssr::answer(async move {
        use super::ssr::{request_headers, set_cookie};
        use crate::server::AppState;
        use crate::server::auth::session;

        let state = AppState::from_context()?;
        let headers = request_headers().await?;
        set_cookie(session::end(&state.sessions, &headers).await?);
        leptos_axum::redirect("/login");
        Ok(())
    })
    .await
}

/// The signed-in member of staff and their current organization.
#[server(prefix = "/api", endpoint = "current_shell")]
pub async fn current_shell() -> Result<ShellInfo, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::me::shell(&state.db, current, state.config.dev_mailbox).await
    })
    .await
}
