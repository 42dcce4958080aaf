//! The pages, compiled for both builds: rendered on the server, hydrated in
//! the browser.

mod audit;
mod bulk;
mod client_detail;
mod clients;
mod form;
mod live;
mod member;
mod portal;
mod public;
mod settings;
mod signup;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use audit::AuditPage;
use bulk::BulkJobsPage;
use client_detail::ClientDetailPage;
use clients::ClientsPage;
use member::{ActivatePage, DashboardPage, MailboxPage};
use portal::NewOrganizationPage;
use public::{ForgotPage, LoginPage, NotFound, ResetPage, SetupPage};
use settings::SettingsPage;
use signup::{ApprovalsPage, ConfirmSignupView, SignupView, SignupWaitingView};

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
    view! {
        <!DOCTYPE html>
        <html lang="en">
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, after hydration: the attribute tells
    // people and tests alike that the page is now interactive.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/porchlight.css" />
        <Title formatter=|page: String| format!("{page} · Porchlight") />
        <Router>
            // The pages a client reaches from an email, and where they land,
            // are sent whole once their data is ready (`SsrMode::Async`):
            // streamed out of order, they would need JavaScript to show
            // anything but "Loading…", and they must work before the wasm
            // arrives (plain form posts).
            <Routes fallback=NotFound>
                <Route path=path!("/") view=|| view! { <Redirect path="/clients" /> } />
                <Route path=path!("/setup") view=SetupPage />
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/clients") view=ClientsPage />
                <Route path=path!("/clients/:id") view=ClientDetailPage />
                <Route path=path!("/organizations/new") view=NewOrganizationPage />
                <Route path=path!("/mailbox") view=MailboxPage />
                <Route path=path!("/settings") view=SettingsPage />
                <Route path=path!("/invitations") view=BulkJobsPage />
                <Route path=path!("/approvals") view=ApprovalsPage />
                <Route path=path!("/audit") view=AuditPage />
                <Route path=path!("/forgot") view=ForgotPage />
                <Route path=path!("/reset/:token") view=ResetPage ssr=SsrMode::Async />
                <Route path=path!("/o/:slug/signup") view=SignupView ssr=SsrMode::Async />
                <Route path=path!("/signup/confirm/:token") view=ConfirmSignupView ssr=SsrMode::Async />
                <Route path=path!("/signup/waiting") view=SignupWaitingView />
                <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                <Route path=path!("/activate/:token") view=ActivatePage ssr=SsrMode::Async />
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
