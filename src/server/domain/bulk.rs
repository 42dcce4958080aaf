//! Bulk invitations: the form's choice becomes a selection, its preview, and a
//! job that a background runner expands in batches (resuming after a restart).

use crate::model::{AppError, BulkJob, BulkPreview};
use crate::server::auth::CurrentSession;
use crate::server::dates::{format_date, format_datetime, parse_date};
use crate::server::db::Db;
use crate::server::db::bulk::{self, Rule, Selection};
use crate::server::domain::authority;

/// Explicitly ticked rows, at most.
const MAX_SELECTED: usize = 5_000;

/// The bulk invitation form as submitted.
#[derive(Debug, Clone, Default)]
pub struct BulkForm {
    /// selected | matching | created_after | never_invited | expired | failed | waiting
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
}

impl BulkForm {
    /// The selection the form describes, or the field that is wrong.
    pub fn selection(&self) -> Result<Selection, AppError> {
        let rule = match self.rule.as_str() {
            "selected" => {
                use super::rules::{IdListError, id_list};
                match id_list(&self.ids, MAX_SELECTED) {
                    Ok(ids) if ids.is_empty() => {
                        return Err(AppError::field("ids", "Tick at least one client."));
                    }
                    Ok(ids) => Rule::Selected { ids },
                    Err(IdListError::TooMany) => {
                        return Err(AppError::field(
                            "ids",
                            "Tick at most 5,000 clients, or choose a rule instead.",
                        ));
                    }
                    Err(IdListError::NotIds) => {
                        return Err(AppError::field("ids", "Tick clients from the list."));
                    }
                }
            }
            "matching" => Rule::Matching {
                status: self.status.clone(),
            },
            "created_after" => match parse_date(&self.created_after) {
                Some(since) => Rule::CreatedAfter { since },
                None => return Err(AppError::field("created_after", "Choose a date.")),
            },
            "never_invited" => Rule::NeverInvited,
            "expired" => Rule::Expired,
            "failed" => Rule::Failed,
            "waiting" => match self.waiting_days.trim().parse::<i64>() {
                Ok(days @ 1..=365) => Rule::WaitingLongerThan { days },
                _ => {
                    return Err(AppError::field(
                        "waiting_days",
                        "Enter a number of days from 1 to 365.",
                    ));
                }
            },
            _ => return Err(AppError::field("rule", "Choose who to invite.")),
        };
        Ok(Selection {
            rule,
            search: super::rules::search(&self.search),
            resend_pending: self.resend_pending,
            roles: Vec::new(),
        })
    }
}

/// The form's selection, limited to the roles the actor may invite
/// ([`authority::within_reach`]): the preview and the job skip the others.
fn selection_for(actor: &CurrentSession, form: &BulkForm) -> Result<Selection, AppError> {
    let mut selection = form.selection()?;
    selection.roles = authority::within_reach(actor.role);
    Ok(selection)
}

/// The selection in words, for the preview and the job list.
pub fn describe(selection: &Selection) -> String {
    let rule = match &selection.rule {
        Rule::Selected { ids } if ids.len() == 1 => "1 selected client".to_owned(),
        Rule::Selected { ids } => format!("{} selected clients", ids.len()),
        Rule::Matching { status } if status.is_empty() => "All clients in the list".to_owned(),
        Rule::Matching { status } => format!("All clients in the list with status “{status}”"),
        Rule::CreatedAfter { since } => {
            format!("Clients created on or after {}", format_date(*since))
        }
        Rule::NeverInvited => "Clients never invited".to_owned(),
        Rule::Expired => "Clients whose invitation expired".to_owned(),
        Rule::Failed => "Clients whose invitation email failed".to_owned(),
        Rule::WaitingLongerThan { days: 1 } => "Clients waiting for more than 1 day".to_owned(),
        Rule::WaitingLongerThan { days } => format!("Clients waiting for more than {days} days"),
    };
    let search = match (&selection.rule, selection.search.is_empty()) {
        (Rule::Selected { .. }, _) | (_, true) => String::new(),
        (_, false) => format!(", matching “{}”", selection.search),
    };
    let resend = if selection.resend_pending {
        ", resending to recent invitations"
    } else {
        ""
    };
    format!("{rule}{search}{resend}")
}

pub async fn preview(
    db: &Db,
    actor: &CurrentSession,
    form: &BulkForm,
    now: i64,
) -> Result<BulkPreview, AppError> {
    let selection = selection_for(actor, form)?;
    let counts = bulk::preview(&db.pool, actor.organization_id, &selection, now).await?;
    Ok(BulkPreview {
        description: describe(&selection),
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
/// `request_key` comes from the confirming page: confirming twice (a double
/// click, a retried request) returns the first job.
pub async fn start(
    db: &Db,
    actor: &CurrentSession,
    form: &BulkForm,
    request_key: &str,
    now: i64,
) -> Result<(i64, bool), AppError> {
    let key = request_key.trim();
    if key.is_empty() || key.len() > 100 {
        return Err(AppError::field("request_key", "Missing request key."));
    }
    let selection = selection_for(actor, form)?;
    let counts = bulk::preview(&db.pool, actor.organization_id, &selection, now).await?;
    let (id, created) = bulk::create(
        db,
        actor.organization_id,
        actor.user_id,
        key,
        &selection,
        &describe(&selection),
        counts.invitations(),
        now,
    )
    .await?;
    if created {
        tracing::info!(
            job_id = id,
            organization_id = actor.organization_id,
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
        return Err(AppError::Conflict("This job has already finished.".into()));
    }
    tracing::info!(job_id, "bulk invitation cancelled");
    Ok(())
}

async fn view(db: &Db, job: bulk::Job) -> Result<BulkJob, AppError> {
    let (sent, failed) = bulk::delivery(&db.pool, job.id).await?;
    Ok(BulkJob {
        id: job.id,
        description: job.description,
        started_by: job.created_by_name.unwrap_or_else(|| "Someone".into()),
        started: format_datetime(job.created_at),
        status: job.status,
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
    view(db, job).await
}

pub async fn recent(db: &Db, actor: &CurrentSession) -> Result<Vec<BulkJob>, AppError> {
    let mut out = Vec::new();
    for job in bulk::recent(&db.pool, actor.organization_id, 20).await? {
        out.push(view(db, job).await?);
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
        let field = |f: BulkForm| match f.selection() {
            Err(AppError::Invalid(errors)) => errors[0].field.clone(),
            other => panic!("expected a field error, got {other:?}"),
        };
        assert_eq!(field(form("selected")), "ids");
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
        .selection()
        .unwrap();
        assert_eq!(s.rule, Rule::Selected { ids: vec![3, 5, 8] });
        assert_eq!(
            describe(&s),
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
        .selection()
        .unwrap();
        assert_eq!(
            describe(&s),
            "Clients created on or after 3 Nov 2026, matching “ann”, resending to recent invitations"
        );
    }
}
