//! Pages for invited people: following an invitation link, and the dashboard
//! every signed-in person has.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use super::ui::{
    Field, FormMessage, Notice, Notices, TextArea, Tone, action_error, page_locale, password_hint,
    say,
};
use crate::api::activation::{Activate, Join, RequestNewLink, view_invitation};
use crate::api::auth::Logout;
use crate::api::me::{
    ConfirmEmailChange, RequestEmailChange, SaveContact, SwitchPortal, dev_mailbox,
    email_change_link, my_dashboard,
};
use crate::i18n::*;
use crate::model::{AppError, ContactDetails, InvitationPage, PortalSection};

#[component]
pub fn ActivatePage() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let page = Resource::new(token, view_invitation);
    view! {
        <main class="narrow">
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, common.checking_link)}</p> }>
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
    let locale = page_locale();
    match page {
        InvitationPage::Activate {
            organization,
            name,
            email,
        } => {
            let action = ServerAction::<Activate>::new();
            let error = action_error(action);
            view! {
                <Title text=td_string!(locale, activate.title) />
                <h1>{td_string!(locale, activate.welcome, organization)}</h1>
                <p class="lead">{td_string!(locale, activate.lead, name, email)}</p>
                <ActionForm action=action>
                    <input type="hidden" name="token" value=token />
                    <Field
                        label=td_string!(locale, activate.choose_password)
                        name="password"
                        kind="password"
                        autocomplete="new-password"
                        hint=password_hint()
                        error
                    />
                    <FormMessage error />
                    <button type="submit" disabled=move || action.pending().get()>{td_string!(locale, activate.activate)}</button>
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
                <Title text=td_string!(locale, activate.join_title) />
                <h1>{td_string!(locale, activate.join_heading, organization)}</h1>
                <p class="lead">{td_string!(locale, activate.join_lead, name, email)}</p>
                {if signed_in_here {
                    view! {
                        <ActionForm action=action>
                            <input type="hidden" name="token" value=token />
                            <FormMessage error />
                            <button type="submit">{td_string!(locale, activate.accept)}</button>
                        </ActionForm>
                    }
                        .into_any()
                } else {
                    view! { <a class="button" href=next>{td_string!(locale, activate.sign_in_to_accept)}</a> }.into_any()
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
                <Title text=td_string!(locale, activate.expired_title) />
                <h1>{td_string!(locale, activate.expired_heading, date = expired_on)}</h1>
                <p>{td_string!(locale, activate.expired_text, organization)}</p>
                <ActionForm action=renew>
                    <input type="hidden" name="token" value=token />
                    <button type="submit" disabled=move || renew.pending().get()>{td_string!(locale, activate.new_link)}</button>
                </ActionForm>
                <p aria-live="polite">
                    {move || match (renew.value().get(), renew_error.get()) {
                        (Some(Ok(())), _) => Some(td_string!(locale, activate.new_link_sent).to_owned()),
                        (_, error) => error.map(|e| say(&e)),
                    }}
                </p>
                <p><a href="/login">{td_string!(locale, common.sign_in)}</a></p>
            }
            .into_any()
        }
        InvitationPage::PortalClosed { organization } => view! {
            <Title text=td_string!(locale, portal_door.closed_title) />
            <h1>{td_string!(locale, portal_door.closed_heading, organization = organization.clone())}</h1>
            <p>{td_string!(locale, portal_door.closed_text, organization)}</p>
        }
        .into_any(),
        InvitationPage::Closed => view! {
            <Title text=td_string!(locale, activate.closed_title) />
            <h1>{td_string!(locale, common.link_unusable_title)}</h1>
            <p>{td_string!(locale, activate.closed_text)}</p>
            <p><a href="/login">{td_string!(locale, common.sign_in)}</a></p>
        }
        .into_any(),
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let locale = page_locale();
    let save_contact = ServerAction::<SaveContact>::new();
    let change_email = ServerAction::<RequestEmailChange>::new();
    let me = Resource::new(
        move || (save_contact.version().get(), change_email.version().get()),
        |_| my_dashboard(),
    );
    let logout = ServerAction::<Logout>::new();
    view! {
        <Title text=td_string!(locale, dashboard.title) />
        <main class="narrow">
            // Outside the forms, which are drawn again with what was saved:
            // the confirmations are announced when they appear.
            <Notices>
                {move || matches!(save_contact.value().get(), Some(Ok(()))).then(|| view! {
                    <Notice tone=Tone::Good>{td_string!(locale, profile.contact_saved)}</Notice>
                })}
                {move || matches!(change_email.value().get(), Some(Ok(()))).then(|| view! {
                    <Notice tone=Tone::Good>{td_string!(locale, profile.link_sent)}</Notice>
                })}
            </Notices>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(d) => {
                            super::language::follow_language(d.language);
                            let email = d.email.clone();
                            let current_org = d.current_organization_id;
                            view! {
                            <super::ui::BrandBand
                                organization=d.current_organization.clone()
                                accent_color=d.accent_color.clone()
                                logo_url=d.logo_url.clone()
                            />
                            <h1>{td_string!(locale, dashboard.hello, name = d.name.clone())}</h1>
                            <p class="lead">{td_string!(locale, dashboard.signed_in_to, organization = d.current_organization.clone())}</p>
                            <super::language::LanguageMenu current=d.language />
                            <super::forms::FormsWaiting />
                            <h2>{td_string!(locale, dashboard.profile)}</h2>
                            <dl class="profile">
                                <dt>{td_string!(locale, common.name)}</dt>
                                <dd>{d.name.clone()}</dd>
                                <dt>{td_string!(locale, common.email)}</dt>
                                <dd>{d.email}</dd>
                            </dl>
                            {d.contact.map(|c| view! {
                                <ProfileForms contact=c email=email.clone() save=save_contact change=change_email />
                            })}
                            {d.sections.contains(&PortalSection::Documents).then(|| view! {
                                <super::documents::MyDocuments can_upload=d.sections.contains(&PortalSection::Uploads) />
                            })}
                            {d.sections.contains(&PortalSection::Invoices).then(|| view! { <super::documents::MyInvoices /> })}
                            {d.account.map(|a| view! { <AccountCard account=a /> })}
                            <OrganizationSwitcher organizations=d.organizations current=current_org />
                            <ActionForm action=logout>
                                <button type="submit">{td_string!(locale, common.sign_out)}</button>
                            </ActionForm>
                        }
                        .into_any()
                        },
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

/// The organizations the reader belongs to: the current one said, the
/// others each a button that moves there.
#[component]
fn OrganizationSwitcher(
    organizations: Vec<crate::model::OrganizationChoice>,
    current: i64,
) -> impl IntoView {
    let locale = page_locale();
    let switch = ServerAction::<SwitchPortal>::new();
    let error = action_error(switch);
    (organizations.len() > 1).then(|| view! {
        <section aria-labelledby="organizations-title">
            <h2 id="organizations-title">{td_string!(locale, dashboard.organizations)}</h2>
            <ul class="organizations">
                {organizations
                    .into_iter()
                    .map(|o| {
                        if o.id == current {
                            view! { <li><strong>{o.name}</strong> " " {td_string!(locale, dashboard.current)}</li> }.into_any()
                        } else {
                            view! {
                                <li>
                                    <ActionForm action=switch>
                                        <input type="hidden" name="organization_id" value=o.id.to_string() />
                                        <button type="submit" class="link">{td_string!(locale, dashboard.switch_to, name = o.name)}</button>
                                    </ActionForm>
                                </li>
                            }
                            .into_any()
                        }
                    })
                    .collect_view()}
            </ul>
            <FormMessage error />
        </section>
    })
}

/// A client's own contact details and sign-in address, while the Profile
/// section is allowed. A new address takes effect once its confirmation
/// link (sent to it) is used; until then the page says it waits.
#[component]
fn ProfileForms(
    contact: ContactDetails,
    email: String,
    save: ServerAction<SaveContact>,
    change: ServerAction<RequestEmailChange>,
) -> impl IntoView {
    let locale = page_locale();
    let save_error = action_error(save);
    let change_error = action_error(change);
    view! {
        <section aria-labelledby="contact-title">
            <h2 id="contact-title">{td_string!(locale, profile.contact_title)}</h2>
            <ActionForm action=save attr:class="card">
                <Field
                    label=td_string!(locale, profile.phone)
                    name="phone"
                    kind="tel"
                    autocomplete="tel"
                    optional=true
                    hint=td_string!(locale, profile.phone_hint)
                    value=contact.phone
                    error=save_error
                />
                <TextArea
                    label=td_string!(locale, profile.postal_address)
                    name="postal_address"
                    rows=4
                    autocomplete="street-address"
                    hint=td_string!(locale, profile.postal_address_hint)
                    value=contact.postal_address
                    error=save_error
                />
                <FormMessage error=save_error />
                <button type="submit" disabled=move || save.pending().get()>{td_string!(locale, profile.save_contact)}</button>
            </ActionForm>
        </section>
        <section aria-labelledby="email-title">
            <h2 id="email-title">{td_string!(locale, profile.email_title)}</h2>
            <p>{td_string!(locale, profile.email_now, email)}</p>
            {contact.pending_email.map(|pending| view! {
                <p class="hint">{td_string!(locale, profile.email_pending, pending)}</p>
            })}
            <ActionForm action=change attr:class="card">
                <Field
                    label=td_string!(locale, profile.new_email)
                    name="email"
                    kind="email"
                    autocomplete="email"
                    hint=td_string!(locale, profile.new_email_hint)
                    error=change_error
                />
                <Field
                    label=td_string!(locale, profile.current_password)
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    error=change_error
                />
                <FormMessage error=change_error />
                <button type="submit" disabled=move || change.pending().get()>{td_string!(locale, profile.send_link)}</button>
            </ActionForm>
        </section>
    }
}

/// `/email/confirm/<token>`: the page of a link that confirms a new sign-in
/// address. Looking changes nothing; the button confirms.
#[component]
pub fn EmailConfirmPage() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let page = Resource::new(token, email_change_link);
    let confirm = ServerAction::<ConfirmEmailChange>::new();
    let error = action_error(confirm);
    view! {
        <Title text=td_string!(locale, profile.confirm_title) />
        <main class="narrow">
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, common.checking_link)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => {
                            let done = td_string!(locale, profile.confirmed, email = p.new_email.clone());
                            view! {
                            <h1>{td_string!(locale, profile.confirm_heading)}</h1>
                            <p class="lead">{td_string!(locale, profile.confirm_lead, organization = p.organization, email = p.new_email.clone())}</p>
                            <Notices>
                                {move || {
                                    let done = done.clone();
                                    matches!(confirm.value().get(), Some(Ok(()))).then(move || view! {
                                    <Notice tone=Tone::Good>{done}</Notice>
                                    <p><a href="/login">{td_string!(locale, common.sign_in)}</a></p>
                                })
                                }}
                            </Notices>
                            <Show when=move || !matches!(confirm.value().get(), Some(Ok(())))>
                                <ActionForm action=confirm>
                                    <input type="hidden" name="token" value=token() />
                                    <FormMessage error />
                                    <button type="submit" disabled=move || confirm.pending().get()>{td_string!(locale, profile.confirm_button)}</button>
                                </ActionForm>
                            </Show>
                        }
                        .into_any()
                        },
                        Err(e) => view! {
                            <h1>{td_string!(locale, common.link_unusable_title)}</h1>
                            <p role="alert">{say(&e)}</p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The reader's client account: its name and everyone in it, whether each
/// joined (owners also see the addresses).
#[component]
fn AccountCard(account: crate::model::DashboardAccount) -> impl IntoView {
    let locale = page_locale();
    view! {
        <section aria-labelledby="account-title">
            <h2 id="account-title">{td_string!(locale, dashboard.account, name = account.name)}</h2>
            <ul class="mates">
                {account
                    .members
                    .into_iter()
                    .map(|m| {
                        let (tone, joined) = if m.joined {
                            (crate::model::BadgeTone::Good, td_string!(locale, dashboard.joined))
                        } else {
                            (crate::model::BadgeTone::Neutral, td_string!(locale, dashboard.not_joined))
                        };
                        view! {
                            <li>
                                <strong>{m.name}</strong>
                                {m.you.then(|| view! { " " {td_string!(locale, dashboard.you)} })}
                                " · " {m.place.label(locale)}
                                {m.email.map(|e| view! { " · " {e} })}
                                " " <super::ui::Badge tone>{joined}</super::ui::Badge>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn MailboxPage() -> impl IntoView {
    let locale = page_locale();
    let messages = Resource::new(|| (), |()| dev_mailbox());
    view! {
        <super::portal::Portal title=td_string!(locale, mailbox.title)>
            <h1>{td_string!(locale, mailbox.heading)}</h1>
            <p class="lead">{td_string!(locale, mailbox.lead)}</p>
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match messages.await {
                        Ok(list) if list.is_empty() => view! {
                            <section class="empty"><h2>{td_string!(locale, mailbox.empty_heading)}</h2><p>{td_string!(locale, mailbox.empty_text)}</p></section>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <ul class="mailbox">
                                {list
                                    .into_iter()
                                    .map(|m| view! {
                                        <li>
                                            <article aria-label=td_string!(locale, mailbox.email_to, to = &m.to)>
                                                <h2>{m.subject}</h2>
                                                <p class="meta">{td_string!(locale, mailbox.meta, to = &m.to, received = m.received)}</p>
                                                <iframe title=td_string!(locale, mailbox.html_part, to = &m.to) sandbox="allow-popups allow-top-navigation-by-user-activation" srcdoc=m.html></iframe>
                                                <details>
                                                    <summary>{td_string!(locale, mailbox.text_part)}</summary>
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
