use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use super::Problem;
use crate::i18n::{Locale, td_string};

/// A problem with one form field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

/// The error every server function returns. It crosses the wire as JSON, so it
/// carries only what a person may see: [`AppError::Internal`] has no cause in
/// it; the cause is logged on the server where the error is made. Its words
/// come from the catalog in the reader's language ([`AppError::text`]);
/// `Display` gives the English, for logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// The input was refused; each entry names the field at fault.
    Invalid(Vec<FieldError>),
    /// Sign-in failed. Deliberately does not say whether the email or the password was wrong.
    InvalidCredentials,
    Unauthenticated,
    Forbidden,
    NotFound,
    /// The request conflicts with the current state.
    Conflict(Problem),
    /// Too many attempts in a short time; the same words whoever is asking.
    TooManyAttempts,
    /// The server is at capacity for this kind of work (password hashing);
    /// answered at once instead of queueing without bound.
    Busy,
    Internal,
    /// The request did not reach the server function or its answer could
    /// not be read (the cause, for logs; never shown).
    Transport(String),
}

impl AppError {
    /// One field's error.
    pub fn field(field: &str, problem: Problem) -> Self {
        AppError::Invalid(vec![FieldError {
            field: field.to_owned(),
            problem,
        }])
    }

    /// The problem with `field`, if this error names it.
    pub fn for_field(&self, field: &str) -> Option<&Problem> {
        match self {
            AppError::Invalid(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| &e.problem)
            }
            _ => None,
        }
    }

    /// The error in words, in `locale` (for a form: the words above the
    /// button; the fields say what is wrong with each).
    pub fn text(&self, locale: Locale) -> String {
        match self {
            AppError::Invalid(_) => td_string!(locale, errors.invalid).into(),
            AppError::InvalidCredentials => td_string!(locale, errors.invalid_credentials).into(),
            AppError::Unauthenticated => td_string!(locale, errors.unauthenticated).into(),
            AppError::Forbidden => td_string!(locale, errors.forbidden).into(),
            AppError::NotFound => td_string!(locale, errors.not_found).into(),
            AppError::Conflict(problem) => problem.text(locale),
            AppError::TooManyAttempts => td_string!(locale, errors.too_many_attempts).into(),
            AppError::Busy => td_string!(locale, errors.busy).into(),
            AppError::Internal => td_string!(locale, errors.internal).into(),
            AppError::Transport(_) => td_string!(locale, errors.transport).into(),
        }
    }

    /// This error as read from a page's address rather than from a server
    /// answer. A form posted without JavaScript comes back to its page with
    /// its error in the query (`__err`, Leptos's form redirects), and anyone
    /// can write such an address and send it around: what an address could
    /// carry (field problems, conflicts, with the names in them) is replaced
    /// by fixed words, so a crafted link cannot make the portal say what its
    /// author wants ("call this number"). A field error stays at its field.
    /// Errors without values of their own are kept; one that could not be
    /// read at all (`Transport`) says something went wrong.
    pub fn from_address(self) -> Self {
        match self {
            AppError::Invalid(errors) => AppError::Invalid(
                errors
                    .into_iter()
                    .map(|e| FieldError {
                        field: e.field,
                        problem: Problem::CheckField,
                    })
                    .collect(),
            ),
            AppError::Conflict(_) => AppError::Conflict(Problem::DidNotWork),
            AppError::Transport(_) => AppError::Internal,
            fixed => fixed,
        }
    }

    /// The HTTP status of a response carrying this error.
    #[cfg(feature = "ssr")]
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::InvalidCredentials | AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Transport(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// Logs the cause with the caller's location and returns the opaque
    /// [`AppError::Internal`] that is safe to send to a browser.
    #[cfg(feature = "ssr")]
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(%cause, location = %at, "internal error");
        AppError::Internal
    }
}

/// In English, for logs and tests; a field error says what is wrong with
/// each field.
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Locale::en))?;
        if let AppError::Invalid(errors) = self {
            for e in errors {
                write!(f, " {}: {}", e.field, e.problem)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

/// Collects field errors while validating a form, so that every bad field is
/// reported at once.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// Keeps the value of a passed check; records the problem of a failed one.
    pub fn take<T>(&mut self, field: &str, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.errors.push(FieldError {
                    field: field.to_owned(),
                    problem,
                });
                None
            }
        }
    }

    /// Whether every check so far passed.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The collected field errors as one error.
    pub fn into_error(self) -> AppError {
        AppError::Invalid(self.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_read_from_an_address_shows_only_fixed_words() {
        let crafted = AppError::field(
            "password",
            Problem::AccessDisabledAt {
                organization: "Call +1 555 0100".into(),
            },
        );
        let shown = crafted.from_address();
        let problem = shown.for_field("password").expect("still at its field");
        assert_eq!(problem, &Problem::CheckField);
        let conflict = AppError::Conflict(Problem::SignupsClosed {
            organization: "Call +1 555 0100".into(),
        });
        assert!(!conflict.from_address().to_string().contains("555"));
        assert_eq!(
            AppError::InvalidCredentials.from_address(),
            AppError::InvalidCredentials,
            "errors without values of their own are kept"
        );
        assert_eq!(
            AppError::Transport("garbled".into()).from_address(),
            AppError::Internal
        );
    }

    #[test]
    fn errors_read_in_the_readers_language() {
        let e = AppError::field("email", Problem::EmailMalformed);
        assert_eq!(e.text(Locale::fr), "Veuillez corriger les champs signalés.");
        assert_eq!(
            e.for_field("email").unwrap().text(Locale::fr),
            "Entrez une adresse courriel comme nom@exemple.com."
        );
        let named = Problem::AlreadyMemberOf {
            organization: "Rivière".into(),
            role: crate::model::Role::Collaborator,
        };
        assert_eq!(
            named.text(Locale::en),
            "You are already a member of Rivière (collaborator)."
        );
        assert_eq!(
            named.text(Locale::fr),
            "Vous êtes déjà membre de Rivière (collaborateur)."
        );
    }
}
