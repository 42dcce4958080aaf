//! Intake forms on the pages: the list and the editor (Settings → Forms),
//! the choice of a form to send with an invitation, the page where a
//! client fills one in, the dashboard's reminder, and the answers on a
//! client's page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::ui::{FormMessage, Notice, Notices, Tone, action_error, page_locale, say};
use crate::api::intake::{
    SaveForm, SaveFormAnswers, client_forms, form_to_fill, get_form, list_forms, my_forms,
};
use crate::i18n::*;
use crate::model::forms::{FormField, FormToFill};
use crate::model::{AppError, FieldKind, Problem};

/// Settings → Forms: the organization's forms, each to edit and to export.
#[component]
pub fn FormsSettings(can_edit: bool) -> impl IntoView {
    let locale = page_locale();
    let forms = Resource::new(|| (), |()| list_forms());
    view! {
        <section aria-labelledby="forms-title">
            <h2 id="forms-title">{td_string!(locale, settings.forms)}</h2>
            <p class="lead">{td_string!(locale, forms.lead)}</p>
            {can_edit.then(|| view! { <p><a class="button" href="/settings/forms/new">{td_string!(locale, forms.new_form)}</a></p> })}
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match forms.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">{td_string!(locale, forms.none)}</p>
                        }
                        .into_any(),
                        Ok(list) => view! {
                            <ul class="forms">
                                {list
                                    .into_iter()
                                    .map(|f| view! {
                                        <li>
                                            <a href=format!("/settings/forms/{}", f.id)>{f.title.clone()}</a>
                                            <p class="meta">{td_string!(locale, forms.summary, version = f.version, fields = f.fields, waiting = f.waiting, submitted = f.submitted)}</p>
                                            {(f.submitted > 0).then(|| view! {
                                                <a href=format!("/settings/forms/{}/answers.csv", f.id) download="">
                                                    {td_string!(locale, forms.export, title = f.title.clone())}
                                                </a>
                                            })}
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
        </section>
    }
}

/// A field as the editor holds it (its choices as lines of text).
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    key: String,
    label: String,
    help: String,
    kind: FieldKind,
    required: bool,
    choices: String,
}

impl Draft {
    fn of(f: &FormField) -> Draft {
        Draft {
            key: f.key.clone(),
            label: f.label.clone(),
            help: f.help.clone(),
            kind: f.kind,
            required: f.required,
            choices: f.choices.join("\n"),
        }
    }

    fn field(&self) -> FormField {
        FormField {
            key: self.key.clone(),
            label: self.label.clone(),
            help: self.help.clone(),
            kind: self.kind,
            required: self.required,
            choices: if self.kind.has_choices() {
                self.choices.lines().map(str::to_owned).collect()
            } else {
                Vec::new()
            },
        }
    }

    fn blank() -> Draft {
        Draft {
            key: String::new(),
            label: String::new(),
            help: String::new(),
            kind: FieldKind::ShortText,
            required: false,
            choices: String::new(),
        }
    }
}

/// `/settings/forms/<id>` (`new` for a new form): a form's title,
/// introduction and fields, saved together. Saving a form some client was
/// sent makes a new version; their answers keep the old one's words.
#[component]
pub fn FormEditorPage() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let form = Resource::new(id, |id| async move {
        if id == 0 {
            Ok(None)
        } else {
            get_form(id).await.map(Some)
        }
    });
    view! {
        <super::portal::Portal title=td_string!(locale, forms.editor_title)>
            <p><a href="/settings/forms">{td_string!(locale, forms.all)}</a></p>
            <Suspense fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(f) => view! { <FormEditor form=f /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </super::portal::Portal>
    }
}

#[component]
fn FormEditor(form: Option<crate::model::forms::FormDetail>) -> impl IntoView {
    let locale = page_locale();
    let save = ServerAction::<SaveForm>::new();
    let error = action_error(save);
    let id = form.as_ref().map_or(0, |f| f.id);
    let title = RwSignal::new(form.as_ref().map(|f| f.title.clone()).unwrap_or_default());
    let introduction = RwSignal::new(
        form.as_ref()
            .map(|f| f.introduction.clone())
            .unwrap_or_default(),
    );
    let fields = RwSignal::new(
        form.as_ref()
            .map(|f| f.fields.iter().map(Draft::of).collect::<Vec<_>>())
            .unwrap_or_else(|| vec![Draft::blank()]),
    );
    let version = form.as_ref().map(|f| f.version);
    // A new form comes back here, at its own address, saved.
    let query = use_query_map();
    let just_created = move || query.read().get("saved").is_some() && save.version().get() == 0;
    // Bumped when fields are added, moved or removed: the list is drawn
    // again then, not on every keystroke.
    let layout = RwSignal::new(0_u32);
    let at = move |field: String| {
        Signal::derive(move || {
            error
                .get()
                .and_then(|e| e.for_field(&field).map(|p| p.text(locale)))
        })
    };
    let json = move || {
        serde_json::to_string(&fields.read().iter().map(Draft::field).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let title_error = at("title".into());
    let fields_error = at("fields".into());
    view! {
        <Title text=td_string!(locale, forms.editor_title) />
        <h1>{move || if title.get().is_empty() { td_string!(locale, forms.new_form).to_owned() } else { title.get() }}</h1>
        {version.map(|v| view! { <p class="meta">{td_string!(locale, forms.version_note, version = v)}</p> })}
        <Notices>
            {move || (matches!(save.value().get(), Some(Ok(_))) || just_created()).then(|| view! { <Notice tone=Tone::Good>{td_string!(locale, forms.saved)}</Notice> })}
        </Notices>
        {move || match save.value().get() {
            Some(Ok(new_id)) if id == 0 => Some(view! { <Redirect path=format!("/settings/forms/{new_id}?saved=1") /> }),
            _ => None,
        }}
        <ActionForm action=save attr:class="card">
            <input type="hidden" name="form_id" value=id.to_string() />
            <input type="hidden" name="fields" prop:value=json />
            <div class="field" class:invalid=move || title_error.get().is_some()>
                <label for="form-title">{td_string!(locale, forms.title_label)}</label>
                <input id="form-title" name="title" required prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                    aria-invalid=move || if title_error.get().is_some() { "true" } else { "false" }
                    aria-describedby="form-title-error" />
                <p class="field-error" id="form-title-error">{move || title_error.get()}</p>
            </div>
            <div class="field">
                <label for="form-introduction">{td_string!(locale, forms.introduction)}</label>
                <p class="hint" id="form-introduction-hint">{td_string!(locale, forms.introduction_hint)}</p>
                <textarea id="form-introduction" name="introduction" rows="3" aria-describedby="form-introduction-hint"
                    prop:value=move || introduction.get()
                    on:input=move |ev| introduction.set(event_target_value(&ev))></textarea>
            </div>
            <fieldset>
                <legend>{td_string!(locale, forms.fields)}</legend>
                <p class="field-error" role="alert">{move || fields_error.get()}</p>
                <ol class="form-fields">
                    {move || {
                        layout.track();
                        let count = fields.read_untracked().len();
                        (0..count)
                            .map(|i| view! { <FieldEditor i count fields layout at=at /> })
                            .collect_view()
                    }}
                </ol>
                <button type="button" class="secondary" on:click=move |_| {
                    fields.update(|f| f.push(Draft::blank()));
                    layout.update(|n| *n += 1);
                }>
                    {td_string!(locale, forms.add_field)}
                </button>
            </fieldset>
            <FormMessage error />
            <button type="submit" disabled=move || save.pending().get()>{td_string!(locale, forms.save)}</button>
        </ActionForm>
    }
}

/// The editor of field `i` of `count`.
#[component]
fn FieldEditor<F>(
    i: usize,
    count: usize,
    fields: RwSignal<Vec<Draft>>,
    layout: RwSignal<u32>,
    at: F,
) -> impl IntoView
where
    F: Fn(String) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
{
    let locale = page_locale();
    let Some(d) = fields.read_untracked().get(i).cloned() else {
        return ().into_any();
    };
    let label_error = at(format!("fields.{i}.label"));
    let choices_error = at(format!("fields.{i}.choices"));
    let help_error = at(format!("fields.{i}.help"));
    let set = move |change: fn(&mut Draft, String), value: String| {
        fields.update(|f| {
            if let Some(d) = f.get_mut(i) {
                change(d, value);
            }
        });
    };
    let number = i + 1;
    let restructure = move |change: fn(&mut Vec<Draft>, usize)| {
        fields.update(|f| change(f, i));
        layout.update(|n| *n += 1);
    };
    let kind = RwSignal::new(d.kind);
    view! {
        <li class="card">
            <div class="field" class:invalid=move || label_error.get().is_some()>
                <label for=format!("field-{i}-label")>{td_string!(locale, forms.field_label, number)}</label>
                <input id=format!("field-{i}-label") prop:value=d.label.clone()
                    on:change=move |ev| set(|d, v| d.label = v, event_target_value(&ev))
                    aria-describedby=format!("field-{i}-label-error") />
                <p class="field-error" id=format!("field-{i}-label-error")>{move || label_error.get()}</p>
            </div>
            <div class="field" class:invalid=move || help_error.get().is_some()>
                <label for=format!("field-{i}-help")>{td_string!(locale, forms.field_help)}</label>
                <input id=format!("field-{i}-help") prop:value=d.help.clone()
                    on:change=move |ev| set(|d, v| d.help = v, event_target_value(&ev))
                    aria-describedby=format!("field-{i}-help-error") />
                <p class="field-error" id=format!("field-{i}-help-error")>{move || help_error.get()}</p>
            </div>
            <div class="field">
                <label for=format!("field-{i}-kind")>{td_string!(locale, forms.field_kind)}</label>
                <select id=format!("field-{i}-kind") on:change=move |ev| {
                    let chosen = FieldKind::parse(&event_target_value(&ev)).unwrap_or(FieldKind::ShortText);
                    kind.set(chosen);
                    fields.update(|f| if let Some(d) = f.get_mut(i) { d.kind = chosen; });
                }>
                    {FieldKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=*k == d.kind>{k.label(locale)}</option>
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || kind.get().has_choices()>
                <div class="field" class:invalid=move || choices_error.get().is_some()>
                    <label for=format!("field-{i}-choices")>{td_string!(locale, forms.field_choices)}</label>
                    <p class="hint" id=format!("field-{i}-choices-hint")>{td_string!(locale, forms.field_choices_hint)}</p>
                    <textarea id=format!("field-{i}-choices") rows="4" prop:value=d.choices.clone()
                        on:change=move |ev| set(|d, v| d.choices = v, event_target_value(&ev))
                        aria-describedby=format!("field-{i}-choices-hint field-{i}-choices-error")></textarea>
                    <p class="field-error" id=format!("field-{i}-choices-error")>{move || choices_error.get()}</p>
                </div>
            </Show>
            <div class="field checkbox">
                <input id=format!("field-{i}-required") type="checkbox" prop:checked=d.required
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        fields.update(|f| if let Some(d) = f.get_mut(i) { d.required = on; });
                    } />
                <label for=format!("field-{i}-required")>{td_string!(locale, forms.field_required)}</label>
            </div>
            <div class="actions">
                {(i > 0).then(|| view! {
                    <button type="button" class="secondary small" on:click=move |_| restructure(|f, i| f.swap(i, i - 1))>
                        {td_string!(locale, forms.move_up, number)}
                    </button>
                })}
                {(i + 1 < count).then(|| view! {
                    <button type="button" class="secondary small" on:click=move |_| restructure(|f, i| f.swap(i, i + 1))>
                        {td_string!(locale, forms.move_down, number)}
                    </button>
                })}
                <button type="button" class="link small" on:click=move |_| restructure(|f, i| { f.remove(i); })>
                    {td_string!(locale, forms.remove_field, number)}
                </button>
            </div>
        </li>
    }
    .into_any()
}

/// Choosing a form to send with an invitation; its value is read by the
/// send buttons (empty: none). Shown only when the organization has forms.
#[component]
pub fn FormChoice(chosen: RwSignal<String>) -> impl IntoView {
    let locale = page_locale();
    // Fetched by an effect once the page is interactive (it only serves
    // the send buttons, which need the page's code anyway) into a plain
    // signal: no Suspense or Transition around it waits for it, and the
    // server's HTML and the hydrating page both have nothing here until the
    // list arrives.
    let forms = RwSignal::new(None::<Vec<crate::model::forms::FormSummary>>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(list) = list_forms().await {
                forms.set(Some(list));
            }
        });
    });
    move || {
        let list = forms.get().filter(|l| !l.is_empty())?;
        Some(view! {
            <div class="field inline">
                <label for="invitation-form">{td_string!(locale, forms.send_with)}</label>
                <select id="invitation-form" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="" selected=move || chosen.get().is_empty()>{td_string!(locale, forms.no_form)}</option>
                    {list.into_iter().map(|f| {
                        let value = f.id.to_string();
                        let is = value.clone();
                        view! { <option value=value selected=move || chosen.get() == is>{f.title}</option> }
                    }).collect_view()}
                </select>
            </div>
        })
    }
}

/// The forms waiting for the reader, on their dashboard, until submitted.
#[component]
pub fn FormsWaiting() -> impl IntoView {
    let locale = page_locale();
    let forms = Resource::new(|| (), |()| my_forms());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match forms.await {
                    Ok(list) if !list.is_empty() => Some(view! {
                        <section class="reminder" aria-labelledby="forms-waiting-title">
                            <h2 id="forms-waiting-title">{td_string!(locale, forms.waiting_title)}</h2>
                            <ul>
                                {list.into_iter().map(|f| view! {
                                    <li><a href=format!("/forms/{}", f.request_id)>{td_string!(locale, forms.fill, title = f.title)}</a></li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }),
                    _ => None,
                }
            })}
        </Suspense>
    }
}

