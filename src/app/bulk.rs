//! Bulk invitations: choose who, preview what will happen, confirm, and
//! follow each job's progress live.

use leptos::prelude::*;

use super::live::{Change, use_live};
use super::portal::Portal;
use super::ui::{action_error, page_locale, say};
use crate::api::bulk::{CancelBulkInvite, PreviewBulkInvite, StartBulkInvite, list_bulk_jobs};
use crate::i18n::*;
use crate::model::{AccountChoices, AppError, BulkJob, BulkPreview, Choice, JobStatus, Language};

/// A count as the page's language writes it ("1,000", "1 000").
fn count(n: i64) -> String {
    crate::model::format_count(n, Language::of_locale(page_locale()))
}

/// What the list shows now: the bulk panel's "everyone in this list" rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListScope {
    pub search: String,
    pub status: String,
    pub plan: String,
    pub staff: String,
    pub total: i64,
    pub more: bool,
}

/// The "Invite in bulk" panel of the client list.
#[component]
pub fn BulkInvitePanel(
    /// Rows ticked in the list.
    selected: RwSignal<Vec<i64>>,
    scope: Signal<ListScope>,
    /// The organization's plans and staff, for the rules that name one.
    choices: Resource<Result<AccountChoices, AppError>>,
) -> impl IntoView {
    let locale = page_locale();
    let open = RwSignal::new(false);
    let rule = RwSignal::new(String::from("matching"));
    let created_after = RwSignal::new(String::new());
    let waiting_days = RwSignal::new(String::from("7"));
    let plan = RwSignal::new(String::new());
    let staff = RwSignal::new(String::new());
    let resend = RwSignal::new(false);
    let intake_form = RwSignal::new(String::new());
    let preview = ServerAction::<PreviewBulkInvite>::new();
    let start = ServerAction::<StartBulkInvite>::new();

    // Ticking rows makes "the selected clients" the rule.
    Effect::new(move |_| {
        if !selected.read().is_empty() {
            rule.set("selected".into());
        }
    });
    // The list's search and filter, without its count: a live reload of the
    // list (another admin's change, an email going out) must not wipe the
    // preview being read.
    let list_filter = Memo::new(move |_| {
        let s = scope.get();
        (s.search, s.status, s.plan, s.staff)
    });
    let fields = move || {
        let (search, status, list_plan, list_staff) = list_filter.get();
        PreviewBulkInvite {
            rule: rule.get(),
            ids: selected
                .get()
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
            search,
            status,
            created_after: created_after.get(),
            waiting_days: waiting_days.get(),
            resend_pending: resend.get().then(|| "on".to_owned()),
            plan: plan.get(),
            staff: staff.get(),
            list_plan,
            list_staff,
        }
    };
    // A changed choice needs a fresh preview before anything is sent.
    Effect::new(move |_| {
        let _ = fields();
        preview.value().set(None);
    });
    let preview_error = action_error(preview);
    let start_error = action_error(start);
    let field_error = move |name: &'static str| {
        move || {
            preview_error
                .get()
                .and_then(|e| e.for_field(name).map(|p| p.text(locale)))
        }
    };
    let confirm = move |p: BulkPreview| {
        let f = fields();
        start.dispatch(StartBulkInvite {
            request_key: p.request_key,
            rule: f.rule,
            ids: f.ids,
            search: f.search,
            status: f.status,
            created_after: f.created_after,
            waiting_days: f.waiting_days,
            resend_pending: f.resend_pending,
            plan: f.plan,
            staff: f.staff,
            list_plan: f.list_plan,
            list_staff: f.list_staff,
            intake_form: intake_form.get_untracked(),
        });
    };
    // Once started, the panel closes and the job shows in the list of jobs.
    Effect::new(move |_| {
        if matches!(start.value().get(), Some(Ok(_))) {
            open.set(false);
            selected.set(Vec::new());
            preview.value().set(None);
        }
    });

    let option = move |value: &'static str, label: String| {
        let id = format!("bulk-rule-{value}");
        view! {
            <div class="choice">
                <input
                    type="radio"
                    name="bulk-rule"
                    id=id.clone()
                    value=value
                    prop:checked=move || rule.get() == value
                    on:change=move |_| rule.set(value.into())
                />
                <label for=id>{label}</label>
            </div>
        }
    };

    view! {
        <div class="bulk-bar">
            <button
                type="button"
                class="secondary"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="bulk-panel"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {td_string!(locale, bulk.open)}
            </button>
            <span aria-live="polite">
                {move || {
                    let n = selected.read().len();
                    (n > 0).then(|| crate::model::counted!(locale, n as i64, bulk.n_selected, count = count(n as i64)))
                }}
            </span>
            <span aria-live="polite">
                {move || {
                    start_error.get().map(|e| view! { <span class="problem">{say(&e)}</span> })
                }}
            </span>
        </div>
        <section id="bulk-panel" class="card bulk-panel" aria-labelledby="bulk-title" hidden=move || !open.get()>
            <h2 id="bulk-title">{td_string!(locale, bulk.title)}</h2>
            <fieldset>
                <legend>{td_string!(locale, bulk.who)}</legend>
                {move || {
                    let n = selected.read().len();
                    (n > 0).then(|| view! {
                        {option("selected", td_string!(locale, bulk.the_selected, count = count(n as i64)))}
                        {option("owners_of_selected", td_string!(locale, bulk.owners_of_selected).into())}
                    })
                }}
                {move || {
                    let s = scope.get();
                    let total = count(s.total);
                    let everyone = s.search.is_empty() && s.status.is_empty() && s.plan.is_empty() && s.staff.is_empty();
                    let label = match (everyone, s.more) {
                        (true, false) => td_string!(locale, bulk.all, count = total),
                        (true, true) => td_string!(locale, bulk.all_more, count = total),
                        (false, false) => td_string!(locale, bulk.all_matching, count = total),
                        (false, true) => td_string!(locale, bulk.all_matching_more, count = total),
                    };
                    option("matching", label)
                }}
                {option("plan", td_string!(locale, bulk.plan_option).into())}
                {option("staff", td_string!(locale, bulk.staff_option).into())}
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let choices = choices.await.unwrap_or_default();
                        let menu = move |id: &'static str, label: &'static str, value: RwSignal<String>, rule_name: &'static str, list: Vec<Choice>| {
                            let error_id = format!("{id}-error");
                            view! {
                                <div class="field indented" class:invalid=move || field_error(rule_name)().is_some()>
                                    <label for=id>{label}</label>
                                    <select
                                        id=id
                                        prop:value=value
                                        aria-describedby=error_id.clone()
                                        on:change=move |ev| {
                                            value.set(event_target_value(&ev));
                                            rule.set(rule_name.into());
                                        }
                                    >
                                        <option value="">{td_string!(locale, bulk.choose)}</option>
                                        {list
                                            .into_iter()
                                            .map(|c| view! { <option value=c.id.to_string()>{c.name}</option> })
                                            .collect_view()}
                                    </select>
                                    <p class="field-error" id=error_id>{field_error(rule_name)}</p>
                                </div>
                            }
                        };
                        view! {
                            {menu("bulk-plan", td_string!(locale, bulk.plan), plan, "plan", choices.plans)}
                            {menu("bulk-staff", td_string!(locale, bulk.staff), staff, "staff", choices.staff)}
                        }
                    })}
                </Suspense>
                {option("created_after", td_string!(locale, bulk.created_after_option).into())}
                <div class="field indented" class:invalid=move || field_error("created_after")().is_some()>
                    <label for="bulk-created-after">{td_string!(locale, bulk.created_after)}</label>
                    <input
                        id="bulk-created-after"
                        type="date"
                        prop:value=created_after
                        on:input=move |ev| {
                            created_after.set(event_target_value(&ev));
                            rule.set("created_after".into());
                        }
                        aria-describedby="bulk-created-after-error"
                    />
                    <p class="field-error" id="bulk-created-after-error">{field_error("created_after")}</p>
                </div>
                {option("never_invited", td_string!(locale, bulk.never_invited).into())}
                {option("expired", td_string!(locale, bulk.expired).into())}
                {option("failed", td_string!(locale, bulk.failed).into())}
                {option("waiting", td_string!(locale, bulk.waiting_option).into())}
                <div class="field indented" class:invalid=move || field_error("waiting_days")().is_some()>
                    <label for="bulk-waiting-days">{td_string!(locale, bulk.waiting_days)}</label>
                    <input
                        id="bulk-waiting-days"
                        type="number"
                        min="1"
                        max="365"
                        prop:value=waiting_days
                        on:input=move |ev| {
                            waiting_days.set(event_target_value(&ev));
                            rule.set("waiting".into());
                        }
                        aria-describedby="bulk-waiting-days-error"
                    />
                    <p class="field-error" id="bulk-waiting-days-error">{field_error("waiting_days")}</p>
                </div>
            </fieldset>
            <div class="field checkbox">
                <input
                    id="bulk-resend"
                    type="checkbox"
                    prop:checked=resend
                    on:change=move |ev| resend.set(event_target_checked(&ev))
                />
                <label for="bulk-resend">{td_string!(locale, bulk.resend)}</label>
            </div>
            <super::forms::FormChoice chosen=intake_form />
            <p class="field-error" role="alert">
                {move || field_error("ids")().or_else(|| field_error("rule")())}
            </p>
            <button
                type="button"
                class="secondary"
                disabled=move || preview.pending().get()
                on:click=move |_| {
                    preview.dispatch(fields());
                }
            >
                {td_string!(locale, bulk.preview)}
            </button>
            <div aria-live="polite">
                {move || match (preview.value().get(), preview_error.get()) {
                    (Some(Ok(p)), _) => view! { <PreviewSummary preview=p.clone() start confirm=move || confirm(p.clone()) /> }.into_any(),
                    (_, Some(AppError::Invalid(_)) | None) => ().into_any(),
                    (_, Some(e)) => view! { <p class="problem">{say(&e)}</p> }.into_any(),
                }}
            </div>
        </section>
    }
}

