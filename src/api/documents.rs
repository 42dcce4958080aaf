//! Documents and invoices: the lists staff and clients see, invoice
//! details, marking an upload seen, removing a file. Uploads and downloads
//! are plain routes (`server::files`): files are streamed.

// A server function takes its form's fields as arguments; the invoice form
// has many.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::model::{AccountFiles, AppError, DocumentView};

/// The files of one client account of the caller's organization, newest
/// first; staff only.
#[server(prefix = "/api", endpoint = "account_documents")]
pub async fn account_documents(account_id: i64) -> Result<AccountFiles, AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let id = crate::model::AccountId(account_id);
        crate::server::domain::documents::of_account(&state.db, &current, id).await
    })
    .await
}

/// Makes a document an invoice, or changes its details: `issued_on` and
/// `due_on` as YYYY-MM-DD, `amount` like "1234.50", `currency` an ISO 4217
/// code, `status` open | paid | void, `payment_url` an https address (empty
/// for none). Staff only.
#[server(prefix = "/api", endpoint = "save_invoice")]
pub async fn save_invoice(
    document_id: i64,
    number: String,
    issued_on: String,
    due_on: String,
    amount: String,
    currency: String,
    status: String,
    #[server(default)] payment_url: String,
) -> Result<(), AppError> {
    super::ssr::answer(async move {
        use crate::server::domain::documents::{InvoiceForm, save_invoice};

        let (state, current) = super::ssr::require_staff().await?;
        let form = InvoiceForm {
            number,
            issued_on,
            due_on,
            amount,
            currency,
            status,
            payment_url,
        };
        let account = save_invoice(&state.db, &current, document_id, &form).await?;
        super::ssr::announce_account(&state, current.organization_id, account).await;
        Ok(())
    })
    .await
}

/// Marks a client's upload as seen: its "new upload" goes. Staff only.
#[server(prefix = "/api", endpoint = "mark_upload_seen")]
pub async fn mark_upload_seen(document_id: i64) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let account = crate::server::domain::documents::mark_seen(
            &state.db,
            &current,
            document_id,
            state.now(),
        )
        .await?;
        super::ssr::announce_account(&state, current.organization_id, account).await;
        Ok(())
    })
    .await
}

/// Removes a file from its account; owners and admins only.
#[server(prefix = "/api", endpoint = "delete_document")]
pub async fn delete_document(document_id: i64) -> Result<(), AppError> {
    super::ssr::answer(async move {
        let (state, current) = super::ssr::require_staff().await?;
        let account = crate::server::domain::documents::delete(
            &state.db,
            &state.storage,
            &current,
            document_id,
            state.now(),
        )
        .await?;
        super::ssr::announce_account(&state, current.organization_id, account).await;
        Ok(())
    })
    .await
}

/// The documents (not invoices) of the signed-in client's account.
/// Forbidden (403) unless Documents is theirs.
#[server(prefix = "/api", endpoint = "my_documents")]
pub async fn my_documents() -> Result<Vec<DocumentView>, AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        crate::server::domain::documents::my_documents(&state.db, &me).await
    })
    .await
}

/// The invoices of the signed-in client's account, open ones first.
/// Forbidden (403) unless Invoices is theirs.
#[server(prefix = "/api", endpoint = "my_invoices")]
pub async fn my_invoices() -> Result<Vec<DocumentView>, AppError> {
    super::ssr::answer(async move {
        let (state, me) = super::ssr::require_signed_in().await?;
        crate::server::domain::documents::my_invoices(&state.db, &me).await
    })
    .await
}
