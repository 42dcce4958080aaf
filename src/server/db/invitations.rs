use sqlx::{AnyPool, FromRow};

use super::Tx;
use crate::model::InvitationKind;
use crate::model::{ClientId, OrganizationId, UserId};

/// An invitation with what an activation page or an email needs to show.
#[derive(Debug, Clone, FromRow)]
pub struct InvitationView {
    pub id: i64,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub accent_color: String,
    pub logo_url: String,
    pub client_id: ClientId,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    pub kind: String,
    pub email: String,
    pub inviter_name: Option<String>,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// The language to write to the invited person in: their account's
    /// choice, else the one chosen on the client, else the organization's.
    pub language: String,
    /// The organization's time zone (IANA name).
    pub time_zone: String,
    /// 1 while the organization's client portal is on, 0 while it is off.
    pub portal_enabled: i64,
    /// The title of the first form waiting for them, if any.
    pub form_title: Option<String>,
}

impl InvitationView {
    /// Activate or join; None for a kind this server does not know.
    pub fn kind(&self) -> Option<InvitationKind> {
        InvitationKind::parse(&self.kind)
    }
}

/// An invitation's kind as it stands now, for `invitations i` of `clients c`:
/// an activation becomes a join once the address has an account (made
/// through another organization or a sign-up since the invitation was sent).
/// The client list and every link read the kind through this one expression.
macro_rules! kind_now {
    () => {
        "CASE WHEN i.kind = 'activate' AND EXISTS (
            SELECT 1 FROM users a WHERE a.email_lower = c.email_lower AND a.password_hash IS NOT NULL)
         THEN 'join' ELSE i.kind END"
    };
}
pub(super) use kind_now;
const KIND_NOW: &str = kind_now!();

/// The columns of [`InvitationView`]; `{link_expiry}` is the link's own expiry
/// where a link is known, else the invitation's.
fn view(link_expiry: &str) -> String {
    let language =
        super::users::recipient_language!("c.email_lower", "c.language", "o.default_language");
    format!(
        "SELECT i.id, i.organization_id, o.name AS organization_name, o.accent_color, o.logo_url, i.client_id,
        c.first_name, c.last_name, c.role, {KIND_NOW} AS kind, i.email, u.name AS inviter_name,
        {link_expiry} AS expires_at, i.accepted_at, i.revoked_at,
        {language} AS language,
        o.time_zone, o.portal_enabled,
        (SELECT f.title FROM form_requests r JOIN forms f ON f.id = r.form_id
         WHERE r.client_id = i.client_id AND r.submitted_at IS NULL
         ORDER BY r.id LIMIT 1) AS form_title
     FROM invitations i
     JOIN organizations o ON o.id = i.organization_id
     JOIN clients c ON c.id = i.client_id
     LEFT JOIN users u ON u.id = i.invited_by"
    )
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut Tx,
    organization_id: OrganizationId,
    client_id: ClientId,
    kind: InvitationKind,
    email: &str,
    invited_by: Option<UserId>,
    now: i64,
    expires_at: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO invitations (organization_id, client_id, kind, email, invited_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(organization_id)
    .bind(client_id)
    .bind(kind.as_str())
    .bind(email)
    .bind(invited_by)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// The invitation a link's token hash belongs to.
pub async fn by_link(
    pool: &AnyPool,
    token_hash: &str,
) -> Result<Option<InvitationView>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{} JOIN invitation_links l ON l.invitation_id = i.id WHERE l.token_hash = $1",
        view("l.expires_at")
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}

/// Invitations by id, in any order; unknown ids are left out.
pub async fn by_ids(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    ids: &[i64],
) -> Result<Vec<InvitationView>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as(&format!(
        "{} WHERE i.id IN ({})",
        view("i.expires_at"),
        super::id_list(ids)
    ))
    .fetch_all(db)
    .await
}

/// A link to store: its invitation, the keyed hash of its token, and its own
/// expiry (the invitation's expiry when the link was made; extending the
/// invitation later never extends this link).
#[derive(Debug, Clone)]
pub struct NewLink {
    pub invitation_id: i64,
    pub token_hash: String,
    pub expires_at: i64,
}

/// Stores many links at once.
pub async fn add_links(
    conn: &mut sqlx::AnyConnection,
    links: &[NewLink],
    now: i64,
) -> Result<(), sqlx::Error> {
    if links.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..links.len())
        .map(|n| {
            let b = 4 * n;
            format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4)
        })
        .collect();
    let sql = format!(
        "INSERT INTO invitation_links (token_hash, invitation_id, created_at, expires_at) VALUES {}",
        values.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for link in links {
        query = query
            .bind(&link.token_hash)
            .bind(link.invitation_id)
            .bind(now)
            .bind(link.expires_at);
    }
    query.execute(conn).await.map(|_| ())
}

/// Marks a pending invitation accepted through the link `token_hash`, if
/// that link has not expired. Exactly one caller wins: the answer is false
/// when it was already accepted or revoked, or the link expired.
pub async fn accept(tx: &mut Tx, id: i64, token_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET accepted_at = $1
         WHERE id = $2 AND accepted_at IS NULL AND revoked_at IS NULL
           AND EXISTS (SELECT 1 FROM invitation_links l
                       WHERE l.invitation_id = $2 AND l.token_hash = $3 AND l.expires_at > $1)",
    )
    .bind(now)
    .bind(id)
    .bind(token_hash)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// The client's pending invitation (not accepted, not revoked) and its kind.
pub async fn pending_for_client(
    tx: &mut Tx,
    client_id: ClientId,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind FROM invitations
         WHERE client_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
         ORDER BY id DESC LIMIT 1",
    )
    .bind(client_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Gives a pending invitation a fresh expiry (a resend).
pub async fn extend(tx: &mut Tx, id: i64, expires_at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invitations SET expires_at = $1 WHERE id = $2")
        .bind(expires_at)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// How many emails were queued for an invitation (numbers the next send).
pub async fn sends(tx: &mut Tx, id: i64) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM email_outbox WHERE invitation_id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n)
}

/// Revokes the client's pending invitations (their links stop working).
pub async fn revoke_pending(tx: &mut Tx, client_id: ClientId, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET revoked_at = $1
         WHERE client_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(client_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// When the invitation's latest email was queued.
pub async fn last_queued_at(pool: &AnyPool, id: i64) -> Result<Option<i64>, sqlx::Error> {
    let (at,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(created_at) FROM email_outbox WHERE invitation_id = $1")
            .bind(id)
            .fetch_one(pool)
            .await?;
    Ok(at)
}

/// The portal is on again: every open invitation whose email is still held
/// in the outbox (see `outbox::HELD_NOT`) works for `lifetime_ms` from
/// `now` (unless it already works longer), so no one receives a link that
/// expired while it waited. Returns how many were renewed.
pub async fn renew_held(
    tx: &mut Tx,
    organization_id: OrganizationId,
    now: i64,
    lifetime_ms: i64,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE invitations SET expires_at = $2
         WHERE organization_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
           AND expires_at < $2
           AND id IN (SELECT invitation_id FROM email_outbox
                      WHERE organization_id = $1 AND status = 'queued'
                        AND invitation_id IS NOT NULL)",
    )
    .bind(organization_id)
    .bind(now + lifetime_ms)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}
