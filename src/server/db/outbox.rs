//! The email outbox and its delivery log.

use sqlx::{AnyPool, FromRow};

use super::{Db, Tx};
use crate::model::EmailKind;
use crate::model::{ClientId, OrganizationId};

/// A queued email, as the worker claims it.
#[derive(Debug, Clone, FromRow)]
pub struct OutboxEmail {
    pub id: i64,
    pub organization_id: Option<OrganizationId>,
    pub client_id: Option<ClientId>,
    pub kind: String,
    pub recipient: String,
    pub invitation_id: Option<i64>,
    pub signup_id: Option<i64>,
    pub reset_id: Option<i64>,
    pub email_change_id: Option<i64>,
    pub attempts: i64,
}

impl OutboxEmail {
    /// What the email is about; None for a kind this server does not know
    /// (written by a newer version).
    pub fn kind(&self) -> Option<EmailKind> {
        EmailKind::parse(&self.kind)
    }
}

/// An email to queue.
#[derive(Debug, Clone)]
pub struct NewEmail<'a> {
    pub organization_id: OrganizationId,
    pub kind: EmailKind,
    pub recipient: &'a str,
    /// One email per cause: queueing the same key again does nothing.
    pub idempotency_key: &'a str,
    pub about: About,
}

/// What an email is about: the rows it refers to (None where it does not).
#[derive(Debug, Clone, Default)]
pub struct About {
    pub client_id: Option<ClientId>,
    pub invitation_id: Option<i64>,
    pub signup_id: Option<i64>,
    pub reset_id: Option<i64>,
    pub email_change_id: Option<i64>,
}

/// Queues an email inside the caller's transaction.
pub async fn enqueue(tx: &mut Tx, email: &NewEmail<'_>, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO email_outbox (organization_id, client_id, invitation_id, signup_id, reset_id,
                                   email_change_id, kind, recipient, idempotency_key, status,
                                   next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $10, $6, $7, $8, 'queued', $9, $9)
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(email.organization_id)
    .bind(email.about.client_id)
    .bind(email.about.invitation_id)
    .bind(email.about.signup_id)
    .bind(email.about.reset_id)
    .bind(email.kind.as_str())
    .bind(email.recipient)
    .bind(email.idempotency_key)
    .bind(now)
    .bind(email.about.email_change_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The SQL condition on `email_outbox` of an email that may go now: every
/// email but an invitation of a client or collaborator (never staff) of an
/// organization whose client portal is off, which stays queued, as it was,
/// until the portal is on again (then it goes, once).
const HELD_NOT: &str = "(invitation_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM organizations ho JOIN clients hc ON hc.id = email_outbox.client_id
        WHERE ho.id = email_outbox.organization_id AND ho.portal_enabled = 0
          AND hc.role NOT IN ('owner', 'admin', 'staff')))";

/// Claims up to `limit` due emails for sending, oldest first, for the
/// process `owner` (its [`renew_leases`] identity) until `lease_until`
/// (milliseconds since the epoch). A claim is exclusive: on PostgreSQL,
/// workers of several server processes skip the rows another one has locked
/// (`FOR UPDATE SKIP LOCKED`), so no email is claimed twice; on SQLite
/// claims take turns at the database's write lock. Invitations of an
/// organization whose portal is off are held ([`HELD_NOT`]).
pub async fn claim_batch(
    db: &Db,
    owner: &str,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<OutboxEmail>, sqlx::Error> {
    let lock = db.backend.skip_locked();
    // The choice is made once (MATERIALIZED): as a plain `IN (SELECT … LIMIT)`
    // PostgreSQL may run the subquery again while updating and claim far more
    // than `limit` rows (a lane once took 236 of a 64-row batch).
    let mut claimed: Vec<OutboxEmail> = sqlx::query_as(&format!(
        "WITH picked AS MATERIALIZED (
             SELECT id FROM email_outbox WHERE status = 'queued' AND next_attempt_at <= $1
               AND {HELD_NOT}
             ORDER BY next_attempt_at, id LIMIT $2 {lock})
         UPDATE email_outbox SET status = 'sending', attempts = attempts + 1, claimed_at = $1,
                                 claimed_by = $3, lease_until = $4
         WHERE id IN (SELECT id FROM picked)
         RETURNING id, organization_id, client_id, kind, recipient, invitation_id, signup_id,
                   reset_id, email_change_id, attempts"
    ))
    .bind(now)
    .bind(limit)
    .bind(owner)
    .bind(lease_until)
    .fetch_all(&mut *db.writer().await?)
    .await?;
    claimed.sort_by_key(|e| e.id);
    Ok(claimed)
}

/// Extends to `until` the lease of every email `owner` is still sending;
/// returns how many. On PostgreSQL rows being recorded right now (locked by
/// the recorder's transaction) are skipped rather than waited for: they are
/// about to leave 'sending', and waiting could deadlock with it.
pub async fn renew_leases(db: &Db, owner: &str, until: i64) -> Result<u64, sqlx::Error> {
    let lock = db.backend.skip_locked();
    sqlx::query(&format!(
        "UPDATE email_outbox SET lease_until = $2
         WHERE id IN (SELECT id FROM email_outbox
                      WHERE status = 'sending' AND claimed_by = $1 {lock})"
    ))
    .bind(owner)
    .bind(until)
    .execute(&mut *db.writer().await?)
    .await
    .map(|r| r.rows_affected())
}

