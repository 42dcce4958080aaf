//! An organization's public pages: its front door at `/o/<slug>`, self
//! sign-up at `/o/<slug>/signup`, the email confirmation page, and the
//! approvers' queue at `/approvals`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::live::{Change, use_live};
use super::portal::Portal;
use super::public::SignInForm;
use super::ui::{Field, FormMessage, action_error, link, page_locale, password_hint, say, tick};
use crate::api::signup::{
    ConfirmSignup, DecideSignups, SignUp, approval_queue, load_portal_door, load_signup_page,
    signup_link,
};
use crate::i18n::*;
use crate::model::{AppError, Applicant, PortalDoor, SignupConfirmed, SignupLinkPage, SignupPage};

/// `/o/<slug>`: the organization's branded sign-in page (its logo, name and
/// colour). While its portal is off it says so and shows no form; at an
/// address the organization left, it moves on to the current one.
#[component]
pub fn PortalDoorView() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let door = Resource::new(slug, load_portal_door);
    view! {
        <main class="narrow door">
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match door.await {
                        Ok(d) if d.slug != slug() => {
                            view! { <Redirect path=format!("/o/{}", d.slug) /> }.into_any()
                        }
                        Ok(d) => view! { <Door door=d /> }.into_any(),
                        Err(AppError::NotFound) => view! { <NoPortal /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// What an organization's address shows when no organization has held it.
#[component]
fn NoPortal() -> impl IntoView {
    let locale = page_locale();
    view! {
        <Title text=td_string!(locale, not_found.title) />
        <h1>{td_string!(locale, signup.no_portal)}</h1>
        <p>{td_string!(locale, signup.check_link)}</p>
    }
}

#[component]
fn Door(door: PortalDoor) -> impl IntoView {
    let locale = page_locale();
    let organization = door.organization.clone();
    let brand = view! {
        <super::ui::BrandBand
            organization=organization.clone()
            accent_color=door.accent_color.clone()
            logo_url=door.logo_url.clone()
        />
    };
    if !door.portal_open {
        return view! {
            <Title text=td_string!(locale, portal_door.closed_title) />
            {brand}
            <h1>{td_string!(locale, portal_door.closed_heading, organization = organization.clone())}</h1>
            <p class="lead">{td_string!(locale, portal_door.closed_later, organization)}</p>
        }
        .into_any();
    }
    let signup = format!("/o/{}/signup", door.slug);
    view! {
        <Title text=td_string!(locale, portal_door.title, organization = organization.clone()) />
        {brand}
        <h1>{td_string!(locale, portal_door.heading, organization)}</h1>
        <SignInForm next=String::new() organization=door.slug.clone() />
        {door.signup_open.then(|| view! {
            <p><a href=signup>{td_string!(locale, portal_door.sign_up)}</a></p>
        })}
    }
    .into_any()
}

#[component]
pub fn SignupView() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let page = Resource::new(slug, load_signup_page);
    view! {
        <main class="narrow">
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <SignupForm page=p slug=slug() /> }.into_any(),
                        Err(AppError::NotFound) => view! { <NoPortal /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn SignupForm(page: SignupPage, slug: String) -> impl IntoView {
    let locale = page_locale();
    let organization = page.organization.clone();
    if !page.portal_open {
        return view! {
            <Title text=td_string!(locale, portal_door.closed_title) />
            <h1>{td_string!(locale, portal_door.closed_heading, organization = organization.clone())}</h1>
            <p class="lead">{td_string!(locale, portal_door.closed_later, organization)}</p>
        }
        .into_any();
    }
    if page.roles.is_empty() {
        return view! {
            <Title text=td_string!(locale, signup.closed_title) />
            <h1>{td_string!(locale, signup.closed_heading, organization)}</h1>
            <p class="lead">
                {td!(locale, signup.closed_text, <a> = link("/login"))}
            </p>
        }
        .into_any();
    }
    let action = ServerAction::<SignUp>::new();
    let error = action_error(action);
    // The hydrated page knows from the action; a plain form post (before the
    // wasm arrives) comes back with `?sent`.
    let query = use_query_map();
    let done = move || {
        (matches!(action.value().get(), Some(Ok(()))) || query.read().get("sent").is_some())
            .then(|| td_string!(locale, signup.received))
    };
    let both = page.roles.len() > 1;
    let slug = StoredValue::new(slug);
    let locale = page_locale();
    let role_error = Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.for_field("role").map(|p| p.text(locale)))
    });
    let title = td_string!(locale, signup.title, organization);
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <Show
            when=move || done().is_none()
            fallback=move || view! { <p class="notice" role="status">{done()}</p> }
        >
            <p class="lead">{td!(locale, signup.have_account, <a> = link("/login"))}</p>
            <ActionForm action=action>
                <input type="hidden" name="slug" value=slug.get_value() />
                <div class="row">
                    <Field label=td_string!(locale, clients.first_name) name="first_name" autocomplete="given-name" error />
                    <Field label=td_string!(locale, clients.last_name) name="last_name" autocomplete="family-name" error />
                </div>
                <Field
                    label=td_string!(locale, signup.username)
                    name="username"
                    autocomplete="username"
                    hint=td_string!(locale, signup.username_hint)
                    error
                />
                <Field label=td_string!(locale, common.email) name="email" kind="email" autocomplete="email" error />
                <Field
                    label=td_string!(locale, common.password)
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint=password_hint()
                    error
                />
                {both
                    .then(|| {
                        view! {
                            <fieldset class="field" aria-describedby="field-role-error">
                                <legend>{td_string!(locale, signup.signing_up_as)}</legend>
                                <div class="choice">
                                    <input type="radio" id="role-client" name="role" value="client" checked=true />
                                    <label for="role-client">{td_string!(locale, signup.as_client)}</label>
                                </div>
                                <div class="choice">
                                    <input type="radio" id="role-collaborator" name="role" value="collaborator" />
                                    <label for="role-collaborator">{td_string!(locale, signup.as_collaborator)}</label>
                                </div>
                                <p class="field-error" id="field-role-error">{move || role_error.get()}</p>
                            </fieldset>
                        }
                    })}
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>{td_string!(locale, signup.sign_up)}</button>
            </ActionForm>
        </Show>
    }
    .into_any()
}

