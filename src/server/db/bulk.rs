//! Bulk invitation jobs: which clients a selection takes, what would happen to
//! each (the preview and the job share one SQL expression, so the preview's
//! counts are what the job then does), and the job's batches.

use sqlx::{AnyPool, FromRow};

use super::clients::{filter_condition, like_pattern};
use super::id_list;
use super::{Db, Tx};
use crate::model::{ClientFilter, MailStatus, Role};
use crate::model::{OrganizationId, UserId};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Which clients a bulk invitation is for. Every rule but `Selected` is
/// narrowed by the list's search words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// Rows ticked in the list.
    Selected {
        ids: Vec<i64>,
    },
    /// Everyone the list shows with its status filter, in the accounts on
    /// its plan and of its staff member (when it is filtered by them).
    Matching {
        status: String,
        #[serde(default)]
        plan: Option<i64>,
        #[serde(default)]
        staff: Option<i64>,
    },
    /// Every owner of the accounts of the ticked members.
    OwnersOfSelected {
        ids: Vec<i64>,
    },
    /// Every member of the accounts on a plan (its name as it was then).
    OnPlan {
        plan: i64,
        name: String,
    },
    /// Every member of the accounts assigned to a staff member (their name
    /// as it was then).
    AssignedTo {
        staff: i64,
        name: String,
    },
    /// Created on or after this time (ms).
    CreatedAfter {
        since: i64,
    },
    NeverInvited,
    Expired,
    Failed,
    /// Invited, not accepted, and no invitation email for more than this many days.
    WaitingLongerThan {
        days: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Selection {
    #[serde(flatten)]
    pub rule: Rule,
    #[serde(default)]
    pub search: String,
    /// Also resend to invitations emailed in the last 24 hours.
    #[serde(default)]
    pub resend_pending: bool,
    /// The roles whoever started the job may invite (at or below their own
    /// rank); others are skipped. Empty (a job stored before this rule)
    /// means clients and collaborators only.
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// The SQL parameters every selection query binds, in this order.
struct Params {
    organization_id: OrganizationId,
    pattern: String,
    now: i64,
    rule_value: i64,
}

impl Selection {
    /// The condition on `clients c`, with $1 the organization, $2 the search
    /// pattern, $3 now and $4 the rule's value.
    fn condition(&self) -> String {
        let search = if self.search.trim().is_empty()
            || matches!(
                self.rule,
                Rule::Selected { .. } | Rule::OwnersOfSelected { .. }
            ) {
            "$2 = ''"
        } else {
            "c.search_text LIKE $2 ESCAPE '\\'"
        };
        let rule = match &self.rule {
            Rule::Selected { ids } if ids.is_empty() => "1 = 0".to_owned(),
            Rule::Selected { ids } => format!("c.id IN ({})", id_list(ids)),
            Rule::Matching {
                status,
                plan,
                staff,
            } => {
                // Ids are numbers: nothing to escape. Each member carries
                // their account's plan and staff (migration 0019).
                let accounts = |column: &str, id: Option<i64>| {
                    id.map_or_else(String::new, |id| format!(" AND c.{column} = {id}"))
                };
                format!(
                    "{}{}{}",
                    filter_condition(ClientFilter::parse(status)),
                    accounts("account_plan_id", *plan),
                    accounts("account_staff_id", *staff)
                )
            }
            Rule::OwnersOfSelected { ids } if ids.is_empty() => "1 = 0".to_owned(),
            Rule::OwnersOfSelected { ids } => format!(
                "c.place = 'owner' AND c.account_id IN (SELECT t.account_id FROM clients t
                   WHERE t.organization_id = $1 AND t.id IN ({}))",
                id_list(ids)
            ),
            Rule::OnPlan { .. } => "c.account_plan_id = $4".to_owned(),
            Rule::AssignedTo { .. } => "c.account_staff_id = $4".to_owned(),
            Rule::CreatedAfter { .. } => "c.created_at >= $4".to_owned(),
            Rule::NeverInvited => filter_condition(Some(ClientFilter::NotInvited)).to_owned(),
            Rule::Expired => filter_condition(Some(ClientFilter::Expired)).to_owned(),
            Rule::Failed => filter_condition(Some(ClientFilter::Failed)).to_owned(),
            Rule::WaitingLongerThan { .. } => "c.list_state = 'invited'
                 AND c.invitation_expires_at > $3 AND c.last_invited_at < $4"
                .to_owned(),
        };
        format!("c.organization_id = $1 AND {search} AND $3 >= 0 AND $4 >= 0 AND {rule}")
    }

    /// What happens to each client of the selection, by name:
    /// `activate` and `join` get an invitation, `skipped_*` do not.
    fn outcome(&self) -> String {
        let recent = if self.resend_pending {
            "1 = 0".to_owned()
        } else {
            format!(
                "c.list_state = 'invited' AND c.invitation_expires_at > $3
                 AND c.last_invited_at > $3 - {DAY_MS}"
            )
        };
        let roles = if self.roles.is_empty() {
            vec![Role::Client, Role::Collaborator]
        } else {
            self.roles.clone()
        };
        // Role names come from the enum, so nothing to escape.
        let roles = roles
            .iter()
            .map(|r| format!("'{}'", r.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "CASE
                WHEN c.role NOT IN ({roles}) THEN 'skipped_rank'
                WHEN c.list_state = 'disabled' THEN 'skipped_disabled'
                WHEN c.list_state = 'active' THEN 'skipped_active'
                WHEN c.list_state = 'no_email' THEN 'skipped_no_email'
                WHEN {recent} THEN 'skipped_recent'
                WHEN c.role = 'collaborator' AND c.list_state NOT IN ('invited', 'failed')
                     AND (SELECT o.collaborator_seats FROM organizations o
                          WHERE o.id = c.organization_id) IS NOT NULL THEN 'skipped_seats'
                WHEN EXISTS (SELECT 1 FROM users u WHERE u.email_lower = c.email_lower AND u.password_hash IS NOT NULL) THEN 'join'
                ELSE 'activate'
            END"
        )
    }

    fn params(&self, organization_id: OrganizationId, now: i64) -> Params {
        let words = self.search.trim().to_lowercase();
        Params {
            organization_id,
            pattern: if words.is_empty() {
                String::new()
            } else {
                like_pattern(&words)
            },
            now,
            rule_value: match self.rule {
                Rule::CreatedAfter { since } => since,
                Rule::WaitingLongerThan { days } => now - days * DAY_MS,
                Rule::OnPlan { plan, .. } => plan,
                Rule::AssignedTo { staff, .. } => staff,
                _ => 0,
            },
        }
    }
}

/// How many clients of a selection get which outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub activate: i64,
    pub join: i64,
    pub skipped_active: i64,
    pub skipped_no_email: i64,
    pub skipped_disabled: i64,
    pub skipped_recent: i64,
    pub skipped_rank: i64,
    pub skipped_seats: i64,
}

impl Counts {
    fn add(&mut self, outcome: &str, n: i64) {
        match outcome {
            "activate" => self.activate += n,
            "join" => self.join += n,
            "skipped_active" => self.skipped_active += n,
            "skipped_no_email" => self.skipped_no_email += n,
            "skipped_disabled" => self.skipped_disabled += n,
            "skipped_rank" => self.skipped_rank += n,
            "skipped_seats" => self.skipped_seats += n,
            _ => self.skipped_recent += n,
        }
    }

    pub fn invitations(&self) -> i64 {
        self.activate + self.join
    }
}

/// What confirming the selection now would do.
pub async fn preview(
    pool: &AnyPool,
    organization_id: OrganizationId,
    selection: &Selection,
    now: i64,
) -> Result<Counts, sqlx::Error> {
    let p = selection.params(organization_id, now);
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT outcome, COUNT(*) FROM (SELECT {} AS outcome FROM clients c WHERE {}) t
         GROUP BY outcome",
        selection.outcome(),
        selection.condition()
    ))
    .bind(p.organization_id)
    .bind(&p.pattern)
    .bind(p.now)
    .bind(p.rule_value)
    .fetch_all(pool)
    .await?;
    let mut counts = Counts::default();
    for (outcome, n) in rows {
        counts.add(&outcome, n);
    }
    Ok(counts)
}

