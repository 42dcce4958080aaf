//! Claims are leases: this process renews its own while it lives, and puts
//! back in the queue the claims of a process that stopped (its leases ran
//! out), so a crash delays email by one lease at most.

use std::sync::Arc;

use tokio::sync::{Notify, watch};

use super::worker::WorkerSettings;
use crate::server::Clock;
use crate::server::db::{self, Db};

/// Renews this process's leases three times per lease, and puts back in
/// the queue the claims whose lease ran out (a process that died), waking
/// the lanes to send them.
pub(super) async fn keep_leases(
    db: Db,
    owner: Arc<str>,
    settings: WorkerSettings,
    clock: Clock,
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
        let until = clock.now_ms() + settings.lease_ms();
        if let Err(e) = db::outbox::renew_leases(&db, &owner, until).await {
            tracing::error!(error = %e, "outbox: could not renew the leases of the email being sent");
        }
        if requeue_interrupted(&db, &owner, clock.now_ms()).await > 0 {
            lanes.iter().for_each(|lane| lane.notify_one());
        }
    }
}

/// Puts back in the queue the email whose lease ran out (the process
/// sending it stopped), never `owner`'s own; returns how many.
pub(super) async fn requeue_interrupted(db: &Db, owner: &str, now: i64) -> u64 {
    match db::outbox::requeue_interrupted(db, owner, now).await {
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
