//! The signed-in portal: the shell (organization, navigation, account) and
//! the client list.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::form::{Field, FormMessage, action_error};
use crate::api::auth::{Logout, current_shell};
use crate::api::organizations::{CreateOrganization, SwitchOrganization};
use crate::model::{AppError, ShellInfo};

/// The frame around every portal page. Sends the browser to sign-in when the
/// session has ended.
#[component]
pub fn Portal(title: &'static str, children: Children) -> impl IntoView {
    let info = Resource::new(|| (), |()| current_shell());
    view! {
        <Title text=title />
        <header class="topbar">
            <Suspense fallback=|| view! { <span class="org">"Porchlight"</span> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! { <TopBar info /> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
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
    let logout = ServerAction::<Logout>::new();
    let switch = ServerAction::<SwitchOrganization>::new();
    let current = info.organization_id;
    let switcher = (info.organizations.len() > 1).then(|| {
        view! {
            <ActionForm action=switch attr:class="switcher">
                <label for="organization-switch" class="visually-hidden">
                    "Organization"
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
                <button type="submit" class="secondary">"Switch"</button>
            </ActionForm>
        }
    });
    view! {
        <span class="org">{info.organization_name}</span>
        {switcher}
        <nav aria-label="Main">
            <a href="/clients">"Clients"</a>
            <a href="/invitations">"Bulk invitations"</a>
            <a href="/approvals">"Approvals"</a>
            <a href="/audit">"Audit trail"</a>
            <a href="/settings">"Settings"</a>
            {info.sees_mailbox.then(|| view! { <a href="/mailbox">"Mailbox"</a> })}
            <a href="/organizations/new">"New organization"</a>
        </nav>
        <div class="account">
            <span class="who">{info.user_name}</span>
            <ActionForm action=logout>
                <button type="submit" class="link">"Sign out"</button>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn NewOrganizationPage() -> impl IntoView {
    let action = ServerAction::<CreateOrganization>::new();
    let error = action_error(action);
    view! {
        <Portal title="New organization">
            <h1>"New organization"</h1>
            <p class="lead">"You will be its owner. Switch between your organizations from the top bar."</p>
            <ActionForm action=action attr:class="card">
                <Field label="Organization name" name="organization_name" error />
                <Field
                    label="Portal address"
                    name="organization_slug"
                    hint="Lowercase letters, digits and hyphens, e.g. north-tutors."
                    error
                />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>
                    "Create organization"
                </button>
            </ActionForm>
        </Portal>
    }
}
