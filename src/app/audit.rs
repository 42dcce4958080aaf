//! `/audit`: the organization's security events, for owners and admins.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::portal::Portal;
use crate::api::audit::audit_trail;
use crate::model::AuditFilter;

/// What the filter menu calls each choice (None: no filter).
fn label(filter: Option<AuditFilter>) -> &'static str {
    match filter {
        None => "All events",
        Some(AuditFilter::SignIns) => "Sign-ins",
        Some(AuditFilter::FailedSignIns) => "Failed sign-ins",
        Some(AuditFilter::Passwords) => "Password resets",
        Some(AuditFilter::Invitations) => "Invitations and sign-ups accepted",
        Some(AuditFilter::Access) => "Access disabled or enabled",
        Some(AuditFilter::Settings) => "Settings changes",
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.read().get("filter").unwrap_or_default();
    let lines = Resource::new(filter, audit_trail);
    view! {
        <Portal title="Audit trail">
            <h1>"Audit trail"</h1>
            <Form method="GET" action="/audit" attr:class="filters" attr:role="search">
                <div class="field">
                    <label for="audit-filter">"Show"</label>
                    <select id="audit-filter" name="filter">
                        {move || {
                            let current = filter();
                            std::iter::once(None)
                                .chain(AuditFilter::ALL.iter().copied().map(Some))
                                .map(|f| {
                                    let value = f.map_or("", AuditFilter::as_str);
                                    view! { <option value=value selected=value == current>{label(f)}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <button type="submit" class="secondary">"Apply"</button>
            </Form>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(list) if list.is_empty() => view! {
                            <section class="empty" aria-labelledby="empty-title">
                                <h2 id="empty-title">"Nothing to show yet"</h2>
                                <p>"Sign-ins, password resets, accepted invitations, access and settings changes appear here as they happen."</p>
                            </section>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <table class="clients" aria-label="Audit trail, newest first">
                                <thead>
                                    <tr>
                                        <th scope="col">"When"</th>
                                        <th scope="col">"Event"</th>
                                        <th scope="col">"About"</th>
                                        <th scope="col">"By"</th>
                                        <th scope="col">"Detail"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .into_iter()
                                        .map(|l| view! {
                                            <tr>
                                                <td>{l.when}</td>
                                                <td>{l.event}</td>
                                                <td>{l.about}</td>
                                                <td>{l.by}</td>
                                                <td>{l.detail}</td>
                                            </tr>
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}
