//! The signed-in portal: the shell (organization, navigation, account) and
//! the client list.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::auth::{Logout, current_shell};
use crate::api::clients::list_clients;
use crate::model::{AppError, ClientPage};

/// The frame around every portal page. Sends the browser to sign-in when the
/// session has ended.
#[component]
fn Portal(title: &'static str, children: Children) -> impl IntoView {
    let info = Resource::new(|| (), |()| current_shell());
    let logout = ServerAction::<Logout>::new();
    view! {
        <Title text=title />
        <header class="topbar">
            <Suspense fallback=|| view! { <span class="org">"Porchlight"</span> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => {
                            view! {
                                <span class="org">{info.organization_name}</span>
                                <nav aria-label="Main">
                                    <a href="/clients" aria-current="page">"Clients"</a>
                                </nav>
                                <div class="account">
                                    <span class="who">{info.user_name}</span>
                                    <ActionForm action=logout>
                                        <button type="submit" class="link">"Sign out"</button>
                                    </ActionForm>
                                </div>
                            }
                                .into_any()
                        }
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </header>
        <main class="page">{children()}</main>
    }
}

#[component]
pub fn ClientsPage() -> impl IntoView {
    let clients = Resource::new(|| 1, list_clients);
    view! {
        <Portal title="Clients">
            <h1>"Clients"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading clients…"</p> }>
                {move || Suspend::new(async move {
                    match clients.await {
                        Ok(page) => view! { <ClientTable page /> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn ClientTable(page: ClientPage) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <section class="empty" aria-labelledby="empty-title">
                <h2 id="empty-title">"No clients yet"</h2>
                <p>"Clients you add will be listed here, with the state of their invitation."</p>
            </section>
        }
        .into_any();
    }
    view! {
        <p class="count">{format!("{} clients", page.total)}</p>
        <table class="clients">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Created"</th>
                </tr>
            </thead>
            <tbody>
                {page
                    .rows
                    .into_iter()
                    .map(|c| {
                        view! {
                            <tr>
                                <td>{format!("{} {}", c.first_name, c.last_name)}</td>
                                <td>{c.email.unwrap_or_else(|| "No email".into())}</td>
                                <td>{c.created}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
