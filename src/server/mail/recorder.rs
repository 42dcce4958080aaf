//! Recording delivery attempts: each attempt is written as soon as the SMTP
//! server answers, grouped with the attempts that finish meanwhile into one
//! transaction, and the lane that sent it waits for the write before its
//! connection takes the next message.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::model::OrganizationId;
use crate::server::Clock;
use crate::server::db::outbox::{OutboxEmail, Outcome};
use crate::server::db::{self, Db};
use crate::server::events::{Event, Hub};

/// Attempts recorded in one transaction at most.
const MAX_RECORD_GROUP: usize = 1024;

/// One attempt waiting to be recorded, and who waits for it.
pub(super) struct Record {
    pub email: OutboxEmail,
    pub outcome: Outcome,
    pub recorded: oneshot::Sender<()>,
}

/// Records attempts as they finish: whatever arrived while the previous
/// transaction committed goes into the next one. A failed transaction is
/// retried (pauses doubling up to 15 s) until it succeeds or the pool is
/// closed; meanwhile the lanes wait, sending nothing unrecorded.
pub(super) async fn record(
    db: Db,
    events: Hub,
    clock: Clock,
    mut records: mpsc::UnboundedReceiver<Record>,
) {
    let mut group = Vec::new();
    while records.recv_many(&mut group, MAX_RECORD_GROUP).await > 0 {
        let now = clock.now_ms();
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
        let mut changed: std::collections::BTreeMap<OrganizationId, Vec<i64>> = Default::default();
        for r in &group {
            if let (Some(org), Some(client)) = (r.email.organization_id, r.email.client_id) {
                changed.entry(org).or_default().push(client.0);
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