/// What confirming will do, and the button that does it.
#[component]
fn PreviewSummary(
    preview: BulkPreview,
    start: ServerAction<StartBulkInvite>,
    confirm: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let locale = page_locale();
    let (start_disabled, start_reason) =
        super::portal::invite_button_state(move || start.pending().get());
    let n = preview.invitations();
    use crate::model::counted;
    let line = |n: i64, words: fn(Locale, i64, String) -> String| (n, words(locale, n, count(n)));
    let lines = [
        line(preview.activate, |l, n, count| {
            counted!(l, n, bulk.activate, count)
        }),
        line(preview.join, |l, n, count| counted!(l, n, bulk.join, count)),
        line(preview.skipped_active, |l, n, count| {
            counted!(l, n, bulk.skipped_active, count)
        }),
        line(preview.skipped_no_email, |l, n, count| {
            counted!(l, n, bulk.skipped_no_email, count)
        }),
        line(preview.skipped_disabled, |l, n, count| {
            counted!(l, n, bulk.skipped_disabled, count)
        }),
        line(preview.skipped_recent, |l, n, count| {
            counted!(l, n, bulk.skipped_recent, count)
        }),
        line(preview.skipped_rank, |l, n, count| {
            counted!(l, n, bulk.skipped_rank, count)
        }),
        line(preview.skipped_seats, |l, n, count| {
            counted!(l, n, bulk.skipped_seats, count)
        }),
    ];
    view! {
        <div class="preview">
            <p><strong>{preview.description.clone()}</strong></p>
            <ul class="counts">
                {lines
                    .into_iter()
                    .filter(|(count, _)| *count > 0)
                    .map(|(_, text)| view! { <li>{text}</li> })
                    .collect_view()}
            </ul>
            {if n == 0 {
                view! { <p>{td_string!(locale, bulk.nobody)}</p> }.into_any()
            } else {
                let label = counted!(locale, n, bulk.send, count = count(n));
                view! {
                    <button type="button" disabled=start_disabled aria-describedby=start_reason on:click=move |_| confirm()>
                        {label}
                    </button>
                }
                    .into_any()
            }}
        </div>
    }
}