#[component]
pub fn ConfirmSignupView() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let page = Resource::new(token, signup_link);
    view! {
        <main class="narrow">
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, common.checking_link)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <ConfirmLink page=p token=token() /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn ConfirmLink(page: SignupLinkPage, token: String) -> impl IntoView {
    let locale = page_locale();
    match page {
        SignupLinkPage::Confirm { organization, name } => {
            let action = ServerAction::<ConfirmSignup>::new();
            let error = action_error(action);
            let done = move || {
                matches!(action.value().get(), Some(Ok(SignupConfirmed::Waiting)))
                    .then(|| td_string!(locale, signup.waiting))
            };
            let token = StoredValue::new(token);
            let lead = td_string!(locale, signup.confirm_lead, name);
            view! {
                <Title text=td_string!(locale, signup.confirm_title) />
                <h1>{td_string!(locale, signup.confirm_heading, organization)}</h1>
                <Show
                    when=move || done().is_none()
                    fallback=move || view! { <p class="notice" role="status">{done()}</p> }
                >
                    <p class="lead">{lead.clone()}</p>
                    <ActionForm action=action>
                        <input type="hidden" name="token" value=token.get_value() />
                        <FormMessage error />
                        <button type="submit" disabled=move || action.pending().get()>{td_string!(locale, signup.confirm)}</button>
                    </ActionForm>
                </Show>
            }
            .into_any()
        }
        SignupLinkPage::Expired => view! {
            <Title text=td_string!(locale, signup.expired_title) />
            <h1>{td_string!(locale, signup.expired_heading)}</h1>
            <p>{td_string!(locale, signup.expired_text)}</p>
        }
        .into_any(),
        SignupLinkPage::Closed => view! {
            <Title text=td_string!(locale, activate.closed_title) />
            <h1>{td_string!(locale, common.link_unusable_title)}</h1>
            <p>{td!(locale, signup.used_text, <a> = link("/login"))}</p>
        }
        .into_any(),
    }
}

