//! Pages for people who are not signed in: first-run setup and sign-in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::ui::{Field, FormMessage, action_error, link, page_locale, password_hint};
use crate::api::auth::{Login, Setup};
use crate::api::reset::{ForgotPassword, ResetPassword, reset_link};
use crate::i18n::*;

#[component]
pub fn SetupPage() -> impl IntoView {
    let locale = page_locale();
    let action = ServerAction::<Setup>::new();
    let error = action_error(action);
    view! {
        <Title text=td_string!(locale, setup.title) />
        <main class="narrow">
            <h1>{td_string!(locale, setup.heading)}</h1>
            <p class="lead">{td_string!(locale, setup.lead)}</p>
            <ActionForm action=action>
                <fieldset>
                    <legend>{td_string!(locale, setup.your_organization)}</legend>
                    <Field label=td_string!(locale, common.organization_name) name="organization_name" error />
                    <Field
                        label=td_string!(locale, common.portal_address)
                        name="organization_slug"
                        hint=td_string!(locale, common.portal_address_hint)
                        error
                    />
                </fieldset>
                <fieldset>
                    <legend>{td_string!(locale, setup.your_account)}</legend>
                    <Field label=td_string!(locale, setup.your_name) name="owner_name" autocomplete="name" error />
                    <Field
                        label=td_string!(locale, common.email)
                        name="owner_email"
                        kind="email"
                        autocomplete="email"
                        error
                    />
                    <Field
                        label=td_string!(locale, common.password)
                        name="owner_password"
                        kind="password"
                        autocomplete="new-password"
                        hint=password_hint()
                        error
                    />
                </fieldset>
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() {
                        td_string!(locale, setup.creating)
                    } else {
                        td_string!(locale, setup.create)
                    }}
                </button>
            </ActionForm>
        </main>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = page_locale();
    let query = use_query_map();
    let next = query.read_untracked().get("next").unwrap_or_default();
    view! {
        <Title text=td_string!(locale, login.title) />
        <main class="narrow">
            <h1>{td_string!(locale, login.title)}</h1>
            <SignInForm next organization=String::new() />
        </main>
    }
}

/// The sign-in form, and the way to a forgotten password. `next`: where to
/// go after (a path on this site; empty for the person's start page);
/// `organization`: the slug of the front door it is on (empty for none).
#[component]
pub fn SignInForm(next: String, organization: String) -> impl IntoView {
    let locale = page_locale();
    let action = ServerAction::<Login>::new();
    let error = action_error(action);
    view! {
        <ActionForm action=action>
            <input type="hidden" name="next" value=next />
            <input type="hidden" name="organization" value=organization />
            <Field label=td_string!(locale, common.email) name="email" kind="email" autocomplete="username" error />
            <Field
                label=td_string!(locale, common.password)
                name="password"
                kind="password"
                autocomplete="current-password"
                error
            />
            <FormMessage error />
            <button type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() {
                    td_string!(locale, login.signing_in)
                } else {
                    td_string!(locale, common.sign_in)
                }}
            </button>
        </ActionForm>
        <p><a href="/forgot">{td_string!(locale, login.forgot)}</a></p>
    }
}

/// `/forgot`: asks for an email and always answers the same words.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let locale = page_locale();
    let action = ServerAction::<ForgotPassword>::new();
    let error = action_error(action);
    // The hydrated page knows from the action; a plain form post (before the
    // wasm arrives) comes back to `/forgot?sent`.
    let query = use_query_map();
    let done = move || {
        (matches!(action.value().get(), Some(Ok(()))) || query.read().get("sent").is_some())
            .then(|| td_string!(locale, forgot.sent))
    };
    view! {
        <Title text=td_string!(locale, forgot.title) />
        <main class="narrow">
            <h1>{td_string!(locale, forgot.title)}</h1>
            <p class="lead">{td_string!(locale, forgot.lead)}</p>
            <ActionForm action=action>
                <Field label=td_string!(locale, common.email) name="email" kind="email" autocomplete="username" error />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>{td_string!(locale, forgot.send)}</button>
            </ActionForm>
            <p class="notice" role="status" hidden=move || done().is_none()>{done}</p>
            <p><a href="/login">{td_string!(locale, common.back_to_sign_in)}</a></p>
        </main>
    }
}

/// `/reset/<token>`: choose a new password. Looking never uses the link.
#[component]
pub fn ResetPage() -> impl IntoView {
    let locale = page_locale();
    let params = leptos_router::hooks::use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let usable = Resource::new(token, reset_link);
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    view! {
        <Title text=td_string!(locale, reset.title) />
        <main class="narrow">
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, common.checking_link)}</p> }>
                {move || Suspend::new(async move {
                    match usable.await {
                        Ok(true) => view! {
                            <h1>{td_string!(locale, reset.title)}</h1>
                            <ActionForm action=action>
                                <input type="hidden" name="token" value=token() />
                                <Field
                                    label=td_string!(locale, reset.new_password)
                                    name="password"
                                    kind="password"
                                    autocomplete="new-password"
                                    hint=password_hint()
                                    error
                                />
                                <FormMessage error />
                                <button type="submit" disabled=move || action.pending().get()>{td_string!(locale, reset.save)}</button>
                            </ActionForm>
                        }
                        .into_any(),
                        Ok(false) => view! {
                            <h1>{td_string!(locale, common.link_unusable_title)}</h1>
                            <p>{td!(locale, reset.unusable, <a> = link("/forgot"))}</p>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{super::ui::say(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let locale = page_locale();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=td_string!(locale, not_found.title) />
        <main class="narrow">
            <h1>{td_string!(locale, not_found.heading)}</h1>
            <p>{td!(locale, not_found.text, <a> = link("/"))}</p>
        </main>
    }
}
