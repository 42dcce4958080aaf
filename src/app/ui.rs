//! The components every page is built from, so that they look and behave
//! alike: labelled fields with their errors beside them, the form-level
//! message, the request key of a form that creates, notices announced to
//! screen readers, and status badges. Colours come from the stylesheet's
//! custom properties (`style/main.css`), light or dark as the system says.

use leptos::prelude::*;

use crate::i18n::{Locale, td_string};
use crate::model::{AppError, BadgeTone, PASSWORD_MIN};

/// The language the page is in ([`super::PageLanguage`]; English if none
/// was given). It does not change while a page is open: choosing another
/// language loads the page again.
pub fn page_locale() -> Locale {
    use_context::<super::PageLanguage>().map_or(Locale::en, |l| l.0.locale())
}

/// An error in the page's language.
pub fn say(error: &AppError) -> String {
    error.text(page_locale())
}

/// A link to `href` around the words a catalog entry marks `<a>…</a>`
/// (`td!(locale, key, <a> = link("/login"))`), so a sentence with a link in it
/// stays one entry, in the order its language wants.
pub fn link(href: &'static str) -> impl Fn(ChildrenFn) -> AnyView + Clone + Send + Sync + 'static {
    move |children: ChildrenFn| view! { <a href=href>{children()}</a> }.into_any()
}

/// The password rule, for the hint under a new password.
pub fn password_hint() -> String {
    td_string!(page_locale(), common.password_hint, min = PASSWORD_MIN)
}

/// The error a server action ended with, if any. An error the action was
/// never dispatched for on this page came from the page's address (a form
/// posted without JavaScript): it shows only fixed words
/// ([`AppError::from_address`]).
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        let error = action.value().get().and_then(Result::err)?;
        Some(if action.version().get() == 0 {
            error.from_address()
        } else {
            error
        })
    })
}

/// A labelled input. Its error, when the last submission had one for `name`,
/// sits right under it and is tied to it with `aria-describedby`.
#[component]
pub fn Field(
    /// The label, in the page's language.
    #[prop(into)]
    label: String,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// Words under the label, in the page's language.
    #[prop(optional, into)]
    hint: Option<String>,
    /// Fields are required unless marked optional.
    #[prop(optional)]
    optional: bool,
    /// The value the field starts with.
    #[prop(optional, into)]
    value: Option<String>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let message = field_message(error, name);
    let described_by = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=!optional
                value=value
                aria-invalid=move || if message.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
            />
            <p class="field-error" id=error_id>
                {move || message.get()}
            </p>
        </div>
    }
}

/// A labelled text area of `rows` lines, never required, with its hint and
/// error tied to it like [`Field`]'s.
#[component]
pub fn TextArea(
    /// The label, in the page's language.
    #[prop(into)]
    label: String,
    name: &'static str,
    rows: u32,
    #[prop(default = "off")] autocomplete: &'static str,
    /// Words under the label, in the page's language.
    #[prop(into)]
    hint: String,
    /// The text it starts with.
    #[prop(into)]
    value: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let message = field_message(error, name);
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <textarea
                id=id
                name=name
                rows=rows
                autocomplete=autocomplete
                aria-invalid=move || if message.get().is_some() { "true" } else { "false" }
                aria-describedby=format!("{hint_id} {error_id}")
            >
                {value}
            </textarea>
            <p class="field-error" id=error_id>
                {move || message.get()}
            </p>
        </div>
    }
}

/// The choices of a [`Select`]: (value, words in the page's language).
pub type Options = Vec<(std::borrow::Cow<'static, str>, String)>;

/// A labelled choice among `options` (value, label), with its error under it
/// like [`Field`].
#[component]
pub fn Select(
    /// The label, in the page's language.
    #[prop(into)]
    label: String,
    name: &'static str,
    /// (value, words in the page's language).
    options: Options,
    /// The value chosen at first.
    #[prop(into)]
    selected: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let message = field_message(error, name);
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=name
                aria-invalid=move || if message.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let chosen = value == selected.as_str();
                        view! { <option value=value.into_owned() selected=chosen>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id>
                {move || message.get()}
            </p>
        </div>
    }
}

/// The form's own message: announced to screen readers when it changes.
#[component]
pub fn FormMessage(error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <div class="form-message" role="alert" aria-live="assertive">
            {move || error.get().map(|e| view! { <p>{say(&e)}</p> })}
        </div>
    }
}

