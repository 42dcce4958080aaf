//! The signed-in portal: the shell (organization, navigation, account) and
//! the client list.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Redirect};
use leptos_router::hooks::use_location;

use super::language::LanguageMenu;
use super::ui::{Field, FormMessage, RequestKey, action_error, link, page_locale, say};
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
    provide_context(ShellResource(info));
    view! {
        <Title text=title />
        <header class="topbar">
            <Suspense fallback=|| view! { <span class="org">"Porchlight"</span> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => {
                            let off = !info.portal_enabled;
                            view! {
                                <TopBar info />
                                {off.then(|| view! { <PortalOffBanner /> })}
                            }
                            .into_any()
                        }
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </header>
        <main class="page">{children()}</main>
    }
}

/// The staff shell's facts, for the page inside it.
#[derive(Clone, Copy)]
struct ShellResource(Resource<Result<ShellInfo, AppError>>);

/// The id of the banner saying why invitations cannot be sent now.
pub const PORTAL_OFF_REASON: &str = "portal-off-reason";

/// True while the organization's client portal is off (once the shell
/// knows): a button that sends an invitation is then disabled and
/// described by the banner ([`PORTAL_OFF_REASON`]), which says why.
pub fn portal_off() -> Signal<bool> {
    let shell = use_context::<ShellResource>();
    Signal::derive(move || {
        shell.is_some_and(|s| matches!(s.0.get(), Some(Ok(info)) if !info.portal_enabled))
    })
}

/// The `disabled` and `aria-describedby` of a button that sends an
/// invitation now, given `busy` (its action is pending).
pub fn invite_button_state(
    busy: impl Fn() -> bool + Copy + Send + Sync + 'static,
) -> (
    impl Fn() -> bool + Copy + Send + Sync + 'static,
    impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static,
) {
    let off = portal_off();
    (
        move || busy() || off.get(),
        move || off.get().then_some(PORTAL_OFF_REASON),
    )
}

/// Said on every staff page while the client portal is off.
#[component]
fn PortalOffBanner() -> impl IntoView {
    let locale = page_locale();
    view! {
        <p class="banner" id=PORTAL_OFF_REASON>
            {td!(locale, portal_door.off_banner, <a> = link("/settings/portal"))}
        </p>
    }
}

/// The top bar: the main navigation for daily work, the organization menu
/// (settings, audit trail, mailbox, switching or creating organizations) and
/// the person's own menu. On a narrow screen a menu button shows and hides
/// all three; without JavaScript they are always shown.
#[component]
fn TopBar(info: ShellInfo) -> impl IntoView {
    super::language::follow_language(info.language);
    let locale = page_locale();
    let logout = ServerAction::<Logout>::new();
    let open = RwSignal::new(false);
    // A page chosen from the menu closes it.
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
    });
    view! {
        <a class="org" href="/">{info.organization_name.clone()}</a>
        <button
            type="button"
            class="menu-button secondary"
            aria-expanded=move || if open.get() { "true" } else { "false" }
            aria-controls="portal-menu"
            on:click=move |_| open.update(|o| *o = !*o)
        >
            {td_string!(locale, portal.menu)}
        </button>
        <div id="portal-menu" class="menu-panel" class:open=move || open.get()>
            <nav aria-label=td_string!(locale, portal.main_nav)>
                <A href="/" exact=true>{td_string!(locale, portal.overview)}</A>
                <A href="/clients">{td_string!(locale, portal.clients)}</A>
                <A href="/invitations">{td_string!(locale, portal.bulk)}</A>
                <A href="/approvals">{td_string!(locale, portal.approvals)}</A>
            </nav>
            <OrganizationMenu info=info.clone() />
            <div class="account">
                <span class="who">{info.user_name}</span>
                <LanguageMenu current=info.language />
                <ActionForm action=logout>
                    <button type="submit" class="link">{td_string!(locale, common.sign_out)}</button>
                </ActionForm>
            </div>
        </div>
    }
}

/// The organization's own pages, and switching to or creating another: a
/// disclosure that works with the keyboard and without JavaScript.
#[component]
fn OrganizationMenu(info: ShellInfo) -> impl IntoView {
    let locale = page_locale();
    let switch = ServerAction::<SwitchOrganization>::new();
    let current = info.organization_id;
    let switcher = (info.organizations.len() > 1).then(|| {
        view! {
            <ActionForm action=switch attr:class="switcher">
                <label for="organization-switch">{td_string!(locale, portal.switch_to)}</label>
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
        <details class="org-menu">
            <summary>{td_string!(locale, portal.organization)}</summary>
            <div class="org-menu-panel">
                <nav aria-label=td_string!(locale, portal.organization)>
                    <A href="/settings">{td_string!(locale, portal.settings)}</A>
                    <A href="/audit">{td_string!(locale, portal.audit)}</A>
                    {info.sees_mailbox.then(|| view! { <A href="/mailbox">{td_string!(locale, portal.mailbox)}</A> })}
                    <A href="/organizations/new">{td_string!(locale, portal.new_organization)}</A>
                </nav>
                {switcher}
            </div>
        </details>
    }
}

#[component]
pub fn NewOrganizationPage() -> impl IntoView {
    let locale = page_locale();
    let action = ServerAction::<CreateOrganization>::new();
    let error = action_error(action);
    let key_loading = RwSignal::new(false);
    // A success leaves this page (for the new organization's overview): the
    // key is never renewed here.
    let created = Signal::stored(0_usize);
    view! {
        <Portal title=td_string!(locale, portal.new_organization)>
            <h1>{td_string!(locale, portal.new_organization)}</h1>
            <p class="lead">{td_string!(locale, portal.new_organization_lead)}</p>
            <ActionForm action=action attr:class="card">
                <RequestKey created loading=key_loading />
                <Field label=td_string!(locale, common.organization_name) name="organization_name" error />
                <Field
                    label=td_string!(locale, common.portal_address)
                    name="organization_slug"
                    hint=td_string!(locale, common.portal_address_hint)
                    error
                />
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get() || key_loading.get()>
                    {td_string!(locale, setup.create)}
                </button>
            </ActionForm>
        </Portal>
    }
}
