//! Server functions: thin adapters that take the state and the caller from
//! the request, call `server::domain`, and return DTOs from `model`.

pub mod accounts;
pub mod activation;
pub mod audit;
pub mod auth;
pub mod bulk;
pub mod clients;
pub mod documents;
pub mod forms;
pub mod imports;
pub mod intake;
pub mod me;
pub mod organizations;
pub mod overview;
pub mod reset;
pub mod settings;
pub mod signup;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use axum::http::{HeaderMap, HeaderValue, header};
    use leptos::prelude::expect_context;

    use crate::model::{AppError, ClientId, OrganizationId, UserId};
    use crate::server::AppState;
    use crate::server::auth::{CurrentSession, session};
    use crate::server::events::Event;

    /// Whether the request is a form posted without JavaScript (a plain
    /// HTML form: the browser accepts `text/html`). Leptos answers such a
    /// post with a redirect: back to the form, the error in its query, or to
    /// where the server function sends it.
    fn plain_form_post() -> bool {
        leptos::prelude::use_context::<axum::http::request::Parts>().is_some_and(|p| {
            p.headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        })
    }

    /// After a plain form post (see [`plain_form_post`]), sends the browser
    /// to `to`, where the page shows the outcome; the hydrated page shows it
    /// from the action's value instead and is left where it is. Without
    /// this, a plain post that succeeds goes back to the page it came from,
    /// which cannot know what happened.
    pub fn after_plain_post(to: &str) {
        if plain_form_post() {
            leptos_axum::redirect(to);
        }
    }

    /// Runs a server function's body and gives its error answer the HTTP
    /// status that fits it (except for a plain form post, which is answered
    /// with a redirect), so that expected refusals are not logged or
    /// counted as server failures.
    pub async fn answer<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
        let result = body.await;
        // A plain form post's answer stays the redirect Leptos makes of it
        // (a browser follows `Location` only on a 3xx).
        if let Err(e) = &result
            && !plain_form_post()
        {
            expect_context::<leptos_axum::ResponseOptions>().set_status(e.status());
        }
        result
    }

    /// The request's headers, inside a server function.
    pub async fn request_headers() -> Result<HeaderMap, AppError> {
        leptos_axum::extract::<HeaderMap>()
            .await
            .map_err(AppError::internal)
    }

    /// Adds a `Set-Cookie` header to the server function's response.
    pub fn set_cookie(value: HeaderValue) {
        expect_context::<leptos_axum::ResponseOptions>().append_header(header::SET_COOKIE, value);
    }

    /// Signs the requester in as `user_id` in `organization_id`: a new
    /// session (the old one, if any, ends) and its cookie on the response.
    pub async fn start_session(
        state: &AppState,
        user_id: UserId,
        organization_id: OrganizationId,
    ) -> Result<(), AppError> {
        let headers = request_headers().await?;
        set_cookie(session::start(&state.sessions, &headers, user_id, organization_id).await?);
        Ok(())
    }

    /// Creates a client as the signed-in member of staff (a new account's
    /// owner, or a member of an existing account): wakes the outbox when an
    /// invitation was queued and tells open pages; returns the client's id
    /// (the first one's, for a repeated request key). Add client and Add
    /// member both answer with it.
    pub async fn create_client(
        input: crate::server::domain::clients::NewClient,
    ) -> Result<i64, AppError> {
        let (state, current) = require_staff().await?;
        let created =
            crate::server::domain::clients::create(&state.db, &current, input, state.now()).await?;
        if created.invited {
            state.mail.wake();
        }
        if created.new {
            announce_client(&state, current.organization_id, created.client_id).await;
        }
        Ok(created.client_id.0)
    }

    /// Tells the organization's open pages that a client changed.
    pub async fn announce_client(
        state: &AppState,
        organization_id: OrganizationId,
        client_id: ClientId,
    ) {
        state
            .events
            .publish(Event::client(organization_id, client_id))
            .await;
    }

    /// Tells open pages that something shown on every member's row of an
    /// account changed (its name, plan or staff; a new upload).
    pub async fn announce_account(
        state: &AppState,
        organization_id: OrganizationId,
        id: crate::model::AccountId,
    ) {
        match crate::server::domain::client_accounts::member_ids(&state.db, organization_id, id)
            .await
        {
            Ok(ids) => {
                for client_id in ids {
                    announce_client(state, organization_id, client_id).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not announce an account change"),
        }
    }

    /// Tells the open pages of every organization where this person is a
    /// client that their row changed (a sign-in, an activation).
    pub async fn announce_person(state: &AppState, user_id: UserId) {
        match crate::server::domain::me::client_rows(&state.db, user_id).await {
            Ok(rows) => {
                for (organization_id, client_id) in rows {
                    announce_client(state, organization_id, client_id).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not announce a sign-in"),
        }
    }

    /// The client's address as the server sees it (the peer of the
    /// connection), for per-address limits.
    pub async fn client_ip() -> String {
        use axum::extract::ConnectInfo;
        leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>()
            .await
            .map_or_else(
                |_| "unknown".to_owned(),
                |ConnectInfo(a)| a.ip().to_string(),
            )
    }

    /// Refuses the request when one of its limits is used up, and counts it:
    /// `key` per email or link, the client's address per address.
    pub async fn rate_limit(state: &AppState, what: &str, key: &str) -> Result<(), AppError> {
        use crate::server::throttle::take;
        let ip = client_ip().await;
        let limits = &state.config.limits;
        let per_ip = format!("{what}-ip");
        // A request counts whether or not it succeeds.
        let _counted = take(
            &state.db,
            state.config.secret.expose(),
            &[
                (what, key, limits.requests_per_key),
                (&per_ip, &ip, limits.requests_per_ip),
            ],
            state.now(),
        )
        .await?;
        Ok(())
    }

    /// The signed-in person making this request, whatever their role.
    pub async fn require_signed_in() -> Result<(AppState, CurrentSession), AppError> {
        let state = AppState::from_context()?;
        let headers = request_headers().await?;
        let current = session::current(&state.sessions, &headers)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok((state, current))
    }

    /// The signed-in member of staff making this request.
    pub async fn require_staff() -> Result<(AppState, CurrentSession), AppError> {
        let (state, current) = require_signed_in().await?;
        if !current.role.is_staff() {
            return Err(AppError::Forbidden);
        }
        Ok((state, current))
    }
}
