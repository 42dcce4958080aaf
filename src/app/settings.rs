//! The organization's settings page.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::portal::Portal;
use super::ui::{
    Field, FormMessage, Notice, Notices, Options, Select, Tone, action_error, page_locale, say,
    tick,
};
use crate::api::accounts::{AddPlan, RemovePlan, list_plans};
use crate::api::settings::{SaveSettings, get_settings};
use crate::i18n::*;
use crate::model::{AppError, Language, OrganizationSettings, PortalSection, SettingsSection};

/// What a permission switch lets clients do, and, for a section inside
/// another, that it needs that one on too.
pub fn section_help(section: PortalSection, locale: Locale) -> String {
    match section.within() {
        Some(outer) => td_string!(
            locale,
            permissions.needs,
            help = section.help(locale),
            outer = outer.label(locale)
        ),
        None => section.help(locale).to_owned(),
    }
}

/// `/settings/<section>`: the settings in sections, each with its own page
/// and form, saved on its own (`/settings` leads to the first).
#[component]
pub fn SettingsPage() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let section = move || {
        params
            .read()
            .get("section")
            .and_then(|s| SettingsSection::parse(&s))
            .unwrap_or(SettingsSection::Invitations)
    };
    let save = ServerAction::<SaveSettings>::new();
    // The section whose form was sent last: only its page says "saved".
    let submitted = RwSignal::new(None::<SettingsSection>);
    let settings = Resource::new(move || save.version().get(), |_| get_settings());
    // Another section's page starts without the last one's confirmation.
    Effect::new(move |_| {
        section();
        submitted.set(None);
    });
    let saved = move || {
        submitted
            .get()
            .filter(|_| matches!(save.value().get(), Some(Ok(()))))
            .map(|s| td_string!(locale, settings.saved_section, section = s.label(locale)))
    };
    view! {
        <Portal title=td_string!(locale, settings.title)>
            <h1>{td_string!(locale, settings.title)}</h1>
            <nav class="tabs" aria-label=td_string!(locale, settings.sections)>
                {SettingsSection::ALL
                    .iter()
                    .map(|s| view! {
                        <A href=format!("/settings/{}", s.as_str())>{s.label(locale)}</A>
                    })
                    .collect_view()}
            </nav>
            // Outside the form, which is drawn again with the saved values:
            // the confirmation is announced when it appears.
            <Notices>
                {move || saved().map(|words| view! { <Notice tone=Tone::Good>{words}</Notice> })}
            </Notices>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let section = section();
                    match settings.await {
                        Ok(s) if section == SettingsSection::Plans => view! { <PlansSettings can_edit=s.can_edit /> }.into_any(),
                        Ok(s) if section == SettingsSection::Forms => view! { <super::forms::FormsSettings can_edit=s.can_edit /> }.into_any(),
                        Ok(s) => view! { <SettingsForm section settings=s save submitted /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}

/// One section's form; its errors show only after it was sent (the page
/// shows the confirmation, naming the section).
#[component]
fn SettingsForm(
    section: SettingsSection,
    settings: OrganizationSettings,
    save: ServerAction<SaveSettings>,
    submitted: RwSignal<Option<SettingsSection>>,
) -> impl IntoView {
    let locale = page_locale();
    let ours = move || submitted.get() == Some(section);
    let error = action_error(save);
    let error = Signal::derive(move || error.get().filter(|_| ours() || submitted.get().is_none()));
    let fields = match section {
        SettingsSection::Portal => view! {
            <div class="field checkbox">
                <input
                    id="field-portal_enabled"
                    type="checkbox"
                    name="portal_enabled"
                    value="on"
                    checked=settings.portal_enabled
                    aria-describedby="field-portal_enabled-hint"
                />
                <label for="field-portal_enabled">{td_string!(locale, settings.portal_enabled)}</label>
                <p class="hint" id="field-portal_enabled-hint">{td_string!(locale, settings.portal_enabled_hint)}</p>
            </div>
            <Field
                label=td_string!(locale, settings.slug)
                name="slug"
                hint=td_string!(locale, settings.slug_hint)
                value=settings.slug.clone()
                error
            />
            <CopyAddress label=td_string!(locale, settings.sign_in_address) path=format!("/o/{}", settings.slug) />
        }
        .into_any(),
        SettingsSection::Permissions => view! {
            <p class="lead">{td_string!(locale, permissions.settings_lead)}</p>
            <fieldset>
                <legend>{td_string!(locale, permissions.legend)}</legend>
                {PortalSection::ALL
                    .iter()
                    .map(|s| {
                        let id = format!("field-allow_{}", s.as_str());
                        let hint = format!("{id}-hint");
                        view! {
                            <div class="field checkbox">
                                <input
                                    id=id.clone()
                                    type="checkbox"
                                    name=format!("allow_{}", s.as_str())
                                    value="on"
                                    checked=settings.permissions.switch(*s)
                                    aria-describedby=hint.clone()
                                />
                                <label for=id>{s.label(locale)}</label>
                                <p class="hint" id=hint>{section_help(*s, locale)}</p>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
        .into_any(),
        SettingsSection::Invitations => view! {
            <div class="field checkbox">
                <input id="field-auto_invite" type="checkbox" name="auto_invite" value="on" checked=settings.auto_invite />
                <label for="field-auto_invite">{td_string!(locale, settings.auto_invite)}</label>
            </div>
            <Field
                label=td_string!(locale, settings.invitation_days)
                name="invitation_lifetime_days"
                kind="number"
                hint=td_string!(locale, settings.invitation_days_hint)
                value=settings.invitation_lifetime_days.to_string()
                error
            />
        }
        .into_any(),
        SettingsSection::Branding => view! {
            <Field
                label=td_string!(locale, settings.accent)
                name="accent_color"
                hint=td_string!(locale, settings.accent_hint)
                value=settings.accent_color.clone()
                error
            />
            <Field
                label=td_string!(locale, settings.logo)
                name="logo_url"
                kind="url"
                optional=true
                hint=td_string!(locale, settings.logo_hint)
                value=settings.logo_url.clone()
                error
            />
        }
        .into_any(),
        SettingsSection::Passwords => view! {
            <Field
                label=td_string!(locale, settings.reset_hours)
                name="reset_lifetime_hours"
                kind="number"
                hint=td_string!(locale, settings.reset_hours_hint)
                value=settings.reset_lifetime_hours.to_string()
                error
            />
        }
        .into_any(),
        SettingsSection::Language => view! {
            <Select
                label=td_string!(locale, settings.default_language)
                name="default_language"
                options=languages()
                selected=settings.default_language.as_str()
                error
            />
            <Field
                label=td_string!(locale, settings.time_zone)
                name="time_zone"
                hint=td_string!(locale, settings.time_zone_hint)
                value=settings.time_zone.clone()
                error
            />
        }
        .into_any(),
        SettingsSection::Signup => view! { <SignupSettings settings=settings.clone() error /> }.into_any(),
        // Drawn by `PlansSettings` and `FormsSettings` instead.
        SettingsSection::Plans | SettingsSection::Forms => ().into_any(),
    };
    view! {
        <p class="lead">{td_string!(locale, settings.lead, name = settings.name.clone(), slug = settings.slug.clone())}</p>
        <ActionForm
            action=save
            attr:class="card"
            attr:aria-labelledby="section-title"
            on:submit=move |_| submitted.set(Some(section))
        >
            <h2 id="section-title">{section.label(locale)}</h2>
            <input type="hidden" name="section" value=section.as_str() />
            <fieldset disabled=!settings.can_edit>
                <legend class="visually-hidden">{section.label(locale)}</legend>
                {fields}
            </fieldset>
            <FormMessage error />
            {settings.can_edit.then(|| view! { <button type="submit">{td_string!(locale, settings.save)}</button> })}
            {(!settings.can_edit).then(|| view! { <p class="hint">{td_string!(locale, settings.owners_only)}</p> })}
        </ActionForm>
    }
}

/// The languages an organization can write in, by their own names.
fn languages() -> Options {
    Language::ALL
        .iter()
        .map(|l| (l.as_str().into(), l.own_name().to_owned()))
        .collect()
}

fn signup_modes() -> Options {
    let locale = page_locale();
    vec![
        (
            "off".into(),
            td_string!(locale, settings.mode_off).to_owned(),
        ),
        (
            "clients".into(),
            td_string!(locale, settings.mode_clients).to_owned(),
        ),
        (
            "collaborators".into(),
            td_string!(locale, settings.mode_collaborators).to_owned(),
        ),
        (
            "both".into(),
            td_string!(locale, settings.mode_both).to_owned(),
        ),
    ]
}

fn approvals() -> Options {
    let locale = page_locale();
    vec![
        (
            "automatic".into(),
            td_string!(locale, settings.approval_automatic).to_owned(),
        ),
        (
            "approver".into(),
            td_string!(locale, settings.approval_approver).to_owned(),
        ),
    ]
}

/// Who may sign up at the organization's sign-up address, and who approves.
#[component]
fn SignupSettings(
    settings: OrganizationSettings,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = page_locale();
    let path = format!("/o/{}/signup", settings.slug);
    let chosen = RwSignal::new(
        settings
            .approvers
            .iter()
            .filter(|a| a.chosen)
            .map(|a| a.id)
            .collect::<Vec<i64>>(),
    );
    let approvers_error = Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.for_field("signup_approval").map(|p| p.text(locale)))
    });
    view! {
        <Select label=td_string!(locale, settings.who_may_sign_up) name="signup_mode" options=signup_modes() selected=settings.signup_mode.clone() error />
            <Select label=td_string!(locale, settings.approval) name="signup_approval" options=approvals() selected=settings.signup_approval.clone() error />
            <fieldset class="field" aria-describedby="field-approvers-error">
                <legend>{td_string!(locale, settings.approvers)}</legend>
                <input type="hidden" name="approvers" prop:value=move || {
                    chosen.get().iter().map(i64::to_string).collect::<Vec<_>>().join(",")
                } />
                {settings
                    .approvers
                    .iter()
                    .map(|a| {
                        let id = a.id;
                        let input_id = format!("approver-{id}");
                        view! {
                            <div class="choice">
                                <input
                                    type="checkbox"
                                    id=input_id.clone()
                                    prop:checked=move || chosen.read().contains(&id)
                                    on:change=move |ev| tick(chosen, id, event_target_checked(&ev))
                                />
                                <label for=input_id>{a.name.clone()}</label>
                            </div>
                        }
                    })
                    .collect_view()}
                <p class="field-error" id="field-approvers-error">{move || approvers_error.get()}</p>
            </fieldset>
            <Field
                label=td_string!(locale, settings.seats)
                name="collaborator_seats"
                kind="number"
                optional=true
                hint=td_string!(locale, settings.seats_hint)
                value=settings.collaborator_seats.map(|n| n.to_string()).unwrap_or_default()
                error
            />
            <CopyAddress label=td_string!(locale, settings.signup_address) path />
    }
}

/// A page of this site (`path`, such as `/o/north/signup`) to hand out: a
/// link to it and a button copying its full address, which says when it did.
#[component]
fn CopyAddress(label: &'static str, path: String) -> impl IntoView {
    let locale = page_locale();
    let copied = RwSignal::new(false);
    let copy_path = path.clone();
    let shown = path.clone();
    view! {
        <div class="field">
            <span class="label">{label}</span>
            <p>
                <a href=path>{shown}</a>
                " "
                <button
                    type="button"
                    class="secondary small"
                    on:click=move |_| {
                        copy_to_clipboard(&copy_path);
                        copied.set(true);
                    }
                >
                    {td_string!(locale, settings.copy)}
                </button>
                " "
                <span aria-live="polite">{move || copied.get().then(|| td_string!(locale, settings.copied))}</span>
            </p>
        </div>
    }
}

/// Copies the full address of `path` on this site.
fn copy_to_clipboard(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let origin = window.location().origin().unwrap_or_default();
        let _ = window
            .navigator()
            .clipboard()
            .write_text(&format!("{origin}{path}"));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Settings → Plans: the plan names accounts may be on, each removable,
/// and a form to add one (owners and admins; staff read them).
#[component]
fn PlansSettings(can_edit: bool) -> impl IntoView {
    let locale = page_locale();
    let add = ServerAction::<AddPlan>::new();
    let remove = ServerAction::<RemovePlan>::new();
    let add_error = action_error(add);
    let remove_error = action_error(remove);
    let form = NodeRef::<leptos::html::Form>::new();
    super::ui::reset_after_success(add, form, |_: &i64| ());
    let plans = Resource::new(
        move || (add.version().get(), remove.version().get()),
        |_| list_plans(),
    );
    view! {
        <section class="card" aria-labelledby="section-title">
            <h2 id="section-title">{SettingsSection::Plans.label(locale)}</h2>
            <p class="hint">{td_string!(locale, settings.plans_lead)}</p>
            <Notices>
                {move || matches!(add.value().get(), Some(Ok(_))).then(|| view! { <Notice tone=Tone::Good>{td_string!(locale, settings.plan_added)}</Notice> })}
                {move || matches!(remove.value().get(), Some(Ok(()))).then(|| view! { <Notice tone=Tone::Good>{td_string!(locale, settings.plan_removed)}</Notice> })}
                {move || remove_error.get().map(|e| view! { <Notice tone=Tone::Problem>{say(&e)}</Notice> })}
            </Notices>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match plans.await {
                        Ok(list) if list.is_empty() => view! { <p>{td_string!(locale, settings.no_plans)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="plans">
                                {list
                                    .into_iter()
                                    .map(|p| {
                                        let id = p.id;
                                        let accounts = crate::model::counted!(locale, p.accounts, settings.plan_accounts, count = p.accounts);
                                        let label = td_string!(locale, settings.remove_plan, name = p.name.clone());
                                        view! {
                                            <li>
                                                <strong>{p.name}</strong> " · " {accounts}
                                                {can_edit.then(|| view! {
                                                    " "
                                                    <button type="button" class="link small" on:click=move |_| { remove.dispatch(RemovePlan { plan_id: id }); }>
                                                        {label}
                                                    </button>
                                                })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
            {can_edit.then(|| view! {
                <ActionForm action=add node_ref=form>
                    <Field label=td_string!(locale, settings.plan_name) name="name" error=add_error />
                    <FormMessage error=add_error />
                    <button type="submit">{td_string!(locale, settings.add_plan)}</button>
                </ActionForm>
            })}
            {(!can_edit).then(|| view! { <p class="hint">{td_string!(locale, settings.owners_only)}</p> })}
        </section>
    }
}
