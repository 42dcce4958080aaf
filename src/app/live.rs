//! Live pages: a page listens to the server's events (`GET /events`,
//! server-sent) and reloads what it shows when something it shows changed.
//! The browser's EventSource reconnects by itself after a restart; every
//! (re)connection reloads too, so a page never keeps showing stale data.

use leptos::prelude::*;

/// What the server said changed. Only the browser builds these.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum Change {
    /// These clients changed; empty means "many, reload everything".
    Clients(Vec<i64>),
    /// A bulk invitation job moved on.
    Job(i64),
}

impl Change {
    /// True when the change concerns client `id`.
    pub fn touches_client(&self, id: i64) -> bool {
        match self {
            Change::Clients(ids) => ids.is_empty() || ids.contains(&id),
            Change::Job(_) => false,
        }
    }
}

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
    use send_wrapper::SendWrapper;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{EventSource, MessageEvent};

    let Ok(source) = EventSource::new("/events") else {
        return;
    };
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
    let on_change = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data().as_string().unwrap_or_default();
        let change = match e.type_().as_str() {
            "job" => data
                .parse()
                .map_or(Change::Clients(Vec::new()), Change::Job),
            _ => Change::Clients(data.split(',').filter_map(|s| s.parse().ok()).collect()),
        };
        if wanted(&change) {
            bump();
        }
    });
    let on_open = Closure::<dyn Fn()>::new(bump);
    for kind in ["clients", "job"] {
        let _ = source.add_event_listener_with_callback(kind, on_change.as_ref().unchecked_ref());
    }
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    let kept = SendWrapper::new((source, on_change, on_open));
    on_cleanup(move || {
        let (source, _on_change, _on_open) = kept.take();
        source.close();
    });
}
