//! The client list: adding clients, their status, inviting them.

use leptos::prelude::*;

use super::form::{Field, FormMessage, action_error};
use super::portal::Portal;
use crate::api::clients::{CreateClient, SendInvitation, SetClientAccess, list_clients};
use crate::model::{ClientPage, ClientRow, ClientStatus};

#[component]
pub fn ClientsPage() -> impl IntoView {
    let create = ServerAction::<CreateClient>::new();
    let send = ServerAction::<SendInvitation>::new();
    let access = ServerAction::<SetClientAccess>::new();
    let actions = Actions { send, access };
    let clients = Resource::new(
        move || {
            (
                create.version().get(),
                send.version().get(),
                access.version().get(),
            )
        },
        |_| list_clients(1),
    );
    // While an invitation is still queued, look again shortly: the worker
    // sends in the background.
    Effect::new(move |_| {
        let queued = clients
            .get()
            .and_then(Result::ok)
            .is_some_and(|p| p.rows.iter().any(|r| r.status == ClientStatus::Queued));
        if queued {
            set_timeout(
                move || clients.refetch(),
                std::time::Duration::from_millis(1500),
            );
        }
    });
    view! {
        <Portal title="Clients">
            <h1>"Clients"</h1>
            <NewClientForm action=create />
            <div aria-live="polite">
                {move || {
                    send.value()
                        .get()
                        .map(|r| match r {
                            Ok(()) => view! { <p class="notice">"Invitation queued."</p> }.into_any(),
                            Err(e) => view! { <p class="notice problem">{e.to_string()}</p> }.into_any(),
                        })
                }}
                {move || {
                    access.value()
                        .get()
                        .and_then(Result::err)
                        .map(|e| view! { <p class="notice problem">{e.to_string()}</p> })
                }}
            </div>
            <Transition fallback=|| view! { <p class="loading">"Loading clients…"</p> }>
                {move || Suspend::new(async move {
                    match clients.await {
                        Ok(page) => view! { <ClientTable page actions /> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}

#[component]
fn NewClientForm(action: ServerAction<CreateClient>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <details class="new-client" open>
            <summary>"Add a client"</summary>
            <ActionForm action=action attr:class="card">
                <div class="row">
                    <Field label="First name" name="first_name" autocomplete="off" error />
                    <Field label="Last name" name="last_name" autocomplete="off" error />
                </div>
                <Field
                    label="Email (optional)"
                    name="email"
                    kind="email"
                    hint="With an email, the invitation is sent at once."
                    optional=true
                    error
                />
                <div class="field">
                    <label for="field-role">"Role"</label>
                    <select id="field-role" name="role">
                        <option value="client" selected>"Client"</option>
                        <option value="collaborator">"Collaborator (staff who need portal access)"</option>
                    </select>
                </div>
                <FormMessage error />
                <button type="submit" disabled=move || action.pending().get()>"Add client"</button>
            </ActionForm>
        </details>
    }
}

/// The row buttons' actions.
#[derive(Clone, Copy)]
struct Actions {
    send: ServerAction<SendInvitation>,
    access: ServerAction<SetClientAccess>,
}

#[component]
fn ClientTable(page: ClientPage, actions: Actions) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <section class="empty" aria-labelledby="empty-title">
                <h2 id="empty-title">"No clients yet"</h2>
                <p>"Add your first client above: with an email, they get an invitation right away."</p>
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
                    <th scope="col">"Status"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {page.rows.into_iter().map(|c| view! { <ClientLine client=c actions /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn ClientLine(client: ClientRow, actions: Actions) -> impl IntoView {
    let name = format!("{} {}", client.first_name, client.last_name);
    let action_label = match client.status {
        ClientStatus::NotInvited => Some("Send invitation"),
        ClientStatus::Sent
        | ClientStatus::Waiting
        | ClientStatus::WaitingToJoin
        | ClientStatus::Expired
        | ClientStatus::EmailFailed => Some("Resend invitation"),
        _ => None,
    };
    let id = client.id;
    let enabled = client.status != ClientStatus::Disabled;
    let access_label = if enabled {
        "Disable access"
    } else {
        "Enable access"
    };
    view! {
        <tr>
            <td>
                <a href=format!("/clients/{id}")>{name.clone()}</a>
            </td>
            <td>{client.email.unwrap_or_else(|| "—".into())}</td>
            <td>
                <span class=client.status.css_class()>{client.status_text}</span>
            </td>
            <td>{client.created}</td>
            <td>
                {action_label.map(|label| {
                    view! {
                        <button
                            type="button"
                            class="secondary small"
                            aria-label=format!("{label} to {name}")
                            on:click=move |_| {
                                actions.send.dispatch(SendInvitation { client_id: id });
                            }
                        >
                            {label}
                        </button>
                    }
                })}
                <button
                    type="button"
                    class="link small"
                    aria-label=format!("{access_label} for {name}")
                    on:click=move |_| {
                        actions.access.dispatch(SetClientAccess { client_id: id, enabled: !enabled });
                    }
                >
                    {access_label}
                </button>
            </td>
        </tr>
    }
}
