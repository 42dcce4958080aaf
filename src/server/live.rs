//! `GET /events`: server-sent events for the open pages of signed-in people.
//! A staff page hears its own organization's changes; a client's page only
//! the changes to the members of their own account (a new document, an
//! invoice), named by their ids alone. The stream ends when the session
//! does (checked every [`RECHECK`]), and the browser reconnects by itself
//! after a restart, then reloads what it shows.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;

use crate::model::OrganizationId;
use crate::model::live::Change;
use crate::server::AppState;
use crate::server::auth::CurrentSession;
use crate::server::auth::session;
use crate::server::events::{Event, StreamSlot};

/// How often an open stream checks that its session is still valid.
const RECHECK: Duration = Duration::from_secs(15);

pub async fn events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let current = match session::signed_in_or_refusal(&state.sessions, &headers, "/events").await {
        Ok(s) => s,
        Err(refusal) => return refusal,
    };
    let audience = match audience_of(&state, &current).await {
        Ok(audience) => audience,
        Err(e) => {
            tracing::error!(error = %e, "live events: who hears what could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Some(slot) = state.events.open_stream(current.user_id) else {
        tracing::info!(
            user_id = %current.user_id,
            "live events: too many open streams"
        );
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    };
    let receiver = state.events.subscribe();
    let closing = state.events.closing();
    let stream = organization_stream(
        state,
        headers,
        current.organization_id,
        audience,
        receiver,
        closing,
        slot,
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}

/// Who a stream is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Audience {
    /// Staff hear everything of their organization.
    Staff,
    /// A client hears changes to these clients (their account's members).
    Members(Vec<i64>),
}

impl Audience {
    /// What of `event` this audience hears: staff all of it; a client a
    /// change to their account's members, naming only those (and "reload
    /// everything" as is), nothing else.
    fn hears(&self, event: &Event) -> Option<Event> {
        match self {
            Audience::Staff => Some(event.clone()),
            Audience::Members(ours) => match &event.change {
                Change::Clients { ids } if ids.is_empty() => Some(event.clone()),
                Change::Clients { ids } => {
                    let mine: Vec<i64> =
                        ids.iter().copied().filter(|id| ours.contains(id)).collect();
                    (!mine.is_empty()).then(|| Event::clients(event.organization_id, mine))
                }
                _ => None,
            },
        }
    }
}

async fn audience_of(
    state: &AppState,
    current: &CurrentSession,
) -> Result<Audience, crate::model::AppError> {
    if current.role.is_staff() {
        return Ok(Audience::Staff);
    }
    Ok(Audience::Members(
        crate::server::domain::me::account_member_ids(&state.db, current).await?,
    ))
}

struct Listening {
    state: AppState,
    headers: HeaderMap,
    organization_id: OrganizationId,
    audience: Audience,
    receiver: broadcast::Receiver<Arc<Event>>,
    recheck: tokio::time::Interval,
    closing: watch::Receiver<bool>,
    /// Counted as open until the stream is dropped.
    _slot: StreamSlot,
}

fn organization_stream(
    state: AppState,
    headers: HeaderMap,
    organization_id: OrganizationId,
    audience: Audience,
    receiver: broadcast::Receiver<Arc<Event>>,
    closing: watch::Receiver<bool>,
    slot: StreamSlot,
) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    let mut recheck = tokio::time::interval(RECHECK);
    recheck.reset();
    let start = Listening {
        state,
        headers,
        organization_id,
        audience,
        receiver,
        recheck,
        closing,
        _slot: slot,
    };
    futures::stream::unfold(start, |mut l| async move {
        loop {
            tokio::select! {
                // The server is stopping: end the stream (the browser
                // reconnects to the next server).
                () = stopping(&mut l.closing) => return None,
                received = l.receiver.recv() => match received {
                    Ok(event) if event.organization_id == l.organization_id => {
                        if let Some(heard) = l.audience.hears(&event) {
                            return Some((Ok(to_sse(&heard)), l));
                        }
                    }
                    Ok(_) => {}
                    // Too slow to keep up: the page reloads everything.
                    Err(RecvError::Lagged(_)) => {
                        let all = Event::clients(l.organization_id, Vec::new());
                        return Some((Ok(to_sse(&all)), l));
                    }
                    Err(RecvError::Closed) => return None,
                },
                _ = l.recheck.tick() => {
                    let still = session::current(&l.state.sessions, &l.headers).await;
                    let Ok(Some(s)) = still else { return None };
                    if s.organization_id != l.organization_id {
                        return None;
                    }
                    // A move to staff or to another account changes what
                    // the page may hear: it reconnects and asks again.
                    match audience_of(&l.state, &s).await {
                        Ok(audience) if audience == l.audience => {}
                        _ => return None,
                    }
                }
            }
        }
    })
}

/// Resolves once the server is stopping (or its hub is gone).
async fn stopping(closing: &mut watch::Receiver<bool>) {
    let _ = closing.wait_for(|closing| *closing).await;
}

/// The change as a server-sent event, in the wire format of
/// [`crate::model::live::Change`].
fn to_sse(event: &Event) -> SseEvent {
    SseEvent::default()
        .event(event.change.name())
        .data(event.change.data())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ClientId;

    #[test]
    fn a_client_hears_only_about_their_own_account() {
        let org = OrganizationId(1);
        let members = Audience::Members(vec![3, 4]);
        let mixed = Event::clients(org, vec![2, 3, 9]);
        assert_eq!(
            members.hears(&mixed).map(|e| e.change),
            Some(Change::Clients { ids: vec![3] })
        );
        assert_eq!(members.hears(&Event::client(org, ClientId(9))), None);
        assert_eq!(members.hears(&Event::job(org, 5)), None);
        assert_eq!(members.hears(&Event::signups(org)), None);
        // "Reload everything" names nobody.
        assert!(members.hears(&Event::clients(org, Vec::new())).is_some());
        assert_eq!(
            Audience::Staff.hears(&mixed).map(|e| e.change),
            Some(mixed.change.clone())
        );
    }
}
