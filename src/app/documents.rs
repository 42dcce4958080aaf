//! Documents and invoices on the pages: the upload form (a plain form: it
//! works before the page's code has loaded), staff's list of an account's
//! files with their invoice details, and a client's documents and invoices.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::live::{Change, use_live};
use super::ui::{
    Badge, Field, FormMessage, Notice, Notices, Options, Select, Tone, action_error, page_locale,
    say,
};
use crate::api::documents::{
    DeleteDocument, MarkUploadSeen, SaveInvoice, account_documents, my_documents, my_invoices,
};
use crate::i18n::*;
use crate::model::{BadgeTone, DocumentView, InvoiceStatus, Problem};

/// What the file input accepts (a hint to the browser's picker; the server
/// decides from the content).
const ACCEPT: &str =
    ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.rtf,.txt";

/// Uploading a file to `action` (a plain multipart form post). The answer
/// comes back to this page naming a problem (`?problem=`), shown at the
/// field, or the new file (`?uploaded=`), announced.
#[component]
pub fn UploadForm(action: String) -> impl IntoView {
    let locale = page_locale();
    let query = use_query_map();
    let problem = move || {
        query
            .read()
            .get("problem")
            .and_then(|p| Problem::from_upload_name(&p))
    };
    // Said once the page is interactive (set by an effect, which runs in
    // the browser only): the live region then announces it, and the
    // server's HTML and the hydrated page agree.
    let uploaded = RwSignal::new(false);
    Effect::new(move |_| uploaded.set(query.read().get("uploaded").is_some()));
    view! {
        <Notices>
            {move || uploaded.get().then(|| view! { <Notice tone=Tone::Good>{td_string!(locale, documents.uploaded)}</Notice> })}
        </Notices>
        <form class="card" method="post" action=action enctype="multipart/form-data">
            <div class="field" class:invalid=move || problem().is_some()>
                <label for="document-file">{td_string!(locale, documents.file)}</label>
                <input
                    id="document-file"
                    type="file"
                    name="file"
                    accept=ACCEPT
                    required
                    aria-describedby="document-file-hint document-file-error"
                    aria-invalid=move || if problem().is_some() { "true" } else { "false" }
                />
                <p class="hint" id="document-file-hint">{td_string!(locale, documents.file_hint)}</p>
                <p class="field-error" id="document-file-error" role="alert">
                    {move || problem().map(|p| p.text(locale))}
                </p>
            </div>
            <button type="submit">{td_string!(locale, documents.upload)}</button>
        </form>
    }
}

/// An invoice's status as a badge.
fn status_badge(status: InvoiceStatus) -> impl IntoView {
    let locale = page_locale();
    let tone = match status {
        InvoiceStatus::Open => BadgeTone::Pending,
        InvoiceStatus::Paid => BadgeTone::Good,
        InvoiceStatus::Void => BadgeTone::Neutral,
    };
    view! { <Badge tone>{status.label(locale)}</Badge> }
}

/// A file's name as its download link.
fn download_link(d: &DocumentView) -> impl IntoView + use<> {
    let locale = page_locale();
    view! {
        <a href=format!("/documents/{}/download", d.id) download="">
            {d.name.clone()}
            <span class="visually-hidden">{format!(" ({})", td_string!(locale, documents.download))}</span>
        </a>
    }
}

