//! One client: status, email, actions and the whole timeline.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::accounts::places;
use super::clients::client_languages;
use super::live::use_live;
use super::portal::{Portal, invite_button_state};
use super::ui::{
    AccessSwitch, Badge, Field, FormMessage, Notice, Notices, Select, Tone, action_error,
    page_locale, say,
};
use crate::api::accounts::{MoveMember, find_accounts};
use crate::api::clients::{
    ChangeClientEmail, ChangeClientLanguage, SendInvitation, SetClientAccess, get_client,
};
use crate::api::reset::SendPasswordReset;
use crate::i18n::*;
use crate::model::{ClientDetail, ClientStatus};

#[component]
pub fn ClientDetailPage() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let change = ServerAction::<ChangeClientEmail>::new();
    let language = ServerAction::<ChangeClientLanguage>::new();
    let send = ServerAction::<SendInvitation>::new();
    let access = ServerAction::<SetClientAccess>::new();
    // What the last action did, announced politely: the access being set
    // (true: enabled) is kept when its button is pressed.
    let notice = RwSignal::new(None::<&'static str>);
    let access_asked = RwSignal::new(None::<bool>);
    Effect::new(move |_| {
        if let Some(Ok(())) = send.value().get() {
            notice.set(Some(td_string!(locale, clients.invitation_queued)));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = access.value().get() {
            notice.set(access_asked.get_untracked().map(|on| {
                if on {
                    td_string!(locale, timeline.access_enabled)
                } else {
                    td_string!(locale, timeline.access_disabled)
                }
            }));
        }
    });
    // The timeline follows the worker and the client as they act.
    let live = use_live(move |c| c.touches_client(id.get_untracked()));
    let detail = Resource::new(
        move || {
            (
                id.get(),
                change.version().get(),
                language.version().get(),
                send.version().get(),
                access.version().get(),
                live.get(),
            )
        },
        |(id, ..)| get_client(id),
    );
    view! {
        <Portal title=td_string!(locale, detail.title)>
            <p><a href="/clients">{td_string!(locale, detail.all_clients)}</a></p>
            <Notices>
                {move || notice.get().map(|words| view! { <Notice tone=Tone::Good>{words}</Notice> })}
            </Notices>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <Detail detail=d change language send access access_asked /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}

#[component]
fn Detail(
    detail: ClientDetail,
    change: ServerAction<ChangeClientEmail>,
    language: ServerAction<ChangeClientLanguage>,
    send: ServerAction<SendInvitation>,
    access: ServerAction<SetClientAccess>,
    access_asked: RwSignal<Option<bool>>,
) -> impl IntoView {
    let locale = page_locale();
    let c = detail.client;
    let id = c.id;
    let email_error = action_error(change);
    let language_error = action_error(language);
    let chosen_language = c.language.map_or("", crate::model::Language::as_str);
    // The address as it stands, for the form that changes it.
    let email = c.email.clone();
    let send_error = action_error(send);
    let access_error = action_error(access);
    let enabled = c.status != ClientStatus::Disabled;
    let can_invite = c.email.is_some() && enabled && c.status != ClientStatus::Active;
    let reset = ServerAction::<SendPasswordReset>::new();
    let reset_error = action_error(reset);
    let active = c.status == ClientStatus::Active;
    let invite_label = if c.status == ClientStatus::NotInvited {
        td_string!(locale, clients.send_invitation)
    } else {
        td_string!(locale, clients.resend_invitation)
    };
    let role = c.role;
    let account_id = c.account_id;
    // The form to send with the invitation (empty: none).
    let invitation_form = RwSignal::new(String::new());
    view! {
        <h1>{format!("{} {}", c.first_name, c.last_name)}</h1>
        <p aria-live="polite">
            <Badge tone=c.status.tone()>{c.status_text}</Badge>
            " · " {role.label(page_locale())} " · "
            {td_string!(locale, detail.created, created = c.created)}
        </p>
        <p>
            {td_string!(locale, accounts.member_of, place = c.place.label(locale))}
            " "
            <a href=format!("/accounts/{account_id}")>{c.account_name.clone()}</a>
        </p>
        {(detail.new_uploads > 0).then(|| view! {
            <p class="notice" aria-live="polite">
                <a href=format!("/accounts/{account_id}#documents")>
                    {crate::model::counted!(locale, detail.new_uploads, documents.new_uploads_count, count = detail.new_uploads)}
                </a>
            </p>
        })}
        <dl class="profile">
            <dt>{td_string!(locale, common.email)}</dt>
            <dd>{c.email.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{td_string!(locale, profile.phone)}</dt>
            <dd>{if detail.phone.is_empty() { "—".to_owned() } else { detail.phone }}</dd>
            <dt>{td_string!(locale, profile.postal_address)}</dt>
            <dd class="address">{if detail.postal_address.is_empty() { "—".to_owned() } else { detail.postal_address }}</dd>
        </dl>
        {can_invite.then(|| view! { <super::forms::FormChoice chosen=invitation_form /> })}
        <div class="actions">
            {can_invite.then(|| {
                let (disabled, reason) = invite_button_state(move || send.pending().get());
                view! {
                    <button
                        type="button"
                        disabled=disabled
                        aria-describedby=reason
                        on:click=move |_| { send.dispatch(SendInvitation { client_id: id, form: invitation_form.get_untracked() }); }
                    >
                        {invite_label}
                    </button>
                }
            })}
            {active.then(|| view! {
                <button type="button" class="secondary" on:click=move |_| { reset.dispatch(SendPasswordReset { client_id: id }); }>
                    {td_string!(locale, detail.send_reset)}
                </button>
            })}
            <AccessSwitch
                on=c.status.portal_access()
                name=format!("{} {}", c.first_name, c.last_name)
                toggle=move |enabled| {
                    access_asked.set(Some(enabled));
                    access.dispatch(SetClientAccess { client_id: id, enabled });
                }
            />
        </div>
        <p aria-live="polite" class="saved">
            {move || matches!(reset.value().get(), Some(Ok(()))).then(|| td_string!(locale, detail.reset_sent))}
        </p>
        <FormMessage error=send_error />
        <FormMessage error=reset_error />
        <FormMessage error=access_error />
        {(c.status != ClientStatus::Active).then(|| view! {
            <ActionForm action=change attr:class="card inline">
                <input type="hidden" name="client_id" value=id.to_string() />
                <Field
                    label=td_string!(locale, common.email)
                    name="email"
                    kind="email"
                    optional=true
                    value=email.clone().unwrap_or_default()
                    error=email_error
                />
                <FormMessage error=email_error />
                <button type="submit">{td_string!(locale, detail.save_email)}</button>
            </ActionForm>
        })}
        <ActionForm action=language attr:class="card inline">
            <input type="hidden" name="client_id" value=id.to_string() />
            <Select
                label=td_string!(locale, clients.email_language)
                name="language"
                options=client_languages()
                selected=chosen_language
                error=language_error
            />
            <FormMessage error=language_error />
            <button type="submit">{td_string!(locale, detail.save_language)}</button>
        </ActionForm>
        <MoveForm client_id=id account_id />
        <super::forms::SentForms client_id=id />
        <h2>{td_string!(locale, detail.timeline)}</h2>
        <ol class="timeline" aria-label=td_string!(locale, detail.timeline_label)>
            {detail
                .timeline
                .into_iter()
                .map(|e| view! {
                    <li class:problem=e.problem>
                        <time>{e.when}</time>
                        <span>{e.text}</span>
                    </li>
                })
                .collect_view()}
        </ol>
    }
}

/// "Move to another account": words find the account (its name or a
/// member's), one is chosen, with the place the client takes there.
#[component]
fn MoveForm(client_id: i64, account_id: i64) -> impl IntoView {
    let locale = page_locale();
    let action = ServerAction::<MoveMember>::new();
    let error = action_error(action);
    let account_error = move || {
        error
            .get()
            .and_then(|e| e.for_field("account").map(|p| p.text(locale)))
    };
    let words = RwSignal::new(String::new());
    let found = Resource::new(move || words.get(), find_accounts);
    view! {
        <details class="card">
            <summary>{td_string!(locale, accounts.move_title)}</summary>
            <div class="field">
                <label for="move-search">{td_string!(locale, accounts.find_account)}</label>
                <input
                    id="move-search"
                    type="search"
                    on:input=move |ev| words.set(event_target_value(&ev))
                />
            </div>
            <ActionForm action>
                <input type="hidden" name="client_id" value=client_id.to_string() />
                <fieldset aria-describedby="move-account-error">
                    <legend>{td_string!(locale, accounts.choose_account)}</legend>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            // The account they are in is not a place to move to.
                            let found: Vec<_> = found
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .filter(|a| a.id != account_id)
                                .collect();
                            if found.is_empty() {
                                return view! { <p class="muted">{td_string!(locale, accounts.find_hint)}</p> }.into_any();
                            }
                            found
                                .into_iter()
                                .map(|a| {
                                    let input_id = format!("move-to-{}", a.id);
                                    view! {
                                        <div class="field checkbox">
                                            <input id=input_id.clone() type="radio" name="account_id" value=a.id.to_string() />
                                            <label for=input_id>{a.name}</label>
                                        </div>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        })}
                    </Transition>
                    <p class="field-error" id="move-account-error">{account_error}</p>
                </fieldset>
                <Select label=td_string!(locale, accounts.place) name="place" options=places() selected="owner" error />
                <FormMessage error />
                <p aria-live="polite" class="saved">
                    {move || matches!(action.value().get(), Some(Ok(()))).then(|| td_string!(locale, accounts.moved))}
                </p>
                <button type="submit">{td_string!(locale, accounts.move_button)}</button>
            </ActionForm>
        </details>
    }
}
