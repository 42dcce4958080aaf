//! The organization's settings page.

use leptos::prelude::*;

use super::form::{Field, FormMessage, Select, action_error, tick};
use super::portal::Portal;
use crate::api::settings::{SaveSettings, get_settings};
use crate::model::{AppError, Language, OrganizationSettings};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveSettings>::new();
    let settings = Resource::new(move || save.version().get(), |_| get_settings());
    view! {
        <Portal title="Settings">
            <h1>"Settings"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => view! { <SettingsForm settings=s save /> }.into_any(),
                        Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Portal>
    }
}

#[component]
fn SettingsForm(settings: OrganizationSettings, save: ServerAction<SaveSettings>) -> impl IntoView {
    let error = action_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let signup = settings.clone();
    view! {
        <p class="lead">{format!("{} · portal address {}", settings.name, settings.slug)}</p>
        <ActionForm action=save attr:class="card">
            <fieldset disabled=!settings.can_edit>
                <legend>"Invitations"</legend>
                <div class="field checkbox">
                    <input id="field-auto_invite" type="checkbox" name="auto_invite" value="on" checked=settings.auto_invite />
                    <label for="field-auto_invite">"Invite clients as soon as they are added with an email"</label>
                </div>
                <Field
                    label="Invitation links work for (days)"
                    name="invitation_lifetime_days"
                    kind="number"
                    hint="From 1 to 365. A resend starts the period again."
                    value=settings.invitation_lifetime_days.to_string()
                    error
                />
                <Field
                    label="Accent colour for emails"
                    name="accent_color"
                    hint="A colour like #b44d12."
                    value=settings.accent_color
                    error
                />
                <Field
                    label="Logo for emails"
                    name="logo_url"
                    kind="url"
                    optional=true
                    hint="The https:// address of your logo image, shown at the top of every email. Leave empty for none."
                    value=settings.logo_url
                    error
                />
            </fieldset>
            <fieldset disabled=!settings.can_edit>
                <legend>"Passwords"</legend>
                <Field
                    label="Password reset links work for (hours)"
                    name="reset_lifetime_hours"
                    kind="number"
                    hint="From 1 to 24. For someone in several organizations, the shortest applies."
                    value=settings.reset_lifetime_hours.to_string()
                    error
                />
            </fieldset>
            <fieldset disabled=!settings.can_edit>
                <legend>"Language and time"</legend>
                <Select
                    label="Language of emails"
                    name="default_language"
                    options=LANGUAGES
                    selected=settings.default_language.as_str()
                    error
                />
                <Field
                    label="Time zone"
                    name="time_zone"
                    hint="Dates in emails are shown in this zone: a name such as America/Toronto or Europe/Paris."
                    value=settings.time_zone.clone()
                    error
                />
            </fieldset>
            <SignupSettings settings=signup error />
            <FormMessage error />
            <p aria-live="polite" class="saved">{move || saved().then_some("Settings saved.")}</p>
            {settings.can_edit.then(|| view! { <button type="submit">"Save settings"</button> })}
            {(!settings.can_edit).then(|| view! { <p class="hint">"Only owners and admins can change settings."</p> })}
        </ActionForm>
    }
}

/// The languages an organization can write in, by their own names.
const LANGUAGES: &[(&str, &str)] = &[
    (Language::English.as_str(), Language::English.own_name()),
    (Language::French.as_str(), Language::French.own_name()),
];

const SIGNUP_MODES: &[(&str, &str)] = &[
    ("off", "Off: only invited people get in"),
    ("clients", "Open to clients"),
    ("collaborators", "Open to collaborators"),
    ("both", "Open to clients and collaborators"),
];

const APPROVALS: &[(&str, &str)] = &[
    (
        "automatic",
        "Approved by default: confirmed applicants get in at once",
    ),
    ("approver", "Approved by a chosen person"),
];

/// Who may sign up at the organization's sign-up address, and who approves.
#[component]
fn SignupSettings(
    settings: OrganizationSettings,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let path = format!("/o/{}/signup", settings.slug);
    let chosen = RwSignal::new(
        settings
            .approvers
            .iter()
            .filter(|a| a.chosen)
            .map(|a| a.id)
            .collect::<Vec<i64>>(),
    );
    let approvers_error =
        Signal::derive(move || error.get().and_then(|e| e.for_field("signup_approval")));
    let copied = RwSignal::new(false);
    let copy_path = path.clone();
    view! {
        <fieldset disabled=!settings.can_edit>
            <legend>"Sign-up"</legend>
            <Select label="Who may sign up" name="signup_mode" options=SIGNUP_MODES selected=settings.signup_mode.clone() error />
            <Select label="Approval" name="signup_approval" options=APPROVALS selected=settings.signup_approval.clone() error />
            <fieldset class="field" aria-describedby="field-approvers-error">
                <legend>"Approvers (emailed when an application arrives)"</legend>
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
                label="Collaborator seats"
                name="collaborator_seats"
                kind="number"
                optional=true
                hint="Active plus pending collaborators may not exceed this. Leave empty for no limit."
                value=settings.collaborator_seats.map(|n| n.to_string()).unwrap_or_default()
                error
            />
            <div class="field">
                <span class="label">"Sign-up address"</span>
                <p>
                    <a href=path.clone()>{path.clone()}</a>
                    " "
                    <button
                        type="button"
                        class="secondary small"
                        on:click=move |_| {
                            copy_to_clipboard(&copy_path);
                            copied.set(true);
                        }
                    >
                        "Copy address"
                    </button>
                    <span aria-live="polite">{move || copied.get().then_some(" Copied.")}</span>
                </p>
            </div>
        </fieldset>
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
