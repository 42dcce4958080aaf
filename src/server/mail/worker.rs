//! The outbox worker: drains queued email in batches, several messages at a
//! time, recording every attempt. Temporary failures are retried with
//! exponential backoff; permanent ones are marked failed with the server's
//! reply.
//!
//! Crash safety: a claimed email is leased to this process, which renews the
//! lease while it lives ([`WorkerSettings::lease`]); a crashed process's
//! claims run out within one lease and go back to the queue. Each attempt is
//! recorded as soon as the SMTP server answers (grouped with the attempts
//! that finish meanwhile into one transaction), and a connection sends its
//! next message only once its last one is recorded: after a crash at most
//! one accepted message per connection is unrecorded, so at most that many
//! people get an email twice.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc, oneshot, watch};
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
    /// and is retried later.
    pub send_deadline: Duration,
    /// How long a claim lasts unless renewed. The worker renews its claims
    /// three times per lease, so after a crash (or a process stalled that
    /// long) the claims are back in the queue within one lease.
    pub lease: Duration,
}

impl WorkerSettings {
    /// [`WorkerSettings::lease`] in milliseconds, as claims store it.
    fn lease_ms(&self) -> i64 {
        i64::try_from(self.lease.as_millis()).unwrap_or(i64::MAX / 4)
    }
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            max_attempts: 6,
            base_backoff: Duration::from_secs(30),
            poll_interval: Duration::from_secs(5),
            connections: 10,
            send_deadline: Duration::from_secs(90),
            lease: Duration::from_secs(15),
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

/// Attempts recorded in one transaction at most.
const MAX_RECORD_GROUP: usize = 1024;

/// A handle to wake the worker after queueing email, and to stop it.
#[derive(Clone)]
pub struct Worker {
    lanes: Arc<[Arc<Notify>]>,
    /// Turns true when the server stops: lanes claim nothing more.
    stopping: Arc<watch::Sender<bool>>,
    /// Turns true once the lanes and the recorder are done: leases are no
    /// longer renewed.
    finished: Arc<watch::Sender<bool>>,
    /// The lanes' tasks, then the recorder's, until [`Worker::stop`] waits
    /// for them.
    tasks: Arc<std::sync::Mutex<Vec<JoinHandle<()>>>>,
}

/// One attempt waiting to be recorded, and who waits for it.
struct Record {
    email: OutboxEmail,
    outcome: Outcome,
    recorded: oneshot::Sender<()>,
}

impl Worker {
    /// Starts the worker's lanes, its recorder and its lease keeper, sharing
    /// the transport's connections.
    pub fn start(
        db: Db,
        transport: Transport,
        public_url: url::Url,
        secret: Arc<[u8]>,
        settings: WorkerSettings,
        events: Hub,
    ) -> Worker {
        // This process's name on its claims.
        let owner: Arc<str> = random_token().into();
        let lanes = LANES.min(settings.connections);
        let wakes: Arc<[Arc<Notify>]> = (0..lanes).map(|_| Arc::new(Notify::new())).collect();
        let stopping = Arc::new(watch::channel(false).0);
        let finished = Arc::new(watch::channel(false).0);
        let (recorder, records) = mpsc::unbounded_channel();
        let mut tasks = Vec::new();
        for (lane, wake) in (0..lanes).zip(wakes.iter()) {
            // The connections are shared out exactly (10 = 3 + 3 + 2 + 2), so
            // the pool, which keeps that many open, never closes one to open
            // another.
            let concurrency =
                settings.connections / lanes + u32::from(lane < settings.connections % lanes);
            let runner = Runner {
                db: db.clone(),
                owner: owner.clone(),
                transport: transport.clone(),
                public_url: public_url.clone(),
                secret: secret.clone(),
                settings: settings.clone(),
                concurrency,
                wake: wake.clone(),
                recorder: recorder.clone(),
                stopping: stopping.subscribe(),
            };
            tasks.push(tokio::spawn(runner.run()));
        }
        // The recorder ends once every lane (holding its senders) has.
        drop(recorder);
        tasks.push(tokio::spawn(record(db.clone(), events, records)));
        tokio::spawn(keep_leases(
            db,
            owner,
            settings.clone(),
            wakes.clone(),
            finished.subscribe(),
        ));
        Worker {
            lanes: wakes,
            stopping,
            finished,
            tasks: Arc::new(std::sync::Mutex::new(tasks)),
        }
    }

    /// Claims no more email and waits, at most `patience`, for the messages
    /// being sent to finish and be recorded. Without this, email the SMTP
    /// server accepted but not yet recorded would go out again after a
    /// restart. False when the lanes were still busy when patience ran out.
    pub async fn stop(&self, patience: Duration) -> bool {
        self.stopping.send_replace(true);
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|e| e.into_inner()));
        let done = tokio::time::timeout(patience, futures::future::join_all(tasks))
            .await
            .is_ok();
        self.finished.send_replace(true);
        done
    }

    /// Tells the worker there is new email to send.
    pub fn wake(&self) {
        for lane in self.lanes.iter() {
            lane.notify_one();
        }
    }
}

