//! A client's timeline: the delivery log an admin reads instead of asking support.

use crate::model::{AppError, AuditKind, ClientDetail, InvitationKind, TimelineEntry};
use crate::server::auth::CurrentSession;
use crate::server::dates::{format_date, format_datetime};
use crate::server::db::{self, Db};
use crate::server::domain::clients::row;

pub async fn client_detail(
    db: &Db,
    actor: &CurrentSession,
    client_id: i64,
    now: i64,
) -> Result<ClientDetail, AppError> {
    let org = actor.organization_id;
    let client = db::clients::get(&db.pool, org, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let pool = &db.pool;
    let user_id = client.user_id;
    let mut entries: Vec<(i64, String, bool)> = Vec::new();

    let creator = db::timeline::creator(pool, client_id).await?;
    entries.push((
        client.created_at,
        match creator {
            Some(name) => format!("Created by {name}"),
            None => "Created".to_owned(),
        },
        false,
    ));
    // Invitations and emails are numbered per client (#1, #2, …), never by
    // their row ids, which would tell how busy other organizations are.
    let mut invitations = db::timeline::invitations(pool, client_id).await?;
    invitations.sort_by_key(|i| i.id);
    for (n, inv) in invitations.into_iter().enumerate().map(|(n, i)| (n + 1, i)) {
        let kind = if InvitationKind::parse(&inv.kind) == Some(InvitationKind::Join) {
            "Join invitation"
        } else {
            "Invitation"
        };
        let by = inv.inviter.map(|n| format!(" by {n}")).unwrap_or_default();
        entries.push((
            inv.created_at,
            format!(
                "{kind} to {}{by}, expires {}",
                inv.email,
                format_date(inv.expires_at)
            ),
            false,
        ));
        if let Some(at) = inv.accepted_at {
            entries.push((at, format!("Confirmed: invitation #{n} accepted"), false));
        }
        if let Some(at) = inv.revoked_at {
            entries.push((at, format!("Invitation #{n} revoked"), false));
        }
    }
    let mut emails = db::timeline::emails(pool, client_id).await?;
    emails.sort_by_key(|e| e.id);
    let ordinal: std::collections::HashMap<i64, usize> = emails
        .iter()
        .enumerate()
        .map(|(n, e)| (e.id, n + 1))
        .collect();
    for email in &emails {
        let n = ordinal[&email.id];
        entries.push((
            email.created_at,
            format!("Email #{n} to {} queued", email.recipient),
            false,
        ));
    }
    for a in db::timeline::attempts(pool, client_id).await? {
        let detail = a.detail.unwrap_or_default();
        let n = ordinal.get(&a.outbox_id).copied().unwrap_or_default();
        let (text, problem) = match a.outcome.as_str() {
            "accepted" => (format!("Email #{n} accepted by the mail server"), false),
            "temporary" => (
                format!(
                    "Email #{n}: temporary failure ({detail}); retry at {}",
                    a.retry_at.map(format_datetime).unwrap_or_default()
                ),
                true,
            ),
            _ => (format!("Email #{n} failed: {detail}"), true),
        };
        entries.push((a.attempted_at, text, problem));
    }
    for e in db::timeline::events(pool, org, client_id, user_id).await? {
        let kind = AuditKind::parse(&e.kind);
        if kind == Some(AuditKind::InvitationAccepted) {
            // Already told with its invitation ("Confirmed: …").
            continue;
        }
        let by = e.actor.map(|n| format!(" by {n}")).unwrap_or_default();
        let text = match kind {
            Some(AuditKind::Login) => "Signed in".to_owned(),
            Some(AuditKind::AccessDisabled) => format!("Portal access disabled{by}"),
            Some(AuditKind::AccessEnabled) => format!("Portal access enabled{by}"),
            Some(AuditKind::NewLinkRequested) => {
                "The client asked for a new link (the old one had expired)".to_owned()
            }
            Some(AuditKind::EmailChanged) => {
                format!("Email changed to {}{by}", e.detail.unwrap_or_default())
            }
            Some(AuditKind::PasswordResetRequested) if by.is_empty() => {
                "The client asked for a password reset".to_owned()
            }
            Some(AuditKind::PasswordResetRequested) => format!("Password reset sent{by}"),
            Some(AuditKind::PasswordChanged) => "Password changed with a reset link".to_owned(),
            _ => e.kind.replace('_', " "),
        };
        entries.push((e.created_at, text, false));
    }
    // Newest first. Entries are gathered in the order things happen, so at
    // equal times the later-gathered one is the newer.
    let mut entries: Vec<_> = entries.into_iter().enumerate().collect();
    entries.sort_by(|(i, a), (j, b)| b.0.cmp(&a.0).then(j.cmp(i)));
    Ok(ClientDetail {
        client: row(client, now),
        timeline: entries
            .into_iter()
            .map(|(_, (at, text, problem))| TimelineEntry {
                when: format_datetime(at),
                text,
                problem,
            })
            .collect(),
    })
}