/// The latest bulk jobs with their live progress.
#[component]
pub fn BulkJobs(
    /// Show at most this many.
    limit: usize,
    /// Only the jobs still running (the overview's "needs attention").
    #[prop(optional)]
    running_only: bool,
) -> impl IntoView {
    let locale = page_locale();
    let cancel = ServerAction::<CancelBulkInvite>::new();
    // A job's own events, and its emails' deliveries (client events).
    let live = use_live(|c| matches!(c, Change::Job { .. } | Change::Clients { .. }));
    let jobs = Resource::new(
        move || (live.get(), cancel.version().get()),
        |_| list_bulk_jobs(),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(mut list) => {
                        if running_only {
                            list.retain(|job| job.status == JobStatus::Running);
                        }
                        if list.is_empty() {
                            return ().into_any();
                        }
                        view! {
                            <section class="jobs" aria-labelledby="jobs-title">
                                <h2 id="jobs-title">{td_string!(locale, bulk.jobs)}</h2>
                                <ul class="job-list">
                                    {list
                                        .into_iter()
                                        .take(limit)
                                        .map(|job| view! { <JobLine job cancel /> })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobLine(job: BulkJob, cancel: ServerAction<CancelBulkInvite>) -> impl IntoView {
    let locale = page_locale();
    let goal = job.goal();
    let label = td_string!(
        locale,
        bulk.progress_of,
        description = job.description.clone()
    );
    let progress = td_string!(
        locale,
        bulk.progress,
        sent = count(job.sent),
        goal = count(goal)
    );
    let state = match job.status {
        JobStatus::Running => td_string!(locale, bulk.running),
        JobStatus::Cancelled => td_string!(locale, bulk.cancelled),
        _ if job.settled() => td_string!(locale, bulk.done),
        _ => td_string!(locale, bulk.sending),
    };
    let summary = job.settled().then(|| {
        td_string!(
            locale,
            bulk.summary,
            sent = count(job.sent),
            failed = count(job.failed),
            skipped = count(job.skipped)
        )
    });
    let id = job.id;
    view! {
        <li class="job">
            <p class="job-title">
                <strong>{job.description.clone()}</strong>
                " · " {td_string!(locale, bulk.started, by = job.started_by.clone(), when = job.started.clone())}
                " · " <span class="job-state">{state}</span>
            </p>
            <progress max=goal.max(1).to_string() value=job.sent.to_string() aria-label=label></progress>
            <p class="job-progress" aria-live="polite">
                {progress}
                " · "
                {td_string!(
                    locale,
                    bulk.counts,
                    queued = count(job.queued),
                    failed = count(job.failed),
                    skipped = count(job.skipped)
                )}
            </p>
            {summary.map(|s| view! { <p class="job-summary">{s}</p> })}
            {(job.failed > 0).then(|| view! { <a href="/clients?status=failed">{td_string!(locale, bulk.see_failures)}</a> })}
            {(job.status == JobStatus::Running).then(|| {
                view! {
                    <button
                        type="button"
                        class="secondary small"
                        on:click=move |_| {
                            cancel.dispatch(CancelBulkInvite { job_id: id });
                        }
                    >
                        {td_string!(locale, bulk.cancel)}
                    </button>
                }
            })}
        </li>
    }
}

/// `/invitations`: every recent bulk job.
#[component]
pub fn BulkJobsPage() -> impl IntoView {
    let locale = page_locale();
    view! {
        <Portal title=td_string!(locale, bulk.jobs)>
            <h1>{td_string!(locale, bulk.jobs)}</h1>
            <p class="lead">{td_string!(locale, bulk.page_lead)}</p>
            <BulkJobs limit=20 />
        </Portal>
    }
}
