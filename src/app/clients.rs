//! The client list: adding clients, their status, inviting them.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::bulk::{BulkInvitePanel, BulkJobs, ListScope};
use super::form::{Field, FormMessage, Select, action_error, tick};
use super::live::{Change, use_live};
use super::portal::Portal;
use crate::api::clients::{CreateClient, SendInvitation, SetClientAccess, list_clients};
use crate::model::{
    CLIENT_PAGE_SIZE, ClientFilter, ClientPage, ClientRow, ClientStatus, Language, format_count,
};

#[component]
pub fn ClientsPage() -> impl IntoView {
    let create = ServerAction::<CreateClient>::new();
    let send = ServerAction::<SendInvitation>::new();
    let access = ServerAction::<SetClientAccess>::new();
    let send_error = action_error(send);
    let access_error = action_error(access);
    let actions = Actions { send, access };
    let selected = RwSignal::new(Vec::<i64>::new());
    let query = use_query_map();
    let filters = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        ListFilters {
            search: get("q"),
            status: get("status"),
            sort: get("sort"),
            page: get("page").parse().unwrap_or(1).max(1),
        }
    };
    // Statuses follow the worker, the clients and the other admins live.
    let live = use_live(|c| matches!(c, Change::Clients { .. }));
    let clients = Resource::new(
        move || {
            (
                filters(),
                create.version().get(),
                send.version().get(),
                access.version().get(),
                live.get(),
            )
        },
        |(f, ..)| list_clients(f.page, f.search, f.status, f.sort),
    );
    // The list's count as last loaded: while a live reload runs, the bulk
    // panel keeps saying "All 25 clients" rather than "All 0".
    let counted = Memo::new(move |before: Option<&(i64, bool)>| {
        clients
            .get()
            .and_then(Result::ok)
            .map(|p| (p.total, p.more))
            .or(before.copied())
            .unwrap_or((0, false))
    });
    let scope = Signal::derive(move || {
        let f = filters();
        let (total, more) = counted.get();
        ListScope {
            search: f.search,
            status: f.status,
            total,
            more,
        }
    });
    view! {
        <Portal title="Clients">
            <h1>"Clients"</h1>
            <NewClientForm action=create />
            <div aria-live="polite">
                {move || {
                    match (send.value().get(), send_error.get()) {
                        (Some(Ok(())), _) => Some(view! { <p class="notice">"Invitation queued."</p> }.into_any()),
                        (_, error) => error.map(|e| view! { <p class="notice problem">{e.to_string()}</p> }.into_any()),
                    }
                }}
                {move || {
                    access_error.get().map(|e| view! { <p class="notice problem">{e.to_string()}</p> })
                }}
            </div>
            <FilterForm filters=filters() />
            <BulkInvitePanel selected scope />
            <BulkJobs limit=3 />
            <Transition fallback=|| view! { <p class="loading">"Loading clients…"</p> }>
                {move || Suspend::new(async move {
                    match clients.await {
                        Ok(page) => view! { <ClientTable page actions filters=filters() selected /> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}

/// A client's language: the organization's unless chosen here.
const CLIENT_LANGUAGES: &[(&str, &str)] = &[
    ("", "The organization's language"),
    (Language::English.as_str(), Language::English.own_name()),
    (Language::French.as_str(), Language::French.own_name()),
];

/// The roles a new person can get. Only owners and admins may choose the
/// last two; the server says so at the field otherwise.
const ROLES: &[(&str, &str)] = &[
    ("client", "Client"),
    (
        "collaborator",
        "Collaborator (an employee or teacher who needs portal access)",
    ),
    ("staff", "Staff (manages clients and invitations)"),
    ("admin", "Admin (also changes the organization's settings)"),
];

#[component]
fn NewClientForm(action: ServerAction<CreateClient>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <details class="new-client" open>
            <summary>"Add a client"</summary>
            <ActionForm action=action attr:class="card">
                <div class="row">
                    <Field label="First name" name="first_name" autocomplete="off" error />
                    <Field label="Last name" name="last_name" autocomplete="off" error />
                </div>
                <Field
                    label="Email (optional)"
                    name="email"
                    kind="email"
                    hint="With an email, the invitation is sent at once."
                    optional=true
                    error
                />
                <Select label="Role" name="role" options=ROLES selected="client" error />
                <Select
                    label="Language of their emails"
                    name="language"
                    options=CLIENT_LANGUAGES
                    selected=""
                    error
                />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>"Add client"</button>
            </ActionForm>
        </details>
    }
}

/// The list's search, filter, order and page, as in the address bar.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListFilters {
    search: String,
    status: String,
    sort: String,
    page: i64,
}

impl ListFilters {
    fn is_filtered(&self) -> bool {
        !self.search.is_empty() || !self.status.is_empty()
    }

    /// The address of another page of the same list.
    fn page_href(&self, page: i64) -> String {
        let mut href = format!("/clients?page={page}");
        for (key, value) in [
            ("q", &self.search),
            ("status", &self.status),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                href.push_str(&format!("&{key}={}", super::encode_query(value)));
            }
        }
        href
    }
}

/// What the status menu calls each filter (None: no filter).
fn filter_label(filter: Option<ClientFilter>) -> &'static str {
    match filter {
        None => "All",
        Some(ClientFilter::Pending) => "Invitation pending",
        Some(ClientFilter::NotInvited) => "Not invited",
        Some(ClientFilter::NoEmail) => "No email",
        Some(ClientFilter::Expired) => "Expired",
        Some(ClientFilter::Failed) => "Email failed",
        Some(ClientFilter::Active) => "Active",
        Some(ClientFilter::Disabled) => "Disabled",
    }
}

#[component]
fn FilterForm(filters: ListFilters) -> impl IntoView {
    view! {
        <Form method="GET" action="/clients" attr:class="filters" attr:role="search">
            <div class="field">
                <label for="filter-q">"Search"</label>
                <input id="filter-q" type="search" name="q" value=filters.search.clone() placeholder="Name or email" />
            </div>
            <div class="field">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" name="status">
                    {std::iter::once(None)
                        .chain(ClientFilter::ALL.iter().copied().map(Some))
                        .map(|f| {
                            let value = f.map_or("", ClientFilter::as_str);
                            view! { <option value=value selected=filters.status == value>{filter_label(f)}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-sort">"Order"</label>
                <select id="filter-sort" name="sort">
                    <option value="" selected=filters.sort != "oldest">"Newest first"</option>
                    <option value="oldest" selected=filters.sort == "oldest">"Oldest first"</option>
                </select>
            </div>
            <button type="submit" class="secondary">"Apply"</button>
        </Form>
    }
}

/// The row buttons' actions.
#[derive(Clone, Copy)]
struct Actions {
    send: ServerAction<SendInvitation>,
    access: ServerAction<SetClientAccess>,
}

#[component]
fn ClientTable(
    page: ClientPage,
    actions: Actions,
    filters: ListFilters,
    selected: RwSignal<Vec<i64>>,
) -> impl IntoView {
    if page.rows.is_empty() && filters.is_filtered() {
        return view! {
            <section class="empty" aria-labelledby="empty-title">
                <h2 id="empty-title">"No clients match"</h2>
                <p>"Try other words, or "<a href="/clients">"show all clients"</a>"."</p>
            </section>
        }
        .into_any();
    }
    if page.rows.is_empty() {
        return view! {
            <section class="empty" aria-labelledby="empty-title">
                <h2 id="empty-title">"No clients yet"</h2>
                <p>"Add your first client above: with an email, they get an invitation right away."</p>
            </section>
        }
        .into_any();
    }
    let page_ids: std::sync::Arc<[i64]> = page.rows.iter().map(|r| r.id).collect();
    let page_ids_for_change = page_ids.clone();
    view! {
        <p class="count" aria-live="polite">
            {match (page.total, page.more) {
                (n, true) => format!("More than {} clients", format_count(n)),
                (1, false) => "1 client".to_owned(),
                (n, false) => format!("{} clients", format_count(n)),
            }}
        </p>
        <table class="clients">
            <thead>
                <tr>
                    <th scope="col">
                        <input
                            type="checkbox"
                            aria-label="Select all on this page"
                            prop:checked=move || {
                                let s = selected.read();
                                page_ids.iter().all(|id| s.contains(id))
                            }
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected.update(|s| {
                                    s.retain(|id| !page_ids_for_change.contains(id));
                                    if on {
                                        s.extend(page_ids_for_change.iter().copied());
                                    }
                                });
                            }
                        />
                    </th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {page.rows.into_iter().map(|c| view! { <ClientLine client=c actions selected /> }).collect_view()}
            </tbody>
        </table>
        <Pager total=page.total more=page.more filters />
    }
    .into_any()
}

#[component]
fn Pager(total: i64, more: bool, filters: ListFilters) -> impl IntoView {
    // Past the counting cap the last page is unknown: "Next" stays offered.
    let pages = ((total + CLIENT_PAGE_SIZE - 1) / CLIENT_PAGE_SIZE).max(1);
    let current = if more {
        filters.page
    } else {
        filters.page.min(pages)
    };
    let label = if more {
        format!("Page {current}")
    } else {
        format!("Page {current} of {pages}")
    };
    (more || pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages">
                {(current > 1).then(|| view! { <a href=filters.page_href(current - 1) rel="prev">"Previous"</a> })}
                <span>{label}</span>
                {(more || current < pages).then(|| view! { <a href=filters.page_href(current + 1) rel="next">"Next"</a> })}
            </nav>
        }
    })
}

#[component]
fn ClientLine(client: ClientRow, actions: Actions, selected: RwSignal<Vec<i64>>) -> impl IntoView {
    let name = format!("{} {}", client.first_name, client.last_name);
    let action_label = match client.status {
        ClientStatus::NotInvited => Some("Send invitation"),
        ClientStatus::Sent
        | ClientStatus::Waiting
        | ClientStatus::WaitingToJoin
        | ClientStatus::Expired
        | ClientStatus::EmailFailed => Some("Resend invitation"),
        _ => None,
    };
    let id = client.id;
    let enabled = client.status != ClientStatus::Disabled;
    let access_label = if enabled {
        "Disable access"
    } else {
        "Enable access"
    };
    view! {
        <tr>
            <td>
                <input
                    type="checkbox"
                    aria-label=format!("Select {name}")
                    prop:checked=move || selected.read().contains(&id)
                    on:change=move |ev| tick(selected, id, event_target_checked(&ev))
                />
            </td>
            <td>
                <a href=format!("/clients/{id}")>{name.clone()}</a>
            </td>
            <td>{client.email.unwrap_or_else(|| "—".into())}</td>
            <td>
                <span class=client.status.css_class()>{client.status_text}</span>
            </td>
            <td>{client.created}</td>
            <td>
                {action_label.map(|label| {
                    view! {
                        <button
                            type="button"
                            class="secondary small"
                            aria-label=format!("{label} to {name}")
                            on:click=move |_| {
                                actions.send.dispatch(SendInvitation { client_id: id });
                            }
                        >
                            {label}
                        </button>
                    }
                })}
                <button
                    type="button"
                    class="link small"
                    aria-label=format!("{access_label} for {name}")
                    on:click=move |_| {
                        actions.access.dispatch(SetClientAccess { client_id: id, enabled: !enabled });
                    }
                >
                    {access_label}
                </button>
            </td>
        </tr>
    }
}