/// The words for `field` in `error`, if it names that field.
fn field_message(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    let locale = page_locale();
    Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.for_field(field).map(|p| p.text(locale)))
    })
}

/// Adds `id` to a set of ticked ids, or takes it out.
pub fn tick(ticked: RwSignal<Vec<i64>>, id: i64, on: bool) {
    ticked.update(|ids| {
        ids.retain(|x| *x != id);
        if on {
            ids.push(id);
        }
    });
}

/// The hidden `request_key` field of a form that creates something: a fresh
/// key from the server, renewed each time `created` moves (count the
/// successes only: after a failure, or an answer lost on the way, the same
/// key goes again, and a request that did create is not repeated). Sent
/// twice (a double click, a page sent again), the same key makes the server
/// return what the first request created. `loading` is true while a new key
/// is on its way; the submit button waits for it.
#[component]
pub fn RequestKey(created: Signal<usize>, loading: RwSignal<bool>) -> impl IntoView {
    let key = Resource::new(
        move || created.get(),
        |_| crate::api::forms::new_request_key(),
    );
    view! {
        <Transition fallback=|| () set_pending=loading.write_only()>
            {move || Suspend::new(async move {
                let key = key.await.unwrap_or_default();
                view! { <input type="hidden" name="request_key" value=key /> }
            })}
        </Transition>
    }
}

/// After each success of `action`, empties its form, puts the cursor in the
/// form's first field, and calls `then` with the answer: a person adding
/// ten clients types each one into a clean form.
pub fn reset_after_success<I, O>(
    action: ServerAction<I>,
    form: NodeRef<leptos::html::Form>,
    then: impl Fn(&O) + 'static,
) where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(done)) = action.value().get() {
            if let Some(form) = form.get_untracked() {
                form.reset();
                #[cfg(feature = "hydrate")]
                if let Ok(Some(first)) = form.query_selector("input:not([type=hidden]), select")
                    && let Ok(first) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(first)
                {
                    let _ = first.focus();
                }
            }
            then(&done);
        }
    });
}

/// How a notice looks: good news or a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Problem,
}

/// A polite live region: what it holds is announced by screen readers when
/// it changes, and shown as a notice.
#[component]
pub fn Notices(children: Children) -> impl IntoView {
    view! { <div class="notices" aria-live="polite">{children()}</div> }
}

/// One notice (inside [`Notices`]).
#[component]
pub fn Notice(tone: Tone, children: Children) -> impl IntoView {
    view! {
        <p class="notice" class:problem=tone == Tone::Problem>{children()}</p>
    }
}

/// A member's portal access as an on/off switch (`role="switch"`), its
/// state in words beside the track, never colour alone. `on`: see
/// [`crate::model::ClientStatus::portal_access`]; `toggle` gets the state
/// asked for.
#[component]
pub fn AccessSwitch(
    on: bool,
    /// The member's name, for the switch's accessible name.
    name: String,
    toggle: impl Fn(bool) + 'static,
) -> impl IntoView {
    let locale = page_locale();
    view! {
        <button
            type="button"
            role="switch"
            class="switch"
            aria-checked=if on { "true" } else { "false" }
            aria-label=td_string!(locale, clients.portal_access_for, name)
            on:click=move |_| toggle(!on)
        >
            <span class="switch-track" aria-hidden="true"></span>
            {if on {
                td_string!(locale, clients.access_on)
            } else {
                td_string!(locale, clients.access_off)
            }}
        </button>
    }
}

/// A small label with a colour that repeats its words (never colour alone):
/// a status, a count.
#[component]
pub fn Badge(tone: BadgeTone, children: Children) -> impl IntoView {
    view! { <span class=format!("status {}", tone.class())>{children()}</span> }
}

/// An organization's brand at the head of a client-facing page: its logo
/// (with its name as alternative text) and name over a band of its accent
/// colour. Text keeps the site's own colours, whose contrast is known.
#[component]
pub fn BrandBand(organization: String, accent_color: String, logo_url: String) -> impl IntoView {
    let locale = page_locale();
    view! {
        <div class="door-brand" style=format!("border-top-color: {accent_color}")>
            {(!logo_url.is_empty()).then(|| view! {
                <img class="door-logo" src=logo_url alt=td_string!(locale, portal_door.logo, organization = organization.clone()) />
            })}
            <p class="door-name">{organization.clone()}</p>
        </div>
    }
}
