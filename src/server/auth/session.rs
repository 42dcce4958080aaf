//! Database-backed sessions. The cookie carries a random token; the database
//! keeps only its keyed hash, so a leaked database copy holds no usable session.

use axum::http::{HeaderMap, HeaderValue, header};

use super::token::{keyed_hash, random_token};
use crate::model::{AppError, Language, OrganizationId, Role, UserId};
use crate::server::Clock;
use crate::server::config::Secret;
use crate::server::db::{self, Db};

pub const SESSION_COOKIE: &str = "porchlight_session";
const SESSION_LIFETIME_MS: i64 = 14 * 24 * 60 * 60 * 1000;

/// What sessions are kept with: the database, the server's key (sessions
/// are stored as keyed hashes), its clock, and whether cookies are `Secure`
/// (the portal is served over https).
#[derive(Clone)]
pub struct Sessions {
    pub db: Db,
    pub secret: Secret,
    pub clock: Clock,
    pub secure_cookies: bool,
}

/// The signed-in person behind a request.
#[derive(Debug, Clone)]
pub struct CurrentSession {
    pub user_id: UserId,
    pub user_name: String,
    pub user_email: String,
    pub organization_id: OrganizationId,
    pub role: Role,
    /// The language the person reads (see `db::sessions::SessionRow`); a
    /// tag this server does not know reads as English.
    pub language: Language,
    /// The organization's time zone (IANA name).
    pub time_zone: String,
}

impl CurrentSession {
    /// How dates are written for this person: their language, their
    /// organization's time zone.
    pub fn local(&self) -> crate::server::dates::Local {
        crate::server::dates::Local::new(self.language, &self.time_zone)
    }
}

/// The signed-in member of staff making a plain HTTP request (a route of
/// its own, not a server function: the live events, the export, the
/// import), or the answer to send instead: 401 signed out, 403 for a client
/// or collaborator, 500 when the session could not be read (logged with
/// `route`).
pub async fn staff_or_refusal(
    sessions: &Sessions,
    headers: &HeaderMap,
    route: &str,
) -> Result<CurrentSession, axum::response::Response> {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    match current(sessions, headers).await {
        Ok(Some(s)) if s.role.is_staff() => Ok(s),
        Ok(Some(_)) => Err(StatusCode::FORBIDDEN.into_response()),
        Ok(None) => Err(StatusCode::UNAUTHORIZED.into_response()),
        Err(e) => {
            tracing::error!(error = %e, route, "session look-up failed");
            Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

/// The signed-in person (any role) making a plain HTTP request, or the
/// answer to send instead: 401 signed out, 500 when the session could not
/// be read (logged with `route`).
pub async fn signed_in_or_refusal(
    sessions: &Sessions,
    headers: &HeaderMap,
    route: &str,
) -> Result<CurrentSession, axum::response::Response> {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    match current(sessions, headers).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(StatusCode::UNAUTHORIZED.into_response()),
        Err(e) => {
            tracing::error!(error = %e, route, "session look-up failed");
            Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}

/// The session token from the request's cookies, if any.
pub fn token_from_headers(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

/// Resolves the request's session, if it is live.
pub async fn current(
    sessions: &Sessions,
    headers: &HeaderMap,
) -> Result<Option<CurrentSession>, AppError> {
    let Some(token) = token_from_headers(headers) else {
        return Ok(None);
    };
    let hash = keyed_hash(sessions.secret.expose(), token);
    let Some(row) =
        db::sessions::find_live(&sessions.db.pool, &hash, sessions.clock.now_ms()).await?
    else {
        return Ok(None);
    };
    let Some(role) = Role::parse(&row.role) else {
        return Err(AppError::internal(format!(
            "unknown role {:?} in memberships",
            row.role
        )));
    };
    Ok(Some(CurrentSession {
        user_id: row.user_id,
        user_name: row.user_name,
        user_email: row.user_email,
        organization_id: row.organization_id,
        role,
        language: Language::parse(&row.language).unwrap_or(Language::English),
        time_zone: row.time_zone,
    }))
}

/// Starts a new session and returns the `Set-Cookie` value for it. Any session
/// the request already carried is ended first, so the id always changes at
/// sign-in (no session fixation).
pub async fn start(
    sessions: &Sessions,
    request_headers: &HeaderMap,
    user_id: UserId,
    organization_id: OrganizationId,
) -> Result<HeaderValue, AppError> {
    end(sessions, request_headers).await?;
    let token = random_token();
    let now = sessions.clock.now_ms();
    db::sessions::insert(
        &sessions.db,
        &keyed_hash(sessions.secret.expose(), &token),
        user_id,
        organization_id,
        now,
        now + SESSION_LIFETIME_MS,
    )
    .await?;
    cookie(sessions, &token, SESSION_LIFETIME_MS / 1000)
}

/// Ends the request's session, if any, and returns a `Set-Cookie` value that
/// clears the cookie.
pub async fn end(
    sessions: &Sessions,
    request_headers: &HeaderMap,
) -> Result<HeaderValue, AppError> {
    if let Some(token) = token_from_headers(request_headers) {
        let hash = keyed_hash(sessions.secret.expose(), token);
        db::sessions::delete(&sessions.db, &hash).await?;
    }
    cookie(sessions, "", 0)
}

fn cookie(sessions: &Sessions, value: &str, max_age_secs: i64) -> Result<HeaderValue, AppError> {
    let secure = if sessions.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}"
    ))
    .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; porchlight_session=abc; b=2"),
        );
        assert_eq!(token_from_headers(&headers), Some("abc"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("xporchlight_session=abc"),
        );
        assert_eq!(token_from_headers(&headers), None);
    }
}
