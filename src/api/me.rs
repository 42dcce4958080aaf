//! A signed-in person's own page, and the development mailbox.

use leptos::prelude::*;

use crate::model::{AppError, Dashboard, MailboxMessage};

/// The signed-in person's profile and organizations.
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn my_dashboard() -> Result<Dashboard, AppError> {
    super::ssr::answer(async move {
        use crate::model::OrganizationChoice;
        use crate::server::AppState;
        use crate::server::auth::session;
        use crate::server::db;

        let state = AppState::from_context()?;
        let headers = super::ssr::request_headers().await?;
        let me = session::current(&state, &headers)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let orgs = db::orgs::organizations_of(&state.db.pool, me.user_id, false).await?;
        let current = orgs
            .iter()
            .find(|o| o.id == me.organization_id)
            .map(|o| o.name.clone())
            .unwrap_or_default();
        Ok(Dashboard {
            name: me.user_name,
            email: me.user_email,
            organizations: orgs
                .into_iter()
                .map(|o| OrganizationChoice {
                    id: o.id,
                    name: o.name,
                })
                .collect(),
            current_organization: current,
        })
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
        use crate::server::domain::time::format_ago;
        use crate::server::{db, now_ms};

        let (state, current) = super::ssr::require_staff().await?;
        if !state.config.dev_mailbox {
            return Err(AppError::NotFound);
        }
        if current.role != crate::model::Role::Owner {
            return Err(AppError::Forbidden);
        }
        let now = now_ms();
        let messages = db::outbox::mailbox(&state.db.pool, current.organization_id, 100).await?;
        Ok(messages
            .into_iter()
            .map(|m| MailboxMessage {
                id: m.id,
                to: m.recipient,
                subject: m.subject,
                text: m.text_body,
                html: m.html_body,
                received: format_ago(m.created_at, now),
            })
            .collect())
    })
    .await
}