/// The files of account `account_id` as staff see them: each with its
/// download link, a member's upload marked new until someone marks it
/// seen, and invoice details to give or change (one form at a time).
/// Follows live changes to the account's members (a new upload).
#[component]
pub fn AccountDocuments(account_id: i64) -> impl IntoView {
    let locale = page_locale();

    let seen = ServerAction::<MarkUploadSeen>::new();
    let remove = ServerAction::<DeleteDocument>::new();
    let invoice = ServerAction::<SaveInvoice>::new();
    let editing = RwSignal::new(None::<DocumentView>);
    let live = use_live(|c| matches!(c, Change::Clients { .. }));
    // Loaded once the page is interactive (a local resource): the list is
    // never part of the server's HTML, so hydration has nothing of it to
    // match.
    let files = LocalResource::new(move || {
        live.track();
        seen.version().track();
        remove.version().track();
        invoice.version().track();
        account_documents(account_id)
    });
    // A saved invoice closes its form.
    Effect::new(move |_| {
        if let Some(Ok(())) = invoice.value().get() {
            editing.set(None);
        }
    });
    let remove_error = action_error(remove);
    view! {
        <section aria-labelledby="documents-title" id="documents">
            <h2 id="documents-title">{td_string!(locale, documents.title)}</h2>
            <UploadForm action=format!("/accounts/{account_id}/documents") />
            <Notices>
                {move || matches!(invoice.value().get(), Some(Ok(()))).then(|| view! {
                    <Notice tone=Tone::Good>{td_string!(locale, documents.invoice_saved)}</Notice>
                })}
                {move || remove_error.get().map(|e| view! { <Notice tone=Tone::Problem>{say(&e)}</Notice> })}
            </Notices>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match files.await {
                        Ok(files) if files.documents.is_empty() => view! {
                            <p class="empty">{td_string!(locale, documents.none_staff)}</p>
                        }
                        .into_any(),
                        Ok(files) => {
                            let can_delete = files.can_delete;
                            let list = files.documents;
                            view! {
                            <ul class="documents">
                                {list
                                    .into_iter()
                                    .map(|d| {
                                        let id = d.id;
                                        let name = d.name.clone();
                                        let seen_name = d.name.clone();
                                        let for_form = d.clone();
                                        view! {
                                            <li>
                                                {download_link(&d)}
                                                {d.new_upload.then(|| view! { " " <Badge tone=BadgeTone::Pending>{td_string!(locale, documents.new_upload)}</Badge> })}
                                                <p class="meta">{td_string!(locale, documents.meta, size = d.size.clone(), when = d.uploaded.clone(), by = d.uploaded_by.clone())}</p>
                                                {d.invoice.map(|i| view! {
                                                    <p class="invoice">
                                                        {td_string!(locale, documents.invoice_line, number = i.number, amount = i.amount, due = i.due_on)}
                                                        " " {status_badge(i.status)}
                                                        {i.payment_url.map(|url| view! { " · " <a href=url rel="noopener noreferrer" target="_blank">{td_string!(locale, documents.payment_link)}</a> })}
                                                    </p>
                                                })}
                                                <div class="actions">
                                                    {d.new_upload.then(|| view! {
                                                        <button type="button" class="secondary small" on:click=move |_| { seen.dispatch(MarkUploadSeen { document_id: id }); }>
                                                            {td_string!(locale, documents.mark_seen, name = seen_name)}
                                                        </button>
                                                    })}
                                                    <button type="button" class="secondary small" on:click=move |_| editing.set(Some(for_form.clone()))>
                                                        {td_string!(locale, documents.invoice_details, name = d.name.clone())}
                                                    </button>
                                                    {can_delete.then(|| view! {
                                                        <button type="button" class="link small" on:click=move |_| { remove.dispatch(DeleteDocument { document_id: id }); }>
                                                            {td_string!(locale, documents.delete, name = name.clone())}
                                                        </button>
                                                    })}
                                                </div>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
            {move || editing.get().map(|d| view! { <InvoiceForm document=d action=invoice on_cancel=move || editing.set(None) /> })}
        </section>
    }
}

/// The invoice details of one document (a new invoice starts open, dated
/// today by the browser's date field being empty).
#[component]
fn InvoiceForm(
    document: DocumentView,
    action: ServerAction<SaveInvoice>,
    on_cancel: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let locale = page_locale();
    let error = action_error(action);
    let i = document.invoice.clone();
    let statuses: Options = InvoiceStatus::ALL
        .iter()
        .map(|s| (s.as_str().into(), s.label(locale).to_owned()))
        .collect();
    let status = i
        .as_ref()
        .map_or(InvoiceStatus::Open, |i| i.status)
        .as_str();
    view! {
        <ActionForm action attr:class="card" attr:aria-labelledby="invoice-form-title">
            <h3 id="invoice-form-title">{td_string!(locale, documents.invoice_form_title, name = document.name.clone())}</h3>
            <input type="hidden" name="document_id" value=document.id.to_string() />
            <Field label=td_string!(locale, documents.number) name="number" value=i.as_ref().map(|i| i.number.clone()).unwrap_or_default() error />
            <Field label=td_string!(locale, documents.issued_on) name="issued_on" kind="date" value=i.as_ref().map(|i| i.issued_value.clone()).unwrap_or_default() error />
            <Field label=td_string!(locale, documents.due_on) name="due_on" kind="date" value=i.as_ref().map(|i| i.due_value.clone()).unwrap_or_default() error />
            <Field label=td_string!(locale, documents.amount) name="amount" hint=td_string!(locale, documents.amount_hint) value=i.as_ref().map(|i| i.amount_value.clone()).unwrap_or_default() error />
            <Field label=td_string!(locale, documents.currency) name="currency" hint=td_string!(locale, documents.currency_hint) value=i.as_ref().map(|i| i.currency.clone()).unwrap_or_default() error />
            <Select label=td_string!(locale, documents.status) name="status" options=statuses selected=status error />
            <Field
                label=td_string!(locale, documents.payment_url)
                name="payment_url"
                kind="url"
                optional=true
                hint=td_string!(locale, documents.payment_url_hint)
                value=i.as_ref().and_then(|i| i.payment_url.clone()).unwrap_or_default()
                error
            />
            <FormMessage error />
            <div class="actions">
                <button type="submit" disabled=move || action.pending().get()>{td_string!(locale, documents.save_invoice)}</button>
                <button type="button" class="secondary" on:click=move |_| on_cancel()>{td_string!(locale, common.cancel)}</button>
            </div>
        </ActionForm>
    }
}

/// A client's documents, with the upload form while Uploads is theirs.
#[component]
pub fn MyDocuments(can_upload: bool) -> impl IntoView {
    let locale = page_locale();
    // A document staff share shows without a reload.
    let live = use_live(|c| matches!(c, Change::Clients { .. }));
    let files = Resource::new(move || live.get(), |_| my_documents());
    view! {
        <section aria-labelledby="my-documents-title" id="documents">
            <h2 id="my-documents-title">{td_string!(locale, documents.title)}</h2>
            {can_upload.then(|| view! { <UploadForm action="/documents/upload".to_owned() /> })}
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match files.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">{td_string!(locale, documents.none_client)}</p>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <ul class="documents">
                                {list
                                    .into_iter()
                                    .map(|d| view! {
                                        <li>
                                            {download_link(&d)}
                                            <p class="meta">{td_string!(locale, documents.meta, size = d.size.clone(), when = d.uploaded.clone(), by = d.uploaded_by.clone())}</p>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A client's invoices, open ones first, each with its Pay button while
/// Payments is theirs and it has a payment link.
#[component]
pub fn MyInvoices() -> impl IntoView {
    let locale = page_locale();
    let live = use_live(|c| matches!(c, Change::Clients { .. }));
    let invoices = Resource::new(move || live.get(), |_| my_invoices());
    view! {
        <section aria-labelledby="my-invoices-title" id="invoices">
            <h2 id="my-invoices-title">{td_string!(locale, documents.invoices_title)}</h2>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match invoices.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">{td_string!(locale, documents.no_invoices)}</p>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <ul class="documents">
                                {list
                                    .into_iter()
                                    .filter_map(|d| {
                                        let link = download_link(&d);
                                        d.invoice.map(|i| view! {
                                            <li>
                                                <p class="invoice">
                                                    {td_string!(locale, documents.invoice_line, number = i.number.clone(), amount = i.amount.clone(), due = i.due_on)}
                                                    " " {status_badge(i.status)}
                                                </p>
                                                {link}
                                                {i.payment_url.map(|url| view! {
                                                    <p>
                                                        <a class="button" href=url rel="noopener noreferrer" target="_blank">
                                                            {td_string!(locale, documents.pay, number = i.number, amount = i.amount)}
                                                        </a>
                                                    </p>
                                                })}
                                            </li>
                                        })
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
