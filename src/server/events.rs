//! The event hub: what changed, told to every open page of the organization
//! it happened in.
//!
//! A change is published after its transaction commits. On SQLite (one
//! process) the hub hands it straight to its subscribers. On PostgreSQL it goes
//! through `NOTIFY porchlight_events`, and every process sharing the database
//! (this one included) LISTENs and hands what arrives to its own subscribers,
//! so a page connected to one server hears about changes made by another.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, watch};

pub use crate::model::live::Change;
use crate::model::{ClientId, OrganizationId, UserId};
use crate::server::db::{Backend, Db};

const CHANNEL: &str = "porchlight_events";
/// NOTIFY payloads must stay under 8,000 bytes: past this many client ids an
/// event says "many clients changed" instead of naming them.
const MAX_IDS: usize = 200;

/// Something that changed in one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub organization_id: OrganizationId,
    #[serde(flatten)]
    pub change: Change,
}

impl Event {
    pub fn clients(organization_id: OrganizationId, mut ids: Vec<i64>) -> Event {
        if ids.len() > MAX_IDS {
            ids.clear();
        }
        Event {
            organization_id,
            change: Change::Clients { ids },
        }
    }

    pub fn client(organization_id: OrganizationId, id: ClientId) -> Event {
        Event::clients(organization_id, vec![id.0])
    }

    pub fn signups(organization_id: OrganizationId) -> Event {
        Event {
            organization_id,
            change: Change::Signups,
        }
    }

    pub fn job(organization_id: OrganizationId, id: i64) -> Event {
        Event {
            organization_id,
            change: Change::Job { id },
        }
    }

    pub fn import(organization_id: OrganizationId, id: i64) -> Event {
        Event {
            organization_id,
            change: Change::Import { id },
        }
    }
}

/// Publishes events and hands them to subscribers.
#[derive(Clone)]
pub struct Hub {
    local: broadcast::Sender<Arc<Event>>,
    /// Set on PostgreSQL: events travel through NOTIFY.
    notify: Option<Db>,
    /// Turns true when the server is stopping: open streams end then, or a
    /// graceful shutdown would wait for them forever.
    closing: Arc<watch::Sender<bool>>,
    /// Open streams per person, to cap what one person (or all) may hold.
    streams: Arc<std::sync::Mutex<std::collections::HashMap<UserId, usize>>>,
}

/// Open event streams one person may hold at once (a tab each).
pub const STREAMS_PER_PERSON: usize = 16;
/// Open event streams the server holds at once.
pub const STREAMS_IN_ALL: usize = 2_000;

/// One open stream, counted until it is dropped.
pub struct StreamSlot {
    user_id: UserId,
    streams: Arc<std::sync::Mutex<std::collections::HashMap<UserId, usize>>>,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.user_id) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

impl Hub {
    /// A hub for `db`; on PostgreSQL it starts listening at `database_url`.
    pub fn start(db: &Db, database_url: &str) -> Hub {
        let (local, _) = broadcast::channel(1024);
        let notify = (db.backend == Backend::Postgres).then(|| db.clone());
        if let Some(db) = &notify {
            tokio::spawn(listen(db.clone(), database_url.to_owned(), local.clone()));
        }
        Hub {
            local,
            notify,
            closing: Arc::new(watch::channel(false).0),
            streams: Arc::default(),
        }
    }

    /// A slot for one more open stream of `user_id`, or None when they hold
    /// [`STREAMS_PER_PERSON`] already or the server [`STREAMS_IN_ALL`].
    pub fn open_stream(&self, user_id: UserId) -> Option<StreamSlot> {
        let mut open = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        let total: usize = open.values().sum();
        let mine = open.entry(user_id).or_default();
        if *mine >= STREAMS_PER_PERSON || total >= STREAMS_IN_ALL {
            if *mine == 0 {
                open.remove(&user_id);
            }
            return None;
        }
        *mine += 1;
        Some(StreamSlot {
            user_id,
            streams: self.streams.clone(),
        })
    }

    /// Tells every open stream to end: the server is stopping.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Turns true when [`Hub::close`] is called.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Every event of every organization from now on; callers keep their own.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.local.subscribe()
    }

    /// Tells every subscriber (on every server process) about `event`. Call it
    /// after the change has committed. A lost event costs freshness, never
    /// data, so failures are logged and not returned.
    pub async fn publish(&self, event: Event) {
        match &self.notify {
            None => {
                // No subscriber is not an error.
                let _ = self.local.send(Arc::new(event));
            }
            Some(db) => {
                let payload = match serde_json::to_string(&event) {
                    Ok(p) => p,
                    Err(e) => {
                        tracing::error!(error = %e, "event not serializable");
                        return;
                    }
                };
                if let Err(e) = crate::server::db::notify(&db.pool, CHANNEL, &payload).await {
                    tracing::warn!(error = %e, "could not publish an event");
                }
            }
        }
    }
}

/// Forwards NOTIFY payloads to this process's subscribers, reconnecting
/// after a lost connection, until the server closes its database pool.
async fn listen(db: Db, url: String, local: broadcast::Sender<Arc<Event>>) {
    use sqlx::postgres::PgListener;
    while !db.pool.is_closed() {
        let mut listener = match PgListener::connect(&url).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "event listener cannot connect; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "event listener cannot LISTEN; retrying");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        loop {
            match listener.recv().await {
                Ok(n) => match serde_json::from_str::<Event>(n.payload()) {
                    Ok(event) => {
                        let _ = local.send(Arc::new(event));
                    }
                    Err(e) => tracing::warn!(error = %e, "unreadable event ignored"),
                },
                Err(e) => {
                    tracing::warn!(error = %e, "event listener lost its connection");
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_back_as_written() {
        for event in [
            Event::client(OrganizationId(3), ClientId(42)),
            Event::job(OrganizationId(3), 7),
        ] {
            let json = serde_json::to_string(&event).unwrap();
            assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
        }
        assert_eq!(
            serde_json::to_string(&Event::client(OrganizationId(3), ClientId(42))).unwrap(),
            r#"{"organization_id":3,"kind":"clients","ids":[42]}"#
        );
    }

    #[test]
    fn too_many_ids_become_many() {
        let event = Event::clients(OrganizationId(1), (0..500).collect());
        assert_eq!(event.change, Change::Clients { ids: vec![] });
    }
}
