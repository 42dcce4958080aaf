//! The outbox worker: drains queued email in batches, several messages at a
//! time, recording every attempt. Temporary failures are retried with exponential backoff;
//! permanent ones are marked failed with the server's reply.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use super::templates::{Rendered, Template};
use super::transport::{Delivery, Transport};
use crate::server::auth::token::{keyed_hash, random_token};
use crate::server::db::outbox::{OutboxEmail, Outcome};
use crate::server::db::{self, Db, Tx};
use crate::server::domain::time::format_date;
use crate::server::events::{Event, Hub};
use crate::server::now_ms;

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Attempts before a temporary failure becomes final.
    pub max_attempts: i64,
    /// Delay before the first retry; doubled for each further attempt.
    pub base_backoff: Duration,
    /// How often to look for due retries when nobody rings.
    pub poll_interval: Duration,
    /// Messages handed to the SMTP server at the same time, each over its own
    /// pooled connection.
    pub connections: u32,
    /// How long a claimed batch may spend sending. A message not accepted by
    /// then (a server that stopped answering) counts as a temporary failure
    /// and is retried later, so no claim outlives [`STALE_CLAIM`].
    pub send_deadline: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            max_attempts: 6,
            base_backoff: Duration::from_secs(30),
            poll_interval: Duration::from_secs(5),
            connections: 10,
            send_deadline: Duration::from_secs(90),
        }
    }
}

/// Worker lanes: each claims, prepares, sends and records its own batches,
/// so one lane's database work overlaps the others' sending.
const LANES: u32 = 4;

/// A lane claims at least this many emails at a time (more with more
/// connections: four per connection), so that the database sees a few large
/// transactions rather than many small ones.
const MIN_BATCH: i64 = 64;

/// An email still 'sending' this long after its claim was being sent by a
/// process that stopped; it goes back to the queue. Longer than any batch can
/// take (`send_deadline`, plus preparing and recording), so an email being
/// sent right now is never taken over.
const STALE_CLAIM: Duration = Duration::from_secs(5 * 60);

/// A handle to wake the worker after queueing email, and to stop it.
#[derive(Clone)]
pub struct Worker {
    lanes: Arc<[Arc<Notify>]>,
    /// Turns true when the server stops: lanes claim nothing more.
    stopping: Arc<watch::Sender<bool>>,
    /// The lanes' tasks, until [`Worker::stop`] waits for them.
    tasks: Arc<std::sync::Mutex<Vec<JoinHandle<()>>>>,
}

impl Worker {
    /// Starts the worker's lanes, sharing the transport's connections.
    pub fn start(
        db: Db,
        transport: Transport,
        public_url: url::Url,
        secret: Arc<[u8]>,
        settings: WorkerSettings,
        events: Hub,
    ) -> Worker {
        let lanes = LANES.min(settings.connections);
        let wakes: Arc<[Arc<Notify>]> = (0..lanes).map(|_| Arc::new(Notify::new())).collect();
        let stopping = Arc::new(watch::channel(false).0);
        let mut tasks = Vec::new();
        for (lane, wake) in (0..lanes).zip(wakes.iter()) {
            // The connections are shared out exactly (10 = 3 + 3 + 2 + 2), so
            // the pool, which keeps that many open, never closes one to open
            // another.
            let concurrency =
                settings.connections / lanes + u32::from(lane < settings.connections % lanes);
            let runner = Runner {
                db: db.clone(),
                transport: transport.clone(),
                public_url: public_url.clone(),
                secret: secret.clone(),
                settings: settings.clone(),
                concurrency,
                wake: wake.clone(),
                events: events.clone(),
                stopping: stopping.subscribe(),
            };
            tasks.push(tokio::spawn(runner.run()));
        }
        Worker {
            lanes: wakes,
            stopping,
            tasks: Arc::new(std::sync::Mutex::new(tasks)),
        }
    }

    /// Claims no more email and waits, at most `patience`, for the batches
    /// being sent to finish and be recorded. Without this, email the SMTP
    /// server accepted in an unrecorded batch would go out again after a
    /// restart. False when the lanes were still busy when patience ran out.
    pub async fn stop(&self, patience: Duration) -> bool {
        self.stopping.send_replace(true);
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|e| e.into_inner()));
        tokio::time::timeout(patience, futures::future::join_all(tasks))
            .await
            .is_ok()
    }

    /// Tells the worker there is new email to send.
    pub fn wake(&self) {
        for lane in self.lanes.iter() {
            lane.notify_one();
        }
    }
}

