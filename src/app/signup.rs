//! Self sign-up: the public page at `/o/<slug>/signup`, the email
//! confirmation page, and the approvers' queue at `/approvals`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::form::{Field, FormMessage, action_error, tick};
use super::live::{Change, use_live};
use super::portal::Portal;
use crate::api::signup::{
    ConfirmSignup, DecideSignups, SignUp, approval_queue, load_signup_page, signup_link,
};
use crate::model::{
    AppError, Applicant, SIGNUP_RECEIVED, SIGNUP_WAITING, SignupConfirmed, SignupLinkPage,
    SignupPage,
};

#[component]
pub fn SignupView() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let page = Resource::new(slug, load_signup_page);
    view! {
        <main class="narrow">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <SignupForm page=p slug=slug() /> }.into_any(),
                        Err(AppError::NotFound) => {
                            view! {
                                <Title text="Not found" />
                                <h1>"There is no portal at this address"</h1>
                                <p>"Check the link you were given."</p>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn SignupForm(page: SignupPage, slug: String) -> impl IntoView {
    let organization = page.organization.clone();
    if page.roles.is_empty() {
        return view! {
            <Title text="Sign-up closed" />
            <h1>{format!("{organization} does not take sign-ups here")}</h1>
            <p class="lead">"Ask them for an invitation, or "<a href="/login">"sign in"</a>" if you have an account."</p>
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
            .then_some(SIGNUP_RECEIVED)
    };
    let both = page.roles.len() > 1;
    let slug = StoredValue::new(slug);
    let role_error = Signal::derive(move || error.get().and_then(|e| e.for_field("role")));
    view! {
        <Title text=format!("Sign up to {organization}") />
        <h1>{format!("Sign up to {organization}")}</h1>
        <Show
            when=move || done().is_none()
            fallback=move || view! { <p class="notice" role="status">{done()}</p> }
        >
            <p class="lead">"Already have an account? "<a href="/login">"Sign in"</a>"."</p>
            <ActionForm action=action>
                <input type="hidden" name="slug" value=slug.get_value() />
                <div class="row">
                    <Field label="First name" name="first_name" autocomplete="given-name" error />
                    <Field label="Last name" name="last_name" autocomplete="family-name" error />
                </div>
                <Field
                    label="Username"
                    name="username"
                    autocomplete="username"
                    hint="3 to 30 letters, digits, dots, hyphens or underscores, starting with a letter or digit."
                    error
                />
                <Field label="Email" name="email" kind="email" autocomplete="email" error />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint=crate::model::password_hint()
                    error
                />
                {both
                    .then(|| {
                        view! {
                            <fieldset class="field" aria-describedby="field-role-error">
                                <legend>"I am signing up as"</legend>
                                <div class="choice">
                                    <input type="radio" id="role-client" name="role" value="client" checked=true />
                                    <label for="role-client">"A client"</label>
                                </div>
                                <div class="choice">
                                    <input type="radio" id="role-collaborator" name="role" value="collaborator" />
                                    <label for="role-collaborator">"A collaborator (staff or teacher)"</label>
                                </div>
                                <p class="field-error" id="field-role-error">{move || role_error.get()}</p>
                            </fieldset>
                        }
                    })}
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>"Sign up"</button>
            </ActionForm>
        </Show>
    }
    .into_any()
}

#[component]
pub fn ConfirmSignupView() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let page = Resource::new(token, signup_link);
    view! {
        <main class="narrow">
            <Suspense fallback=|| view! { <p class="loading">"Checking your link…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <ConfirmLink page=p token=token() /> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn ConfirmLink(page: SignupLinkPage, token: String) -> impl IntoView {
    match page {
        SignupLinkPage::Confirm { organization, name } => {
            let action = ServerAction::<ConfirmSignup>::new();
            let error = action_error(action);
            let done = move || {
                matches!(action.value().get(), Some(Ok(SignupConfirmed::Waiting)))
                    .then_some(SIGNUP_WAITING)
            };
            let token = StoredValue::new(token);
            view! {
                <Title text="Confirm your email" />
                <h1>{format!("Confirm your email for {organization}")}</h1>
                <Show
                    when=move || done().is_none()
                    fallback=move || view! { <p class="notice" role="status">{done()}</p> }
                >
                    <p class="lead">{format!("Hello {name}. One click and your sign-up is complete.")}</p>
                    <ActionForm action=action>
                        <input type="hidden" name="token" value=token.get_value() />
                        <FormMessage error />
                        <button type="submit" disabled=move || action.pending().get()>"Confirm my email"</button>
                    </ActionForm>
                </Show>
            }
            .into_any()
        }
        SignupLinkPage::Expired => view! {
            <Title text="Link expired" />
            <h1>"This link has expired"</h1>
            <p>"Confirmation links work for 24 hours. Sign up again to get a new one."</p>
        }
        .into_any(),
        SignupLinkPage::Closed => view! {
            <Title text="Link not valid" />
            <h1>"This link can no longer be used"</h1>
            <p>"It may have been used already. "<a href="/login">"Sign in"</a>" instead."</p>
        }
        .into_any(),
    }
}

/// `/signup/waiting`: where a sign-up confirmed by a plain form post (before
/// the wasm arrived) lands when its application waits for approval.
#[component]
pub fn SignupWaitingView() -> impl IntoView {
    view! {
        <Title text="Your application waits for approval" />
        <main class="narrow">
            <h1>"Your email is confirmed"</h1>
            <p class="notice" role="status">{SIGNUP_WAITING}</p>
        </main>
    }
}

/// `/approvals`: applications waiting for a decision, updated live.
#[component]
pub fn ApprovalsPage() -> impl IntoView {
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
        <Portal title="Approvals">
            <h1>"Applications"</h1>
            <div aria-live="polite">
                {move || match decide.value().get() {
                    Some(Ok(1)) => Some(view! { <p class="notice">"1 application decided."</p> }.into_any()),
                    Some(Ok(n)) => Some(view! { <p class="notice">{format!("{n} applications decided.")}</p> }.into_any()),
                    _ => None,
                }}
            </div>
            <FormMessage error />
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <section class="empty" aria-labelledby="empty-title">
                                    <h2 id="empty-title">"No application is waiting"</h2>
                                    <p>"New applications appear here as soon as the applicant confirms their email."</p>
                                </section>
                            }
                                .into_any()
                        }
                        Ok(list) => view! { <Queue list selected reason act /> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
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
    view! {
        <table class="clients">
            <thead>
                <tr>
                    <th scope="col"><span class="visually-hidden">"Select"</span></th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Username"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Applied"</th>
                    <th scope="col"><span class="visually-hidden">"Decide"</span></th>
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
                                        aria-label=format!("Select {name}")
                                        prop:checked=move || selected.read().contains(&id)
                                        on:change=move |ev| tick(selected, id, event_target_checked(&ev))
                                    />
                                </td>
                                <td>{a.name.clone()}</td>
                                <td>{a.username}</td>
                                <td>{a.email}</td>
                                <td>{a.role}</td>
                                <td>{a.applied}</td>
                                <td>
                                    <button type="button" class="small" aria-label=format!("Approve {name}") on:click=move |_| act(vec![id], true)>
                                        "Approve"
                                    </button>
                                    " "
                                    <button type="button" class="secondary small" aria-label=format!("Reject {name}") on:click=move |_| act(vec![id], false)>
                                        "Reject"
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
                <label for="decide-reason">"Reason for rejecting (optional, sent to the applicant)"</label>
                <textarea id="decide-reason" rows="2" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </div>
            <button type="button" disabled=move || selected.read().is_empty() on:click=move |_| act(selected.get(), true)>
                "Approve selected"
            </button>
            " "
            <button type="button" class="secondary" disabled=move || selected.read().is_empty() on:click=move |_| act(selected.get(), false)>
                "Reject selected"
            </button>
        </div>
    }
}