/// Renews this process's leases three times per lease, and puts back in
/// the queue the claims whose lease ran out (a process that died), waking
/// the lanes to send them.
async fn keep_leases(
    db: Db,
    owner: Arc<str>,
    settings: WorkerSettings,
    lanes: Arc<[Arc<Notify>]>,
    mut finished: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(settings.lease / 3) => {}
            _ = finished.wait_for(|f| *f) => return,
        }
        if db.pool.is_closed() {
            return;
        }
        let until = now_ms() + settings.lease_ms();
        if let Err(e) = db::outbox::renew_leases(&db, &owner, until).await {
            tracing::error!(error = %e, "outbox: could not renew the leases of the email being sent");
        }
        if requeue_interrupted(&db, &owner).await > 0 {
            lanes.iter().for_each(|lane| lane.notify_one());
        }
    }
}

/// Puts back in the queue the email whose lease ran out (the process
/// sending it stopped), never `owner`'s own; returns how many.
async fn requeue_interrupted(db: &Db, owner: &str) -> u64 {
    match db::outbox::requeue_interrupted(db, owner, now_ms()).await {
        Ok(n) => {
            if n > 0 {
                tracing::warn!(count = n, "requeued email whose sender stopped");
            }
            n
        }
        Err(e) => {
            tracing::error!(error = %e, "could not requeue interrupted email");
            0
        }
    }
}

/// Records attempts as they finish: whatever arrived while the previous
/// transaction committed goes into the next one. A failed transaction is
/// retried (pauses doubling up to 15 s) until it succeeds or the pool is
/// closed; meanwhile the lanes wait, sending nothing unrecorded.
async fn record(db: Db, events: Hub, mut records: mpsc::UnboundedReceiver<Record>) {
    let mut group = Vec::new();
    while records.recv_many(&mut group, MAX_RECORD_GROUP).await > 0 {
        let now = now_ms();
        let attempts: Vec<(&OutboxEmail, Outcome)> = group
            .iter()
            .map(|r: &Record| (&r.email, r.outcome.clone()))
            .collect();
        let mut pause = Duration::from_millis(100);
        loop {
            match db::outbox::record_attempts(&db, &attempts, now).await {
                Ok(()) => break,
                Err(_) if db.pool.is_closed() => return,
                Err(e) => {
                    tracing::error!(error = %e, "could not record delivery attempts; retrying");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(15));
                }
            }
        }
        drop(attempts);
        let mut changed: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
        for r in &group {
            if let (Some(org), Some(client)) = (r.email.organization_id, r.email.client_id) {
                changed.entry(org).or_default().push(client);
            }
        }
        for (org, clients) in changed {
            events.publish(Event::clients(org, clients)).await;
        }
        for r in group.drain(..) {
            let _ = r.recorded.send(());
        }
    }
}

struct Runner {
    db: Db,
    /// This process's name on its claims.
    owner: Arc<str>,
    transport: Transport,
    public_url: url::Url,
    secret: Arc<[u8]>,
    settings: WorkerSettings,
    /// Messages this lane sends at the same time.
    concurrency: u32,
    wake: Arc<Notify>,
    recorder: mpsc::UnboundedSender<Record>,
    stopping: watch::Receiver<bool>,
}

impl Runner {
    async fn run(mut self) {
        loop {
            if *self.stopping.borrow() {
                return;
            }
            // A batch's links are made in one transaction; its attempts are
            // recorded one by one as they finish.
            let batch = (i64::from(self.concurrency) * 4).max(MIN_BATCH);
            let now = now_ms();
            match db::outbox::claim_batch(
                &self.db,
                &self.owner,
                now,
                now + self.settings.lease_ms(),
                batch,
            )
            .await
            {
                Ok(batch) if !batch.is_empty() => self.deliver(batch).await,
                Ok(_) => {
                    if requeue_interrupted(&self.db, &self.owner).await > 0 {
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

    /// Sends a claimed batch, `concurrency` messages at a time; each attempt
    /// is recorded before its connection takes the next message.
    async fn deliver(&self, batch: Vec<OutboxEmail>) {
        use futures::StreamExt;

        let deadline = tokio::time::Instant::now() + self.settings.send_deadline;
        let messages = self.render_all(&batch).await;
        let unrecorded = &std::sync::atomic::AtomicBool::new(false);
        futures::stream::iter(batch.into_iter().zip(messages))
            .for_each_concurrent(self.concurrency as usize, |(email, message)| async move {
                if unrecorded.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                let delivery = tokio::time::timeout_at(deadline, self.send(&email, message))
                    .await
                    .unwrap_or_else(|_| {
                        Delivery::Temporary("the mail server did not answer in time".into())
                    });
                let outcome = self.outcome(&email, delivery, now_ms());
                let (recorded, wait) = oneshot::channel();
                let record = Record {
                    email,
                    outcome,
                    recorded,
                };
                // Without a recorder (the pool closed) nothing more is sent:
                // the claims lapse and go out again from a live process.
                let recorded = self.recorder.send(record).is_ok() && wait.await.is_ok();
                if !recorded {
                    unrecorded.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            })
            .await;
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
            db::invitations::add_links(&mut tx, &links, now_ms()).await?;
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
        let expires = db::resets::set_link(tx, reset_id, &keyed_hash(&self.secret, &token))
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
                db::signups::add_link(tx, s.id, &keyed_hash(&self.secret, &token), now, expires)
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
