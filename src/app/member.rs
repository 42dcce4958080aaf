//! Pages for invited people: following an invitation link, and the dashboard
//! every signed-in person has.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use super::form::{Field, FormMessage, action_error, password_hint, say};
use crate::api::activation::{Activate, Join, RequestNewLink, view_invitation};
use crate::api::auth::Logout;
use crate::api::me::{dev_mailbox, my_dashboard};
use crate::i18n::*;
use crate::model::{AppError, InvitationPage};

#[component]
pub fn ActivatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let page = Resource::new(token, view_invitation);
    view! {
        <main class="narrow">
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, common.checking_link)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <InvitationView page=p token=token() /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn InvitationView(page: InvitationPage, token: String) -> impl IntoView {
    let i18n = use_i18n();
    match page {
        InvitationPage::Activate {
            organization,
            name,
            email,
        } => {
            let action = ServerAction::<Activate>::new();
            let error = action_error(action);
            view! {
                <Title text=tu_string!(i18n, activate.title) />
                <h1>{tu_string!(i18n, activate.welcome, organization)}</h1>
                <p class="lead">{tu_string!(i18n, activate.lead, name, email)}</p>
                <ActionForm action=action>
                    <input type="hidden" name="token" value=token />
                    <Field
                        label=tu_string!(i18n, activate.choose_password)
                        name="password"
                        kind="password"
                        autocomplete="new-password"
                        hint=password_hint()
                        error
                    />
                    <FormMessage error />
                    <button type="submit" disabled=move || action.pending().get()>{t!(i18n, activate.activate)}</button>
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
                <Title text=tu_string!(i18n, activate.join_title) />
                <h1>{tu_string!(i18n, activate.join_heading, organization)}</h1>
                <p class="lead">{tu_string!(i18n, activate.join_lead, name, email)}</p>
                {if signed_in_here {
                    view! {
                        <ActionForm action=action>
                            <input type="hidden" name="token" value=token />
                            <FormMessage error />
                            <button type="submit">{t!(i18n, activate.accept)}</button>
                        </ActionForm>
                    }
                        .into_any()
                } else {
                    view! { <a class="button" href=next>{t!(i18n, activate.sign_in_to_accept)}</a> }.into_any()
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
                <Title text=tu_string!(i18n, activate.expired_title) />
                <h1>{tu_string!(i18n, activate.expired_heading, date = expired_on)}</h1>
                <p>{tu_string!(i18n, activate.expired_text, organization)}</p>
                <ActionForm action=renew>
                    <input type="hidden" name="token" value=token />
                    <button type="submit" disabled=move || renew.pending().get()>{t!(i18n, activate.new_link)}</button>
                </ActionForm>
                <p aria-live="polite">
                    {move || match (renew.value().get(), renew_error.get()) {
                        (Some(Ok(())), _) => Some(tu_string!(i18n, activate.new_link_sent).to_owned()),
                        (_, error) => error.map(|e| say(&e)),
                    }}
                </p>
                <p><a href="/login">{t!(i18n, common.sign_in)}</a></p>
            }
            .into_any()
        }
        InvitationPage::Closed => view! {
            <Title text=tu_string!(i18n, activate.closed_title) />
            <h1>{t!(i18n, common.link_unusable_title)}</h1>
            <p>{t!(i18n, activate.closed_text)}</p>
            <p><a href="/login">{t!(i18n, common.sign_in)}</a></p>
        }
        .into_any(),
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |()| my_dashboard());
    let logout = ServerAction::<Logout>::new();
    view! {
        <Title text=tu_string!(i18n, dashboard.title) />
        <main class="narrow">
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(d) => view! {
                            <h1>{tu_string!(i18n, dashboard.hello, name = d.name.clone())}</h1>
                            <p class="lead">{tu_string!(i18n, dashboard.signed_in_to, organization = d.current_organization.clone())}</p>
                            <super::language::LanguageMenu current=d.language />
                            <h2>{t!(i18n, dashboard.profile)}</h2>
                            <dl class="profile">
                                <dt>{t!(i18n, common.name)}</dt>
                                <dd>{d.name.clone()}</dd>
                                <dt>{t!(i18n, common.email)}</dt>
                                <dd>{d.email}</dd>
                            </dl>
                            <h2>{t!(i18n, dashboard.organizations)}</h2>
                            <ul>{d.organizations.into_iter().map(|o| view! { <li>{o.name}</li> }).collect_view()}</ul>
                            <ActionForm action=logout>
                                <button type="submit">{t!(i18n, common.sign_out)}</button>
                            </ActionForm>
                        }
                        .into_any(),
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn MailboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let messages = Resource::new(|| (), |()| dev_mailbox());
    view! {
        <super::portal::Portal title=tu_string!(i18n, mailbox.title)>
            <h1>{t!(i18n, mailbox.heading)}</h1>
            <p class="lead">{t!(i18n, mailbox.lead)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match messages.await {
                        Ok(list) if list.is_empty() => view! {
                            <section class="empty"><h2>{t!(i18n, mailbox.empty_heading)}</h2><p>{t!(i18n, mailbox.empty_text)}</p></section>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <ul class="mailbox">
                                {list
                                    .into_iter()
                                    .map(|m| view! {
                                        <li>
                                            <article aria-label=tu_string!(i18n, mailbox.email_to, to = &m.to)>
                                                <h2>{m.subject}</h2>
                                                <p class="meta">{tu_string!(i18n, mailbox.meta, to = &m.to, received = m.received)}</p>
                                                <iframe title=tu_string!(i18n, mailbox.html_part, to = &m.to) sandbox="allow-popups allow-top-navigation-by-user-activation" srcdoc=m.html></iframe>
                                                <details>
                                                    <summary>{t!(i18n, mailbox.text_part)}</summary>
                                                    <pre>{m.text}</pre>
                                                </details>
                                            </article>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </super::portal::Portal>
    }
}
