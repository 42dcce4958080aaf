use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one form field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The error every server function returns. It crosses the wire as JSON, so it
/// carries only what a person may see: [`AppError::Internal`] has no cause in
/// it; the cause is logged on the server where the error is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The input was refused; each entry names the field at fault.
    #[error("Please correct the highlighted fields.")]
    Invalid(Vec<FieldError>),
    /// Sign-in failed. Deliberately does not say whether the email or the password was wrong.
    #[error("Incorrect email or password.")]
    InvalidCredentials,
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have access to this page.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    /// The request conflicts with the current state, in words a person understands.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts in a short time; the same words whoever is asking.
    #[error("Too many attempts. Wait a few minutes, then try again.")]
    TooManyAttempts,
    /// The server is at capacity for this kind of work (password hashing);
    /// answered at once instead of queueing without bound.
    #[error("The server is busy. Please try again in a moment.")]
    Busy,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The request did not reach the server function or its answer could not be read.
    #[error("Could not reach the server. Check your connection and try again.")]
    Transport(String),
}

impl AppError {
    /// One field's error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// The message for `field`, if this error names it.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// This error as read from a page's address rather than from a server
    /// answer. A form posted without JavaScript comes back to its page with
    /// its error in the query (`__err`, Leptos's form redirects), and anyone
    /// can write such an address and send it around: words an address could
    /// carry (field messages, conflicts) are replaced by fixed ones, so a
    /// crafted link cannot make the portal say what its author wants ("call
    /// this number"). A field error stays at its field. Errors without text
    /// of their own are kept; one that could not be read at all
    /// (`Transport`) says something went wrong.
    pub fn from_address(self) -> Self {
        const CHECK_FIELD: &str = "Check this field and try again.";
        match self {
            AppError::Invalid(errors) => AppError::Invalid(
                errors
                    .into_iter()
                    .map(|e| FieldError {
                        field: e.field,
                        message: CHECK_FIELD.to_owned(),
                    })
                    .collect(),
            ),
            AppError::Conflict(_) => {
                AppError::Conflict("That did not work. Please try again.".to_owned())
            }
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
    /// Keeps the value of a passed check; records the message of a failed one.
    pub fn take<T, E: Into<String>>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.errors.push(FieldError {
                    field: field.to_owned(),
                    message: message.into(),
                });
                None
            }
        }
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
        let crafted = AppError::field("password", "Your account is locked. Call +1 555 0100.");
        let shown = crafted.from_address();
        let message = shown.for_field("password").expect("still at its field");
        assert!(!message.contains("555"), "{message}");
        assert!(
            !AppError::Conflict("Call +1 555 0100".into())
                .from_address()
                .to_string()
                .contains("555")
        );
        assert_eq!(
            AppError::InvalidCredentials.from_address(),
            AppError::InvalidCredentials,
            "errors without text of their own are kept"
        );
        assert_eq!(
            AppError::Transport("garbled".into()).from_address(),
            AppError::Internal
        );
    }
}
