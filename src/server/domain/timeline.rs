//! A client's timeline: the delivery log an admin reads instead of asking support.

use crate::i18n::td_string;
use crate::model::ClientId;
use crate::model::{AppError, AuditKind, ClientDetail, InvitationKind, TimelineEntry};
use crate::server::auth::CurrentSession;
use crate::server::db::{self, Db};
use crate::server::domain::clients::row;
use crate::server::mail::failure::Failure;

/// `client_id`'s page: their row and their timeline, newest first, the
/// words in `actor`'s language and the times in their organization's zone.
pub async fn client_detail(
    db: &Db,
    actor: &CurrentSession,
    client_id: ClientId,
    now: i64,
) -> Result<ClientDetail, AppError> {
    let org = actor.organization_id;
    let local = actor.local();
    let locale = local.language.locale();
    let client = db::clients::get(&db.pool, org, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let pool = &db.pool;
    let (phone, postal_address) = db::clients::contact_by_id(pool, org, client_id)
        .await?
        .unwrap_or_default();
    let new_uploads = db::documents::new_uploads(pool, org, &[client.account_id.0])
        .await?
        .first()
        .map_or(0, |(_, n)| *n);
    let user_id = client.user_id;
    let mut entries: Vec<(i64, String, bool)> = Vec::new();

    let creator = db::timeline::creator(pool, client_id).await?;
    entries.push((
        client.created_at,
        match creator {
            Some(name) => td_string!(locale, timeline.created_by, name),
            None => td_string!(locale, timeline.created).to_owned(),
        },
        false,
    ));
    // Invitations and emails are numbered per client (#1, #2, …), never by
    // their row ids, which would tell how busy other organizations are.
    let mut invitations = db::timeline::invitations(pool, client_id).await?;
    invitations.sort_by_key(|i| i.id);
    for (n, inv) in invitations.into_iter().enumerate().map(|(n, i)| (n + 1, i)) {
        let join = InvitationKind::parse(&inv.kind) == Some(InvitationKind::Join);
        let (email, expires) = (inv.email, local.date(inv.expires_at));
        let text = match (join, inv.inviter) {
            (false, None) => td_string!(locale, timeline.invitation, email, expires),
            (false, Some(by)) => td_string!(locale, timeline.invitation_by, email, by, expires),
            (true, None) => td_string!(locale, timeline.join_invitation, email, expires),
            (true, Some(by)) => {
                td_string!(locale, timeline.join_invitation_by, email, by, expires)
            }
        };
        entries.push((inv.created_at, text, false));
        if let Some(at) = inv.accepted_at {
            entries.push((at, td_string!(locale, timeline.accepted, n), false));
        }
        if let Some(at) = inv.revoked_at {
            entries.push((at, td_string!(locale, timeline.revoked, n), false));
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
            td_string!(locale, timeline.email_queued, n, to = &email.recipient),
            false,
        ));
    }
    for a in db::timeline::attempts(pool, client_id).await? {
        let detail = a
            .detail
            .map(|d| Failure::from_stored(&d).text(locale))
            .unwrap_or_default();
        let n = ordinal.get(&a.outbox_id).copied().unwrap_or_default();
        let (text, problem) = match a.outcome.as_str() {
            "accepted" => (td_string!(locale, timeline.email_accepted, n), false),
            "temporary" => (
                td_string!(
                    locale,
                    timeline.email_temporary,
                    n,
                    detail,
                    retry = a.retry_at.map(|t| local.date_time(t)).unwrap_or_default()
                ),
                true,
            ),
            _ => (td_string!(locale, timeline.email_failed, n, detail), true),
        };
        entries.push((a.attempted_at, text, problem));
    }
    for e in db::timeline::events(pool, org, client_id, user_id).await? {
        let kind = AuditKind::parse(&e.kind);
        if kind == Some(AuditKind::InvitationAccepted) {
            // Already told with its invitation ("Confirmed: …").
            continue;
        }
        let text = match (kind, e.actor) {
            (Some(AuditKind::Login), _) => td_string!(locale, timeline.signed_in).to_owned(),
            (Some(AuditKind::AccessDisabled), None) => {
                td_string!(locale, timeline.access_disabled).to_owned()
            }
            (Some(AuditKind::AccessDisabled), Some(by)) => {
                td_string!(locale, timeline.access_disabled_by, by)
            }
            (Some(AuditKind::AccessEnabled), None) => {
                td_string!(locale, timeline.access_enabled).to_owned()
            }
            (Some(AuditKind::AccessEnabled), Some(by)) => {
                td_string!(locale, timeline.access_enabled_by, by)
            }
            (Some(AuditKind::NewLinkRequested), _) => {
                td_string!(locale, timeline.new_link_requested).to_owned()
            }
            // Without a detail (or "none", as it was once stored) the
            // address was removed.
            (Some(AuditKind::EmailChanged), by) => match (e.detail.filter(|d| d != "none"), by) {
                (Some(email), None) => td_string!(locale, timeline.email_changed, email),
                (Some(email), Some(by)) => td_string!(locale, timeline.email_changed_by, email, by),
                (None, None) => td_string!(locale, timeline.email_removed).to_owned(),
                (None, Some(by)) => td_string!(locale, timeline.email_removed_by, by),
            },
            (Some(AuditKind::PasswordResetRequested), None) => {
                td_string!(locale, timeline.reset_asked).to_owned()
            }
            (Some(AuditKind::PasswordResetRequested), Some(by)) => {
                td_string!(locale, timeline.reset_sent_by, by)
            }
            (Some(AuditKind::PasswordChanged), _) => {
                td_string!(locale, timeline.password_changed).to_owned()
            }
            (Some(AuditKind::EmailChangeRequested), _) => td_string!(
                locale,
                timeline.email_change_requested,
                email = e.detail.unwrap_or_default()
            ),
            // The audit trail's own words, for a kind a client's timeline
            // does not expect.
            (Some(other), _) => super::audit::event_name(other, locale).to_owned(),
            (None, _) => e.kind,
        };
        entries.push((e.created_at, text, false));
    }
    // Newest first. Entries are gathered in the order things happen, so at
    // equal times the later-gathered one is the newer.
    let mut entries: Vec<_> = entries.into_iter().enumerate().collect();
    entries.sort_by(|(i, a), (j, b)| b.0.cmp(&a.0).then(j.cmp(i)));
    Ok(ClientDetail {
        client: row(client, now, &local),
        phone: phone.unwrap_or_default(),
        postal_address: postal_address.unwrap_or_default(),
        new_uploads,
        timeline: entries
            .into_iter()
            .map(|(_, (at, text, problem))| TimelineEntry {
                when: local.date_time(at),
                text,
                problem,
            })
            .collect(),
    })
}
