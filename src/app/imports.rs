//! Importing clients from a CSV file: the upload form and the latest
//! imports (`/clients/import`), then one import's preview, with its column
//! mapping, problems and options, and its live progress once started
//! (`/clients/import/<id>`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::live::{Change, use_live};
use super::portal::Portal;
use super::ui::{FormMessage, Notice, Notices, Tone, action_error, page_locale, say};
use crate::api::imports::{CancelImport, RemapImport, StartImport, get_import, list_imports};
use crate::i18n::*;
use crate::model::{
    ImportField, ImportStatus, ImportView, Language, Problem, counted, format_count,
};

/// A count as the page's language writes it.
fn count(n: i64) -> String {
    format_count(n, Language::of_locale(page_locale()))
}

/// An import's state in words.
fn status_words(status: ImportStatus, locale: Locale) -> &'static str {
    match status {
        ImportStatus::Preview => td_string!(locale, imports.status_preview),
        ImportStatus::Running => td_string!(locale, imports.status_running),
        ImportStatus::Done => td_string!(locale, imports.status_done),
        ImportStatus::Cancelled => td_string!(locale, imports.status_cancelled),
    }
}

/// `/clients/import`: the upload form (a plain form: it works before the
/// page's code has loaded) and the latest imports, live.
#[component]
pub fn ImportPage() -> impl IntoView {
    let locale = page_locale();
    let query = use_query_map();
    let problem = move || {
        query
            .read()
            .get("problem")
            .and_then(|p| Problem::from_upload_name(&p))
    };
    let live = use_live(|c| matches!(c, Change::Import { .. }));
    let imports = Resource::new(move || live.get(), |_| list_imports());
    view! {
        <Portal title=td_string!(locale, imports.title)>
            <p><a href="/clients">{td_string!(locale, detail.all_clients)}</a></p>
            <h1>{td_string!(locale, imports.title)}</h1>
            <p class="lead">{td_string!(locale, imports.lead)}</p>
            <form class="card" method="post" action="/clients/import/upload" enctype="multipart/form-data">
                <div class="field" class:invalid=move || problem().is_some()>
                    <label for="import-file">{td_string!(locale, imports.file)}</label>
                    <input
                        id="import-file"
                        type="file"
                        name="file"
                        accept=".csv,text/csv"
                        required
                        aria-describedby="import-file-hint import-file-error"
                        aria-invalid=move || if problem().is_some() { "true" } else { "false" }
                    />
                    <p class="hint" id="import-file-hint">{td_string!(locale, imports.file_hint)}</p>
                    <p class="field-error" id="import-file-error" role="alert">
                        {move || problem().map(|p| p.text(locale))}
                    </p>
                </div>
                <button type="submit">{td_string!(locale, imports.upload)}</button>
            </form>
            <h2>{td_string!(locale, imports.recent)}</h2>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match imports.await {
                        Ok(list) if list.is_empty() => view! { <p>{td_string!(locale, imports.none_yet)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="jobs">
                                {list.into_iter().map(|i| view! { <ImportLine import=i /> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}

/// One import in the list: its file, who, when, where it stands.
#[component]
fn ImportLine(import: ImportView) -> impl IntoView {
    let locale = page_locale();
    let id = import.id;
    view! {
        <li class="job">
            <p class="job-title">
                <a href=format!("/clients/import/{id}")>{import.file_name.clone()}</a>
                " · " {td_string!(locale, imports.uploaded_by, by = import.started_by.clone(), when = import.uploaded.clone())}
                " · " {counted!(locale, import.rows, imports.rows, count = count(import.rows))}
                " · " <span class="job-state">{status_words(import.status, locale)}</span>
            </p>
            {(import.status != ImportStatus::Preview).then(|| view! { <Progress import=import.clone() /> })}
        </li>
    }
}

/// A started import's progress bar and figures.
#[component]
fn Progress(import: ImportView) -> impl IntoView {
    let locale = page_locale();
    let label = td_string!(locale, imports.progress_of, file = import.file_name.clone());
    view! {
        <progress max=import.expected.max(1).to_string() value=import.done_rows.to_string() aria-label=label></progress>
        <p class="job-progress" aria-live="polite">
            {td_string!(locale, imports.progress, done = count(import.done_rows), total = count(import.expected))}
            " · "
            {td_string!(
                locale,
                imports.figures,
                accounts = count(import.created_accounts),
                members = count(import.created_members),
                updated = count(import.updated),
                skipped = count(import.skipped),
                invited = count(import.invited)
            )}
        </p>
        {(import.skipped > 0).then(|| view! {
            <a href=format!("/clients/import/{}/skipped.csv", import.id) download>
                {td_string!(locale, imports.skipped_file)}
            </a>
        })}
    }
}

/// `/clients/import/<id>`: the preview, then the progress.
#[component]
pub fn ImportDetailPage() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let remap = ServerAction::<RemapImport>::new();
    let start = ServerAction::<StartImport>::new();
    let cancel = ServerAction::<CancelImport>::new();
    let live = use_live(move |c| matches!(c, Change::Import { id: i } if *i == id.get_untracked()));
    let import = Resource::new(
        move || {
            (
                id.get(),
                remap.version().get(),
                start.version().get(),
                cancel.version().get(),
                live.get(),
            )
        },
        |(id, ..)| get_import(id),
    );
    let cancel_error = action_error(cancel);
    view! {
        <Portal title=td_string!(locale, imports.title)>
            <p><a href="/clients/import">{td_string!(locale, imports.all)}</a></p>
            <Notices>
                {move || matches!(remap.value().get(), Some(Ok(()))).then(|| view! {
                    <Notice tone=Tone::Good>{td_string!(locale, imports.remapped)}</Notice>
                })}
                {move || cancel_error.get().map(|e| view! { <Notice tone=Tone::Problem>{say(&e)}</Notice> })}
            </Notices>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match import.await {
                        Ok(i) if i.status == ImportStatus::Preview => view! { <PreviewView import=i remap start cancel /> }.into_any(),
                        Ok(i) => view! { <Started import=i cancel /> }.into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}

/// What importing the file would do: its columns' fields (which the person
/// may change), the figures, every problem with its line and column, the
/// options, and the button that starts it.
#[component]
fn PreviewView(
    import: ImportView,
    remap: ServerAction<RemapImport>,
    start: ServerAction<StartImport>,
    cancel: ServerAction<CancelImport>,
) -> impl IntoView {
    let locale = page_locale();
    let id = import.id;
    let remap_error = action_error(remap);
    let start_error = action_error(start);
    let good = import.new_members + import.existing;
    let summary = [
        counted!(
            locale,
            import.rows,
            imports.rows,
            count = count(import.rows)
        ),
        counted!(
            locale,
            import.new_accounts,
            imports.new_accounts,
            count = count(import.new_accounts)
        ),
        counted!(
            locale,
            import.new_members,
            imports.new_members,
            count = count(import.new_members)
        ),
        counted!(
            locale,
            import.existing,
            imports.existing,
            count = count(import.existing)
        ),
        if import.problems == 0 {
            td_string!(locale, imports.no_problems).to_owned()
        } else {
            td_string!(locale, imports.see_problems).to_owned()
        },
    ];
    let more = import.problems - import.shown_problems.len() as i64;
    view! {
        <h1>{import.file_name.clone()}</h1>
        <p class="lead">{td_string!(locale, imports.uploaded_by, by = import.started_by.clone(), when = import.uploaded.clone())}</p>
        <ul class="counts" aria-live="polite">
            {summary.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
        </ul>
        <ActionForm action=remap attr:class="card" attr:aria-labelledby="mapping-title">
            <h2 id="mapping-title">{td_string!(locale, imports.columns)}</h2>
            <p class="hint">{td_string!(locale, imports.columns_hint)}</p>
            <input type="hidden" name="import_id" value=id.to_string() />
            {import
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let field_id = format!("column-{i}");
                    let chosen = c.field;
                    view! {
                        <div class="field">
                            <label for=field_id.clone()>
                                {c.header.clone()}
                                {(!c.recognised).then(|| view! { " " <span class="status problem">{td_string!(locale, imports.not_recognised)}</span> })}
                            </label>
                            <select id=field_id name=format!("mapping[{i}]")>
                                {ImportField::ALL
                                    .iter()
                                    .map(|f| view! { <option value=f.as_str() selected=*f == chosen>{f.label(locale)}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })
                .collect_view()}
            <FormMessage error=remap_error />
            <button type="submit" class="secondary">{td_string!(locale, imports.remap)}</button>
        </ActionForm>
        {(import.problems > 0).then(|| view! {
            <section aria-labelledby="problems-title">
                <h2 id="problems-title">{counted!(locale, import.problems, imports.problems, count = count(import.problems))}</h2>
                <p class="hint">{td_string!(locale, imports.problems_hint)}</p>
                <table class="clients cards">
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(locale, imports.line)}</th>
                            <th scope="col">{td_string!(locale, imports.column)}</th>
                            <th scope="col">{td_string!(locale, imports.value)}</th>
                            <th scope="col">{td_string!(locale, imports.reason)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {import
                            .shown_problems
                            .iter()
                            .map(|p| view! {
                                <tr>
                                    <td data-label=td_string!(locale, imports.line)>{p.line}</td>
                                    <td data-label=td_string!(locale, imports.column)>{p.column.clone()}</td>
                                    <td data-label=td_string!(locale, imports.value)>{p.value.clone()}</td>
                                    <td data-label=td_string!(locale, imports.reason)>{p.problem.text(locale)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
                {(more > 0).then(|| view! { <p class="hint">{td_string!(locale, imports.more_problems, count = count(more))}</p> })}
            </section>
        })}
        <ActionForm action=start attr:class="card" attr:aria-labelledby="start-title">
            <h2 id="start-title">{td_string!(locale, imports.start_title)}</h2>
            <input type="hidden" name="import_id" value=id.to_string() />
            <div class="field checkbox">
                <input id="import-update" type="checkbox" name="update_existing" value="on" />
                <label for="import-update">{td_string!(locale, imports.update_existing)}</label>
            </div>
            <div class="field checkbox">
                <input id="import-invite" type="checkbox" name="invite" value="on" />
                <label for="import-invite">{td_string!(locale, imports.invite)}</label>
            </div>
            {(import.problems > 0).then(|| view! {
                <div class="field checkbox">
                    <input id="import-good-only" type="checkbox" name="good_rows_only" value="on" />
                    <label for="import-good-only">{td_string!(locale, imports.good_rows_only, count = count(good))}</label>
                </div>
            })}
            <FormMessage error=start_error />
            <button type="submit" disabled=move || start.pending().get()>
                {td_string!(locale, imports.start_button)}
            </button>
            " "
            <button type="button" class="link" on:click=move |_| { cancel.dispatch(CancelImport { import_id: id }); }>
                {td_string!(locale, imports.discard)}
            </button>
        </ActionForm>
    }
}

/// A started import: live progress, figures, the skipped rows' file, and
/// cancelling while it runs.
#[component]
fn Started(import: ImportView, cancel: ServerAction<CancelImport>) -> impl IntoView {
    let locale = page_locale();
    let id = import.id;
    let running = import.status == ImportStatus::Running;
    view! {
        <h1>{import.file_name.clone()}</h1>
        <p class="lead">
            {td_string!(locale, imports.uploaded_by, by = import.started_by.clone(), when = import.uploaded.clone())}
            " · " <span class="job-state">{status_words(import.status, locale)}</span>
        </p>
        <Progress import=import.clone() />
        {running.then(|| view! {
            <p>
                <button type="button" class="secondary" on:click=move |_| { cancel.dispatch(CancelImport { import_id: id }); }>
                    {td_string!(locale, imports.cancel)}
                </button>
            </p>
        })}
        {(import.status == ImportStatus::Done).then(|| view! {
            <p><a href="/clients">{td_string!(locale, imports.see_clients)}</a></p>
        })}
    }
}