#[derive(Debug, Clone, FromRow)]
pub struct Job {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub created_by: Option<UserId>,
    pub created_by_name: Option<String>,
    pub selection: String,
    pub description: String,
    pub status: String,
    pub position: i64,
    pub expected: i64,
    pub invited: i64,
    pub joined: i64,
    pub skipped_active: i64,
    pub skipped_no_email: i64,
    pub skipped_disabled: i64,
    pub skipped_recent: i64,
    pub skipped_rank: i64,
    pub skipped_seats: i64,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const JOB: &str = "SELECT j.id, j.organization_id, j.created_by, u.name AS created_by_name,
        j.selection, j.description, j.status, j.position, j.expected, j.invited, j.joined,
        j.skipped_active, j.skipped_no_email, j.skipped_disabled, j.skipped_recent,
        j.skipped_rank, j.skipped_seats,
        j.created_at, j.finished_at
     FROM bulk_jobs j LEFT JOIN users u ON u.id = j.created_by";

/// Creates a running job, or finds the one this request key already made.
/// Returns the job's id and whether it is new.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    db: &Db,
    organization_id: OrganizationId,
    created_by: UserId,
    request_key: &str,
    selection: &Selection,
    form_id: Option<i64>,
    description: &str,
    expected: i64,
    now: i64,
) -> Result<(i64, bool), sqlx::Error> {
    let json = serde_json::to_string(selection).expect("a selection serializes");
    let mut writer = db.writer().await?;
    let created: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO bulk_jobs (organization_id, created_by, request_key, selection, description,
                                resend_pending, status, expected, created_at, form_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8, $9)
         ON CONFLICT (organization_id, request_key) DO NOTHING
         RETURNING id",
    )
    .bind(organization_id)
    .bind(created_by)
    .bind(request_key)
    .bind(json)
    .bind(description)
    .bind(i64::from(selection.resend_pending))
    .bind(expected)
    .bind(now)
    .bind(form_id)
    .fetch_optional(&mut *writer)
    .await?;
    if let Some((id,)) = created {
        return Ok((id, true));
    }
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM bulk_jobs WHERE organization_id = $1 AND request_key = $2")
            .bind(organization_id)
            .bind(request_key)
            .fetch_one(&mut *writer)
            .await?;
    Ok((id, false))
}

