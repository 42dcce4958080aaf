//! The language a page reached by a link is shown in, before anyone signs
//! in: each query returns a language tag ("en", "fr", or one this server may
//! not know), or None when the link or address leads nowhere.

use sqlx::AnyPool;

use super::users::recipient_language;

/// For an invitation link: the invited person's language (their account's
/// choice, else their client record's, else the organization's).
pub async fn of_invitation_link(
    pool: &AnyPool,
    token_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    one(
        pool,
        concat!(
            "SELECT ",
            recipient_language!("c.email_lower", "c.language", "o.default_language"),
            " FROM invitation_links l
              JOIN invitations i ON i.id = l.invitation_id
              JOIN clients c ON c.id = i.client_id
              JOIN organizations o ON o.id = i.organization_id
              WHERE l.token_hash = $1"
        ),
        token_hash,
    )
    .await
}

/// For a password-reset link: the person's own choice, else their client
/// record's in their home organization (the one their reset email is
/// branded with, `users::home`), else that organization's.
pub async fn of_reset_link(
    pool: &AnyPool,
    token_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    one(
        pool,
        "SELECT COALESCE(u.language,
                (SELECT COALESCE(c.language, o.default_language)
                 FROM memberships m
                 JOIN organizations o ON o.id = m.organization_id
                 LEFT JOIN clients c ON c.organization_id = m.organization_id
                                    AND c.email_lower = u.email_lower
                 WHERE m.user_id = u.id AND m.disabled_at IS NULL
                 ORDER BY m.id LIMIT 1))
         FROM password_resets r JOIN users u ON u.id = r.user_id
         WHERE r.token_hash = $1",
        token_hash,
    )
    .await
}

/// For a sign-up confirmation link: the organization's default.
pub async fn of_signup_link(
    pool: &AnyPool,
    token_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    one(
        pool,
        "SELECT o.default_language FROM signup_links l
         JOIN signups s ON s.id = l.signup_id
         JOIN organizations o ON o.id = s.organization_id
         WHERE l.token_hash = $1",
        token_hash,
    )
    .await
}

/// For an organization's own pages (its sign-up form): its default.
pub async fn of_organization(pool: &AnyPool, slug: &str) -> Result<Option<String>, sqlx::Error> {
    one(
        pool,
        "SELECT default_language FROM organizations WHERE slug = $1",
        slug,
    )
    .await
}

async fn one(pool: &AnyPool, sql: &str, key: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as(sql).bind(key).fetch_optional(pool).await?;
    Ok(row.and_then(|(language,)| language))
}