struct Runner {
    db: Db,
    transport: Transport,
    public_url: url::Url,
    secret: Arc<[u8]>,
    settings: WorkerSettings,
    /// Messages this lane sends at the same time.
    concurrency: u32,
    wake: Arc<Notify>,
    events: Hub,
    stopping: watch::Receiver<bool>,
}

impl Runner {
    async fn run(mut self) {
        loop {
            if *self.stopping.borrow() {
                return;
            }
            // A batch's links are made in one transaction and its outcomes
            // recorded in another.
            let batch = (i64::from(self.concurrency) * 4).max(MIN_BATCH);
            match db::outbox::claim_batch(&self.db, now_ms(), batch).await {
                Ok(batch) if !batch.is_empty() => self.deliver(batch).await,
                Ok(_) => {
                    if self.requeue_interrupted().await > 0 {
                        continue;
                    }
                    self.transport.tidy();
                    let idle =
                        tokio::time::timeout(self.settings.poll_interval, self.wake.notified());
                    tokio::select! {
                        _ = idle => {}
                        _ = self.stopping.wait_for(|stopping| *stopping) => return,
                    }
                }
                Err(e) => {
                    if self.db.pool.is_closed() {
                        return;
                    }
                    tracing::error!(error = %e, "outbox: could not claim email");
                    tokio::time::sleep(self.settings.poll_interval).await;
                }
            }
        }
    }

    /// Email claimed longer ago than [`STALE_CLAIM`] was interrupted (the
    /// process stopped mid-send): it goes back to the queue.
    async fn requeue_interrupted(&self) -> u64 {
        let stale_before = now_ms() - STALE_CLAIM.as_millis() as i64;
        match db::outbox::requeue_interrupted(&self.db.pool, stale_before).await {
            Ok(n) => {
                if n > 0 {
                    tracing::warn!(count = n, "requeued email interrupted by a stop");
                }
                n
            }
            Err(e) => {
                tracing::error!(error = %e, "could not requeue interrupted email");
                0
            }
        }
    }

    /// Sends a claimed batch and records how each attempt went.
    async fn deliver(&self, batch: Vec<OutboxEmail>) {
        use futures::StreamExt;

        let deadline = tokio::time::Instant::now() + self.settings.send_deadline;
        let messages = self.render_all(&batch).await;
        let sends: Vec<_> = batch
            .iter()
            .zip(messages)
            .map(|(email, message)| async move {
                tokio::time::timeout_at(deadline, self.send(email, message))
                    .await
                    .unwrap_or_else(|_| {
                        Delivery::Temporary("the mail server did not answer in time".into())
                    })
            })
            .collect();
        let deliveries: Vec<Delivery> = futures::stream::iter(sends)
            .buffered(self.concurrency as usize)
            .collect()
            .await;
        let now = now_ms();
        let outcomes: Vec<(&OutboxEmail, Outcome)> = batch
            .iter()
            .zip(deliveries)
            .map(|(email, delivery)| (email, self.outcome(email, delivery, now)))
            .collect();
        if let Err(e) = db::outbox::record_attempts(&self.db, &outcomes, now).await {
            tracing::error!(error = %e, "could not record delivery attempts");
            return;
        }
        let mut changed: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
        for email in &batch {
            if let (Some(org), Some(client)) = (email.organization_id, email.client_id) {
                changed.entry(org).or_default().push(client);
            }
        }
        for (org, clients) in changed {
            self.events.publish(Event::clients(org, clients)).await;
        }
    }

    async fn send(&self, email: &OutboxEmail, message: Result<Rendered, RenderError>) -> Delivery {
        match message {
            Ok(m) => self.transport.send(email.id, &email.recipient, &m).await,
            Err(RenderError::Gone) => {
                Delivery::Permanent("not sent: what it was about is gone or was superseded".into())
            }
            Err(RenderError::Db(e)) => Delivery::Temporary(format!("database: {e}")),
        }
    }

