//! `/audit`: the organization's security events, for owners and admins.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::portal::Portal;
use super::ui::{page_locale, say};
use crate::api::audit::audit_trail;
use crate::i18n::*;
use crate::model::AuditFilter;

/// What the filter menu calls each choice (None: no filter), in `locale`.
fn label(filter: Option<AuditFilter>, locale: Locale) -> &'static str {
    match filter {
        None => td_string!(locale, audit.all),
        Some(AuditFilter::SignIns) => td_string!(locale, audit.sign_ins),
        Some(AuditFilter::FailedSignIns) => td_string!(locale, audit.failed_sign_ins),
        Some(AuditFilter::Passwords) => td_string!(locale, audit.passwords),
        Some(AuditFilter::Invitations) => td_string!(locale, audit.invitations),
        Some(AuditFilter::Access) => td_string!(locale, audit.access),
        Some(AuditFilter::Settings) => td_string!(locale, audit.settings),
        Some(AuditFilter::Exports) => td_string!(locale, audit.exports),
        Some(AuditFilter::Profiles) => td_string!(locale, audit.profiles),
        Some(AuditFilter::Documents) => td_string!(locale, audit.documents),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = page_locale();
    let query = use_query_map();
    let filter = move || query.read().get("filter").unwrap_or_default();
    let lines = Resource::new(filter, audit_trail);
    view! {
        <Portal title=td_string!(locale, audit.title)>
            <h1>{td_string!(locale, audit.title)}</h1>
            <Form method="GET" action="/audit" attr:class="filters" attr:role="search">
                <div class="field">
                    <label for="audit-filter">{td_string!(locale, audit.show)}</label>
                    <select id="audit-filter" name="filter">
                        {move || {
                            let current = filter();
                            std::iter::once(None)
                                .chain(AuditFilter::ALL.iter().copied().map(Some))
                                .map(|f| {
                                    let value = f.map_or("", AuditFilter::as_str);
                                    view! { <option value=value selected=value == current>{label(f, locale)}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <button type="submit" class="secondary">{td_string!(locale, clients.apply)}</button>
            </Form>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(list) if list.is_empty() => view! {
                            <section class="empty" aria-labelledby="empty-title">
                                <h2 id="empty-title">{td_string!(locale, audit.empty_heading)}</h2>
                                <p>{td_string!(locale, audit.empty_text)}</p>
                            </section>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <table class="clients cards" aria-label=td_string!(locale, audit.table_label)>
                                <thead>
                                    <tr>
                                        <th scope="col">{td_string!(locale, audit.when)}</th>
                                        <th scope="col">{td_string!(locale, audit.event)}</th>
                                        <th scope="col">{td_string!(locale, audit.about)}</th>
                                        <th scope="col">{td_string!(locale, audit.by)}</th>
                                        <th scope="col">{td_string!(locale, audit.detail)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .into_iter()
                                        .map(|l| view! {
                                            <tr>
                                                <td data-label=td_string!(locale, audit.when)>{l.when}</td>
                                                <td data-label=td_string!(locale, audit.event)>{l.event}</td>
                                                <td data-label=td_string!(locale, audit.about)>{l.about}</td>
                                                <td data-label=td_string!(locale, audit.by)>{l.by}</td>
                                                <td data-label=td_string!(locale, audit.detail)>{l.detail}</td>
                                            </tr>
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}
