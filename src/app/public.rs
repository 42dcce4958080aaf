//! Pages for people who are not signed in: first-run setup and sign-in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::form::{Field, FormMessage, action_error};
use crate::api::auth::{Login, Setup};
use crate::api::reset::{ForgotPassword, ResetPassword, reset_link};
use crate::model::RESET_REQUESTED;

#[component]
pub fn SetupPage() -> impl IntoView {
    let action = ServerAction::<Setup>::new();
    let error = action_error(action);
    view! {
        <Title text="Set up" />
        <main class="narrow">
            <h1>"Welcome to Porchlight"</h1>
            <p class="lead">"Create your organization and your owner account to get started."</p>
            <ActionForm action=action>
                <fieldset>
                    <legend>"Your organization"</legend>
                    <Field label="Organization name" name="organization_name" error />
                    <Field
                        label="Portal address"
                        name="organization_slug"
                        hint="Lowercase letters, digits and hyphens, e.g. north-tutors."
                        error
                    />
                </fieldset>
                <fieldset>
                    <legend>"Your account"</legend>
                    <Field label="Your name" name="owner_name" autocomplete="name" error />
                    <Field
                        label="Email"
                        name="owner_email"
                        kind="email"
                        autocomplete="email"
                        error
                    />
                    <Field
                        label="Password"
                        name="owner_password"
                        kind="password"
                        autocomplete="new-password"
                        hint=crate::model::password_hint()
                        error
                    />
                </fieldset>
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creating…" } else { "Create organization" }}
                </button>
            </ActionForm>
        </main>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Sign in" />
        <main class="narrow">
            <h1>"Sign in"</h1>
            <ActionForm action=action>
                <input type="hidden" name="next" value=next />
                <Field label="Email" name="email" kind="email" autocomplete="username" error />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    error
                />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p><a href="/forgot">"Forgot your password?"</a></p>
        </main>
    }
}

/// `/forgot`: asks for an email and always answers the same words.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let error = action_error(action);
    // The hydrated page knows from the action; a plain form post (before the
    // wasm arrives) comes back to `/forgot?sent`.
    let query = use_query_map();
    let done = move || {
        (matches!(action.value().get(), Some(Ok(()))) || query.read().get("sent").is_some())
            .then_some(RESET_REQUESTED)
    };
    view! {
        <Title text="Forgot your password?" />
        <main class="narrow">
            <h1>"Forgot your password?"</h1>
            <p class="lead">"Enter the email address you sign in with. We will email you a link to choose a new password."</p>
            <ActionForm action=action>
                <Field label="Email" name="email" kind="email" autocomplete="username" error />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>"Email me a link"</button>
            </ActionForm>
            <p class="notice" role="status" hidden=move || done().is_none()>{done}</p>
            <p><a href="/login">"Back to sign in"</a></p>
        </main>
    }
}

/// `/reset/<token>`: choose a new password. Looking never uses the link.
#[component]
pub fn ResetPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let usable = Resource::new(token, reset_link);
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    view! {
        <Title text="Choose a new password" />
        <main class="narrow">
            <Suspense fallback=|| view! { <p class="loading">"Checking your link…"</p> }>
                {move || Suspend::new(async move {
                    match usable.await {
                        Ok(true) => view! {
                            <h1>"Choose a new password"</h1>
                            <ActionForm action=action>
                                <input type="hidden" name="token" value=token() />
                                <Field
                                    label="New password"
                                    name="password"
                                    kind="password"
                                    autocomplete="new-password"
                                    hint=crate::model::password_hint()
                                    error
                                />
                                <FormMessage error />
                                <button type="submit" disabled=move || action.pending().get()>"Set new password"</button>
                            </ActionForm>
                        }
                        .into_any(),
                        Ok(false) => view! {
                            <h1>"This link can no longer be used"</h1>
                            <p>"It was used, replaced by a newer one, or expired. "<a href="/forgot">"Ask for a new link"</a>"."</p>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <main class="narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. " <a href="/">"Go to the start page"</a></p>
        </main>
    }
}
