//! One client account: its members and their places, "Invite all owners",
//! its name, plan and assigned staff member, and adding a member.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::clients::{client_languages, owners_invited, roles};
use super::live::{Change, use_live};
use super::portal::{Portal, invite_button_state};
use super::ui::{
    Badge, Field, FormMessage, Notice, Notices, Options, RequestKey, Select, Tone, action_error,
    page_locale, reset_after_success, say,
};
use crate::api::accounts::{
    AddMember, InviteOwners, SaveAccount, SaveAccountPermissions, SetMemberPlace, get_account,
};
use crate::api::clients::SendInvitation;
use crate::i18n::*;
use crate::model::{
    AccountDetail, Choice, ClientStatus, Overrides, Permissions, Place, PortalSection,
};

/// `/accounts/<id>`.
#[component]
pub fn AccountPage() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let actions = AccountActions {
        save: ServerAction::new(),
        add: ServerAction::new(),
        owners: ServerAction::new(),
        send: ServerAction::new(),
        place: ServerAction::new(),
        permissions: ServerAction::new(),
    };
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let owners_error = action_error(actions.owners);
    let send_error = action_error(actions.send);
    let place_error = action_error(actions.place);
    // The members' statuses follow the worker and the clients live.
    let live = use_live(|c| matches!(c, Change::Clients { .. }));
    let account = Resource::new(
        move || {
            (
                id.get(),
                actions.save.version().get(),
                actions.add.version().get(),
                actions.owners.version().get(),
                actions.send.version().get(),
                actions.place.version().get(),
                actions.permissions.version().get(),
                live.get(),
            )
        },
        |(id, ..)| get_account(id),
    );
    view! {
        <Portal title=td_string!(locale, accounts.title)>
            <p><a href="/clients">{td_string!(locale, detail.all_clients)}</a></p>
            <Notices>
                {move || match (actions.owners.value().get(), owners_error.get()) {
                    (Some(Ok(done)), _) => Some(view! { <Notice tone=Tone::Good>{owners_invited(done, locale)}</Notice> }.into_any()),
                    (_, error) => error.map(|e| view! { <Notice tone=Tone::Problem>{say(&e)}</Notice> }.into_any()),
                }}
                {move || match (actions.send.value().get(), send_error.get()) {
                    (Some(Ok(())), _) => Some(view! { <Notice tone=Tone::Good>{td_string!(locale, clients.invitation_queued)}</Notice> }.into_any()),
                    (_, error) => error.map(|e| view! { <Notice tone=Tone::Problem>{say(&e)}</Notice> }.into_any()),
                }}
                {move || place_error.get().map(|e| view! { <Notice tone=Tone::Problem>{say(&e)}</Notice> })}
                {move || matches!(actions.save.value().get(), Some(Ok(()))).then(|| view! {
                    <Notice tone=Tone::Good>{td_string!(locale, accounts.saved)}</Notice>
                })}
                {move || matches!(actions.permissions.value().get(), Some(Ok(()))).then(|| view! {
                    <Notice tone=Tone::Good>{td_string!(locale, permissions.account_saved)}</Notice>
                })}
            </Notices>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(a) => view! { <Account account=a actions /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
            <AddMemberForm account=id action=actions.add />
            // Drawn once the page is interactive (an effect runs in the
            // browser only): the files' list, its forms and their notices
            // are never hydrated from the server's HTML.
            {move || mounted.get().then(|| view! { <super::documents::AccountDocuments account_id=id.get() /> })}
        </Portal>
    }
}

/// The page's actions.
#[derive(Clone, Copy)]
struct AccountActions {
    save: ServerAction<SaveAccount>,
    add: ServerAction<AddMember>,
    owners: ServerAction<InviteOwners>,
    send: ServerAction<SendInvitation>,
    place: ServerAction<SetMemberPlace>,
    permissions: ServerAction<SaveAccountPermissions>,
}

/// (value, name) choices with a first "none" choice.
fn with_none(none: &'static str, choices: &[Choice]) -> Options {
    std::iter::once(("".into(), none.to_owned()))
        .chain(
            choices
                .iter()
                .map(|c| (c.id.to_string().into(), c.name.clone())),
        )
        .collect()
}

