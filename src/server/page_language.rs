//! Tells each page its language before it renders. [`choose`] (a
//! middleware on the page routes) decides it by the rule in
//! `domain::language` and leaves it in the request; [`provide`] hands it to
//! the page as context, where the shell writes it in `<html lang>` and the
//! catalog reads it (the browser's hydration reads it back from there).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;

use crate::app::PageLanguage;
use crate::model::Language;
use crate::server::auth::session::{self, CurrentSession};
use crate::server::domain;
use crate::server::domain::language::Reached;
use crate::server::startup::AppState;

/// The session `page_guard` already looked up for this request (None:
/// signed out), so it is not looked up twice.
#[derive(Clone)]
pub struct SessionLookup(pub Option<CurrentSession>);

/// Middleware: decides the language of a page request (GET or HEAD; server
/// function calls pass untouched) and leaves it in the request's extensions.
pub async fn choose(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    next.run(told(&state, req).await).await
}

/// `req` with its page language in its extensions. A failed lookup is
/// logged and falls back on the browser's language: the page itself then
/// meets the same database and says so.
pub async fn told(state: &AppState, mut req: Request) -> Request {
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let looked_up = req.extensions().get::<SessionLookup>().cloned();
    let signed_in = match looked_up {
        Some(SessionLookup(s)) => Ok(s),
        None if session::token_from_headers(req.headers()).is_some() => {
            session::current(&state.sessions, req.headers()).await
        }
        None => Ok(None),
    };
    let language = match signed_in {
        Ok(signed_in) => domain::language::for_page(
            &state.db,
            &state.config.secret,
            reached(req.uri()),
            signed_in.as_ref(),
            accept.as_deref(),
        )
        .await
        .inspect_err(|e| tracing::warn!(error = %e, "page language lookup failed"))
        .ok(),
        Err(_) => None,
    }
    .unwrap_or_else(|| Language::from_accept_language(accept.as_deref().unwrap_or("")));
    req.extensions_mut().insert(PageLanguage(language));
    req
}

/// What the page at `uri` was reached by: the pages of `app::App`'s routes
/// whose language comes from what their address names, and the sign-in page
/// a join invitation sends its person to (`/login?next=/activate/<token>`).
fn reached(uri: &Uri) -> Reached {
    let by_path = reached_by_path(uri.path());
    if by_path == Reached::Elsewhere && uri.path() == "/login" {
        let next = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .find(|(name, _)| name == "next")
            .map(|(_, value)| value.into_owned());
        if let Some(link @ Reached::InvitationLink(_)) = next.as_deref().map(reached_by_path) {
            return link;
        }
    }
    by_path
}

fn reached_by_path(path: &str) -> Reached {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["activate", token] => Reached::InvitationLink((*token).to_owned()),
        ["reset", token] => Reached::ResetLink((*token).to_owned()),
        ["signup", "confirm", token] => Reached::SignupLink((*token).to_owned()),
        ["o", slug, "signup"] => Reached::SignupForm((*slug).to_owned()),
        _ => Reached::Elsewhere,
    }
}

/// A plain-text answer made before any page or session is known (a refused
/// request, a failed page guard): `words` in the language the browser asks
/// for.
pub fn plain_answer(
    headers: &HeaderMap,
    status: StatusCode,
    words: fn(crate::i18n::Locale) -> &'static str,
) -> Response {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let language = Language::from_accept_language(accept);
    (status, Body::from(words(language.locale()))).into_response()
}

/// Provides the request's [`PageLanguage`] as context (English if the
/// middleware did not run). Called where the page's context is made.
pub fn provide() {
    let language = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<PageLanguage>().copied())
        .unwrap_or(PageLanguage(Language::English));
    provide_context(language);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_name_what_a_page_was_reached_by() {
        let reached = |address: &str| reached(&address.parse::<Uri>().unwrap());
        let token = |t: &str| t.to_owned();
        assert_eq!(
            reached("/activate/abc"),
            Reached::InvitationLink(token("abc"))
        );
        assert_eq!(reached("/reset/abc"), Reached::ResetLink(token("abc")));
        assert_eq!(
            reached("/signup/confirm/abc"),
            Reached::SignupLink(token("abc"))
        );
        assert_eq!(
            reached("/o/north/signup"),
            Reached::SignupForm(token("north"))
        );
        assert_eq!(
            reached("/login?next=%2Factivate%2Fabc"),
            Reached::InvitationLink(token("abc")),
            "the sign-in page of a join invitation"
        );
        for other in [
            "/login",
            "/login?next=%2Fclients",
            "/login?next=%2Freset%2Fabc",
            "/forgot",
            "/activate",
            "/activate/a/b",
            "/o/north",
            "/",
        ] {
            assert_eq!(reached(other), Reached::Elsewhere, "{other}");
        }
    }
}