/// The job the organization's request `request_key` created, if any.
pub async fn of_request_key(
    pool: &AnyPool,
    organization_id: OrganizationId,
    request_key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM bulk_jobs WHERE organization_id = $1 AND request_key = $2")
            .bind(organization_id)
            .bind(request_key)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// One job of one organization; None for another organization's.
pub async fn get(
    pool: &AnyPool,
    organization_id: OrganizationId,
    id: i64,
) -> Result<Option<Job>, sqlx::Error> {
    sqlx::query_as(&format!("{JOB} WHERE j.organization_id = $1 AND j.id = $2"))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// An organization's latest jobs, newest first.
pub async fn recent(
    pool: &AnyPool,
    organization_id: OrganizationId,
    limit: i64,
) -> Result<Vec<Job>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{JOB} WHERE j.organization_id = $1 ORDER BY j.id DESC LIMIT $2"
    ))
    .bind(organization_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// How many of a job's emails are sent and how many failed.
pub async fn delivery(pool: &AnyPool, job_id: i64) -> Result<(i64, i64), sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM email_outbox WHERE bulk_job_id = $1 GROUP BY status",
    )
    .bind(job_id)
    .fetch_all(pool)
    .await?;
    let count = |s: MailStatus| {
        rows.iter()
            .find(|(k, _)| k == s.as_str())
            .map_or(0, |(_, n)| *n)
    };
    Ok((count(MailStatus::Sent), count(MailStatus::Failed)))
}

/// Stops a running job: what it queued stays queued, nothing more is added.
pub async fn cancel(
    db: &Db,
    organization_id: OrganizationId,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE bulk_jobs SET status = 'cancelled', finished_at = $3
         WHERE organization_id = $1 AND id = $2 AND status = 'running'",
    )
    .bind(organization_id)
    .bind(id)
    .bind(now)
    .execute(&mut *db.writer().await?)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Whether one of the organization's jobs is still running.
pub async fn any_running(
    pool: &AnyPool,
    organization_id: OrganizationId,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM bulk_jobs WHERE organization_id = $1 AND status = 'running' LIMIT 1",
    )
    .bind(organization_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.is_some())
}

/// Ids of the jobs still running, oldest first.
pub async fn running(pool: &AnyPool) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM bulk_jobs WHERE status = 'running' ORDER BY id")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// What one batch did.
#[derive(Debug, Clone)]
pub struct BatchDone {
    pub organization_id: OrganizationId,
    pub client_ids: Vec<i64>,
    /// The job finished (nothing left) or was found cancelled.
    pub finished: bool,
}

