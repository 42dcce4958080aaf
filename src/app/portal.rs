//! The signed-in portal: the shell (organization, navigation, account) and
//! the client list.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::form::{Field, FormMessage, action_error, page_locale, say};
use super::language::LanguageMenu;
use crate::api::auth::{Logout, current_shell};
use crate::api::organizations::{CreateOrganization, SwitchOrganization};
use crate::i18n::*;
use crate::model::{AppError, ShellInfo};

/// The frame around every portal page. Sends the browser to sign-in when the
/// session has ended.
#[component]
pub fn Portal(
    /// The page's title, in the page's language.
    #[prop(into)]
    title: String,
    children: Children,
) -> impl IntoView {
    let info = Resource::new(|| (), |()| current_shell());
    view! {
        <Title text=title />
        <header class="topbar">
            <Suspense fallback=|| view! { <span class="org">"Porchlight"</span> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! { <TopBar info /> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </header>
        <main class="page">{children()}</main>
    }
}

/// Organization (with the switcher when there are several), navigation, account.
#[component]
fn TopBar(info: ShellInfo) -> impl IntoView {
    super::language::follow_language(info.language);
    let locale = page_locale();
    let logout = ServerAction::<Logout>::new();
    let switch = ServerAction::<SwitchOrganization>::new();
    let current = info.organization_id;
    let switcher = (info.organizations.len() > 1).then(|| {
        view! {
            <ActionForm action=switch attr:class="switcher">
                <label for="organization-switch" class="visually-hidden">
                    {td_string!(locale, portal.organization)}
                </label>
                <select id="organization-switch" name="organization_id">
                    {info
                        .organizations
                        .into_iter()
                        .map(|o| {
                            view! {
                                <option value=o.id.to_string() selected=o.id == current>
                                    {o.name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="secondary">{td_string!(locale, portal.switch)}</button>
            </ActionForm>
        }
    });
    view! {
        <span class="org">{info.organization_name}</span>
        {switcher}
        <nav aria-label=td_string!(locale, portal.main_nav)>
            <a href="/clients">{td_string!(locale, portal.clients)}</a>
            <a href="/invitations">{td_string!(locale, portal.bulk)}</a>
            <a href="/approvals">{td_string!(locale, portal.approvals)}</a>
            <a href="/audit">{td_string!(locale, portal.audit)}</a>
            <a href="/settings">{td_string!(locale, portal.settings)}</a>
            {info.sees_mailbox.then(|| view! { <a href="/mailbox">{td_string!(locale, portal.mailbox)}</a> })}
            <a href="/organizations/new">{td_string!(locale, portal.new_organization)}</a>
        </nav>
        <div class="account">
            <span class="who">{info.user_name}</span>
            <LanguageMenu current=info.language />
            <ActionForm action=logout>
                <button type="submit" class="link">{td_string!(locale, common.sign_out)}</button>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn NewOrganizationPage() -> impl IntoView {
    let locale = page_locale();
    let action = ServerAction::<CreateOrganization>::new();
    let error = action_error(action);
    view! {
        <Portal title=td_string!(locale, portal.new_organization)>
            <h1>{td_string!(locale, portal.new_organization)}</h1>
            <p class="lead">{td_string!(locale, portal.new_organization_lead)}</p>
            <ActionForm action=action attr:class="card">
                <Field label=td_string!(locale, common.organization_name) name="organization_name" error />
                <Field
                    label=td_string!(locale, common.portal_address)
                    name="organization_slug"
                    hint=td_string!(locale, common.portal_address_hint)
                    error
                />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>
                    {td_string!(locale, setup.create)}
                </button>
            </ActionForm>
        </Portal>
    }
}
