//! The client list, creating clients and inviting them.

use leptos::prelude::*;

use crate::model::{AppError, ClientDetail, ClientPage};

pub const PAGE_SIZE: i64 = 50;

/// One page (1-based) of the caller's organization's clients: `search` finds
/// words in names and emails, `status` is a filter name (`pending`, `failed`,
/// … or empty for all), `sort` is `oldest` or newest first.
#[server(prefix = "/api", endpoint = "list_clients")]
pub async fn list_clients(
    page: i64,
    #[server(default)] search: String,
    #[server(default)] status: String,
    #[server(default)] sort: String,
) -> Result<ClientPage, AppError> {
    super::ssr::answer(async move {
        use crate::server::db::clients::{ListQuery, StatusFilter};
        use crate::server::{db, domain, now_ms};

        let (state, current) = super::ssr::require_staff().await?;
        let now = now_ms();
        let search = domain::rules::search(&search);
        let query = ListQuery {
            organization_id: current.organization_id,
            search: &search,
            status: StatusFilter::parse(&status),
            oldest_first: sort == "oldest",
            limit: PAGE_SIZE,
            offset: (page.clamp(1, 1_000_000) - 1) * PAGE_SIZE,
            now,
        };
        let page = db::clients::page(&state.db, &query).await?;
        Ok(ClientPage {
            rows: page
                .rows
                .into_iter()
                .map(|r| domain::clients::row(r, now))
                .collect(),
            total: page.total.min(db::clients::COUNT_CAP),
            more: page.total > db::clients::COUNT_CAP,
        })
    })
    .await
}

/// Creates a client; with an email, the invitation goes out at once when the
/// organization invites automatically.
#[server(prefix = "/api", endpoint = "create_client")]
pub async fn create_client(
    first_name: String,
    last_name: String,
    email: String,
    role: String,
) -> Result<i64, AppError> {
    super::ssr::answer(async move {
        use crate::server::domain::clients::{self, NewClient};

        let (state, current) = super::ssr::require_staff().await?;
        let created = clients::create(
            &state.db,
            &current,
            NewClient {
                first_name,
                last_name,
                email,
                role,
            },
        )
        .await?;
        if created.invited {
            state.mail.wake();
        }
        super::ssr::announce_client(&state, current.organization_id, created.client_id).await;
        Ok(created.client_id)
    })
    .await
}

/// Sends or resends a client's invitation.
#[server(prefix = "/api", endpoint = "send_invitation")]
pub async fn send_invitation(client_id: i64) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::domain::authority::Action;
        use crate::server::domain::clients;

        let (state, current) = super::ssr::require_staff().await?;
        // The limit is counted only for a client the caller may invite, so
        // nobody spends another organization's allowance.
        let client =
            clients::target(&state.db, &current, client_id, Action::SendInvitation).await?;
        let key = format!("{}:{client_id}", current.organization_id);
        super::ssr::rate_limit(&state, "resend", &key).await?;
        clients::send_invitation(&state.db, &current, client).await?;
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
        let (state, current) = super::ssr::require_staff().await?;
        if crate::server::domain::clients::set_access(&state.db, &current, client_id, enabled)
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
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::timeline::client_detail(&state.db, &current, client_id).await
    })
    .await
}

/// Adds, changes or removes the email of a client who has not activated.
#[server(prefix = "/api", endpoint = "change_client_email")]
pub async fn change_client_email(client_id: i64, email: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::clients::change_email(&state.db, &current, client_id, &email)
            .await?;
        super::ssr::announce_client(&state, current.organization_id, client_id).await;
        Ok(())
    })
    .await
}