/// Runs the next batch of a job in one transaction: picks the next `size`
/// clients after the job's position, queues their invitations (each email
/// keyed by job and client, so a batch done twice queues nothing twice),
/// counts the outcomes and moves the position. The position only moves from
/// where this batch started, so of two servers running the same batch at
/// once, one commits and the other's work is rolled back. None when another
/// server holds the job or it is no longer running.
pub async fn run_batch(
    db: &Db,
    job_id: i64,
    size: i64,
    now: i64,
) -> Result<Option<BatchDone>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let lock = db.backend.skip_locked();
    type Job = (
        OrganizationId,
        Option<UserId>,
        String,
        i64,
        i64,
        Option<i64>,
    );
    let job: Option<Job> = sqlx::query_as(&format!(
        "SELECT j.organization_id, j.created_by, j.selection, j.position, o.invitation_lifetime_days,
                j.form_id
         FROM bulk_jobs j JOIN organizations o ON o.id = j.organization_id
         WHERE j.id = $1 AND j.status = 'running' {lock}"
    ))
    .bind(job_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((organization_id, actor, selection, position, lifetime_days, form_id)) = job else {
        return Ok(None);
    };
    let selection: Selection = match serde_json::from_str(&selection) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(job_id = job_id, error = %e, "unreadable bulk job selection; cancelling it");
            sqlx::query(
                "UPDATE bulk_jobs SET status = 'cancelled', finished_at = $2 WHERE id = $1",
            )
            .bind(job_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(None);
        }
    };
    let p = selection.params(organization_id, now);
    let batch: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT c.id, {} AS outcome FROM clients c WHERE {} AND c.id > $5 ORDER BY c.id LIMIT $6",
        selection.outcome(),
        selection.condition()
    ))
    .bind(p.organization_id)
    .bind(&p.pattern)
    .bind(p.now)
    .bind(p.rule_value)
    .bind(position)
    .bind(size)
    .fetch_all(&mut *tx)
    .await?;

    let Some(&(last, _)) = batch.last() else {
        sqlx::query("UPDATE bulk_jobs SET status = 'done', finished_at = $2 WHERE id = $1")
            .bind(job_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(Some(BatchDone {
            organization_id,
            client_ids: Vec::new(),
            finished: true,
        }));
    };
    let mut counts = Counts::default();
    let mut invite = Vec::new();
    for (id, outcome) in &batch {
        counts.add(outcome, 1);
        if outcome == "activate" || outcome == "join" {
            invite.push(*id);
        }
    }
    let expires_at = now + lifetime_days * DAY_MS;
    queue_invitations(&mut tx, job_id, actor, &invite, now, expires_at).await?;
    if let Some(form_id) = form_id {
        super::forms::request(&mut tx, organization_id, form_id, &invite, actor, now).await?;
    }
    super::clients::refresh_states(&mut tx, &invite).await?;

    let moved = sqlx::query(
        "UPDATE bulk_jobs SET position = $3,
            invited = invited + $4, joined = joined + $5,
            skipped_active = skipped_active + $6, skipped_no_email = skipped_no_email + $7,
            skipped_disabled = skipped_disabled + $8, skipped_recent = skipped_recent + $9,
            skipped_rank = skipped_rank + $10, skipped_seats = skipped_seats + $11
         WHERE id = $1 AND position = $2 AND status = 'running'",
    )
    .bind(job_id)
    .bind(position)
    .bind(last)
    .bind(counts.activate)
    .bind(counts.join)
    .bind(counts.skipped_active)
    .bind(counts.skipped_no_email)
    .bind(counts.skipped_disabled)
    .bind(counts.skipped_recent)
    .bind(counts.skipped_rank)
    .bind(counts.skipped_seats)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        // Cancelled meanwhile, or another server did this batch first.
        tx.rollback().await?;
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(BatchDone {
        organization_id,
        client_ids: invite,
        finished: false,
    }))
}

/// Queues an invitation email for each client in `ids` (all with an email,
/// none active or disabled), as the single-client path does: an open
/// invitation of the right kind gets a fresh expiry, one of the wrong kind
/// (the address got an account since) is revoked and replaced, and clients
/// without one get a new one (a join invitation when the address has an
/// account).
async fn queue_invitations(
    tx: &mut Tx,
    job_id: i64,
    actor: Option<UserId>,
    ids: &[i64],
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let ids = id_list(ids);
    const KIND: &str =
        "CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.email_lower = c.email_lower AND u.password_hash IS NOT NULL)
                        THEN 'join' ELSE 'activate' END";
    sqlx::query(&format!(
        "UPDATE invitations SET revoked_at = $1
         WHERE client_id IN ({ids}) AND accepted_at IS NULL AND revoked_at IS NULL
           AND kind <> (SELECT {KIND} FROM clients c WHERE c.id = invitations.client_id)"
    ))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "UPDATE invitations SET expires_at = $1
         WHERE client_id IN ({ids}) AND accepted_at IS NULL AND revoked_at IS NULL"
    ))
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO invitations (organization_id, client_id, kind, email, invited_by, created_at, expires_at)
         SELECT c.organization_id, c.id, {KIND}, c.email, $1, $2, $3
         FROM clients c
         WHERE c.id IN ({ids}) AND NOT EXISTS (
             SELECT 1 FROM invitations i
             WHERE i.client_id = c.id AND i.accepted_at IS NULL AND i.revoked_at IS NULL)"
    ))
    .bind(actor)
    .bind(now)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO email_outbox (organization_id, client_id, invitation_id, kind, recipient,
                                   idempotency_key, status, next_attempt_at, created_at, bulk_job_id)
         SELECT i.organization_id, i.client_id, i.id, 'invitation', i.email,
                $1 || CAST(i.client_id AS TEXT), 'queued', $2, $2, $3
         FROM invitations i
         WHERE i.client_id IN ({ids}) AND i.accepted_at IS NULL AND i.revoked_at IS NULL
         ON CONFLICT (idempotency_key) DO NOTHING"
    ))
    .bind(format!("bulk:{job_id}:"))
    .bind(now)
    .bind(job_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