/// `/signup/waiting`: where a sign-up confirmed by a plain form post (before
/// the wasm arrived) lands when its application waits for approval.
#[component]
pub fn SignupWaitingView() -> impl IntoView {
    let locale = page_locale();
    view! {
        <Title text=td_string!(locale, signup.waiting_title) />
        <main class="narrow">
            <h1>{td_string!(locale, signup.confirmed_heading)}</h1>
            <p class="notice" role="status">{td_string!(locale, signup.waiting)}</p>
        </main>
    }
}

/// `/approvals`: applications waiting for a decision, updated live.
#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let locale = page_locale();
    let decide = ServerAction::<DecideSignups>::new();
    let live = use_live(|c| matches!(c, Change::Signups));
    let queue = Resource::new(
        move || (live.get(), decide.version().get()),
        |_| approval_queue(),
    );
    let selected = RwSignal::new(Vec::<i64>::new());
    let reason = RwSignal::new(String::new());
    let error = action_error(decide);
    let act = move |ids: Vec<i64>, approve: bool| {
        decide.dispatch(DecideSignups {
            ids: ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
            approve,
            reason: reason.get_untracked(),
        });
        selected.set(Vec::new());
    };
    view! {
        <Portal title=td_string!(locale, approvals.title)>
            <h1>{td_string!(locale, approvals.heading)}</h1>
            <div aria-live="polite">
                {move || match decide.value().get() {
                    Some(Ok(count)) => {
                        let words = crate::model::counted!(page_locale(), count as i64, approvals.decided, count);
                        Some(view! { <p class="notice">{words}</p> }.into_any())
                    }
                    _ => None,
                }}
            </div>
            <FormMessage error />
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <section class="empty" aria-labelledby="empty-title">
                                    <h2 id="empty-title">{td_string!(locale, approvals.empty_heading)}</h2>
                                    <p>{td_string!(locale, approvals.empty_text)}</p>
                                </section>
                            }
                                .into_any()
                        }
                        Ok(list) => view! { <Queue list selected reason act /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}

#[component]
fn Queue(
    list: Vec<Applicant>,
    selected: RwSignal<Vec<i64>>,
    reason: RwSignal<String>,
    act: impl Fn(Vec<i64>, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let locale = page_locale();
    view! {
        <table class="clients cards">
            <thead>
                <tr>
                    <th scope="col"><span class="visually-hidden">{td_string!(locale, approvals.select)}</span></th>
                    <th scope="col">{td_string!(locale, common.name)}</th>
                    <th scope="col">{td_string!(locale, signup.username)}</th>
                    <th scope="col">{td_string!(locale, common.email)}</th>
                    <th scope="col">{td_string!(locale, clients.role)}</th>
                    <th scope="col">{td_string!(locale, approvals.applied)}</th>
                    <th scope="col"><span class="visually-hidden">{td_string!(locale, approvals.decide)}</span></th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|a| {
                        let id = a.id;
                        let name = a.name.clone();
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
                                <td>{a.name.clone()}</td>
                                <td data-label=td_string!(locale, signup.username)>{a.username}</td>
                                <td data-label=td_string!(locale, common.email)>{a.email}</td>
                                <td data-label=td_string!(locale, clients.role)>{a.role.label(locale)}</td>
                                <td data-label=td_string!(locale, approvals.applied)>{a.applied}</td>
                                <td>
                                    <button type="button" class="small" aria-label=td_string!(locale, approvals.approve_one, name = name.clone()) on:click=move |_| act(vec![id], true)>
                                        {td_string!(locale, approvals.approve)}
                                    </button>
                                    " "
                                    <button type="button" class="secondary small" aria-label=td_string!(locale, approvals.reject_one, name = name.clone()) on:click=move |_| act(vec![id], false)>
                                        {td_string!(locale, approvals.reject)}
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <div class="card decide">
            <div class="field">
                <label for="decide-reason">{td_string!(locale, approvals.reason)}</label>
                <textarea id="decide-reason" rows="2" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </div>
            <button type="button" disabled=move || selected.read().is_empty() on:click=move |_| act(selected.get(), true)>
                {td_string!(locale, approvals.approve_selected)}
            </button>
            " "
            <button type="button" class="secondary" disabled=move || selected.read().is_empty() on:click=move |_| act(selected.get(), false)>
                {td_string!(locale, approvals.reject_selected)}
            </button>
        </div>
    }
}
