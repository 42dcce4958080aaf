//! The client list, creating clients and inviting them.

use leptos::prelude::*;

use crate::model::{AppError, ClientDetail, ClientPage};

/// One page (1-based) of the caller's organization's client accounts with
/// their members: `search` finds words in names and emails, `status` is a
/// filter name (`pending`, `failed`, … or empty for all), `plan` a plan's id,
/// `staff` an assigned staff member's id or `me` (empty for all), `sort` is
/// `oldest` or newest first.
#[server(prefix = "/api", endpoint = "list_clients")]
pub async fn list_clients(
    page: i64,
    #[server(default)] search: String,
    #[server(default)] status: String,
    #[server(default)] sort: String,
    #[server(default)] plan: String,
    #[server(default)] staff: String,
) -> Result<ClientPage, AppError> {
    super::ssr::answer(async move {
        use crate::server::domain::clients::{ListRequest, list};

        let (state, current) = super::ssr::require_staff().await?;
        let request = ListRequest {
            page,
            search,
            status,
            plan,
            staff,
            sort,
        };
        list(&state.db, &current, &request, state.now()).await
    })
    .await
}

/// Creates a client; with an email, the invitation goes out at once when the
/// organization invites automatically. `request_key` is the form's
/// (`forms::new_request_key`): sent again, it returns the client the
/// first request created, and creates nothing.
#[server(prefix = "/api", endpoint = "create_client")]
pub async fn create_client(
    first_name: String,
    last_name: String,
    email: String,
    role: String,
    #[server(default)] language: String,
    #[server(default)] request_key: String,
) -> Result<i64, AppError> {
    super::ssr::answer(super::ssr::create_client(
        crate::server::domain::clients::NewClient {
            account: None,
            place: String::new(),
            first_name,
            last_name,
            email,
            role,
            language,
            request_key,
        },
    ))
    .await
}

/// Sends or resends a client's invitation, with the form `form` (its id;
/// empty for none) waiting for them once they activate.
#[server(prefix = "/api", endpoint = "send_invitation")]
pub async fn send_invitation(
    client_id: i64,
    #[server(default)] form: String,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let client_id = crate::model::ClientId(client_id);
        let form = crate::server::domain::forms::chosen(&form)?;
        use crate::server::domain::authority::Action;
        use crate::server::domain::clients;

        let (state, current) = super::ssr::require_staff().await?;
        // The limit is counted only for a client the caller may invite, so
        // nobody spends another organization's allowance.
        let client =
            clients::target(&state.db, &current, client_id, Action::SendInvitation).await?;
        let key = format!("{}:{client_id}", current.organization_id);
        super::ssr::rate_limit(&state, "resend", &key).await?;
        clients::send_invitation(&state.db, &current, client, form, state.now()).await?;
        state.mail.wake();
        super::ssr::announce_client(&state, current.organization_id, client_id).await;
        Ok(())
    })
    .await
}

/// Disables or enables a client's portal access.
#[server(prefix = "/api", endpoint = "set_client_access")]
pub async fn set_client_access(client_id: i64, enabled: bool) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let client_id = crate::model::ClientId(client_id);
        let (state, current) = super::ssr::require_staff().await?;
        let now = state.now();
        if crate::server::domain::clients::set_access(&state.db, &current, client_id, enabled, now)
            .await?
        {
            state.mail.wake();
        }
        super::ssr::announce_client(&state, current.organization_id, client_id).await;
        Ok(())
    })
    .await
}

/// One client with its whole timeline.
#[server(prefix = "/api", endpoint = "get_client")]
pub async fn get_client(client_id: i64) -> Result<ClientDetail, AppError> {
    super::ssr::answer(async move {
        let client_id = crate::model::ClientId(client_id);
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::timeline::client_detail(&state.db, &current, client_id, state.now())
            .await
    })
    .await
}

/// Adds, changes or removes the email of a client who has not activated.
/// Chooses the language of a client's emails and pages ("en", "fr", or empty
/// for the organization's).
#[server(prefix = "/api", endpoint = "change_client_language")]
pub async fn change_client_language(client_id: i64, language: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let client_id = crate::model::ClientId(client_id);
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::clients::change_language(&state.db, &current, client_id, &language)
            .await?;
        super::ssr::announce_client(&state, current.organization_id, client_id).await;
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "change_client_email")]
pub async fn change_client_email(client_id: i64, email: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let client_id = crate::model::ClientId(client_id);
        let (state, current) = super::ssr::require_staff().await?;
        let now = state.now();
        crate::server::domain::clients::change_email(&state.db, &current, client_id, &email, now)
            .await?;
        super::ssr::announce_client(&state, current.organization_id, client_id).await;
        Ok(())
    })
    .await
}
