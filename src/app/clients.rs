//! The client list: adding clients, their status, inviting them.

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::bulk::{BulkInvitePanel, BulkJobs, ListScope};
use super::live::{Change, use_live};
use super::portal::Portal;
use super::portal::invite_button_state;
use super::ui::{
    AccessSwitch, Badge, Field, FormMessage, Notice, Notices, Options, RequestKey, Select, Tone,
    action_error, link, page_locale, reset_after_success, say, tick,
};
use crate::api::accounts::{InviteOwners, get_account_choices};
use crate::api::clients::{CreateClient, SendInvitation, SetClientAccess, list_clients};
use crate::i18n::*;
use crate::model::{
    AccountChoices, AccountRow, CLIENT_PAGE_SIZE, ClientFilter, ClientPage, ClientRow,
    ClientStatus, Language, OwnersInvited, format_count,
};

#[component]
pub fn ClientsPage() -> impl IntoView {
    let locale = page_locale();
    let create = ServerAction::<CreateClient>::new();
    let send = ServerAction::<SendInvitation>::new();
    let access = ServerAction::<SetClientAccess>::new();
    let owners = ServerAction::<InviteOwners>::new();
    let send_error = action_error(send);
    let access_error = action_error(access);
    let owners_error = action_error(owners);
    let access_asked = RwSignal::new(None::<bool>);
    let actions = Actions {
        send,
        access,
        access_asked,
        owners,
    };
    let selected = RwSignal::new(Vec::<i64>::new());
    // Accounts whose members were shown or hidden by hand.
    let open = RwSignal::new(Vec::<i64>::new());
    let query = use_query_map();
    let filters = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        ListFilters {
            search: get("q"),
            status: get("status"),
            plan: get("plan"),
            staff: get("staff"),
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
                owners.version().get(),
                live.get(),
            )
        },
        |(f, ..)| list_clients(f.page, f.search, f.status, f.sort, f.plan, f.staff),
    );
    let choices = Resource::new(|| (), |_| get_account_choices());
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
            plan: f.plan,
            staff: f.staff,
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
                {move || match (access.value().get(), access_error.get()) {
                    (Some(Ok(())), _) => access_asked.get().map(|on| {
                        let words = if on {
                            td_string!(locale, timeline.access_enabled)
                        } else {
                            td_string!(locale, timeline.access_disabled)
                        };
                        view! { <Notice tone=Tone::Good>{words}</Notice> }.into_any()
                    }),
                    (_, error) => error.map(|e| view! { <Notice tone=Tone::Problem>{say(&e)}</Notice> }.into_any()),
                }}
                {move || match (owners.value().get(), owners_error.get()) {
                    (Some(Ok(done)), _) => Some(view! { <Notice tone=Tone::Good>{owners_invited(done, locale)}</Notice> }.into_any()),
                    (_, error) => error.map(|e| view! { <Notice tone=Tone::Problem>{say(&e)}</Notice> }.into_any()),
                }}
            </Notices>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let choices = choices.await.unwrap_or_default();
                    view! { <FilterForm filters=filters() choices /> }
                })}
            </Suspense>
            <p class="export">
                <a class="button secondary" href=move || filters().export_href() download>
                    {td_string!(locale, clients.export)}
                </a>
                <a class="button secondary" href="/clients/import">{td_string!(locale, clients.import)}</a>
                " "
                <span class="hint">{td_string!(locale, clients.export_hint)}</span>
            </p>
            <BulkInvitePanel selected scope choices />
            <BulkJobs limit=3 />
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, clients.loading)}</p> }>
                {move || Suspend::new(async move {
                    match clients.await {
                        Ok(page) => view! { <ClientTable page actions filters=filters() selected open /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}

/// What "Invite all owners" did, in words: "2 owners invited. Skipped: 1
/// already active, 1 without an email."
pub(super) fn owners_invited(done: OwnersInvited, locale: Locale) -> String {
    let mut words = crate::model::counted!(
        locale,
        done.invited,
        accounts.owners_invited,
        count = done.invited
    );
    let skipped: Vec<String> = [
        (
            done.skipped_active,
            td_string!(locale, accounts.skipped_active, count = done.skipped_active),
        ),
        (
            done.skipped_no_email,
            td_string!(
                locale,
                accounts.skipped_no_email,
                count = done.skipped_no_email
            ),
        ),
        (
            done.skipped_disabled,
            td_string!(
                locale,
                accounts.skipped_disabled,
                count = done.skipped_disabled
            ),
        ),
        (
            done.skipped_rank,
            td_string!(locale, accounts.skipped_rank, count = done.skipped_rank),
        ),
        (
            done.skipped_seats,
            td_string!(locale, accounts.skipped_seats, count = done.skipped_seats),
        ),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(_, text)| text)
    .collect();
    if !skipped.is_empty() {
        words.push(' ');
        words.push_str(&td_string!(
            locale,
            accounts.skipped,
            list = skipped.join(", ")
        ));
    }
    words
}

/// A client's language: the organization's unless chosen here.
pub(super) fn client_languages() -> Options {
    let locale = page_locale();
    std::iter::once((
        "".into(),
        td_string!(locale, clients.organization_language).to_owned(),
    ))
    .chain(
        Language::ALL
            .iter()
            .map(|l| (l.as_str().into(), l.own_name().to_owned())),
    )
    .collect()
}

/// The roles a new person can get. Only owners and admins may choose the
/// last two; the server says so at the field otherwise.
pub(super) fn roles() -> Options {
    let locale = page_locale();
    vec![
        (
            "client".into(),
            td_string!(locale, clients.role_client).to_owned(),
        ),
        (
            "collaborator".into(),
            td_string!(locale, clients.role_collaborator).to_owned(),
        ),
        (
            "staff".into(),
            td_string!(locale, clients.role_staff).to_owned(),
        ),
        (
            "admin".into(),
            td_string!(locale, clients.role_admin).to_owned(),
        ),
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
    plan: String,
    staff: String,
    sort: String,
    page: i64,
}

impl ListFilters {
    fn is_filtered(&self) -> bool {
        self.members_filtered() || !self.plan.is_empty() || !self.staff.is_empty()
    }

    /// The list is searched or filtered by status: it shows the accounts
    /// with a member that matches, and marks them.
    fn members_filtered(&self) -> bool {
        !self.search.is_empty() || !self.status.is_empty()
    }

    /// The address of another page of the same list.
    fn page_href(&self, page: i64) -> String {
        self.href(&format!("/clients?page={page}"))
    }

    /// The address of the list's CSV export, with its search and filters.
    fn export_href(&self) -> String {
        self.href("/clients/export.csv?")
    }

    /// `base` (an address ending its query so far) with the list's
    /// search, filters and order added.
    fn href(&self, base: &str) -> String {
        let mut href = base.to_owned();
        for (key, value) in [
            ("q", &self.search),
            ("status", &self.status),
            ("plan", &self.plan),
            ("staff", &self.staff),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                if !href.ends_with('?') {
                    href.push('&');
                }
                href.push_str(&format!("{key}={}", super::encode_query(value)));
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
fn FilterForm(filters: ListFilters, choices: AccountChoices) -> impl IntoView {
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
                <label for="filter-plan">{td_string!(locale, accounts.plan)}</label>
                <select id="filter-plan" name="plan">
                    <option value="" selected=filters.plan.is_empty()>{td_string!(locale, accounts.any_plan)}</option>
                    {choices
                        .plans
                        .into_iter()
                        .map(|p| {
                            let value = p.id.to_string();
                            let chosen = filters.plan == value;
                            view! { <option value=value selected=chosen>{p.name}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-staff">{td_string!(locale, accounts.assigned_staff)}</label>
                <select id="filter-staff" name="staff">
                    <option value="" selected=filters.staff.is_empty()>{td_string!(locale, accounts.anyone)}</option>
                    <option value="me" selected=filters.staff == "me">{td_string!(locale, accounts.my_clients)}</option>
                    {choices
                        .staff
                        .into_iter()
                        .map(|p| {
                            let value = p.id.to_string();
                            let chosen = filters.staff == value;
                            view! { <option value=value selected=chosen>{p.name}</option> }
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
    /// What the last access switch asked for (on: true), for its notice.
    access_asked: RwSignal<Option<bool>>,
    owners: ServerAction<InviteOwners>,
}

/// "25 accounts", "1 account", "More than 10,000 accounts", in `locale`.
pub fn account_count(total: i64, more: bool, locale: Locale) -> String {
    let count = format_count(total, Language::of_locale(locale));
    if more {
        td_string!(locale, accounts.count_more, count)
    } else {
        crate::model::counted!(locale, total, accounts.count, count)
    }
}

#[component]
fn ClientTable(
    page: ClientPage,
    actions: Actions,
    filters: ListFilters,
    selected: RwSignal<Vec<i64>>,
    open: RwSignal<Vec<i64>>,
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
    let page_ids: std::sync::Arc<[i64]> = page
        .rows
        .iter()
        .flat_map(|a| a.members.iter().map(|m| m.id))
        .collect();
    let page_ids_for_change = page_ids.clone();
    // A search or a status filter opens the accounts to show the members
    // that match.
    let searched = filters.members_filtered();
    view! {
        <p class="count" aria-live="polite">{account_count(page.total, page.more, page_locale())}</p>
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
                    <th scope="col">{td_string!(locale, accounts.plan_and_staff)}</th>
                    <th scope="col">
                        <span class="visually-hidden">{td_string!(locale, clients.actions)}</span>
                    </th>
                </tr>
            </thead>
            {page
                .rows
                .into_iter()
                .map(|account| view! { <AccountLines account actions selected open searched /> })
                .collect_view()}
        </table>
        <Pager total=page.total more=page.more filters />
    }
    .into_any()
}

/// "Pro · Ana Staff": an account's plan and assigned staff member, or a
/// dash.
/// "2 new uploads", linking to the account's files; nothing for none.
fn new_uploads_badge(account_id: i64, count: i64) -> Option<impl IntoView> {
    let locale = page_locale();
    (count > 0).then(|| {
        view! {
            " "
            <a class="status pending" href=format!("/accounts/{account_id}#documents")>
                {crate::model::counted!(locale, count, documents.new_uploads_count, count = count)}
            </a>
        }
    })
}

fn plan_and_staff(plan: Option<String>, staff: Option<String>) -> String {
    let parts: Vec<String> = plan.into_iter().chain(staff).collect();
    if parts.is_empty() {
        "—".to_owned()
    } else {
        parts.join(" · ")
    }
}

/// An account's rows: one row for an account of one person (the simple
/// case reads as a client); otherwise the account's row, whose disclosure
/// button shows and hides a row per member.
#[component]
fn AccountLines(
    account: AccountRow,
    actions: Actions,
    selected: RwSignal<Vec<i64>>,
    open: RwSignal<Vec<i64>>,
    searched: bool,
) -> impl IntoView {
    let locale = page_locale();
    let plan = plan_and_staff(account.plan.clone(), account.assigned_staff.clone());
    if account.members.len() == 1 {
        let member = account.members.into_iter().next();
        return view! {
            <tbody>
                {member.map(|client| view! {
                    <ClientLine client actions selected plan matched=false nested=false expanded=Signal::stored(true) new_uploads=account.new_uploads />
                })}
            </tbody>
        }
        .into_any();
    }
    let id = account.id;
    let name = account.name.clone();
    let (invite_disabled, invite_reason) = invite_button_state(move || false);
    // Open by default when a search or filter picked members inside.
    let opened_first = searched && !account.matched.is_empty();
    let expanded = Signal::derive(move || open.read().contains(&id) != opened_first);
    let member_ids: Vec<i64> = account.members.iter().map(|m| m.id).collect();
    let controls = member_ids
        .iter()
        .map(|m| format!("member-{m}"))
        .collect::<Vec<_>>()
        .join(" ");
    let all_ids = std::sync::Arc::<[i64]>::from(member_ids);
    let all_ids_for_change = all_ids.clone();
    let summary = td_string!(
        locale,
        accounts.active_of,
        active = account.active(),
        total = account.members.len()
    );
    let members_count = crate::model::counted!(
        locale,
        account.members.len() as i64,
        accounts.members_count,
        count = account.members.len()
    );
    let matched = account.matched.clone();
    view! {
        <tbody class="account">
            <tr class="account-row">
                <td>
                    <input
                        type="checkbox"
                        aria-label=td_string!(locale, accounts.select_members, name = name.clone())
                        prop:checked=move || {
                            let s = selected.read();
                            all_ids.iter().all(|id| s.contains(id))
                        }
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| {
                                s.retain(|id| !all_ids_for_change.contains(id));
                                if on {
                                    s.extend(all_ids_for_change.iter().copied());
                                }
                            });
                        }
                    />
                </td>
                <td>
                    <button
                        type="button"
                        class="disclosure"
                        aria-expanded=move || if expanded.get() { "true" } else { "false" }
                        aria-controls=controls
                        on:click=move |_| {
                            // Read first: the set is written next.
                            let opened = open.read_untracked().contains(&id);
                            tick(open, id, !opened);
                        }
                    >
                        // The arrow is drawn, not read: the button's name is the account's.
                        <span class="arrow" aria-hidden="true"></span>
                        {name.clone()}
                    </button>
                    " "
                    <span class="muted">{members_count}</span>
                    {new_uploads_badge(id, account.new_uploads)}
                    " "
                    <a href=format!("/accounts/{id}")>
                        {td_string!(locale, accounts.open_short)}
                        <span class="visually-hidden">": " {name.clone()}</span>
                    </a>
                </td>
                <td data-label=td_string!(locale, common.email)>"—"</td>
                <td data-label=td_string!(locale, clients.status)>{summary}</td>
                <td data-label=td_string!(locale, accounts.plan_and_staff)>{plan.clone()}</td>
                <td>
                    <button
                        type="button"
                        class="secondary small"
                        aria-label=td_string!(locale, accounts.invite_owners_of, name = name.clone())
                        disabled=invite_disabled
                        aria-describedby=invite_reason
                        on:click=move |_| {
                            actions.owners.dispatch(InviteOwners { account_id: id, form: String::new() });
                        }
                    >
                        {td_string!(locale, accounts.invite_owners)}
                    </button>
                </td>
            </tr>
            {account
                .members
                .into_iter()
                .map(|client| {
                    let matched = matched.contains(&client.id);
                    view! { <ClientLine client actions selected plan=String::new() matched nested=true expanded new_uploads=0 /> }
                })
                .collect_view()}
        </tbody>
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

/// A client's row: alone (an account of one), or one member's row under
/// their account's (`nested`), shown while the account is `expanded`, with
/// their place and, when the list is searched or filtered, whether they
/// match.
#[component]
fn ClientLine(
    client: ClientRow,
    actions: Actions,
    selected: RwSignal<Vec<i64>>,
    /// The account's plan and staff (alone), or nothing (nested).
    plan: String,
    matched: bool,
    nested: bool,
    expanded: Signal<bool>,
    /// The account's unseen uploads (alone), or 0 (nested: the account's
    /// row says it).
    new_uploads: i64,
) -> impl IntoView {
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
    let access_on = client.status.portal_access();
    let place = client.place.label(locale);
    view! {
        <tr
            id=format!("member-{id}")
            class:member=nested
            class:matched=matched
            hidden=move || !expanded.get()
        >
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
                {nested.then(|| view! { " " <span class="muted">{place}</span> })}
                {matched.then(|| view! { " " <span class="status neutral">{td_string!(locale, accounts.matches)}</span> })}
                {new_uploads_badge(client.account_id, new_uploads)}
            </td>
            <td data-label=td_string!(locale, common.email)>{client.email.unwrap_or_else(|| "—".into())}</td>
            <td data-label=td_string!(locale, clients.status)>
                <Badge tone=client.status.tone()>{client.status_text}</Badge>
                {client.form.map(|f| view! { <br /> <span class="muted">{f}</span> })}
            </td>
            <td data-label=td_string!(locale, accounts.plan_and_staff)>{plan}</td>
            <td>
                {action.map(|(label, described)| {
                    let (disabled, reason) = invite_button_state(move || false);
                    view! {
                        <button
                            type="button"
                            class="secondary small"
                            aria-label=described
                            disabled=disabled
                            aria-describedby=reason
                            on:click=move |_| {
                                actions.send.dispatch(SendInvitation { client_id: id, form: String::new() });
                            }
                        >
                            {label}
                        </button>
                    }
                })}
                <AccessSwitch
                    on=access_on
                    name=name.clone()
                    toggle=move |enabled| {
                        actions.access_asked.set(Some(enabled));
                        actions.access.dispatch(SetClientAccess { client_id: id, enabled });
                    }
                />
            </td>
        </tr>
    }
}
