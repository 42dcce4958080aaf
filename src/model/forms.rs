//! Intake forms: what staff build (Settings → Forms), what a client fills,
//! and the answers staff read. Shared by the server and the browser.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::kinds::FieldKind;

/// A question of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormField {
    /// Stable within the form across its versions ("f1", "f2"…): answers
    /// are kept by it.
    pub key: String,
    pub label: String,
    /// Words under the label; empty for none.
    #[serde(default)]
    pub help: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// The choices of a one-choice or several-choices field; empty for the
    /// other kinds.
    #[serde(default)]
    pub choices: Vec<String>,
}

/// Answers by field key: one value for most kinds, each ticked choice for
/// several choices, "yes" or "no", a date as YYYY-MM-DD, a number as typed,
/// and for a file the id of the document it became.
pub type Answers = BTreeMap<String, Vec<String>>;

/// A form as Settings → Forms lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSummary {
    pub id: i64,
    pub title: String,
    /// The current version's number (1, 2…).
    pub version: i64,
    pub fields: usize,
    /// Sent and not yet submitted…
    pub waiting: i64,
    /// …and submitted.
    pub submitted: i64,
}

/// A form as its editor shows it: the current version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormDetail {
    pub id: i64,
    pub title: String,
    pub introduction: String,
    pub fields: Vec<FormField>,
    pub version: i64,
}

/// A form waiting for the reader to fill it in (their dashboard reminds
/// them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormWaiting {
    pub request_id: i64,
    pub title: String,
}

/// A form for a client to fill: the version they were sent, what they
/// saved so far, and the names of the files they gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormToFill {
    pub request_id: i64,
    pub title: String,
    pub introduction: String,
    pub fields: Vec<FormField>,
    pub answers: Answers,
    /// File field key → the file's name.
    pub files: BTreeMap<String, String>,
    /// When they last saved a draft ("3 Dec 2026, 13:05 EST").
    pub saved: Option<String>,
    /// When they submitted it; a submitted form is read-only.
    pub submitted: Option<String>,
}

/// One answer as staff read it: the question as it was asked, and the
/// answer in words (or the file given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerLine {
    pub label: String,
    /// Empty when not answered.
    pub text: String,
    /// (document id, file name) for a file.
    pub file: Option<(i64, String)>,
}

/// A form sent to a client, as their page shows it to staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentForm {
    pub request_id: i64,
    pub form_id: i64,
    pub title: String,
    /// The version they were sent.
    pub version: i64,
    /// "Waiting" / "Submitted on 3 Dec 2026", in the reader's language.
    pub state: String,
    pub submitted: bool,
    /// The answers once submitted (a draft stays the client's own).
    pub answers: Vec<AnswerLine>,
}
