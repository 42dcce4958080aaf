//! An organization's public pages: its front door (`/o/<slug>`), self
//! sign-up with confirmation, and the approval queue.

use leptos::prelude::*;

use crate::model::{AppError, Applicant, PortalDoor, SignupConfirmed, SignupLinkPage, SignupPage};

/// What `/o/<slug>` shows: the organization's branded sign-in page (found
/// by any slug it held; the page moves on to its current one).
#[server(prefix = "/api", endpoint = "portal_door")]
pub async fn load_portal_door(slug: String) -> Result<PortalDoor, AppError> {
    super::ssr::answer(async move {
        let state = crate::server::AppState::from_context()?;
        crate::server::domain::portal::door(&state.db, &slug).await
    })
    .await
}

/// What `/o/<slug>/signup` shows.
#[server(prefix = "/api", endpoint = "signup_page")]
pub async fn load_signup_page(slug: String) -> Result<SignupPage, AppError> {
    super::ssr::answer(async move {
        let state = crate::server::AppState::from_context()?;
        crate::server::domain::signup::page(&state.db, &slug).await
    })
    .await
}

/// Applies to join an organization. Answers the same for a new email and
/// for one that already has an account (the page says
/// `signup.received` in the catalog).
#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(
    slug: String,
    first_name: String,
    last_name: String,
    username: String,
    email: String,
    password: String,
    #[server(default)] role: String,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::domain::signup::{SignupForm, apply};

        let state = crate::server::AppState::from_context()?;
        super::ssr::rate_limit(&state, "signup", &email).await?;
        let form = SignupForm {
            first_name,
            last_name,
            username,
            email,
            password,
            role,
        };
        apply(&state.db, &slug, form, state.now()).await?;
        state.mail.wake();
        super::ssr::after_plain_post(&format!("/o/{slug}/signup?sent"));
        Ok(())
    })
    .await
}

/// What a confirmation link's page shows; looking never confirms.
#[server(prefix = "/api", endpoint = "signup_link")]
pub async fn signup_link(token: String) -> Result<SignupLinkPage, AppError> {
    super::ssr::answer(async move {
        let state = crate::server::AppState::from_context()?;
        let secret = state.config.secret.expose();
        crate::server::domain::signup::link_page(&state.db, secret, &token, state.now()).await
    })
    .await
}

/// Confirms the email: signs the person in when approval is automatic
/// (`Admitted`, and on to the dashboard), or their application now waits for
/// an approver (`Waiting`; the page says `signup.waiting` in the catalog).
#[server(prefix = "/api", endpoint = "confirm_signup")]
pub async fn confirm_signup(token: String) -> Result<SignupConfirmed, AppError> {
    super::ssr::answer(async move {
        use crate::server::domain::signup::{Confirmed, confirm};
        use crate::server::events::Event;

        let state = crate::server::AppState::from_context()?;
        let secret = state.config.secret.expose();
        match confirm(&state.db, secret, &token, state.now()).await? {
            Confirmed::Admitted {
                user_id,
                organization_id,
            } => {
                super::ssr::start_session(&state, user_id, organization_id).await?;
                super::ssr::announce_person(&state, user_id).await;
                leptos_axum::redirect("/dashboard");
                Ok(SignupConfirmed::Admitted)
            }
            Confirmed::Waiting { organization_id } => {
                state.mail.wake();
                state.events.publish(Event::signups(organization_id)).await;
                super::ssr::after_plain_post("/signup/waiting");
                Ok(SignupConfirmed::Waiting)
            }
        }
    })
    .await
}

/// Applications waiting for a decision (approvers and the owner).
#[server(prefix = "/api", endpoint = "approval_queue")]
pub async fn approval_queue() -> Result<Vec<Applicant>, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::signup::queue(&state.db, &current, state.now()).await
    })
    .await
}

/// Approves (`approve` true) or rejects the applications `ids`
/// (comma-separated); `reason` goes into rejection emails.
#[server(prefix = "/api", endpoint = "decide_signups")]
pub async fn decide_signups(
    ids: String,
    approve: bool,
    #[server(default)] reason: String,
) -> Result<usize, AppError> {
    super::ssr::answer(async move {
        use crate::server::events::Event;

        let (state, current) = super::ssr::require_staff().await?;
        let now = state.now();
        let decided =
            crate::server::domain::signup::decide(&state.db, &current, &ids, approve, &reason, now)
                .await;
        // Even a refusal part-way may have decided some: tell the pages.
        state.mail.wake();
        let org = current.organization_id;
        state.events.publish(Event::signups(org)).await;
        state.events.publish(Event::clients(org, Vec::new())).await;
        decided
    })
    .await
}