/// `/forms/<request>`: a form sent to the reader, to fill in (a draft
/// saved as often as they like, then submitted), or to read once
/// submitted.
#[component]
pub fn FillFormPage() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let save = ServerAction::<SaveFormAnswers>::new();
    let form = Resource::new(
        move || (id(), save.version().get()),
        |(id, _)| form_to_fill(id),
    );
    view! {
        <main class="narrow">
            <p><a href="/dashboard">{td_string!(locale, forms.back_home)}</a></p>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(f) => view! { <FillForm form=f save /> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}

#[component]
fn FillForm(form: FormToFill, save: ServerAction<SaveFormAnswers>) -> impl IntoView {
    let locale = page_locale();
    let error = action_error(save);
    let query = use_query_map();
    let request = form.request_id;
    // A file's problem comes back in the address (its form is a plain one).
    let file_problem = move |key: &str| {
        let q = query.read();
        (q.get("field").as_deref() == Some(key))
            .then(|| q.get("problem").and_then(|p| Problem::from_upload_name(&p)))
            .flatten()
            .map(|p| p.text(locale))
    };
    let done = form.submitted.is_some();
    let status = match (&form.submitted, &form.saved) {
        (Some(at), _) => td_string!(locale, forms.submitted_at, at = at.clone()),
        (None, Some(at)) => td_string!(locale, forms.draft_saved_at, at = at.clone()),
        (None, None) => td_string!(locale, forms.not_started).to_owned(),
    };
    let fields = form.fields.clone();
    let answers = form.answers.clone();
    let files = form.files.clone();
    view! {
        <Title text=form.title.clone() />
        <h1>{form.title.clone()}</h1>
        {(!form.introduction.is_empty()).then(|| view! { <p class="lead intro">{form.introduction.clone()}</p> })}
        <p class="meta" aria-live="polite">{status}</p>
        <Notices>
            {move || match save.value().get() {
                Some(Ok(())) => Some(view! { <Notice tone=Tone::Good>{td_string!(locale, forms.saved_answers)}</Notice> }),
                _ => None,
            }}
        </Notices>
        // Each file field has its own plain form (a file goes up on its own,
        // and the page comes back): said once, before them.
        {(!done && fields.iter().any(|f| f.kind == FieldKind::File)).then(|| view! {
            <p class="hint">{td_string!(locale, forms.files_first)}</p>
        })}
        {fields
            .iter()
            .filter(|f| f.kind == FieldKind::File)
            .map(|f| {
                let key = f.key.clone();
                // Its own upload's problem, or (on submitting) that it is
                // required.
                let problem = {
                    let key = key.clone();
                    let answer = format!("answers[{key}]");
                    Signal::derive(move || {
                        file_problem(&key).or_else(|| {
                            error
                                .get()
                                .and_then(|e| e.for_field(&answer).map(|p| p.text(locale)))
                        })
                    })
                };
                let given = files.get(&f.key).cloned();
                let input = format!("file-{}", f.key);
                view! {
                    <form class="card" id=format!("field-{}", f.key) method="post" action=format!("/forms/{request}/files/{key}") enctype="multipart/form-data">
                        <div class="field" class:invalid=move || problem.get().is_some()>
                            <label for=input.clone()>{f.label.clone()} {f.required.then(|| view! { " " <span class="required">{td_string!(locale, forms.required)}</span> })}</label>
                            {(!f.help.is_empty()).then(|| view! { <p class="hint">{f.help.clone()}</p> })}
                            <p class="meta">{match given {
                                Some(name) => td_string!(locale, forms.file_given, name),
                                None => td_string!(locale, forms.no_file_yet).to_owned(),
                            }}</p>
                            {(!done).then(|| view! {
                                <input id=input.clone() type="file" name="file" required aria-describedby=format!("{input}-error") />
                            })}
                            <p class="field-error" id=format!("{input}-error") role="alert">{problem}</p>
                        </div>
                        {(!done).then(|| view! { <button type="submit" class="secondary">{td_string!(locale, forms.give_file)}</button> })}
                    </form>
                }
            })
            .collect_view()}
        <ActionForm action=save attr:class="card">
            <input type="hidden" name="request_id" value=request.to_string() />
            {fields
                .into_iter()
                .filter(|f| f.kind != FieldKind::File)
                .map(|f| {
                    let values = answers.get(&f.key).cloned().unwrap_or_default();
                    view! { <Question field=f values error disabled=done /> }
                })
                .collect_view()}
            <FormMessage error />
            {(!done).then(|| view! {
                <div class="actions">
                    <button type="submit" class="secondary" disabled=move || save.pending().get()>{td_string!(locale, forms.save_draft)}</button>
                    <button type="submit" name="submit" value="on" disabled=move || save.pending().get()>{td_string!(locale, forms.submit)}</button>
                </div>
            })}
        </ActionForm>
    }
}

/// One question of a form being filled: its label, help, input and error.
#[component]
fn Question(
    field: FormField,
    values: Vec<String>,
    error: Signal<Option<AppError>>,
    disabled: bool,
) -> impl IntoView {
    let locale = page_locale();
    let name = format!("answers[{}]", field.key);
    let id = format!("answer-{}", field.key);
    let message = {
        let name = name.clone();
        Signal::derive(move || {
            error
                .get()
                .and_then(|e| e.for_field(&name).map(|p| p.text(locale)))
        })
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if field.help.is_empty() {
        error_id.clone()
    } else {
        format!("{hint_id} {error_id}")
    };
    let first = values.first().cloned().unwrap_or_default();
    let invalid = move || {
        if message.get().is_some() {
            "true"
        } else {
            "false"
        }
    };
    let required = field
        .required
        .then(|| view! { " " <span class="required">{td_string!(locale, forms.required)}</span> });
    let help = (!field.help.is_empty())
        .then(|| view! { <p class="hint" id=hint_id.clone()>{field.help.clone()}</p> });
    let input = match field.kind {
        FieldKind::LongText => view! {
            <textarea id=id.clone() name=name.clone() rows="5" disabled=disabled aria-invalid=invalid aria-describedby=described.clone()>{first}</textarea>
        }
        .into_any(),
        FieldKind::ShortText | FieldKind::Date | FieldKind::Number => {
            let kind = match field.kind {
                FieldKind::Date => "date",
                _ => "text",
            };
            let mode = (field.kind == FieldKind::Number).then_some("decimal");
            view! {
                <input id=id.clone() name=name.clone() type=kind inputmode=mode value=first disabled=disabled aria-invalid=invalid aria-describedby=described.clone() />
            }
            .into_any()
        }
        FieldKind::YesNo | FieldKind::OneChoice | FieldKind::ManyChoices => {
            let choices: Vec<(String, String)> = match field.kind {
                FieldKind::YesNo => vec![
                    ("yes".into(), td_string!(locale, forms.yes).to_owned()),
                    ("no".into(), td_string!(locale, forms.no).to_owned()),
                ],
                _ => field.choices.iter().map(|c| (c.clone(), c.clone())).collect(),
            };
            let many = field.kind == FieldKind::ManyChoices;
            return view! {
                <fieldset class="field choices" class:invalid=move || message.get().is_some() aria-describedby=described.clone()>
                    <legend>{field.label.clone()} {required}</legend>
                    {help}
                    {choices
                        .into_iter()
                        .enumerate()
                        .map(|(i, (value, words))| {
                            let input_id = format!("{id}-{i}");
                            let checked = values.contains(&value);
                            let input_name = if many { format!("answers[{}.{i}]", field.key) } else { name.clone() };
                            let kind = if many { "checkbox" } else { "radio" };
                            view! {
                                <div class="checkbox">
                                    <input id=input_id.clone() type=kind name=input_name value=value checked=checked disabled=disabled aria-invalid=invalid />
                                    <label for=input_id>{words}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                    <p class="field-error" id=error_id>{move || message.get()}</p>
                </fieldset>
            }
            .into_any();
        }
        FieldKind::File => ().into_any(),
    };
    view! {
        <div class="field" class:invalid=move || message.get().is_some()>
            <label for=id.clone()>{field.label.clone()} {required}</label>
            {help}
            {input}
            <p class="field-error" id=error_id>{move || message.get()}</p>
        </div>
    }
    .into_any()
}

/// The forms sent to a client, on their page: waiting, or submitted with
/// the answers as given (the words of the version they were sent).
#[component]
pub fn SentForms(client_id: i64) -> impl IntoView {
    let locale = page_locale();
    let live = super::live::use_live(|c| matches!(c, super::live::Change::Clients { .. }));
    let forms = Resource::new(move || live.get(), move |_| client_forms(client_id));
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match forms.await {
                    Ok(list) if !list.is_empty() => Some(view! {
                        <section aria-labelledby="sent-forms-title" id="forms">
                            <h2 id="sent-forms-title">{td_string!(locale, forms.sent_title)}</h2>
                            {list.into_iter().map(|f| view! {
                                <article class="card" aria-label=f.title.clone()>
                                    <h3>{f.title.clone()}</h3>
                                    <p class="meta">{td_string!(locale, forms.sent_state, state = f.state, version = f.version)}</p>
                                    {f.submitted.then(|| view! {
                                        <dl class="answers">
                                            {f.answers.into_iter().map(|a| view! {
                                                <dt>{a.label}</dt>
                                                <dd>{match a.file {
                                                    Some((id, name)) => view! { <a href=format!("/documents/{id}/download") download="">{name}</a> }.into_any(),
                                                    None if a.text.is_empty() => view! { "—" }.into_any(),
                                                    None => view! { {a.text} }.into_any(),
                                                }}</dd>
                                            }).collect_view()}
                                        </dl>
                                    })}
                                </article>
                            }).collect_view()}
                        </section>
                    }.into_any()),
                    Ok(_) => None,
                    Err(e) => Some(view! { <section aria-labelledby="sent-forms-title"><h2 id="sent-forms-title">{td_string!(locale, forms.sent_title)}</h2><p role="alert">{say(&e)}</p></section> }.into_any()),
                }
            })}
        </Transition>
    }
}
