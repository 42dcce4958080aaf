//! Bulk invitations: the form's choice becomes a selection, its preview, and a
//! job that a background runner expands in batches (resuming after a restart).

use crate::i18n::td_string;
use crate::model::{
    AppError, BulkJob, BulkPreview, ClientFilter, JobStatus, Problem, Role, counted, format_count,
};
use crate::model::{PlanId, UserId};
use crate::server::auth::CurrentSession;
use crate::server::dates::{Local, parse_date};
use crate::server::db::bulk::{self, Rule, Selection};
use crate::server::db::{self, Db};
use crate::server::domain::{authority, rules};

/// Explicitly ticked rows, at most.
const MAX_SELECTED: usize = 5_000;

/// The bulk invitation form as submitted.
#[derive(Debug, Clone, Default)]
pub struct BulkForm {
    /// selected | owners_of_selected | matching | plan | staff | created_after |
    /// never_invited | expired | failed | waiting
    pub rule: String,
    /// Ticked client ids, comma-separated (rule `selected`).
    pub ids: String,
    /// The list's search words and status filter.
    pub search: String,
    pub status: String,
    /// "YYYY-MM-DD" (rule `created_after`).
    pub created_after: String,
    /// Days (rule `waiting`).
    pub waiting_days: String,
    pub resend_pending: bool,
    /// A plan's id (rule `plan`).
    pub plan: String,
    /// A staff member's id, or `me` (rule `staff`).
    pub staff: String,
    /// The list's plan and staff filters (rule `matching`), as in its
    /// address.
    pub list_plan: String,
    pub list_staff: String,
}

impl BulkForm {
    /// The selection the form describes, or the field that is wrong. A date
    /// is read in `local`'s time zone (the organization's): "created on or
    /// after 3 Nov" starts at midnight there.
    ///
    /// A plan or staff member is named by id here; [`resolve`] checks it is
    /// the organization's and takes its name.
    pub fn selection(&self, local: &Local, me: UserId) -> Result<Selection, AppError> {
        let ticked = || {
            use super::rules::{IdListError, id_list};
            match id_list(&self.ids, MAX_SELECTED) {
                Ok(ids) if ids.is_empty() => Err(AppError::field("ids", Problem::TickOne)),
                Ok(ids) => Ok(ids),
                Err(IdListError::TooMany) => Err(AppError::field("ids", Problem::TickAtMost)),
                Err(IdListError::NotIds) => Err(AppError::field("ids", Problem::TickFromList)),
            }
        };
        let rule = match self.rule.as_str() {
            "selected" => Rule::Selected { ids: ticked()? },
            "owners_of_selected" => Rule::OwnersOfSelected { ids: ticked()? },
            "matching" => Rule::Matching {
                status: self.status.clone(),
                plan: optional_id(&self.list_plan, me)?,
                staff: optional_id(&self.list_staff, me)?,
            },
            "plan" => match optional_id(&self.plan, me)? {
                Some(plan) => Rule::OnPlan {
                    plan,
                    name: String::new(),
                },
                None => return Err(AppError::field("plan", Problem::PlanChoose)),
            },
            "staff" => match optional_id(&self.staff, me)? {
                Some(staff) => Rule::AssignedTo {
                    staff,
                    name: String::new(),
                },
                None => return Err(AppError::field("staff", Problem::StaffChoose)),
            },
            "created_after" => match parse_date(&self.created_after, &local.time_zone) {
                Some(since) => Rule::CreatedAfter { since },
                None => return Err(AppError::field("created_after", Problem::DateChoose)),
            },
            "never_invited" => Rule::NeverInvited,
            "expired" => Rule::Expired,
            "failed" => Rule::Failed,
            "waiting" => match self.waiting_days.trim().parse::<i64>() {
                Ok(days @ 1..=365) => Rule::WaitingLongerThan { days },
                _ => {
                    return Err(AppError::field("waiting_days", Problem::DaysRange));
                }
            },
            _ => return Err(AppError::field("rule", Problem::RuleChoose)),
        };
        Ok(Selection {
            rule,
            search: super::rules::search(&self.search),
            resend_pending: self.resend_pending,
            roles: Vec::new(),
        })
    }
}

