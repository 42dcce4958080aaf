//! Live pages: a page listens to the server's events (`GET /events`,
//! server-sent) and reloads what it shows when something it shows changed.
//! The browser's EventSource reconnects by itself after a dropped stream, and
//! a stream answered with an error (a proxy while the server restarts) is
//! opened again after a pause; every (re)connection reloads too, so a page
//! never keeps showing stale data.

use leptos::prelude::*;

pub use crate::model::live::Change;

/// How long changes are gathered before the page reloads once for all.
#[cfg(feature = "hydrate")]
const GATHER: std::time::Duration = std::time::Duration::from_millis(250);

/// A counter that moves when a change `wanted` accepts arrives (at most once
/// per quarter second, however many arrive) and at every (re)connection, since
/// changes may have been missed meanwhile. Resources that read it reload. On
/// the server it never moves.
pub fn use_live(wanted: impl Fn(&Change) -> bool + 'static) -> ReadSignal<u64> {
    let (version, set_version) = signal(0_u64);
    #[cfg(feature = "hydrate")]
    listen(wanted, set_version);
    #[cfg(not(feature = "hydrate"))]
    let _ = (wanted, set_version);
    version
}

#[cfg(feature = "hydrate")]
fn listen(wanted: impl Fn(&Change) -> bool + 'static, set_version: WriteSignal<u64>) {
    let pending = StoredValue::new(false);
    let bump = move || {
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        set_timeout(
            move || {
                pending.set_value(false);
                set_version.update(|v| *v += 1);
            },
            GATHER,
        );
    };
    // None: the stream (re)connected, anything may have changed.
    let id = feed::subscribe(std::rc::Rc::new(move |change: Option<&Change>| {
        if change.is_none_or(&wanted) {
            bump();
        }
    }));
    on_cleanup(move || feed::unsubscribe(id));
}

/// One EventSource per browser tab, shared by every component that listens:
/// browsers allow few connections per site, and each stream holds one open.
#[cfg(feature = "hydrate")]
mod feed {
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::time::Duration;

    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{EventSource, MessageEvent};

    use super::Change;

    type Listener = Rc<dyn Fn(Option<&Change>)>;

    struct Connection {
        source: EventSource,
        // Kept alive as long as the source can call them.
        _on_change: Closure<dyn Fn(MessageEvent)>,
        _on_open: Closure<dyn Fn()>,
        _on_error: Closure<dyn Fn()>,
    }

    #[derive(Default)]
    struct Feed {
        connection: Option<Connection>,
        listeners: Vec<(u64, Listener)>,
        next_id: u64,
        /// The next pause before opening a closed stream again; doubles
        /// while attempts fail, back to the first once one opens.
        retry: Option<Duration>,
    }

    const FIRST_RETRY: Duration = Duration::from_secs(2);
    const LONGEST_RETRY: Duration = Duration::from_secs(60);

    thread_local! {
        static FEED: RefCell<Feed> = RefCell::new(Feed::default());
    }

    pub fn subscribe(listener: Listener) -> u64 {
        FEED.with_borrow_mut(|feed| {
            feed.next_id += 1;
            let id = feed.next_id;
            feed.listeners.push((id, listener));
            if feed.connection.is_none() {
                feed.connection = connect();
            }
            id
        })
    }

    pub fn unsubscribe(id: u64) {
        FEED.with_borrow_mut(|feed| {
            feed.listeners.retain(|(i, _)| *i != id);
            if feed.listeners.is_empty()
                && let Some(c) = feed.connection.take()
            {
                c.source.close();
            }
        });
    }

    fn tell(change: Option<&Change>) {
        // Listeners run outside the borrow: they may subscribe or unsubscribe.
        let listeners: Vec<Listener> =
            FEED.with_borrow(|feed| feed.listeners.iter().map(|(_, l)| l.clone()).collect());
        for listener in listeners {
            listener(change);
        }
    }

    fn connect() -> Option<Connection> {
        let source = EventSource::new("/events").ok()?;
        let on_change = Closure::<dyn Fn(MessageEvent)>::new(|e: MessageEvent| {
            let data = e.data().as_string().unwrap_or_default();
            let change = Change::from_sse(&e.type_(), &data);
            tell(Some(&change));
        });
        let on_open = Closure::<dyn Fn()>::new(|| {
            FEED.with_borrow_mut(|feed| feed.retry = None);
            tell(None);
        });
        // The browser retries a dropped stream by itself, but not one the
        // server answered with an error (as a proxy does while the server
        // restarts): that source is closed for good, so open another later.
        let on_error = Closure::<dyn Fn()>::new(|| {
            let pause = FEED.with_borrow_mut(|feed| {
                let closed = feed
                    .connection
                    .as_ref()
                    .is_some_and(|c| c.source.ready_state() == EventSource::CLOSED);
                closed.then(|| {
                    let pause = feed.retry.unwrap_or(FIRST_RETRY);
                    feed.retry = Some((pause * 2).min(LONGEST_RETRY));
                    pause
                })
            });
            if let Some(pause) = pause {
                // Later, not here: replacing the connection drops this closure.
                leptos::prelude::set_timeout(reopen, pause);
            }
        });
        for kind in Change::NAMES {
            let _ =
                source.add_event_listener_with_callback(kind, on_change.as_ref().unchecked_ref());
        }
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Connection {
            source,
            _on_change: on_change,
            _on_open: on_open,
            _on_error: on_error,
        })
    }

    /// Replaces a closed stream, if a page still listens.
    fn reopen() {
        FEED.with_borrow_mut(|feed| {
            let closed = feed
                .connection
                .as_ref()
                .is_none_or(|c| c.source.ready_state() == EventSource::CLOSED);
            if closed && !feed.listeners.is_empty() {
                feed.connection = connect();
            }
        });
    }
}
