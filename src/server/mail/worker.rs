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

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use super::compose::{ComposeError, Composer};
use super::failure::Failure;
use super::leases::{keep_leases, requeue_interrupted};
use super::recorder::{Record, record};
use super::templates::Rendered;
use super::transport::{Delivery, Transport};
use crate::server::Clock;
use crate::server::auth::token::random_token;
use crate::server::db::outbox::{OutboxEmail, Outcome};
use crate::server::db::{self, Db};
use crate::server::events::Hub;

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
    pub(super) fn lease_ms(&self) -> i64 {
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

impl Worker {
    /// Starts the worker's lanes, its recorder and its lease keeper, sharing
    /// the transport's connections; `composer` says what each email says
    /// (its database and clock are the worker's).
    pub fn start(
        transport: Transport,
        composer: Composer,
        settings: WorkerSettings,
        events: Hub,
    ) -> Worker {
        let (db, clock) = (composer.db.clone(), composer.clock.clone());
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
                composer: composer.clone(),
                settings: settings.clone(),
                clock: clock.clone(),
                concurrency,
                wake: wake.clone(),
                recorder: recorder.clone(),
                stopping: stopping.subscribe(),
            };
            tasks.push(tokio::spawn(runner.run()));
        }
        // The recorder ends once every lane (holding its senders) has.
        drop(recorder);
        tasks.push(tokio::spawn(record(
            db.clone(),
            events,
            clock.clone(),
            records,
        )));
        tokio::spawn(keep_leases(
            db,
            owner,
            settings.clone(),
            clock,
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

struct Runner {
    db: Db,
    /// This process's name on its claims.
    owner: Arc<str>,
    transport: Transport,
    composer: Composer,
    settings: WorkerSettings,
    clock: Clock,
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
            let now = self.clock.now_ms();
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
                    if requeue_interrupted(&self.db, &self.owner, self.clock.now_ms()).await > 0 {
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
        let messages = self.composer.batch(&batch).await;
        let unrecorded = &std::sync::atomic::AtomicBool::new(false);
        futures::stream::iter(batch.into_iter().zip(messages))
            .for_each_concurrent(self.concurrency as usize, |(email, message)| async move {
                if unrecorded.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                let delivery = tokio::time::timeout_at(deadline, self.send(&email, message))
                    .await
                    .unwrap_or(Delivery::Temporary(Failure::NoAnswer));
                let outcome = self.outcome(&email, delivery, self.clock.now_ms());
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

    async fn send(&self, email: &OutboxEmail, message: Result<Rendered, ComposeError>) -> Delivery {
        match message {
            Ok(m) => {
                let now = self.clock.now_ms();
                self.transport
                    .send(email.id, &email.recipient, &m, now)
                    .await
            }
            Err(ComposeError::Gone) => Delivery::Permanent(Failure::Gone),
            Err(ComposeError::Db(e)) => Delivery::Temporary(Failure::Database {
                detail: e.to_string(),
            }),
            Err(ComposeError::Template(e)) => Delivery::Temporary(Failure::Template {
                detail: e.to_string(),
            }),
        }
    }

    /// What an attempt's delivery means for the email: sent, retried later
    /// (backing off), or failed for good.
    fn outcome(&self, email: &OutboxEmail, delivery: Delivery, now: i64) -> Outcome {
        let outcome = match delivery {
            Delivery::Accepted => Outcome::Accepted,
            Delivery::Permanent(failure) => Outcome::Permanent {
                detail: failure.to_stored(),
            },
            Delivery::Temporary(failure) if email.attempts >= self.settings.max_attempts => {
                Outcome::Permanent {
                    detail: Failure::GaveUp {
                        attempts: email.attempts,
                        last: Box::new(failure),
                    }
                    .to_stored(),
                }
            }
            Delivery::Temporary(failure) => {
                let factor = 1u32 << (email.attempts - 1).clamp(0, 16);
                let delay = self.settings.base_backoff * factor;
                Outcome::Temporary {
                    detail: failure.to_stored(),
                    retry_at: now + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2),
                }
            }
        };
        match &outcome {
            Outcome::Accepted => {
                tracing::debug!(outbox_id = email.id, kind = %email.kind, "email accepted")
            }
            Outcome::Temporary { detail, .. } => {
                let failure = Failure::from_stored(detail);
                tracing::warn!(outbox_id = email.id, kind = %email.kind, %failure, "email delivery failed, will retry")
            }
            Outcome::Permanent { detail } => {
                let failure = Failure::from_stored(detail);
                tracing::warn!(outbox_id = email.id, kind = %email.kind, %failure, "email delivery failed")
            }
        }
        outcome
    }
}
