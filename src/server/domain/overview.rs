//! The staff overview: the onboarding funnel, invitations per week in the
//! organization's time zone, and what needs attention.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::i18n::td_string;
use crate::model::overview::{ATTENTION_SHOWN, OVERVIEW_WEEKS, WAITING_DAYS};
use crate::model::{AppError, Attention, AttentionItem, Funnel, Overview, WeekCount};
use crate::server::auth::CurrentSession;
use crate::server::dates::Local;
use crate::server::db::{self, Db};

const DAY_MS: i64 = 86_400_000;

/// The overview for staff of the actor's organization at `now` (ms): every
/// query is scoped to that organization.
pub async fn get(db: &Db, actor: &CurrentSession, now: i64) -> Result<Overview, AppError> {
    let org = actor.organization_id;
    let local = actor.local();
    let locale = local.language.locale();
    let (created, invited, joined) = db::overview::funnel(&db.pool, org).await?;

    let starts = week_starts(now, &local.time_zone, OVERVIEW_WEEKS);
    let (sent, accepted) = db::overview::invitation_times(&db.pool, org, starts[0]).await?;
    let sent = per_week(&starts, &sent);
    let accepted = per_week(&starts, &accepted);
    let weeks = starts
        .iter()
        .zip(sent.into_iter().zip(accepted))
        .map(|(start, (sent, accepted))| WeekCount {
            label: local.day_month(*start),
            sent,
            accepted,
        })
        .collect();

    let attention = |(total, rows): (i64, Vec<db::overview::Waiting>),
                     words: fn(&Local, i64) -> String| Attention {
        total,
        items: rows
            .into_iter()
            .map(|w| AttentionItem {
                href: format!("/clients/{}", w.id.0),
                name: format!("{} {}", w.first_name, w.last_name),
                detail: words(&local, w.since),
            })
            .collect(),
    };
    let failed =
        db::overview::open_invitations(&db.pool, org, "failed", now, now, ATTENTION_SHOWN).await?;
    let waiting = db::overview::open_invitations(
        &db.pool,
        org,
        "invited",
        now,
        now - WAITING_DAYS * DAY_MS,
        ATTENTION_SHOWN,
    )
    .await?;
    let failed = attention(failed, |l, t| {
        td_string!(l.language.locale(), overview.failed_since, date = l.date(t))
    });
    let waiting = attention(waiting, |l, t| {
        td_string!(l.language.locale(), overview.invited_on, date = l.date(t))
    });

    let pending = db::signups::pending(&db.pool, org).await?;
    let applications = Attention {
        total: pending.len() as i64,
        items: pending
            .into_iter()
            .take(ATTENTION_SHOWN as usize)
            .map(|s| AttentionItem {
                href: "/approvals".into(),
                name: format!("{} {}", s.first_name, s.last_name),
                detail: td_string!(locale, overview.applied_on, date = local.date(s.created_at)),
            })
            .collect(),
    };
    let jobs_running = db::bulk::any_running(&db.pool, org).await?;

    Ok(Overview {
        funnel: Funnel {
            created,
            invited,
            joined,
        },
        weeks,
        failed,
        waiting,
        applications,
        jobs_running,
    })
}

/// The starts (ms) of the `weeks` weeks ending with the one `now` falls in,
/// oldest first: each a Monday at 00:00 in `zone` (a week across a change
/// of clocks is an hour shorter or longer).
pub fn week_starts(now: i64, zone: &TimeZone, weeks: usize) -> Vec<i64> {
    let today = Timestamp::from_millisecond(now)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(zone.clone())
        .date();
    let monday = today
        .checked_sub((i64::from(today.weekday().to_monday_zero_offset())).days())
        .unwrap_or(today);
    (0..weeks)
        .rev()
        .map(|back| {
            monday
                .checked_sub((7 * back as i64).days())
                .ok()
                .and_then(|d| d.to_zoned_datetime(zone.clone()).ok())
                // Only a date beyond jiff's range fails: count from now.
                .map_or(now, |z| z.timestamp().as_millisecond())
        })
        .collect()
}

/// How many of `times` fall in each week starting at `starts` (the last
/// week runs on without end).
pub fn per_week(starts: &[i64], times: &[i64]) -> Vec<i64> {
    let mut counts = vec![0; starts.len()];
    for t in times {
        if let Some(i) = starts.iter().rposition(|s| s <= t) {
            counts[i] += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn weeks_start_on_monday_midnight_in_the_organizations_zone() {
        let toronto = TimeZone::get("America/Toronto").unwrap();
        // Wednesday 2 December 2026, 03:00 UTC: still Tuesday evening in Toronto.
        let starts = week_starts(ms("2026-12-02T03:00:00Z"), &toronto, 12);
        assert_eq!(starts.len(), 12);
        // The current week began Monday 30 November, 00:00 in Toronto (05:00 UTC).
        assert_eq!(starts[11], ms("2026-11-30T05:00:00Z"));
        assert_eq!(starts[10], ms("2026-11-23T05:00:00Z"));
        // Before the clocks went back on 1 November, midnight was 04:00 UTC.
        assert_eq!(starts[7], ms("2026-11-02T05:00:00Z"));
        assert_eq!(starts[6], ms("2026-10-26T04:00:00Z"));
        assert_eq!(starts[0], ms("2026-09-14T04:00:00Z"));
    }

    #[test]
    fn times_are_counted_in_the_week_they_fall_in() {
        let starts = [0, 10, 20];
        assert_eq!(per_week(&starts, &[-1, 0, 9, 10, 25, 999]), vec![2, 1, 2]);
        assert_eq!(per_week(&starts, &[]), vec![0, 0, 0]);
    }
}