/// Where members can be: owner or guest.
pub(super) fn places() -> Options {
    let locale = page_locale();
    Place::ALL
        .iter()
        .map(|p| (p.as_str().into(), p.label(locale).to_owned()))
        .collect()
}

#[component]
fn Account(account: AccountDetail, actions: AccountActions) -> impl IntoView {
    let locale = page_locale();
    let (owners_disabled, owners_reason) =
        invite_button_state(move || actions.owners.pending().get());
    let save_error = action_error(actions.save);
    let id = account.id;
    let plan = account.plan_id.map(|p| p.to_string()).unwrap_or_default();
    let staff = account
        .assigned_staff_id
        .map(|s| s.to_string())
        .unwrap_or_default();
    let name = account.name.clone();
    // The form to send with the invitations (empty: none).
    let invitation_form = RwSignal::new(String::new());
    view! {
        <h1>{account.name.clone()}</h1>
        <p>{td_string!(locale, detail.created, created = account.created.clone())}</p>
        <section aria-labelledby="members-title">
            <h2 id="members-title">{td_string!(locale, accounts.members)}</h2>
            <table class="clients cards">
                <thead>
                    <tr>
                        <th scope="col">{td_string!(locale, common.name)}</th>
                        <th scope="col">{td_string!(locale, accounts.place)}</th>
                        <th scope="col">{td_string!(locale, common.email)}</th>
                        <th scope="col">{td_string!(locale, clients.status)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(locale, clients.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {account
                        .members
                        .into_iter()
                        .map(|m| {
                            let member = format!("{} {}", m.first_name, m.last_name);
                            let can_invite = m.email.is_some()
                                && !matches!(m.status, ClientStatus::Active | ClientStatus::Disabled);
                            let invite_label = if m.status == ClientStatus::NotInvited {
                                td_string!(locale, clients.send_invitation_to, name = member.clone())
                            } else {
                                td_string!(locale, clients.resend_invitation_to, name = member.clone())
                            };
                            let (other, other_label) = match m.place {
                                Place::Owner => (Place::Guest, td_string!(locale, accounts.make_guest, name = member.clone())),
                                Place::Guest => (Place::Owner, td_string!(locale, accounts.make_owner, name = member.clone())),
                            };
                            let client_id = m.id;
                            view! {
                                <tr>
                                    <td><a href=format!("/clients/{client_id}")>{member.clone()}</a></td>
                                    <td data-label=td_string!(locale, accounts.place)>{m.place.label(locale)}</td>
                                    <td data-label=td_string!(locale, common.email)>{m.email.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td data-label=td_string!(locale, clients.status)>
                                        <Badge tone=m.status.tone()>{m.status_text}</Badge>
                                    </td>
                                    <td>
                                        {can_invite.then(|| {
                                            let (disabled, reason) = invite_button_state(move || false);
                                            view! {
                                            <button
                                                type="button"
                                                class="secondary small"
                                                disabled=disabled
                                                aria-describedby=reason
                                                on:click=move |_| { actions.send.dispatch(SendInvitation { client_id, form: invitation_form.get_untracked() }); }
                                            >
                                                {invite_label}
                                            </button>
                                            }
                                        })}
                                        <button
                                            type="button"
                                            class="link small"
                                            on:click=move |_| {
                                                actions.place.dispatch(SetMemberPlace { client_id, place: other.as_str().to_owned() });
                                            }
                                        >
                                            {other_label}
                                        </button>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <super::forms::FormChoice chosen=invitation_form />
            <div class="actions">
                <button
                    type="button"
                    disabled=owners_disabled
                    aria-describedby=owners_reason
                    on:click=move |_| { actions.owners.dispatch(InviteOwners { account_id: id, form: invitation_form.get_untracked() }); }
                >
                    {td_string!(locale, accounts.invite_owners)}
                </button>
            </div>
        </section>
        <ActionForm action=actions.save attr:class="card" attr:aria-labelledby="account-form-title">
            <h2 id="account-form-title">{td_string!(locale, accounts.details)}</h2>
            <input type="hidden" name="account_id" value=id.to_string() />
            <Field label=td_string!(locale, accounts.name) name="name" value=name error=save_error />
            <Select
                label=td_string!(locale, accounts.plan)
                name="plan"
                options=with_none(td_string!(locale, accounts.no_plan), &account.plans)
                selected=plan
                error=save_error
            />
            <Select
                label=td_string!(locale, accounts.assigned_staff)
                name="assigned_staff"
                options=with_none(td_string!(locale, accounts.nobody), &account.staff)
                selected=staff
                error=save_error
            />
            <FormMessage error=save_error />
            <button type="submit">{td_string!(locale, accounts.save)}</button>
        </ActionForm>
        {account.can_manage.then(|| view! {
        <AccountPermissions
                id
                organization=account.organization_permissions
                own=account.overrides
                action=actions.permissions
            />
        })}
    }
}

/// What the account's members may use: per section, the organization's
/// choice (said, with what it is) or the account's own.
#[component]
fn AccountPermissions(
    id: i64,
    organization: Permissions,
    own: Overrides,
    action: ServerAction<SaveAccountPermissions>,
) -> impl IntoView {
    let locale = page_locale();
    let error = action_error(action);
    view! {
        <ActionForm action attr:class="card" attr:aria-labelledby="account-permissions-title">
            <h2 id="account-permissions-title">{td_string!(locale, permissions.account_title)}</h2>
            <p class="hint">{td_string!(locale, permissions.account_lead)}</p>
            <input type="hidden" name="account_id" value=id.to_string() />
            {PortalSection::ALL
                .iter()
                .map(|s| {
                    let default = if organization.switch(*s) {
                        td_string!(locale, permissions.default_on)
                    } else {
                        td_string!(locale, permissions.default_off)
                    };
                    let options: Options = vec![
                        ("default".into(), default.to_owned()),
                        ("on".into(), td_string!(locale, permissions.on).to_owned()),
                        ("off".into(), td_string!(locale, permissions.off).to_owned()),
                    ];
                    let selected = match own.get(*s) {
                        None => "default",
                        Some(true) => "on",
                        Some(false) => "off",
                    };
                    view! {
                        <Select label=s.label(locale) name=s.as_str() options selected error />
                    }
                })
                .collect_view()}
            <FormMessage error />
            <button type="submit">{td_string!(locale, permissions.account_save)}</button>
        </ActionForm>
    }
}

/// Adding a member: an owner (invited as the organization's setting says)
/// or a guest (invited at once when they have an email).
#[component]
fn AddMemberForm(account: Memo<i64>, action: ServerAction<AddMember>) -> impl IntoView {
    let locale = page_locale();
    let error = action_error(action);
    let form = NodeRef::<leptos::html::Form>::new();
    let created = RwSignal::new(0_usize);
    let added = RwSignal::new(false);
    reset_after_success(action, form, move |_: &i64| {
        added.set(true);
        created.update(|n| *n += 1);
    });
    Effect::new(move |_| {
        if let Some(Err(_)) = action.value().get() {
            added.set(false);
        }
    });
    let key_loading = RwSignal::new(false);
    view! {
        <section aria-labelledby="add-member-title">
            <h2 id="add-member-title">{td_string!(locale, accounts.add_member)}</h2>
            <Notices>
                {move || added.get().then(|| view! { <Notice tone=Tone::Good>{td_string!(locale, accounts.member_added)}</Notice> })}
            </Notices>
            <ActionForm action node_ref=form attr:class="card">
                <RequestKey created=created.into() loading=key_loading />
                <input type="hidden" name="account_id" value=move || account.get().to_string() />
                <div class="row">
                    <Field label=td_string!(locale, clients.first_name) name="first_name" error />
                    <Field label=td_string!(locale, clients.last_name) name="last_name" error />
                </div>
                <Field
                    label=td_string!(locale, clients.email_optional)
                    name="email"
                    kind="email"
                    hint=td_string!(locale, accounts.guest_hint)
                    optional=true
                    error
                />
                <Select label=td_string!(locale, accounts.place) name="place" options=places() selected="owner" error />
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
                    {td_string!(locale, accounts.add_member_button)}
                </button>
            </ActionForm>
        </section>
    }
}
