//! The live-event wire format, defined once for both ends: the server sends
//! each change as a server-sent event named [`Change::name`] with
//! [`Change::data`]; the browser reads it back with [`Change::from_sse`].
//! Servers sharing a PostgreSQL database pass changes to each other as JSON
//! (serde, `kind` tagged).

use serde::{Deserialize, Serialize};

/// Something that changed in an organization, as its open pages hear it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// These clients' statuses or timelines changed; empty means "many,
    /// reload everything".
    Clients { ids: Vec<i64> },
    /// A bulk invitation job moved on.
    Job { id: i64 },
    /// An application arrived or was decided.
    Signups,
    /// A client import moved on.
    Import { id: i64 },
}

impl Change {
    /// Every event name, for the browser's listeners.
    pub const NAMES: [&str; 4] = ["clients", "job", "signups", "import"];

    /// The server-sent event's name.
    pub fn name(&self) -> &'static str {
        match self {
            Change::Clients { .. } => Change::NAMES[0],
            Change::Job { .. } => Change::NAMES[1],
            Change::Signups => Change::NAMES[2],
            Change::Import { .. } => Change::NAMES[3],
        }
    }

    /// The server-sent event's data: comma-separated client ids, a job id,
    /// or nothing.
    pub fn data(&self) -> String {
        match self {
            Change::Clients { ids } => ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
            Change::Job { id } | Change::Import { id } => id.to_string(),
            Change::Signups => String::new(),
        }
    }

    /// Reads back an event sent as [`Change::name`] and [`Change::data`].
    /// Anything unreadable means "reload everything" (many clients changed).
    pub fn from_sse(name: &str, data: &str) -> Change {
        match name {
            "job" => data
                .parse()
                .map_or(Change::Clients { ids: Vec::new() }, |id| Change::Job { id }),
            "signups" => Change::Signups,
            "import" => data
                .parse()
                .map_or(Change::Clients { ids: Vec::new() }, |id| Change::Import {
                    id,
                }),
            _ => Change::Clients {
                ids: data.split(',').filter_map(|s| s.parse().ok()).collect(),
            },
        }
    }

    /// True when the change concerns client `id`.
    pub fn touches_client(&self, id: i64) -> bool {
        match self {
            Change::Clients { ids } => ids.is_empty() || ids.contains(&id),
            Change::Job { .. } | Change::Signups | Change::Import { .. } => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_reads_back_as_it_was_sent() {
        for change in [
            Change::Clients { ids: vec![3, 41] },
            Change::Clients { ids: vec![] },
            Change::Job { id: 7 },
            Change::Signups,
            Change::Import { id: 9 },
        ] {
            assert_eq!(Change::from_sse(change.name(), &change.data()), change);
        }
    }

    #[test]
    fn an_unreadable_event_reloads_everything() {
        assert_eq!(
            Change::from_sse("job", "x"),
            Change::Clients { ids: vec![] }
        );
        assert!(Change::from_sse("clients", "").touches_client(5));
    }
}
