//! The client list: adding clients, their status, inviting them.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::bulk::{BulkInvitePanel, BulkJobs, ListScope};
use super::live::{Change, use_live};
use super::portal::Portal;
use super::ui::{
    Badge, Field, FormMessage, Notice, Notices, RequestKey, Select, Tone, action_error, link,
    page_locale, reset_after_success, say, tick,
};
use crate::api::clients::{CreateClient, SendInvitation, SetClientAccess, list_clients};
use crate::i18n::*;
use crate::model::{
    CLIENT_PAGE_SIZE, ClientFilter, ClientPage, ClientRow, ClientStatus, Language, format_count,
};

#[component]
pub fn ClientsPage() -> impl IntoView {
    let locale = page_locale();
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
        <Portal title=td_string!(locale, clients.title)>
            <h1>{td_string!(locale, clients.title)}</h1>
            <NewClientForm action=create />
            <Notices>
                {move || {
                    match (send.value().get(), send_error.get()) {
                        (Some(Ok(())), _) => Some(view! { <Notice tone=Tone::Good>{td_string!(locale, clients.invitation_queued)}</Notice> }.into_any()),
                        (_, error) => error.map(|e| view! { <Notice tone=Tone::Problem>{say(&e)}</Notice> }.into_any()),
                    }
                }}
                {move || {
                    access_error.get().map(|e| view! { <Notice tone=Tone::Problem>{say(&e)}</Notice> })
                }}
            </Notices>
            <FilterForm filters=filters() />
            <BulkInvitePanel selected scope />
            <BulkJobs limit=3 />
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, clients.loading)}</p> }>
                {move || Suspend::new(async move {
                    match clients.await {
                        Ok(page) => view! { <ClientTable page actions filters=filters() selected /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}

/// A client's language: the organization's unless chosen here.
pub(super) fn client_languages() -> Vec<(&'static str, String)> {
    let locale = page_locale();
    std::iter::once((
        "",
        td_string!(locale, clients.organization_language).to_owned(),
    ))
    .chain(
        Language::ALL
            .iter()
            .map(|l| (l.as_str(), l.own_name().to_owned())),
    )
    .collect()
}

/// The roles a new person can get. Only owners and admins may choose the
/// last two; the server says so at the field otherwise.
fn roles() -> Vec<(&'static str, String)> {
    let locale = page_locale();
    vec![
        ("client", td_string!(locale, clients.role_client).to_owned()),
        (
            "collaborator",
            td_string!(locale, clients.role_collaborator).to_owned(),
        ),
        ("staff", td_string!(locale, clients.role_staff).to_owned()),
        ("admin", td_string!(locale, clients.role_admin).to_owned()),
    ]
}

/// Adding a client. After each success the form is emptied, the cursor goes
/// back to the first name and the notice says who was added; its request
/// key makes a double click add the client once.
#[component]
fn NewClientForm(action: ServerAction<CreateClient>) -> impl IntoView {
    let locale = page_locale();
    let error = action_error(action);
    let form = NodeRef::<leptos::html::Form>::new();
    let added = RwSignal::new(None::<i64>);
    let created = RwSignal::new(0_usize);
    reset_after_success(action, form, move |id: &i64| {
        added.set(Some(*id));
        created.update(|n| *n += 1);
    });
    // A failure after the notice takes the notice away.
    Effect::new(move |_| {
        if let Some(Err(_)) = action.value().get() {
            added.set(None);
        }
    });
    let key_loading = RwSignal::new(false);
    view! {
        <details class="new-client" open>
            <summary>{td_string!(locale, clients.add)}</summary>
            <Notices>
                {move || added.get().map(|id| view! {
                    <Notice tone=Tone::Good>
                        {td_string!(locale, clients.added)}
                        " "
                        <a href=format!("/clients/{id}")>{td_string!(locale, clients.open_added)}</a>
                    </Notice>
                })}
            </Notices>
            <ActionForm action=action node_ref=form attr:class="card">
                <RequestKey created=created.into() loading=key_loading />
                <div class="row">
                    <Field label=td_string!(locale, clients.first_name) name="first_name" autocomplete="off" error />
                    <Field label=td_string!(locale, clients.last_name) name="last_name" autocomplete="off" error />
                </div>
                <Field
                    label=td_string!(locale, clients.email_optional)
                    name="email"
                    kind="email"
                    hint=td_string!(locale, clients.email_hint)
                    optional=true
                    error
                />
                <Select label=td_string!(locale, clients.role) name="role" options=roles() selected="client" error />
                <Select
                    label=td_string!(locale, clients.email_language)
                    name="language"
                    options=client_languages()
                    selected=""
                    error
                />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get() || key_loading.get()>
                    {td_string!(locale, clients.add_button)}
                </button>
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
fn filter_label(filter: Option<ClientFilter>, locale: Locale) -> &'static str {
    match filter {
        None => td_string!(locale, clients.filter_all),
        Some(f) => f.label(locale),
    }
}

#[component]
fn FilterForm(filters: ListFilters) -> impl IntoView {
    let locale = page_locale();
    view! {
        <Form method="GET" action="/clients" attr:class="filters" attr:role="search">
            <div class="field">
                <label for="filter-q">{td_string!(locale, clients.search)}</label>
                <input
                    id="filter-q"
                    type="search"
                    name="q"
                    value=filters.search.clone()
                    placeholder=td_string!(locale, clients.search_placeholder)
                />
            </div>
            <div class="field">
                <label for="filter-status">{td_string!(locale, clients.status)}</label>
                <select id="filter-status" name="status">
                    {std::iter::once(None)
                        .chain(ClientFilter::ALL.iter().copied().map(Some))
                        .map(|f| {
                            let value = f.map_or("", ClientFilter::as_str);
                            view! { <option value=value selected=filters.status == value>{filter_label(f, locale)}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-sort">{td_string!(locale, clients.order)}</label>
                <select id="filter-sort" name="sort">
                    <option value="" selected=filters.sort != "oldest">{td_string!(locale, clients.newest_first)}</option>
                    <option value="oldest" selected=filters.sort == "oldest">{td_string!(locale, clients.oldest_first)}</option>
                </select>
            </div>
            <button type="submit" class="secondary">{td_string!(locale, clients.apply)}</button>
        </Form>
    }
}

/// The row buttons' actions.
#[derive(Clone, Copy)]
struct Actions {
    send: ServerAction<SendInvitation>,
    access: ServerAction<SetClientAccess>,
}

/// "25 clients", "1 client", "More than 10,000 clients", in `locale`.
pub fn client_count(total: i64, more: bool, locale: Locale) -> String {
    let count = format_count(total, Language::of_locale(locale));
    if more {
        td_string!(locale, clients.count_more, count)
    } else {
        crate::model::counted!(locale, total, clients.count, count)
    }
}

#[component]
fn ClientTable(
    page: ClientPage,
    actions: Actions,
    filters: ListFilters,
    selected: RwSignal<Vec<i64>>,
) -> impl IntoView {
    let locale = page_locale();
    if page.rows.is_empty() && filters.is_filtered() {
        return view! {
            <section class="empty" aria-labelledby="empty-title">
                <h2 id="empty-title">{td_string!(locale, clients.none_match_heading)}</h2>
                <p>{td!(locale, clients.none_match_text, <a> = link("/clients"))}</p>
            </section>
        }
        .into_any();
    }
    if page.rows.is_empty() {
        return view! {
            <section class="empty" aria-labelledby="empty-title">
                <h2 id="empty-title">{td_string!(locale, clients.empty_heading)}</h2>
                <p>{td_string!(locale, clients.empty_text)}</p>
            </section>
        }
        .into_any();
    }
    let page_ids: std::sync::Arc<[i64]> = page.rows.iter().map(|r| r.id).collect();
    let page_ids_for_change = page_ids.clone();
    view! {
        <p class="count" aria-live="polite">{client_count(page.total, page.more, page_locale())}</p>
        <table class="clients cards">
            <thead>
                <tr>
                    <th scope="col" class="select">
                        <input
                            type="checkbox"
                            aria-label=td_string!(locale, clients.select_page)
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
                    <th scope="col">{td_string!(locale, common.name)}</th>
                    <th scope="col">{td_string!(locale, common.email)}</th>
                    <th scope="col">{td_string!(locale, clients.status)}</th>
                    <th scope="col">{td_string!(locale, clients.created)}</th>
                    <th scope="col">
                        <span class="visually-hidden">{td_string!(locale, clients.actions)}</span>
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
    let locale = page_locale();
    // Past the counting cap the last page is unknown: "Next" stays offered.
    let pages = ((total + CLIENT_PAGE_SIZE - 1) / CLIENT_PAGE_SIZE).max(1);
    let current = if more {
        filters.page
    } else {
        filters.page.min(pages)
    };
    let label = if more {
        td_string!(locale, clients.page, current)
    } else {
        td_string!(locale, clients.page_of, current, pages)
    };
    (more || pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=td_string!(locale, clients.pages)>
                {(current > 1).then(|| view! { <a href=filters.page_href(current - 1) rel="prev">{td_string!(locale, clients.previous)}</a> })}
                <span>{label}</span>
                {(more || current < pages).then(|| view! { <a href=filters.page_href(current + 1) rel="next">{td_string!(locale, clients.next)}</a> })}
            </nav>
        }
    })
}

#[component]
fn ClientLine(client: ClientRow, actions: Actions, selected: RwSignal<Vec<i64>>) -> impl IntoView {
    let locale = page_locale();
    let name = format!("{} {}", client.first_name, client.last_name);
    let action = match client.status {
        ClientStatus::NotInvited => Some((
            td_string!(locale, clients.send_invitation),
            td_string!(locale, clients.send_invitation_to, name = name.clone()),
        )),
        ClientStatus::Sent
        | ClientStatus::Waiting
        | ClientStatus::WaitingToJoin
        | ClientStatus::Expired
        | ClientStatus::EmailFailed => Some((
            td_string!(locale, clients.resend_invitation),
            td_string!(locale, clients.resend_invitation_to, name = name.clone()),
        )),
        _ => None,
    };
    let id = client.id;
    let enabled = client.status != ClientStatus::Disabled;
    let (access_label, access_for) = if enabled {
        (
            td_string!(locale, clients.disable_access),
            td_string!(locale, clients.disable_access_for, name = name.clone()),
        )
    } else {
        (
            td_string!(locale, clients.enable_access),
            td_string!(locale, clients.enable_access_for, name = name.clone()),
        )
    };
    view! {
        <tr>
            <td>
                <input
                    type="checkbox"
                    aria-label=td_string!(locale, clients.select_one, name = name.clone())
                    prop:checked=move || selected.read().contains(&id)
                    on:change=move |ev| tick(selected, id, event_target_checked(&ev))
                />
            </td>
            <td>
                <a href=format!("/clients/{id}")>{name.clone()}</a>
            </td>
            <td data-label=td_string!(locale, common.email)>{client.email.unwrap_or_else(|| "—".into())}</td>
            <td data-label=td_string!(locale, clients.status)>
                <Badge tone=client.status.tone()>{client.status_text}</Badge>
            </td>
            <td data-label=td_string!(locale, clients.created)>{client.created}</td>
            <td>
                {action.map(|(label, described)| {
                    view! {
                        <button
                            type="button"
                            class="secondary small"
                            aria-label=described
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
                    aria-label=access_for
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