/// Emails whose lease ran out before `now` were being sent by a process that
/// stopped (or stalled): they go back to the queue. A live process renews its
/// leases, so what it is sending right now is never taken over; `owner`
/// (the caller) never takes back its own claims, even if a renewal was late.
pub async fn requeue_interrupted(db: &Db, owner: &str, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE email_outbox SET status = 'queued', claimed_by = NULL
         WHERE status = 'sending' AND lease_until < $1
           AND (claimed_by IS NULL OR claimed_by <> $2)",
    )
    .bind(now)
    .bind(owner)
    .execute(&mut *db.writer().await?)
    .await
    .map(|r| r.rows_affected())
}

/// The outcome of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Temporary { detail: String, retry_at: i64 },
    Permanent { detail: String },
}

/// Records one attempt for each email and moves each to its next state, all
/// in one transaction (the worker's recorder gathers the attempts that finish
/// while the previous transaction commits), refreshing the list state of the clients whose email failed.
pub async fn record_attempts(
    db: &Db,
    attempts: &[(&OutboxEmail, Outcome)],
    now: i64,
) -> Result<(), sqlx::Error> {
    if attempts.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    // Every attempt in one insert.
    let values: Vec<String> = (0..attempts.len())
        .map(|n| {
            let p = 5 * n;
            format!(
                "(${}, ${}, ${}, ${}, ${})",
                p + 1,
                p + 2,
                p + 3,
                p + 4,
                p + 5
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO email_attempts (outbox_id, attempted_at, outcome, detail, retry_at) VALUES {}",
        values.join(", ")
    );
    let mut insert = sqlx::query(&sql);
    for (email, outcome) in attempts {
        let (name, detail, retry_at) = match outcome {
            Outcome::Accepted => ("accepted", None, None),
            Outcome::Temporary { detail, retry_at } => {
                ("temporary", Some(detail.clone()), Some(*retry_at))
            }
            Outcome::Permanent { detail } => ("permanent", Some(detail.clone()), None),
        };
        insert = insert
            .bind(email.id)
            .bind(now)
            .bind(name)
            .bind(detail)
            .bind(retry_at);
    }
    insert.execute(&mut *tx).await?;
    // Sent ones in one update; the few failures one by one.
    let sent: Vec<i64> = attempts
        .iter()
        .filter(|(_, o)| *o == Outcome::Accepted)
        .map(|(e, _)| e.id)
        .collect();
    if !sent.is_empty() {
        sqlx::query(&format!(
            "UPDATE email_outbox SET status = 'sent', sent_at = $1, last_error = NULL WHERE id IN ({})",
            super::id_list(&sent)
        ))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    for (email, outcome) in attempts {
        let update = match outcome {
            Outcome::Accepted => continue,
            Outcome::Temporary { detail, retry_at } => sqlx::query(
                "UPDATE email_outbox SET status = 'queued', next_attempt_at = $2, last_error = $3 WHERE id = $1",
            )
            .bind(email.id)
            .bind(*retry_at)
            .bind(detail.clone()),
            Outcome::Permanent { detail } => sqlx::query(
                "UPDATE email_outbox SET status = 'failed', last_error = $2 WHERE id = $1",
            )
            .bind(email.id)
            .bind(detail.clone()),
        };
        update.execute(&mut *tx).await?;
    }
    // Only a failure can change a client's stored list state: an accepted
    // email was already counted as "invited" while queued and sending (see
    // `clients::refresh_states`), so most of a batch needs no refresh.
    let failed: Vec<i64> = attempts
        .iter()
        .filter(|(_, o)| *o != Outcome::Accepted)
        .filter_map(|(e, _)| e.client_id.map(|c| c.0))
        .collect();
    super::clients::refresh_states(&mut tx, &failed).await?;
    tx.commit().await
}

/// A message kept by the development mailbox.
#[derive(Debug, Clone, FromRow)]
pub struct MailboxMessage {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub created_at: i64,
}

pub async fn deliver_to_mailbox(
    db: &Db,
    outbox_id: i64,
    recipient: &str,
    subject: &str,
    text_body: &str,
    html_body: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO dev_mailbox (outbox_id, recipient, subject, text_body, html_body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(outbox_id)
    .bind(recipient)
    .bind(subject)
    .bind(text_body)
    .bind(html_body)
    .bind(now)
    .execute(&mut *db.writer().await?)
    .await
    .map(|_| ())
}

/// The development mailbox of one organization, newest first.
pub async fn mailbox(
    pool: &AnyPool,
    organization_id: OrganizationId,
    limit: i64,
) -> Result<Vec<MailboxMessage>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.recipient, m.subject, m.text_body, m.html_body, m.created_at
         FROM dev_mailbox m JOIN email_outbox e ON e.id = m.outbox_id
         WHERE e.organization_id = $1
         ORDER BY m.id DESC LIMIT $2",
    )
    .bind(organization_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
