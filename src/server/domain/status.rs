//! A client's status in words, from the facts stored about them. Pure: the
//! clock is passed in.

use crate::i18n::td_string;
use crate::model::{ClientStatus, InvitationKind, MailStatus};
use crate::server::dates::Local;
use crate::server::mail::failure::Failure;

/// What the client list query returns about one client.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub has_email: bool,
    pub disabled: bool,
    pub member: bool,
    pub last_login_at: Option<i64>,
    pub invitation_kind: Option<InvitationKind>,
    pub invitation_created_at: Option<i64>,
    pub invitation_expires_at: Option<i64>,
    pub invitation_revoked: bool,
    pub mail_status: Option<MailStatus>,
    pub mail_sent_at: Option<i64>,
    pub mail_error: Option<String>,
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Where a client stands at `now` (ms since the epoch) and the words the
/// list shows for it ("Invitation sent 2 h ago", "Expired on 3 Dec 2026"),
/// from the facts stored about them, in `local`'s language and time zone.
pub fn describe(f: &Facts, now: i64, local: &Local) -> (ClientStatus, String) {
    let locale = local.language.locale();
    if f.disabled {
        return (
            ClientStatus::Disabled,
            td_string!(locale, status.disabled).into(),
        );
    }
    if f.member {
        return match f.last_login_at {
            Some(t) => (
                ClientStatus::Active,
                td_string!(locale, status.active_last_login, ago = local.ago(t, now)),
            ),
            None => (
                ClientStatus::Active,
                td_string!(locale, status.active_never).into(),
            ),
        };
    }
    if !f.has_email {
        return (
            ClientStatus::NoEmail,
            td_string!(locale, status.no_email).into(),
        );
    }
    let (Some(created), Some(expires)) = (f.invitation_created_at, f.invitation_expires_at) else {
        return (
            ClientStatus::NotInvited,
            td_string!(locale, status.not_invited).into(),
        );
    };
    if f.invitation_revoked {
        return (
            ClientStatus::NotInvited,
            td_string!(locale, status.not_invited).into(),
        );
    }
    if expires <= now {
        return (
            ClientStatus::Expired,
            td_string!(locale, status.expired_on, date = local.date(expires)),
        );
    }
    match f.mail_status {
        Some(MailStatus::Failed) => {
            let reply = match f.mail_error.as_deref() {
                Some(stored) => Failure::from_stored(stored).text(locale),
                None => td_string!(locale, status.unknown_reason).to_owned(),
            };
            let reply: String = reply.chars().take(120).collect();
            (
                ClientStatus::EmailFailed,
                td_string!(locale, status.email_failed, reply),
            )
        }
        Some(MailStatus::Sent) => {
            let sent = f.mail_sent_at.unwrap_or(created);
            if f.invitation_kind == Some(InvitationKind::Join) {
                (
                    ClientStatus::WaitingToJoin,
                    td_string!(locale, status.waiting_to_join, date = local.date(sent)),
                )
            } else if now - sent < DAY_MS {
                (
                    ClientStatus::Sent,
                    td_string!(locale, status.sent, ago = local.ago(sent, now)),
                )
            } else {
                (
                    ClientStatus::Waiting,
                    td_string!(
                        locale,
                        status.waiting,
                        sent = local.date(sent),
                        expires = local.date(expires)
                    ),
                )
            }
        }
        _ => (
            ClientStatus::Queued,
            td_string!(locale, status.queued).into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_793_707_200_000; // 3 Nov 2026 12:00 UTC
    const HOUR: i64 = 3_600_000;

    fn invited(mail_status: &str) -> Facts {
        let mail_status = MailStatus::parse(mail_status).expect("a mail status");
        Facts {
            has_email: true,
            invitation_kind: Some(InvitationKind::Activate),
            invitation_created_at: Some(NOW - 2 * HOUR),
            invitation_expires_at: Some(NOW + 30 * DAY_MS),
            mail_status: Some(mail_status),
            mail_sent_at: Some(NOW - 2 * HOUR),
            ..Facts::default()
        }
    }

    #[test]
    fn describes_each_stage() {
        let text = |f: &Facts, now| describe(f, now, &Local::utc_english()).1;
        assert_eq!(text(&Facts::default(), NOW), "No email");
        assert_eq!(
            text(
                &Facts {
                    has_email: true,
                    ..Facts::default()
                },
                NOW
            ),
            "Not invited"
        );
        assert_eq!(text(&invited("queued"), NOW), "Invitation queued");
        assert_eq!(text(&invited("sent"), NOW), "Invitation sent 2 h ago");
        assert_eq!(
            text(&invited("sent"), NOW + 3 * DAY_MS),
            "Waiting since 3 Nov 2026 (expires 3 Dec 2026)"
        );
        assert_eq!(
            text(&invited("sent"), NOW + 31 * DAY_MS),
            "Expired on 3 Dec 2026"
        );
        let failed = Facts {
            mail_error: Some("550 mailbox unknown".into()),
            ..invited("failed")
        };
        assert_eq!(text(&failed, NOW), "Email failed: 550 mailbox unknown");
        let join = Facts {
            invitation_kind: Some(InvitationKind::Join),
            ..invited("sent")
        };
        assert_eq!(text(&join, NOW), "Waiting to join since 3 Nov 2026");
        let active = Facts {
            member: true,
            last_login_at: Some(NOW - 2 * HOUR),
            ..invited("sent")
        };
        assert_eq!(text(&active, NOW), "Active, last login 2 h ago");
        assert_eq!(
            text(
                &Facts {
                    member: true,
                    ..Facts::default()
                },
                NOW
            ),
            "Active, never logged in"
        );
        assert_eq!(
            text(
                &Facts {
                    disabled: true,
                    ..active
                },
                NOW
            ),
            "Disabled"
        );
    }

    #[test]
    fn describes_in_the_readers_language_and_zone() {
        let paris = Local::new(crate::model::Language::French, "Europe/Paris");
        let text = |f: &Facts, now| describe(f, now, &paris).1;
        assert_eq!(text(&invited("sent"), NOW), "Invitation envoyée il y a 2 h");
        assert_eq!(
            text(&invited("sent"), NOW + 3 * DAY_MS),
            "En attente depuis le 3 nov. 2026 (expire le 3 déc. 2026)"
        );
        // 23:30 in Toronto on 2 Dec is already 3 Dec in UTC.
        let toronto = Local::new(crate::model::Language::English, "America/Toronto");
        let late = Facts {
            invitation_expires_at: Some(NOW + 30 * DAY_MS - 12 * HOUR - 30 * 60_000 + 5 * HOUR),
            ..invited("sent")
        };
        assert_eq!(
            describe(&late, NOW + 31 * DAY_MS, &toronto).1,
            "Expired on 2 Dec 2026"
        );
    }
}
