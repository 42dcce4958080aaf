//! Which language a page is shown in. A signed-in person reads their own
//! choice (else their client record's, else their organization's: see
//! `db::sessions::find_live`). Before signing in, a page reached by a link
//! reads in the language of the person or organization the link belongs to
//! (an invitation, a reset; a sign-up confirmation in its organization's
//! default), an organization's sign-up form in its default; any other page
//! (sign-in, "forgot your password") is in the organization's default when
//! the installation has only one, and otherwise follows the browser's
//! `Accept-Language`, else English.

use crate::model::{AppError, Language};
use crate::server::auth::session::CurrentSession;
use crate::server::auth::token::keyed_hash;
use crate::server::config::Secret;
use crate::server::db::{self, Db};

/// What a page was reached by, as far as its language goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reached {
    /// An invitation link, with its token (also the sign-in page a join
    /// invitation sends its person to).
    InvitationLink(String),
    /// A password-reset link, with its token.
    ResetLink(String),
    /// A sign-up confirmation link, with its token.
    SignupLink(String),
    /// An organization's sign-up form, with its slug.
    SignupForm(String),
    /// Any other page (sign-in, "forgot your password", not found): the
    /// organization's if the installation has only one.
    Elsewhere,
}

/// The language of a page `reached` so, for this request. `session` is the
/// request's live session, if any; `accept_language` its header.
pub async fn for_page(
    db: &Db,
    secret: &Secret,
    reached: Reached,
    session: Option<&CurrentSession>,
    accept_language: Option<&str>,
) -> Result<Language, AppError> {
    if let Some(session) = session {
        return Ok(session.language);
    }
    let hash = |token: &str| keyed_hash(secret.expose(), token);
    let found = match reached {
        Reached::InvitationLink(token) => {
            db::languages::of_invitation_link(&db.pool, &hash(&token)).await?
        }
        Reached::ResetLink(token) => db::languages::of_reset_link(&db.pool, &hash(&token)).await?,
        Reached::SignupLink(token) => {
            db::languages::of_signup_link(&db.pool, &hash(&token)).await?
        }
        Reached::SignupForm(slug) => db::languages::of_organization(&db.pool, &slug).await?,
        Reached::Elsewhere => None,
    };
    // A page that names nobody (or a link that leads nowhere): the only
    // organization's, if there is just one.
    let found = match found {
        Some(language) => Some(language),
        None => db::languages::of_only_organization(&db.pool).await?,
    };
    Ok(match found.as_deref().and_then(Language::parse) {
        Some(language) => language,
        None => Language::from_accept_language(accept_language.unwrap_or("")),
    })
}