    /// What an attempt's delivery means for the email: sent, retried later
    /// (backing off), or failed for good.
    fn outcome(&self, email: &OutboxEmail, delivery: Delivery, now: i64) -> Outcome {
        let outcome = match delivery {
            Delivery::Accepted => Outcome::Accepted,
            Delivery::Permanent(detail) => Outcome::Permanent { detail },
            Delivery::Temporary(detail) if email.attempts >= self.settings.max_attempts => {
                Outcome::Permanent {
                    detail: format!(
                        "gave up after {} attempt{}: {detail}",
                        email.attempts,
                        if email.attempts == 1 { "" } else { "s" }
                    ),
                }
            }
            Delivery::Temporary(detail) => {
                let factor = 1u32 << (email.attempts - 1).clamp(0, 16);
                let delay = self.settings.base_backoff * factor;
                Outcome::Temporary {
                    detail,
                    retry_at: now + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2),
                }
            }
        };
        match &outcome {
            Outcome::Accepted => {
                tracing::debug!(outbox_id = email.id, kind = %email.kind, "email accepted")
            }
            Outcome::Temporary { detail, .. } => {
                tracing::warn!(outbox_id = email.id, kind = %email.kind, %detail, "email delivery failed, will retry")
            }
            Outcome::Permanent { detail } => {
                tracing::warn!(outbox_id = email.id, kind = %email.kind, %detail, "email delivery failed")
            }
        }
        outcome
    }

    /// Renders every email of a batch; their links are stored in one
    /// transaction. If that transaction fails, every email is retried later.
    async fn render_all(&self, batch: &[OutboxEmail]) -> Vec<Result<Rendered, RenderError>> {
        let rendered = async {
            let mut tx = self.db.begin().await?;
            // Invitations, the bulk of the mail: one query for what they
            // show and one insert for their fresh links.
            let ids: Vec<i64> = batch
                .iter()
                .filter(|e| e.kind == "invitation")
                .filter_map(|e| e.invitation_id)
                .collect();
            let views: HashMap<i64, db::invitations::InvitationView> =
                db::invitations::by_ids(&mut *tx, &ids)
                    .await?
                    .into_iter()
                    .map(|v| (v.id, v))
                    .collect();
            let mut links = Vec::new();
            let mut out = Vec::with_capacity(batch.len());
            for email in batch {
                if email.kind != "invitation" {
                    out.push(self.render(&mut tx, email).await);
                    continue;
                }
                // An invitation accepted or revoked (access disabled, email
                // changed) since the email was queued gets no link.
                let pending = email
                    .invitation_id
                    .and_then(|id| views.get(&id))
                    .filter(|inv| inv.accepted_at.is_none() && inv.revoked_at.is_none());
                out.push(match pending {
                    Some(inv) => {
                        let token = random_token();
                        links.push(db::invitations::NewLink {
                            invitation_id: inv.id,
                            token_hash: keyed_hash(&self.secret, &token),
                            expires_at: inv.expires_at,
                        });
                        Ok(self.invitation_message(inv, &token))
                    }
                    None => Err(RenderError::Gone),
                });
            }
            db::invitations::add_links(&mut *tx, &links, now_ms()).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(out)
        };
        match rendered.await {
            Ok(out) => out,
            Err(e) => {
                tracing::error!(error = %e, "could not prepare a batch of email");
                let reason = e.to_string();
                batch
                    .iter()
                    .map(|_| Err(RenderError::Db(reason.clone())))
                    .collect()
            }
        }
    }

    /// Renders one email inside the batch's transaction. Every read goes
    /// through `tx`: on SQLite the transaction holds the write lock, and
    /// waiting for a second pool connection while holding it can starve the
    /// pool (every other connection waiting for the lock) until SQLite gives
    /// up with "database is locked".
    async fn render(&self, tx: &mut Tx, email: &OutboxEmail) -> Result<Rendered, RenderError> {
        match email.kind.as_str() {
            "signup_exists" => self.render_signup_exists(tx, email).await,
            "password_reset" | "password_changed" => self.render_password(tx, email).await,
            _ => self.render_signup(tx, email).await,
        }
    }

    /// An absolute link to `path` on the portal.
    fn link(&self, path: &str) -> String {
        self.public_url
            .join(path)
            .map_or_else(|_| format!("{}{path}", self.public_url), |u| u.to_string())
    }

    /// An invitation email with the link of `token`.
    fn invitation_message(&self, inv: &db::invitations::InvitationView, token: &str) -> Rendered {
        let values = HashMap::from([
            ("first_name", inv.first_name.clone()),
            ("organization", inv.organization_name.clone()),
            (
                "inviter",
                inv.inviter_name
                    .clone()
                    .unwrap_or_else(|| inv.organization_name.clone()),
            ),
            ("link", self.link(&format!("activate/{token}"))),
            ("expires", format_date(inv.expires_at)),
            ("accent", inv.accent_color.clone()),
            ("logo_url", inv.logo_url.clone()),
        ]);
        if inv.kind == "join" {
            Template::InvitationJoin.render(
                format!("{} invites you to its portal", inv.organization_name),
                &values,
            )
        } else {
            Template::InvitationActivate.render(
                format!("Activate your {} portal account", inv.organization_name),
                &values,
            )
        }
    }

    /// "You already have an account": sent instead of a confirmation when
    /// someone signs up with an address that has one.
    async fn render_signup_exists(
        &self,
        tx: &mut Tx,
        email: &OutboxEmail,
    ) -> Result<Rendered, RenderError> {
        let org_id = email.organization_id.ok_or(RenderError::Gone)?;
        let org = db::orgs::settings(&mut **tx, org_id).await?;
        let values = HashMap::from([
            ("organization", org.name.clone()),
            ("accent", org.accent_color),
            ("logo_url", org.logo_url),
            ("link", self.link("login")),
        ]);
        Ok(Template::SignupExists.render(
            format!("You already have an account for {}", org.name),
            &values,
        ))
    }

    /// A reset link (made here, at send time) or the notice that the
    /// password changed; branded with the organization the email belongs to.
    async fn render_password(
        &self,
        tx: &mut Tx,
        email: &OutboxEmail,
    ) -> Result<Rendered, RenderError> {
        let org_id = email.organization_id.ok_or(RenderError::Gone)?;
        let org = db::orgs::settings(&mut **tx, org_id).await?;
        let person = db::users::by_email(&mut **tx, &email.recipient)
            .await?
            .ok_or(RenderError::Gone)?;
        let mut values = HashMap::from([
            ("first_name", person.name),
            ("organization", org.name.clone()),
            ("accent", org.accent_color),
            ("logo_url", org.logo_url),
            ("link", self.link("forgot")),
        ]);
        if email.kind == "password_changed" {
            return Ok(
                Template::PasswordChanged.render("Your password was changed".into(), &values)
            );
        }
        let reset_id = email.reset_id.ok_or(RenderError::Gone)?;
        let token = random_token();
        // A link made obsolete meanwhile (a newer request, a use) is not sent.
        let expires = db::resets::set_link(&mut **tx, reset_id, &keyed_hash(&self.secret, &token))
            .await?
            .ok_or(RenderError::Gone)?;
        values.insert("link", self.link(&format!("reset/{token}")));
        values.insert(
            "expires",
            crate::server::domain::time::format_datetime(expires),
        );
        Ok(
            Template::PasswordReset
                .render(format!("Reset your password for {}", org.name), &values),
        )
    }

    async fn render_signup(
        &self,
        tx: &mut Tx,
        email: &OutboxEmail,
    ) -> Result<Rendered, RenderError> {
        let signup_id = email.signup_id.ok_or(RenderError::Gone)?;
        let s = db::signups::by_id(&mut **tx, signup_id)
            .await?
            .ok_or(RenderError::Gone)?;
        let org = s.organization_name.clone();
        let mut values = HashMap::from([
            ("first_name", s.first_name.clone()),
            ("organization", org.clone()),
            ("accent", s.accent_color.clone()),
            ("logo_url", s.logo_url.clone()),
            ("link", self.link("login")),
        ]);
        let (template, subject) = match email.kind.as_str() {
            "signup_confirm" => {
                let token = random_token();
                let now = now_ms();
                let expires = now + SIGNUP_LINK_LIFETIME_MS;
                db::signups::add_link(
                    &mut **tx,
                    s.id,
                    &keyed_hash(&self.secret, &token),
                    now,
                    expires,
                )
                .await?;
                values.insert("link", self.link(&format!("signup/confirm/{token}")));
                values.insert(
                    "expires",
                    crate::server::domain::time::format_datetime(expires),
                );
                (
                    Template::SignupConfirm,
                    format!("Confirm your email for {org}"),
                )
            }
            "approval_request" => {
                let approver = db::users::by_email(&mut **tx, &email.recipient).await?;
                values.insert(
                    "first_name",
                    approver.map_or_else(|| "there".to_owned(), |u| u.name),
                );
                values.insert("applicant", format!("{} {}", s.first_name, s.last_name));
                values.insert("applicant_email", s.email.clone());
                values.insert("role", s.role.clone());
                values.insert("link", self.link("approvals"));
                (
                    Template::ApprovalRequest,
                    format!("{} {} asks to join {org}", s.first_name, s.last_name),
                )
            }
            "signup_approved" => (
                Template::SignupApproved,
                format!("Welcome to {org}: your application was approved"),
            ),
            "signup_rejected" => {
                values.insert("reason", s.reason.clone().unwrap_or_default());
                (
                    Template::SignupRejected,
                    format!("Your application to {org}"),
                )
            }
            other => {
                tracing::error!(kind = other, "an email of unknown kind");
                return Err(RenderError::Gone);
            }
        };
        Ok(template.render(subject, &values))
    }
}

/// How long an emailed sign-up confirmation link works.
pub const SIGNUP_LINK_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

enum RenderError {
    Gone,
    /// The database failed while preparing the message: the reason, as
    /// recorded in the delivery log.
    Db(String),
}

impl From<sqlx::Error> for RenderError {
    fn from(e: sqlx::Error) -> Self {
        RenderError::Db(e.to_string())
    }
}
