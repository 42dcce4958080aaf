//! Which language a page is shown in. A signed-in person reads their own
//! choice (else their client record's, else their organization's: see
//! `db::sessions::find_live`). Before signing in, a page reached by a link
//! reads in the language of the person or organization the link belongs to
//! (an invitation, a reset, a sign-up), an organization's sign-up form in
//! its default; any other page (sign-in, "forgot your password") follows
//! the browser's `Accept-Language`, else English.

use crate::model::{AppError, Language};
use crate::server::auth::session::CurrentSession;
use crate::server::auth::token::keyed_hash;
use crate::server::config::Secret;
use crate::server::db::{self, Db};

/// The language of the page at `path` for this request. `session` is the
/// request's live session, if any; `accept_language` its header.
pub async fn for_page(
    db: &Db,
    secret: &Secret,
    path: &str,
    session: Option<&CurrentSession>,
    accept_language: Option<&str>,
) -> Result<Language, AppError> {
    if let Some(session) = session {
        return Ok(session.language);
    }
    let hash = |token: &str| keyed_hash(secret.expose(), token);
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let found = match segments.as_slice() {
        ["activate", token] => db::languages::of_invitation_link(&db.pool, &hash(token)).await?,
        ["reset", token] => db::languages::of_reset_link(&db.pool, &hash(token)).await?,
        ["signup", "confirm", token] => {
            db::languages::of_signup_link(&db.pool, &hash(token)).await?
        }
        ["o", slug, "signup"] => db::languages::of_organization(&db.pool, slug).await?,
        _ => None,
    };
    Ok(match found.as_deref().and_then(Language::parse) {
        Some(language) => language,
        None => Language::from_accept_language(accept_language.unwrap_or("")),
    })
}
