//! `GET /events`: server-sent events for the open pages of signed-in staff.
//! A page hears only its own organization's changes; the stream ends when
//! the session does (checked every [`RECHECK`]), and the browser reconnects
//! by itself after a restart, then reloads what it shows.

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
use crate::server::AppState;
use crate::server::auth::session;
use crate::server::events::{Event, StreamSlot};

/// How often an open stream checks that its session is still valid.
const RECHECK: Duration = Duration::from_secs(15);

pub async fn events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let current = match session::staff_or_refusal(&state.sessions, &headers, "/events").await {
        Ok(s) => s,
        Err(refusal) => return refusal,
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
        receiver,
        closing,
        slot,
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}

struct Listening {
    state: AppState,
    headers: HeaderMap,
    organization_id: OrganizationId,
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
                        return Some((Ok(to_sse(&event)), l));
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
                    if !matches!(still, Ok(Some(s)) if s.role.is_staff() && s.organization_id == l.organization_id) {
                        return None;
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
