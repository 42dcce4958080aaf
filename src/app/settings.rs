//! The organization's settings page.

use leptos::prelude::*;

use super::form::{Field, FormMessage, action_error};
use super::portal::Portal;
use crate::api::settings::{SaveSettings, get_settings};
use crate::model::OrganizationSettings;

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
            <FormMessage error />
            <p aria-live="polite" class="saved">{move || saved().then_some("Settings saved.")}</p>
            {settings.can_edit.then(|| view! { <button type="submit">"Save settings"</button> })}
            {(!settings.can_edit).then(|| view! { <p class="hint">"Only owners and admins can change settings."</p> })}
        </ActionForm>
    }
}
