//! Pages for invited people: following an invitation link, and the dashboard
//! every signed-in person has.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use super::form::{Field, FormMessage, action_error};
use crate::api::activation::{Activate, Join, RequestNewLink, view_invitation};
use crate::api::auth::Logout;
use crate::api::me::{dev_mailbox, my_dashboard};
use crate::model::{AppError, InvitationPage};

#[component]
pub fn ActivatePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let page = Resource::new(token, view_invitation);
    view! {
        <main class="narrow">
            <Suspense fallback=|| view! { <p class="loading">"Checking your link…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <InvitationView page=p token=token() /> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn InvitationView(page: InvitationPage, token: String) -> impl IntoView {
    match page {
        InvitationPage::Activate {
            organization,
            name,
            email,
        } => {
            let action = ServerAction::<Activate>::new();
            let error = action_error(action);
            view! {
                <Title text="Activate your account" />
                <h1>{format!("Welcome to {organization}")}</h1>
                <p class="lead">{format!("Hello {name}. Choose a password to activate your account ({email}).")}</p>
                <ActionForm action=action>
                    <input type="hidden" name="token" value=token />
                    <Field
                        label="Choose a password"
                        name="password"
                        kind="password"
                        autocomplete="new-password"
                        hint=crate::model::password_hint()
                        error
                    />
                    <FormMessage error />
                    <button type="submit" disabled=move || action.pending().get()>"Activate account"</button>
                </ActionForm>
            }
            .into_any()
        }
        InvitationPage::Join {
            organization,
            name,
            email,
            signed_in_as,
        } => {
            let action = ServerAction::<Join>::new();
            let error = action_error(action);
            let signed_in_here = signed_in_as
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(&email));
            let next = format!(
                "/login?next={}",
                super::encode_query(&format!("/activate/{token}"))
            );
            view! {
                <Title text="Join" />
                <h1>{format!("{organization} invites you to its portal")}</h1>
                <p class="lead">
                    {format!("Hello {name}. You already have a Porchlight account as {email}: no new password needed.")}
                </p>
                {if signed_in_here {
                    view! {
                        <ActionForm action=action>
                            <input type="hidden" name="token" value=token />
                            <FormMessage error />
                            <button type="submit">"Accept invitation"</button>
                        </ActionForm>
                    }
                        .into_any()
                } else {
                    view! { <a class="button" href=next>"Sign in to accept"</a> }.into_any()
                }}
            }
            .into_any()
        }
        InvitationPage::Expired {
            organization,
            expired_on,
        } => {
            let renew = ServerAction::<RequestNewLink>::new();
            let renew_error = action_error(renew);
            view! {
                <Title text="Invitation expired" />
                <h1>{format!("This invitation expired on {expired_on}")}</h1>
                <p>{format!("{organization} can send you a new one, or you can ask for a new link here.")}</p>
                <ActionForm action=renew>
                    <input type="hidden" name="token" value=token />
                    <button type="submit" disabled=move || renew.pending().get()>"Email me a new link"</button>
                </ActionForm>
                <p aria-live="polite">
                    {move || match (renew.value().get(), renew_error.get()) {
                        (Some(Ok(message)), _) => Some(message),
                        (_, error) => error.map(|e| e.to_string()),
                    }}
                </p>
                <p><a href="/login">"Sign in"</a></p>
            }
            .into_any()
        }
        InvitationPage::Closed => view! {
            <Title text="Link not valid" />
            <h1>"This link can no longer be used"</h1>
            <p>"It may have been used already, or replaced. If you have an account, sign in."</p>
            <p><a href="/login">"Sign in"</a></p>
        }
        .into_any(),
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let me = Resource::new(|| (), |()| my_dashboard());
    let logout = ServerAction::<Logout>::new();
    view! {
        <Title text="Your portal" />
        <main class="narrow">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(d) => view! {
                            <h1>{format!("Hello, {}", d.name)}</h1>
                            <p class="lead">{format!("You are signed in to {}.", d.current_organization)}</p>
                            <h2>"Your profile"</h2>
                            <dl class="profile">
                                <dt>"Name"</dt>
                                <dd>{d.name.clone()}</dd>
                                <dt>"Email"</dt>
                                <dd>{d.email}</dd>
                            </dl>
                            <h2>"Your organizations"</h2>
                            <ul>{d.organizations.into_iter().map(|o| view! { <li>{o.name}</li> }).collect_view()}</ul>
                            <ActionForm action=logout>
                                <button type="submit">"Sign out"</button>
                            </ActionForm>
                        }
                        .into_any(),
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn MailboxPage() -> impl IntoView {
    let messages = Resource::new(|| (), |()| dev_mailbox());
    view! {
        <super::portal::Portal title="Mailbox">
            <h1>"Development mailbox"</h1>
            <p class="lead">"Without SMTP_URL, email is kept here instead of being sent."</p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match messages.await {
                        Ok(list) if list.is_empty() => view! {
                            <section class="empty"><h2>"No email yet"</h2><p>"Invite a client and the email appears here."</p></section>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <ul class="mailbox">
                                {list
                                    .into_iter()
                                    .map(|m| view! {
                                        <li>
                                            <article aria-label=format!("Email to {}", m.to)>
                                                <h2>{m.subject}</h2>
                                                <p class="meta">{format!("To {} · {}", m.to, m.received)}</p>
                                                <iframe title=format!("HTML part of the email to {}", m.to) sandbox="allow-popups allow-top-navigation-by-user-activation" srcdoc=m.html></iframe>
                                                <details>
                                                    <summary>"Plain-text part"</summary>
                                                    <pre>{m.text}</pre>
                                                </details>
                                            </article>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </super::portal::Portal>
    }
}
