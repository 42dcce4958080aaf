//! The language a page reached by a link is shown in, before anyone signs
//! in: each query returns a language tag ("en", "fr", or one this server may
//! not know), or None when the link or address leads nowhere.

use sqlx::AnyPool;

use super::users::{membership_usable, recipient_language};

/// For an invitation link: the invited person's language (their account's
/// choice, else their client record's, else the organization's) while the
/// invitation is open; the organization's once it is accepted or revoked
/// (the page then only says the link is closed, and a closed link tells
/// nothing of the person).
pub async fn of_invitation_link(
    pool: &AnyPool,
    token_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    one(
        pool,
        concat!(
            "SELECT CASE WHEN i.accepted_at IS NULL AND i.revoked_at IS NULL THEN ",
            recipient_language!("c.email_lower", "c.language", "o.default_language"),
            " ELSE o.default_language END
              FROM invitation_links l
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
        concat!(
            "SELECT ",
            recipient_language!("u.email_lower", "c.language", "o.default_language"),
            " FROM password_resets r
              JOIN users u ON u.id = r.user_id
              LEFT JOIN memberships m ON m.id = (
                  SELECT m.id FROM memberships m
                  WHERE m.user_id = u.id AND ",
            membership_usable!(),
            "
                  ORDER BY m.id LIMIT 1)
              LEFT JOIN organizations o ON o.id = m.organization_id
              LEFT JOIN clients c ON c.organization_id = o.id AND c.email_lower = u.email_lower
              WHERE r.token_hash = $1"
        ),
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

/// For a page that names no organization: the default of the only one, when
/// the installation has exactly one.
pub async fn of_only_organization(pool: &AnyPool) -> Result<Option<String>, sqlx::Error> {
    let (count, language): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MIN(default_language) FROM organizations")
            .fetch_one(pool)
            .await?;
    Ok(language.filter(|_| count == 1))
}

async fn one(pool: &AnyPool, sql: &str, key: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as(sql).bind(key).fetch_optional(pool).await?;
    Ok(row.and_then(|(language,)| language))
}
