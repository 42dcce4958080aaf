//! The staff home (`/`): the onboarding funnel, invitations per week, and
//! what needs attention, kept live.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::bulk::BulkJobs;
use super::live::use_live;
use super::portal::Portal;
use super::ui::{page_locale, say};
use crate::api::overview::get_overview;
use crate::i18n::*;
use crate::model::overview::{
    BAR_WIDTH, CHART_BASE, CHART_HEIGHT, CHART_WIDTH, bar, chart_max, scale_y, week_x,
};
use crate::model::{AppError, Attention, Funnel, Language, Overview, WeekCount, format_count};

/// `/` for staff: the funnel, the chart and what needs attention, reloaded
/// on every live change. Clients are sent to their dashboard.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let locale = page_locale();
    // Anything may move a figure: reload on every change.
    let live = use_live(|_| true);
    let overview = Resource::new(move || live.get(), |_| get_overview());
    view! {
        <Portal title=td_string!(locale, overview.title)>
            <h1>{td_string!(locale, overview.title)}</h1>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => view! { <OverviewView overview=o /> }.into_any(),
                        // Clients and collaborators have their own home.
                        Err(AppError::Forbidden) => view! { <Redirect path="/dashboard" /> }.into_any(),
                        // The portal's frame sends them to sign in.
                        Err(AppError::Unauthenticated) => ().into_any(),
                        Err(e) => view! { <p role="alert">{say(&e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </Portal>
    }
}

#[component]
fn OverviewView(overview: Overview) -> impl IntoView {
    let locale = page_locale();
    let Overview {
        funnel,
        weeks,
        failed,
        waiting,
        applications,
        jobs_running,
    } = overview;
    let nothing =
        failed.total == 0 && waiting.total == 0 && applications.total == 0 && !jobs_running;
    let waiting_title = td_string!(
        locale,
        overview.waiting,
        days = crate::model::overview::WAITING_DAYS
    );
    view! {
        <FunnelView funnel />
        <WeeksChart weeks />
        <section class="attention" aria-labelledby="attention-title">
            <h2 id="attention-title">{td_string!(locale, overview.attention)}</h2>
            {if nothing {
                view! { <p class="empty">{td_string!(locale, overview.nothing)}</p> }.into_any()
            } else {
                view! {
                    <div class="attention-grid">
                        <AttentionList id="failed" title=td_string!(locale, overview.failed).to_owned() list=failed all="/clients?status=failed" />
                        <AttentionList id="waiting" title=waiting_title list=waiting all="/clients?status=pending&sort=oldest" all_words=td_string!(locale, overview.see_pending) />
                        <AttentionList id="applications" title=td_string!(locale, overview.applications).to_owned() list=applications all="/approvals" />
                    </div>
                }
                .into_any()
            }}
        </section>
        {jobs_running.then(|| view! { <BulkJobs limit=5 running_only=true /> })}
    }
}

/// The funnel: created → invited → joined, each with its share of the
/// clients created.
#[component]
fn FunnelView(funnel: Funnel) -> impl IntoView {
    let locale = page_locale();
    let language = Language::of_locale(locale);
    let Funnel {
        created,
        invited,
        joined,
    } = funnel;
    if created == 0 {
        return view! {
            <section class="empty" aria-labelledby="funnel-title">
                <h2 id="funnel-title">{td_string!(locale, overview.no_clients_heading)}</h2>
                <p>{td!(locale, overview.no_clients_text, <a> = super::ui::link("/clients"))}</p>
            </section>
        }
        .into_any();
    }
    let step = move |n: i64, words: String, share: Option<i64>| {
        view! {
            <li>
                <span class="figure">{format_count(n, language)}</span>
                <span class="words">{words}</span>
                {share.map(|p| view! {
                    <span class="share">{td_string!(locale, overview.share, percent = p)}</span>
                    <span class="meter" aria-hidden="true"><span style=format!("width: {p}%")></span></span>
                })}
            </li>
        }
    };
    view! {
        <section class="card funnel" aria-labelledby="funnel-title">
            <h2 id="funnel-title">{td_string!(locale, overview.funnel)}</h2>
            <ol class="funnel-steps">
                {step(created, crate::model::counted!(locale, created, overview.created), None)}
                {step(invited, crate::model::counted!(locale, invited, overview.invited), Some(Funnel::percent(invited, created)))}
                {step(joined, crate::model::counted!(locale, joined, overview.joined), Some(Funnel::percent(joined, created)))}
            </ol>
        </section>
    }
    .into_any()
}

/// Invitations sent and accepted per week, drawn as bars. The drawing is
/// for the eye; the same numbers are in a table for screen readers.
#[component]
fn WeeksChart(weeks: Vec<WeekCount>) -> impl IntoView {
    let locale = page_locale();
    let language = Language::of_locale(locale);
    let max = chart_max(&weeks);
    let n = weeks.len();
    let sent_total: i64 = weeks.iter().map(|w| w.sent).sum();
    let accepted_total: i64 = weeks.iter().map(|w| w.accepted).sum();
    // A line halfway when half the scale is a whole number.
    let marks = if max % 2 == 0 {
        vec![0, max / 2, max]
    } else {
        vec![0, max]
    };
    let scale = marks
        .into_iter()
        .map(|v| {
            let y = scale_y(v, max);
            view! {
                <line class="grid" x1="36" x2=CHART_WIDTH y1=y y2=y />
                <text class="scale" x="32" y=y + 4.0 text-anchor="end">{v.to_string()}</text>
            }
        })
        .collect_view();
    let bars = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = week_x(i, n);
            let s = bar(x, w.sent, max);
            let a = bar(x + BAR_WIDTH, w.accepted, max);
            let label_x = x + BAR_WIDTH;
            // Every other week's label, the current week's among them.
            let label = (n - 1 - i).is_multiple_of(2).then(|| w.label.clone());
            view! {
                <rect class="sent" x=s.x y=s.y width=BAR_WIDTH height=s.height />
                <rect class="accepted" x=a.x y=a.y width=BAR_WIDTH height=a.height />
                <text class="week" x=label_x y=CHART_BASE + 18.0 text-anchor="middle">{label}</text>
            }
        })
        .collect_view();
    let rows = weeks
        .into_iter()
        .map(|w| {
            view! {
                <tr>
                    <th scope="row">{w.label}</th>
                    <td>{format_count(w.sent, language)}</td>
                    <td>{format_count(w.accepted, language)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card chart" aria-labelledby="chart-title">
            <h2 id="chart-title">{td_string!(locale, overview.chart)}</h2>
            <p class="meta">
                {td_string!(
                    locale,
                    overview.chart_summary,
                    weeks = n,
                    sent = format_count(sent_total, language),
                    accepted = format_count(accepted_total, language)
                )}
            </p>
            <svg
                viewBox=format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}")
                class="weeks"
                aria-hidden="true"
                focusable="false"
            >
                {scale}
                <line class="base" x1="36" x2=CHART_WIDTH y1=CHART_BASE y2=CHART_BASE />
                {bars}
            </svg>
            <ul class="legend" aria-hidden="true">
                <li><span class="swatch sent"></span>{td_string!(locale, overview.sent)}</li>
                <li><span class="swatch accepted"></span>{td_string!(locale, overview.accepted)}</li>
            </ul>
            <table class="visually-hidden">
                <caption>{td_string!(locale, overview.chart)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(locale, overview.week_of)}</th>
                        <th scope="col">{td_string!(locale, overview.sent)}</th>
                        <th scope="col">{td_string!(locale, overview.accepted)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// A "needs attention" list: its count, the first entries as links, and a
/// link to all of them.
#[component]
fn AttentionList(
    id: &'static str,
    title: String,
    list: Attention,
    /// Where every entry of this kind is listed.
    all: &'static str,
    /// The link's words when that list holds more than this one counts
    /// (else "See all N").
    #[prop(optional, into)]
    all_words: Option<String>,
) -> impl IntoView {
    let locale = page_locale();
    let language = Language::of_locale(locale);
    let heading = format!("attention-{id}");
    let labelled_by = heading.clone();
    let shown = list.items.len() as i64;
    view! {
        <section class="card attention-list" aria-labelledby=labelled_by data-list=id>
            <h3 id=heading>
                {title}
                " "
                <span class="badge" class:quiet=list.total == 0>{format_count(list.total, language)}</span>
            </h3>
            {if list.items.is_empty() {
                view! { <p class="meta">{td_string!(locale, overview.none_here)}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {list
                            .items
                            .into_iter()
                            .map(|item| view! {
                                <li>
                                    <a href=item.href>{item.name}</a>
                                    <span class="meta">{item.detail}</span>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {(list.total > shown).then(|| view! {
                <p>
                    <a href=all>
                        {all_words.unwrap_or_else(|| td_string!(locale, overview.see_all, count = format_count(list.total, language)))}
                    </a>
                </p>
            })}
        </section>
    }
}
