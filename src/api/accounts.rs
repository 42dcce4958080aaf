//! Client accounts: their page, their members, plans, "Invite all owners".

// A server function takes its form's fields as arguments; adding a member
// has many.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::model::{AccountChoices, AccountDetail, AppError, Choice, OwnersInvited, Plan};

/// One client account of the caller's organization, with its members and
/// what it may be given (plans, staff).
#[server(prefix = "/api", endpoint = "get_account")]
pub async fn get_account(account_id: i64) -> Result<AccountDetail, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let id = crate::model::AccountId(account_id);
        crate::server::domain::client_accounts::detail(&state.db, &current, id, state.now()).await
    })
    .await
}

/// Renames an account and sets its plan and assigned staff member (their
/// ids; empty for none).
#[server(prefix = "/api", endpoint = "save_account")]
pub async fn save_account(
    account_id: i64,
    name: String,
    #[server(default)] plan: String,
    #[server(default)] assigned_staff: String,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::domain::client_accounts::{AccountForm, update};

        let (state, current) = super::ssr::require_staff().await?;
        let id = crate::model::AccountId(account_id);
        let form = AccountForm {
            name,
            plan,
            assigned_staff,
        };
        update(&state.db, &current, id, &form).await?;
        super::ssr::announce_account(&state, current.organization_id, id).await;
        Ok(())
    })
    .await
}

/// Adds a member to an account: `place` is `owner` or `guest`. A guest with
/// an email is invited at once; an owner when the organization invites
/// automatically. `request_key` as for `create_client`.
#[server(prefix = "/api", endpoint = "add_member")]
pub async fn add_member(
    account_id: i64,
    first_name: String,
    last_name: String,
    email: String,
    place: String,
    role: String,
    #[server(default)] language: String,
    #[server(default)] request_key: String,
) -> Result<i64, AppError> {
    super::ssr::answer(super::ssr::create_client(
        crate::server::domain::clients::NewClient {
            account: Some(crate::model::AccountId(account_id)),
            place,
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

/// Moves a client to another account of the organization, as `owner` or
/// `guest`.
#[server(prefix = "/api", endpoint = "move_member")]
pub async fn move_member(
    client_id: i64,
    #[server(default)] account_id: i64,
    place: String,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let client_id = crate::model::ClientId(client_id);
        let to = crate::model::AccountId(account_id);
        crate::server::domain::client_accounts::move_member(
            &state.db, &current, client_id, to, &place,
        )
        .await?;
        super::ssr::announce_client(&state, current.organization_id, client_id).await;
        Ok(())
    })
    .await
}

/// Makes a member an `owner` or a `guest` of their account.
#[server(prefix = "/api", endpoint = "set_member_place")]
pub async fn set_member_place(client_id: i64, place: String) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let client_id = crate::model::ClientId(client_id);
        crate::server::domain::client_accounts::set_place(&state.db, &current, client_id, &place)
            .await?;
        super::ssr::announce_client(&state, current.organization_id, client_id).await;
        Ok(())
    })
    .await
}

/// Invites every owner of an account who can be invited, each sent the
/// form `form` (its id; empty for none) too; says what it did.
#[server(prefix = "/api", endpoint = "invite_owners")]
pub async fn invite_owners(
    account_id: i64,
    #[server(default)] form: String,
) -> Result<OwnersInvited, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let id = crate::model::AccountId(account_id);
        let form = crate::server::domain::forms::chosen(&form)?;
        // Counted per account, like a resend per client.
        let key = format!("{}:account:{id}", current.organization_id);
        super::ssr::rate_limit(&state, "resend", &key).await?;
        let (outcome, invited) = crate::server::domain::client_accounts::invite_owners(
            &state.db,
            &current,
            id,
            form,
            state.now(),
        )
        .await?;
        if !invited.is_empty() {
            state.mail.wake();
        }
        for client_id in invited {
            super::ssr::announce_client(&state, current.organization_id, client_id).await;
        }
        Ok(outcome)
    })
    .await
}

/// Accounts found by words in their name or a member's name or email (ten
/// at most): where a client can be moved to.
#[server(prefix = "/api", endpoint = "find_accounts")]
pub async fn find_accounts(search: String) -> Result<Vec<Choice>, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::client_accounts::find(&state.db, &current, &search).await
    })
    .await
}

/// The organization's plans, with how many accounts are on each.
#[server(prefix = "/api", endpoint = "list_plans")]
pub async fn list_plans() -> Result<Vec<Plan>, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::client_accounts::plans(&state.db, &current).await
    })
    .await
}

/// Adds a plan name (owners and admins).
#[server(prefix = "/api", endpoint = "add_plan")]
pub async fn add_plan(name: String) -> Result<i64, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::client_accounts::add_plan(&state.db, &current, &name, state.now())
            .await
            .map(|id| id.0)
    })
    .await
}

/// Removes a plan (owners and admins); its accounts are then on no plan.
#[server(prefix = "/api", endpoint = "remove_plan")]
pub async fn remove_plan(plan_id: i64) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let id = crate::model::PlanId(plan_id);
        crate::server::domain::client_accounts::remove_plan(&state.db, &current, id).await
    })
    .await
}

/// The plans and staff the client list's filters offer.
#[server(prefix = "/api", endpoint = "account_choices")]
pub async fn get_account_choices() -> Result<AccountChoices, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        crate::server::domain::client_accounts::choices(&state.db, &current).await
    })
    .await
}

/// Saves what the members of an account may use in the portal: per section
/// `default` (the organization's choice), `on` or `off`.
#[server(prefix = "/api", endpoint = "save_account_permissions")]
pub async fn save_account_permissions(
    account_id: i64,
    #[server(default)] profile: String,
    #[server(default)] documents: String,
    #[server(default)] uploads: String,
    #[server(default)] invoices: String,
    #[server(default)] payments: String,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let id = crate::model::AccountId(account_id);
        let choices = [profile, documents, uploads, invoices, payments];
        crate::server::domain::permissions::set_for_account(
            &state.db,
            &current,
            id,
            &choices,
            state.now(),
        )
        .await
    })
    .await
}
