//! The job runner: the background task that expands running bulk
//! invitation jobs, batch by batch (each batch one transaction in
//! `db::bulk::run_batch`), and runs client imports the same way
//! (`domain::import::run_batch`), waking the outbox worker and telling open
//! pages after each.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::server::Clock;
use crate::server::db::Db;
use crate::server::db::bulk;
use crate::server::domain::import;
use crate::server::events::{Event, Hub};
use crate::server::mail::Worker;

/// How bulk jobs run.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// Clients a batch takes: one transaction each.
    pub batch_size: i64,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings { batch_size: 500 }
    }
}

/// Runs bulk jobs in the background: every running job, batch by batch,
/// waking the outbox worker after each. Jobs found running at start (the
/// server stopped mid-way) go on from their last committed batch.
#[derive(Clone)]
pub struct JobRunner {
    wake: Arc<Notify>,
}

impl JobRunner {
    /// Starts the runner; it reads the time from `clock`.
    pub fn start(
        db: Db,
        mail: Worker,
        events: Hub,
        settings: JobSettings,
        clock: Clock,
    ) -> JobRunner {
        let wake = Arc::new(Notify::new());
        let runner = Runner {
            db,
            mail,
            events,
            clock,
            batch_size: settings.batch_size,
        };
        tokio::spawn(runner.run(wake.clone()));
        JobRunner { wake }
    }

    /// A job was created: start on it now rather than at the next look.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// What the background runner works with.
struct Runner {
    db: Db,
    mail: Worker,
    events: Hub,
    clock: Clock,
    batch_size: i64,
}

impl Runner {
    async fn run(self, wake: Arc<Notify>) {
        while !self.db.pool.is_closed() {
            let jobs = match bulk::running(&self.db.pool).await {
                Ok(jobs) => jobs,
                Err(e) => {
                    if !self.db.pool.is_closed() {
                        tracing::error!(error = %e, "bulk jobs: could not list running jobs");
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            for job_id in jobs {
                self.run_job(job_id).await;
            }
            match import::running(&self.db).await {
                Ok(imports) => {
                    for id in imports {
                        self.run_import(id).await;
                    }
                }
                Err(e) => {
                    if !self.db.pool.is_closed() {
                        tracing::error!(error = %e, "imports: could not list running imports");
                    }
                }
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.notified()).await;
        }
    }

    /// Runs an import's batches until it is done, cancelled, or another
    /// server holds it.
    async fn run_import(&self, id: i64) {
        let (db, events) = (&self.db, &self.events);
        loop {
            match import::run_batch(db, id, self.batch_size, self.clock.now_ms()).await {
                Ok(Some(done)) => {
                    if done.invited {
                        self.mail.wake();
                    }
                    if !done.client_ids.is_empty() {
                        events
                            .publish(Event::clients(done.organization_id, done.client_ids))
                            .await;
                    }
                    events
                        .publish(Event::import(done.organization_id, id))
                        .await;
                    if done.finished {
                        tracing::info!(import_id = id, "import done");
                        return;
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    if !db.pool.is_closed() {
                        tracing::error!(import_id = id, error = %e, "import batch failed; retrying");
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    return;
                }
            }
        }
    }

    /// Runs a job's batches until it is done, cancelled, or another server
    /// holds it.
    async fn run_job(&self, job_id: i64) {
        let (db, events) = (&self.db, &self.events);
        loop {
            match bulk::run_batch(db, job_id, self.batch_size, self.clock.now_ms()).await {
                Ok(Some(done)) => {
                    if !done.client_ids.is_empty() {
                        self.mail.wake();
                        events
                            .publish(Event::clients(done.organization_id, done.client_ids))
                            .await;
                    }
                    events
                        .publish(Event::job(done.organization_id, job_id))
                        .await;
                    if done.finished {
                        tracing::info!(job_id = job_id, "bulk invitation expanded");
                        return;
                    }
                }
                Ok(None) => return,
                Err(e) => {
                    if !db.pool.is_closed() {
                        tracing::error!(job_id = job_id, error = %e, "bulk job batch failed; retrying");
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    return;
                }
            }
        }
    }
}