/// An id from the form (a plan's, a staff member's; `me` is the person
/// sending it); None when empty.
///
/// Errors: not found for anything else (nothing has that id).
fn optional_id(value: &str, me: UserId) -> Result<Option<i64>, AppError> {
    match value.trim() {
        "" => Ok(None),
        "me" => Ok(Some(me.0)),
        id => id.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

/// Checks that the plan and staff member a selection names are the
/// organization's, and writes their names into it (a job's description
/// keeps the names it started with).
///
/// Errors: not found for another organization's plan or staff member.
async fn resolve(
    db: &Db,
    actor: &CurrentSession,
    selection: &mut Selection,
) -> Result<(), AppError> {
    let org = actor.organization_id;
    let plan_name = |plans: &[(PlanId, String, i64)], id: i64| {
        plans
            .iter()
            .find(|(p, ..)| p.0 == id)
            .map(|(_, name, _)| name.clone())
            .ok_or(AppError::NotFound)
    };
    let staff_name = |staff: &[(UserId, String)], id: i64| {
        staff
            .iter()
            .find(|(u, _)| u.0 == id)
            .map(|(_, name)| name.clone())
            .ok_or(AppError::NotFound)
    };
    match &mut selection.rule {
        Rule::OnPlan { plan, name } => {
            *name = plan_name(&db::client_accounts::plans(&db.pool, org).await?, *plan)?;
        }
        Rule::AssignedTo { staff, name } => {
            *name = staff_name(
                &db::client_accounts::staff_choices(&db.pool, org).await?,
                *staff,
            )?;
        }
        Rule::Matching { plan, staff, .. } => {
            if let Some(plan) = plan {
                plan_name(&db::client_accounts::plans(&db.pool, org).await?, *plan)?;
            }
            if let Some(staff) = staff {
                staff_name(
                    &db::client_accounts::staff_choices(&db.pool, org).await?,
                    *staff,
                )?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The form's selection, limited to the roles the actor may invite
/// ([`authority::within_reach`]): the preview and the job skip the others.
async fn selection_for(
    db: &Db,
    actor: &CurrentSession,
    form: &BulkForm,
) -> Result<Selection, AppError> {
    let mut selection = form.selection(&actor.local(), actor.user_id)?;
    resolve(db, actor, &mut selection).await?;
    selection.roles = authority::within_reach(actor.role);
    Ok(selection)
}

/// The selection in words, for the preview and the job list, in `local`'s
/// language and time zone.
pub fn describe(selection: &Selection, local: &Local) -> String {
    let locale = local.language.locale();
    let count = |n: usize| format_count(i64::try_from(n).unwrap_or(i64::MAX), local.language);
    let rule = match &selection.rule {
        Rule::Selected { ids } => {
            let n = i64::try_from(ids.len()).unwrap_or(i64::MAX);
            counted!(locale, n, selection.selected, count = count(ids.len()))
        }
        Rule::OwnersOfSelected { ids } => {
            let n = i64::try_from(ids.len()).unwrap_or(i64::MAX);
            counted!(
                locale,
                n,
                selection.owners_of_selected,
                count = count(ids.len())
            )
        }
        Rule::OnPlan { name, .. } => td_string!(locale, selection.on_plan, plan = name),
        Rule::AssignedTo { name, .. } => td_string!(locale, selection.assigned_to, name),
        Rule::Matching { status, .. } => match ClientFilter::parse(status) {
            None => td_string!(locale, selection.all_in_list).to_owned(),
            Some(filter) => {
                td_string!(
                    locale,
                    selection.all_with_status,
                    status = filter.label(locale)
                )
            }
        },
        Rule::CreatedAfter { since } => {
            td_string!(locale, selection.created_after, date = local.date(*since))
        }
        Rule::NeverInvited => td_string!(locale, selection.never_invited).to_owned(),
        Rule::Expired => td_string!(locale, selection.expired).to_owned(),
        Rule::Failed => td_string!(locale, selection.failed).to_owned(),
        Rule::WaitingLongerThan { days } => counted!(locale, *days, selection.waiting_days, days),
    };
    let rule = match (&selection.rule, selection.search.is_empty()) {
        (Rule::Selected { .. } | Rule::OwnersOfSelected { .. }, _) | (_, true) => rule,
        (_, false) => td_string!(locale, selection.matching, rule, search = &selection.search),
    };
    if selection.resend_pending {
        td_string!(locale, selection.resending, rule)
    } else {
        rule
    }
}

pub async fn preview(
    db: &Db,
    actor: &CurrentSession,
    form: &BulkForm,
    now: i64,
) -> Result<BulkPreview, AppError> {
    let selection = selection_for(db, actor, form).await?;
    let counts = bulk::preview(&db.pool, actor.organization_id, &selection, now).await?;
    Ok(BulkPreview {
        description: describe(&selection, &actor.local()),
        activate: counts.activate,
        join: counts.join,
        skipped_active: counts.skipped_active,
        skipped_no_email: counts.skipped_no_email,
        skipped_disabled: counts.skipped_disabled,
        skipped_recent: counts.skipped_recent,
        skipped_rank: counts.skipped_rank,
        skipped_seats: counts.skipped_seats,
        request_key: crate::server::auth::token::random_token(),
    })
}

/// Creates the job and returns its id at once; the runner does the work.
/// Refused while the portal is off ([`super::portal::require_on`]); a job
/// already running goes on, and its email waits in the outbox.
/// `request_key` comes from the confirming page: confirming twice (a double
/// click, a retried request) returns the first job.
pub async fn start(
    db: &Db,
    actor: &CurrentSession,
    form: &BulkForm,
    intake_form: Option<i64>,
    request_key: &str,
    now: i64,
) -> Result<(i64, bool), AppError> {
    let key = rules::request_key(request_key).map_err(|p| AppError::field("request_key", p))?;
    let key = key.as_str();
    // A repeat finds its job even if the portal was switched off since.
    if let Some(id) = bulk::of_request_key(&db.pool, actor.organization_id, key).await? {
        return Ok((id, false));
    }
    super::portal::require_on(db, actor.organization_id, Role::Client).await?;
    let selection = selection_for(db, actor, form).await?;
    if let Some(f) = intake_form
        && db::forms::get(&db.pool, actor.organization_id, f)
            .await?
            .is_none()
    {
        return Err(AppError::NotFound);
    }
    let counts = bulk::preview(&db.pool, actor.organization_id, &selection, now).await?;
    let (id, created) = bulk::create(
        db,
        actor.organization_id,
        actor.user_id,
        key,
        &selection,
        intake_form,
        &describe(&selection, &actor.local()),
        counts.invitations(),
        now,
    )
    .await?;
    if created {
        tracing::info!(
            job_id = id,
            organization_id = %actor.organization_id,
            expected = counts.invitations(),
            "bulk invitation started"
        );
    }
    Ok((id, created))
}

pub async fn cancel(
    db: &Db,
    actor: &CurrentSession,
    job_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let job = bulk::get(&db.pool, actor.organization_id, job_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !bulk::cancel(db, actor.organization_id, job.id, now).await? {
        return Err(AppError::Conflict(Problem::JobFinished));
    }
    tracing::info!(job_id = job_id, "bulk invitation cancelled");
    Ok(())
}

/// A job for `local`'s reader: its selection described in their language
/// (the words stored when it started, if the stored selection cannot be
/// read back).
async fn view(db: &Db, job: bulk::Job, local: &Local) -> Result<BulkJob, AppError> {
    let (sent, failed) = bulk::delivery(&db.pool, job.id).await?;
    let locale = local.language.locale();
    Ok(BulkJob {
        id: job.id,
        description: serde_json::from_str::<Selection>(&job.selection)
            .map(|s| describe(&s, local))
            .unwrap_or(job.description),
        started_by: job
            .created_by_name
            .unwrap_or_else(|| td_string!(locale, selection.someone).to_owned()),
        started: local.date_time(job.created_at),
        status: JobStatus::parse(&job.status)
            .ok_or_else(|| AppError::internal(format!("unknown job status {:?}", job.status)))?,
        expected: job.expected,
        queued: job.invited + job.joined,
        joined: job.joined,
        sent,
        failed,
        skipped: job.skipped_active
            + job.skipped_no_email
            + job.skipped_disabled
            + job.skipped_recent
            + job.skipped_rank
            + job.skipped_seats,
    })
}

pub async fn get(db: &Db, actor: &CurrentSession, job_id: i64) -> Result<BulkJob, AppError> {
    let job = bulk::get(&db.pool, actor.organization_id, job_id)
        .await?
        .ok_or(AppError::NotFound)?;
    view(db, job, &actor.local()).await
}

pub async fn recent(db: &Db, actor: &CurrentSession) -> Result<Vec<BulkJob>, AppError> {
    let mut out = Vec::new();
    let local = actor.local();
    for job in bulk::recent(&db.pool, actor.organization_id, 20).await? {
        out.push(view(db, job, &local).await?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(rule: &str) -> BulkForm {
        BulkForm {
            rule: rule.into(),
            ..Default::default()
        }
    }

    #[test]
    fn forms_become_selections_or_field_errors() {
        let field = |f: BulkForm| match f.selection(&Local::utc_english(), UserId(1)) {
            Err(AppError::Invalid(errors)) => errors[0].field.clone(),
            other => panic!("expected a field error, got {other:?}"),
        };
        assert_eq!(field(form("selected")), "ids");
        assert_eq!(field(form("owners_of_selected")), "ids");
        assert_eq!(field(form("plan")), "plan");
        assert_eq!(field(form("staff")), "staff");
        assert_eq!(field(form("created_after")), "created_after");
        assert_eq!(
            field(BulkForm {
                waiting_days: "0".into(),
                ..form("waiting")
            }),
            "waiting_days"
        );
        assert_eq!(field(form("everyone, twice")), "rule");
        let s = BulkForm {
            ids: "3, 5,8".into(),
            search: "  ann ".into(),
            ..form("selected")
        }
        .selection(&Local::utc_english(), UserId(1))
        .unwrap();
        assert_eq!(s.rule, Rule::Selected { ids: vec![3, 5, 8] });
        assert_eq!(
            describe(&s, &Local::utc_english()),
            "3 selected clients",
            "a selection ignores the search"
        );
    }

    #[test]
    fn selections_read_as_words() {
        let s = BulkForm {
            created_after: "2026-11-03".into(),
            search: "ann".into(),
            resend_pending: true,
            ..form("created_after")
        }
        .selection(&Local::utc_english(), UserId(1))
        .unwrap();
        assert_eq!(
            describe(&s, &Local::utc_english()),
            "Clients created on or after 3 Nov 2026, matching “ann”, resending to recent invitations"
        );
        assert_eq!(
            describe(&s, &Local::new(crate::model::Language::French, "UTC")),
            "Clients créés le 3 nov. 2026 ou après, correspondant à «\u{a0}ann\u{a0}», en renvoyant aux invitations récentes"
        );
        // The date is the organization's: midnight in Toronto, read back as
        // the same day there.
        let toronto = Local::new(crate::model::Language::English, "America/Toronto");
        let since = BulkForm {
            created_after: "2026-11-03".into(),
            ..form("created_after")
        }
        .selection(&toronto, UserId(1))
        .unwrap();
        assert_eq!(
            describe(&since, &toronto),
            "Clients created on or after 3 Nov 2026"
        );
        let pending = BulkForm {
            status: "not-invited".into(),
            ..form("matching")
        }
        .selection(&Local::utc_english(), UserId(1))
        .unwrap();
        assert_eq!(
            describe(&pending, &Local::utc_english()),
            "All clients in the list with status “Not invited”"
        );
    }
}
