//! The pages, compiled for both builds: rendered on the server, hydrated in
//! the browser.

mod accounts;
mod audit;
mod bulk;
mod client_detail;
mod clients;
mod documents;
mod forms;
mod imports;
mod language;
mod live;
mod member;
mod overview;
mod portal;
mod public;
mod settings;
mod signup;
mod ui;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};

use accounts::AccountPage;
use audit::AuditPage;
use bulk::BulkJobsPage;
use client_detail::ClientDetailPage;
use clients::ClientsPage;
use forms::FormEditorPage;
use imports::{ImportDetailPage, ImportPage};
use member::{ActivatePage, DashboardPage, EmailConfirmPage, MailboxPage};
use overview::OverviewPage;
use portal::NewOrganizationPage;
use public::{ForgotPage, LoginPage, NotFound, ResetPage, SetupPage};
use settings::SettingsPage;
use signup::{ApprovalsPage, ConfirmSignupView, PortalDoorView, SignupView, SignupWaitingView};

use crate::model::Language;

/// The language a page is shown in, decided by the server for each request
/// (`server::page_language`) and given to the page as context; the shell
/// writes it in `<html lang>`, where the browser reads it back when it
/// hydrates ([`App`]). Pages read it with `ui::page_locale()` and word
/// everything with the catalog's `td_string!`/`td!` in it.
#[derive(Debug, Clone, Copy)]
pub struct PageLanguage(pub Language);

/// The language the server wrote this page in: its `<html lang>`.
#[cfg(feature = "hydrate")]
fn language_written() -> Language {
    document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|lang| Language::parse(&lang))
        .unwrap_or(Language::English)
}

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The page's Content-Security-Policy allows its own scripts by the nonce
    // Leptos puts on them.
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(policy) =
        axum::http::HeaderValue::from_str(&crate::server::security::page_policy(&nonce))
    {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, policy);
    }
    let language = use_context::<PageLanguage>().map_or(Language::English, |l| l.0);
    view! {
        <!DOCTYPE html>
        <html lang=language.as_str()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Makes `$route`, a lazily loaded route showing `$page`. With
/// `cargo leptos build --split` each one's code is its own wasm chunk,
/// fetched when the page is first shown: a client opening a link from an
/// email downloads the public pages' code, not the staff pages'.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> <PageReady /> }.into_any()
            }
        }
    };
}

lazy_page!(OverviewRoute, OverviewPage);
lazy_page!(ClientsRoute, ClientsPage);
lazy_page!(ClientDetailRoute, ClientDetailPage);
lazy_page!(AccountRoute, AccountPage);
lazy_page!(ImportRoute, ImportPage);
lazy_page!(ImportDetailRoute, ImportDetailPage);
lazy_page!(NewOrganizationRoute, NewOrganizationPage);
lazy_page!(MailboxRoute, MailboxPage);
lazy_page!(SettingsRoute, SettingsPage);
lazy_page!(FormEditorRoute, FormEditorPage);
lazy_page!(BulkJobsRoute, BulkJobsPage);
lazy_page!(ApprovalsRoute, ApprovalsPage);
lazy_page!(AuditRoute, AuditPage);

/// Marks the page interactive: `data-hydrated="true"` on `<html>`, which
/// tells people and tests alike that its buttons now work. It follows each
/// page's own view, so its effect runs once that view has hydrated: for a
/// lazy route, after its code arrived and hydrated, not merely the shell's.
#[component]
fn PageReady() -> impl IntoView {
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}

/// `page` followed by [`PageReady`], for a route whose view is loaded with
/// the main bundle.
fn ready<V: IntoView + 'static>(page: fn() -> V) -> impl Fn() -> AnyView + Clone + Send + Sync {
    move || view! { {page()} <PageReady /> }.into_any()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    // The server gave the page its language as context; the browser reads
    // back the one the server wrote, so both render the same words.
    #[cfg(feature = "hydrate")]
    provide_context(PageLanguage(language_written()));
    view! {
        <Stylesheet id="leptos" href="/pkg/porchlight.css" />
        <Title formatter=|page: String| format!("{page} · Porchlight") />
        <Router>
            // The pages a client reaches from an email, and where they land,
            // are sent whole once their data is ready (`SsrMode::Async`):
            // streamed out of order, they would need JavaScript to show
            // anything but "Loading…", and they must work before the wasm
            // arrives (plain form posts).
            <Routes fallback=ready(NotFound)>
                <Route path=path!("/") view={Lazy::<OverviewRoute>::new()} />
                <Route path=path!("/setup") view=ready(SetupPage) />
                <Route path=path!("/login") view=ready(LoginPage) />
                <Route path=path!("/clients") view={Lazy::<ClientsRoute>::new()} />
                <Route path=path!("/clients/import") view={Lazy::<ImportRoute>::new()} />
                <Route path=path!("/clients/import/:id") view={Lazy::<ImportDetailRoute>::new()} />
                <Route path=path!("/clients/:id") view={Lazy::<ClientDetailRoute>::new()} />
                <Route path=path!("/accounts/:id") view={Lazy::<AccountRoute>::new()} />
                <Route path=path!("/organizations/new") view={Lazy::<NewOrganizationRoute>::new()} />
                <Route path=path!("/mailbox") view={Lazy::<MailboxRoute>::new()} />
                <Route path=path!("/settings") view=|| view! { <Redirect path="/settings/invitations" /> } />
                <Route path=path!("/settings/:section") view={Lazy::<SettingsRoute>::new()} />
                <Route path=path!("/settings/forms/:id") view={Lazy::<FormEditorRoute>::new()} />
                <Route path=path!("/invitations") view={Lazy::<BulkJobsRoute>::new()} />
                <Route path=path!("/approvals") view={Lazy::<ApprovalsRoute>::new()} />
                <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()} />
                <Route path=path!("/forgot") view=ready(ForgotPage) />
                <Route path=path!("/reset/:token") view=ready(ResetPage) ssr=SsrMode::Async />
                <Route path=path!("/o/:slug") view=ready(PortalDoorView) ssr=SsrMode::Async />
                <Route path=path!("/o/:slug/signup") view=ready(SignupView) ssr=SsrMode::Async />
                <Route path=path!("/signup/confirm/:token") view=ready(ConfirmSignupView) ssr=SsrMode::Async />
                <Route path=path!("/signup/waiting") view=ready(SignupWaitingView) />
                <Route path=path!("/dashboard") view=ready(DashboardPage) ssr=SsrMode::Async />
                <Route path=path!("/activate/:token") view=ready(ActivatePage) ssr=SsrMode::Async />
                <Route path=path!("/email/confirm/:token") view=ready(EmailConfirmPage) ssr=SsrMode::Async />
                <Route path=path!("/forms/:id") view=ready(forms::FillFormPage) ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

/// Percent-encodes a value for a query string.
pub(crate) fn encode_query(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
